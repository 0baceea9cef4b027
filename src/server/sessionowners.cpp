#include "sessionowners.h"

#include "backend.h"
#include "connection.h"

namespace Presence {

SessionOwners::SessionOwners(Backend *backend)
    : m_backend(backend)
{
}

void SessionOwners::claim(const QString &sessionToken, Connection *connection)
{
    Connection *&owner = m_owners[sessionToken];
    if (owner && owner != connection)
        owner->forgetSession(sessionToken);
    owner = connection;
}

void SessionOwners::release(const QString &sessionToken)
{
    if (Connection *owner = m_owners.take(sessionToken))
        owner->forgetSession(sessionToken);
}

int SessionOwners::prune(Connection *connection)
{
    const std::vector<QString> tokens = connection->sessions();
    for (const QString &token : tokens) {
        if (!m_backend->mayHaveSession(token)) {
            connection->forgetSession(token);
            if (m_owners.value(token) == connection)
                m_owners.remove(token);
        }
    }
    return int(connection->sessions().size());
}

void SessionOwners::closed(Connection *connection, int graceMs)
{
    // Unless another socket heartbeated them since.
    for (const QString &token : connection->sessions()) {
        if (m_owners.value(token) != connection)
            continue;
        m_owners.remove(token);
        if (graceMs >= 0)
            m_backend->expireWithin(token, graceMs);
    }
}

} // namespace Presence
