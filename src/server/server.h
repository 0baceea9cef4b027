#pragma once

#include "connectionhost.h"
#include "diffencoder.h"
#include "identity.h"
#include "metrics.h"
#include "serverconfig.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>

class QTcpSocket;
class QWebSocketServer;

namespace Presence {

class Backend;
class Connection;
class ConnectionCounts;
class Engine;
class HttpRequest;
class HttpRoutes;
class IncomingConnection;
class JwksFetcher;
class JwtVerifier;
class Listener;
class RedisBackend;
class SessionOwners;
class SqliteStore;
class SystemClock;
class UsersPoller;
class WebhookSender;
class WebSocketUpgrades;

/// presence-server: the engine behind one port that speaks WebSocket on /ws and plain
/// HTTP on /disconnect, /healthz and /metrics (HttpRoutes). It starts, reloads and stops;
/// accepts sockets within the limits; routes upgrades (WebSocketUpgrades) to Connections,
/// which reach it through ConnectionHost. Keys and certificates come from Credentials,
/// session ownership is SessionOwners', imported users UsersPoller's.
class Server : public QObject, public ConnectionHost
{
    Q_OBJECT
public:
    explicit Server(const ServerConfig &config, QObject *parent = nullptr);
    /// Serves an engine that the caller opened and owns (an app's embedded engine):
    /// `config.database` is then unused and stop() leaves the engine and its store open.
    Server(const ServerConfig &config, Engine *engine, QObject *parent = nullptr);
    ~Server() override;

    /// Opens the database, loads the keys and starts listening.
    Result<bool> start();
    /// Stops accepting, makes every deadline durable, closes sockets with "going away" and
    /// emits stopped(). Sessions keep their deadlines: clients back within them see no flap.
    void stop();

    /// SIGHUP: reads the keys again (JWKS file, secret file, JWKS URL) and takes the settings a
    /// running server can change (limits, quotas, timeouts, token options); listen, database,
    /// TLS, jwks-url and metrics-listen take a restart (a warning says so). Nothing stops, and a
    /// configuration that cannot be read changes nothing.
    Result<bool> reload(const ServerConfig &config);

    /// Accepts HS256 tokens signed with `secret` (besides any keys from the configuration).
    Result<bool> setHs256Secret(const QByteArray &secret);

    quint16 port() const;
    /// The port of --metrics-listen, or 0.
    quint16 metricsPort() const;
    bool isTls() const;

    bool isStopping() const { return m_stopping; }
    int connectionCount() const { return int(m_connections.size()); }
    int subscriptionCount() const;
    /// The Prometheus text of /metrics.
    QByteArray renderMetrics() const;

    // ConnectionHost
    const ServerConfig &config() const override { return m_config; }
    Backend &backend() override { return *m_backend; }
    /// The engine lists and subscriptions are served from: the server's, or a cluster node's mirror.
    Engine &engine() { return *m_engine; }
    /// A node of a cluster (--redis): its shared state; else null.
    RedisBackend *redis() const { return m_redis; }
    const JwtVerifier &verifier() const override { return *m_verifier; }
    Metrics &metrics() override { return m_metrics; }
    DiffEncoder &diffEncoder() override { return m_diffEncoder; }
    qint64 monotonicTime() const override { return m_monotonic.elapsed(); }
    /// `identity` as the server takes it: a picture claim that is no accepted image URL
    /// (ImageUrlPolicy) is dropped, as if the token had none.
    Identity admitted(Identity identity) const override;
    bool whenKeysRefreshed(const QByteArray &token, QObject *context, std::function<void()> retry) override;
    /// `connection` now looks after the session: if it closes without a disconnect, the
    /// session gets the close grace. A later heartbeat from another connection takes over.
    void claimSession(const QString &sessionToken, Connection *connection) override;
    void releaseSession(const QString &sessionToken) override;
    int pruneSessions(Connection *connection) override;
    /// A connection's socket is gone: its sessions get the close grace, and it is deleted later.
    void connectionClosed(Connection *connection) override;

Q_SIGNALS:
    void stopped();

private:
    void watchKicks();
    void acceptConnections();
    void acceptWebSockets();
    void onRequest(IncomingConnection *incoming, const HttpRequest &request);
    /// `mayWaitForKeys`: a token of an unknown key id may wait for one refetch of the JWKS.
    void handleRequest(IncomingConnection *incoming, const HttpRequest &request, bool mayWaitForKeys);
    Result<bool> listenForMetrics();
    void finishStop();

    ServerConfig m_config;
    std::unique_ptr<SystemClock> m_clock;
    std::unique_ptr<SqliteStore> m_store; // null when serving someone else's engine
    std::unique_ptr<Engine> m_ownedEngine;
    Engine *m_engine = nullptr;
    std::unique_ptr<Backend> m_backend;
    RedisBackend *m_redis = nullptr; // m_backend, for a node of a cluster
    bool m_handingOver = false;
    bool m_stopped = false;
    bool m_started = false; ///< start() succeeded: later key loads are reloads
    std::unique_ptr<JwtVerifier> m_verifier;
    JwksFetcher *m_jwks = nullptr;
    Listener *m_listener = nullptr;
    Listener *m_metricsListener = nullptr;
    int m_metricsIncoming = 0;
    QWebSocketServer *m_webSockets = nullptr;
    WebSocketUpgrades *m_upgrades = nullptr;
    std::unique_ptr<HttpRoutes> m_routes;
    std::unique_ptr<SessionOwners> m_sessionOwners;
    UsersPoller *m_usersPoller = nullptr;
    WebhookSender *m_webhooks = nullptr; // with --webhook-url
    qint64 m_dataVersion = -1;
    Metrics m_metrics;
    DiffEncoder m_diffEncoder;
    QElapsedTimer m_monotonic;
    QTimer m_retention;
    int openConnections();

    int m_incoming = 0; ///< sockets whose first request is being read
    std::shared_ptr<ConnectionCounts> m_counts; ///< sockets per peer address, and those not authenticated
    bool m_stopping = false;
    QSet<Connection *> m_connections;
};

} // namespace Presence
