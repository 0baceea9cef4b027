#include "protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>

namespace Presence {

namespace {

} // namespace

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
    static const QHash<QString, Request::Type> types {
        {QStringLiteral("auth"), Request::Auth},
        {QStringLiteral("heartbeat"), Request::Heartbeat},
        {QStringLiteral("list"), Request::List},
        {QStringLiteral("subscribe"), Request::Subscribe},
        {QStringLiteral("unsubscribe"), Request::Unsubscribe},
        {QStringLiteral("disconnect"), Request::Disconnect},
    };
    const QString name = type.toString();
    request.type = types.value(name, Request::Invalid);
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
    return compact(frame);
}

QJsonObject Protocol::member(const Member &member)
{
    QJsonObject object {{QStringLiteral("userId"), member.userId}, {QStringLiteral("online"), member.online},
        {QStringLiteral("lastDisconnected"), member.lastDisconnected}};
    if (!member.name.isEmpty())
        object.insert(QStringLiteral("name"), member.name);
    if (!member.image.isEmpty())
        object.insert(QStringLiteral("image"), member.image);
    return object;
}

QJsonArray Protocol::members(const QList<Member> &members)
{
    QJsonArray array;
    for (const Member &m : members)
        array.append(member(m));
    return array;
}

} // namespace Presence
