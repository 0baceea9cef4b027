#pragma once

#include "heartbeatresult.h"
#include "identity.h"
#include "member.h"
#include "memberevent.h"
#include "mirroredmember.h"
#include "onlineuser.h"
#include "result.h"
#include "roomcounts.h"
#include "user.h"

#include <QObject>

#include <memory>

namespace Presence {

class Clock;
class Store;
class Subscription;
struct EngineRoom;
class EnginePrivate;

/// The presence engine: the seed's heartbeat / list / disconnect, plus change notification.
///
/// Rooms are scoped per organization, and so are users and sessionIds. Each window is a session;
/// a user is online in a room while any of their sessions there lives. A session lives
/// until disconnect() or until 2.5 × its interval passes without a heartbeat. list()
/// returns online members in join order, then offline ones, most recently gone first.
///
/// The live state is held in memory and written through to a Store (if any); open()
/// reads it back and settles what happened while the engine was down. Single-threaded:
/// use an Engine from the thread it lives in.
class Engine : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultInterval = 10'000;
    static constexpr int MinInterval = 1'000;
    static constexpr int MaxInterval = 600'000;
    static constexpr int DefaultLimit = 104;
    static constexpr int MaxLimit = 1'000; ///< larger limits are clamped to this
    static constexpr int MaxRoomIdLength = 256;
    static constexpr int MaxSessionIdLength = 128;
    static constexpr int MaxUserIdLength = 256;
    static constexpr int MaxOrganizationLength = 256;
    static constexpr int MaxTokenLength = 128;

    /// What one user and one organization may hold, and how long state nobody uses is kept.
    /// A request over a quota is refused with ResourceExhausted before anything is created.
    struct Limits
    {
        int sessionsPerUser = 100; ///< live sessions of one user, in all their rooms
        int sessionsPerOrganization = 100'000;
        int roomsPerUser = 10'000; ///< rooms a user is a member of, online or offline
        int roomsPerOrganization = 100'000;
        int subscriptionsPerUser = 1'000;
        qint64 offlineRetention = 30LL * 24 * 3600 * 1000; ///< ms an offline member is kept
        int maxDataSize = 1024; ///< bytes of a member's data, serialized as compact JSON
        /// Watchers hear of one member's data at most once per this many ms; the last value wins.
        int dataCoalesce = 50;
    };

    /// `clock` and `store` must outlive the engine; without a store nothing is persisted.
    explicit Engine(Clock *clock, Store *store = nullptr, QObject *parent = nullptr);
    ~Engine() override;

    /// Loads the store and recovers: sessions whose deadline passed while the engine was
    /// down are disconnected as of their deadline; the others get their timers back.
    Result<bool> open();

    /// `away`: this session (window) is idle. The member is away while online and every one
    /// of their live sessions in the room is; a change of that is pushed like a join.
    Result<HeartbeatResult> heartbeat(const Identity &identity, const QString &roomId, const QString &sessionId,
        int interval = DefaultInterval, bool away = false);
    /// The checks heartbeat() makes of its arguments before it looks at any state (the
    /// caller's identity and profile claims, roomId, sessionId, interval): for a server that
    /// keeps the state elsewhere.
    static Error checkHeartbeat(
        const Identity &identity, const QString &roomId, const QString &sessionId, int interval);
    /// What a heartbeat can be refused for by the state of the rooms, beside its arguments.
    enum class Refusal {
        SessionsPerUser,
        SessionsPerOrganization,
        RoomsPerOrganization,
        RoomsPerUser,
        SessionInOtherRoom, ///< the sessionId names a live window in another room
        Kicked, ///< an administrator ended this window a short while ago
    };
    /// The error heartbeat() gives for `refusal` under `limits`.
    static Error refusal(Refusal refusal, const Limits &limits);
    /// The checks update() makes of its arguments before it looks at any state.
    static Error checkUpdate(
        const Identity &identity, const QString &sessionToken, const QJsonObject &data, const Limits &limits);
    /// Sets the caller's data in the room of their session `sessionToken`: what others show
    /// beside them (a status, a cursor colour). An empty object clears it. Watchers get an
    /// upsert, at most one per member per Limits::dataCoalesce ms, the last value winning. The
    /// data lasts while the member is online. Another user's session is PermissionDenied; a
    /// session that is not live is NotFound; data over Limits::maxDataSize is InvalidArgument.
    Result<bool> update(const Identity &identity, const QString &sessionToken, const QJsonObject &data);
    /// Ends the session that `sessionToken` names. An unknown token is not an error.
    Result<bool> disconnect(const QString &sessionToken);
    /// Makes the session end within `graceMs` unless it is heartbeated again; a deadline
    /// already sooner is kept. For a transport whose connection dropped without a
    /// disconnect: a crashed client goes offline soon, a reconnecting one does not flap.
    /// An unknown token is not an error.
    Result<bool> expireWithin(const QString &sessionToken, int graceMs);
    /// The room's members, online first. An unknown token lists nothing; a token of
    /// another organization's room is PermissionDenied.
    Result<QList<Member>> list(const Identity &identity, const QString &roomToken, int limit = DefaultLimit);
    /// Like list(), and keeps telling the returned Subscription what changes in the
    /// first `limit` members. The caller owns it; deleting it unsubscribes.
    /// `wantsCounts`: its diffs also carry the room's counts (RoomCounts) whenever they change,
    /// a change of the counts alone included.
    Result<Subscription *> subscribe(const Identity &identity, const QString &roomToken, int limit = DefaultLimit,
        QObject *parent = nullptr, bool wantsCounts = false);
    /// How many members the room has online and in all, whatever a list's limit. An unknown
    /// token counts nothing; a token of another organization's room is PermissionDenied.
    Result<RoomCounts> counts(const Identity &identity, const QString &roomToken);

    /// Peeking: list(), subscribe() and counts() of the room `roomId` of the caller's own
    /// organization, named by its id rather than by the token a heartbeat gives, without joining
    /// it. What a document list needs to show who is in each document. A room nobody has joined
    /// yet lists nothing and counts nothing; subscribing to it makes it (within the
    /// organization's rooms quota) so that it can be watched and fills when someone joins; once
    /// nobody is in it or watches it, it is dropped with the other unused rooms.
    Result<QList<Member>> listRoom(const Identity &identity, const QString &roomId, int limit = DefaultLimit);
    Result<Subscription *> subscribeRoom(const Identity &identity, const QString &roomId, int limit = DefaultLimit,
        QObject *parent = nullptr, bool wantsCounts = false);
    Result<RoomCounts> countsOfRoom(const Identity &identity, const QString &roomId);

    static constexpr int DefaultOnlineLimit = 100;
    static constexpr int MaxOnlineLimit = 1'000; ///< larger limits are clamped to this
    /// Who is online in the caller's organization, in any room: a page of at most `limit`
    /// users ordered by userId, starting after `cursor` (empty: from the first; else the
    /// cursor of the page before). A page ends early at about 128 K characters, so it never
    /// outgrows what a connection may have unsent: follow the cursor while there is one. A
    /// cursor that is not one is InvalidArgument.
    Result<OnlinePage> online(const Identity &identity, int limit = DefaultOnlineLimit, const QString &cursor = {});
    /// A page of online() also ends at about this many characters: 1 000 users each online in
    /// 100 rooms of long names would otherwise be megabytes, more than a connection may have unsent.
    static constexpr qsizetype OnlinePageCharacters = 128 * 1024;
    /// The cursor of a page of online() whose last user is `lastUserId`, and back.
    static QString onlineCursor(const QString &lastUserId);
    static Result<QString> onlineCursorUser(const QString &cursor);
    /// The checks of the caller and arguments that online(), whereis(), kick() and removeRoom()
    /// make before they look at any state.
    static Error checkIdentity(const Identity &identity);
    static Error checkUserId(const QString &userId);
    static Error checkAdmin(const Identity &identity, const QString &roomId);
    /// The rooms of the caller's organization where `userId` is online now, sorted.
    Result<QStringList> whereis(const Identity &identity, const QString &userId);

    /// Administration: for callers whose Identity::admin is set (else PermissionDenied), in their
    /// own organization. kick() ends every session of `userId` in the room now, as a
    /// disconnect would; removeRoom() ends every session in it and forgets the room, its
    /// members and its token (watchers see every member removed, and go on watching the
    /// room, empty, under its id). Each session ended so is told through kicked(), so that
    /// its client does not simply heartbeat back in. They return how many sessions ended.
    Result<int> kick(const Identity &identity, const QString &roomId, const QString &userId);
    Result<int> removeRoom(const Identity &identity, const QString &roomId);
    /// For the operator (no caller): ends every session of `userId` in `organization`, drops
    /// them from every room and removes their users row. Returns the rooms they were in.
    Result<int> removeUser(const QString &organization, const QString &userId);
    /// The roomIds of `organization`, sorted, with their counts: for the operator.
    QList<std::pair<QString, RoomCounts>> rooms(const QString &organization) const;

    /// Adds or updates a user of `user.organization` (fields left empty are kept). Members
    /// shown in that organization's rooms get the change.
    Result<bool> upsertUser(const User &user);
    /// The name and image the users table gives `userId` of `organization` (empty if none).
    User profile(const QString &organization, const QString &userId) const;
    /// Adds or updates several users at once; returns how many rows changed.
    Result<int> upsertUsers(const QList<User> &users);
    /// Imports a JSON users file (see UserDirectory::parseJson) into `organization`'s users;
    /// returns how many rows changed.
    Result<int> importUsers(const QByteArray &json, const QString &organization);

    void setLimits(const Limits &limits);
    Limits limits() const;

    /// What collectGarbage() dropped.
    struct Collected
    {
        int members = 0;
        int rooms = 0;
        int users = 0;
    };
    /// Drops, from memory and the store, offline members gone longer than the retention,
    /// rooms nobody is in or watches (with their tokens), and users that came from tokens
    /// and are no longer a member anywhere in their organization. Watchers see dropped
    /// members leave their lists. The owner calls it now and then (presence-server: every
    /// quarter of the retention, at most hourly).
    Collected collectGarbage();

    /// Makes every deadline exact in the store and commits: for a clean shutdown.
    void flush();

    /// Deadlines are written to the store when the stored one is less than this many
    /// intervals ahead of now (default 2.5: on every heartbeat). Lower values write less
    /// often; after a crash a session then comes back with a deadline up to
    /// (2.5 - factor) intervals earlier than it had.
    void setDeadlineWriteFactor(double factor);

    /// Records what happens to members (joins, leaves, away, data) and hands it to
    /// memberEvents() (default off: nothing is recorded). With a store each event is kept in
    /// its outbox, written with the change it tells of, until eventsHandled(): those of a
    /// previous run come first after open(). Call it before open(); opened without it, the
    /// outbox is emptied.
    void setRecordingEvents(bool record);
    /// The events up to and including `upToId` (MemberEvent::id) were handled (delivered, or
    /// given up on): they leave the store's outbox.
    void eventsHandled(qint64 upToId);

    /// Mirroring: an engine without sessions of its own shows rooms whose truth is held
    /// elsewhere (the shared state of a cluster of servers), and lets callers list, count and
    /// watch them as usual: subscriptions get the same diffs, at the same limits, as from an
    /// engine that holds the room. Mirroring is for an engine nobody heartbeats.
    ///
    /// mirrorRoom() makes the room (if needed) with its token and sets its members to exactly
    /// `members`; mirrorMember() sets one member. Watchers get what changed.
    void mirrorRoom(const QString &organization, const QString &roomId, const QString &roomToken,
        const QList<MirroredMember> &members);
    void mirrorMember(const QString &organization, const QString &roomId, const MirroredMember &member);
    /// Drops a mirrored room unless someone watches it; returns whether it is gone.
    bool forgetMirroredRoom(const QString &organization, const QString &roomId);
    /// An offline member forgotten after the retention, in a mirrored room.
    void forgetMirroredMember(const QString &organization, const QString &roomId, const QString &userId);
    /// Whether the room exists here, and how many subscriptions watch it.
    bool hasRoom(const QString &organization, const QString &roomId) const;
    int watcherCount(const QString &organization, const QString &roomId) const;

    /// Whether the session `sessionToken` names is live.
    bool hasSession(const QString &sessionToken) const;
    int sessionCount() const;
    int roomCount() const;
    int userCount() const;
    /// Statistics for metrics and benchmarks.
    struct Stats
    {
        quint64 heartbeats = 0;
        quint64 steadyHeartbeats = 0; ///< heartbeats that changed nothing anyone can see
        quint64 deadlineWrites = 0;
        quint64 expiredSessions = 0;
        quint64 notifications = 0; ///< diffs delivered to subscriptions
        quint64 dataUpdates = 0; ///< update() calls that changed a member's data
        quint64 dataCoalesced = 0; ///< of those, updates overtaken by a later one before any push
        quint64 storeErrors = 0;
    };
    Stats stats() const;

Q_SIGNALS:
    /// An administrator ended the session `sessionToken` in `roomId` (kick() or removeRoom()):
    /// its client should stay out until its user asks to come back. Emitted once the call
    /// that ended it has returned.
    void kicked(const QString &sessionToken, const QString &roomId);
    /// What happened to members during one call, in order (with setRecordingEvents()).
    /// Emitted once the call has returned.
    void memberEvents(const QList<Presence::MemberEvent> &events);

private:
    friend class Subscription;
    friend class EnginePrivate;
    QList<Member> members(EngineRoom *room, int limit) const;
    RoomCounts counts(const EngineRoom *room) const;
    Result<Subscription *> subscribeTo(
        const Identity &identity, EngineRoom *room, int limit, QObject *parent, bool wantsCounts);
    void unsubscribe(Subscription *subscription);

    std::unique_ptr<EnginePrivate> d;
};

} // namespace Presence
