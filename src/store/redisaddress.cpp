#include "redisaddress.h"

#include <QUrl>
#include <QUrlQuery>

namespace Presence {

namespace {
constexpr int MaxDatabase = 15; // Redis's default `databases 16`; a cluster has only 0

Error invalid(const QString &why)
{
    return Error(Error::InvalidArgument, QStringLiteral("redis URL: %1").arg(why));
}

Result<int> parseDatabase(const QString &text)
{
    bool ok = false;
    const int db = text.toInt(&ok);
    if (!ok || db < 0 || db > MaxDatabase)
        return invalid(
            QStringLiteral("the database must be a number from 0 to %1, not '%2'").arg(MaxDatabase).arg(text));
    return db;
}
} // namespace

Result<RedisAddress> RedisAddress::parse(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return invalid(url.errorString());
    RedisAddress address;
    const QString scheme = url.scheme();
    if (scheme == QLatin1String("unix")) {
        address.kind = Unix;
        address.path = url.path();
        if (!url.host().isEmpty() || !address.path.startsWith(QLatin1Char('/')))
            return invalid(QStringLiteral("a unix socket is unix:///absolute/path"));
        const QUrlQuery query(url);
        for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
            if (key != QLatin1String("db"))
                return invalid(QStringLiteral("unknown parameter '%1' (only db)").arg(key));
            const Result<int> db = parseDatabase(value);
            if (!db)
                return db.error();
            address.database = db.value();
        }
    } else if (scheme == QLatin1String("redis") || scheme == QLatin1String("rediss")) {
        address.kind = scheme == QLatin1String("rediss") ? Tls : Tcp;
        address.host = url.host();
        if (address.host.isEmpty())
            return invalid(QStringLiteral("no host"));
        const int port = url.port(6379);
        if (port <= 0)
            return invalid(QStringLiteral("the port must be from 1 to 65535"));
        address.port = quint16(port);
        QString path = url.path();
        if (path.startsWith(QLatin1Char('/')))
            path.remove(0, 1);
        if (!path.isEmpty()) {
            const Result<int> db = parseDatabase(path);
            if (!db)
                return db.error();
            address.database = db.value();
        }
        const QUrlQuery query(url);
        for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
            if (key != QLatin1String("ca") || address.kind != Tls)
                return invalid(QStringLiteral("unknown parameter '%1' (rediss:// knows ca)").arg(key));
            address.caFile = value;
        }
    } else {
        return invalid(QStringLiteral("the scheme must be redis://, rediss:// or unix://, not '%1'").arg(scheme));
    }
    address.user = url.userName(QUrl::FullyDecoded);
    address.password = url.password(QUrl::FullyDecoded);
    if (!address.user.isEmpty() && address.password.isEmpty())
        return invalid(QStringLiteral("a user needs a password (redis://user:password@host)"));
    return address;
}

QString RedisAddress::display() const
{
    const QString credentials = password.isEmpty() ? QString() : (user + QStringLiteral(":***@"));
    switch (kind) {
    case Unix:
        return QStringLiteral("unix://%1%2?db=%3").arg(credentials, path).arg(database);
    case Tcp:
    case Tls:
        break;
    }
    const QString scheme = kind == Tls ? QStringLiteral("rediss") : QStringLiteral("redis");
    return QStringLiteral("%1://%2%3:%4/%5").arg(scheme, credentials, host).arg(port).arg(database);
}

} // namespace Presence
