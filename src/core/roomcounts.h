#pragma once

namespace Presence {

/// How many members a room has, whatever a list's limit: those online now, and all of them
/// (online, and offline ones not yet forgotten).
struct RoomCounts
{
    int online = 0;
    int total = 0;

    friend bool operator==(const RoomCounts &a, const RoomCounts &b)
    {
        return a.online == b.online && a.total == b.total;
    }
    friend bool operator!=(const RoomCounts &a, const RoomCounts &b) { return !(a == b); }
};

} // namespace Presence
