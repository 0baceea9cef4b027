#pragma once

#include "redisaddress.h"
#include "redisconnection.h"

#include <QObject>

#include <memory>
#include <optional>

namespace Presence {

class RedisClusterPrivate;

/// Redis as a whole, one server or a Redis Cluster of several shards: each command goes to the
/// shard that owns its key's hash slot, each shard channel to a subscriber connection on that
/// shard. Which of the two it is comes from Redis itself (CLUSTER SLOTS), so one URL, of any
/// node, serves both.
///
/// In a cluster it keeps the slot map, a commands connection to every primary (and one
/// subscriber connection to each primary that carries a channel), follows MOVED (updating the
/// map) and ASK redirections, and asks for the map again after a redirection, a lost shard and
/// every 10 s, so that a failover or a resharding is followed within a moment. A cluster's
/// passing states (CLUSTERDOWN, TRYAGAIN: a failover or a migration under way; LOADING: a
/// restarted Redis reading its data back) fail as
/// RedisReply::Unavailable, as a Redis out of reach does: the caller's caller comes back later.
///
/// Commands to one slot are answered in the order they were sent (one connection carries
/// them); commands to different slots may be answered in any order.
class RedisCluster : public QObject
{
    Q_OBJECT
public:
    explicit RedisCluster(const RedisAddress &address, QObject *parent = nullptr);
    /// Commands still pending get no callback.
    ~RedisCluster() override;

    /// The hash slot (0–16383) of `key`: CRC16 of its {hash tag}, or of all of it.
    static quint16 slotOf(QByteArrayView key);

    /// Slots `first` to `last` are served by the primary at host:port (an empty host: the node
    /// that answered).
    struct SlotRange
    {
        int first = 0;
        int last = 0;
        QString host;
        quint16 port = 0;
    };
    /// The ranges of a CLUSTER SLOTS reply; an entry whose slots or port are out of range, or
    /// that is not shaped like one, is left out.
    static QList<SlotRange> slotRanges(const RedisReply &clusterSlots);

    /// "MOVED 3999 127.0.0.1:6381" or "ASK 3999 127.0.0.1:6381".
    struct Redirection
    {
        bool ask = false;
        int slot = 0;
        QString host;
        quint16 port = 0;
    };
    /// The redirection an error reply says, if it is a well-formed one.
    static std::optional<Redirection> redirection(const QByteArray &error);

    /// Starts connecting (and reconnecting after every loss, until destroyed).
    void open();
    /// The slot map is known and every primary that owns slots is connected.
    bool isReady() const;
    /// Redis answered that it is a Redis Cluster.
    bool isCluster() const;
    /// See RedisConnection: for every connection.
    void setTimeout(int ms);
    void setMaxPending(int count);

    /// Sent to every primary each time it (re)connects, ahead of anything else from this
    /// object: for what each shard must have, such as functions (FUNCTION LOAD).
    void addSetup(const QList<QByteArray> &arguments, RedisConnection::Callback callback);

    /// Sends `arguments` to the shard of its key: the argument after the command's name, or for
    /// FCALL and FCALL_RO the first key. Commands about a server (PING, WAIT, INFO, DBSIZE, TIME,
    /// FUNCTION, CLUSTER, CONFIG, FLUSHALL, ROLE) go to the configured node. See
    /// RedisConnection::command for `callback`.
    void command(const QList<QByteArray> &arguments, const QObject *context, RedisConnection::Callback callback);

    /// A shard channel (SSUBSCRIBE), on the shard of its slot.
    void subscribe(const QByteArray &channel);
    void unsubscribe(const QByteArray &channel);

    struct Stats
    {
        RedisConnection::Stats connections; ///< summed over every connection
        quint64 redirections = 0; ///< MOVED and ASK replies followed
        quint64 mapReads = 0; ///< CLUSTER SLOTS answered
        int shards = 0; ///< primaries that own slots (1 for one server)
    };
    Stats stats() const;

Q_SIGNALS:
    /// Everything is connected (again): commands go through.
    void ready();
    /// A primary that owns slots was lost: commands to its slots fail until ready().
    void lost(const QString &why);
    void message(const QByteArray &channel, const QByteArray &payload);
    /// Redis confirmed the subscription to `channel`: whatever is published from now on arrives.
    void subscribed(const QByteArray &channel);
    /// What was published on `channels` since may have been missed (their subscriber connection
    /// was lost, or their slot moved). Each is subscribed again: subscribed() tells when.
    void channelsLost(const QList<QByteArray> &channels);

private:
    std::unique_ptr<RedisClusterPrivate> d;
};

} // namespace Presence
