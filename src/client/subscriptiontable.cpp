#include "subscriptiontable_p.h"

namespace Presence {

int SubscriptionTable::add(Entry entry)
{
    const int handle = m_nextHandle++;
    m_entries.insert(handle, std::move(entry));
    return handle;
}

SubscriptionTable::Entry *SubscriptionTable::find(int handle)
{
    const auto it = m_entries.find(handle);
    return it == m_entries.end() ? nullptr : &it.value();
}

SubscriptionTable::Entry *SubscriptionTable::byServerId(qint64 serverId)
{
    const auto handle = m_byServerId.constFind(serverId);
    return handle == m_byServerId.cend() ? nullptr : find(*handle);
}

void SubscriptionTable::sent(int handle, qint64 serverId)
{
    if (Entry *entry = find(handle)) {
        entry->serverId = serverId;
        entry->confirmed = false;
        m_byServerId.insert(serverId, handle);
    }
}

void SubscriptionTable::refused(int handle)
{
    if (Entry *entry = find(handle))
        m_byServerId.remove(entry->serverId);
}

std::optional<qint64> SubscriptionTable::remove(int handle)
{
    const auto it = m_entries.find(handle);
    if (it == m_entries.end())
        return std::nullopt;
    const qint64 serverId = it->serverId;
    m_entries.erase(it);
    if (m_byServerId.remove(serverId))
        return serverId;
    return std::nullopt;
}

QList<int> SubscriptionTable::unconfirmed() const
{
    QList<int> handles;
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        if (!it->confirmed)
            handles.append(it.key());
    }
    return handles;
}

void SubscriptionTable::connectionLost()
{
    m_byServerId.clear();
    for (Entry &entry : m_entries)
        entry.confirmed = false;
    m_unsubscribeLater.clear(); // the server dropped them with the socket
}

} // namespace Presence
