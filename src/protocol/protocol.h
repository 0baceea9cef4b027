#pragma once

#include "error.h"
#include "heartbeatresult.h"
#include "member.h"
#include "memberdiff.h"
#include "onlineuser.h"
#include "reply.h"
#include "request.h"
#include "result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>

#include <optional>

namespace Presence {

/// The JSON wire format of /ws (docs/protocol.md), both ways: the server parses requests and
/// writes replies with it, clients write requests and parse replies with it. Everything read
/// is checked: a frame that does not fit is an error, never data.
class Protocol
{
public:
    /// Ids are integers a JSON number represents exactly.
    static constexpr qint64 MaxId = (qint64(1) << 53) - 1;
    /// Room and session tokens the server hands out are shorter than this.
    static constexpr int MaxTokenLength = 128;

    // The server's side.
    static Request parseRequest(const QByteArray &frame);
    /// The integer a JSON value holds exactly (|n| ≤ MaxId), if it does.
    static std::optional<qint64> integerValue(const QJsonValue &value);

    /// A required string field of at most `maxLength` characters.
    static Result<QString> string(const QJsonObject &fields, const char *name, int maxLength);
    /// An optional integer field in [min, max], `fallback` when absent.
    static Result<int> integer(const QJsonObject &fields, const char *name, int fallback, int min, int max);
    /// The room a list or subscribe names: by `roomToken` (from a heartbeat), or by `roomId`
    /// in the caller's organization (peeking, without joining).
    struct RoomRef
    {
        QString name;
        bool byId = false;
    };
    /// Exactly one of `roomToken` and `roomId`.
    static Result<RoomRef> roomRef(const QJsonObject &fields);
    /// A required field that is a JSON object, or null for an empty one.
    static Result<QJsonObject> object(const QJsonObject &fields, const char *name);
    /// An optional boolean field, `fallback` when absent.
    static Result<bool> boolean(const QJsonObject &fields, const char *name, bool fallback);

    static QByteArray result(qint64 id, const QJsonValue &result);
    /// `{"id":N,"type":"result"}`: "done, nothing new" (a compact heartbeat answer).
    static QByteArray compactResult(qint64 id);
    static QByteArray error(std::optional<qint64> id, const Error &error);
    /// A subscription push; empty lists are left out.
    static QByteArray diff(qint64 subscription, const MemberDiff &diff);

    /// `{"type":"kicked","roomId":…}`: an administrator ended this connection's sessions in the room.
    static QByteArray kicked(const QString &roomId);

    static QJsonObject member(const Member &member);
    static QJsonArray members(const QList<Member> &members);
    /// `{"users":[…],"cursor":"…"}`: the answer to online (the cursor while more follow).
    static QJsonObject onlinePage(const OnlinePage &page);
    /// `{"members":[…],"online":N,"total":M}`: the answer to a list or subscribe with counts.
    static QJsonObject membersWithCounts(const QList<Member> &members, const RoomCounts &counts);

    // A client's side.
    /// A request frame: `fields` with the type's wire name and, if given, the id.
    static QByteArray request(Request::Type type, std::optional<qint64> id, QJsonObject fields = {});
    static QByteArray authRequest(std::optional<qint64> id, const QString &token);
    /// `compact`: later heartbeats of a session already told may be answered with a bare result.
    /// `away`: the window is idle (sent only when true, so old servers see what they know).
    static QByteArray heartbeatRequest(qint64 id, const QString &roomId, const QString &sessionId, int interval,
        bool compact = true, bool away = false);
    /// `counts`: the answer is `{"members":[…],"online":N,"total":M}` (membersWithCountsFrom()).
    static QByteArray listRequest(qint64 id, const QString &roomToken, int limit, bool counts = false);
    /// `counts`: as listRequest(), and the diffs carry the counts whenever they change.
    static QByteArray subscribeRequest(qint64 id, const QString &roomToken, int limit, bool counts = false);
    /// list and subscribe of a room by its id, peeking without joining.
    static QByteArray listRoomRequest(qint64 id, const QString &roomId, int limit, bool counts = false);
    static QByteArray subscribeRoomRequest(qint64 id, const QString &roomId, int limit, bool counts = false);
    static QByteArray unsubscribeRequest(qint64 id, qint64 subscription);
    static QByteArray disconnectRequest(qint64 id, const QString &sessionToken);
    /// A page of who is online in the organization; `cursor` from the page before, or empty.
    static QByteArray onlineRequest(qint64 id, int limit, const QString &cursor = {});
    static QByteArray whereisRequest(qint64 id, const QString &userId);
    /// Administration: end a user's sessions in a room; forget a room.
    static QByteArray kickRequest(qint64 id, const QString &roomId, const QString &userId);
    static QByteArray removeRoomRequest(qint64 id, const QString &roomId);
    /// Sets the caller's data in the session's room; an empty object clears it.
    static QByteArray updateRequest(qint64 id, const QString &sessionToken, const QJsonObject &data);
    /// The body of `POST /disconnect`.
    static QByteArray beaconBody(const QString &sessionToken);

    static Reply parseReply(const QByteArray &frame);
    /// A member as the server writes it; nullopt if the value is not one.
    static std::optional<Member> memberFrom(const QJsonValue &value);
    static std::optional<QList<Member>> membersFrom(const QJsonValue &value);
    /// The answer to a list or subscribe with counts; nullopt if it does not fit.
    static std::optional<std::pair<QList<Member>, RoomCounts>> membersWithCountsFrom(const QJsonValue &value);
    /// The answer to online; nullopt if it does not fit.
    static std::optional<OnlinePage> onlinePageFrom(const QJsonValue &value);
    /// The answer to whereis: the roomIds; nullopt if it does not fit.
    static std::optional<QStringList> roomsFrom(const QJsonValue &value);
    /// A heartbeat's full result; nullopt unless both tokens are there and of a sane length.
    static std::optional<HeartbeatResult> heartbeatResultFrom(const QJsonValue &value);

    /// The wire name of a request type ("heartbeat", ...).
    static QString typeName(Request::Type type);
};

} // namespace Presence
