#pragma once

#include "memberdiff.h"

#include <QByteArray>

namespace Presence {

/// Writes diff frames (the same bytes as Protocol::diff) for the subscribers of a room.
///
/// A change reaches every subscriber of its room as a copy of one MemberDiff, whose lists
/// share their data. The encoder writes the JSON of those lists once and gives each subscriber
/// the same bytes around its own `sub` (and counts): in a room of ten, one push used to cost
/// 28 µs, 16 of them writing the same members again (scripts/bench, bench/README.md).
class DiffEncoder
{
public:
    QByteArray frame(qint64 subscription, const MemberDiff &diff);

private:
    // Held, so that lists sharing its data hold what was encoded: while it is alive their
    // storage cannot be freed and reused by other lists, and a change to them would detach.
    MemberDiff m_last;
    QByteArray m_upsert;
    QByteArray m_remove;
};

} // namespace Presence
