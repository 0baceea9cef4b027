#include "rediswire.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace Presence {

namespace {

// An integer a JSON number holds exactly (cjson writes integers up to 2^53 as such); anything
// else, a fraction, NaN or 1e300, is none.
std::optional<qint64> integerOf(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    constexpr double Max = 9007199254740992.0; // 2^53
    if (!(d >= -Max && d <= Max) || d != double(qint64(d)))
        return std::nullopt;
    return qint64(d);
}

std::optional<RedisWire::Member> memberOf(const QJsonObject &o)
{
    RedisWire::Member w;
    w.member.userId = o.value(QLatin1String("u")).toString();
    if (w.member.userId.isEmpty())
        return std::nullopt;
    const std::optional<qint64> lastDisconnected = integerOf(o.value(QLatin1String("ld")));
    const std::optional<qint64> joinOrder = integerOf(o.value(QLatin1String("j")));
    if (!lastDisconnected || !joinOrder || *lastDisconnected < 0)
        return std::nullopt;
    w.member.online = o.value(QLatin1String("o")).toInt() == 1;
    w.member.lastDisconnected = *lastDisconnected;
    w.member.joinOrder = *joinOrder;
    w.member.away = o.value(QLatin1String("a")).toInt() == 1;
    const QString data = o.value(QLatin1String("d")).toString();
    if (!data.isEmpty())
        w.member.data = QJsonDocument::fromJson(data.toUtf8()).object();
    w.name = o.value(QLatin1String("n")).toString();
    w.image = o.value(QLatin1String("i")).toString();
    return w;
}

QJsonObject objectOf(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

std::optional<RedisWire::Member> RedisWire::member(const QByteArray &json)
{
    return memberOf(objectOf(json));
}

std::optional<RedisWire::Room> RedisWire::room(const RedisReply &reply)
{
    // token, version, organization, roomId, then [userId, member]…
    if (reply.type != RedisReply::Array || reply.elements.size() < 4)
        return std::nullopt;
    Room room;
    room.token = QString::fromUtf8(reply.elements.at(0).string);
    room.version = reply.elements.at(1).toInteger(-1);
    if (room.version < 0)
        return std::nullopt;
    room.organization = QString::fromUtf8(reply.elements.at(2).string);
    room.roomId = QString::fromUtf8(reply.elements.at(3).string);
    for (qsizetype i = 5; i < reply.elements.size(); i += 2) {
        if (const std::optional<Member> w = member(reply.elements.at(i).string))
            room.members.append(*w);
    }
    return room;
}

std::optional<RedisWire::Event> RedisWire::event(const QByteArray &payload)
{
    const QJsonObject o = objectOf(payload);
    const std::optional<qint64> version = integerOf(o.value(QLatin1String("v")));
    if (!version || *version <= 0)
        return std::nullopt;
    Event event;
    event.version = *version;
    if (o.value(QLatin1String("r")).toInt() == 1) {
        event.roomRemoved = true;
        return event;
    }
    event.member = memberOf(o.value(QLatin1String("m")).toObject());
    if (!event.member)
        return std::nullopt;
    event.member->forgotten = o.value(QLatin1String("x")).toInt() == 1;
    return event;
}

std::optional<RedisWire::Kick> RedisWire::kick(const QByteArray &payload)
{
    const QJsonObject o = objectOf(payload);
    Kick kick {o.value(QLatin1String("t")).toString(), o.value(QLatin1String("r")).toString()};
    if (kick.token.isEmpty())
        return std::nullopt;
    return kick;
}

QByteArrayView RedisWire::channelKind(const QByteArray &channel)
{
    return channel.size() > 7 && channel.startsWith("p:{p") && channel.at(5) == '}' ? QByteArrayView(channel).sliced(7)
                                                                                    : QByteArrayView();
}

QString RedisWire::roomOfChannel(const QByteArray &channel)
{
    const QByteArrayView kind = channelKind(channel);
    return kind.startsWith("e:") ? QString::fromLatin1(kind.sliced(2)) : QString();
}

} // namespace Presence
