#include "imageurlpolicy.h"

#include <QRegularExpression>
#include <QUrl>

namespace Presence {

QString ImageUrlPolicy::refusal(const QUrl &url, LocalResources resources)
{
    if (!url.isValid() || url.isRelative())
        return QStringLiteral("not an absolute URL");
    const QString scheme = url.scheme();
    if (scheme == QLatin1String("https"))
        return url.host().isEmpty() ? QStringLiteral("an https: URL needs a host") : QString();
    if (scheme == QLatin1String("http")) {
        // Loopback by name or literal address (Qt Core only: no QHostAddress here).
        static const QRegularExpression ipv4Loopback(QStringLiteral("^127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$"));
        const QString host = url.host();
        if (host == QLatin1String("localhost") || host == QLatin1String("::1") || ipv4Loopback.match(host).hasMatch())
            return {};
        return QStringLiteral("http: is accepted for loopback hosts only; use https:");
    }
    if (scheme == QLatin1String("qrc") && resources == AllowResources)
        return {};
    return QStringLiteral("the %1: scheme is not accepted; use https:").arg(scheme);
}

QString ImageUrlPolicy::refusal(const QString &url, LocalResources resources)
{
    return refusal(QUrl(url, QUrl::StrictMode), resources);
}

} // namespace Presence
