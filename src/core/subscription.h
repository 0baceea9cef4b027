#pragma once

#include "memberdiff.h"
#include "roomcounts.h"

#include <QObject>
#include <QPointer>

namespace Presence {

class Engine;
struct EngineRoom;

/// A live view of the first `limit` members of a room, made by Engine::subscribe().
/// changed() fires only when something in that view changed; deleting it unsubscribes.
class Subscription : public QObject
{
    Q_OBJECT
public:
    ~Subscription() override;

    QString roomToken() const { return m_roomToken; }
    int limit() const { return m_limit; }
    /// Whether its diffs carry the room's counts when they change.
    bool wantsCounts() const { return m_wantsCounts; }
    /// The view as it is now.
    QList<Member> members() const;
    /// The room's counts as they are now.
    RoomCounts counts() const;

Q_SIGNALS:
    void changed(const Presence::MemberDiff &diff);

private:
    friend class Engine;
    friend class EnginePrivate;
    Subscription(Engine *engine, EngineRoom *room, const QString &roomToken, int limit, bool wantsCounts,
        const QString &owner, QObject *parent);

    QPointer<Engine> m_engine;
    EngineRoom *m_room;
    QString m_owner; // the subscriber's organization and userId, for their quota
    QString m_roomToken;
    int m_limit;
    bool m_wantsCounts;
    RoomCounts m_sentCounts; // the counts this subscriber was last told
};

} // namespace Presence
