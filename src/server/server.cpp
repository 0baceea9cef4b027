#include "server.h"

#include "connection.h"
#include "connectioncounts.h"
#include "engine.h"
#include "httprequest.h"
#include "imageurlpolicy.h"
#include "incomingconnection.h"
#include "jwksfetcher.h"
#include "jwtverifier.h"
#include "listener.h"
#include "socketbudget.h"
#include "sqlitestore.h"
#include "systemclock.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSslCertificate>
#include <QSslKey>
#include <QWebSocket>
#include <QWebSocketServer>

namespace Presence {

Q_LOGGING_CATEGORY(lcServer, "presence.server", QtInfoMsg)

namespace {

QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + QLatin1Char('|') + QString::number(port);
}

QByteArray errorBody(const Error &error)
{
    return QJsonDocument(QJsonObject {{QStringLiteral("error"),
                             QJsonObject {{QStringLiteral("code"), error.codeName()},
                                 {QStringLiteral("message"), error.message()}}}})
               .toJson(QJsonDocument::Compact)
        + '\n';
}

Result<QByteArray> readFile(const QString &path, const char *what)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return Error(Error::InvalidArgument,
            QStringLiteral("cannot read the %1 %2: %3").arg(QLatin1String(what), path, file.errorString()));
    }
    return file.readAll();
}

} // namespace

Server::Server(const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_clock(std::make_unique<SystemClock>())
    , m_store(std::make_unique<SqliteStore>())
    , m_ownedEngine(std::make_unique<Engine>(m_clock.get(), m_store.get()))
    , m_engine(m_ownedEngine.get())
    , m_verifier(std::make_unique<JwtVerifier>())
    , m_counts(std::make_shared<ConnectionCounts>())
{
    m_monotonic.start();
}

Server::Server(const ServerConfig &config, Engine *engine, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_engine(engine)
    , m_verifier(std::make_unique<JwtVerifier>())
    , m_counts(std::make_shared<ConnectionCounts>())
{
    m_monotonic.start();
}

Server::~Server()
{
    // Connections own subscriptions of the engine: they go first.
    qDeleteAll(std::exchange(m_connections, {}));
}

Result<bool> Server::loadKeys(const ServerConfig &config)
{
    JwtVerifier::Options options;
    options.issuer = config.issuer;
    options.audience = config.audience;
    options.userClaim = config.userClaim;
    options.organizationClaim = config.organizationClaim;
    options.leewaySeconds = config.leewaySeconds;
    // Everything is read before anything is replaced: a bad file leaves the keys as they were.
    std::optional<QByteArray> jwks;
    std::optional<QByteArray> secret;
    if (!config.jwksFile.isEmpty()) {
        const Result<QByteArray> file = readFile(config.jwksFile, "JWKS file");
        if (!file)
            return file.error();
        JwtVerifier probe;
        if (const Result<int> keys = probe.loadJwks(file.value()); !keys)
            return Error(Error::InvalidArgument, config.jwksFile + QStringLiteral(": ") + keys.error().message());
        jwks = file.value();
    }
    if (!config.hs256SecretFile.isEmpty()) {
        const Result<QByteArray> file = readFile(config.hs256SecretFile, "HS256 secret file");
        if (!file)
            return file.error();
        JwtVerifier probe;
        if (const Result<bool> ok = probe.setHs256Secret(file.value().trimmed()); !ok)
            return Error(Error::InvalidArgument, config.hs256SecretFile + QStringLiteral(": ") + ok.error().message());
        secret = file.value().trimmed();
    }
    m_verifier->setOptions(options);
    if (jwks) {
        const int keys = m_verifier->loadJwks(*jwks).value();
        qCInfo(lcServer) << "loaded" << keys << "RSA keys from" << config.jwksFile;
    }
    if (secret)
        m_verifier->setHs256Secret(*secret);
    else if (m_started)
        m_verifier->clearHs256Secret(); // a reload without the option turns HS256 off
    if ((!config.jwksFile.isEmpty() || !config.jwksUrl.isEmpty()) && !config.hs256SecretFile.isEmpty()) {
        qCWarning(lcServer) << "HS256 tokens are accepted beside the identity provider's keys: anyone with the "
                               "secret file can sign in as anyone; use --hs256-secret-file for development only";
    }
    if ((!config.jwksFile.isEmpty() || !config.jwksUrl.isEmpty()) && config.issuer.isEmpty()) {
        qCWarning(lcServer) << "keys come from a JWKS but no --issuer is required: tokens of every issuer that "
                               "shares those keys are accepted";
    }
    return true;
}

Result<bool> Server::start()
{
    if (const Result<bool> keys = loadKeys(m_config); !keys)
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
        const Result<QByteArray> token = readFile(m_config.metricsTokenFile, "metrics token file");
        if (!token)
            return token.error();
        m_metricsToken = token.value().trimmed();
        if (m_metricsToken.size() < 16)
            return Error(
                Error::InvalidArgument, m_config.metricsTokenFile + QStringLiteral(": a token needs 16 bytes or more"));
    }
    if (!m_config.metricsListen.isEmpty()) {
        if (const Result<bool> ok = listenForMetrics(); !ok)
            return ok;
    }

    m_listener = new Listener(this);
    if (!m_config.tlsCertificate.isEmpty()) {
        const Result<QByteArray> pem = readFile(m_config.tlsCertificate, "TLS certificate");
        if (!pem)
            return pem.error();
        const Result<QByteArray> keyPem = readFile(m_config.tlsKey, "TLS key");
        if (!keyPem)
            return keyPem.error();
        const QList<QSslCertificate> chain = QSslCertificate::fromData(pem.value(), QSsl::Pem);
        QSslKey key(keyPem.value(), QSsl::Rsa, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(keyPem.value(), QSsl::Ec, QSsl::Pem);
        if (chain.isEmpty() || key.isNull()) {
            return Error(Error::InvalidArgument,
                QStringLiteral("%1 / %2: no PEM certificate or RSA/EC key found")
                    .arg(m_config.tlsCertificate, m_config.tlsKey));
        }
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificateChain(chain);
        tls.setPrivateKey(key);
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        tls.setProtocol(QSsl::TlsV1_2OrLater);
        m_listener->setTlsConfiguration(tls);
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
        m_dataVersion = m_store->dataVersion();
    }

    m_webSockets = new QWebSocketServer(QStringLiteral("presence-server"), QWebSocketServer::NonSecureMode, this);
    m_webSockets->setHandshakeTimeout(m_config.handshakeTimeout);
    m_webSockets->setMaxPendingConnections(1 << 20); // we take them as they come
    connect(m_webSockets, &QWebSocketServer::newConnection, this, &Server::acceptWebSockets);

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
        connect(&m_usersPoll, &QTimer::timeout, this, &Server::pollUsers);
        m_usersPoll.start(m_config.usersPollInterval);
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
    return m_incoming + int(m_handshaking.size()) + int(m_connections.size());
}

void Server::onRequest(IncomingConnection *incoming, const HttpRequest &request)
{
    handleRequest(incoming, request, true);
}

void Server::handleRequest(IncomingConnection *incoming, const HttpRequest &request, bool mayWaitForKeys)
{
    const QByteArray method = request.method();
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
                    401, "application/json", errorBody(identity.error()), "WWW-Authenticate: Bearer\r\n");
            }
            QTcpSocket *socket = incoming->socket();
            m_upgradeIdentities.insert(
                peerKey(socket->peerAddress(), socket->peerPort()), {socket, admitted(identity.value())});
        }
        const int deadline = incoming->remainingTime();
        QTcpSocket *socket = incoming->takeUpgradeSocket();
        const QString key = peerKey(socket->peerAddress(), socket->peerPort());
        m_handshaking.insert(key, socket);
        // QWebSocketServer's own handshake timeout does not cover sockets handed to
        // handleConnection(): the deadline the socket was accepted with still holds, here.
        QTimer::singleShot(std::max(0, deadline), socket, [this, key, socket] {
            if (m_handshaking.value(key) == socket) {
                ++m_metrics.closes["handshake_timeout"];
                socket->abort();
            }
        });
        connect(socket, &QObject::destroyed, this, [this, key, socket] {
            // Only this socket's entries: a later connection may reuse the peer's address and port.
            const auto it = m_upgradeIdentities.constFind(key);
            if (it != m_upgradeIdentities.cend() && it->first == socket)
                m_upgradeIdentities.erase(it);
            if (const auto h = m_handshaking.constFind(key); h != m_handshaking.cend() && h->isNull())
                m_handshaking.erase(h); // a handshake that failed or timed out
        });
        m_webSockets->handleConnection(socket);
        return;
    }

    ++m_metrics.httpRequests;
    if (path == "/healthz") {
        if (method != "GET" && method != "HEAD")
            return incoming->respond(405, "text/plain", "use GET\n", "Allow: GET, HEAD\r\n");
        if (m_stopping)
            return incoming->respond(503, "text/plain", "stopping\n");
        return incoming->respond(200, "text/plain", method == "HEAD" ? QByteArray() : QByteArray("ok\n"));
    }
    if (path == "/metrics") {
        // On the public port only for loopback peers, and not at all with a listener of its own:
        // the counts tell anyone how busy the server is and with how many people.
        // A proxy on this host forwards everyone from loopback: its requests say so.
        const bool forwarded = !request.header("forwarded").isEmpty() || !request.header("x-forwarded-for").isEmpty()
            || !request.header("x-real-ip").isEmpty();
        if (!m_metricsListener && incoming->socket()->peerAddress().isLoopback()
            && (!forwarded || !m_metricsToken.isEmpty()))
            return serveMetrics(incoming, request);
        return incoming->respond(404, "text/plain", "not found\n");
    }
    if (path == "/disconnect") {
        if (method != "POST")
            return incoming->respond(405, "text/plain", "use POST\n", "Allow: POST\r\n");
        return beacon(incoming, request);
    }
    incoming->respond(404, "text/plain", "not found; presence-server serves /ws, /disconnect, /healthz and /metrics\n");
}

void Server::serveMetrics(IncomingConnection *incoming, const HttpRequest &request)
{
    if (request.method() != "GET")
        return incoming->respond(405, "text/plain", "use GET\n", "Allow: GET\r\n");
    if (!m_metricsToken.isEmpty()) {
        // Compared as digests: the time taken says nothing about how much of it matched.
        const QByteArray given = request.header("authorization");
        const QByteArray expected = "Bearer " + m_metricsToken;
        if (QCryptographicHash::hash(given, QCryptographicHash::Sha256)
            != QCryptographicHash::hash(expected, QCryptographicHash::Sha256)) {
            return incoming->respond(
                401, "text/plain", "/metrics needs its bearer token\n", "WWW-Authenticate: Bearer\r\n");
        }
    }
    int subscriptions = 0;
    for (const Connection *c : std::as_const(m_connections))
        subscriptions += c->subscriptionCount();
    incoming->respond(200, "text/plain; version=0.0.4; charset=utf-8",
        m_metrics.render(*m_engine, int(m_connections.size()), subscriptions));
}

Result<bool> Server::listenForMetrics()
{
    m_metricsListener = new Listener(this);
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
                    if (request.path() == "/metrics")
                        return serveMetrics(incoming, request);
                    if (request.path() == "/healthz")
                        return incoming->respond(
                            m_stopping ? 503 : 200, "text/plain", m_stopping ? "stopping\n" : "ok\n");
                    incoming->respond(404, "text/plain", "not found; this port serves /metrics and /healthz\n");
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

void Server::beacon(IncomingConnection *incoming, const HttpRequest &request)
{
    if (m_stopping)
        return incoming->respond(503, "text/plain", "shutting down\n", "Retry-After: 1\r\n");
    ++m_metrics.beacons;
    auto refuse = [&](int status, const Error &error) {
        m_metrics.countError(error.code());
        incoming->respond(status, "application/json", errorBody(error));
    };
    const QJsonDocument body = QJsonDocument::fromJson(request.body());
    const QJsonValue token = body.object().value(QLatin1String("sessionToken"));
    if (!body.isObject() || !token.isString())
        return refuse(400, Error(Error::InvalidArgument, QStringLiteral("the body must be {\"sessionToken\":\"…\"}")));
    const Result<bool> done = m_engine->disconnect(token.toString());
    if (!done)
        return refuse(400, done.error());
    releaseSession(token.toString());
    incoming->respond(204, {}, {});
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
        const QString key = peerKey(socket->peerAddress(), socket->peerPort());
        // The upgrade's bookkeeping ends here, and with it the watch on its socket's destruction.
        // QWebSocketServer also stays connected to every socket it upgraded, to delete it on
        // disconnect, and its slot looks itself up with sender(), which walks all of them:
        // closing n sockets cost O(n²) (two seconds to stop with 10 000 clients). The
        // connection owns the socket instead (see below).
        QPointer<QTcpSocket> tcp = m_handshaking.take(key);
        if (tcp) {
            disconnect(tcp, &QObject::destroyed, this, nullptr);
            disconnect(tcp, nullptr, m_webSockets, nullptr);
        }
        std::optional<Identity> identity;
        if (const auto it = m_upgradeIdentities.constFind(key); it != m_upgradeIdentities.cend()) {
            identity = it->second;
            m_upgradeIdentities.erase(it);
        }
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
    // Sessions this socket looked after get the close grace, unless another socket
    // heartbeated them since (a reconnect that raced the old socket's close).
    // On shutdown they keep their full deadlines instead.
    for (const QString &token : connection->sessions()) {
        if (m_sessionOwners.value(token) != connection)
            continue;
        m_sessionOwners.remove(token);
        if (!m_stopping)
            m_engine->expireWithin(token, m_config.closeGrace);
    }
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
    if (const Result<bool> keys = loadKeys(next); !keys)
        return keys.error(); // nothing changed
    if (!next.metricsTokenFile.isEmpty()) {
        const Result<QByteArray> token = readFile(next.metricsTokenFile, "metrics token file");
        if (token && token.value().trimmed().size() >= 16)
            m_metricsToken = token.value().trimmed();
        else
            qCWarning(lcServer) << "keeping the metrics token:" << next.metricsTokenFile
                                << "has none of 16 bytes or more";
    } else {
        m_metricsToken.clear();
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
        m_usersPoll.setInterval(m_config.usersPollInterval);
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

void Server::claimSession(const QString &sessionToken, Connection *connection)
{
    // A connection is forgotten (connectionClosed) before it is deleted; one that is already
    // forgotten must not be recorded again, or its pointer would outlive it.
    if (!m_connections.contains(connection)) {
        connection->forgetSession(sessionToken);
        if (!m_stopping)
            m_engine->expireWithin(sessionToken, m_config.closeGrace);
        return;
    }
    Connection *&owner = m_sessionOwners[sessionToken];
    if (owner && owner != connection)
        owner->forgetSession(sessionToken);
    owner = connection;
}

void Server::releaseSession(const QString &sessionToken)
{
    if (Connection *owner = m_sessionOwners.take(sessionToken))
        owner->forgetSession(sessionToken);
}

int Server::pruneSessions(Connection *connection)
{
    const std::vector<QString> tokens = connection->sessions();
    for (const QString &token : tokens) {
        if (!m_engine->hasSession(token)) {
            connection->forgetSession(token);
            if (m_sessionOwners.value(token) == connection)
                m_sessionOwners.remove(token);
        }
    }
    return int(connection->sessions().size());
}

void Server::pollUsers()
{
    // Another process (presence-server users import) committed: pick up its users.
    const qint64 version = m_store->dataVersion();
    if (version == m_dataVersion)
        return;
    const Result<QList<User>> users = m_store->loadUsers();
    if (!users) {
        qCWarning(lcServer) << "cannot reload users:" << users.error().message();
        return; // tried again next time
    }
    m_dataVersion = version;
    const Result<int> changed = m_engine->upsertUsers(users.value());
    if (changed && changed.value() > 0)
        qCInfo(lcServer) << "picked up" << changed.value() << "changed users from the database";
}

void Server::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    qCInfo(lcServer) << "stopping:" << m_connections.size() << "connections," << m_engine->sessionCount()
                     << "sessions keep their deadlines";
    m_usersPoll.stop();
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
    QMetaObject::invokeMethod(this, &Server::finishStop, Qt::QueuedConnection);
}

void Server::finishStop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    qDeleteAll(std::exchange(m_connections, {}));
    m_sessionOwners.clear();
    for (IncomingConnection *incoming : findChildren<IncomingConnection *>(Qt::FindDirectChildrenOnly))
        delete incoming; // requests still being read: the store is about to close
    m_engine->flush();
    if (m_store)
        m_store->close();
    qCInfo(lcServer) << "stopped";
    Q_EMIT stopped();
}

} // namespace Presence
