#include "subscription.h"

#include "engine.h"

namespace Presence {

Subscription::Subscription(Engine *engine, EngineRoom *room, const QString &roomToken, int limit, bool wantsCounts,
    const QString &owner, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_room(room)
    , m_owner(owner)
    , m_roomToken(roomToken)
    , m_limit(limit)
    , m_wantsCounts(wantsCounts)
    , m_sentCounts(counts())
{
}

Subscription::~Subscription()
{
    if (m_engine)
        m_engine->unsubscribe(this);
}

QList<Member> Subscription::members() const
{
    return m_engine ? m_engine->members(m_room, m_limit) : QList<Member>();
}

RoomCounts Subscription::counts() const
{
    return m_engine ? m_engine->counts(m_room) : RoomCounts();
}

} // namespace Presence
