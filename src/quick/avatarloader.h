#pragma once

#include <QCache>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QUrl>

class QNetworkAccessManager;

namespace Presence {

/// Loads avatar images once per URL for every avatar that shows them: local files and qrc
/// directly, network images through a QNetworkAccessManager with a disk cache (so an app
/// restart does not download them again). Decoded images are kept in a bounded memory cache.
class AvatarLoader : public QObject
{
    Q_OBJECT
public:
    static AvatarLoader *instance();

    /// The image if it is loaded; else starts loading it and returns a null image.
    /// `failed` is set when the URL cannot give an image.
    QImage image(const QUrl &url, bool *failed);

Q_SIGNALS:
    void finished(const QUrl &url);

private:
    explicit AvatarLoader(QObject *parent = nullptr);
    QNetworkAccessManager *network();

    QNetworkAccessManager *m_network = nullptr;
    QCache<QUrl, QImage> m_images;
    QHash<QUrl, bool> m_loading;
    QHash<QUrl, bool> m_failed;
};

} // namespace Presence
