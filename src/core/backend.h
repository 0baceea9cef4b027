#pragma once

#include "heartbeatresult.h"
#include "identity.h"
#include "member.h"
#include "onlineuser.h"
#include "result.h"
#include "roomcounts.h"

#include <QJsonObject>
#include <QObject>

#include <functional>

namespace Presence {

class Engine;
class Subscription;

/// Where a server's requests are served: an Engine it holds (EngineBackend), or the shared
/// state of a cluster of servers (RedisBackend). The same operations as Engine, answered
/// through a callback, since shared state is a round trip away.
///
/// Every callback runs exactly once, unless `context` is destroyed first; an EngineBackend
/// answers within the call, a remote one later. Errors are the engine's, plus Unavailable when
/// the shared state cannot be reached.
class Backend : public QObject
{
    Q_OBJECT
public:
    template<class T>
    using Done = std::function<void(const Result<T> &)>;

    /// A room's members, and its counts.
    struct Listing
    {
        QList<Member> members;
        RoomCounts counts;
    };

    using QObject::QObject;

    virtual void heartbeat(const Identity &identity, const QString &roomId, const QString &sessionId, int interval,
        bool away, const QObject *context, Done<HeartbeatResult> done)
        = 0;
    virtual void update(const Identity &identity, const QString &sessionToken, const QJsonObject &data,
        const QObject *context, Done<bool> done)
        = 0;
    virtual void disconnect(const QString &sessionToken, const QObject *context, Done<bool> done) = 0;
    /// Engine::expireWithin(), with no answer.
    virtual void expireWithin(const QString &sessionToken, int graceMs) = 0;
    /// `room` is a room token, or with `byId` a roomId of the caller's organization.
    virtual void list(
        const Identity &identity, const QString &room, bool byId, int limit, const QObject *context, Done<Listing> done)
        = 0;
    /// The subscription is the caller's; deleting it unsubscribes.
    virtual void subscribe(const Identity &identity, const QString &room, bool byId, int limit, bool wantsCounts,
        const QObject *context, Done<Subscription *> done)
        = 0;
    virtual void online(
        const Identity &identity, int limit, const QString &cursor, const QObject *context, Done<OnlinePage> done)
        = 0;
    virtual void whereis(
        const Identity &identity, const QString &userId, const QObject *context, Done<QStringList> done)
        = 0;
    virtual void kick(
        const Identity &identity, const QString &roomId, const QString &userId, const QObject *context, Done<int> done)
        = 0;
    virtual void removeRoom(const Identity &identity, const QString &roomId, const QObject *context, Done<int> done)
        = 0;

    /// Whether the session may still be live, as far as this server can tell without asking:
    /// false only for one known to have ended.
    virtual bool mayHaveSession(const QString &sessionToken) const = 0;

    /// The engine this server serves lists and subscriptions from: the one that holds the
    /// rooms, or one that mirrors them.
    virtual Engine &engine() = 0;

Q_SIGNALS:
    /// Engine::kicked(), for sessions this server looks after.
    void kicked(const QString &sessionToken, const QString &roomId);
};

} // namespace Presence
