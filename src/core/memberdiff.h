#pragma once

#include "member.h"
#include "roomcounts.h"

#include <optional>

#include <QStringList>

namespace Presence {

/// What changed in the part of a room's list an observer sees.
///
/// `upserted` are members that entered the view or whose fields changed, in list order;
/// `removed` are userIds that left the view. Positions follow from the list's order:
/// a member that stays online keeps its place, one that comes online goes after the
/// other online members, offline members are ordered by lastDisconnected, newest first
/// (ties by userId).
struct MemberDiff
{
    QList<Member> upserted;
    QStringList removed;
    /// For a subscription that asked for counts: the room's counts, when they changed.
    std::optional<RoomCounts> counts = std::nullopt;

    bool isEmpty() const { return upserted.isEmpty() && removed.isEmpty() && !counts; }
};

} // namespace Presence

Q_DECLARE_METATYPE(Presence::MemberDiff)
