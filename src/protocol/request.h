#pragma once

#include "error.h"

#include <QJsonObject>

#include <optional>

namespace Presence {

/// One client frame after parsing: its type, its id when it has one, and its fields.
/// A frame that could not be understood has type Invalid and says why in `error`.
struct Request
{
    enum Type {
        Invalid,
        Auth,
        Heartbeat,
        List,
        Subscribe,
        Unsubscribe,
        Disconnect,
        Update,
        Online,
        WhereIs,
        Kick,
        RemoveRoom,
        LastType = RemoveRoom, ///< the last of the types above
    };

    Type type = Invalid;
    std::optional<qint64> id;
    QJsonObject fields;
    Error error;
};

} // namespace Presence
