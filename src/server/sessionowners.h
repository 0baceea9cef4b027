#pragma once

#include <QHash>
#include <QString>

namespace Presence {

class Backend;
class Connection;

/// Which connection looks after each session: the last one that heartbeated it. When that
/// connection closes without a disconnect, its sessions get the close grace; a heartbeat from
/// another connection (a reconnect that raced the old socket's close) takes a session over.
class SessionOwners
{
public:
    explicit SessionOwners(Backend *backend);

    /// `connection` (alive) now looks after the session; the previous owner forgets it.
    void claim(const QString &sessionToken, Connection *connection);
    /// The connection that looks after the session, if any.
    Connection *owner(const QString &sessionToken) const { return m_owners.value(sessionToken); }
    /// The session ended: its owner forgets it.
    void release(const QString &sessionToken);
    /// Drops the sessions `connection` holds that have ended; returns how many remain.
    int prune(Connection *connection);
    /// `connection` closed: the sessions it still looked after end within `graceMs`, or keep
    /// their deadlines when `graceMs` is negative (a shutdown: clients come back within them).
    void closed(Connection *connection, int graceMs);
    void clear() { m_owners.clear(); }
    /// How many sessions connections look after.
    int count() const { return int(m_owners.size()); }

private:
    Backend *m_backend;
    QHash<QString, Connection *> m_owners;
};

} // namespace Presence
