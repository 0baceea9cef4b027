#pragma once

// Not part of the installed API: shared by the client's QML and Widgets modules, which is
// why it is exported.

#include "presenceclient_export.h"

#include <QCache>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QUrl>

class QNetworkAccessManager;

namespace Presence {

/// Loads avatar images once per URL for every avatar that shows them, in QML or in widgets:
/// the app's qrc resources directly, network images through a QNetworkAccessManager with a disk cache (so an app
/// restart does not download them again). Decoded images are kept in a bounded memory cache.
class PRESENCECLIENT_EXPORT AvatarLoader : public QObject
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
