#pragma once

#include "result.h"
#include "storesnapshot.h"

namespace Presence {

/// Where the engine keeps what must survive a restart.
///
/// The engine holds the live state in memory and writes through this interface as it
/// changes. A store may group writes into a transaction: commit() makes everything
/// written so far durable at once; otherwise the store commits pending writes on its
/// own within a short delay. Write methods return false on failure (see lastError()).
class Store
{
public:
    virtual ~Store() = default;

    virtual Result<StoreSnapshot> load() = 0;

    virtual bool writePresence(const StoreSnapshot::PresenceRow &row) = 0;
    virtual bool writeRoomToken(const QString &roomId, const QString &organization, const QString &token) = 0;
    virtual bool insertSession(const StoreSnapshot::SessionRow &session) = 0;
    virtual bool writeDeadline(const QString &sessionId, qint64 deadline) = 0;
    /// Removes the session, its token and its timeout.
    virtual bool removeSession(const QString &sessionId) = 0;
    /// Inserts or replaces the user of user.organization keyed by workosId, or by email when
    /// it has no workosId.
    virtual bool writeUser(const User &user) = 0;

    /// Removes one user's row of `presence` (retention: an offline member gone long ago).
    virtual bool removePresence(const QString &roomId, const QString &userId) = 0;
    /// Removes a room's token: the room is gone (no members, no watchers).
    virtual bool removeRoom(const QString &roomId) = 0;
    /// Removes a user row of an organization (one that came from a token's claims).
    virtual bool removeUser(const QString &organization, const QString &workosId) = 0;

    /// Appends a member event to the outbox, in the transaction of the change it tells of, and
    /// sets its id.
    virtual bool appendEvent(MemberEvent *event) = 0;
    /// Removes the events of the outbox up to and including `id`: they were handled.
    virtual bool removeEvents(qint64 upToId) = 0;

    virtual bool commit() = 0;
    /// Commits, with whatever the store holds back to write later (deadlines): before the
    /// engine stops.
    virtual bool flush() { return commit(); }
    virtual QString lastError() const = 0;
};

} // namespace Presence
