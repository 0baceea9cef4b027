#pragma once

#include <QString>

namespace Presence {

/// What heartbeat() returns: the room's stable token (for list/subscribe) and the
/// session's token (the capability to disconnect it, e.g. from a beacon).
struct HeartbeatResult
{
    QString roomToken;
    QString sessionToken;
};

} // namespace Presence
