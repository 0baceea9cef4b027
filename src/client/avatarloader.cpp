#include "avatarloader_p.h"

#include "imageurlpolicy.h"

#include <QCoreApplication>
#include <QFile>
#include <QImageReader>
#include <QNetworkAccessManager>
#include <QNetworkDiskCache>
#include <QNetworkReply>
#include <QStandardPaths>

namespace Presence {

namespace {
// The app's own resources, and loopback for development; never a local file or the LAN.
constexpr int LoaderPolicy = ImageUrlPolicy::AllowResources | ImageUrlPolicy::AllowLoopback;
constexpr int MaxImageBytes = 4 * 1024 * 1024;
constexpr int MaxDimension = 1024; // avatars are small: bigger images are scaled on decode
} // namespace

AvatarLoader::AvatarLoader(QObject *parent)
    : QObject(parent)
    , m_images(64 * 1024) // cost in KiB: 64 MiB of decoded images
{
}

AvatarLoader *AvatarLoader::instance()
{
    static AvatarLoader *loader = new AvatarLoader(QCoreApplication::instance());
    return loader;
}

QNetworkAccessManager *AvatarLoader::network()
{
    if (!m_network) {
        m_network = new QNetworkAccessManager(this);
        auto *cache = new QNetworkDiskCache(m_network);
        cache->setCacheDirectory(
            QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/avatars"));
        cache->setMaximumCacheSize(50 * 1024 * 1024);
        m_network->setCache(cache);
        m_network->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    }
    return m_network;
}

static QImage decode(QIODevice *device)
{
    QImageReader reader(device);
    const QSize size = reader.size();
    if (size.isValid() && (size.width() > MaxDimension || size.height() > MaxDimension))
        reader.setScaledSize(size.scaled(MaxDimension, MaxDimension, Qt::KeepAspectRatio));
    return reader.read();
}

QImage AvatarLoader::image(const QUrl &url, bool *failed)
{
    *failed = false;
    // An avatar URL comes from someone else's token: only https:, http: to loopback and the
    // app's own qrc: resources are loaded; never a local file (file:///dev/zero) or the LAN.
    if (!url.isValid() || url.isEmpty() || !ImageUrlPolicy::refusal(url, LoaderPolicy).isEmpty()) {
        *failed = true;
        return {};
    }
    if (const QImage *cached = m_images.object(url))
        return *cached;
    if (m_failed.contains(url)) {
        *failed = true;
        return {};
    }
    if (m_loading.contains(url))
        return {};

    auto store = [this, url](const QImage &image) {
        m_loading.remove(url);
        if (image.isNull())
            m_failed.insert(url, true);
        else
            m_images.insert(url, new QImage(image), int(image.sizeInBytes() / 1024) + 1);
        Q_EMIT finished(url);
    };
    m_loading.insert(url, true);
    if (url.scheme() == QLatin1String("qrc")) {
        QFile file(QLatin1Char(':') + url.path());
        const QImage image = file.open(QIODevice::ReadOnly) ? decode(&file) : QImage();
        // Answered from the event loop like a download, so every caller sees one path.
        QMetaObject::invokeMethod(
            this, [store, image] { store(image); }, Qt::QueuedConnection);
        return {};
    }
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::PreferCache);
    // Every hop of a redirect is held to the same rules as the URL itself.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::UserVerifiedRedirectPolicy);
    request.setTransferTimeout(15000);
    QNetworkReply *reply = network()->get(request);
    connect(reply, &QNetworkReply::redirected, reply, [reply](const QUrl &next) {
        if (ImageUrlPolicy::refusal(next, LoaderPolicy).isEmpty())
            Q_EMIT reply->redirectAllowed();
        else
            reply->abort();
    });
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > MaxImageBytes)
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [reply, store] {
        reply->deleteLater();
        store(reply->error() == QNetworkReply::NoError ? decode(reply) : QImage());
    });
    return {};
}

} // namespace Presence
