#include "server.h"

#include "connection.h"
#include "connectioncounts.h"
#include "credentials.h"
#include "engine.h"
#include "enginebackend.h"
#include "httprequest.h"
#include "httproutes.h"
#include "imageurlpolicy.h"
#include "incomingconnection.h"
#include "jwksfetcher.h"
#include "jwtverifier.h"
#include "listener.h"
#include "redisbackend.h"
#include "sessionowners.h"
#include "socketbudget.h"
#include "sqlitestore.h"
#include "systemclock.h"
#include "userspoller.h"
#include "webhooksender.h"
#include "websocketupgrades.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QWebSocket>
#include <QWebSocketServer>

namespace Presence {

Q_LOGGING_CATEGORY(lcServer, "presence.server", QtInfoMsg)

Server::Server(const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_clock(std::make_unique<SystemClock>())
    , m_verifier(std::make_unique<JwtVerifier>())
    , m_routes(std::make_unique<HttpRoutes>(this))
    , m_counts(std::make_shared<ConnectionCounts>())
{
    if (config.redisUrl.isEmpty()) {
        m_store = std::make_unique<SqliteStore>();
        m_ownedEngine = std::make_unique<Engine>(m_clock.get(), m_store.get());
        m_engine = m_ownedEngine.get();
        m_backend = std::make_unique<EngineBackend>(m_engine);
    } else {
        // A node of a cluster: the rooms are in Redis; its engine mirrors those it serves.
        RedisBackend::Options options;
        options.address = RedisAddress::parse(config.redisUrl).value(); // checked by ServerConfig
        options.closeGrace = config.closeGrace;
        options.timeout = config.redisTimeout;
        auto redis = std::make_unique<RedisBackend>(options, m_clock.get());
        m_redis = redis.get();
        m_engine = &redis->engine();
        m_backend = std::move(redis);
    }
    m_sessionOwners = std::make_unique<SessionOwners>(m_backend.get());
    m_monotonic.start();
    watchKicks();
}

Server::Server(const ServerConfig &config, Engine *engine, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_engine(engine)
    , m_backend(std::make_unique<EngineBackend>(engine))
    , m_verifier(std::make_unique<JwtVerifier>())
    , m_routes(std::make_unique<HttpRoutes>(this))
    , m_sessionOwners(std::make_unique<SessionOwners>(m_backend.get()))
    , m_counts(std::make_shared<ConnectionCounts>())
{
    m_monotonic.start();
    watchKicks();
}

Server::~Server()
{
    // Connections own subscriptions of the engine: they go first.
    qDeleteAll(std::exchange(m_connections, {}));
}

Result<bool> Server::start()
{
    if (const Result<bool> keys = Credentials::loadKeys(m_config, m_verifier.get(), false); !keys)
        return keys;
    if (!m_config.jwksUrl.isEmpty()) {
        const QUrl url(m_config.jwksUrl);
        if (const QString refusal = JwksFetcher::refusal(url); !refusal.isEmpty())
            return Error(Error::InvalidArgument, QStringLiteral("--jwks-url %1: %2").arg(m_config.jwksUrl, refusal));
        m_jwks = new JwksFetcher(url, m_verifier.get(), this);
        m_jwks->setRefetchInterval(m_config.jwksRefetchInterval);
        // Serving starts either way: a provider that is down now may be back soon, and HS256
        // (if on) works meanwhile.
        if (!m_jwks->fetchAndWait(10'000)) {
            qCWarning(lcServer) << "no keys from" << m_config.jwksUrl << "yet:" << m_jwks->lastError()
                                << "- RS256 tokens are refused until a fetch succeeds";
        }
    }

    if (!m_config.metricsTokenFile.isEmpty()) {
        const Result<QByteArray> token = Credentials::metricsToken(m_config.metricsTokenFile);
        if (!token)
            return token.error();
        m_routes->setMetricsToken(token.value());
    }
    if (!m_config.metricsListen.isEmpty()) {
        if (const Result<bool> ok = listenForMetrics(); !ok)
            return ok;
    }

    m_listener = new Listener(this);
    if (!m_config.tlsCertificate.isEmpty()) {
        const Result<QSslConfiguration> tls = Credentials::tls(m_config);
        if (!tls)
            return tls.error();
        m_listener->setTlsConfiguration(tls.value());
    }

    // Before the engine opens: sessions that ended while the server was down are events too.
    if (!m_config.webhookUrl.isEmpty()) {
        const Result<QByteArray> secret = Credentials::readFile(m_config.webhookSecretFile, "webhook secret file");
        if (!secret)
            return secret.error();
        if (secret.value().trimmed().size() < 16) {
            return Error(Error::InvalidArgument,
                QStringLiteral("%1 holds %2 bytes; a webhook secret needs 16 or more")
                    .arg(m_config.webhookSecretFile)
                    .arg(secret.value().trimmed().size()));
        }
        m_webhooks = new WebhookSender(QUrl(m_config.webhookUrl), secret.value().trimmed(),
            m_config.webhookRetry * 1000, m_config.webhookQueue, &m_metrics, this);
        if (m_redis) {
            // One node at a time delivers the cluster's events, from Redis.
            m_redis->setRecordingEvents(m_config.webhookQueue);
            connect(m_redis, &RedisBackend::memberEvents, m_webhooks, &WebhookSender::enqueue);
            connect(m_webhooks, &WebhookSender::handled, m_redis, &RedisBackend::eventsHandled);
        } else {
            m_engine->setRecordingEvents(true);
            connect(m_engine, &Engine::memberEvents, m_webhooks, &WebhookSender::enqueue);
            connect(m_webhooks, &WebhookSender::handled, m_engine, &Engine::eventsHandled);
        }
    }

    if (m_redis) {
        m_engine->setLimits(m_config.engineLimits());
        m_redis->open();
        QElapsedTimer waited;
        waited.start();
        while (!m_redis->isReady() && waited.elapsed() < m_config.redisTimeout)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        if (m_redis->isReady()) {
            qCInfo(lcServer) << "node" << m_redis->nodeId() << "of the cluster on"
                             << RedisAddress::parse(m_config.redisUrl).value().display();
        } else {
            qCWarning(lcServer) << "Redis cannot be reached at"
                                << RedisAddress::parse(m_config.redisUrl).value().display()
                                << "yet; requests are answered \"unavailable\" until it can";
        }
    }
    if (m_store) {
        const Result<bool> opened = m_store->open(m_config.database, SqliteStore::Exclusive);
        if (!opened)
            return opened.error();
        m_engine->setDeadlineWriteFactor(m_config.deadlineWriteFactor);
        m_engine->setLimits(m_config.engineLimits());
        if (const Result<bool> ok = m_engine->open(); !ok)
            return ok.error();
        m_engine->collectGarbage(); // what aged out while the server was down
        m_dataVersion = m_store->dataVersion(); // users imported after this are picked up
    }

    m_webSockets = new QWebSocketServer(QStringLiteral("presence-server"), QWebSocketServer::NonSecureMode, this);
    m_webSockets->setHandshakeTimeout(m_config.handshakeTimeout);
    m_webSockets->setMaxPendingConnections(1 << 20); // we take them as they come
    connect(m_webSockets, &QWebSocketServer::newConnection, this, &Server::acceptWebSockets);
    m_upgrades = new WebSocketUpgrades(m_webSockets, &m_metrics, this);

    m_listener->setMaxPendingConnections(1 << 20);
    m_listener->setListenBacklogSize(4096); // a reconnect storm arrives all at once
    connect(m_listener, &QTcpServer::newConnection, this, &Server::acceptConnections);
    // Out of descriptors (EMFILE) QTcpServer pauses accepting for good: try again shortly.
    connect(m_listener, &QTcpServer::acceptError, this, [this](QAbstractSocket::SocketError error) {
        qCWarning(lcServer) << "accept failed:" << error << m_listener->errorString() << "- retrying in 100 ms";
        QTimer::singleShot(100, this, [this] {
            if (!m_stopping)
                m_listener->resumeAccepting();
        });
    });
    if (!m_listener->listen(m_config.address, m_config.port)) {
        return Error(Error::Internal,
            QStringLiteral("cannot listen on %1:%2: %3")
                .arg(m_config.address.toString())
                .arg(m_config.port)
                .arg(m_listener->errorString()));
    }

    if (m_store) {
        m_usersPoller = new UsersPoller(m_store.get(), m_engine, this);
        m_usersPoller->start(m_config.usersPollInterval, m_dataVersion);
        // A quarter of the retention, from a second to an hour: nothing outlives it by much.
        const qint64 every = std::clamp<qint64>(qint64(m_config.offlineRetention) * 250, 1000, 3'600'000);
        connect(&m_retention, &QTimer::timeout, this, [this] { m_engine->collectGarbage(); });
        m_retention.start(int(every));
    }
    m_started = true;
    return true;
}

Result<bool> Server::setHs256Secret(const QByteArray &secret)
{
    return m_verifier->setHs256Secret(secret);
}

quint16 Server::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

bool Server::isTls() const
{
    return m_listener && m_listener->isTls();
}

void Server::acceptConnections()
{
    while (m_listener->hasPendingConnections()) {
        QTcpSocket *socket = m_listener->nextPendingConnection();
        auto *incoming = new IncomingConnection(socket, m_config.handshakeTimeout, this);
        // Refusals are answered (and counted) before the socket counts against anything.
        const char *refusal = nullptr;
        if (openConnections() >= m_config.maxConnections)
            refusal = "too many connections; try again later\n";
        else if (m_counts->ofPeer(socket->peerAddress()) >= m_config.maxConnectionsPerIp)
            refusal = "too many connections from your address; try again later\n";
        else if (m_counts->unauthenticated() >= m_config.maxUnauthenticated
            || m_counts->unauthenticatedOfPeer(socket->peerAddress()) >= m_config.maxUnauthenticatedPerIp)
            refusal = "too many connections waiting to authenticate; try again later\n";
        if (refusal) {
            ++m_metrics.connectionsRefused;
            incoming->respond(503, "text/plain", refusal, "Retry-After: 5\r\n");
            continue;
        }
        if (SocketBudget *budget = SocketBudget::of(socket)) {
            budget->countIn(m_counts);
            budget->setInputRate(
                m_config.maxInputRate, std::max<qint64>(m_config.maxInputRate, 4 * m_config.maxMessageSize));
        }
        ++m_incoming;
        ++m_metrics.connectionsAccepted;
        connect(incoming, &QObject::destroyed, this, [this] { --m_incoming; });
        connect(incoming, &IncomingConnection::requestReceived, this, &Server::onRequest);
    }
}

int Server::openConnections()
{
    return m_incoming + (m_upgrades ? m_upgrades->count() : 0) + int(m_connections.size());
}

int Server::subscriptionCount() const
{
    int subscriptions = 0;
    for (const Connection *c : std::as_const(m_connections))
        subscriptions += c->subscriptionCount();
    return subscriptions;
}

QByteArray Server::renderMetrics() const
{
    if (!m_redis)
        return m_metrics.render(*m_engine, connectionCount(), subscriptionCount());
    Metrics::Node node;
    node.redis = m_redis->stats();
    node.redisUp = m_redis->isReady();
    node.sessions = m_sessionOwners->count();
    return m_metrics.render(*m_engine, connectionCount(), subscriptionCount(), &node);
}

void Server::onRequest(IncomingConnection *incoming, const HttpRequest &request)
{
    handleRequest(incoming, request, true);
}

void Server::handleRequest(IncomingConnection *incoming, const HttpRequest &request, bool mayWaitForKeys)
{
    const QByteArray path = request.path();
    if (path == "/ws") {
        if (!request.isUpgrade() || request.header("upgrade").compare("websocket", Qt::CaseInsensitive) != 0)
            return incoming->respond(426, "text/plain", "/ws speaks WebSocket only\n", "Upgrade: websocket\r\n");
        if (m_stopping)
            return incoming->respond(503, "text/plain", "shutting down\n", "Retry-After: 1\r\n");
        const QByteArray authorization = request.header("authorization");
        if (!authorization.isEmpty()) {
            const bool bearer
                = authorization.size() > 7 && authorization.first(7).compare("Bearer ", Qt::CaseInsensitive) == 0;
            const QByteArray token = authorization.mid(7).trimmed();
            const Result<Identity> identity = bearer ? m_verifier->verify(token, QDateTime::currentSecsSinceEpoch())
                                                     : Result<Identity>(Error(Error::Unauthenticated,
                                                         QStringLiteral("Authorization must be \"Bearer <token>\"")));
            if (!identity && bearer && mayWaitForKeys && whenKeysRefreshed(token, incoming, [this, incoming, request] {
                    handleRequest(incoming, request, false);
                })) {
                return; // asked again once the provider's keys are fetched
            }
            if (!identity) {
                ++m_metrics.authFailures;
                m_metrics.countError(Error::Unauthenticated);
                return incoming->respond(
                    401, "application/json", HttpRoutes::errorBody(identity.error()), "WWW-Authenticate: Bearer\r\n");
            }
            return m_upgrades->handOver(incoming, admitted(identity.value()));
        }
        return m_upgrades->handOver(incoming, std::nullopt);
    }
    m_routes->answer(incoming, request);
}

Result<bool> Server::listenForMetrics()
{
    m_metricsListener = new Listener(this);
    m_routes->setMetricsOnOwnPort(true);
    connect(m_metricsListener, &QTcpServer::newConnection, this, [this] {
        while (m_metricsListener->hasPendingConnections()) {
            QTcpSocket *socket = m_metricsListener->nextPendingConnection();
            auto *incoming = new IncomingConnection(socket, m_config.handshakeTimeout, this);
            // A scraper needs one connection at a time; a few more are plenty.
            if (m_metricsIncoming >= 16) {
                incoming->respond(503, "text/plain", "busy\n", "Retry-After: 1\r\n");
                continue;
            }
            ++m_metricsIncoming;
            connect(incoming, &QObject::destroyed, this, [this] { --m_metricsIncoming; });
            connect(incoming, &IncomingConnection::requestReceived, this,
                [this](IncomingConnection *incoming, const HttpRequest &request) {
                    m_routes->answerOnMetricsPort(incoming, request);
                });
        }
    });
    if (!m_metricsListener->listen(m_config.metricsAddress, m_config.metricsPort)) {
        return Error(Error::Internal,
            QStringLiteral("cannot listen for metrics on %1: %2")
                .arg(m_config.metricsListen, m_metricsListener->errorString()));
    }
    return true;
}

quint16 Server::metricsPort() const
{
    return m_metricsListener ? m_metricsListener->serverPort() : 0;
}

void Server::acceptWebSockets()
{
    while (m_webSockets->hasPendingConnections()) {
        QWebSocket *socket = m_webSockets->nextPendingConnection();
        if (m_stopping) {
            socket->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("shutting down"));
            socket->deleteLater();
            continue;
        }
        const WebSocketUpgrades::Upgraded upgraded = m_upgrades->take(socket);
        QPointer<QTcpSocket> tcp = upgraded.tcp;
        const std::optional<Identity> identity = upgraded.identity;
        // Owned through m_connections, not as children: a QObject finds a child to remove by a
        // linear search, which made closing every connection quadratic.
        auto *connection = new Connection(socket, tcp ? SocketBudget::of(tcp) : nullptr, this, identity, nullptr);
        if (tcp)
            tcp->setParent(connection); // after the QWebSocket, so it goes after it
        m_connections.insert(connection);
    }
}

void Server::connectionClosed(Connection *connection)
{
    if (!m_connections.remove(connection))
        return;
    // Sessions this socket looked after get the close grace; on shutdown they keep their
    // full deadlines instead.
    m_sessionOwners->closed(connection, m_stopping ? -1 : m_config.closeGrace);
    connection->deleteLater();
    if (m_stopping && m_connections.isEmpty())
        QMetaObject::invokeMethod(this, &Server::finishStop, Qt::QueuedConnection);
}

bool Server::whenKeysRefreshed(const QByteArray &token, QObject *context, std::function<void()> retry)
{
    if (!m_jwks || m_verifier->hasKey(JwtVerifier::keyId(token)) || JwtVerifier::keyId(token).isEmpty())
        return false;
    m_jwks->refetchForUnknownKey();
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = connect(m_jwks, &JwksFetcher::finished, context, [once, retry = std::move(retry)] {
        QObject::disconnect(*once);
        retry();
    });
    return true;
}

Result<bool> Server::reload(const ServerConfig &next)
{
    QStringList needRestart;
    if (next.address != m_config.address || next.port != m_config.port)
        needRestart << QStringLiteral("listen");
    if (next.database != m_config.database)
        needRestart << QStringLiteral("database");
    if (next.tlsCertificate != m_config.tlsCertificate || next.tlsKey != m_config.tlsKey)
        needRestart << QStringLiteral("tls-cert/tls-key");
    if (next.jwksUrl != m_config.jwksUrl)
        needRestart << QStringLiteral("jwks-url");
    if (next.metricsListen != m_config.metricsListen)
        needRestart << QStringLiteral("metrics-listen");
    if (const Result<bool> keys = Credentials::loadKeys(next, m_verifier.get(), true); !keys)
        return keys.error(); // nothing changed
    if (!next.metricsTokenFile.isEmpty()) {
        const Result<QByteArray> token = Credentials::metricsToken(next.metricsTokenFile);
        if (token)
            m_routes->setMetricsToken(token.value());
        else
            qCWarning(lcServer) << "keeping the metrics token:" << token.error().message();
    } else {
        m_routes->setMetricsToken({});
    }
    ServerConfig applied = next;
    // What only a restart changes stays as it is.
    applied.address = m_config.address;
    applied.port = m_config.port;
    applied.database = m_config.database;
    applied.tlsCertificate = m_config.tlsCertificate;
    applied.tlsKey = m_config.tlsKey;
    applied.jwksUrl = m_config.jwksUrl;
    applied.metricsListen = m_config.metricsListen;
    applied.allowResourceImages = m_config.allowResourceImages;
    m_config = applied;
    if (m_store) {
        m_engine->setLimits(m_config.engineLimits());
        m_usersPoller->setInterval(m_config.usersPollInterval);
    }
    if (m_jwks) {
        m_jwks->setRefetchInterval(m_config.jwksRefetchInterval);
        m_jwks->fetch();
    }
    if (!needRestart.isEmpty())
        qCWarning(lcServer) << "reloaded; these take a restart to change:" << needRestart.join(QLatin1String(", "));
    else
        qCInfo(lcServer) << "reloaded the configuration and the keys";
    return true;
}

Identity Server::admitted(Identity identity) const
{
    if (identity.picture.isEmpty())
        return identity;
    // Loopback pictures (development) only from a server that itself listens on loopback: on
    // a team server they would have every viewer's app fetch from its own machine.
    int options = ImageUrlPolicy::Strict;
    if (m_config.allowResourceImages)
        options |= ImageUrlPolicy::AllowResources;
    if (m_config.address.isLoopback())
        options |= ImageUrlPolicy::AllowLoopback;
    const QString refusal = ImageUrlPolicy::refusal(identity.picture, options);
    if (!refusal.isEmpty()) {
        qCDebug(lcServer) << "ignoring the picture claim of" << identity.userId << "-" << refusal;
        identity.picture.clear();
    }
    return identity;
}

void Server::watchKicks()
{
    // A session an administrator ended: its connection is told, so its client stays out.
    connect(m_backend.get(), &Backend::kicked, this, [this](const QString &sessionToken, const QString &roomId) {
        Connection *owner = m_sessionOwners->owner(sessionToken);
        m_sessionOwners->release(sessionToken);
        if (owner)
            owner->kicked(sessionToken, roomId);
    });
}

void Server::claimSession(const QString &sessionToken, Connection *connection)
{
    // A connection is forgotten (connectionClosed) before it is deleted; one that is already
    // forgotten must not be recorded again, or its pointer would outlive it.
    if (!m_connections.contains(connection)) {
        connection->forgetSession(sessionToken);
        if (!m_stopping)
            m_backend->expireWithin(sessionToken, m_config.closeGrace);
        return;
    }
    m_sessionOwners->claim(sessionToken, connection);
}

void Server::releaseSession(const QString &sessionToken)
{
    m_sessionOwners->release(sessionToken);
}

int Server::pruneSessions(Connection *connection)
{
    return m_sessionOwners->prune(connection);
}

void Server::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    qCInfo(lcServer) << "stopping:" << m_connections.size() << "connections," << m_engine->sessionCount()
                     << "sessions keep their deadlines";
    if (m_usersPoller)
        m_usersPoller->stop();
    m_retention.stop();
    if (m_listener)
        m_listener->close();
    if (m_metricsListener)
        m_metricsListener->close();
    m_engine->flush();
    // Every client is told (1001, written out at once), but the replies are not awaited: the
    // deadlines are already safe, and with thousands of clients the close handshakes alone
    // held a restart up for seconds while every reconnect was refused.
    const QSet<Connection *> connections = m_connections;
    for (Connection *c : connections)
        c->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("server shutting down"), "shutdown");
    if (m_redis) {
        // The other nodes must not take this one for dead: its sessions keep their deadlines.
        m_handingOver = true;
        m_redis->handOver([this] {
            m_handingOver = false;
            QMetaObject::invokeMethod(this, &Server::finishStop, Qt::QueuedConnection);
        });
        return;
    }
    QMetaObject::invokeMethod(this, &Server::finishStop, Qt::QueuedConnection);
}

void Server::finishStop()
{
    if (m_stopped || m_handingOver)
        return;
    m_stopped = true;
    qDeleteAll(std::exchange(m_connections, {}));
    m_sessionOwners->clear();
    for (IncomingConnection *incoming : findChildren<IncomingConnection *>(Qt::FindDirectChildrenOnly))
        delete incoming; // requests still being read: the store is about to close
    m_engine->flush();
    if (m_store)
        m_store->close();
    qCInfo(lcServer) << "stopped";
    Q_EMIT stopped();
}

} // namespace Presence
