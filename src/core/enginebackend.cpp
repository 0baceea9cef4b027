#include "enginebackend.h"

#include "engine.h"

namespace Presence {

EngineBackend::EngineBackend(Engine *engine, QObject *parent)
    : Backend(parent)
    , m_engine(engine)
{
    connect(engine, &Engine::kicked, this, &Backend::kicked);
}

void EngineBackend::heartbeat(const Identity &identity, const QString &roomId, const QString &sessionId, int interval,
    bool away, const QObject *, Done<HeartbeatResult> done)
{
    done(m_engine->heartbeat(identity, roomId, sessionId, interval, away));
}

void EngineBackend::update(
    const Identity &identity, const QString &sessionToken, const QJsonObject &data, const QObject *, Done<bool> done)
{
    done(m_engine->update(identity, sessionToken, data));
}

void EngineBackend::disconnect(const QString &sessionToken, const QObject *, Done<bool> done)
{
    done(m_engine->disconnect(sessionToken));
}

void EngineBackend::expireWithin(const QString &sessionToken, int graceMs)
{
    m_engine->expireWithin(sessionToken, graceMs);
}

void EngineBackend::list(
    const Identity &identity, const QString &room, bool byId, int limit, const QObject *, Done<Listing> done)
{
    const Result<QList<Member>> members
        = byId ? m_engine->listRoom(identity, room, limit) : m_engine->list(identity, room, limit);
    if (!members)
        return done(members.error());
    const Result<RoomCounts> counts = byId ? m_engine->countsOfRoom(identity, room) : m_engine->counts(identity, room);
    if (!counts)
        return done(counts.error());
    done(Listing {members.value(), counts.value()});
}

void EngineBackend::subscribe(const Identity &identity, const QString &room, bool byId, int limit, bool wantsCounts,
    const QObject *, Done<Subscription *> done)
{
    done(byId ? m_engine->subscribeRoom(identity, room, limit, nullptr, wantsCounts)
              : m_engine->subscribe(identity, room, limit, nullptr, wantsCounts));
}

void EngineBackend::online(
    const Identity &identity, int limit, const QString &cursor, const QObject *, Done<OnlinePage> done)
{
    done(m_engine->online(identity, limit, cursor));
}

void EngineBackend::whereis(const Identity &identity, const QString &userId, const QObject *, Done<QStringList> done)
{
    done(m_engine->whereis(identity, userId));
}

void EngineBackend::kick(
    const Identity &identity, const QString &roomId, const QString &userId, const QObject *, Done<int> done)
{
    done(m_engine->kick(identity, roomId, userId));
}

void EngineBackend::removeRoom(const Identity &identity, const QString &roomId, const QObject *, Done<int> done)
{
    done(m_engine->removeRoom(identity, roomId));
}

bool EngineBackend::mayHaveSession(const QString &sessionToken) const
{
    return m_engine->hasSession(sessionToken);
}

} // namespace Presence
