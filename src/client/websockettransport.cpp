#include "websockettransport_p.h"

#include "disconnectbeacon_p.h"
#include "protocol.h"

#include <QDateTime>
#include <QEventLoop>
#include <QLoggingCategory>
#include <QRandomGenerator>

#include <cmath>

namespace Presence {

Q_LOGGING_CATEGORY(lcTransport, "presence.client", QtInfoMsg)

namespace {

Error malformed(const QString &what)
{
    return Error(Error::Internal, QStringLiteral("malformed reply from the server: %1").arg(what));
}

} // namespace

WebSocketTransport::WebSocketTransport(const QUrl &url, QObject *parent)
    : Transport(parent)
    , m_url(url)
    , m_beacon(new DisconnectBeacon(url, this))
{
    m_reconnect.setSingleShot(true);
    connect(&m_reconnect, &QTimer::timeout, this, &WebSocketTransport::connectSocket);
    m_refresh.setSingleShot(true);
    connect(&m_refresh, &QTimer::timeout, this, &Transport::tokenExpiring);
    connect(&m_socket, &QWebSocket::connected, this, &WebSocketTransport::onConnected);
    connect(&m_socket, &QWebSocket::disconnected, this, &WebSocketTransport::onDisconnected);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &WebSocketTransport::onMessage);
    m_clock.start();
    connect(&m_stallCheck, &QTimer::timeout, this, &WebSocketTransport::checkStalled);
    m_stallCheck.start(1000);
}

void WebSocketTransport::checkStalled()
{
    if (m_socket.state() != QAbstractSocket::ConnectedState)
        return;
    if (m_pending.oldestAge(m_clock.elapsed()) > RequestTimeoutMs) {
        qCInfo(lcTransport) << "no answer for" << RequestTimeoutMs << "ms: reconnecting";
        reconnectNow();
    }
}

WebSocketTransport::~WebSocketTransport()
{
    m_socket.disconnect(this);
    m_socket.abort();
}

void WebSocketTransport::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void WebSocketTransport::start()
{
    if (m_started)
        return;
    m_started = true;
    connectSocket();
}

void WebSocketTransport::reconnectNow()
{
    if (!m_started)
        return;
    m_attempt = 0;
    if (m_socket.state() != QAbstractSocket::UnconnectedState) {
        m_immediate = true;
        m_socket.abort(); // onDisconnected reconnects
        return;
    }
    m_reconnect.stop();
    connectSocket();
}

void WebSocketTransport::connectSocket()
{
    if (m_socket.state() != QAbstractSocket::UnconnectedState)
        return;
    if (m_token.isEmpty()) {
        // Nobody to be (not signed in yet, or signed out): ask for a token, connect once given.
        setState(Disconnected);
        QMetaObject::invokeMethod(this, &Transport::tokenExpiring, Qt::QueuedConnection);
        return;
    }
    setState(Connecting);
    m_socket.open(m_url);
}

void WebSocketTransport::onConnected()
{
    qCDebug(lcTransport) << "connected to" << m_url;
    m_authenticated = false;
    authenticate(); // Connected once the server has accepted the token
}

void WebSocketTransport::authenticate()
{
    if (m_token.isEmpty()) {
        Q_EMIT tokenExpiring();
        return;
    }
    const qint64 id = m_nextId++;
    send(id, Protocol::authRequest(id, m_token), this, [this](const Result<QJsonValue> &result) {
        if (!result) {
            Q_EMIT errorOccurred(result.error());
            if (result.error().code() == Error::Unauthenticated)
                Q_EMIT tokenExpiring();
            return;
        }
        const QJsonObject identity = result.value().toObject();
        const QString userId = identity.value(QLatin1String("userId")).toString();
        if (userId.isEmpty()) {
            Q_EMIT errorOccurred(malformed(QStringLiteral("auth result without userId")));
            return;
        }
        // Ask for a new token a fifth of its life (at most a minute) before it expires.
        const qint64 validUntil = qint64(identity.value(QLatin1String("validUntil")).toDouble());
        if (validUntil > 0) {
            const qint64 left = validUntil - QDateTime::currentMSecsSinceEpoch();
            m_refresh.start(int(std::clamp<qint64>(left - std::min<qint64>(60'000, left / 5), 0, 24 * 3600 * 1000)));
        }
        const bool first = !m_authenticated;
        m_authenticated = true;
        m_attempt = 0;
        Q_EMIT identityChanged(userId, identity.value(QLatin1String("name")).toString(),
            identity.value(QLatin1String("image")).toString());
        setState(Connected);
        if (first)
            Q_EMIT ready(); // rooms heartbeat first, so their subscriptions list them online
        // Subscriptions not (or no longer) held by the server: after a reconnect, or
        // refused while the token was expired. Unsubscribes refused then go now.
        for (const int handle : m_subs.unconfirmed())
            sendSubscribe(handle);
        for (const qint64 serverId : m_subs.takeUnsubscribesLater())
            sendUnsubscribe(serverId);
    });
}

void WebSocketTransport::setToken(const QString &token)
{
    if (token == m_token)
        return;
    m_token = token;
    if (m_socket.state() == QAbstractSocket::ConnectedState) {
        authenticate();
    } else if (m_started && !m_token.isEmpty() && m_socket.state() == QAbstractSocket::UnconnectedState
        && !m_reconnect.isActive()) {
        connectSocket(); // it was waiting for a token
    }
}

void WebSocketTransport::onDisconnected()
{
    qCDebug(lcTransport) << "disconnected:" << m_socket.closeCode() << m_socket.closeReason() << m_socket.errorString();
    m_authenticated = false;
    m_refresh.stop();
    // Requests in flight are lost with the socket; their senders retry on their own schedule.
    m_disconnectsInFlight = 0;
    m_subs.connectionLost();
    m_pending.failAll(Error(Error::Internal, QStringLiteral("connection lost")));
    m_told.clear(); // a new connection is told the tokens again
    setState(Disconnected);
    if (!m_started)
        return;
    if (std::exchange(m_immediate, false))
        QMetaObject::invokeMethod(this, &WebSocketTransport::connectSocket, Qt::QueuedConnection);
    else
        scheduleReconnect();
}

void WebSocketTransport::scheduleReconnect()
{
    // 0.5 s, 1 s, 2 s … 30 s, each ±20 %, so a restarted server is not hit by everyone at once.
    const double base = std::min<double>(MaxBackoffMs, InitialBackoffMs * std::pow(2.0, m_attempt));
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    ++m_attempt;
    m_reconnect.start(int(base * jitter));
}

void WebSocketTransport::send(
    qint64 id, const QByteArray &frame, QObject *context, std::function<void(const Result<QJsonValue> &)> done)
{
    if (m_socket.state() != QAbstractSocket::ConnectedState) {
        QMetaObject::invokeMethod(
            context, [done] { done(Error(Error::Internal, QStringLiteral("not connected"))); }, Qt::QueuedConnection);
        return;
    }
    m_pending.add(id, context, std::move(done), m_clock.elapsed());
    m_socket.sendTextMessage(QString::fromUtf8(frame));
}

void WebSocketTransport::heartbeat(
    const QString &roomId, const QString &sessionId, int interval, bool away, QObject *context, HeartbeatDone done)
{
    if (!m_authenticated) {
        QMetaObject::invokeMethod(
            context, [done] { done(Error(Error::Internal, QStringLiteral("not connected"))); }, Qt::QueuedConnection);
        return;
    }
    // Compact: once the server has told this connection a session's tokens, it answers later
    // heartbeats of that session with a bare result (docs/protocol.md).
    const qint64 id = m_nextId++;
    send(id, Protocol::heartbeatRequest(id, roomId, sessionId, interval, true, away), context,
        [this, sessionId, done](const Result<QJsonValue> &result) {
            if (!result)
                return done(result.error());
            if (result.value().isUndefined() || result.value().isNull()) {
                const auto told = m_told.constFind(sessionId);
                if (told == m_told.cend())
                    return done(malformed(QStringLiteral("compact heartbeat result for a session never told")));
                return done(*told);
            }
            const std::optional<HeartbeatResult> tokens = Protocol::heartbeatResultFrom(result.value());
            if (!tokens)
                return done(malformed(QStringLiteral("heartbeat result without valid tokens")));
            m_told.insert(sessionId, *tokens);
            done(*tokens);
        });
}

int WebSocketTransport::subscribe(
    const QString &roomToken, int limit, QObject *context, ListDone list, DiffHandler diff)
{
    const int handle = m_subs.add({roomToken, limit, context, std::move(list), std::move(diff)});
    if (m_authenticated)
        sendSubscribe(handle);
    return handle;
}

int WebSocketTransport::watch(const QString &roomId, int limit, QObject *context, ListDone list, DiffHandler diff)
{
    SubscriptionTable::Entry entry {QString(), limit, context, std::move(list), std::move(diff)};
    entry.roomId = roomId;
    const int handle = m_subs.add(std::move(entry));
    if (m_authenticated)
        sendSubscribe(handle);
    return handle;
}

void WebSocketTransport::sendSubscribe(int handle)
{
    const SubscriptionTable::Entry *sub = m_subs.find(handle);
    if (!sub)
        return; // unsubscribed meanwhile
    const qint64 id = m_nextId++;
    m_subs.sent(handle, id);
    const QByteArray request = sub->roomId.isEmpty()
        ? Protocol::subscribeRequest(id, sub->roomToken, sub->limit, true)
        : Protocol::subscribeRoomRequest(id, sub->roomId, sub->limit, true);
    send(id, request, sub->context, [this, handle](const Result<QJsonValue> &result) {
        SubscriptionTable::Entry *sub = m_subs.find(handle);
        if (!sub)
            return;
        const ListDone list = sub->list; // the callback may add or drop subscriptions
        if (!result) {
            m_subs.refused(handle); // retried after the next auth
            return list(result.error());
        }
        // With counts (asked for), or the plain list of a server that does not know them.
        Listing listing;
        if (const auto counted = Protocol::membersWithCountsFrom(result.value())) {
            listing = {counted->first, counted->second};
        } else if (const std::optional<QList<Member>> members = Protocol::membersFrom(result.value())) {
            listing.members = *members;
        } else {
            return list(malformed(QStringLiteral("subscribe result is not a member list")));
        }
        sub->confirmed = true;
        list(listing);
    });
}

void WebSocketTransport::unsubscribe(int handle)
{
    const std::optional<qint64> serverId = m_subs.remove(handle);
    if (serverId && m_socket.state() == QAbstractSocket::ConnectedState)
        sendUnsubscribe(*serverId);
}

void WebSocketTransport::sendUnsubscribe(qint64 serverId)
{
    const qint64 id = m_nextId++;
    send(id, Protocol::unsubscribeRequest(id, serverId), this, [this, serverId](const Result<QJsonValue> &result) {
        // Refused with an expired token: the server still holds it; try after the next auth.
        if (!result && result.error().code() == Error::Unauthenticated)
            m_subs.unsubscribeLater(serverId);
    });
}

void WebSocketTransport::disconnectSession(const QString &sessionToken)
{
    if (m_socket.state() != QAbstractSocket::ConnectedState) {
        m_beacon->send(sessionToken); // the socket is down
        return;
    }
    ++m_disconnectsInFlight;
    const qint64 id = m_nextId++;
    send(id, Protocol::disconnectRequest(id, sessionToken), this,
        [this](const Result<QJsonValue> &) { m_disconnectsInFlight = std::max(0, m_disconnectsInFlight - 1); });
    m_socket.flush();
}

void WebSocketTransport::update(const QString &sessionToken, const QJsonObject &data, QObject *context, UpdateDone done)
{
    if (!m_authenticated) {
        QMetaObject::invokeMethod(
            context, [done] { done(Error(Error::Internal, QStringLiteral("not connected"))); }, Qt::QueuedConnection);
        return;
    }
    const qint64 id = m_nextId++;
    send(id, Protocol::updateRequest(id, sessionToken, data), context, [done](const Result<QJsonValue> &result) {
        if (!result)
            return done(result.error());
        done(true);
    });
}

void WebSocketTransport::online(int limit, const QString &cursor, QObject *context, OnlineDone done)
{
    if (!m_authenticated) {
        QMetaObject::invokeMethod(
            context, [done] { done(Error(Error::Internal, QStringLiteral("not connected"))); }, Qt::QueuedConnection);
        return;
    }
    const qint64 id = m_nextId++;
    send(id, Protocol::onlineRequest(id, limit, cursor), context, [done](const Result<QJsonValue> &result) {
        if (!result)
            return done(result.error());
        const std::optional<OnlinePage> page = Protocol::onlinePageFrom(result.value());
        if (!page)
            return done(malformed(QStringLiteral("online result is not a page of users")));
        done(*page);
    });
}

void WebSocketTransport::flush(int timeoutMs)
{
    if (m_disconnectsInFlight + m_beacon->inFlight() == 0)
        return;
    QElapsedTimer timer;
    timer.start();
    QEventLoop loop;
    QTimer tick;
    connect(&tick, &QTimer::timeout, &loop, [&] {
        if (m_disconnectsInFlight + m_beacon->inFlight() == 0 || timer.elapsed() >= timeoutMs)
            loop.quit();
    });
    tick.start(5);
    loop.exec(QEventLoop::ExcludeUserInputEvents);
}

void WebSocketTransport::onMessage(const QString &text)
{
    const Reply reply = Protocol::parseReply(text.toUtf8());
    switch (reply.kind) {
    case Reply::Diff: {
        const SubscriptionTable::Entry *sub = m_subs.byServerId(reply.subscription);
        if (!sub || !sub->context)
            return;
        const DiffHandler handler = sub->diff; // it may unsubscribe, or subscribe others
        handler(reply.diff);
        return;
    }
    case Reply::Invalid:
        if (reply.id && m_pending.isWaiting(*reply.id)) {
            Q_EMIT errorOccurred(reply.error);
            m_pending.answer(*reply.id, reply.error);
        } else if (const SubscriptionTable::Entry *sub = m_subs.byServerId(reply.subscription); sub && sub->context) {
            Q_EMIT errorOccurred(reply.error); // a push for a live subscription that does not fit
        } else {
            // A frame this version does not know (a newer server's push), or for nobody: not
            // the user's problem.
            qCDebug(lcTransport) << "ignoring a frame:" << reply.error.message();
        }
        return;
    case Reply::Error:
        if (!reply.id) {
            Q_EMIT errorOccurred(reply.error);
            m_pending.answerOldest(reply.error);
            return;
        }
        if (reply.error.code() == Error::Unauthenticated && m_authenticated && m_pending.isWaiting(*reply.id))
            Q_EMIT tokenExpiring();
        m_pending.answer(*reply.id, reply.error);
        return;
    case Reply::Result:
        m_pending.answer(*reply.id, reply.result);
        return;
    case Reply::Kicked:
        // This connection is one user's: every session of theirs in the room was ended.
        Q_EMIT kicked(reply.roomId, QString());
        return;
    }
}

} // namespace Presence
