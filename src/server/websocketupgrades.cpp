#include "websocketupgrades.h"

#include "incomingconnection.h"
#include "metrics.h"

#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

namespace Presence {

namespace {

QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + QLatin1Char('|') + QString::number(port);
}

} // namespace

WebSocketUpgrades::WebSocketUpgrades(QWebSocketServer *webSockets, Metrics *metrics, QObject *parent)
    : QObject(parent)
    , m_webSockets(webSockets)
    , m_metrics(metrics)
{
}

void WebSocketUpgrades::handOver(IncomingConnection *incoming, const std::optional<Identity> &identity)
{
    const int deadline = incoming->remainingTime();
    QTcpSocket *socket = incoming->takeUpgradeSocket();
    const QString key = peerKey(socket->peerAddress(), socket->peerPort());
    if (identity)
        m_identities.insert(key, {socket, *identity});
    m_handshaking.insert(key, socket);
    // QWebSocketServer's own handshake timeout does not cover sockets handed to
    // handleConnection(): the deadline the socket was accepted with still holds, here.
    // The socket has no parent during its handshake and may outlive this (a server going away).
    QTimer::singleShot(std::max(0, deadline), socket, [self = QPointer<WebSocketUpgrades>(this), key, socket] {
        if (!self)
            return;
        WebSocketUpgrades *const upgrades = self.data();
        if (upgrades->m_handshaking.value(key) == socket) {
            ++upgrades->m_metrics->closes["handshake_timeout"];
            socket->abort();
        }
    });
    connect(socket, &QObject::destroyed, this, [this, key, socket] {
        // Only this socket's entries: a later connection may reuse the peer's address and port.
        const auto it = m_identities.constFind(key);
        if (it != m_identities.cend() && it->first == socket)
            m_identities.erase(it);
        if (const auto h = m_handshaking.constFind(key); h != m_handshaking.cend() && h->isNull())
            m_handshaking.erase(h); // a handshake that failed or timed out
    });
    m_webSockets->handleConnection(socket);
}

WebSocketUpgrades::Upgraded WebSocketUpgrades::take(QWebSocket *socket)
{
    const QString key = peerKey(socket->peerAddress(), socket->peerPort());
    Upgraded upgraded;
    // The watch on the socket's destruction ends here. QWebSocketServer also stays connected
    // to every socket it upgraded, to delete it on disconnect, and its slot looks itself up
    // with sender(), which walks all of them: closing n sockets cost O(n²) (two seconds to
    // stop with 10 000 clients). The connection owns the socket instead.
    upgraded.tcp = m_handshaking.take(key);
    if (upgraded.tcp) {
        disconnect(upgraded.tcp, &QObject::destroyed, this, nullptr);
        disconnect(upgraded.tcp, nullptr, m_webSockets, nullptr);
    }
    if (const auto it = m_identities.constFind(key); it != m_identities.cend()) {
        upgraded.identity = it->second;
        m_identities.erase(it);
    }
    return upgraded;
}

} // namespace Presence
