#pragma once

// Not part of the installed API.

#include "presenceclient_export.h"
#include "transport_p.h"

#include <QHash>
#include <QList>
#include <QPointer>

#include <optional>

namespace Presence {

/// A WebSocket transport's subscriptions: each handle a room holds, the id the server knows
/// it by on the current connection, and whether the server has confirmed it. A connection
/// that drops forgets the server's side; the next one subscribes again.
class PRESENCECLIENT_AUTOTEST_EXPORT SubscriptionTable
{
public:
    struct Entry
    {
        QString roomToken;
        int limit = 0;
        QPointer<QObject> context;
        Transport::ListDone list;
        Transport::DiffHandler diff;
        qint64 serverId = 0; // the subscribe request's id on the current connection
        bool confirmed = false; // the server answered it with a list
        QString roomId = QString(); // set instead of roomToken: a peek at the room of this id
    };

    /// A new subscription; returns its handle.
    int add(Entry entry);
    Entry *find(int handle);
    /// The subscription whose subscribe request had this id on this connection.
    Entry *byServerId(qint64 serverId);
    /// Its subscribe request went out with this id.
    void sent(int handle, qint64 serverId);
    /// The server refused it: it is sent again after the next authentication.
    void refused(int handle);
    /// Forgets it; the id the server holds it by, if the server may still hold it.
    std::optional<qint64> remove(int handle);
    /// Handles the server does not hold on this connection.
    QList<int> unconfirmed() const;

    /// An unsubscribe refused (expired token): sent again after the next authentication.
    void unsubscribeLater(qint64 serverId) { m_unsubscribeLater.append(serverId); }
    QList<qint64> takeUnsubscribesLater() { return std::exchange(m_unsubscribeLater, {}); }

    /// The connection is gone, and the server's subscriptions with it.
    void connectionLost();

private:
    int m_nextHandle = 1;
    QHash<int, Entry> m_entries;
    QHash<qint64, int> m_byServerId;
    QList<qint64> m_unsubscribeLater;
};

} // namespace Presence
