#include "connection.h"

#include "backend.h"
#include "connectionhost.h"
#include "diffencoder.h"
#include "engine.h"
#include "jwtverifier.h"
#include "metrics.h"
#include "protocol.h"
#include "serverconfig.h"
#include "socketbudget.h"
#include "subscription.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QTimer>
#include <QTimerEvent>
#include <QWebSocket>

#include <algorithm>
#include <chrono>

namespace Presence {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

namespace {
// Past this many refused requests in a row, a client is flooding rather than bursting.
constexpr int FloodLimit = 1000;
// A close handshake that the peer does not complete (it does not read) ends this much later.
constexpr int CloseTimeoutMs = 5000;
// Until it authenticates, a connection may have this much waiting unsent (its handshake
// answer and a few error replies need far less): a stranger gets no room to pile up pongs.
constexpr qint64 UnauthenticatedSendCap = 64 * 1024;
} // namespace

Connection::Connection(QWebSocket *socket, SocketBudget *budget, ConnectionHost *host,
    const std::optional<Identity> &identity, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_budget(budget)
    , m_host(host)
    , m_limiter(host->config().requestsPerSecond, 2 * host->config().requestsPerSecond)
{
    m_socket->setParent(this);
    if (m_budget) {
        // Its input rate was set at accept (Server::acceptConnections) and runs on from there.
        const ServerConfig &config = host->config();
        m_budget->setSendCap(
            identity ? config.maxSendBuffer : std::min<qint64>(UnauthenticatedSendCap, config.maxSendBuffer));
        // Called from the event loop: the socket can be cut right away.
        m_budget->setOverrunHandler([this](SocketBudget::Overrun what) {
            if (std::exchange(m_closing, true))
                return;
            ++m_host->metrics().closes[what == SocketBudget::InputFlood ? "input_flood" : "slow_reader"];
            m_socket->abort();
        });
        // After QWebSocket's own slot, which reads the frames (and answers pings).
        connect(m_budget->socket(), &QIODevice::readyRead, this, [this] { m_budget->checkAfterRead(); });
        m_budget->checkAfterRead();
    }
    // Messages up to 4 × the limit get a too_large error; past that the socket closes (1009).
    const quint64 hardLimit = quint64(host->config().maxMessageSize) * 4;
    m_socket->setMaxAllowedIncomingFrameSize(hardLimit);
    m_socket->setMaxAllowedIncomingMessageSize(hardLimit);
    if (identity) {
        m_identity = *identity;
        m_authenticated = true;
        if (m_budget)
            m_budget->setAuthenticated();
        armExpiry();
    } else {
        // A bare timer id rather than a QTimer: one object less on every connection.
        m_authTimer = startTimer(host->config().authTimeout);
    }
    connect(m_socket, &QWebSocket::textMessageReceived, this, &Connection::onText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &Connection::onBinary);
    connect(m_socket, &QWebSocket::disconnected, this, &Connection::onSocketClosed);
}

Connection::~Connection()
{
    for (const auto &[id, subscription] : m_subscriptions)
        delete subscription;
}

void Connection::onSocketClosed()
{
    m_closing = true;
    stopAuthTimer();
    if (m_expiryTimer != 0)
        killTimer(std::exchange(m_expiryTimer, 0));
    // A socket can drop inside a write (a reset peer), and so inside an engine call that
    // pushes to it: the server hears of it once that call is over.
    QMetaObject::invokeMethod(
        this, [this] { m_host->connectionClosed(this); }, Qt::QueuedConnection);
}

void Connection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_expiryTimer) {
        killTimer(std::exchange(m_expiryTimer, 0));
        armExpiry(); // re-arms when the expiry was too far away for one timer
        if (m_expiryTimer == 0) {
            close(QWebSocketProtocol::CloseCode(CloseTokenExpired),
                QStringLiteral("the token expired; reconnect with a new one"), "token_expired");
        }
        return;
    }
    if (event->timerId() != m_authTimer)
        return QObject::timerEvent(event);
    stopAuthTimer();
    close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("no auth frame in time"), "auth_timeout");
}

void Connection::armExpiry()
{
    if (m_expiryTimer != 0)
        killTimer(std::exchange(m_expiryTimer, 0));
    if (m_identity.validUntil == 0 || m_closing)
        return;
    const qint64 closeAt = m_identity.validUntil + m_host->config().expiryGrace;
    const qint64 left = closeAt - QDateTime::currentMSecsSinceEpoch();
    if (left <= 0)
        return; // expired: the caller closes
    // One timer reaches about 24 days; a longer-lived token is checked again then.
    m_expiryTimer = startTimer(
        std::chrono::milliseconds(std::min<qint64>(left, std::numeric_limits<int>::max())), Qt::CoarseTimer);
}

void Connection::stopAuthTimer()
{
    if (m_authTimer != 0)
        killTimer(m_authTimer);
    m_authTimer = 0;
}

void Connection::forgetSession(const QString &sessionToken)
{
    m_sessions.erase(std::remove_if(m_sessions.begin(), m_sessions.end(),
                         [&](const HeldSession &held) { return held.token == sessionToken; }),
        m_sessions.end());
}

void Connection::kicked(const QString &sessionToken, const QString &roomId)
{
    forgetSession(sessionToken);
    ++m_host->metrics().kicks;
    send(Protocol::kicked(roomId));
}

void Connection::close(QWebSocketProtocol::CloseCode code, const QString &message, const QByteArray &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    ++m_host->metrics().closes[reason];
    qCDebug(lcServer) << "closing" << m_socket->peerAddress() << m_socket->peerPort() << reason;
    m_socket->close(code, message);
    m_socket->flush();
    QTimer::singleShot(CloseTimeoutMs, this, [this] { m_socket->abort(); });
}

void Connection::abortLater(const QByteArray &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    ++m_host->metrics().closes[reason];
    qCDebug(lcServer) << "cutting" << m_socket->peerAddress() << m_socket->peerPort() << reason;
    QMetaObject::invokeMethod(
        this, [this] { m_socket->abort(); }, Qt::QueuedConnection);
}

bool Connection::admit()
{
    if (m_limiter.tryTake(m_host->monotonicTime())) {
        m_refusedInARow = 0;
        return true;
    }
    if (++m_refusedInARow > FloodLimit)
        close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("request flood"), "flood");
    return false;
}

void Connection::onBinary(const QByteArray &message)
{
    if (m_closing || (m_budget && m_budget->overrun()))
        return;
    m_host->metrics().bytesIn += quint64(message.size());
    ++m_host->metrics().requests;
    if (!admit())
        return; // a flood of binary frames gets no answers to flood back with
    replyError(std::nullopt,
        Error(Error::InvalidArgument, QStringLiteral("binary frames are not part of the protocol; send JSON text")));
}

void Connection::onText(const QString &message)
{
    if (m_closing || (m_budget && m_budget->overrun()))
        return;
    const QByteArray frame = message.toUtf8();
    Metrics &metrics = m_host->metrics();
    metrics.bytesIn += quint64(frame.size());
    ++metrics.requests;

    // The budget first, so neither large nor malformed frames escape it; nothing is parsed
    // for a refused one, so its error has no id.
    if (!admit()) {
        if (!m_closing) {
            replyError(std::nullopt,
                Error(Error::RateLimited,
                    QStringLiteral("more than %1 requests per second; slow down")
                        .arg(m_host->config().requestsPerSecond)));
        }
        return;
    }
    if (frame.size() > m_host->config().maxMessageSize) {
        replyError(std::nullopt,
            Error(Error::TooLarge,
                QStringLiteral("message of %1 bytes; the limit is %2")
                    .arg(frame.size())
                    .arg(m_host->config().maxMessageSize)));
        return;
    }
    const Request request = Protocol::parseRequest(frame);
    if (request.type == Request::Invalid) {
        replyError(request.id, request.error);
        return;
    }
    handle(request);
}

void Connection::handle(const Request &request)
{
    // auth needs no identity, nor does disconnect: the session token is the capability,
    // as for the beacon.
    const bool needsIdentity
        = request.type != Request::Auth && request.type != Request::Disconnect && request.type != Request::Invalid;
    if (needsIdentity && !checkIdentity(request))
        return;
    switch (request.type) {
    case Request::Auth:
        authenticate(request);
        break;
    case Request::Disconnect:
        disconnectSession(request);
        break;
    case Request::Heartbeat:
        heartbeat(request);
        break;
    case Request::List:
        list(request);
        break;
    case Request::Subscribe:
        subscribe(request);
        break;
    case Request::Unsubscribe:
        unsubscribe(request);
        break;
    case Request::Update:
        update(request);
        break;
    case Request::Online:
        online(request);
        break;
    case Request::WhereIs:
        whereis(request);
        break;
    case Request::Kick:
        kick(request);
        break;
    case Request::RemoveRoom:
        removeRoom(request);
        break;
    case Request::Invalid:
        break;
    }
}

bool Connection::checkIdentity(const Request &request)
{
    if (!m_authenticated) {
        replyError(request.id,
            Error(Error::Unauthenticated,
                QStringLiteral("not authenticated: send {\"type\":\"auth\",\"token\":…} or an Authorization header")));
        return false;
    }
    if (m_identity.validUntil != 0 && QDateTime::currentMSecsSinceEpoch() >= m_identity.validUntil) {
        replyError(request.id,
            Error(Error::Unauthenticated, QStringLiteral("the token has expired; send an auth frame with a new one")));
        return false;
    }
    return true;
}

void Connection::authenticate(const Request &request, bool mayWaitForKeys)
{
    const QJsonValue token = request.fields.value(QLatin1String("token"));
    if (!token.isString() || token.toString().isEmpty()) {
        replyError(request.id, Error(Error::InvalidArgument, QStringLiteral("token must be a non-empty string")));
        return;
    }
    const Result<Identity> identity
        = m_host->verifier().verify(token.toString().toUtf8(), QDateTime::currentSecsSinceEpoch());
    if (!identity && mayWaitForKeys && m_host->whenKeysRefreshed(token.toString().toUtf8(), this, [this, request] {
            if (!m_closing)
                authenticate(request, false);
        })) {
        return; // answered once the provider's keys are fetched
    }
    if (!identity) {
        ++m_host->metrics().authFailures;
        replyError(request.id, identity.error());
        return;
    }
    const Identity next = m_host->admitted(identity.value());
    if (m_authenticated && (next.userId != m_identity.userId || next.organization != m_identity.organization)) {
        replyError(request.id,
            Error(Error::PermissionDenied,
                QStringLiteral("this connection belongs to another user; open a new connection to switch users")));
        return;
    }
    m_identity = next;
    if (!m_authenticated && m_budget) {
        m_budget->setSendCap(m_host->config().maxSendBuffer);
        m_budget->setAuthenticated();
    }
    m_authenticated = true;
    stopAuthTimer();
    armExpiry();
    if (request.id) {
        QJsonObject answer {{QStringLiteral("userId"), m_identity.userId},
            {QStringLiteral("organization"), m_identity.organization},
            {QStringLiteral("validUntil"), m_identity.validUntil}};
        // Who the app is signed in as, shown as others will see it: the picture only if it
        // passed the server's check.
        if (!m_identity.name.isEmpty())
            answer.insert(QStringLiteral("name"), m_identity.name);
        if (!m_identity.picture.isEmpty())
            answer.insert(QStringLiteral("image"), m_identity.picture);
        send(Protocol::result(*request.id, answer));
    }
}

void Connection::heartbeat(const Request &request)
{
    const Result<QString> roomId = Protocol::string(request.fields, "roomId", Engine::MaxRoomIdLength);
    if (!roomId)
        return replyError(request.id, roomId.error());
    const Result<QString> sessionId = Protocol::string(request.fields, "sessionId", Engine::MaxSessionIdLength);
    if (!sessionId)
        return replyError(request.id, sessionId.error());
    const Result<int> interval = Protocol::integer(
        request.fields, "interval", Engine::DefaultInterval, Engine::MinInterval, Engine::MaxInterval);
    if (!interval)
        return replyError(request.id, interval.error());
    const Result<bool> away = Protocol::boolean(request.fields, "away", false);
    if (!away)
        return replyError(request.id, away.error());

    // Told on this connection before (a session's tokens never change), so a client that asked
    // for it gets the compact answer: the steady heartbeat is the bulk of presence traffic.
    const auto held = [&] {
        return std::find_if(
            m_sessions.begin(), m_sessions.end(), [&](const HeldSession &h) { return h.id == sessionId.value(); });
    };
    const bool known = held() != m_sessions.end();
    // Refused before the engine creates anything.
    if (!known && int(m_sessions.size()) + m_startingSessions >= m_host->config().maxSessions
        && m_host->pruneSessions(this) + m_startingSessions >= m_host->config().maxSessions) {
        return replyError(request.id,
            Error(Error::RateLimited,
                QStringLiteral("more than %1 sessions on one connection").arg(m_host->config().maxSessions)));
    }

    const QString id = sessionId.value();
    const bool compact = request.fields.value(QLatin1String("compact")).toBool();
    // Answered later by a cluster's shared state: until then a new session counts as one.
    if (!known)
        ++m_startingSessions;
    m_host->backend().heartbeat(m_identity, roomId.value(), id, interval.value(), away.value(), this,
        [this, requestId = *request.id, id, compact, starting = !known](const Result<HeartbeatResult> &result) {
            if (starting)
                --m_startingSessions;
            if (!result)
                return replyError(requestId, result.error());
            const QString &sessionToken = result.value().sessionToken;
            const auto held
                = std::find_if(m_sessions.begin(), m_sessions.end(), [&](const HeldSession &h) { return h.id == id; });
            bool known = held != m_sessions.end();
            // A session held under this id before may have ended meanwhile and been started anew.
            if (known && held->token != sessionToken) {
                m_sessions.erase(held);
                known = false;
            }
            if (!known)
                m_sessions.push_back({id, sessionToken});
            m_host->claimSession(sessionToken, this);
            ++m_host->metrics().heartbeats;
            if (known && compact) {
                send(Protocol::compactResult(requestId));
                return;
            }
            send(Protocol::result(requestId,
                QJsonObject {{QStringLiteral("roomToken"), result.value().roomToken},
                    {QStringLiteral("sessionToken"), sessionToken}}));
        });
}

void Connection::list(const Request &request)
{
    const Result<Protocol::RoomRef> room = Protocol::roomRef(request.fields);
    if (!room)
        return replyError(request.id, room.error());
    const Result<int> limit = Protocol::integer(request.fields, "limit", Engine::DefaultLimit, 1, Engine::MaxLimit);
    if (!limit)
        return replyError(request.id, limit.error());
    const Result<bool> withCounts = Protocol::boolean(request.fields, "counts", false);
    if (!withCounts)
        return replyError(request.id, withCounts.error());
    m_host->backend().list(m_identity, room.value().name, room.value().byId, limit.value(), this,
        [this, id = *request.id, withCounts = withCounts.value()](const Result<Backend::Listing> &listing) {
            if (!listing)
                return replyError(id, listing.error());
            if (!withCounts)
                return send(Protocol::result(id, Protocol::members(listing.value().members)));
            send(Protocol::result(id, Protocol::membersWithCounts(listing.value().members, listing.value().counts)));
        });
}

void Connection::subscribe(const Request &request)
{
    const qint64 id = *request.id;
    const auto byId = [](qint64 id) { return [id](const auto &entry) { return entry.first == id; }; };
    if (std::any_of(m_subscriptions.begin(), m_subscriptions.end(), byId(id))
        || std::find(m_pendingSubscriptions.begin(), m_pendingSubscriptions.end(), id)
            != m_pendingSubscriptions.end()) {
        return replyError(request.id,
            Error(Error::InvalidArgument, QStringLiteral("subscription %1 already exists on this connection").arg(id)));
    }
    if (int(m_subscriptions.size() + m_pendingSubscriptions.size()) >= m_host->config().maxSubscriptions) {
        return replyError(request.id,
            Error(Error::RateLimited,
                QStringLiteral("more than %1 subscriptions on one connection").arg(m_host->config().maxSubscriptions)));
    }
    const Result<Protocol::RoomRef> room = Protocol::roomRef(request.fields);
    if (!room)
        return replyError(request.id, room.error());
    const Result<int> limit = Protocol::integer(request.fields, "limit", Engine::DefaultLimit, 1, Engine::MaxLimit);
    if (!limit)
        return replyError(request.id, limit.error());
    const Result<bool> withCounts = Protocol::boolean(request.fields, "counts", false);
    if (!withCounts)
        return replyError(request.id, withCounts.error());
    m_pendingSubscriptions.push_back(id);
    m_host->backend().subscribe(m_identity, room.value().name, room.value().byId, limit.value(), withCounts.value(),
        this, [this, id](const Result<Subscription *> &subscription) {
            m_pendingSubscriptions.erase(std::remove(m_pendingSubscriptions.begin(), m_pendingSubscriptions.end(), id),
                m_pendingSubscriptions.end());
            const auto cancelled = std::find(m_cancelledSubscriptions.begin(), m_cancelledSubscriptions.end(), id);
            if (cancelled != m_cancelledSubscriptions.end()) {
                // Unsubscribed before it was made: answered as it would have been, then gone.
                m_cancelledSubscriptions.erase(cancelled);
                if (!subscription)
                    return replyError(id, subscription.error());
                const std::unique_ptr<Subscription> gone(subscription.value());
                send(Protocol::result(id,
                    gone->wantsCounts() ? QJsonValue(Protocol::membersWithCounts(gone->members(), gone->counts()))
                                        : QJsonValue(Protocol::members(gone->members()))));
                return;
            }
            if (!subscription)
                return replyError(id, subscription.error());
            Subscription *s = subscription.value();
            m_subscriptions.emplace_back(id, s);
            connect(s, &Subscription::changed, this, [this, id](const MemberDiff &diff) {
                ++m_host->metrics().pushes;
                send(m_host->diffEncoder().frame(id, diff));
            });
            send(Protocol::result(id,
                s->wantsCounts() ? QJsonValue(Protocol::membersWithCounts(s->members(), s->counts()))
                                 : QJsonValue(Protocol::members(s->members()))));
        });
}

void Connection::unsubscribe(const Request &request)
{
    const std::optional<qint64> sub = Protocol::integerValue(request.fields.value(QLatin1String("sub")));
    Subscription *s = nullptr;
    if (sub) {
        const auto it = std::find_if(
            m_subscriptions.begin(), m_subscriptions.end(), [&](const auto &entry) { return entry.first == *sub; });
        if (it != m_subscriptions.end()) {
            s = it->second;
            m_subscriptions.erase(it);
        }
    }
    if (!s && sub) {
        // Still being made (a cluster's shared state answers later): it is dropped when it comes.
        const auto pending = std::find(m_pendingSubscriptions.begin(), m_pendingSubscriptions.end(), *sub);
        const bool cancelled = std::find(m_cancelledSubscriptions.begin(), m_cancelledSubscriptions.end(), *sub)
            != m_cancelledSubscriptions.end();
        if (pending != m_pendingSubscriptions.end() && !cancelled) {
            m_cancelledSubscriptions.push_back(*sub);
            return send(Protocol::result(*request.id, true));
        }
    }
    if (!s) {
        return replyError(
            request.id, Error(Error::NotFound, QStringLiteral("no subscription with this sub on this connection")));
    }
    delete s;
    send(Protocol::result(*request.id, true));
}

void Connection::disconnectSession(const Request &request)
{
    const Result<QString> sessionToken = Protocol::string(request.fields, "sessionToken", Engine::MaxTokenLength);
    if (!sessionToken)
        return replyError(request.id, sessionToken.error());
    m_host->backend().disconnect(
        sessionToken.value(), this, [this, id = *request.id, token = sessionToken.value()](const Result<bool> &done) {
            if (!done)
                return replyError(id, done.error());
            m_host->releaseSession(token);
            send(Protocol::result(id, true));
        });
}

void Connection::update(const Request &request)
{
    const Result<QString> sessionToken = Protocol::string(request.fields, "sessionToken", Engine::MaxTokenLength);
    if (!sessionToken)
        return replyError(request.id, sessionToken.error());
    const Result<QJsonObject> data = Protocol::object(request.fields, "data");
    if (!data)
        return replyError(request.id, data.error());
    m_host->backend().update(
        m_identity, sessionToken.value(), data.value(), this, [this, id = *request.id](const Result<bool> &done) {
            if (!done)
                return replyError(id, done.error());
            ++m_host->metrics().updates;
            send(Protocol::result(id, true));
        });
}

void Connection::online(const Request &request)
{
    const Result<int> limit
        = Protocol::integer(request.fields, "limit", Engine::DefaultOnlineLimit, 1, Engine::MaxOnlineLimit);
    if (!limit)
        return replyError(request.id, limit.error());
    QString cursor;
    if (request.fields.contains(QLatin1String("cursor"))) {
        const Result<QString> given = Protocol::string(request.fields, "cursor", 4 * Engine::MaxUserIdLength);
        if (!given)
            return replyError(request.id, given.error());
        cursor = given.value();
    }
    m_host->backend().online(
        m_identity, limit.value(), cursor, this, [this, id = *request.id](const Result<OnlinePage> &page) {
            if (!page)
                return replyError(id, page.error());
            send(Protocol::result(id, Protocol::onlinePage(page.value())));
        });
}

void Connection::whereis(const Request &request)
{
    const Result<QString> userId = Protocol::string(request.fields, "userId", Engine::MaxUserIdLength);
    if (!userId)
        return replyError(request.id, userId.error());
    m_host->backend().whereis(
        m_identity, userId.value(), this, [this, id = *request.id](const Result<QStringList> &rooms) {
            if (!rooms)
                return replyError(id, rooms.error());
            send(Protocol::result(
                id, QJsonObject {{QStringLiteral("rooms"), QJsonArray::fromStringList(rooms.value())}}));
        });
}

void Connection::kick(const Request &request)
{
    const Result<QString> roomId = Protocol::string(request.fields, "roomId", Engine::MaxRoomIdLength);
    if (!roomId)
        return replyError(request.id, roomId.error());
    const Result<QString> userId = Protocol::string(request.fields, "userId", Engine::MaxUserIdLength);
    if (!userId)
        return replyError(request.id, userId.error());
    m_host->backend().kick(m_identity, roomId.value(), userId.value(), this,
        [this, id = *request.id](const Result<int> &ended) { replyEnded(id, ended); });
}

void Connection::removeRoom(const Request &request)
{
    const Result<QString> roomId = Protocol::string(request.fields, "roomId", Engine::MaxRoomIdLength);
    if (!roomId)
        return replyError(request.id, roomId.error());
    m_host->backend().removeRoom(m_identity, roomId.value(), this,
        [this, id = *request.id](const Result<int> &ended) { replyEnded(id, ended); });
}

void Connection::replyEnded(qint64 id, const Result<int> &ended)
{
    if (!ended)
        return replyError(id, ended.error());
    send(Protocol::result(id, QJsonObject {{QStringLiteral("sessions"), ended.value()}}));
}

void Connection::replyError(std::optional<qint64> id, const Error &error)
{
    m_host->metrics().countError(error.code());
    send(Protocol::error(id, error));
}

void Connection::send(const QByteArray &frame)
{
    if (m_closing || (m_budget && m_budget->overrun()))
        return;
    m_host->metrics().bytesOut += quint64(frame.size());
    m_socket->sendTextMessage(QString::fromUtf8(frame));
    // Write now rather than on the next write-ready wake-up: one pass of the loop per message.
    m_socket->flush();
    if (m_budget)
        m_budget->checkSendCap(); // over the cap, the budget cuts the socket from the event loop
    else if (m_socket->bytesToWrite() > m_host->config().maxSendBuffer) {
        // It does not read; a close frame would queue behind the rest, so cut the socket.
        abortLater("slow_reader");
    }
}

} // namespace Presence
