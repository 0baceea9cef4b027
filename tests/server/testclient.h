#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QWebSocket>

/// A WebSocket client for the integration tests: requests wait for the reply with their id;
/// every other frame (pushes, id-less errors) is kept in order for the test to inspect.
class TestClient : public QObject
{
    Q_OBJECT
public:
    explicit TestClient(QObject *parent = nullptr);

    /// Connects, with `Authorization: Bearer token` when a token is given.
    bool open(const QUrl &url, const QByteArray &token = {}, bool ignoreTlsErrors = false);
    /// Sends `request` with the next id (unless it has one) and waits for the reply.
    QJsonObject request(QJsonObject request, int timeoutMs = 5000);
    /// Sends raw text and waits for the next frame, whatever it is.
    QJsonObject sendRaw(const QString &text, int timeoutMs = 5000);
    void sendBinary(const QByteArray &data);

    /// Frames that were not replies to request(): diffs and errors without ids.
    QList<QJsonObject> &unsolicited() { return m_unsolicited; }
    /// Waits until an unsolicited frame arrives; returns it, or an empty object on timeout.
    QJsonObject waitForUnsolicited(int timeoutMs);
    bool waitForClosed(int timeoutMs);

    /// Convenience requests; each returns the reply's "result" (or the error frame).
    QJsonObject auth(const QByteArray &token);
    QJsonObject heartbeat(const QString &roomId, const QString &sessionId, int interval = 10'000);
    QJsonObject list(const QString &roomToken, int limit = 104);
    QJsonObject subscribe(const QString &roomToken, int limit = 104);

    QWebSocket &socket() { return m_socket; }
    QWebSocketProtocol::CloseCode closeCode() const { return m_socket.closeCode(); }
    QString closeReason() const { return m_socket.closeReason(); }
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

private:
    QWebSocket m_socket;
    qint64 m_nextId = 1;
    QList<QJsonObject> m_frames;
    QList<QJsonObject> m_unsolicited;
};
