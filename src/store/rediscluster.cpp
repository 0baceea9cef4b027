#include "rediscluster.h"

#include <QHash>
#include <QLoggingCategory>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <vector>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Presence {

namespace {
constexpr int Slots = 16384;
constexpr int MaxRedirections = 5; // a command follows at most this many MOVED/ASK in a row
constexpr int MapEveryMs = 10'000;

bool startsWith(const RedisReply &reply, const char *prefix)
{
    return reply.type == RedisReply::Error && reply.string.startsWith(prefix);
}

} // namespace

class RedisClusterPrivate
{
public:
    enum Mode {
        Unknown, // the map was never read
        Single, // one Redis server: every slot is the configured address
        Cluster,
    };
    struct Shard
    {
        QString name; // host:port, or the configured address as displayed
        RedisAddress address;
        std::unique_ptr<RedisConnection> commands;
        std::unique_ptr<RedisConnection> events; // once a channel lives on the shard
        std::vector<std::function<void()>> waiting; // redirected commands, until it connects
        bool owner = false; // owns slots in the map
    };
    struct Setup
    {
        QList<QByteArray> arguments;
        RedisConnection::Callback callback;
    };

    RedisCluster *q;
    RedisAddress address;
    Mode mode = Unknown;
    std::vector<std::unique_ptr<Shard>> shards; // never removed: their pending commands answer
    std::vector<Shard *> slotMap = std::vector<Shard *>(Slots, nullptr);
    QHash<QByteArray, Shard *> channels; // nullptr: not placed yet (no map, or its slot moved)
    std::vector<Setup> setup;
    QTimer mapTimer;
    bool opened = false;
    bool wasReady = false;
    bool mapInFlight = false;
    bool mapAgain = false;
    int timeout = 2000;
    int maxPending = 100'000;
    RedisCluster::Stats stats;

    explicit RedisClusterPrivate(RedisCluster *owner)
        : q(owner)
    {
    }

    Shard *seed() const { return shards.front().get(); }
    Shard *shardNamed(const QString &host, quint16 port);
    Shard *addShard(const QString &name, const RedisAddress &at);
    RedisConnection *eventsOf(Shard *shard);
    void whenReady(Shard *shard, std::function<void()> run);
    void send(Shard *shard, const QList<QByteArray> &arguments, const QObject *context,
        RedisConnection::Callback callback, int hops, bool asking);
    void redirect(const QByteArray &error, const QList<QByteArray> &arguments, const QObject *context,
        RedisConnection::Callback callback, int hops);
    void readMap();
    void applyMap(Shard *from, const RedisReply &reply);
    void placeChannels();
    void updateReady(const QString &why = {});
    bool computeReady() const;
};

std::optional<RedisCluster::Redirection> RedisCluster::redirection(const QByteArray &error)
{
    const QList<QByteArray> parts = error.split(' ');
    if (parts.size() != 3 || (parts.at(0) != "MOVED" && parts.at(0) != "ASK"))
        return std::nullopt;
    Redirection r;
    r.ask = parts.at(0) == "ASK";
    bool slotOk = false;
    bool portOk = false;
    const qsizetype colon = parts.at(2).lastIndexOf(':');
    r.slot = parts.at(1).toInt(&slotOk);
    r.port = colon > 0 ? parts.at(2).mid(colon + 1).toUShort(&portOk) : 0;
    r.host = QString::fromUtf8(parts.at(2).left(colon));
    if (!slotOk || !portOk || r.slot < 0 || r.slot >= Slots || r.port == 0)
        return std::nullopt;
    return r;
}

QList<RedisCluster::SlotRange> RedisCluster::slotRanges(const RedisReply &clusterSlots)
{
    QList<SlotRange> ranges;
    // [[start, end, [host, port, id, …], replicas…], …]
    for (const RedisReply &range : clusterSlots.elements) {
        if (range.type != RedisReply::Array || range.elements.size() < 3
            || range.elements.at(2).type != RedisReply::Array || range.elements.at(2).elements.size() < 2)
            continue;
        const qint64 first = range.elements.at(0).toInteger(-1);
        const qint64 last = range.elements.at(1).toInteger(-1);
        const RedisReply &primary = range.elements.at(2);
        const qint64 port = primary.elements.at(1).toInteger(0);
        if (first < 0 || last >= Slots || first > last || port <= 0 || port > 65535)
            continue;
        QString host = QString::fromUtf8(primary.elements.at(0).string);
        if (host == QLatin1String("?"))
            host.clear(); // Redis does not know how it is reached: as the node that answered
        ranges.append({int(first), int(last), host, quint16(port)});
    }
    return ranges;
}

quint16 RedisCluster::slotOf(QByteArrayView key)
{
    // Only what is inside the first {…} counts, when that is not empty (Redis Cluster's spec).
    const qsizetype open = key.indexOf('{');
    if (open >= 0) {
        const qsizetype close = key.indexOf('}', open + 1);
        if (close > open + 1)
            key = key.sliced(open + 1, close - open - 1);
    }
    // CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0.
    quint16 crc = 0;
    for (const char c : key) {
        crc ^= quint16(quint8(c)) << 8;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 0x8000) ? quint16((crc << 1) ^ 0x1021) : quint16(crc << 1);
    }
    return crc % Slots;
}

RedisClusterPrivate::Shard *RedisClusterPrivate::addShard(const QString &name, const RedisAddress &at)
{
    auto shard = std::make_unique<Shard>();
    shard->name = name;
    shard->address = at;
    shard->commands = std::make_unique<RedisConnection>(at);
    shard->commands->setTimeout(timeout);
    shard->commands->setMaxPending(maxPending);
    Shard *raw = shard.get();
    QObject::connect(raw->commands.get(), &RedisConnection::ready, q, [this, raw] {
        for (const Setup &step : setup)
            raw->commands->command(step.arguments, q, step.callback);
        for (std::function<void()> &run : std::exchange(raw->waiting, {}))
            run();
        if (mode != Single)
            readMap();
        updateReady();
    });
    QObject::connect(raw->commands.get(), &RedisConnection::lost, q, [this, raw](const QString &why) {
        for (std::function<void()> &run : std::exchange(raw->waiting, {}))
            run(); // they fail as Unavailable: nobody waits for a reconnect
        if (mode == Cluster)
            readMap(); // a failover may have moved its slots
        updateReady(why);
    });
    shards.push_back(std::move(shard));
    if (opened)
        raw->commands->open();
    return raw;
}

RedisClusterPrivate::Shard *RedisClusterPrivate::shardNamed(const QString &host, quint16 port)
{
    const QString name = host + QLatin1Char(':') + QString::number(port);
    for (const auto &shard : shards) {
        if (shard->name == name)
            return shard.get();
    }
    // The cluster's nodes are reached as the configured one is: same credentials, TLS or not.
    RedisAddress at = address;
    at.kind = address.kind == RedisAddress::Tls ? RedisAddress::Tls : RedisAddress::Tcp;
    at.host = host;
    at.port = port;
    at.path.clear();
    at.database = 0;
    return addShard(name, at);
}

RedisConnection *RedisClusterPrivate::eventsOf(Shard *shard)
{
    if (shard->events)
        return shard->events.get();
    shard->events = std::make_unique<RedisConnection>(shard->address);
    shard->events->setTimeout(timeout);
    RedisConnection *events = shard->events.get();
    QObject::connect(events, &RedisConnection::message, q, &RedisCluster::message);
    QObject::connect(events, &RedisConnection::subscribed, q, &RedisCluster::subscribed);
    QObject::connect(events, &RedisConnection::lost, q, [this, shard] {
        QList<QByteArray> lost;
        for (auto it = channels.cbegin(); it != channels.cend(); ++it) {
            if (it.value() == shard)
                lost.append(it.key());
        }
        if (mode == Cluster)
            readMap();
        if (!lost.isEmpty())
            Q_EMIT q->channelsLost(lost);
    });
    QObject::connect(events, &RedisConnection::subscriptionEnded, q, [this, shard](const QByteArray &channel) {
        if (channels.value(channel) != shard)
            return;
        channels[channel] = nullptr; // placed again once the map says where its slot went
        readMap();
        Q_EMIT q->channelsLost({channel});
    });
    QObject::connect(events, &RedisConnection::subscriptionRefused, q, [this, shard](const QByteArray &error) {
        readMap();
        const std::optional<RedisCluster::Redirection> r = RedisCluster::redirection(error);
        if (!r)
            return;
        if (!r->ask)
            slotMap[size_t(r->slot)] = shardNamed(r->host, r->port);
        QList<QByteArray> refused;
        for (auto it = channels.begin(); it != channels.end(); ++it) {
            if (it.value() == shard && RedisCluster::slotOf(it.key()) == r->slot) {
                shard->events->unsubscribe(it.key());
                it.value() = nullptr;
                refused.append(it.key());
            }
        }
        placeChannels();
        if (!refused.isEmpty())
            Q_EMIT q->channelsLost(refused);
    });
    if (opened)
        events->open();
    return events;
}

void RedisClusterPrivate::whenReady(Shard *shard, std::function<void()> run)
{
    if (shard->commands->isReady())
        return run();
    shard->waiting.push_back(std::move(run));
}

void RedisClusterPrivate::send(Shard *shard, const QList<QByteArray> &arguments, const QObject *context,
    RedisConnection::Callback callback, int hops, bool asking)
{
    if (asking)
        shard->commands->command({"ASKING"}, q, {});
    shard->commands->command(arguments, context,
        [this, arguments, guard = QPointer<const QObject>(context), callback = std::move(callback), hops](
            const RedisReply &reply) {
            if ((startsWith(reply, "MOVED ") || startsWith(reply, "ASK ")) && hops < MaxRedirections) {
                if (guard)
                    redirect(reply.string, arguments, guard, callback, hops);
                return;
            }
            if (!callback)
                return;
            // A failover or a migration under way: try again shortly, as with a Redis away.
            if (startsWith(reply, "CLUSTERDOWN") || startsWith(reply, "TRYAGAIN") || startsWith(reply, "MASTERDOWN")) {
                readMap();
                return callback(RedisReply::unavailable(reply.string));
            }
            // A Redis that restarted and is still reading its data back (AOF, RDB).
            if (startsWith(reply, "LOADING"))
                return callback(RedisReply::unavailable(reply.string));
            callback(reply);
        });
}

void RedisClusterPrivate::redirect(const QByteArray &error, const QList<QByteArray> &arguments, const QObject *context,
    RedisConnection::Callback callback, int hops)
{
    const std::optional<RedisCluster::Redirection> r = RedisCluster::redirection(error);
    if (!r) {
        if (callback)
            callback(RedisReply {RedisReply::Error, error, 0, {}});
        return;
    }
    ++stats.redirections;
    Shard *to = shardNamed(r->host, r->port);
    const bool asking = r->ask;
    if (!asking) {
        // The slot is there for good: the next commands go straight there, and the whole map is
        // read again, since a slot seldom moves alone.
        slotMap[size_t(r->slot)] = to;
        to->owner = true;
        readMap();
    }
    whenReady(to,
        [this, to, arguments, guard = QPointer<const QObject>(context), callback = std::move(callback), hops,
            asking]() mutable {
            if (guard)
                send(to, arguments, guard, std::move(callback), hops + 1, asking);
        });
}

void RedisClusterPrivate::readMap()
{
    if (mapInFlight) {
        mapAgain = true;
        return;
    }
    // The configured node first, else any node that answers.
    Shard *from = seed()->commands->isReady() ? seed() : nullptr;
    for (size_t i = 1; !from && i < shards.size(); ++i) {
        if (shards[i]->commands->isReady())
            from = shards[i].get();
    }
    if (!from)
        return; // again once a node connects
    mapInFlight = true;
    from->commands->command({"CLUSTER", "SLOTS"}, q, [this, from](const RedisReply &reply) {
        mapInFlight = false;
        if (reply.type == RedisReply::Error && reply.string.contains("cluster support disabled") && from == seed()) {
            if (mode != Single)
                qCInfo(lcRedis) << address.display() << "is one Redis server (not a Redis Cluster)";
            mode = Single;
            std::fill(slotMap.begin(), slotMap.end(), seed());
            seed()->owner = true;
            placeChannels();
            updateReady();
        } else if (reply.type == RedisReply::Array) {
            applyMap(from, reply);
        }
        if (std::exchange(mapAgain, false))
            readMap();
    });
}

void RedisClusterPrivate::applyMap(Shard *from, const RedisReply &reply)
{
    ++stats.mapReads;
    if (mode != Cluster) {
        qCInfo(lcRedis) << address.display() << "is a Redis Cluster";
        if (address.database != 0)
            qCWarning(lcRedis) << "a Redis Cluster has database 0 only: the database of" << address.display()
                               << "is not used";
    }
    mode = Cluster;
    std::vector<Shard *> map(Slots, nullptr);
    for (const RedisCluster::SlotRange &range : RedisCluster::slotRanges(reply)) {
        Shard *shard = shardNamed(range.host.isEmpty() ? from->address.host : range.host, range.port);
        for (int slot = range.first; slot <= range.last; ++slot)
            map[size_t(slot)] = shard;
    }
    for (const auto &shard : shards)
        shard->owner = false;
    for (Shard *shard : map) {
        if (shard)
            shard->owner = true;
    }
    slotMap = std::move(map);
    placeChannels();
    updateReady(QStringLiteral("the Redis Cluster does not serve every slot"));
}

void RedisClusterPrivate::placeChannels()
{
    QList<QByteArray> moved;
    for (auto it = channels.begin(); it != channels.end(); ++it) {
        Shard *target = slotMap[RedisCluster::slotOf(it.key())];
        if (it.value() == target)
            continue;
        if (it.value()) {
            it.value()->events->unsubscribe(it.key());
            moved.append(it.key());
        }
        it.value() = target;
        if (target)
            eventsOf(target)->subscribe(it.key());
    }
    if (!moved.isEmpty())
        Q_EMIT q->channelsLost(moved);
}

bool RedisClusterPrivate::computeReady() const
{
    if (mode == Unknown)
        return false;
    for (const auto &shard : shards) {
        if (shard->owner && !shard->commands->isReady())
            return false;
    }
    return std::find(slotMap.cbegin(), slotMap.cend(), nullptr) == slotMap.cend();
}

void RedisClusterPrivate::updateReady(const QString &why)
{
    const bool now = computeReady();
    if (now == wasReady)
        return;
    wasReady = now;
    if (now)
        Q_EMIT q->ready();
    else
        Q_EMIT q->lost(why.isEmpty() ? QStringLiteral("a Redis shard is out of reach") : why);
}

RedisCluster::RedisCluster(const RedisAddress &address, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<RedisClusterPrivate>(this))
{
    d->address = address;
    d->addShard(address.display(), address);
    connect(&d->mapTimer, &QTimer::timeout, this, [this] {
        if (d->mode == RedisClusterPrivate::Cluster)
            d->readMap();
    });
}

RedisCluster::~RedisCluster() = default;

void RedisCluster::open()
{
    if (std::exchange(d->opened, true))
        return;
    for (const auto &shard : d->shards) {
        shard->commands->open();
        if (shard->events)
            shard->events->open();
    }
    d->mapTimer.start(MapEveryMs);
}

bool RedisCluster::isReady() const
{
    return d->wasReady;
}

bool RedisCluster::isCluster() const
{
    return d->mode == RedisClusterPrivate::Cluster;
}

void RedisCluster::setTimeout(int ms)
{
    d->timeout = ms;
    for (const auto &shard : d->shards) {
        shard->commands->setTimeout(ms);
        if (shard->events)
            shard->events->setTimeout(ms);
    }
}

void RedisCluster::setMaxPending(int count)
{
    d->maxPending = count;
    for (const auto &shard : d->shards)
        shard->commands->setMaxPending(count);
}

void RedisCluster::addSetup(const QList<QByteArray> &arguments, RedisConnection::Callback callback)
{
    d->setup.push_back({arguments, callback});
    for (const auto &shard : d->shards) {
        if (shard->commands->isReady())
            shard->commands->command(arguments, this, callback);
    }
}

void RedisCluster::command(
    const QList<QByteArray> &arguments, const QObject *context, RedisConnection::Callback callback)
{
    const QByteArray command = arguments.value(0).toUpper();
    // Commands about the server, not a key, go to the configured node.
    static const QSet<QByteArray> keyless {
        "PING", "WAIT", "INFO", "DBSIZE", "TIME", "FUNCTION", "CLUSTER", "CONFIG", "FLUSHALL", "ROLE"};
    const bool keyed = !keyless.contains(command)
        && ((command != "FCALL" && command != "FCALL_RO") || arguments.value(2).toInt() > 0);
    const QByteArray key = (command == "FCALL" || command == "FCALL_RO") ? arguments.value(3) : arguments.value(1);
    RedisClusterPrivate::Shard *shard
        = d->mode == RedisClusterPrivate::Unknown || !keyed ? nullptr : d->slotMap[slotOf(key)];
    // Before the map (or for a slot no node serves), the configured node's connection answers:
    // Unavailable while it is not connected, a redirection to follow once it is.
    d->send(shard ? shard : d->seed(), arguments, context, std::move(callback), 0, false);
}

void RedisCluster::subscribe(const QByteArray &channel)
{
    if (d->channels.contains(channel))
        return;
    RedisClusterPrivate::Shard *shard = d->mode == RedisClusterPrivate::Unknown ? nullptr : d->slotMap[slotOf(channel)];
    d->channels.insert(channel, shard); // unplaced until the map is known
    if (shard)
        d->eventsOf(shard)->subscribe(channel);
}

void RedisCluster::unsubscribe(const QByteArray &channel)
{
    const auto it = d->channels.constFind(channel);
    if (it == d->channels.cend())
        return;
    if (it.value())
        it.value()->events->unsubscribe(channel);
    d->channels.erase(it);
}

RedisCluster::Stats RedisCluster::stats() const
{
    Stats stats = d->stats;
    for (const auto &shard : d->shards) {
        for (const RedisConnection *connection : {shard->commands.get(), shard->events.get()}) {
            if (!connection)
                continue;
            const RedisConnection::Stats own = connection->stats();
            stats.connections.commands += own.commands;
            stats.connections.unavailable += own.unavailable;
            stats.connections.connects += own.connects;
            stats.connections.timeouts += own.timeouts;
        }
        if (shard->owner)
            ++stats.shards;
    }
    return stats;
}

} // namespace Presence
