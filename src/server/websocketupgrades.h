#pragma once

#include "identity.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <optional>

class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace Presence {

class IncomingConnection;
class Metrics;

/// The sockets between an upgrade request and the WebSocket it becomes: handed to
/// QWebSocketServer for its handshake, held to the deadline they were accepted with, and
/// given back with the identity their Authorization header proved, matched by peer address
/// and port, when QWebSocketServer hands out the WebSocket.
class WebSocketUpgrades : public QObject
{
    Q_OBJECT
public:
    WebSocketUpgrades(QWebSocketServer *webSockets, Metrics *metrics, QObject *parent = nullptr);

    /// Takes the socket of an upgrade request from `incoming` and starts its handshake.
    void handOver(IncomingConnection *incoming, const std::optional<Identity> &identity);

    struct Upgraded
    {
        QPointer<QTcpSocket> tcp; ///< the accepted socket under the WebSocket
        std::optional<Identity> identity; ///< from the upgrade's Authorization header
    };
    /// What is known of a WebSocket QWebSocketServer has just handed out; its bookkeeping ends.
    Upgraded take(QWebSocket *socket);

    /// Sockets in the handshake now.
    int count() const { return int(m_handshaking.size()); }

private:
    QWebSocketServer *m_webSockets;
    Metrics *m_metrics;
    // By peer; a failed handshake deletes the socket.
    QHash<QString, QPointer<QTcpSocket>> m_handshaking;
    QHash<QString, std::pair<QTcpSocket *, Identity>> m_identities;
};

} // namespace Presence
