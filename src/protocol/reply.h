#pragma once

#include "error.h"
#include "memberdiff.h"

#include <QJsonValue>

#include <optional>

namespace Presence {

/// One server frame after parsing, as a client sees it: an answer to a request (a result or
/// an error, with the request's id when the server could tie it to one) or a subscription's
/// push. A frame that does not fit the protocol has kind Invalid and says why in `error`.
struct Reply
{
    enum Kind {
        Invalid,
        Result,
        Error,
        Diff,
        Kicked, ///< an administrator ended this connection's sessions in `roomId`
    };

    Kind kind = Invalid;
    std::optional<qint64> id;
    /// Result: the value, undefined for a compact `{"id":N,"type":"result"}`.
    QJsonValue result;
    /// Error: what the server said; Invalid: what is wrong with the frame.
    Presence::Error error;
    /// Diff: the subscription (the subscribe request's id) and its change; also set on an
    /// Invalid frame that was a diff, so its owner can be told.
    qint64 subscription = 0;
    MemberDiff diff;
    /// Kicked: the room.
    QString roomId;
};

} // namespace Presence
