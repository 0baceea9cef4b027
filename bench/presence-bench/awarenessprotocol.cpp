#include "awarenessprotocol.h"

#include "lib0.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace Presence::Bench {

namespace {

// y-protocols message types; Hocuspocus uses the same numbers after the document name.
enum : quint64 { Sync = 0, Awareness = 1, Auth = 2 };
enum : quint64 { SyncStep1 = 0, SyncStep2 = 1 };
enum : quint64 { AuthToken = 0, AuthAuthenticated = 2 };

} // namespace

AwarenessProtocol::AwarenessProtocol(BenchEvents *events, Server server)
    : BenchProtocol(events)
    , m_server(server)
{
}

QNetworkRequest AwarenessProtocol::request(const BenchClient &client, const QUrl &base) const
{
    QUrl url = base;
    if (m_server == Server::YWebsocket)
        url.setPath(QLatin1Char('/') + client.roomId); // one connection per document
    return QNetworkRequest(url);
}

QByteArray AwarenessProtocol::message(const BenchClient &client, quint64 type) const
{
    QByteArray out;
    if (m_server == Server::Hocuspocus)
        Lib0::writeVarString(out, client.roomId); // Hocuspocus multiplexes documents
    Lib0::writeVarUint(out, type);
    return out;
}

void AwarenessProtocol::opened(BenchClient &client)
{
    client.awarenessUsers.clear();
    if (m_server == Server::Hocuspocus) {
        QByteArray auth = message(client, Auth);
        Lib0::writeVarUint(auth, AuthToken);
        Lib0::writeVarString(auth, QString());
        m_events->send(client, auth, true);
    }
    // Sync step 1 with the empty document's state vector, as a provider sends on connect.
    QByteArray sync = message(client, Sync);
    Lib0::writeVarUint(sync, SyncStep1);
    Lib0::writeVarBytes(sync, QByteArray(1, '\0'));
    m_events->send(client, sync, true);
    if (client.member)
        join(client);
    if (m_server == Server::YWebsocket)
        m_events->ready(client); // nothing is acknowledged
}

void AwarenessProtocol::sendState(BenchClient &client, bool present)
{
    QByteArray update;
    Lib0::writeVarUint(update, 1);
    Lib0::writeVarUint(update, quint32(client.index + 1)); // the Y.Doc's clientID
    Lib0::writeVarUint(update, ++client.clock);
    if (present) {
        // What apps put there: who the user is, for cursors and facepiles.
        const QJsonObject state {{QStringLiteral("user"),
            QJsonObject {{QStringLiteral("id"), client.userId}, {QStringLiteral("name"), client.userId}}}};
        Lib0::writeVarString(update, QString::fromUtf8(QJsonDocument(state).toJson(QJsonDocument::Compact)));
    } else {
        Lib0::writeVarString(update, QStringLiteral("null"));
    }
    QByteArray out = message(client, Awareness);
    Lib0::writeVarBytes(out, update);
    m_events->send(client, out, true);
}

void AwarenessProtocol::join(BenchClient &client)
{
    sendState(client, true);
}

bool AwarenessProtocol::renew(BenchClient &client)
{
    sendState(client, true); // y-protocols renews by setting the same state again
    return true;
}

void AwarenessProtocol::leave(BenchClient &client)
{
    sendState(client, false);
}

void AwarenessProtocol::received(BenchClient &client, const QByteArray &data)
{
    Lib0::Decoder in(data);
    if (m_server == Server::Hocuspocus)
        in.varString();
    const quint64 type = in.varUint();
    if (!in.ok())
        return m_events->failed(client, data.toHex());
    if (type == Sync) {
        if (in.varUint() == SyncStep1) {
            // Answer with the (empty) document, as Y.Doc does.
            QByteArray reply = message(client, Sync);
            Lib0::writeVarUint(reply, SyncStep2);
            Lib0::writeVarBytes(reply, QByteArray(2, '\0'));
            m_events->send(client, reply, true);
        }
    } else if (type == Auth) {
        if (in.varUint() == AuthAuthenticated)
            m_events->ready(client);
    } else if (type == Awareness && client.watcher) {
        Lib0::Decoder update(in.varBytes());
        const quint64 count = update.varUint();
        for (quint64 i = 0; i < count && update.ok(); ++i) {
            const auto id = quint32(update.varUint());
            update.varUint(); // clock
            const QByteArray state = update.varBytes();
            if (!update.ok())
                break;
            if (state == "null") {
                const QString userId = client.awarenessUsers.value(id);
                if (!userId.isEmpty())
                    m_events->seen(client, userId, false);
                continue;
            }
            const QString userId = QJsonDocument::fromJson(state)
                                       .object()
                                       .value(QLatin1String("user"))
                                       .toObject()
                                       .value(QLatin1String("id"))
                                       .toString();
            client.awarenessUsers.insert(id, userId);
            m_events->seen(client, userId, true);
        }
        if (!update.ok())
            m_events->failed(client, data.toHex());
    }
}

void AwarenessProtocol::closed(BenchClient &client)
{
    // Both providers drop every remote awareness state when their socket closes.
    if (client.watcher)
        m_events->replaced(client, {});
    client.awarenessUsers.clear();
}

QString AwarenessProtocol::describe() const
{
    return QStringLiteral("renew = awareness update with the same state (clock + 1), broadcast to the room; join = "
                          "first update; leave = null state");
}

} // namespace Presence::Bench
