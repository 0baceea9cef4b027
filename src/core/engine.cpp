#include "engine.h"

#include "clock.h"
#include "memberdiff.h"
#include "store.h"
#include "subscription.h"
#include "userdirectory.h"

#include <QHash>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QRandomGenerator>
#include <QSet>

#include <algorithm>
#include <deque>
#include <limits>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

Q_LOGGING_CATEGORY(lcEngine, "presence.engine", QtInfoMsg)

namespace Presence {

namespace {

// A session is disconnected when 2.5 intervals pass without a heartbeat (the seed's rule).
constexpr double TimeoutFactor = 2.5;
// At least this long (ms) a kicked session's sessionId cannot start a session again.
constexpr qint64 KickMemory = 60'000;

// 128 random bits from the system's CSPRNG, base64url: 22 characters.
QString newToken()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray bytes(reinterpret_cast<const char *>(words), sizeof words);
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

// Separates the parts of the keys below. Organizations and userIds may not contain it (no
// control character), so a key names one (organization, room) or one (organization, user,
// session) and no other: "org a: room x" and "org a, room :x" are two rooms.
constexpr QChar KeySeparator = QChar(0x1f);

QString roomKey(const QString &organization, const QString &roomId)
{
    return organization + KeySeparator + roomId;
}
QString userKey(const QString &organization, const QString &userId)
{
    return organization + KeySeparator + userId;
}
QString sessionKey(const QString &organization, const QString &userId, const QString &sessionId)
{
    return organization + KeySeparator + userId + KeySeparator + sessionId;
}

bool hasControlCharacters(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; });
}

Error checkText(const QString &text, const char *what, int maxLength)
{
    if (text.isEmpty())
        return Error(Error::InvalidArgument, QStringLiteral("%1 must not be empty").arg(QLatin1String(what)));
    if (text.size() > maxLength) {
        return Error(Error::InvalidArgument,
            QStringLiteral("%1 is longer than %2 characters").arg(QLatin1String(what)).arg(maxLength));
    }
    if (hasControlCharacters(text)) {
        return Error(
            Error::InvalidArgument, QStringLiteral("%1 must not contain control characters").arg(QLatin1String(what)));
    }
    return {};
}

} // namespace

// One user in one room: a row of `presence`, and how many of their sessions live there.
struct EngineMember
{
    QString userId;
    bool online = false;
    qint64 lastDisconnected = 0;
    qint64 joinOrder = 0;
    int liveSessions = 0;
    int awaySessions = 0; // live sessions whose last heartbeat said they are idle
    QJsonObject data; // what watchers were last shown (update())
    QJsonObject pendingData; // a newer value, held back until the coalescing window ends
    bool dataPending = false;
    qint64 dataDueAt = 0; // when the held-back value is shown; entries of dataDue for another time are stale
    qint64 dataShownAt = std::numeric_limits<qint64>::min() / 2; // when `data` last changed

    // Away while online and no live session is active: one active window makes them active.
    bool away() const { return online && liveSessions > 0 && awaySessions == liveSessions; }
};

// The list's order: online members by join order, then offline ones by lastDisconnected,
// newest first; ties by userId so the order is total.
struct OrderKey
{
    bool offline;
    qint64 rank;
    QString userId;

    static OrderKey of(const EngineMember &m)
    {
        return {!m.online, m.online ? m.joinOrder : -m.lastDisconnected, m.userId};
    }
    bool operator<(const OrderKey &o) const
    {
        if (offline != o.offline)
            return !offline;
        if (rank != o.rank)
            return rank < o.rank;
        return userId < o.userId;
    }
};

struct EngineRoom
{
    QString id; // roomKey(organization, roomId)
    QString organization; // kept as given, never parsed back out of the key
    QString roomId; // as the organization names it
    QString token;
    std::unordered_map<QString, EngineMember> members; // node-based: pointers stay valid
    std::map<OrderKey, const EngineMember *> order;
    QList<Subscription *> subscriptions;
    int onlineCount = 0; // members online; the total is members.size()
};

struct EngineSession
{
    QString id; // sessionKey(organization, userId, sessionId): each user has their own sessionIds
    EngineRoom *room = nullptr;
    QString userId;
    QString token;
    int interval = Engine::DefaultInterval;
    bool away
        = false; // the last heartbeat said this window is idle (not stored: a restart makes it active until the next)
    qint64 deadline = 0;
    qint64 storedDeadline = 0;
    std::multimap<qint64, EngineSession *>::iterator timeout;
};

class EnginePrivate
{
public:
    EnginePrivate(Engine *engine, Clock *clock, Store *store)
        : q(engine)
        , clock(clock)
        , store(store)
    {
    }

    Engine *q;
    Clock *clock;
    Store *store;

    std::unordered_map<QString, std::unique_ptr<EngineRoom>> rooms;
    std::unordered_map<QString, EngineRoom *> roomsByToken;
    std::unordered_map<QString, std::unique_ptr<EngineSession>> sessions;
    std::unordered_map<QString, EngineSession *> sessionsByToken;
    std::multimap<qint64, EngineSession *> timeouts;
    // Members whose held-back data is due: (room key, userId) looked up again when due, so a
    // member or room that went meanwhile is simply not found.
    std::multimap<qint64, std::pair<QString, QString>> dataDue;
    // By userKey(); usually one or a few rooms per user: a vector (a QSet starts with room for 48).
    QHash<QString, std::vector<EngineRoom *>> roomsOfUser;
    // Every organization has a users table of its own.
    std::unordered_map<QString, UserDirectory> users;
    qint64 nextJoinOrder = 1;
    qint64 wakeAt = -1;
    bool opened = false;
    double deadlineWriteFactor = TimeoutFactor;
    Engine::Stats stats;
    Engine::Limits limits;
    // What the quotas are checked against; entries go when they reach zero.
    QHash<QString, int> liveSessionsOfUser; // by userKey()
    QHash<QString, int> liveSessionsOfOrganization;
    QHash<QString, int> roomsOfOrganization;
    QHash<QString, int> subscriptionsOfUser; // by userKey()
    // Who is online in each organization, ordered by userId for paging, with the rooms each
    // is online in. Entries go when they are empty.
    std::unordered_map<QString, std::map<QString, std::vector<EngineRoom *>>> onlineUsers;
    std::deque<std::pair<QPointer<Subscription>, MemberDiff>> outbox;
    std::deque<std::pair<QString, QString>> kickedOut; // (sessionToken, roomId) for kicked()
    // Session keys an administrator ended, until when their sessionId is refused. Kicks are an
    // administrator's act; the entries expire and are pruned past a thousand.
    QHash<QString, qint64> refusedSessions;
    bool recordingEvents = false;
    QList<MemberEvent> events; // for memberEvents(), when recording

    // With a store, the event goes to its outbox in the transaction of the change it tells
    // of: what a crash keeps of the change, it keeps of the event.
    void record(MemberEvent::Type type, const EngineRoom *room, const QString &userId, qint64 at)
    {
        if (!recordingEvents)
            return;
        MemberEvent event {type, room->organization, room->roomId, userId, at};
        if (store)
            check(store->appendEvent(&event));
        events.append(event);
    }
    bool delivering = false;
    int depth = 0;

    bool check(bool ok)
    {
        if (!ok) {
            ++stats.storeErrors;
            qCWarning(lcEngine) << "store write failed:" << store->lastError();
        }
        return ok;
    }
    void commit()
    {
        if (store && !check(store->commit())) {
            // The batch is gone: write every deadline again with the next heartbeat.
            for (auto &[id, session] : sessions)
                session->storedDeadline = 0;
        }
    }

    EngineRoom *findRoom(const QString &id) const
    {
        const auto it = rooms.find(id);
        return it == rooms.end() ? nullptr : it->second.get();
    }

    const UserDirectory &usersOf(const QString &organization) const
    {
        static const UserDirectory none;
        const auto it = users.find(organization);
        return it == users.end() ? none : it->second;
    }

    EngineRoom *addRoom(const QString &id, const QString &organization, const QString &token)
    {
        auto room = std::make_unique<EngineRoom>();
        room->id = id;
        room->organization = organization;
        room->roomId = id.mid(organization.size() + 1); // the key is organization, separator, roomId
        room->token = token;
        EngineRoom *raw = room.get();
        rooms.emplace(id, std::move(room));
        roomsByToken.emplace(token, raw);
        ++roomsOfOrganization[organization];
        return raw;
    }

    static void decrement(QHash<QString, int> &counts, const QString &key)
    {
        const auto it = counts.find(key);
        if (it != counts.end() && --*it <= 0)
            counts.erase(it);
    }

    // Quotas are checked before a heartbeat creates anything: a session, a room, a member.
    Error checkQuotas(const Identity &identity, const QString &room, bool newSession) const
    {
        const QString user = userKey(identity.organization, identity.userId);
        if (newSession) {
            if (liveSessionsOfUser.value(user) >= limits.sessionsPerUser)
                return Engine::refusal(Engine::Refusal::SessionsPerUser, limits);
            if (liveSessionsOfOrganization.value(identity.organization) >= limits.sessionsPerOrganization)
                return Engine::refusal(Engine::Refusal::SessionsPerOrganization, limits);
        }
        const EngineRoom *existing = findRoom(room);
        if (!existing && roomsOfOrganization.value(identity.organization) >= limits.roomsPerOrganization)
            return Engine::refusal(Engine::Refusal::RoomsPerOrganization, limits);
        if ((!existing || existing->members.find(identity.userId) == existing->members.end())
            && qsizetype(roomsOfUser.value(user).size()) >= limits.roomsPerUser) {
            return Engine::refusal(Engine::Refusal::RoomsPerUser, limits);
        }
        return {};
    }

    // A room gets its token, random and stable, the first time anyone joins it.
    EngineRoom *roomFor(const QString &id, const QString &organization)
    {
        if (EngineRoom *room = findRoom(id))
            return room;
        EngineRoom *room = addRoom(id, organization, newToken());
        if (store)
            check(store->writeRoomToken(room->id, room->organization, room->token));
        return room;
    }

    void writePresence(const EngineRoom *room, const EngineMember &m)
    {
        if (store)
            check(store->writePresence({room->id, m.userId, m.online, m.lastDisconnected, m.joinOrder, m.data}));
    }

    EngineMember &memberOf(EngineRoom *room, const QString &userId)
    {
        auto [it, inserted] = room->members.try_emplace(userId);
        if (inserted) {
            it->second.userId = userId;
            roomsOfUser[userKey(room->organization, userId)].push_back(room); // members are never removed from a room
        }
        return it->second;
    }

    void reorder(EngineRoom *room, EngineMember &m, bool online, qint64 lastDisconnected, qint64 joinOrder)
    {
        room->order.erase(OrderKey::of(m));
        if (m.online != online) {
            room->onlineCount += online ? 1 : -1;
            countOnline(room, m.userId, online);
        }
        m.online = online;
        m.lastDisconnected = lastDisconnected;
        m.joinOrder = joinOrder;
        room->order.emplace(OrderKey::of(m), &m);
    }

    void countOnline(EngineRoom *room, const QString &userId, bool online)
    {
        std::map<QString, std::vector<EngineRoom *>> &users = onlineUsers[room->organization];
        if (online) {
            users[userId].push_back(room);
            return;
        }
        const auto it = users.find(userId);
        if (it != users.end()) {
            std::vector<EngineRoom *> &rooms = it->second;
            rooms.erase(std::remove(rooms.begin(), rooms.end(), room), rooms.end());
            if (rooms.empty())
                users.erase(it);
        }
        if (users.empty())
            onlineUsers.erase(room->organization);
    }

    // A member as a mirrored room's truth has it: its sessions are held elsewhere, so one live
    // session stands for "online", idle for "away".
    void applyMirrored(EngineRoom *room, const MirroredMember &mirrored)
    {
        EngineMember &m = memberOf(room, mirrored.userId);
        reorder(room, m, mirrored.online, mirrored.lastDisconnected, mirrored.joinOrder);
        m.liveSessions = mirrored.online ? 1 : 0;
        m.awaySessions = mirrored.online && mirrored.away ? 1 : 0;
        m.data = mirrored.online ? mirrored.data : QJsonObject();
        m.pendingData = QJsonObject(); // the newest value came with the rest
        m.dataPending = false;
    }

    void setOnline(EngineRoom *room, EngineMember &m)
    {
        reorder(room, m, true, m.lastDisconnected, nextJoinOrder++);
        writePresence(room, m);
        record(MemberEvent::Joined, room, m.userId, clock->now());
    }

    void setOffline(EngineRoom *room, EngineMember &m, qint64 at)
    {
        // Data lasts while the member is online: a status set yesterday means nothing now.
        m.data = QJsonObject();
        m.pendingData = QJsonObject();
        m.dataPending = false;
        m.dataDueAt = 0;
        reorder(room, m, false, at, m.joinOrder);
        writePresence(room, m);
        record(MemberEvent::Left, room, m.userId, at);
    }

    EngineSession *findSession(const QString &id) const
    {
        const auto it = sessions.find(id);
        return it == sessions.end() ? nullptr : it->second.get();
    }

    void schedule(EngineSession *session, qint64 deadline)
    {
        if (session->deadline != 0)
            timeouts.erase(session->timeout);
        session->deadline = deadline;
        session->timeout = timeouts.emplace(deadline, session);
    }

    // The live session a token names (nullptr if none), once what is due has expired.
    Result<EngineSession *> liveSession(const QString &sessionToken)
    {
        if (sessionToken.isEmpty() || sessionToken.size() > Engine::MaxTokenLength)
            return Error(Error::InvalidArgument, QStringLiteral("sessionToken is empty or too long"));
        expireDue();
        const auto it = sessionsByToken.find(sessionToken);
        return it == sessionsByToken.end() ? nullptr : it->second;
    }

    void writeDeadlineIfDue(EngineSession *session, qint64 now)
    {
        if (!store || session->storedDeadline == session->deadline)
            return;
        // An earlier deadline (a shorter interval) is always written: a stored deadline
        // must never be later than the real one, or a crash would leave a ghost.
        if (session->deadline > session->storedDeadline
            && session->storedDeadline - now >= deadlineWriteFactor * session->interval) {
            return;
        }
        check(store->writeDeadline(session->id, session->deadline));
        session->storedDeadline = session->deadline;
        ++stats.deadlineWrites;
    }

    EngineSession *addSession(const QString &id, EngineRoom *room, const QString &userId, const QString &token)
    {
        auto session = std::make_unique<EngineSession>();
        session->id = id;
        session->room = room;
        session->userId = userId;
        session->token = token;
        EngineSession *raw = session.get();
        const bool added = sessions.emplace(id, std::move(session)).second;
        Q_ASSERT(added);
        Q_UNUSED(added)
        sessionsByToken.emplace(token, raw);
        ++memberOf(room, userId).liveSessions;
        ++liveSessionsOfUser[userKey(room->organization, userId)];
        ++liveSessionsOfOrganization[room->organization];
        return raw;
    }

    // The seed's disconnect: the session, its token and its timeout go; the user goes
    // offline, as of `at`, when this was their last session in the room.
    void endSession(EngineSession *session, qint64 at)
    {
        timeouts.erase(session->timeout);
        sessionsByToken.erase(session->token);
        if (store)
            check(store->removeSession(session->id));
        EngineRoom *room = session->room;
        EngineMember &m = memberOf(room, session->userId);
        decrement(liveSessionsOfUser, userKey(room->organization, session->userId));
        decrement(liveSessionsOfOrganization, room->organization);
        const bool wasAway = m.away();
        if (session->away)
            --m.awaySessions;
        const QString id = session->id;
        sessions.erase(id); // deletes `session`
        if (--m.liveSessions == 0 && m.online)
            setOffline(room, m, at);
        else if (m.online && m.away() != wasAway) // the one active (or idle) window went
            record(m.away() ? MemberEvent::Away : MemberEvent::Active, room, m.userId, at);
    }

    // Forgets one member of a room (who has no live session): from the list, the user's
    // rooms and the store. Returns the next member.
    std::unordered_map<QString, EngineMember>::iterator forgetMember(
        EngineRoom *room, std::unordered_map<QString, EngineMember>::iterator it)
    {
        EngineMember &m = it->second;
        Q_ASSERT(m.liveSessions == 0);
        room->order.erase(OrderKey::of(m));
        if (m.online) { // settled by open() normally; never leave a count behind
            --room->onlineCount;
            countOnline(room, m.userId, false);
        }
        const QString user = userKey(room->organization, m.userId);
        auto rooms = roomsOfUser.find(user);
        if (rooms != roomsOfUser.end()) {
            rooms->erase(std::remove(rooms->begin(), rooms->end(), room), rooms->end());
            if (rooms->empty())
                roomsOfUser.erase(rooms);
        }
        if (store)
            check(store->removePresence(room->id, m.userId));
        return room->members.erase(it);
    }

    // Ends, as an administrator's act, the sessions in `room` (of `userId` only, unless empty):
    // each is told through kicked(). Scans every session: administration is rare.
    int kickSessions(EngineRoom *room, const QString &userId, qint64 at)
    {
        std::vector<EngineSession *> ending;
        for (const auto &[id, session] : sessions) {
            if (session->room == room && (userId.isEmpty() || session->userId == userId))
                ending.push_back(session.get());
        }
        for (EngineSession *session : ending) {
            kickedOut.emplace_back(session->token, room->roomId);
            // A client that was between two connections when it was told (or never was) comes
            // back with the same sessionId: it is refused for a while rather than let back in.
            refusedSessions.insert(
                session->id, at + std::max<qint64>(KickMemory, qint64(session->interval * TimeoutFactor)));
            endSession(session, at);
        }
        if (refusedSessions.size() > 1'000) {
            for (auto it = refusedSessions.begin(); it != refusedSessions.end();)
                it = it.value() <= at ? refusedSessions.erase(it) : std::next(it);
        }
        return int(ending.size());
    }

    static Error checkAdmin(const Identity &identity, const QString &roomId)
    {
        if (Error e = checkIdentity(identity); e.isError())
            return e;
        if (!identity.admin) {
            return Error(Error::PermissionDenied,
                QStringLiteral("only an administrator may do this: the token does not carry the admin claim"));
        }
        return checkText(roomId, "roomId", Engine::MaxRoomIdLength);
    }

    // Sessions whose deadline has come are disconnected as of their deadline.
    void expireDue()
    {
        const qint64 now = clock->now();
        if (timeouts.empty() || timeouts.begin()->first > now)
            return;
        QHash<EngineRoom *, QList<Member>> before;
        while (!timeouts.empty() && timeouts.begin()->first <= now) {
            const auto [deadline, session] = *timeouts.begin();
            if (!before.contains(session->room))
                before.insert(session->room, view(session->room));
            endSession(session, deadline);
            ++stats.expiredSessions;
        }
        commit();
        for (auto it = before.cbegin(); it != before.cend(); ++it)
            notify(it.key(), it.value());
    }

    // Shows held-back data whose coalescing window has ended.
    void showDueData()
    {
        const qint64 now = clock->now();
        if (dataDue.empty() || dataDue.begin()->first > now)
            return;
        QHash<EngineRoom *, QList<Member>> before;
        std::vector<std::pair<EngineRoom *, EngineMember *>> shown;
        while (!dataDue.empty() && dataDue.begin()->first <= now) {
            const qint64 due = dataDue.begin()->first;
            const auto [roomId, userId] = dataDue.begin()->second;
            dataDue.erase(dataDue.begin());
            EngineRoom *room = findRoom(roomId);
            if (!room)
                continue; // removed meanwhile
            const auto m = room->members.find(userId);
            if (m == room->members.end() || !m->second.dataPending || m->second.dataDueAt != due)
                continue; // gone offline (data dropped), forgotten, or back with a value due later
            m->second.dataPending = false; // one entry shows it, even if another names the same time
            if (!before.contains(room))
                before.insert(room, view(room));
            shown.emplace_back(room, &m->second);
        }
        for (auto [room, m] : shown)
            showData(room, *m, std::exchange(m->pendingData, QJsonObject()), now);
        for (auto it = before.cbegin(); it != before.cend(); ++it)
            notify(it.key(), it.value());
    }

    // Watchers hear of one member's data at most once per Limits::dataCoalesce ms, the last
    // value winning.
    void setData(EngineRoom *room, EngineMember &m, const QJsonObject &data)
    {
        if (m.dataPending ? m.pendingData == data : m.data == data)
            return; // nothing anyone would see changes
        ++stats.dataUpdates;
        const qint64 now = clock->now();
        if (m.dataPending) {
            // A push is already due at the window's end: the newer value takes its place.
            ++stats.dataCoalesced;
            m.pendingData = data;
        } else if (now - m.dataShownAt >= limits.dataCoalesce) {
            const QList<Member> before = view(room);
            showData(room, m, data, now);
            notify(room, before);
        } else {
            m.pendingData = data;
            m.dataPending = true;
            m.dataDueAt = m.dataShownAt + limits.dataCoalesce;
            dataDue.emplace(m.dataDueAt, std::make_pair(room->id, m.userId));
            armClock();
        }
    }

    void showData(EngineRoom *room, EngineMember &m, const QJsonObject &data, qint64 now)
    {
        m.dataPending = false;
        m.dataShownAt = now;
        if (m.data == data)
            return;
        m.data = data;
        writePresence(room, m);
        record(MemberEvent::Updated, room, m.userId, now);
    }

    // The wake request only ever moves earlier: in steady state the earliest deadline
    // moves later with nearly every heartbeat, and re-arming a timer each time would cost
    // more than the occasional early wake that finds nothing due and re-arms.
    void armClock()
    {
        if (timeouts.empty() && dataDue.empty())
            return;
        qint64 next = std::numeric_limits<qint64>::max();
        if (!timeouts.empty())
            next = timeouts.begin()->first;
        if (!dataDue.empty())
            next = std::min(next, dataDue.begin()->first);
        if (wakeAt < 0 || next < wakeAt) {
            wakeAt = next;
            clock->wakeAt(next);
        }
    }

    QList<Member> window(const EngineRoom *room, int limit) const
    {
        QList<Member> members;
        members.reserve(std::min<qsizetype>(limit, qsizetype(room->order.size())));
        const UserDirectory &directory = usersOf(room->organization);
        for (const auto &[key, m] : room->order) {
            if (members.size() >= limit)
                break;
            const User profile = directory.profileFor(m->userId);
            members.append(
                Member {m->userId, m->online, m->lastDisconnected, profile.name, profile.image, m->away(), m->data});
        }
        return members;
    }

    // What the room's subscribers see now, taken before a change; nothing if nobody looks.
    QList<Member> view(const EngineRoom *room) const
    {
        if (room->subscriptions.isEmpty())
            return {};
        int limit = 0;
        for (const Subscription *s : room->subscriptions)
            limit = std::max(limit, s->limit());
        return window(room, limit);
    }

    static MemberDiff diff(const QList<Member> &before, const QList<Member> &after, int limit)
    {
        const qsizetype oldCount = std::min<qsizetype>(limit, before.size());
        const qsizetype newCount = std::min<qsizetype>(limit, after.size());
        QHash<QString, const Member *> old;
        old.reserve(oldCount);
        for (qsizetype i = 0; i < oldCount; ++i)
            old.insert(before.at(i).userId, &before.at(i));
        MemberDiff d;
        for (qsizetype i = 0; i < newCount; ++i) {
            const Member &m = after.at(i);
            const Member *was = old.take(m.userId);
            if (!was || *was != m)
                d.upserted.append(m);
        }
        for (qsizetype i = 0; i < oldCount; ++i) {
            if (old.contains(before.at(i).userId))
                d.removed.append(before.at(i).userId);
        }
        return d;
    }

    // Diffs are queued and delivered when the outermost engine call returns, in order:
    // no receiver's slot runs in the middle of an operation, and a receiver that changes
    // a room from its slot has that change delivered after the one it is being told about.
    void notify(EngineRoom *room, const QList<Member> &before)
    {
        if (room->subscriptions.isEmpty())
            return;
        const QList<Member> after = view(room);
        QHash<int, MemberDiff> byLimit;
        const RoomCounts counts {room->onlineCount, int(room->members.size())};
        for (Subscription *s : std::as_const(room->subscriptions)) {
            auto it = byLimit.find(s->limit());
            if (it == byLimit.end())
                it = byLimit.insert(s->limit(), diff(before, after, s->limit()));
            if (s->wantsCounts() && s->m_sentCounts != counts) {
                // A change of the counts alone is a diff too (someone joined beyond the limit).
                MemberDiff withCounts = *it;
                withCounts.counts = counts;
                s->m_sentCounts = counts;
                outbox.emplace_back(s, withCounts);
            } else if (!it->isEmpty()) {
                outbox.emplace_back(s, *it);
            }
        }
    }

    void deliver()
    {
        if (delivering)
            return;
        delivering = true;
        // A receiver may call the engine again: what that queues is delivered in this loop too.
        while (!outbox.empty() || !kickedOut.empty() || !events.isEmpty()) {
            while (!outbox.empty()) {
                const auto [subscription, change] = std::move(outbox.front());
                outbox.pop_front();
                if (!subscription)
                    continue; // deleted by an earlier receiver
                ++stats.notifications;
                Q_EMIT subscription->changed(change);
            }
            while (!kickedOut.empty()) {
                const auto [token, roomId] = std::move(kickedOut.front());
                kickedOut.pop_front();
                Q_EMIT q->kicked(token, roomId);
            }
            if (!events.isEmpty())
                Q_EMIT q->memberEvents(std::exchange(events, {}));
        }
        delivering = false;
    }

    // Marks a public entry point: diffs go out when the outermost one returns.
    class Operation
    {
    public:
        explicit Operation(EnginePrivate *d)
            : d(d)
        {
            ++d->depth;
        }
        ~Operation()
        {
            if (--d->depth == 0)
                d->deliver();
        }
        Q_DISABLE_COPY_MOVE(Operation)

    private:
        EnginePrivate *d;
    };

    int applyUsers(const QList<User> &list)
    {
        QHash<EngineRoom *, QList<Member>> before;
        for (const User &user : list) {
            for (const QString &userId : usersOf(user.organization).affectedBy(user)) {
                for (EngineRoom *room : roomsOfUser.value(userKey(user.organization, userId))) {
                    if (!room->subscriptions.isEmpty() && !before.contains(room))
                        before.insert(room, view(room));
                }
            }
        }
        int changed = 0;
        for (const User &user : list) {
            User stored;
            if (users[user.organization].merge(user, &stored)) {
                ++changed;
                if (store)
                    check(store->writeUser(stored));
            }
        }
        commit();
        for (auto it = before.cbegin(); it != before.cend(); ++it)
            notify(it.key(), it.value());
        return changed;
    }

    Error checkOpen() const
    {
        if (!opened)
            return Error(Error::Internal, QStringLiteral("the engine is not open: call open() first"));
        return {};
    }

    // The room a caller names by token: nullptr for an unknown token, an error for a
    // malformed request or another organization's room.
    Result<EngineRoom *> roomForCaller(const Identity &identity, const QString &roomToken, int limit)
    {
        if (Error e = checkIdentity(identity); e.isError())
            return e;
        if (limit < 1)
            return Error(Error::InvalidArgument, QStringLiteral("limit must be at least 1"));
        if (roomToken.isEmpty() || roomToken.size() > Engine::MaxTokenLength)
            return Error(Error::InvalidArgument, QStringLiteral("roomToken is empty or too long"));
        expireDue();
        armClock();
        const auto it = roomsByToken.find(roomToken);
        if (it == roomsByToken.end())
            return static_cast<EngineRoom *>(nullptr);
        if (it->second->organization != identity.organization)
            return Error(Error::PermissionDenied, QStringLiteral("this room belongs to another organization"));
        return it->second;
    }

    Error checkSubscriptionQuota(const Identity &identity) const
    {
        if (subscriptionsOfUser.value(userKey(identity.organization, identity.userId)) >= limits.subscriptionsPerUser) {
            return Error(Error::ResourceExhausted,
                QStringLiteral("this user has %1 subscriptions, the most allowed; unsubscribe some first")
                    .arg(limits.subscriptionsPerUser));
        }
        return {};
    }

    // The room a caller names by id in their own organization: nullptr when there is none
    // (and `create` is false), an error for a malformed request or a quota.
    Result<EngineRoom *> roomByIdForCaller(const Identity &identity, const QString &roomId, int limit, bool create)
    {
        if (Error e = checkIdentity(identity); e.isError())
            return e;
        if (limit < 1)
            return Error(Error::InvalidArgument, QStringLiteral("limit must be at least 1"));
        if (Error e = checkText(roomId, "roomId", Engine::MaxRoomIdLength); e.isError())
            return e;
        expireDue();
        armClock();
        const QString key = roomKey(identity.organization, roomId);
        if (EngineRoom *room = findRoom(key))
            return room;
        if (!create)
            return static_cast<EngineRoom *>(nullptr);
        if (roomsOfOrganization.value(identity.organization) >= limits.roomsPerOrganization) {
            return Error(Error::ResourceExhausted,
                QStringLiteral("this organization has %1 rooms, the most allowed").arg(limits.roomsPerOrganization));
        }
        return roomFor(key, identity.organization);
    }

    static Error checkIdentity(const Identity &identity)
    {
        if (identity.userId.isEmpty() || identity.organization.isEmpty())
            return Error(Error::Unauthenticated, QStringLiteral("the caller has no user or organization"));
        if (Error e = checkText(identity.userId, "userId", Engine::MaxUserIdLength); e.isError())
            return e;
        return checkText(identity.organization, "organization", Engine::MaxOrganizationLength);
    }

    static Error checkUser(const User &user)
    {
        if (user.organization.isEmpty())
            return Error(Error::InvalidArgument, QStringLiteral("a user needs an organization"));
        if (Error e = checkText(user.organization, "organization", Engine::MaxOrganizationLength); e.isError())
            return e;
        return UserDirectory::validate(user);
    }
};

Engine::Engine(Clock *clock, Store *store, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<EnginePrivate>(this, clock, store))
{
    qRegisterMetaType<Presence::MemberDiff>();
    qRegisterMetaType<Presence::MemberEvent>();
    connect(clock, &Clock::timeout, this, [this] {
        EnginePrivate::Operation operation(d.get());
        d->wakeAt = -1; // the request is used up, whatever now() says
        d->expireDue();
        d->showDueData();
        d->armClock();
    });
}

Engine::~Engine()
{
    if (d->store)
        flush();
    d->clock->wakeAt(-1);
}

Result<bool> Engine::open()
{
    if (d->opened)
        return Error(Error::Internal, QStringLiteral("the engine is already open"));
    d->opened = true;
    EnginePrivate::Operation operation(d.get());
    if (!d->store)
        return true;
    Result<StoreSnapshot> loaded = d->store->load();
    if (!loaded)
        return loaded.error();
    const StoreSnapshot &snapshot = loaded.value();

    // Events recorded before and not handled go first, before what the recovery below tells;
    // when nobody records any more, they are dropped.
    if (d->recordingEvents)
        d->events = snapshot.events;
    else if (!snapshot.events.isEmpty())
        d->check(d->store->removeEvents(snapshot.events.constLast().id));
    for (const auto &row : snapshot.roomTokens) {
        if (!d->findRoom(row.roomId) && !row.organization.isEmpty())
            d->addRoom(row.roomId, row.organization, row.token);
    }
    for (const auto &row : snapshot.presence) {
        EngineRoom *room = d->findRoom(row.roomId);
        if (!room) {
            // The engine writes a room's token before its first member: only a store edited
            // by hand gets here, and without its organization the row cannot be placed.
            qCWarning(lcEngine) << "dropping presence of" << row.userId << "in a room without a token";
            continue;
        }
        EngineMember &m = d->memberOf(room, row.userId);
        if (row.online && !m.online) {
            ++room->onlineCount;
            d->countOnline(room, row.userId, true);
        }
        m.online = row.online;
        m.lastDisconnected = row.lastDisconnected;
        m.joinOrder = row.joinOrder;
        if (row.online)
            m.data = row.data;
        room->order.emplace(OrderKey::of(m), &m);
        d->nextJoinOrder = std::max(d->nextJoinOrder, row.joinOrder + 1);
    }
    {
        QHash<QString, QList<User>> byOrganization;
        for (const User &user : snapshot.users)
            byOrganization[user.organization].append(user);
        for (auto it = byOrganization.cbegin(); it != byOrganization.cend(); ++it)
            d->users[it.key()].load(it.value());
    }
    for (const auto &row : snapshot.sessions) {
        EngineRoom *room = d->findRoom(row.roomId);
        if (!room || room->members.find(row.userId) == room->members.end() || d->findSession(row.sessionId)
            || row.token.isEmpty() || row.deadline <= 0) {
            qCWarning(lcEngine) << "dropping stored session" << row.sessionId << "that is incomplete";
            d->check(d->store->removeSession(row.sessionId));
            continue;
        }
        EngineSession *session = d->addSession(row.sessionId, room, row.userId, row.token);
        d->schedule(session, row.deadline);
        session->storedDeadline = row.deadline;
    }

    // What happened while we were down: deadlines that passed end their sessions then.
    d->expireDue();

    // The engine writes a session and its user's row in one transaction, so these only
    // come from a store edited by hand; settle them so nobody shows online for ever.
    const qint64 now = d->clock->now();
    for (auto &[id, room] : d->rooms) {
        for (auto &[userId, m] : room->members) {
            if (m.online && m.liveSessions == 0) {
                qCWarning(lcEngine) << "user" << userId << "was online in" << id << "without a session";
                d->setOffline(room.get(), m, std::max(now, m.lastDisconnected));
            } else if (!m.online && m.liveSessions > 0) {
                d->setOnline(room.get(), m);
            }
        }
    }
    d->commit();
    d->armClock();
    qCInfo(lcEngine) << "opened:" << d->rooms.size() << "rooms," << d->sessions.size() << "live sessions,"
                     << userCount() << "users";
    return true;
}

Error Engine::checkHeartbeat(const Identity &identity, const QString &roomId, const QString &sessionId, int interval)
{
    if (Error e = EnginePrivate::checkIdentity(identity); e.isError())
        return e;
    if (Error e = checkText(roomId, "roomId", MaxRoomIdLength); e.isError())
        return e;
    if (Error e = checkText(sessionId, "sessionId", MaxSessionIdLength); e.isError())
        return e;
    if (interval < MinInterval || interval > MaxInterval) {
        return Error(Error::InvalidArgument,
            QStringLiteral("interval must be between %1 and %2 ms").arg(MinInterval).arg(MaxInterval));
    }
    if (identity.hasProfileClaims()) {
        const User claims {
            identity.userId, identity.email, identity.name, identity.picture, identity.organization, false};
        if (Error e = UserDirectory::validate(claims); e.isError())
            return e;
    }
    return {};
}

Error Engine::refusal(Refusal refusal, const Limits &limits)
{
    switch (refusal) {
    case Refusal::SessionsPerUser:
        return Error(Error::ResourceExhausted,
            QStringLiteral("this user has %1 live sessions, the most allowed; end some (disconnect) first")
                .arg(limits.sessionsPerUser));
    case Refusal::SessionsPerOrganization:
        return Error(Error::ResourceExhausted,
            QStringLiteral("this organization has %1 live sessions, the most allowed")
                .arg(limits.sessionsPerOrganization));
    case Refusal::RoomsPerOrganization:
        return Error(Error::ResourceExhausted,
            QStringLiteral("this organization has %1 rooms, the most allowed; unused rooms are dropped after "
                           "the offline retention")
                .arg(limits.roomsPerOrganization));
    case Refusal::RoomsPerUser:
        return Error(Error::ResourceExhausted,
            QStringLiteral("this user is a member of %1 rooms, the most allowed; rooms left long ago are "
                           "forgotten after the offline retention")
                .arg(limits.roomsPerUser));
    case Refusal::Kicked:
        return Error(Error::PermissionDenied,
            QStringLiteral("an administrator removed this window from the room; join again with a new sessionId"));
    case Refusal::SessionInOtherRoom:
        break;
    }
    return Error(Error::InvalidArgument, QStringLiteral("sessionId is already in use for another room; use a new one"));
}

Error Engine::checkUpdate(
    const Identity &identity, const QString &sessionToken, const QJsonObject &data, const Limits &limits)
{
    if (Error e = EnginePrivate::checkIdentity(identity); e.isError())
        return e;
    if (sessionToken.isEmpty() || sessionToken.size() > MaxTokenLength)
        return Error(Error::InvalidArgument, QStringLiteral("sessionToken is empty or too long"));
    const qsizetype size = QJsonDocument(data).toJson(QJsonDocument::Compact).size();
    if (size > limits.maxDataSize) {
        return Error(Error::InvalidArgument,
            QStringLiteral("data is %1 bytes as JSON; the limit is %2").arg(size).arg(limits.maxDataSize));
    }
    return {};
}

Result<HeartbeatResult> Engine::heartbeat(
    const Identity &identity, const QString &roomId, const QString &sessionId, int interval, bool away)
{
    if (Error e = d->checkOpen(); e.isError())
        return e;
    EnginePrivate::Operation operation(d.get());
    if (Error e = checkHeartbeat(identity, roomId, sessionId, interval); e.isError())
        return e;
    const User claims {identity.userId, identity.email, identity.name, identity.picture, identity.organization, false};

    d->expireDue();
    const qint64 now = d->clock->now();
    const QString room = roomKey(identity.organization, roomId);
    const QString key = sessionKey(identity.organization, identity.userId, sessionId);

    // A sessionId names one window of one user in one room. Each user has sessionIds of
    // their own: nobody can squat or probe another user's.
    EngineSession *session = d->findSession(key);
    if (!session) {
        const auto refused = d->refusedSessions.constFind(key);
        if (refused != d->refusedSessions.cend() && *refused > now)
            return refusal(Refusal::Kicked, d->limits);
    }
    if (session && session->room->id != room)
        return refusal(Refusal::SessionInOtherRoom, d->limits);
    if (Error e = d->checkQuotas(identity, room, !session); e.isError())
        return e;
    ++d->stats.heartbeats;

    if (identity.hasProfileClaims() && d->usersOf(identity.organization).wouldChange(claims))
        d->applyUsers({claims});

    EngineRoom *target = session ? session->room : d->roomFor(room, identity.organization);
    const auto found = target->members.find(identity.userId);
    const bool comesOnline = found == target->members.end() || !found->second.online;
    // Only a heartbeat that may change what others see takes the view before it: a join, a
    // new window (an active one brings an away member back), or a window going idle or
    // active. A steady heartbeat costs nothing here.
    const bool newSession = !session;
    const bool awayChanges = (session ? session->away : false) != away;
    const QList<Member> before = comesOnline || newSession || awayChanges ? d->view(target) : QList<Member>();
    const bool wasAway = !comesOnline && newSession && found->second.away();

    // The user's row is written only when it goes online; a steady heartbeat leaves it be.
    if (newSession)
        session = d->addSession(key, target, identity.userId, newToken());
    if (comesOnline)
        d->setOnline(target, d->memberOf(target, identity.userId));

    session->interval = interval;
    bool awayChanged = false;
    if (newSession || session->away != away) { // the steady heartbeat does not even look the member up
        EngineMember &member = d->memberOf(target, identity.userId);
        // Before this heartbeat: for a new window, as it was before the window was added.
        const bool memberWasAway = newSession ? wasAway : member.away();
        if (session->away != away) {
            session->away = away;
            member.awaySessions += away ? 1 : -1;
        }
        awayChanged = !comesOnline && member.away() != memberWasAway;
        if (awayChanged)
            d->record(member.away() ? MemberEvent::Away : MemberEvent::Active, target, identity.userId, now);
    }
    d->schedule(session, now + qint64(interval * TimeoutFactor));
    if (newSession) {
        session->storedDeadline = session->deadline;
        if (d->store) {
            d->check(
                d->store->insertSession({session->id, target->id, session->userId, session->token, session->deadline}));
        }
    } else {
        d->writeDeadlineIfDue(session, now);
    }

    if (newSession || comesOnline)
        d->commit(); // joins are durable at once; deadline updates ride the store's batch
    else if (!awayChanged)
        ++d->stats.steadyHeartbeats;
    if (comesOnline || awayChanged)
        d->notify(target, before);
    d->armClock();
    return HeartbeatResult {target->token, session->token};
}

Result<bool> Engine::update(const Identity &identity, const QString &sessionToken, const QJsonObject &data)
{
    if (Error e = d->checkOpen(); e.isError())
        return e;
    EnginePrivate::Operation operation(d.get());
    if (Error e = checkUpdate(identity, sessionToken, data, d->limits); e.isError())
        return e;
    const Result<EngineSession *> found = d->liveSession(sessionToken);
    if (!found)
        return found.error();
    EngineSession *session = found.value();
    if (!session) {
        return Error(Error::NotFound, QStringLiteral("no live session has this sessionToken; heartbeat first"));
    }
    if (session->room->organization != identity.organization || session->userId != identity.userId)
        return Error(Error::PermissionDenied, QStringLiteral("this session belongs to another user"));
    d->setData(session->room, d->memberOf(session->room, session->userId), data);
    return true;
}

Result<bool> Engine::disconnect(const QString &sessionToken)
{
    if (Error e = d->checkOpen(); e.isError())
        return e;
    EnginePrivate::Operation operation(d.get());
    const Result<EngineSession *> session = d->liveSession(sessionToken);
    if (!session)
        return session.error();
    if (EngineSession *s = session.value()) {
        EngineRoom *room = s->room;
        const QList<Member> before = d->view(room);
        d->endSession(s, d->clock->now());
        d->commit();
        d->notify(room, before);
        d->armClock();
    }
    return true;
}

Result<bool> Engine::expireWithin(const QString &sessionToken, int graceMs)
{
    if (Error e = d->checkOpen(); e.isError())
        return e;
    EnginePrivate::Operation operation(d.get());
    const Result<EngineSession *> found = d->liveSession(sessionToken);
    if (!found)
        return found.error();
    EngineSession *session = found.value();
    if (!session)
        return true;
    const qint64 now = d->clock->now();
    const qint64 deadline = now + std::max(0, graceMs);
    if (deadline < session->deadline) {
        d->schedule(session, deadline);
        d->writeDeadlineIfDue(session, now); // earlier: always written, and committed now
        d->commit();
        d->expireDue();
        d->armClock();
    }
    return true;
}

Result<QList<Member>> Engine::list(const Identity &identity, const QString &roomToken, int limit)
{
    if (Error e = d->checkOpen(); e.isError())
        return e;
    EnginePrivate::Operation operation(d.get());
    const Result<EngineRoom *> room = d->roomForCaller(identity, roomToken, limit);
    if (!room)
        return room.error();
    if (!room.value())
        return QList<Member>(); // an unknown token lists nothing, as in the seed
    return d->window(room.value(), std::min(limit, MaxLimit));
}

Result<RoomCounts> Engine::counts(const Identity &identity, const QString &roomToken)
{
    if (Error e = d->checkOpen(); e.isError())
        return e;
    EnginePrivate::Operation operation(d.get());
    const Result<EngineRoom *> room = d->roomForCaller(identity, roomToken, DefaultLimit);
    if (!room)
        return room.error();
    if (!room.value())
        return RoomCounts(); // an unknown token counts nothing, as it lists nothing
    return counts(room.value());
}

RoomCounts Engine::counts(const EngineRoom *room) const
{
    return {room->onlineCount, int(room->members.size())};
}

Result<Subscription *> Engine::subscribe(
    const Identity &identity, const QString &roomToken, int limit, QObject *parent, bool wantsCounts)
{
    if (Error e = d->checkOpen(); e.isError())
        return e;
    EnginePrivate::Operation operation(d.get());
    const Result<EngineRoom *> room = d->roomForCaller(identity, roomToken, limit);
    if (!room)
        return room.error();
    if (!room.value())
        return Error(Error::NotFound, QStringLiteral("no room has this token"));
    return subscribeTo(identity, room.value(), limit, parent, wantsCounts);
}

Result<Subscription *> Engine::subscribeTo(
    const Identity &identity, EngineRoom *room, int limit, QObject *parent, bool wantsCounts)
{
    if (Error e = d->checkSubscriptionQuota(identity); e.isError())
        return e;
    const QString owner = userKey(identity.organization, identity.userId);
    auto *subscription
        = new Subscription(this, room, room->token, std::min(limit, MaxLimit), wantsCounts, owner, parent);
    room->subscriptions.append(subscription);
    ++d->subscriptionsOfUser[owner];
    return subscription;
}

Result<QList<Member>> Engine::listRoom(const Identity &identity, const QString &roomId, int limit)
{
    if (Error e = d->checkOpen(); e.isError())
        return e;
    EnginePrivate::Operation operation(d.get());
    const Result<EngineRoom *> room = d->roomByIdForCaller(identity, roomId, limit, false);
    if (!room)
        return room.error();
    if (!room.value())
        return QList<Member>(); // nobody has joined it yet
    return d->window(room.value(), std::min(limit, MaxLimit));
}

Result<Subscription *> Engine::subscribeRoom(
    const Identity &identity, const QString &roomId, int limit, QObject *parent, bool wantsCounts)
{
    if (Error e = d->checkOpen(); e.isError())
        return e;
    EnginePrivate::Operation operation(d.get());
    // The subscriptions quota first, so a refused one makes no room.
    if (Error e = d->checkSubscriptionQuota(identity); e.isError())
        return e;
    const Result<EngineRoom *> room = d->roomByIdForCaller(identity, roomId, limit, true);
    if (!room)
        return room.error();
    d->commit(); // a room made for watching is durable at once, as a joined one is
    return subscribeTo(identity, room.value(), limit, parent, wantsCounts);
}

Result<RoomCounts> Engine::countsOfRoom(const Identity &identity, const QString &roomId)
{
    if (Error e = d->checkOpen(); e.isError())
        return e;
    EnginePrivate::Operation operation(d.get());
    const Result<EngineRoom *> room = d->roomByIdForCaller(identity, roomId, DefaultLimit, false);
    if (!room)
        return room.error();
    return room.value() ? counts(room.value()) : RoomCounts();
}

Result<OnlinePage> Engine::online(const Identity &identity, int limit, const QString &cursor)
{
    if (Error e = d->checkOpen(); e.isError())
        return e;
    EnginePrivate::Operation operation(d.get());
    if (Error e = EnginePrivate::checkIdentity(identity); e.isError())
        return e;
    if (limit < 1)
        return Error(Error::InvalidArgument, QStringLiteral("limit must be at least 1"));
    const Result<QString> decoded = onlineCursorUser(cursor);
    if (!decoded)
        return decoded.error();
    const QString after = decoded.value();
    d->expireDue();
    d->armClock();
    OnlinePage page;
    const auto org = d->onlineUsers.find(identity.organization);
    if (org == d->onlineUsers.end())
        return page;
    const std::map<QString, std::vector<EngineRoom *>> &users = org->second;
    const UserDirectory &directory = d->usersOf(identity.organization);
    limit = std::min(limit, MaxOnlineLimit);
    qsizetype characters = 0;
    for (auto it = after.isEmpty() ? users.begin() : users.upper_bound(after); it != users.end(); ++it) {
        if (page.users.size() >= limit || characters >= OnlinePageCharacters) {
            page.cursor = onlineCursor(page.users.constLast().userId);
            break;
        }
        OnlineUser user;
        user.userId = it->first;
        const User profile = directory.profileFor(user.userId);
        user.name = profile.name;
        user.image = profile.image;
        user.away = true;
        for (const EngineRoom *room : it->second) { // the rooms they are online in, no others
            const auto m = room->members.find(user.userId);
            user.rooms.append(room->roomId);
            user.away = user.away && m != room->members.end() && m->second.away();
        }
        user.rooms.sort();
        characters += user.userId.size() + user.name.size() + user.image.size() + 32;
        for (const QString &room : std::as_const(user.rooms))
            characters += room.size() + 3;
        page.users.append(user);
    }
    return page;
}

// The cursor is the last userId of the page before as UTF-16, base64url: opaque, free of
// whatever characters a userId holds, and exact for any QString (UTF-8 would turn a lone
// surrogate into U+FFFD and page from the wrong place).
QString Engine::onlineCursor(const QString &lastUserId)
{
    const QByteArray last(reinterpret_cast<const char *>(lastUserId.utf16()), lastUserId.size() * 2);
    return QString::fromLatin1(last.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

Result<QString> Engine::onlineCursorUser(const QString &cursor)
{
    if (cursor.isEmpty())
        return QString();
    QString after;
    const auto decoded = QByteArray::fromBase64Encoding(
        cursor.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (decoded && decoded.decoded.size() % 2 == 0)
        after = QString(reinterpret_cast<const QChar *>(decoded.decoded.constData()), decoded.decoded.size() / 2);
    if (cursor.size() > 4 * MaxUserIdLength || after.isEmpty()
        || checkText(after, "cursor", MaxUserIdLength).isError()) {
        return Error(Error::InvalidArgument, QStringLiteral("cursor is not one this server gave"));
    }
    return after;
}

Error Engine::checkAdmin(const Identity &identity, const QString &roomId)
{
    return EnginePrivate::checkAdmin(identity, roomId);
}

Error Engine::checkIdentity(const Identity &identity)
{
    return EnginePrivate::checkIdentity(identity);
}

Error Engine::checkUserId(const QString &userId)
{
    return checkText(userId, "userId", MaxUserIdLength);
}

Result<QStringList> Engine::whereis(const Identity &identity, const QString &userId)
{
    if (Error e = d->checkOpen(); e.isError())
        return e;
    EnginePrivate::Operation operation(d.get());
    if (Error e = EnginePrivate::checkIdentity(identity); e.isError())
        return e;
    if (Error e = checkText(userId, "userId", MaxUserIdLength); e.isError())
        return e;
    d->expireDue();
    d->armClock();
    QStringList rooms;
    if (const auto org = d->onlineUsers.find(identity.organization); org != d->onlineUsers.end()) {
        if (const auto user = org->second.find(userId); user != org->second.end()) {
            for (const EngineRoom *room : user->second)
                rooms.append(room->roomId);
        }
    }
    rooms.sort();
    return rooms;
}

Result<int> Engine::kick(const Identity &identity, const QString &roomId, const QString &userId)
{
    if (Error e = d->checkOpen(); e.isError())
        return e;
    EnginePrivate::Operation operation(d.get());
    if (Error e = d->checkAdmin(identity, roomId); e.isError())
        return e;
    if (Error e = checkText(userId, "userId", MaxUserIdLength); e.isError())
        return e;
    d->expireDue();
    EngineRoom *room = d->findRoom(roomKey(identity.organization, roomId));
    if (!room)
        return 0;
    const QList<Member> before = d->view(room);
    const int ended = d->kickSessions(room, userId, d->clock->now());
    d->commit();
    d->notify(room, before);
    d->armClock();
    if (ended > 0)
        qCInfo(lcEngine) << identity.userId << "kicked" << userId << "from" << room->id << ":" << ended << "sessions";
    return ended;
}

Result<int> Engine::removeRoom(const Identity &identity, const QString &roomId)
{
    if (Error e = d->checkOpen(); e.isError())
        return e;
    EnginePrivate::Operation operation(d.get());
    if (Error e = d->checkAdmin(identity, roomId); e.isError())
        return e;
    d->expireDue();
    EngineRoom *room = d->findRoom(roomKey(identity.organization, roomId));
    if (!room)
        return 0;
    const QList<Member> before = d->view(room);
    const int ended = d->kickSessions(room, QString(), d->clock->now());
    for (auto it = room->members.begin(); it != room->members.end();)
        it = d->forgetMember(room, it);
    d->roomsByToken.erase(room->token);
    if (d->store)
        d->check(d->store->removeRoom(room->id));
    if (!room->subscriptions.isEmpty()) {
        // Watched: the watchers see everyone go and keep watching the id, under a new token
        // (the old one names nothing now).
        room->token = newToken();
        d->roomsByToken.emplace(room->token, room);
        if (d->store)
            d->check(d->store->writeRoomToken(room->id, room->organization, room->token));
        d->notify(room, before);
    } else {
        EnginePrivate::decrement(d->roomsOfOrganization, room->organization);
        d->rooms.erase(room->id); // deletes room
    }
    d->commit();
    d->armClock();
    qCInfo(lcEngine) << identity.userId << "removed room" << roomId << "of" << identity.organization;
    return ended;
}

Result<int> Engine::removeUser(const QString &organization, const QString &userId)
{
    if (Error e = d->checkOpen(); e.isError())
        return e;
    EnginePrivate::Operation operation(d.get());
    if (Error e = checkText(organization, "organization", MaxOrganizationLength); e.isError())
        return e;
    if (Error e = checkText(userId, "userId", MaxUserIdLength); e.isError())
        return e;
    d->expireDue();
    const qint64 now = d->clock->now();
    const std::vector<EngineRoom *> rooms = d->roomsOfUser.value(userKey(organization, userId));
    for (EngineRoom *room : rooms) {
        const QList<Member> before = d->view(room);
        d->kickSessions(room, userId, now);
        const auto it = room->members.find(userId);
        if (it != room->members.end())
            d->forgetMember(room, it);
        d->notify(room, before);
    }
    if (const auto directory = d->users.find(organization); directory != d->users.end())
        directory->second.remove(userId);
    if (d->store)
        d->check(d->store->removeUser(organization, userId));
    d->commit();
    d->armClock();
    return int(rooms.size());
}

QList<std::pair<QString, RoomCounts>> Engine::rooms(const QString &organization) const
{
    QList<std::pair<QString, RoomCounts>> list;
    for (const auto &[id, room] : d->rooms) {
        if (room->organization == organization)
            list.append({room->roomId, counts(room.get())});
    }
    std::sort(list.begin(), list.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    return list;
}

Result<bool> Engine::upsertUser(const User &user)
{
    if (Error e = d->checkOpen(); e.isError())
        return e;
    EnginePrivate::Operation operation(d.get());
    if (Error e = EnginePrivate::checkUser(user); e.isError())
        return e;
    return d->applyUsers({user}) > 0;
}

User Engine::profile(const QString &organization, const QString &userId) const
{
    return d->usersOf(organization).profileFor(userId);
}

Result<int> Engine::upsertUsers(const QList<User> &users)
{
    if (Error e = d->checkOpen(); e.isError())
        return e;
    EnginePrivate::Operation operation(d.get());
    for (const User &user : users) {
        if (Error e = EnginePrivate::checkUser(user); e.isError())
            return e;
    }
    return d->applyUsers(users);
}

Result<int> Engine::importUsers(const QByteArray &json, const QString &organization)
{
    if (Error e = d->checkOpen(); e.isError())
        return e;
    EnginePrivate::Operation operation(d.get());
    Result<QList<User>> users = UserDirectory::parseJson(json);
    if (!users)
        return users.error();
    QList<User> rows = users.value();
    for (User &user : rows) {
        user.organization = organization;
        if (Error e = EnginePrivate::checkUser(user); e.isError())
            return e;
    }
    return d->applyUsers(rows);
}

void Engine::flush()
{
    if (!d->store)
        return;
    for (auto &[id, session] : d->sessions) {
        if (session->storedDeadline != session->deadline) {
            d->check(d->store->writeDeadline(id, session->deadline));
            session->storedDeadline = session->deadline;
        }
    }
    if (!d->check(d->store->flush())) {
        for (auto &[id, session] : d->sessions)
            session->storedDeadline = 0;
    }
}

void Engine::setRecordingEvents(bool record)
{
    d->recordingEvents = record;
    if (!record)
        d->events.clear();
}

void Engine::eventsHandled(qint64 upToId)
{
    if (d->store && upToId > 0)
        d->check(d->store->removeEvents(upToId)); // rides the store's batch
}

void Engine::setDeadlineWriteFactor(double factor)
{
    d->deadlineWriteFactor = std::clamp(factor, 0.0, TimeoutFactor);
}

bool Engine::hasSession(const QString &sessionToken) const
{
    return d->sessionsByToken.count(sessionToken) > 0;
}

int Engine::sessionCount() const
{
    return int(d->sessions.size());
}

int Engine::roomCount() const
{
    return int(d->rooms.size());
}

int Engine::userCount() const
{
    int count = 0;
    for (const auto &[organization, directory] : d->users)
        count += directory.count();
    return count;
}

Engine::Stats Engine::stats() const
{
    return d->stats;
}

void Engine::mirrorRoom(
    const QString &organization, const QString &roomId, const QString &roomToken, const QList<MirroredMember> &members)
{
    EnginePrivate::Operation operation(d.get());
    const QString key = roomKey(organization, roomId);
    EngineRoom *room = d->findRoom(key);
    if (!room) {
        room = d->addRoom(key, organization, roomToken);
    } else if (room->token != roomToken) {
        d->roomsByToken.erase(room->token);
        room->token = roomToken;
        d->roomsByToken.emplace(roomToken, room);
    }
    const QList<Member> before = d->view(room);
    QSet<QString> kept;
    for (const MirroredMember &member : members)
        kept.insert(member.userId);
    for (auto it = room->members.begin(); it != room->members.end();) {
        if (kept.contains(it->first)) {
            ++it;
            continue;
        }
        it->second.liveSessions = 0;
        it = d->forgetMember(room, it);
    }
    for (const MirroredMember &member : members)
        d->applyMirrored(room, member);
    d->notify(room, before);
}

void Engine::mirrorMember(const QString &organization, const QString &roomId, const MirroredMember &member)
{
    EnginePrivate::Operation operation(d.get());
    EngineRoom *room = d->findRoom(roomKey(organization, roomId));
    if (!room)
        return;
    const auto found = room->members.find(member.userId);
    if (found != room->members.end()) {
        EngineMember &m = found->second;
        if (m.online && member.online && m.joinOrder == member.joinOrder && m.away() == member.away) {
            // Only the data changed: coalesced for watchers, as on one server.
            d->setData(room, m, member.data);
            return;
        }
    }
    const QList<Member> before = d->view(room);
    d->applyMirrored(room, member);
    d->notify(room, before);
}

void Engine::forgetMirroredMember(const QString &organization, const QString &roomId, const QString &userId)
{
    EnginePrivate::Operation operation(d.get());
    EngineRoom *room = d->findRoom(roomKey(organization, roomId));
    if (!room)
        return;
    const auto found = room->members.find(userId);
    if (found == room->members.end() || found->second.online)
        return;
    const QList<Member> before = d->view(room);
    found->second.liveSessions = 0;
    d->forgetMember(room, found);
    d->notify(room, before);
}

bool Engine::forgetMirroredRoom(const QString &organization, const QString &roomId)
{
    EngineRoom *room = d->findRoom(roomKey(organization, roomId));
    if (!room)
        return true;
    if (!room->subscriptions.isEmpty())
        return false;
    for (auto it = room->members.begin(); it != room->members.end();) {
        it->second.liveSessions = 0;
        it = d->forgetMember(room, it);
    }
    d->roomsByToken.erase(room->token);
    EnginePrivate::decrement(d->roomsOfOrganization, room->organization);
    d->rooms.erase(room->id); // deletes room
    return true;
}

bool Engine::hasRoom(const QString &organization, const QString &roomId) const
{
    return d->findRoom(roomKey(organization, roomId)) != nullptr;
}

int Engine::watcherCount(const QString &organization, const QString &roomId) const
{
    const EngineRoom *room = d->findRoom(roomKey(organization, roomId));
    return room ? int(room->subscriptions.size()) : 0;
}

QList<Member> Engine::members(EngineRoom *room, int limit) const
{
    return d->window(room, limit);
}

void Engine::unsubscribe(Subscription *subscription)
{
    EngineRoom *room = subscription->m_room;
    room->subscriptions.removeOne(subscription);
    EnginePrivate::decrement(d->subscriptionsOfUser, subscription->m_owner);
    // A room made for watching that nobody joined goes with its last watcher: peeking at ids
    // in a loop must not fill the organization's rooms quota. (Nobody is in it: no session,
    // member or online entry points at it.)
    if (room->members.empty() && room->subscriptions.isEmpty()) {
        d->roomsByToken.erase(room->token);
        EnginePrivate::decrement(d->roomsOfOrganization, room->organization);
        if (d->store)
            d->check(d->store->removeRoom(room->id));
        d->rooms.erase(room->id); // deletes room
    }
}

void Engine::setLimits(const Limits &limits)
{
    d->limits = limits;
}

Engine::Limits Engine::limits() const
{
    return d->limits;
}

Engine::Collected Engine::collectGarbage()
{
    Collected collected;
    if (!d->opened)
        return collected;
    EnginePrivate::Operation operation(d.get());
    d->expireDue();
    const qint64 cutoff = d->clock->now() - d->limits.offlineRetention;
    std::vector<EngineRoom *> emptyRooms;
    for (auto &[id, room] : d->rooms) {
        EngineRoom *r = room.get();
        QList<Member> before;
        bool viewTaken = false;
        for (auto it = r->members.begin(); it != r->members.end();) {
            EngineMember &m = it->second;
            if (m.online || m.liveSessions > 0 || m.lastDisconnected >= cutoff) {
                ++it;
                continue;
            }
            if (!viewTaken) {
                before = d->view(r);
                viewTaken = true;
            }
            it = d->forgetMember(r, it);
            ++collected.members;
        }
        if (viewTaken)
            d->notify(r, before);
        if (r->members.empty() && r->subscriptions.isEmpty())
            emptyRooms.push_back(r);
    }
    for (EngineRoom *r : emptyRooms) {
        d->roomsByToken.erase(r->token);
        EnginePrivate::decrement(d->roomsOfOrganization, r->organization);
        if (d->store)
            d->check(d->store->removeRoom(r->id));
        d->rooms.erase(r->id); // deletes r
        ++collected.rooms;
    }
    // Rows a token wrote for a user who is no longer a member anywhere in that organization.
    for (auto &[organization, directory] : d->users) {
        for (const QString &workosId : directory.claimedRows()) {
            if (d->roomsOfUser.contains(userKey(organization, workosId)))
                continue;
            directory.remove(workosId);
            if (d->store)
                d->check(d->store->removeUser(organization, workosId));
            ++collected.users;
        }
    }
    d->commit();
    if (collected.members || collected.rooms || collected.users) {
        qCInfo(lcEngine) << "retention dropped" << collected.members << "offline members," << collected.rooms
                         << "rooms and" << collected.users << "users";
    }
    return collected;
}

} // namespace Presence
