#include "redisbackend.h"

#include "clock.h"
#include "engine.h"
#include "rediscluster.h"
#include "rediskeys_p.h"
#include "redisusers.h"
#include "rediswire.h"
#include "subscription.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QRandomGenerator>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <deque>
#include <map>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Presence {

namespace {
using RedisKeys::partitionBase;
using RedisKeys::Partitions;
constexpr int SweepBatch = 200; // rooms per partition per sweep
constexpr int MirrorIdleMs = 10'000; // an unwatched mirrored room is dropped after this
constexpr int ReadRetryMs = 250; // a room's read that failed is tried again after this
const QByteArray Library = "presence1";
const QByteArray LeaseKey = "p:lease";
const QByteArray NodesKey = "p:nodes";
constexpr qint64 KickMemory = 60'000; // ms a kicked window is kept out past its deadline

QByteArray fn(const char *name)
{
    return Library + '_' + name;
}

// The room's name in Redis, 16 hex digits. The first is its partition, the same for all of an
// organization's rooms (SHA-256 of the organization), so that an organization's quotas are kept
// in one slot with its rooms; the others are of SHA-256 of organization and roomId.
QString roomHash(const QString &organization, const QString &roomId)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(organization.toUtf8());
    hash.addData(QByteArrayView("\x1f", 1));
    hash.addData(roomId.toUtf8());
    return QLatin1Char(RedisKeys::partitionOf(organization)) + QString::fromLatin1(hash.result().toHex().mid(1, 15));
}

bool isRoomHash(const QString &text)
{
    return text.size() == 16 && std::all_of(text.cbegin(), text.cend(), [](QChar c) {
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
    });
}

// The room of a token: tokens are the room's hash, a dot and 128 random bits.
QString roomOfToken(const QString &token)
{
    const QString hash = token.section(QLatin1Char('.'), 0, 0);
    return isRoomHash(hash) && token.size() > 17 ? hash : QString();
}

QByteArray baseOf(const QString &hash)
{
    return partitionBase(hash.at(0).toLatin1());
}

QByteArray metaKey(const QString &hash)
{
    return baseOf(hash) + "r:" + hash.toLatin1() + ":meta";
}

// The shard channels, in their partition's slot: a room's events, kicks and users imports.
QByteArray channelOf(const QString &hash)
{
    return baseOf(hash) + "e:" + hash.toLatin1();
}

QByteArray kickedChannel(int partition)
{
    return partitionBase(partition) + "kick";
}

QString newToken(const QString &hash)
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray bytes(reinterpret_cast<const char *>(words), sizeof words);
    return hash + QLatin1Char('.')
        + QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

Error unavailableError(const RedisReply &reply)
{
    return Error(Error::Unavailable,
        QStringLiteral("the shared state is out of reach (%1); try again shortly")
            .arg(QString::fromUtf8(reply.string)));
}

Error replyError(const RedisReply &reply, const Engine::Limits &limits = {})
{
    if (reply.isUnavailable())
        return unavailableError(reply);
    // The functions' refusals: the engine's own errors.
    static const std::map<QByteArray, Engine::Refusal> refusals {
        {"sessions_per_user", Engine::Refusal::SessionsPerUser},
        {"sessions_per_organization", Engine::Refusal::SessionsPerOrganization},
        {"rooms_per_organization", Engine::Refusal::RoomsPerOrganization},
        {"rooms_per_user", Engine::Refusal::RoomsPerUser},
        {"session_in_other_room", Engine::Refusal::SessionInOtherRoom},
        {"kicked", Engine::Refusal::Kicked},
    };
    if (reply.string.startsWith("PRESENCE_REFUSED ")) {
        const auto it = refusals.find(reply.string.mid(17));
        if (it != refusals.end())
            return Engine::refusal(it->second, limits);
    }
    return Error(Error::Internal, QStringLiteral("the shared state refused: %1").arg(QString::fromUtf8(reply.string)));
}

} // namespace

class RedisBackendPrivate
{
public:
    struct Mirror
    {
        QString organization; // known from the start when watched by id, else from the first read
        QString roomId;
        QString token; // empty: not read yet, or nobody joined the room yet
        qint64 version = -1; // -1: not read yet
        bool subscribed = false; // Redis confirmed the channel
        bool reading = false;
        bool readAgain = false; // a version was missed during a read
        std::map<qint64, RedisWire::Member> buffered; // what arrived during a read
        std::vector<std::function<void(const Error &)>> waiting; // for the first read
        qint64 idleSince = -1;
    };

    RedisBackend *q;
    RedisBackend::Options options;
    Clock *clock;
    Engine mirror;
    RedisCluster redis;
    QByteArray library;
    QString node;
    QHash<QString, Mirror> mirrors;
    QTimer liveness;
    QTimer sweeper;
    QTimer idle;
    int ticks = 0;
    int idleTicks = 0;
    QHash<QByteArray, int> missed; // nodes whose liveness key was missing at the last checks
    bool leaseHeld = false;
    bool sweepInFlight = false;
    // Member events (webhooks): on while > 0, the most Redis keeps per partition.
    int recordingEvents = 0;
    QTimer recording;
    struct InFlightEvent
    {
        qint64 id; // MemberEvent::id, rising for the node's whole life
        int partition;
        QByteArray streamId;
    };
    std::deque<InFlightEvent> inFlightEvents;
    QByteArray eventsAfter[Partitions]; // per partition, the last stream id handed on ('' : ask Redis)
    bool eventsPolling[Partitions] = {};
    qint64 lastEventId = 0;
    QSet<QString> usersLoaded; // organizations whose users table is loaded, or on its way
    RedisBackend::Stats stats;

    RedisBackendPrivate(RedisBackend *backend, const RedisBackend::Options &o, Clock *c)
        : q(backend)
        , options(o)
        , clock(c)
        , mirror(c)
        , redis(o.address)
    {
        quint32 words[2];
        QRandomGenerator::system()->fillRange(words);
        node = QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex());
        QFile source(QStringLiteral(":/presence/redis/presence.lua"));
        if (source.open(QIODevice::ReadOnly))
            library = source.readAll();
    }

    void call(const QByteArray &function, const QByteArray &key, const QList<QByteArray> &arguments,
        const QObject *context, RedisConnection::Callback callback)
    {
        redis.command(QList<QByteArray> {"FCALL", function, "1", key} + arguments, context, std::move(callback));
    }

    // On every primary of a Redis Cluster, each time it connects: its replicas get the functions
    // from it.
    void loadLibrary()
    {
        redis.addSetup({"FUNCTION", "LOAD", "REPLACE", library}, [](const RedisReply &reply) {
            if (reply.type == RedisReply::Error)
                qCCritical(lcRedis) << "Redis refused the functions (Redis 7.0 or later is needed):" << reply.string;
        });
    }

    void beAlive()
    {
        const QByteArray me = node.toLatin1();
        redis.command(
            {"SET", "p:node:" + me, QByteArray::number(clock->now()), "PX", QByteArray::number(options.livenessTtl)}, q,
            {});
        redis.command({"SADD", NodesKey, me}, q, {});
    }

    // An organization's users table, before the first answer that shows its people: the
    // commands to one slot are answered in order (the users table shares the organization's
    // partition with its rooms), so a read sent after this sees it applied.
    void loadUsers(const QString &organization, bool again = false)
    {
        if (organization.isEmpty() || (!again && usersLoaded.contains(organization)))
            return;
        usersLoaded.insert(organization);
        redis.command({"HGETALL", RedisKeys::usersKey(organization)}, q, [this, organization](const RedisReply &reply) {
            if (reply.isError()) {
                usersLoaded.remove(organization); // asked again next time
                return;
            }
            QList<User> rows;
            for (qsizetype i = 1; i < reply.elements.size(); i += 2) {
                if (const std::optional<User> row = RedisUsers::decode(organization, reply.elements.at(i).string))
                    rows.append(*row);
            }
            if (!rows.isEmpty())
                mirror.upsertUsers(rows);
        });
    }

    // The error of a reply that is one, counting those of a Redis out of reach.
    std::optional<Error> failure(const RedisReply &reply, const Engine::Limits &limits = {})
    {
        if (!reply.isError())
            return std::nullopt;
        if (reply.isUnavailable())
            ++stats.unavailable;
        return replyError(reply, limits);
    }

    void tick();
    void sweep();
    void askForEvents();
    void pollEvents();
    void stopEvents();
    void checkNodes();
    void orphan(int partition, const QByteArray &node, const QByteArray &deadline, const QByteArray &cursor);
    void forgetIdleMirrors();
    QHash<QString, Mirror>::iterator forgetMirror(QHash<QString, Mirror>::iterator it);
    void forgetIfNeverJoined(const QString &hash);

    Mirror &mirrorOf(const QString &hash)
    {
        auto it = mirrors.find(hash);
        if (it == mirrors.end()) {
            it = mirrors.insert(hash, Mirror());
            redis.subscribe(channelOf(hash));
            stats.mirroredRooms = int(mirrors.size());
        }
        return *it;
    }
    void watch(const QString &hash, std::function<void(const Error &)> synced);
    // The members a snapshot shows: one gone longer than the retention is forgotten, as on one
    // server. Their profiles go to the mirror's users table.
    QList<MirroredMember> shown(const RedisWire::Room &snapshot)
    {
        QList<MirroredMember> members;
        members.reserve(snapshot.members.size());
        const qint64 cutoff = clock->now() - mirror.limits().offlineRetention;
        for (const RedisWire::Member &w : snapshot.members) {
            if (!w.member.online && w.member.lastDisconnected < cutoff)
                continue;
            if (!w.name.isEmpty() || !w.image.isEmpty())
                mirror.upsertUser(User {w.member.userId, {}, w.name, w.image, snapshot.organization, false});
            members.append(w.member);
        }
        return members;
    }
    void read(const QString &hash, const QObject *context, std::function<void(const Result<RedisWire::Room> &)> done);
    void startRead(const QString &hash);
    void apply(const QString &hash, const RedisWire::Room &snapshot);
    void onMessage(const QByteArray &channel, const QByteArray &payload);
    void applyMember(Mirror &m, const RedisWire::Member &w);
};

void RedisBackendPrivate::read(
    const QString &hash, const QObject *context, std::function<void(const Result<RedisWire::Room> &)> done)
{
    ++stats.reads;
    const qint64 now = clock->now();
    call(fn("read"), metaKey(hash),
        {baseOf(hash), hash.toLatin1(), QByteArray::number(now),
            QByteArray::number(now - mirror.limits().offlineRetention)},
        context, [done = std::move(done)](const RedisReply &reply) {
            if (reply.isError())
                return done(replyError(reply));
            const std::optional<RedisWire::Room> room = RedisWire::room(reply);
            if (!room)
                return done(Error(Error::Internal, QStringLiteral("the shared state gave a malformed room")));
            done(*room);
        });
}

void RedisBackendPrivate::applyMember(Mirror &m, const RedisWire::Member &w)
{
    if (w.forgotten)
        return mirror.forgetMirroredMember(m.organization, m.roomId, w.member.userId);
    if (!w.name.isEmpty() || !w.image.isEmpty())
        mirror.upsertUser(User {w.member.userId, {}, w.name, w.image, m.organization, false});
    mirror.mirrorMember(m.organization, m.roomId, w.member);
}

void RedisBackendPrivate::apply(const QString &hash, const RedisWire::Room &snapshot)
{
    Mirror &m = mirrors[hash];
    if (snapshot.version < m.version)
        return; // older than what was applied since the read was sent
    if (!snapshot.token.isEmpty()) {
        m.organization = snapshot.organization;
        m.roomId = snapshot.roomId;
        m.token = snapshot.token;
    }
    m.version = snapshot.version;
    if (m.organization.isEmpty())
        return; // a token of no room: nothing to show
    const QList<MirroredMember> members = shown(snapshot);
    // A room nobody joined yet has no token: one that names nothing stands in until it has one.
    const QString token = m.token.isEmpty() ? hash + QStringLiteral(".unjoined") : m.token;
    mirror.mirrorRoom(m.organization, m.roomId, token, members);
}

void RedisBackendPrivate::startRead(const QString &hash)
{
    Mirror &m = mirrors[hash];
    if (m.reading) {
        m.readAgain = true;
        return;
    }
    m.reading = true;
    read(hash, q, [this, hash](const Result<RedisWire::Room> &snapshot) {
        auto it = mirrors.find(hash);
        if (it == mirrors.end())
            return;
        it->reading = false;
        auto waiting = std::exchange(it->waiting, {});
        if (!snapshot) {
            ++stats.unavailable;
            for (const auto &w : waiting)
                w(snapshot.error());
            // Redis answers again (ready) or was there but refused (restarted and still loading,
            // a failover under way): read again in a moment, or this room's events wait for ever.
            if (it->subscribed) {
                QTimer::singleShot(ReadRetryMs, q, [this, hash] {
                    const auto again = mirrors.find(hash);
                    if (again != mirrors.end() && again->subscribed && !again->reading && again->version < 0)
                        startRead(hash);
                });
            }
            return;
        }
        apply(hash, snapshot.value());
        // What arrived meanwhile, in order; a version still missing means another read.
        it = mirrors.find(hash);
        for (const auto &[version, w] : std::exchange(it->buffered, {})) {
            if (version <= it->version)
                continue;
            if (version != it->version + 1) {
                it->readAgain = true;
                break;
            }
            ++stats.events;
            it->version = version;
            applyMember(*it, w);
        }
        for (const auto &w : waiting)
            w(Error());
        it = mirrors.find(hash);
        if (it != mirrors.end() && std::exchange(it->readAgain, false)) {
            ++stats.gaps;
            startRead(hash);
        }
    });
}

void RedisBackendPrivate::watch(const QString &hash, std::function<void(const Error &)> synced)
{
    Mirror &m = mirrorOf(hash);
    m.idleSince = -1;
    // The engine drops a mirrored room that nobody is in once its last watcher goes: then it
    // is read anew.
    const bool inEngine = m.organization.isEmpty() || mirror.hasRoom(m.organization, m.roomId);
    if (m.subscribed && m.version >= 0 && !m.reading && inEngine)
        return synced(Error());
    m.waiting.push_back(std::move(synced));
    if (m.subscribed && !m.reading) {
        m.version = -1; // whatever comes, the read sets it
        startRead(hash); // a read failed before, or the engine dropped the room: read again
    }
    // Otherwise the read starts once Redis confirms the channel (events.subscribed), so that no
    // change falls between the read and the first publication heard.
}

void RedisBackendPrivate::onMessage(const QByteArray &channel, const QByteArray &payload)
{
    const QByteArrayView kind = RedisWire::channelKind(channel);
    if (kind == "users") {
        const QString organization = QString::fromUtf8(payload);
        if (usersLoaded.contains(organization))
            loadUsers(organization, true); // `users import` changed it
        return;
    }
    if (kind == "kick") {
        if (const std::optional<RedisWire::Kick> kick = RedisWire::kick(payload))
            Q_EMIT q->kicked(kick->token, kick->roomId);
        return;
    }
    const QString hash = RedisWire::roomOfChannel(channel);
    auto it = mirrors.find(hash);
    if (it == mirrors.end())
        return;
    const std::optional<RedisWire::Event> event = RedisWire::event(payload);
    if (!event)
        return;
    const qint64 version = event->version;
    if (event->roomRemoved) {
        // An administrator removed the room: its watchers see everyone go and watch on, the room
        // empty and without a token until someone joins it again (from version 1).
        if (!it->organization.isEmpty()) {
            mirror.mirrorRoom(it->organization, it->roomId, hash + QStringLiteral(".unjoined"), {});
        }
        it->token.clear();
        it->buffered.clear();
        it->version = it->reading ? -1 : 0;
        if (it->reading)
            it->readAgain = true;
        return;
    }
    const std::optional<RedisWire::Member> &w = event->member;
    if (it->reading || it->version < 0) {
        it->buffered.emplace(version, *w);
        if (!it->reading && it->subscribed)
            startRead(hash); // the last read failed: the room is read once more
        return;
    }
    if (version <= it->version)
        return;
    // A missed version, or a room this node knows no token of (it was joined since): read it.
    if (version != it->version + 1 || it->token.isEmpty()) {
        ++stats.gaps;
        it->buffered.emplace(version, *w);
        return startRead(hash);
    }
    ++stats.events;
    it->version = version;
    applyMember(*it, *w);
}

void RedisBackendPrivate::tick()
{
    if (!redis.isReady())
        return;
    const QByteArray me = node.toLatin1();
    // A short lease: if its holder dies, deadlines are swept again within a second.
    const int leaseTtl = std::max(1000, 4 * options.sweepInterval);
    call(fn("lease"), LeaseKey, {me, QByteArray::number(leaseTtl)}, q, [this](const RedisReply &reply) {
        const bool held = !reply.isError() && reply.integer == 1;
        if (leaseHeld && !held)
            stopEvents();
        leaseHeld = held;
        stats.sweeping = leaseHeld;
        if (!leaseHeld)
            return;
        sweep();
        if (recordingEvents > 0)
            pollEvents();
        if (++ticks % std::max(1, 1000 / std::max(1, options.sweepInterval)) == 0)
            checkNodes();
    });
}

void RedisBackendPrivate::askForEvents()
{
    // Refreshed every 10 s; when no node asks any more, Redis stops recording within a minute.
    for (int p = 0; p < Partitions; ++p) {
        const QByteArray base = partitionBase(p);
        redis.command({"SET", base + "wh:on", QByteArray::number(recordingEvents), "PX", "60000"}, q, {});
    }
}

void RedisBackendPrivate::stopEvents()
{
    // Another node holds the lease: it goes on from where the last handled event left off.
    inFlightEvents.clear();
    for (int p = 0; p < Partitions; ++p) {
        eventsAfter[p].clear();
        eventsPolling[p] = false;
    }
}

void RedisBackendPrivate::pollEvents()
{
    constexpr int Batch = 100;
    constexpr size_t MostInFlight = 1000; // what the webhook sender holds; Redis keeps the rest
    for (int p = 0; p < Partitions; ++p) {
        if (eventsPolling[p] || inFlightEvents.size() >= MostInFlight)
            continue;
        eventsPolling[p] = true;
        const QByteArray base = partitionBase(p);
        call(fn("events"), base + "wh", {base, eventsAfter[p], QByteArray::number(Batch)}, q,
            [this, p](const RedisReply &reply) {
                eventsPolling[p] = false;
                if (!leaseHeld || reply.type != RedisReply::Array || reply.elements.isEmpty())
                    return;
                const QList<RedisReply> &e = reply.elements;
                if (eventsAfter[p].isEmpty())
                    eventsAfter[p] = e.at(0).string;
                else if (eventsAfter[p] != e.at(0).string)
                    return; // an answer from before the lease was lost and taken again
                QList<MemberEvent> events;
                for (qsizetype i = 1; i + 5 < e.size(); i += 6) {
                    eventsAfter[p] = e.at(i).string; // past it, even if it is not one to hand on
                    MemberEvent event;
                    const qint64 type = e.at(i + 1).toInteger(-1);
                    if (type < MemberEvent::Joined || type > MemberEvent::Updated)
                        continue;
                    event.type = MemberEvent::Type(type);
                    event.organization = QString::fromUtf8(e.at(i + 2).string);
                    event.roomId = QString::fromUtf8(e.at(i + 3).string);
                    event.userId = QString::fromUtf8(e.at(i + 4).string);
                    event.at = e.at(i + 5).string.toLongLong();
                    event.id = ++lastEventId;
                    inFlightEvents.push_back({event.id, p, e.at(i).string});
                    events.append(event);
                }
                if (!events.isEmpty()) {
                    stats.memberEvents += quint64(events.size());
                    Q_EMIT q->memberEvents(events);
                }
            });
    }
}

void RedisBackendPrivate::sweep()
{
    if (sweepInFlight)
        return; // a slow Redis: one sweep at a time
    sweepInFlight = true;
    const qint64 now = clock->now();
    const QByteArray cutoff = QByteArray::number(now - mirror.limits().offlineRetention);
    for (int p = 0; p < Partitions; ++p) {
        const QByteArray base = partitionBase(p);
        call(fn("sweep"), base + "due", {base, QByteArray::number(now), QByteArray::number(SweepBatch), cutoff}, q,
            [this, last = p == Partitions - 1](const RedisReply &reply) {
                if (reply.type == RedisReply::Array && reply.elements.size() == 3) {
                    stats.expired += quint64(reply.elements.at(0).toInteger());
                    stats.forgotten += quint64(reply.elements.at(1).toInteger());
                    stats.droppedRooms += quint64(reply.elements.at(2).toInteger());
                }
                if (last)
                    sweepInFlight = false;
            });
    }
}

void RedisBackendPrivate::checkNodes()
{
    redis.command({"SMEMBERS", NodesKey}, q, [this](const RedisReply &nodes) {
        if (nodes.type != RedisReply::Array)
            return;
        // A node that left cleanly is no longer missed.
        QSet<QByteArray> listed;
        for (const RedisReply &entry : nodes.elements)
            listed.insert(entry.string);
        for (auto it = missed.begin(); it != missed.end();)
            it = listed.contains(it.key()) ? std::next(it) : missed.erase(it);
        for (const RedisReply &entry : nodes.elements) {
            const QByteArray other = entry.string;
            if (other == node.toLatin1())
                continue;
            redis.command({"EXISTS", "p:node:" + other}, q, [this, other](const RedisReply &exists) {
                if (exists.type != RedisReply::Integer)
                    return;
                if (exists.integer != 0) {
                    missed.remove(other);
                    return;
                }
                // Twice in a row, a second apart: a Redis that stalled a moment (a fork, an
                // fsync) must not make every other node look dead.
                if (++missed[other] < 2)
                    return;
                missed.remove(other);
                // Gone without a word: its sessions get the close grace, as dropped sockets'.
                qCInfo(lcRedis) << "node" << other << "is gone: its sessions end within" << options.closeGrace << "ms";
                const QByteArray deadline = QByteArray::number(clock->now() + options.closeGrace);
                for (int p = 0; p < Partitions; ++p)
                    orphan(p, other, deadline, "0");
                redis.command({"SREM", NodesKey, other}, q, {});
            });
        }
    });
}

void RedisBackendPrivate::orphan(
    int partition, const QByteArray &node, const QByteArray &deadline, const QByteArray &cursor)
{
    const QByteArray base = partitionBase(partition);
    call(fn("orphan"), base + "due", {base, node, deadline, cursor}, q,
        [this, partition, node, deadline](const RedisReply &reply) {
            if (reply.type != RedisReply::Array || reply.elements.size() != 2)
                return; // Redis went away: the sessions' own deadlines end them
            stats.orphaned += quint64(reply.elements.at(1).toInteger());
            const QByteArray next = reply.elements.at(0).string;
            if (next != "0")
                orphan(partition, node, deadline, next);
        });
}

void RedisBackendPrivate::forgetIdleMirrors()
{
    const qint64 now = clock->now();
    // The profiles that mirrored members brought, once nobody shown here has them.
    if (++idleTicks % 4 == 0)
        mirror.collectGarbage();
    for (auto it = mirrors.begin(); it != mirrors.end();) {
        Mirror &m = *it;
        const bool watched = !m.organization.isEmpty() && mirror.watcherCount(m.organization, m.roomId) > 0;
        if (watched || m.reading || !m.waiting.empty()) {
            m.idleSince = -1;
            ++it;
            continue;
        }
        if (m.idleSince < 0)
            m.idleSince = now;
        if (now - m.idleSince < MirrorIdleMs) {
            ++it;
            continue;
        }
        it = forgetMirror(it);
    }
    stats.mirroredRooms = int(mirrors.size());
}

QHash<QString, RedisBackendPrivate::Mirror>::iterator RedisBackendPrivate::forgetMirror(
    QHash<QString, Mirror>::iterator it)
{
    if (!it->organization.isEmpty())
        mirror.forgetMirroredRoom(it->organization, it->roomId);
    redis.unsubscribe(channelOf(it.key()));
    it = mirrors.erase(it);
    stats.mirroredRooms = int(mirrors.size());
    return it;
}

void RedisBackendPrivate::forgetIfNeverJoined(const QString &hash)
{
    // A room nobody ever joined, watched by id and no longer: kept for nothing, and any roomId a
    // client makes up is one. Rooms that exist are bounded by the organizations' quotas, and
    // stay for MirrorIdleMs (a watcher coming back soon finds them mirrored).
    const auto it = mirrors.find(hash);
    if (it == mirrors.end() || !it->token.isEmpty() || it->version < 0 || it->reading || !it->waiting.empty())
        return;
    if (!it->organization.isEmpty() && mirror.watcherCount(it->organization, it->roomId) > 0)
        return;
    forgetMirror(it);
}

RedisBackend::RedisBackend(const Options &options, Clock *clock, QObject *parent)
    : Backend(parent)
    , d(std::make_unique<RedisBackendPrivate>(this, options, clock))
{
    d->redis.setTimeout(options.timeout);
    (void)d->mirror.open();
    connect(&d->mirror, &Engine::kicked, this, &Backend::kicked);
    d->loadLibrary();
    connect(&d->redis, &RedisCluster::ready, this, [this] {
        d->beAlive();
        if (d->recordingEvents > 0)
            d->askForEvents();
        // Reads that failed while the commands were away (the channels may have come back first).
        for (auto it = d->mirrors.begin(); it != d->mirrors.end(); ++it) {
            if (it->subscribed && !it->reading && it->version < 0)
                d->startRead(it.key());
        }
        qCInfo(lcRedis) << "node" << d->node << "on" << d->options.address.display();
        Q_EMIT ready();
    });
    connect(&d->redis, &RedisCluster::lost, this, [this](const QString &why) {
        if (d->leaseHeld)
            d->stopEvents();
        d->leaseHeld = false;
        d->sweepInFlight = false;
        Q_EMIT unavailable(why);
    });
    connect(&d->redis, &RedisCluster::channelsLost, this, [this](const QList<QByteArray> &channels) {
        // Publications may be missed until the channels are back: those rooms are read again
        // then, and whatever version they have is taken (a Redis that lost data counts from
        // lower again).
        for (const QByteArray &channel : channels) {
            const auto it = d->mirrors.find(RedisWire::roomOfChannel(channel));
            if (it != d->mirrors.end()) {
                it->subscribed = false;
                it->version = -1;
            }
        }
        d->usersLoaded.clear(); // an import may go unheard: read the tables again when next needed
    });
    connect(&d->redis, &RedisCluster::subscribed, this, [this](const QByteArray &channel) {
        const QString hash = RedisWire::roomOfChannel(channel);
        auto it = d->mirrors.find(hash);
        if (it == d->mirrors.end())
            return;
        it->subscribed = true;
        d->startRead(hash);
    });
    connect(&d->redis, &RedisCluster::message, this,
        [this](const QByteArray &channel, const QByteArray &payload) { d->onMessage(channel, payload); });
    connect(&d->liveness, &QTimer::timeout, this, [this] {
        if (d->redis.isReady())
            d->beAlive();
    });
    connect(&d->sweeper, &QTimer::timeout, this, [this] { d->tick(); });
    connect(&d->idle, &QTimer::timeout, this, [this] { d->forgetIdleMirrors(); });
    connect(&d->recording, &QTimer::timeout, this, [this] {
        if (d->redis.isReady())
            d->askForEvents();
    });
}

RedisBackend::~RedisBackend() = default;

void RedisBackend::open()
{
    d->redis.open();
    for (int p = 0; p < Partitions; ++p) {
        d->redis.subscribe(kickedChannel(p));
        d->redis.subscribe(RedisKeys::usersChannel(p));
    }
    d->liveness.start(std::max(100, d->options.livenessTtl / 3));
    d->sweeper.start(d->options.sweepInterval);
    d->idle.start(MirrorIdleMs / 4);
}

void RedisBackend::setRecordingEvents(int maxQueue)
{
    d->recordingEvents = std::max(0, maxQueue);
    if (d->recordingEvents == 0) {
        d->recording.stop();
        return;
    }
    d->recording.start(10'000);
    if (d->redis.isReady())
        d->askForEvents();
}

void RedisBackend::eventsHandled(qint64 upToId)
{
    QByteArray last[Partitions];
    while (!d->inFlightEvents.empty() && d->inFlightEvents.front().id <= upToId) {
        last[d->inFlightEvents.front().partition] = d->inFlightEvents.front().streamId;
        d->inFlightEvents.pop_front();
    }
    for (int p = 0; p < Partitions; ++p) {
        if (last[p].isEmpty())
            continue;
        const QByteArray base = partitionBase(p);
        d->call(fn("events_handled"), base + "wh", {base, last[p]}, this, {});
    }
}

bool RedisBackend::isReady() const
{
    return d->redis.isReady();
}

QString RedisBackend::nodeId() const
{
    return d->node;
}

void RedisBackend::handOver(std::function<void()> done)
{
    d->liveness.stop();
    d->sweeper.stop();
    if (!d->redis.isReady())
        return done();
    // Out of the nodes' set, the node is not taken for dead: its sessions keep their deadlines.
    const QByteArray me = d->node.toLatin1();
    d->redis.command({"SREM", NodesKey, me}, this, {});
    // Last: once the liveness key is gone nobody could mistake the node for a dead one anyway.
    d->redis.command({"DEL", "p:node:" + me}, this, [done](const RedisReply &) { done(); });
}

void RedisBackend::heartbeat(const Identity &identity, const QString &roomId, const QString &sessionId, int interval,
    bool away, const QObject *context, Done<HeartbeatResult> done)
{
    if (Error e = Engine::checkHeartbeat(identity, roomId, sessionId, interval); e.isError())
        return done(e);
    const QString hash = roomHash(identity.organization, roomId);
    const Engine::Limits limits = d->mirror.limits();
    d->call(fn("heartbeat"), metaKey(hash),
        {baseOf(hash), hash.toLatin1(), d->node.toLatin1(), identity.organization.toUtf8(), roomId.toUtf8(),
            identity.userId.toUtf8(), sessionId.toUtf8(), newToken(hash).toLatin1(), newToken(hash).toLatin1(),
            QByteArray::number(interval), away ? "1" : "0", QByteArray::number(d->clock->now()), identity.name.toUtf8(),
            identity.picture.toUtf8(), QByteArray::number(limits.sessionsPerUser),
            QByteArray::number(limits.sessionsPerOrganization), QByteArray::number(limits.roomsPerUser),
            QByteArray::number(limits.roomsPerOrganization)},
        context, [this, limits, done = std::move(done)](const RedisReply &reply) {
            if (const std::optional<Error> e = d->failure(reply, limits))
                return done(*e);
            if (reply.type != RedisReply::Array || reply.elements.size() < 3)
                return done(Error(Error::Internal, QStringLiteral("the shared state gave a malformed answer")));
            done(HeartbeatResult {
                QString::fromLatin1(reply.elements.at(0).string), QString::fromLatin1(reply.elements.at(1).string)});
        });
}

void RedisBackend::disconnect(const QString &sessionToken, const QObject *context, Done<bool> done)
{
    const QString hash = roomOfToken(sessionToken);
    if (hash.isEmpty())
        return done(true); // names no session: a no-op, as an unknown token is
    d->call(fn("disconnect"), metaKey(hash),
        {baseOf(hash), hash.toLatin1(), sessionToken.toLatin1(), QByteArray::number(d->clock->now())}, context,
        [this, done = std::move(done)](const RedisReply &reply) {
            if (const std::optional<Error> e = d->failure(reply))
                return done(*e);
            done(true);
        });
}

void RedisBackend::update(const Identity &identity, const QString &sessionToken, const QJsonObject &data,
    const QObject *context, Done<bool> done)
{
    if (Error e = Engine::checkUpdate(identity, sessionToken, data, d->mirror.limits()); e.isError())
        return done(e);
    const QString hash = roomOfToken(sessionToken);
    const auto notFound = [] {
        return Error(Error::NotFound, QStringLiteral("no live session has this sessionToken; heartbeat first"));
    };
    if (hash.isEmpty())
        return done(notFound());
    d->call(fn("update"), metaKey(hash),
        {baseOf(hash), hash.toLatin1(), sessionToken.toLatin1(), identity.organization.toUtf8(),
            identity.userId.toUtf8(), QJsonDocument(data).toJson(QJsonDocument::Compact),
            QByteArray::number(d->clock->now())},
        context, [this, notFound, done = std::move(done)](const RedisReply &reply) {
            if (const std::optional<Error> e = d->failure(reply))
                return done(*e);
            if (reply.integer == 0)
                return done(notFound());
            if (reply.integer < 0)
                return done(Error(Error::PermissionDenied, QStringLiteral("this session belongs to another user")));
            done(true);
        });
}

void RedisBackend::expireWithin(const QString &sessionToken, int graceMs)
{
    const QString hash = roomOfToken(sessionToken);
    if (hash.isEmpty())
        return;
    d->call(fn("expire_within"), metaKey(hash),
        {baseOf(hash), hash.toLatin1(), sessionToken.toLatin1(), QByteArray::number(d->clock->now() + graceMs),
            d->node.toLatin1()},
        this, {});
}

void RedisBackend::list(
    const Identity &identity, const QString &room, bool byId, int limit, const QObject *context, Done<Listing> done)
{
    const QString hash = byId ? roomHash(identity.organization, room) : roomOfToken(room);
    const auto answer = [this, identity, room, byId, limit, done] {
        Engine &engine = d->mirror;
        const Result<QList<Member>> members
            = byId ? engine.listRoom(identity, room, limit) : engine.list(identity, room, limit);
        if (!members)
            return done(members.error());
        const Result<RoomCounts> counts = byId ? engine.countsOfRoom(identity, room) : engine.counts(identity, room);
        if (!counts)
            return done(counts.error());
        done(Listing {members.value(), counts.value()});
    };
    if (hash.isEmpty())
        return answer(); // a malformed token: the engine's answer (invalid, or nothing listed)
    d->loadUsers(identity.organization);
    // Read afresh every time: a list right after this client's own heartbeat shows it, whichever
    // node the heartbeat went to.
    d->read(hash, context, [this, hash, answer, done](const Result<RedisWire::Room> &snapshot) {
        if (!snapshot) {
            ++d->stats.unavailable;
            return done(snapshot.error());
        }
        const bool mirrored = d->mirrors.contains(hash);
        if (mirrored) {
            d->apply(hash, snapshot.value());
            return answer();
        }
        // Not watched here: shown for this answer only.
        const RedisWire::Room &s = snapshot.value();
        if (s.token.isEmpty())
            return answer();
        d->mirror.mirrorRoom(s.organization, s.roomId, s.token, d->shown(s));
        answer();
        d->mirror.forgetMirroredRoom(s.organization, s.roomId);
    });
}

void RedisBackend::subscribe(const Identity &identity, const QString &room, bool byId, int limit, bool wantsCounts,
    const QObject *context, Done<Subscription *> done)
{
    const QString hash = byId ? roomHash(identity.organization, room) : roomOfToken(room);
    const auto answer = [this, identity, room, byId, limit, wantsCounts, done, hash] {
        const Result<Subscription *> subscription = byId
            ? d->mirror.subscribeRoom(identity, room, limit, nullptr, wantsCounts)
            : d->mirror.subscribe(identity, room, limit, nullptr, wantsCounts);
        if (subscription && !hash.isEmpty()) {
            // Once the subscription has gone from its room (queued: it is still there while
            // destroyed() is emitted).
            connect(subscription.value(), &QObject::destroyed, this, [this, hash] {
                QMetaObject::invokeMethod(
                    this, [this, hash] { d->forgetIfNeverJoined(hash); }, Qt::QueuedConnection);
            });
        }
        done(subscription);
    };
    if (hash.isEmpty())
        return answer(); // the engine says what is wrong with it
    d->loadUsers(identity.organization);
    if (byId) {
        RedisBackendPrivate::Mirror &m = d->mirrorOf(hash);
        if (m.organization.isEmpty()) {
            m.organization = identity.organization;
            m.roomId = room;
        }
    }
    QPointer<const QObject> guard(context);
    d->watch(hash, [this, guard, answer, done, hash](const Error &error) {
        if (error.isError()) {
            if (error.code() == Error::Unavailable)
                ++d->stats.unavailable;
            if (guard)
                done(error);
        } else if (guard) {
            answer();
        }
        // A token of no room: nothing to keep watching (a made-up token must not hold a
        // subscription to Redis for long).
        const auto it = d->mirrors.find(hash);
        if (it != d->mirrors.end() && it->organization.isEmpty() && it->waiting.empty() && !it->reading) {
            d->redis.unsubscribe(channelOf(hash));
            d->mirrors.erase(it);
            d->stats.mirroredRooms = int(d->mirrors.size());
        }
    });
}

void RedisBackend::online(
    const Identity &identity, int limit, const QString &cursor, const QObject *context, Done<OnlinePage> done)
{
    if (Error e = Engine::checkIdentity(identity); e.isError())
        return done(e);
    if (limit < 1)
        return done(Error(Error::InvalidArgument, QStringLiteral("limit must be at least 1")));
    const Result<QString> after = Engine::onlineCursorUser(cursor);
    if (!after)
        return done(after.error());
    const QByteArray index = RedisKeys::onlineKey(identity.organization);
    d->loadUsers(identity.organization);
    d->call(fn("online"), index,
        {RedisKeys::organizationBase(identity.organization), identity.organization.toUtf8(), after.value().toUtf8(),
            QByteArray::number(std::min(limit, Engine::MaxOnlineLimit)),
            QByteArray::number(Engine::OnlinePageCharacters)},
        context, [this, organization = identity.organization, done = std::move(done)](const RedisReply &reply) {
            if (const std::optional<Error> e = d->failure(reply))
                return done(*e);
            if (reply.type != RedisReply::Array || reply.elements.isEmpty())
                return done(Error(Error::Internal, QStringLiteral("the shared state gave a malformed answer")));
            OnlinePage page;
            const QList<RedisReply> &e = reply.elements;
            for (qsizetype i = 1; i + 4 < e.size();) {
                OnlineUser user;
                user.userId = QString::fromUtf8(e.at(i).string);
                user.away = e.at(i + 1).toInteger() == 1;
                user.name = QString::fromUtf8(e.at(i + 2).string);
                user.image = QString::fromUtf8(e.at(i + 3).string);
                // The users table (imports) first, as one server shows it; else the claims.
                const User profile = d->mirror.profile(organization, user.userId);
                if (!profile.name.isEmpty())
                    user.name = profile.name;
                if (!profile.image.isEmpty())
                    user.image = profile.image;
                const qint64 rooms = e.at(i + 4).toInteger();
                i += 5;
                for (qint64 r = 0; r < rooms && i < e.size(); ++r, ++i)
                    user.rooms.append(QString::fromUtf8(e.at(i).string));
                page.users.append(user);
            }
            if (!e.at(0).string.isEmpty())
                page.cursor = Engine::onlineCursor(QString::fromUtf8(e.at(0).string));
            done(page);
        });
}

void RedisBackend::whereis(
    const Identity &identity, const QString &userId, const QObject *context, Done<QStringList> done)
{
    if (Error e = Engine::checkIdentity(identity); e.isError())
        return done(e);
    if (Error e = Engine::checkUserId(userId); e.isError())
        return done(e);
    const QByteArray index = RedisKeys::onlineKey(identity.organization);
    d->call(fn("whereis"), index,
        {RedisKeys::organizationBase(identity.organization), identity.organization.toUtf8(), userId.toUtf8()}, context,
        [this, done = std::move(done)](const RedisReply &reply) {
            if (const std::optional<Error> e = d->failure(reply))
                return done(*e);
            QStringList rooms;
            for (const RedisReply &room : reply.elements)
                rooms.append(QString::fromUtf8(room.string));
            rooms.sort(); // as one server sorts them (UTF-16), not as Lua did (bytes)
            done(rooms);
        });
}

void RedisBackend::kick(
    const Identity &identity, const QString &roomId, const QString &userId, const QObject *context, Done<int> done)
{
    if (Error e = Engine::checkAdmin(identity, roomId); e.isError())
        return done(e);
    if (Error e = Engine::checkUserId(userId); e.isError())
        return done(e);
    const QString hash = roomHash(identity.organization, roomId);
    d->call(fn("kick"), metaKey(hash),
        {baseOf(hash), hash.toLatin1(), identity.organization.toUtf8(), userId.toUtf8(),
            QByteArray::number(d->clock->now()), QByteArray::number(KickMemory)},
        context, [this, identity, roomId, userId, done = std::move(done)](const RedisReply &reply) {
            if (const std::optional<Error> e = d->failure(reply))
                return done(*e);
            if (reply.integer > 0) {
                qCInfo(lcRedis) << identity.userId << "kicked" << userId << "from" << roomId << "of"
                                << identity.organization << ":" << reply.integer << "sessions";
            }
            done(int(reply.integer));
        });
}

void RedisBackend::removeRoom(const Identity &identity, const QString &roomId, const QObject *context, Done<int> done)
{
    if (Error e = Engine::checkAdmin(identity, roomId); e.isError())
        return done(e);
    const QString hash = roomHash(identity.organization, roomId);
    d->call(fn("remove_room"), metaKey(hash),
        {baseOf(hash), hash.toLatin1(), identity.organization.toUtf8(), QByteArray::number(d->clock->now()),
            QByteArray::number(KickMemory)},
        context, [this, identity, roomId, done = std::move(done)](const RedisReply &reply) {
            if (const std::optional<Error> e = d->failure(reply))
                return done(*e);
            qCInfo(lcRedis) << identity.userId << "removed room" << roomId << "of" << identity.organization;
            done(int(reply.integer));
        });
}

bool RedisBackend::mayHaveSession(const QString &) const
{
    return true; // sessions end on any node; this one does not keep track
}

Engine &RedisBackend::engine()
{
    return d->mirror;
}

RedisBackend::Stats RedisBackend::stats() const
{
    Stats stats = d->stats;
    const RedisCluster::Stats redis = d->redis.stats();
    stats.commands = redis.connections.commands;
    stats.redirections = redis.redirections;
    stats.shards = redis.shards;
    return stats;
}

} // namespace Presence
