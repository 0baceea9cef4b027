#pragma once

#include "httprequest.h"

#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace Presence {

/// A socket whose first request has not been read yet. It reads each piece once into an
/// incremental http-parser until there is a whole request; a WebSocket upgrade is handed to
/// QWebSocketServer with its head rebuilt (CRLF line ends, the handshake's headers only) and
/// any bytes after it put back; plain HTTP is answered here and the socket closed. One
/// deadline, set when the socket was accepted, covers the request and the upgrade.
class IncomingConnection : public QObject
{
    Q_OBJECT
public:
    /// The most bytes one request may take, head and body.
    static constexpr qint64 MaxRequestSize = HttpRequest::MaxHeadSize + HttpRequest::MaxBodySize + 1024;

    IncomingConnection(QTcpSocket *socket, int timeoutMs, QObject *parent = nullptr);
    ~IncomingConnection() override;

    QTcpSocket *socket() const { return m_socket; }
    /// Gives the socket up, untouched, and schedules this object's deletion.
    QTcpSocket *takeSocket();
    /// Gives the socket up for QWebSocketServer with the request cut down to the handshake's own
    /// headers: QWebSocket keeps the request it was made from (every header, the bearer token
    /// too) for the connection's life.
    QTcpSocket *takeUpgradeSocket();
    /// Milliseconds left of the deadline the socket was accepted with.
    int remainingTime() const { return m_timer.remainingTime(); }
    /// Answers with `status` and closes the socket once the answer is sent.
    void respond(int status, const QByteArray &contentType, const QByteArray &body, const QByteArray &headers = {});

Q_SIGNALS:
    void requestReceived(Presence::IncomingConnection *connection, const Presence::HttpRequest &request);

private:
    void onReadyRead();

    QTcpSocket *m_socket;
    QTimer m_timer;
    HttpRequest m_request;
    qint64 m_received = 0;
    QByteArray m_afterHead; ///< bytes that came after an upgrade's head
    bool m_done = false;
};

} // namespace Presence
