#pragma once

#include "redisaddress.h"
#include "redisreply.h"

#include <QObject>

#include <functional>
#include <memory>

namespace Presence {

class RedisConnectionPrivate;

/// One connection to Redis on the Qt event loop: commands are written at once and their
/// replies come back through callbacks, in order; nothing ever blocks the loop.
///
/// hiredis does the protocol (its reply reader and command formatter); Qt's sockets carry it
/// (QTcpSocket, QSslSocket for rediss://, QLocalSocket for unix://), so TLS comes with Qt's
/// OpenSSL and no raw descriptors are watched by hand.
///
/// The connection reconnects by itself after a loss, with a backoff from 50 ms to 2 s. While
/// it is not connected, and when Redis leaves a command unanswered longer than timeout(), the
/// commands fail at once with a RedisReply::Unavailable reply rather than wait: a caller can tell
/// its own caller to come back later. A connection that subscribes (subscribe()) is in
/// Redis's subscriber mode and sends nothing else; it subscribes again after every reconnect.
///
/// One connection talks to one Redis server; RedisCluster spreads commands over the shards of a
/// Redis Cluster. Channels are shard channels (SSUBSCRIBE, Redis 7.0): on one server they work
/// as any channel, and in a cluster each lives on the shard that owns its slot.
class RedisConnection : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const RedisReply &)>;

    explicit RedisConnection(const RedisAddress &address, QObject *parent = nullptr);
    /// Commands still pending get no callback.
    ~RedisConnection() override;

    /// Starts connecting (and reconnecting after every loss, until destroyed).
    void open();
    /// Connected, authenticated and on its database: commands go to Redis.
    bool isReady() const;
    const RedisAddress &address() const;

    /// How long (ms) Redis may leave a command unanswered before the connection is dropped and
    /// every pending command fails as Unavailable; also bounds connecting. Default 2 000.
    void setTimeout(int ms);
    int timeout() const;
    /// At most this many commands wait for replies (default 100 000); more fail as Unavailable.
    void setMaxPending(int count);

    /// Sends `arguments` as one command. `callback` runs exactly once, from the event loop, with
    /// the reply, unless `context` is gone by then (or the connection is destroyed); never from
    /// inside this call.
    void command(const QList<QByteArray> &arguments, const QObject *context, Callback callback);

    /// Subscriber mode: message() brings what is published (SPUBLISH) on the shard channel
    /// `channel`.
    void subscribe(const QByteArray &channel);
    void unsubscribe(const QByteArray &channel);

    struct Stats
    {
        quint64 commands = 0; ///< sent to Redis
        quint64 unavailable = 0; ///< failed without an answer
        quint64 connects = 0; ///< successful connections, the first one included
        quint64 timeouts = 0; ///< connections dropped for an unanswered command
    };
    Stats stats() const;

Q_SIGNALS:
    /// Connected (again): commands go through; subscriptions are back.
    void ready();
    /// The connection was lost (or could not be made): commands fail until ready().
    void lost(const QString &why);
    void message(const QByteArray &channel, const QByteArray &payload);
    /// Redis confirmed a subscription to `channel`: whatever is published from now on arrives.
    void subscribed(const QByteArray &channel);
    /// Redis ended the subscription to `channel` unasked: a Redis Cluster moved its slot to
    /// another shard. It is no longer subscribed here.
    void subscriptionEnded(const QByteArray &channel);
    /// A Redis Cluster node refused a subscription (`error`: MOVED <slot> <host:port>, …).
    void subscriptionRefused(const QByteArray &error);

private:
    std::unique_ptr<RedisConnectionPrivate> d;
};

} // namespace Presence
