#include "redisusers.h"

#include "rediscluster.h"
#include "rediskeys_p.h"
#include "userdirectory.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace Presence {

QByteArray RedisUsers::field(const User &user)
{
    return user.workosId.isEmpty() ? '@' + UserDirectory::normalizedEmail(user.email).toUtf8() : user.workosId.toUtf8();
}

QByteArray RedisUsers::encode(const User &user)
{
    QJsonObject o;
    const auto put = [&o](const char *key, const QString &value) {
        if (!value.isEmpty())
            o.insert(QLatin1String(key), value);
    };
    put("w", user.workosId);
    put("e", user.email);
    put("n", user.name);
    put("i", user.image);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<User> RedisUsers::decode(const QString &organization, const QByteArray &value)
{
    const QJsonObject o = QJsonDocument::fromJson(value).object();
    User user {o.value(QLatin1String("w")).toString(), o.value(QLatin1String("e")).toString(),
        o.value(QLatin1String("n")).toString(), o.value(QLatin1String("i")).toString(), organization, true};
    if (UserDirectory::validate(user).isError())
        return std::nullopt;
    return user;
}

namespace {
// One command, waited for.
RedisReply ask(RedisCluster &redis, const QList<QByteArray> &command, int timeoutMs)
{
    RedisReply answer;
    answer.type = RedisReply::Error;
    answer.string = "no answer";
    QEventLoop loop;
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    redis.command(command, &loop, [&](const RedisReply &reply) {
        answer = reply;
        loop.quit();
    });
    loop.exec();
    return answer;
}
} // namespace

Result<int> RedisUsers::import(
    const RedisAddress &address, const QString &organization, const QList<User> &users, int timeoutMs)
{
    RedisCluster redis(address);
    redis.setTimeout(timeoutMs);
    redis.open();
    {
        QEventLoop loop;
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        QObject::connect(&redis, &RedisCluster::ready, &loop, &QEventLoop::quit);
        if (!redis.isReady())
            loop.exec();
    }
    if (!redis.isReady()) {
        return Error(Error::Unavailable, QStringLiteral("Redis cannot be reached at %1").arg(address.display()));
    }
    const QByteArray key = RedisKeys::usersKey(organization);
    const RedisReply existing = ask(redis, {"HGETALL", key}, timeoutMs);
    if (existing.isError())
        return Error(Error::Internal, QStringLiteral("Redis: %1").arg(QString::fromUtf8(existing.string)));
    QList<User> rows;
    for (qsizetype i = 1; i < existing.elements.size(); i += 2) {
        if (const std::optional<User> row = decode(organization, existing.elements.at(i).string))
            rows.append(*row);
    }
    UserDirectory directory;
    directory.load(rows);
    QList<QByteArray> write {"HSET", key};
    int changed = 0;
    for (const User &user : users) {
        User stored;
        if (directory.merge(user, &stored)) {
            ++changed;
            write << field(stored) << encode(stored);
        }
    }
    if (changed == 0)
        return 0;
    const RedisReply written = ask(redis, write, timeoutMs);
    if (written.isError())
        return Error(Error::Internal, QStringLiteral("Redis: %1").arg(QString::fromUtf8(written.string)));
    ask(redis, {"SPUBLISH", RedisKeys::usersChannel(organization), organization.toUtf8()}, timeoutMs);
    return changed;
}

} // namespace Presence
