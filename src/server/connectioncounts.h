#pragma once

#include <QHash>
#include <QHostAddress>

namespace Presence {

/// How many sockets the server holds per peer address, and how many of them have not
/// authenticated yet: the numbers the per-address cap and the budget for strangers are
/// checked against. Shared (std::shared_ptr) by the server and every SocketBudget, so a
/// socket that outlives the server still counts itself out safely.
class ConnectionCounts
{
public:
    int ofPeer(const QHostAddress &address) const { return m_perPeer.value(address); }
    int unauthenticated() const { return m_unauthenticated; }
    int peers() const { return int(m_perPeer.size()); }

    void add(const QHostAddress &address)
    {
        ++m_perPeer[address];
        ++m_unauthenticated;
    }
    void authenticated() { --m_unauthenticated; }
    void remove(const QHostAddress &address, bool wasAuthenticated)
    {
        if (!wasAuthenticated)
            --m_unauthenticated;
        const auto it = m_perPeer.find(address);
        if (it != m_perPeer.end() && --*it <= 0)
            m_perPeer.erase(it);
    }

private:
    QHash<QHostAddress, int> m_perPeer;
    int m_unauthenticated = 0;
};

} // namespace Presence
