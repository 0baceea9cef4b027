#pragma once

#include "httprequest.h"

#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace Presence {

/// A socket whose first request has not been read yet. It peeks at the bytes (consuming
/// nothing) until http-parser has a whole request, so a WebSocket upgrade can be handed to
/// QWebSocketServer as it arrived; plain HTTP is answered here and the socket closed.
class IncomingConnection : public QObject
{
    Q_OBJECT
public:
    IncomingConnection(QTcpSocket *socket, int timeoutMs, QObject *parent = nullptr);
    ~IncomingConnection() override;

    QTcpSocket *socket() const { return m_socket; }
    /// Gives the socket up, untouched, and schedules this object's deletion.
    QTcpSocket *takeSocket();
    /// Gives the socket up for QWebSocketServer with the request cut down to the handshake's own
    /// headers: QWebSocket keeps the request it was made from (every header, the bearer token
    /// too) for the connection's life.
    QTcpSocket *takeUpgradeSocket();
    /// Answers with `status` and closes the socket once the answer is sent.
    void respond(int status, const QByteArray &contentType, const QByteArray &body, const QByteArray &headers = {});

Q_SIGNALS:
    void requestReceived(Presence::IncomingConnection *connection, const Presence::HttpRequest &request);

private:
    void onReadyRead();

    QTcpSocket *m_socket;
    QTimer m_timer;
    HttpRequest m_request;
    bool m_done = false;
};

} // namespace Presence
