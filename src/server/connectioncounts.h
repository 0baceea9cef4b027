#pragma once

#include <QHash>
#include <QHostAddress>

namespace Presence {

/// How many sockets the server holds per peer, and how many of them have not authenticated
/// yet, per peer and in all: the numbers the per-address caps and the budget for strangers
/// are checked against. Shared (std::shared_ptr) by the server and every SocketBudget, so a
/// socket that outlives the server still counts itself out safely.
///
/// A peer is an IPv4 address, or an IPv6 /64: one host usually has a whole /64 to pick
/// addresses from.
class ConnectionCounts
{
public:
    static QHostAddress peerOf(const QHostAddress &address)
    {
        if (address.protocol() != QAbstractSocket::IPv6Protocol)
            return address;
        bool isV4 = false;
        const quint32 v4 = address.toIPv4Address(&isV4);
        if (isV4)
            return QHostAddress(v4);
        Q_IPV6ADDR bytes = address.toIPv6Address();
        for (int i = 8; i < 16; ++i)
            bytes[i] = 0;
        return QHostAddress(bytes);
    }

    int ofPeer(const QHostAddress &address) const { return m_perPeer.value(peerOf(address)).all; }
    int unauthenticatedOfPeer(const QHostAddress &address) const
    {
        return m_perPeer.value(peerOf(address)).unauthenticated;
    }
    int unauthenticated() const { return m_unauthenticated; }
    int peers() const { return int(m_perPeer.size()); }

    void add(const QHostAddress &peer)
    {
        Count &count = m_perPeer[peer];
        ++count.all;
        ++count.unauthenticated;
        ++m_unauthenticated;
    }
    void authenticated(const QHostAddress &peer)
    {
        const auto it = m_perPeer.find(peer);
        if (it != m_perPeer.end())
            --it->unauthenticated;
        --m_unauthenticated;
    }
    void remove(const QHostAddress &peer, bool wasAuthenticated)
    {
        const auto it = m_perPeer.find(peer);
        if (!wasAuthenticated) {
            --m_unauthenticated;
            if (it != m_perPeer.end())
                --it->unauthenticated;
        }
        if (it != m_perPeer.end() && --it->all <= 0)
            m_perPeer.erase(it);
    }

private:
    struct Count
    {
        int all = 0;
        int unauthenticated = 0;
    };
    QHash<QHostAddress, Count> m_perPeer;
    int m_unauthenticated = 0;
};

} // namespace Presence
