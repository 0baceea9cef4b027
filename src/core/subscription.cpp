#include "subscription.h"

#include "engine.h"

namespace Presence {

Subscription::Subscription(
    Engine *engine, EngineRoom *room, const QString &roomToken, int limit, const QString &owner, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_room(room)
    , m_owner(owner)
    , m_roomToken(roomToken)
    , m_limit(limit)
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

} // namespace Presence
