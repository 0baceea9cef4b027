#pragma once

#include "pendingrequests_p.h"
#include "subscriptiontable_p.h"
#include "transport_p.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonValue>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace Presence {

class DisconnectBeacon;

/// Rooms talk to a presence-server over one WebSocket (docs/protocol.md). Reconnects with
/// exponential backoff and jitter; after a reconnect it authenticates, emits ready() so rooms
/// heartbeat their same sessions, and subscribes again.
class WebSocketTransport : public Transport
{
    Q_OBJECT
public:
    static constexpr int InitialBackoffMs = 500;
    static constexpr int MaxBackoffMs = 30'000;
    /// A request unanswered for this long means the connection is dead (half-open TCP).
    static constexpr int RequestTimeoutMs = 15'000;

    explicit WebSocketTransport(const QUrl &url, QObject *parent = nullptr);
    ~WebSocketTransport() override;

    /// Sends the token now if connected, else with the next connection.
    void setToken(const QString &token);

    State state() const override { return m_state; }
    void start() override;
    void reconnectNow() override;
    void heartbeat(const QString &roomId, const QString &sessionId, int interval, bool away, QObject *context,
        HeartbeatDone done) override;
    int subscribe(const QString &roomToken, int limit, QObject *context, ListDone list, DiffHandler diff) override;
    int watch(const QString &roomId, int limit, QObject *context, ListDone list, DiffHandler diff) override;
    void unsubscribe(int handle) override;
    void online(int limit, const QString &cursor, QObject *context, OnlineDone done) override;
    void disconnectSession(const QString &sessionToken) override;
    void update(const QString &sessionToken, const QJsonObject &data, QObject *context, UpdateDone done) override;
    void flush(int timeoutMs) override;

private:
    void setState(State state);
    void connectSocket();
    void onConnected();
    void onDisconnected();
    void onMessage(const QString &text);
    void scheduleReconnect();
    /// Sends a request frame whose id is `id` (taken from m_nextId); `done` gets its answer.
    void send(
        qint64 id, const QByteArray &frame, QObject *context, std::function<void(const Result<QJsonValue> &)> done);
    void authenticate();
    void sendSubscribe(int handle);
    void sendUnsubscribe(qint64 serverId);
    void checkStalled();

    QUrl m_url;
    QString m_token;
    QWebSocket m_socket;
    State m_state = Disconnected;
    bool m_started = false;
    bool m_authenticated = false;
    qint64 m_nextId = 1;
    int m_attempt = 0;
    QTimer m_reconnect;
    QTimer m_refresh;
    QTimer m_stallCheck;
    QElapsedTimer m_clock;
    bool m_immediate = false; // reconnect without backoff (after sleep or a network change)
    QHash<QString, HeartbeatResult> m_told; // sessionId → tokens the server gave on this connection
    PendingRequests m_pending;
    SubscriptionTable m_subs;
    int m_disconnectsInFlight = 0; // disconnect frames not answered yet
    DisconnectBeacon *m_beacon;
};

} // namespace Presence
