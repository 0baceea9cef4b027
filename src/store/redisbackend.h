#pragma once

#include "backend.h"
#include "memberevent.h"
#include "redisaddress.h"

#include <memory>

namespace Presence {

class Clock;
class RedisBackendPrivate;

/// A Backend on the shared state of a cluster of presence-server nodes, in Redis (7.0 or
/// later): any number of nodes started on the same Redis serve the same rooms.
///
/// The rooms' truth is in Redis, changed only by the functions of redis/presence.lua, one per
/// operation, so that every decision is atomic: two windows of one user closing on two nodes at
/// once give exactly one leave. Each change that watchers can see raises the room's version and
/// is published; a node listens only to the rooms its clients list or watch, mirrors them into
/// an Engine of its own (which computes every subscriber's diffs, as one server does) and reads
/// a room again when it misses a version.
///
/// Deadlines are kept in Redis. One node at a time, under a lease, ends the sessions that are
/// due and notices nodes that are gone: each node refreshes a liveness key, and the sessions of
/// a node whose key lapsed get the close grace, as a dropped socket's would. A node that stops
/// cleanly (handOver()) leaves its sessions their deadlines, for their clients to heartbeat
/// from another node.
///
/// While Redis cannot be reached, requests fail at once with Unavailable.
class RedisBackend : public Backend
{
    Q_OBJECT
public:
    struct Options
    {
        RedisAddress address;
        int closeGrace = 5000; ///< ms left to the sessions of a node that is gone
        int timeout = 2000; ///< ms Redis may take to answer before requests fail as Unavailable
        int livenessTtl = 3000; ///< ms after its last sign of life that a node counts as gone
        int sweepInterval = 250; ///< ms between two sweeps of due deadlines
    };

    /// `clock` gives the times written (deadlines, lastDisconnected); the nodes' clocks should be
    /// synchronized (NTP). It must outlive the backend.
    RedisBackend(const Options &options, Clock *clock, QObject *parent = nullptr);
    ~RedisBackend() override;

    /// Connects (and reconnects after every loss), and starts the node's liveness and sweeping.
    void open();
    bool isReady() const;
    QString nodeId() const;

    /// Member events for webhooks, delivered once for the whole cluster: Redis records them
    /// while some node asks for them (this call, renewed), and the node holding the lease hands
    /// them to memberEvents() in order, each room's in the order they happened. Redis keeps at
    /// most `maxQueue` per partition that were not handled yet; beyond it the oldest go.
    void setRecordingEvents(int maxQueue);
    /// The events up to and including `upToId` (MemberEvent::id) were delivered or given up on.
    void eventsHandled(qint64 upToId);

    /// A clean stop: the node's sessions keep their deadlines and it leaves the cluster.
    /// `done` runs once Redis has it (or could not be reached).
    void handOver(std::function<void()> done);

    void heartbeat(const Identity &identity, const QString &roomId, const QString &sessionId, int interval, bool away,
        const QObject *context, Done<HeartbeatResult> done) override;
    void update(const Identity &identity, const QString &sessionToken, const QJsonObject &data, const QObject *context,
        Done<bool> done) override;
    void disconnect(const QString &sessionToken, const QObject *context, Done<bool> done) override;
    void expireWithin(const QString &sessionToken, int graceMs) override;
    void list(const Identity &identity, const QString &room, bool byId, int limit, const QObject *context,
        Done<Listing> done) override;
    void subscribe(const Identity &identity, const QString &room, bool byId, int limit, bool wantsCounts,
        const QObject *context, Done<Subscription *> done) override;
    void online(const Identity &identity, int limit, const QString &cursor, const QObject *context,
        Done<OnlinePage> done) override;
    void whereis(
        const Identity &identity, const QString &userId, const QObject *context, Done<QStringList> done) override;
    void kick(const Identity &identity, const QString &roomId, const QString &userId, const QObject *context,
        Done<int> done) override;
    void removeRoom(const Identity &identity, const QString &roomId, const QObject *context, Done<int> done) override;
    bool mayHaveSession(const QString &sessionToken) const override;
    Engine &engine() override;

    struct Stats
    {
        quint64 commands = 0; ///< sent to Redis (each one request: pipelined, not a round trip of its own)
        quint64 unavailable = 0; ///< requests failed because Redis could not be reached
        quint64 reads = 0; ///< rooms read whole (a list, a first watcher, a missed version)
        quint64 gaps = 0; ///< of those, for a missed version
        quint64 events = 0; ///< changes applied from other nodes' (and this one's) publications
        quint64 expired = 0; ///< sessions this node ended as due
        quint64 orphaned = 0; ///< sessions of gone nodes given the close grace by this node
        quint64 forgotten = 0; ///< offline members this node forgot after the retention
        quint64 droppedRooms = 0; ///< rooms this node dropped once nobody was left in them
        quint64 memberEvents = 0; ///< handed to memberEvents() by this node
        quint64 redirections = 0; ///< MOVED and ASK replies of a Redis Cluster followed
        int mirroredRooms = 0;
        int shards = 0; ///< Redis primaries that own slots (1 for one Redis server)
        bool sweeping = false; ///< this node holds the lease
    };
    Stats stats() const;

Q_SIGNALS:
    /// Redis can be reached again / can no longer be.
    void ready();
    void unavailable(const QString &why);
    /// Member events to deliver (Engine::memberEvents() of a cluster).
    void memberEvents(const QList<Presence::MemberEvent> &events);

private:
    std::unique_ptr<RedisBackendPrivate> d;
};

} // namespace Presence
