#include "embeddedtransport_p.h"

#include "embeddedserver_p.h"
#include "subscription.h"

namespace Presence {

namespace {
Error gone()
{
    return Error(Error::Internal, QStringLiteral("the embedded server is gone"));
}
} // namespace

EmbeddedTransport::EmbeddedTransport(EmbeddedServer *server, const Identity &identity, QObject *parent)
    : Transport(parent)
    , m_server(server)
    , m_identity(identity)
{
}

Engine *EmbeddedTransport::engine() const
{
    const EmbeddedServerPrivate *server = EmbeddedServerPrivate::get(m_server);
    return server ? server->engine() : nullptr;
}

EmbeddedTransport::~EmbeddedTransport()
{
    qDeleteAll(m_subscriptions);
}

void EmbeddedTransport::watchKicks()
{
    // One engine serves every client of the process: a token says whose session it was.
    Engine *engine = this->engine();
    if (!engine || engine == m_watched)
        return;
    m_watched = engine;
    connect(engine, &Engine::kicked, this,
        [this](const QString &sessionToken, const QString &roomId) { Q_EMIT kicked(roomId, sessionToken); });
}

void EmbeddedTransport::start()
{
    if (m_started)
        return;
    m_started = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            Q_EMIT stateChanged(Connected);
            Q_EMIT identityChanged(m_identity.userId, m_identity.name, m_identity.picture);
            Q_EMIT ready();
        },
        Qt::QueuedConnection);
}

void EmbeddedTransport::reconnectNow()
{
    // Nothing to reconnect; after a sleep the rooms still heartbeat at once.
    if (m_started)
        QMetaObject::invokeMethod(this, &Transport::ready, Qt::QueuedConnection);
}

void EmbeddedTransport::heartbeat(
    const QString &roomId, const QString &sessionId, int interval, bool away, QObject *context, HeartbeatDone done)
{
    watchKicks(); // the server's engine may have been opened since start()
    Engine *engine = this->engine();
    Result<HeartbeatResult> result
        = engine ? engine->heartbeat(m_identity, roomId, sessionId, interval, away) : Result<HeartbeatResult>(gone());
    // Answered from the event loop, as a network reply would be.
    QMetaObject::invokeMethod(
        context, [done, result] { done(result); }, Qt::QueuedConnection);
}

void EmbeddedTransport::update(const QString &sessionToken, const QJsonObject &data, QObject *context, UpdateDone done)
{
    Engine *engine = this->engine();
    Result<bool> result = engine ? engine->update(m_identity, sessionToken, data) : Result<bool>(gone());
    QMetaObject::invokeMethod(
        context, [done, result] { done(result); }, Qt::QueuedConnection);
}

int EmbeddedTransport::subscribe(const QString &roomToken, int limit, QObject *context, ListDone list, DiffHandler diff)
{
    Engine *engine = this->engine();
    return adopt(engine ? engine->subscribe(m_identity, roomToken, limit, nullptr, true) : gone(), context,
        std::move(list), std::move(diff));
}

int EmbeddedTransport::watch(const QString &roomId, int limit, QObject *context, ListDone list, DiffHandler diff)
{
    Engine *engine = this->engine();
    return adopt(engine ? engine->subscribeRoom(m_identity, roomId, limit, nullptr, true) : gone(), context,
        std::move(list), std::move(diff));
}

int EmbeddedTransport::adopt(Result<Subscription *> subscription, QObject *context, ListDone list, DiffHandler diff)
{
    const int handle = m_nextHandle++;
    if (!subscription) {
        const Error error = subscription.error();
        QMetaObject::invokeMethod(
            context, [list, error] { list(error); }, Qt::QueuedConnection);
        return handle;
    }
    Subscription *s = subscription.value();
    m_subscriptions.insert(handle, s);
    const Listing listing {s->members(), s->counts()};
    QMetaObject::invokeMethod(
        context, [list, listing] { list(listing); }, Qt::QueuedConnection);
    // Queued like the list above, so a change never overtakes the list it changes.
    connect(s, &Subscription::changed, context, [context, diff](const MemberDiff &change) {
        QMetaObject::invokeMethod(
            context, [diff, change] { diff(change); }, Qt::QueuedConnection);
    });
    return handle;
}

void EmbeddedTransport::online(int limit, const QString &cursor, QObject *context, OnlineDone done)
{
    Engine *engine = this->engine();
    Result<OnlinePage> page = engine ? engine->online(m_identity, limit, cursor) : Result<OnlinePage>(gone());
    QMetaObject::invokeMethod(
        context, [done, page] { done(page); }, Qt::QueuedConnection);
}

void EmbeddedTransport::unsubscribe(int handle)
{
    delete m_subscriptions.take(handle);
}

void EmbeddedTransport::disconnectSession(const QString &sessionToken)
{
    if (Engine *engine = this->engine())
        engine->disconnect(sessionToken);
}

} // namespace Presence
