#pragma once

#include "error.h"
#include "member.h"
#include "memberdiff.h"
#include "request.h"
#include "result.h"

#include <QByteArray>
#include <QJsonValue>

#include <optional>

namespace Presence {

/// The JSON wire format of /ws (docs/protocol.md): parsing requests and writing replies.
class Protocol
{
public:
    /// Ids are integers a JSON number represents exactly.
    static constexpr qint64 MaxId = (qint64(1) << 53) - 1;

    static Request parseRequest(const QByteArray &frame);
    /// The integer a JSON value holds exactly (|n| ≤ MaxId), if it does.
    static std::optional<qint64> integerValue(const QJsonValue &value);

    /// A required string field of at most `maxLength` characters.
    static Result<QString> string(const QJsonObject &fields, const char *name, int maxLength);
    /// An optional integer field in [min, max], `fallback` when absent.
    static Result<int> integer(const QJsonObject &fields, const char *name, int fallback, int min, int max);

    static QByteArray result(qint64 id, const QJsonValue &result);
    /// `{"id":N,"type":"result"}`: "done, nothing new" (a compact heartbeat answer).
    static QByteArray compactResult(qint64 id);
    static QByteArray error(std::optional<qint64> id, const Error &error);
    /// A subscription push; empty lists are left out.
    static QByteArray diff(qint64 subscription, const MemberDiff &diff);

    static QJsonObject member(const Member &member);
    static QJsonArray members(const QList<Member> &members);
};

} // namespace Presence
