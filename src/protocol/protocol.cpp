#include "protocol.h"

#include "engine.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>
#include <limits>

namespace Presence {

std::optional<qint64> Protocol::integerValue(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d) || std::trunc(d) != d || std::fabs(d) > double(Protocol::MaxId))
        return std::nullopt;
    return qint64(d);
}

namespace {

Request invalid(std::optional<qint64> id, const QString &message)
{
    Request request;
    request.id = id;
    request.error = Error(Error::InvalidArgument, message);
    return request;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

Request Protocol::parseRequest(const QByteArray &frame)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(frame, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return invalid(std::nullopt, QStringLiteral("malformed JSON: %1").arg(parseError.errorString()));
    if (!document.isObject())
        return invalid(std::nullopt, QStringLiteral("a frame must be a JSON object"));

    Request request;
    request.fields = document.object();
    const QJsonValue id = request.fields.value(QLatin1String("id"));
    if (!id.isUndefined()) {
        request.id = integerValue(id);
        if (!request.id)
            return invalid(std::nullopt, QStringLiteral("id must be an integer of at most 2^53 - 1"));
    }

    const QJsonValue type = request.fields.value(QLatin1String("type"));
    if (!type.isString())
        return invalid(request.id, QStringLiteral("type must be a string"));
    const QString name = type.toString();
    request.type = Request::Invalid;
    for (int t = Request::Auth; t <= Request::LastType; ++t) {
        if (typeName(Request::Type(t)) == name)
            request.type = Request::Type(t);
    }
    if (request.type == Request::Invalid)
        return invalid(request.id, QStringLiteral("unknown type \"%1\"").arg(name.left(64)));
    if (!request.id && request.type != Request::Auth)
        return invalid(std::nullopt, QStringLiteral("id is required for %1").arg(name));
    return request;
}

Result<QString> Protocol::string(const QJsonObject &fields, const char *name, int maxLength)
{
    const QJsonValue value = fields.value(QLatin1String(name));
    if (value.isUndefined())
        return Error(Error::InvalidArgument, QStringLiteral("%1 is required").arg(QLatin1String(name)));
    if (!value.isString())
        return Error(Error::InvalidArgument, QStringLiteral("%1 must be a string").arg(QLatin1String(name)));
    const QString text = value.toString();
    if (text.isEmpty())
        return Error(Error::InvalidArgument, QStringLiteral("%1 must not be empty").arg(QLatin1String(name)));
    if (text.size() > maxLength) {
        return Error(Error::InvalidArgument,
            QStringLiteral("%1 is longer than %2 characters").arg(QLatin1String(name)).arg(maxLength));
    }
    return text;
}

Result<int> Protocol::integer(const QJsonObject &fields, const char *name, int fallback, int min, int max)
{
    const QJsonValue value = fields.value(QLatin1String(name));
    if (value.isUndefined())
        return fallback;
    const std::optional<qint64> number = integerValue(value);
    if (!number || *number < min || *number > max) {
        return Error(Error::InvalidArgument,
            QStringLiteral("%1 must be an integer from %2 to %3").arg(QLatin1String(name)).arg(min).arg(max));
    }
    return int(*number);
}

Result<bool> Protocol::boolean(const QJsonObject &fields, const char *name, bool fallback)
{
    const QJsonValue value = fields.value(QLatin1String(name));
    if (value.isUndefined())
        return fallback;
    if (!value.isBool())
        return Error(Error::InvalidArgument, QStringLiteral("%1 must be true or false").arg(QLatin1String(name)));
    return value.toBool();
}

QByteArray Protocol::result(qint64 id, const QJsonValue &result)
{
    return compact({{QStringLiteral("id"), id}, {QStringLiteral("type"), QStringLiteral("result")},
        {QStringLiteral("result"), result}});
}

QByteArray Protocol::compactResult(qint64 id)
{
    return compact({{QStringLiteral("id"), id}, {QStringLiteral("type"), QStringLiteral("result")}});
}

QByteArray Protocol::error(std::optional<qint64> id, const Error &error)
{
    QJsonObject frame {{QStringLiteral("type"), QStringLiteral("error")},
        {QStringLiteral("error"),
            QJsonObject {{QStringLiteral("code"), error.codeName()}, {QStringLiteral("message"), error.message()}}}};
    if (id)
        frame.insert(QStringLiteral("id"), *id);
    return compact(frame);
}

QByteArray Protocol::diff(qint64 subscription, const MemberDiff &diff)
{
    QJsonObject frame {{QStringLiteral("type"), QStringLiteral("diff")}, {QStringLiteral("sub"), subscription}};
    if (!diff.upserted.isEmpty())
        frame.insert(QStringLiteral("upsert"), members(diff.upserted));
    if (!diff.removed.isEmpty())
        frame.insert(QStringLiteral("remove"), QJsonArray::fromStringList(diff.removed));
    if (diff.counts) {
        frame.insert(QStringLiteral("online"), diff.counts->online);
        frame.insert(QStringLiteral("total"), diff.counts->total);
    }
    return compact(frame);
}

QByteArray Protocol::kicked(const QString &roomId)
{
    return compact({{QStringLiteral("type"), QStringLiteral("kicked")}, {QStringLiteral("roomId"), roomId}});
}

QJsonObject Protocol::member(const Member &member)
{
    QJsonObject object {{QStringLiteral("userId"), member.userId}, {QStringLiteral("online"), member.online},
        {QStringLiteral("lastDisconnected"), member.lastDisconnected}, {QStringLiteral("away"), member.away}};
    if (!member.name.isEmpty())
        object.insert(QStringLiteral("name"), member.name);
    if (!member.image.isEmpty())
        object.insert(QStringLiteral("image"), member.image);
    if (!member.data.isEmpty())
        object.insert(QStringLiteral("data"), member.data);
    return object;
}

QJsonObject Protocol::onlinePage(const OnlinePage &page)
{
    QJsonArray users;
    for (const OnlineUser &user : page.users) {
        QJsonObject object {{QStringLiteral("userId"), user.userId}, {QStringLiteral("away"), user.away},
            {QStringLiteral("rooms"), QJsonArray::fromStringList(user.rooms)}};
        if (!user.name.isEmpty())
            object.insert(QStringLiteral("name"), user.name);
        if (!user.image.isEmpty())
            object.insert(QStringLiteral("image"), user.image);
        users.append(object);
    }
    QJsonObject result {{QStringLiteral("users"), users}};
    if (!page.cursor.isEmpty())
        result.insert(QStringLiteral("cursor"), page.cursor);
    return result;
}

QJsonObject Protocol::membersWithCounts(const QList<Member> &list, const RoomCounts &counts)
{
    return {{QStringLiteral("members"), members(list)}, {QStringLiteral("online"), counts.online},
        {QStringLiteral("total"), counts.total}};
}

QJsonArray Protocol::members(const QList<Member> &members)
{
    QJsonArray array;
    for (const Member &m : members)
        array.append(member(m));
    return array;
}

QString Protocol::typeName(Request::Type type)
{
    switch (type) {
    case Request::Invalid:
        break;
    case Request::Auth:
        return QStringLiteral("auth");
    case Request::Heartbeat:
        return QStringLiteral("heartbeat");
    case Request::List:
        return QStringLiteral("list");
    case Request::Subscribe:
        return QStringLiteral("subscribe");
    case Request::Unsubscribe:
        return QStringLiteral("unsubscribe");
    case Request::Disconnect:
        return QStringLiteral("disconnect");
    case Request::Update:
        return QStringLiteral("update");
    case Request::Online:
        return QStringLiteral("online");
    case Request::WhereIs:
        return QStringLiteral("whereis");
    case Request::Kick:
        return QStringLiteral("kick");
    case Request::RemoveRoom:
        return QStringLiteral("removeRoom");
    }
    return {};
}

QByteArray Protocol::request(Request::Type type, std::optional<qint64> id, QJsonObject fields)
{
    fields.insert(QStringLiteral("type"), typeName(type));
    if (id)
        fields.insert(QStringLiteral("id"), *id);
    return compact(fields);
}

QByteArray Protocol::authRequest(std::optional<qint64> id, const QString &token)
{
    return request(Request::Auth, id, {{QStringLiteral("token"), token}});
}

QByteArray Protocol::heartbeatRequest(
    qint64 id, const QString &roomId, const QString &sessionId, int interval, bool compactResult, bool away)
{
    QJsonObject fields {{QStringLiteral("roomId"), roomId}, {QStringLiteral("sessionId"), sessionId},
        {QStringLiteral("interval"), interval}};
    if (compactResult)
        fields.insert(QStringLiteral("compact"), true);
    if (away)
        fields.insert(QStringLiteral("away"), true);
    return request(Request::Heartbeat, id, fields);
}

QByteArray Protocol::listRequest(qint64 id, const QString &roomToken, int limit, bool counts)
{
    QJsonObject fields {{QStringLiteral("roomToken"), roomToken}, {QStringLiteral("limit"), limit}};
    if (counts)
        fields.insert(QStringLiteral("counts"), true);
    return request(Request::List, id, fields);
}

QByteArray Protocol::subscribeRequest(qint64 id, const QString &roomToken, int limit, bool counts)
{
    QJsonObject fields {{QStringLiteral("roomToken"), roomToken}, {QStringLiteral("limit"), limit}};
    if (counts)
        fields.insert(QStringLiteral("counts"), true);
    return request(Request::Subscribe, id, fields);
}

QByteArray Protocol::listRoomRequest(qint64 id, const QString &roomId, int limit, bool counts)
{
    QJsonObject fields {{QStringLiteral("roomId"), roomId}, {QStringLiteral("limit"), limit}};
    if (counts)
        fields.insert(QStringLiteral("counts"), true);
    return request(Request::List, id, fields);
}

QByteArray Protocol::subscribeRoomRequest(qint64 id, const QString &roomId, int limit, bool counts)
{
    QJsonObject fields {{QStringLiteral("roomId"), roomId}, {QStringLiteral("limit"), limit}};
    if (counts)
        fields.insert(QStringLiteral("counts"), true);
    return request(Request::Subscribe, id, fields);
}

QByteArray Protocol::unsubscribeRequest(qint64 id, qint64 subscription)
{
    return request(Request::Unsubscribe, id, {{QStringLiteral("sub"), subscription}});
}

QByteArray Protocol::disconnectRequest(qint64 id, const QString &sessionToken)
{
    return request(Request::Disconnect, id, {{QStringLiteral("sessionToken"), sessionToken}});
}

QByteArray Protocol::kickRequest(qint64 id, const QString &roomId, const QString &userId)
{
    return request(Request::Kick, id, {{QStringLiteral("roomId"), roomId}, {QStringLiteral("userId"), userId}});
}

QByteArray Protocol::removeRoomRequest(qint64 id, const QString &roomId)
{
    return request(Request::RemoveRoom, id, {{QStringLiteral("roomId"), roomId}});
}

QByteArray Protocol::onlineRequest(qint64 id, int limit, const QString &cursor)
{
    QJsonObject fields {{QStringLiteral("limit"), limit}};
    if (!cursor.isEmpty())
        fields.insert(QStringLiteral("cursor"), cursor);
    return request(Request::Online, id, fields);
}

QByteArray Protocol::whereisRequest(qint64 id, const QString &userId)
{
    return request(Request::WhereIs, id, {{QStringLiteral("userId"), userId}});
}

QByteArray Protocol::updateRequest(qint64 id, const QString &sessionToken, const QJsonObject &data)
{
    return request(
        Request::Update, id, {{QStringLiteral("sessionToken"), sessionToken}, {QStringLiteral("data"), data}});
}

Result<Protocol::RoomRef> Protocol::roomRef(const QJsonObject &fields)
{
    const bool hasToken = fields.contains(QLatin1String("roomToken"));
    const bool hasId = fields.contains(QLatin1String("roomId"));
    if (hasToken && hasId) {
        return Error(
            Error::InvalidArgument, QStringLiteral("give roomToken or roomId, not both: they may name two rooms"));
    }
    if (!hasToken && !hasId)
        return Error(Error::InvalidArgument, QStringLiteral("roomToken (or roomId) is required"));
    const Result<QString> name
        = hasId ? string(fields, "roomId", Engine::MaxRoomIdLength) : string(fields, "roomToken", MaxTokenLength);
    if (!name)
        return name.error();
    return RoomRef {name.value(), hasId};
}

Result<QJsonObject> Protocol::object(const QJsonObject &fields, const char *name)
{
    const QJsonValue value = fields.value(QLatin1String(name));
    if (value.isUndefined())
        return Error(Error::InvalidArgument, QStringLiteral("%1 is required").arg(QLatin1String(name)));
    if (value.isNull())
        return QJsonObject();
    if (!value.isObject())
        return Error(
            Error::InvalidArgument, QStringLiteral("%1 must be a JSON object or null").arg(QLatin1String(name)));
    return value.toObject();
}

QByteArray Protocol::beaconBody(const QString &sessionToken)
{
    return compact({{QStringLiteral("sessionToken"), sessionToken}});
}

namespace {

Reply invalidReply(std::optional<qint64> id, const QString &message)
{
    Reply reply;
    reply.id = id;
    reply.error = Error(Error::Internal, QStringLiteral("malformed reply from the server: %1").arg(message));
    return reply;
}

} // namespace

Reply Protocol::parseReply(const QByteArray &frame)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(frame, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return invalidReply(std::nullopt, QStringLiteral("not a JSON object"));
    const QJsonObject object = document.object();

    Reply reply;
    const QJsonValue id = object.value(QLatin1String("id"));
    if (!id.isUndefined()) {
        reply.id = integerValue(id);
        if (!reply.id)
            return invalidReply(std::nullopt, QStringLiteral("id is not an integer"));
    }
    const QString type = object.value(QLatin1String("type")).toString();
    if (type == QLatin1String("result")) {
        if (!reply.id)
            return invalidReply(std::nullopt, QStringLiteral("result without an id"));
        reply.kind = Reply::Result;
        reply.result = object.value(QLatin1String("result"));
        return reply;
    }
    if (type == QLatin1String("error")) {
        const QJsonValue error = object.value(QLatin1String("error"));
        const QJsonValue code = error.toObject().value(QLatin1String("code"));
        const QJsonValue message = error.toObject().value(QLatin1String("message"));
        if (!error.isObject() || !code.isString() || !(message.isString() || message.isUndefined()))
            return invalidReply(reply.id, QStringLiteral("error without a code"));
        reply.kind = Reply::Error;
        reply.error = Error(Error::codeFromName(code.toString()), message.toString());
        return reply;
    }
    if (type == QLatin1String("diff")) {
        const std::optional<qint64> sub = integerValue(object.value(QLatin1String("sub")));
        if (!sub)
            return invalidReply(std::nullopt, QStringLiteral("diff without a subscription"));
        // A broken diff still says whose it was: its subscription's owner hears of it.
        const auto brokenDiff = [&](const QString &what) {
            Reply broken = invalidReply(std::nullopt, what);
            broken.subscription = *sub;
            return broken;
        };
        reply.subscription = *sub;
        const QJsonValue upsert = object.value(QLatin1String("upsert"));
        if (!upsert.isUndefined()) {
            const std::optional<QList<Member>> members = membersFrom(upsert);
            if (!members)
                return brokenDiff(QStringLiteral("diff with a bad member"));
            reply.diff.upserted = *members;
        }
        const QJsonValue remove = object.value(QLatin1String("remove"));
        if (!remove.isUndefined() && !remove.isArray())
            return brokenDiff(QStringLiteral("diff with a bad remove list"));
        for (const QJsonValue &userId : remove.toArray()) {
            if (!userId.isString() || userId.toString().isEmpty())
                return brokenDiff(QStringLiteral("diff with a bad userId to remove"));
            reply.diff.removed.append(userId.toString());
        }
        const QJsonValue online = object.value(QLatin1String("online"));
        const QJsonValue total = object.value(QLatin1String("total"));
        if (!online.isUndefined() || !total.isUndefined()) {
            const std::optional<qint64> o = integerValue(online);
            const std::optional<qint64> t = integerValue(total);
            if (!o || !t || *o < 0 || *t < *o || *t > std::numeric_limits<int>::max())
                return brokenDiff(QStringLiteral("diff with bad counts"));
            reply.diff.counts = RoomCounts {int(*o), int(*t)};
        }
        reply.kind = Reply::Diff;
        reply.id.reset();
        return reply;
    }
    if (type == QLatin1String("kicked")) {
        const QJsonValue roomId = object.value(QLatin1String("roomId"));
        if (!roomId.isString() || roomId.toString().isEmpty())
            return invalidReply(std::nullopt, QStringLiteral("kicked without a roomId"));
        reply.kind = Reply::Kicked;
        reply.id.reset();
        reply.roomId = roomId.toString();
        return reply;
    }
    return invalidReply(reply.id, QStringLiteral("unknown type \"%1\"").arg(type.left(64)));
}

std::optional<Member> Protocol::memberFrom(const QJsonValue &value)
{
    const QJsonObject o = value.toObject();
    const QJsonValue userId = o.value(QLatin1String("userId"));
    const QJsonValue online = o.value(QLatin1String("online"));
    const QJsonValue last = o.value(QLatin1String("lastDisconnected"));
    const QJsonValue name = o.value(QLatin1String("name"));
    const QJsonValue image = o.value(QLatin1String("image"));
    const QJsonValue away = o.value(QLatin1String("away")); // absent from servers before 0.2
    const QJsonValue data = o.value(QLatin1String("data")); // present when the member set some
    if (!value.isObject() || !userId.isString() || userId.toString().isEmpty() || !online.isBool()
        || !integerValue(last) || !(name.isUndefined() || name.isString()) || !(image.isUndefined() || image.isString())
        || !(away.isUndefined() || away.isBool()) || !(data.isUndefined() || data.isObject())) {
        return std::nullopt;
    }
    Member m;
    m.userId = userId.toString();
    m.online = online.toBool();
    m.lastDisconnected = *integerValue(last);
    m.name = name.toString();
    m.image = image.toString();
    m.away = away.toBool();
    m.data = data.toObject();
    return m;
}

std::optional<QList<Member>> Protocol::membersFrom(const QJsonValue &value)
{
    if (!value.isArray())
        return std::nullopt;
    QList<Member> list;
    for (const QJsonValue &v : value.toArray()) {
        const std::optional<Member> m = memberFrom(v);
        if (!m)
            return std::nullopt;
        list.append(*m);
    }
    return list;
}

std::optional<std::pair<QList<Member>, RoomCounts>> Protocol::membersWithCountsFrom(const QJsonValue &value)
{
    const QJsonObject o = value.toObject();
    const std::optional<QList<Member>> list = membersFrom(o.value(QLatin1String("members")));
    const std::optional<qint64> online = integerValue(o.value(QLatin1String("online")));
    const std::optional<qint64> total = integerValue(o.value(QLatin1String("total")));
    if (!value.isObject() || !list || !online || !total || *online < 0 || *total < *online
        || *total > std::numeric_limits<int>::max()) {
        return std::nullopt;
    }
    return std::make_pair(*list, RoomCounts {int(*online), int(*total)});
}

std::optional<QStringList> Protocol::roomsFrom(const QJsonValue &value)
{
    const QJsonValue rooms = value.isObject() ? value.toObject().value(QLatin1String("rooms")) : value;
    if (!rooms.isArray())
        return std::nullopt;
    QStringList list;
    for (const QJsonValue &room : rooms.toArray()) {
        if (!room.isString() || room.toString().isEmpty())
            return std::nullopt;
        list.append(room.toString());
    }
    return list;
}

std::optional<OnlinePage> Protocol::onlinePageFrom(const QJsonValue &value)
{
    const QJsonObject o = value.toObject();
    const QJsonValue users = o.value(QLatin1String("users"));
    const QJsonValue cursor = o.value(QLatin1String("cursor"));
    if (!value.isObject() || !users.isArray() || !(cursor.isUndefined() || cursor.isString()))
        return std::nullopt;
    OnlinePage page;
    page.cursor = cursor.toString();
    for (const QJsonValue &v : users.toArray()) {
        const QJsonObject u = v.toObject();
        const QJsonValue userId = u.value(QLatin1String("userId"));
        const QJsonValue name = u.value(QLatin1String("name"));
        const QJsonValue image = u.value(QLatin1String("image"));
        const QJsonValue away = u.value(QLatin1String("away"));
        const std::optional<QStringList> rooms = roomsFrom(u.value(QLatin1String("rooms")));
        if (!v.isObject() || !userId.isString() || userId.toString().isEmpty()
            || !(name.isUndefined() || name.isString()) || !(image.isUndefined() || image.isString()) || !away.isBool()
            || !rooms) {
            return std::nullopt;
        }
        page.users.append({userId.toString(), name.toString(), image.toString(), away.toBool(), *rooms});
    }
    return page;
}

std::optional<HeartbeatResult> Protocol::heartbeatResultFrom(const QJsonValue &value)
{
    const QJsonObject o = value.toObject();
    const QString roomToken = o.value(QLatin1String("roomToken")).toString();
    const QString sessionToken = o.value(QLatin1String("sessionToken")).toString();
    if (roomToken.isEmpty() || sessionToken.isEmpty() || roomToken.size() > MaxTokenLength
        || sessionToken.size() > MaxTokenLength) {
        return std::nullopt;
    }
    return HeartbeatResult {roomToken, sessionToken};
}

} // namespace Presence
