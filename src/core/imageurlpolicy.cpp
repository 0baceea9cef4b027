#include "imageurlpolicy.h"

#include <QRegularExpression>
#include <QStringList>
#include <QUrl>

namespace Presence {

namespace {

enum class HostKind { Name, Public, Loopback, Private };

HostKind ipv4Kind(const QString &host, bool *isLiteral)
{
    static const QRegularExpression dotted(QStringLiteral("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$"));
    const QRegularExpressionMatch m = dotted.match(host);
    *isLiteral = m.hasMatch();
    if (!*isLiteral)
        return HostKind::Name;
    const int a = m.captured(1).toInt();
    const int b = m.captured(2).toInt();
    if (a == 127)
        return HostKind::Loopback;
    if (a == 0 || a == 10 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168) || (a == 169 && b == 254)
        || (a == 100 && b >= 64 && b <= 127) || a >= 224) {
        return HostKind::Private; // this network, private, link-local, shared, multicast, reserved
    }
    return HostKind::Public;
}

HostKind hostKind(const QString &host)
{
    if (host == QLatin1String("localhost") || host.endsWith(QLatin1String(".localhost")))
        return HostKind::Loopback;
    bool literal = false;
    const HostKind v4 = ipv4Kind(host, &literal);
    if (literal)
        return v4;
    if (!host.contains(QLatin1Char(':')))
        return HostKind::Name;
    // IPv6 literal (QUrl gives it without brackets, lower case, compressed).
    if (host == QLatin1String("::1"))
        return HostKind::Loopback;
    if (host == QLatin1String("::"))
        return HostKind::Private;
    if (host.startsWith(QLatin1String("::ffff:"))) {
        const HostKind mapped = ipv4Kind(host.mid(7), &literal);
        return literal ? mapped : HostKind::Private;
    }
    const QString first = host.section(QLatin1Char(':'), 0, 0);
    bool ok = false;
    const uint word = first.toUInt(&ok, 16);
    if (!ok || first.isEmpty())
        return HostKind::Private;
    if ((word & 0xfe00) == 0xfc00 || (word & 0xffc0) == 0xfe80 || (word & 0xff00) == 0xff00)
        return HostKind::Private; // unique local, link-local, multicast
    return HostKind::Public;
}

} // namespace

QString ImageUrlPolicy::refusal(const QUrl &url, int options)
{
    if (!url.isValid() || url.isRelative())
        return QStringLiteral("not an absolute URL");
    const QString scheme = url.scheme();
    if (scheme == QLatin1String("qrc"))
        return options & AllowResources ? QString() : QStringLiteral("the qrc: scheme is not accepted; use https:");
    if (scheme != QLatin1String("https") && scheme != QLatin1String("http"))
        return QStringLiteral("the %1: scheme is not accepted; use https:").arg(scheme);
    const QString host = url.host();
    if (host.isEmpty())
        return QStringLiteral("the URL has no host");
    switch (hostKind(host)) {
    case HostKind::Loopback:
        if (options & AllowLoopback)
            return {};
        return QStringLiteral("a loopback address (%1) is accepted for development only").arg(host);
    case HostKind::Private:
        return QStringLiteral("a private or reserved address (%1) is not accepted").arg(host);
    case HostKind::Name:
    case HostKind::Public:
        break;
    }
    if (scheme == QLatin1String("http"))
        return QStringLiteral("http: is accepted for loopback hosts only; use https:");
    return {};
}

QString ImageUrlPolicy::refusal(const QString &url, int options)
{
    return refusal(QUrl(url, QUrl::StrictMode), options);
}

} // namespace Presence
