// Nodes of a cluster in one process, each a RedisBackend on the test's own redis-server.
#include "engine.h"
#include "memberevent.h"
#include "redisbackend.h"
#include "redisprocess.h"
#include "subscription.h"
#include "systemclock.h"

#include <QFile>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace Presence;

namespace {
const Identity Alice {QStringLiteral("user_alice"), QStringLiteral("org_a"), {}, QStringLiteral("Alice"), {}};
const Identity Bob {QStringLiteral("user_bob"), QStringLiteral("org_a"), {}, {}, {}};
const Identity Mallory {QStringLiteral("user_mallory"), QStringLiteral("org_b"), {}, {}, {}};
const QString Doc = QStringLiteral("doc-1");

template<class T>
Result<T> await(std::function<void(Backend::Done<T>)> call, int timeoutMs = 5000)
{
    std::optional<Result<T>> result;
    call([&](const Result<T> &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, timeoutMs))
        return Error(Error::Internal, QStringLiteral("the test waited in vain"));
    return *result;
}

Member memberNamed(const QList<Member> &list, const QString &userId)
{
    for (const Member &m : list) {
        if (m.userId == userId)
            return m;
    }
    return {};
}
} // namespace

class TestRedisBackend : public QObject
{
    Q_OBJECT

    RedisProcess redis;
    SystemClock clock;

    std::unique_ptr<RedisBackend> node(int closeGrace = 5000, int livenessTtl = 3000)
    {
        RedisBackend::Options options;
        options.address = RedisAddress::parse(redis.unixUrl()).value();
        options.closeGrace = closeGrace;
        options.livenessTtl = livenessTtl;
        options.sweepInterval = 50;
        auto backend = std::make_unique<RedisBackend>(options, &clock);
        backend->open();
        if (!QTest::qWaitFor([&] { return backend->isReady(); }, 5000))
            QTest::qFail("the node did not connect", __FILE__, __LINE__);
        return backend;
    }

    HeartbeatResult beat(RedisBackend &on, const Identity &who, const QString &session, int interval = 10'000,
        bool away = false, const QString &room = Doc)
    {
        const Result<HeartbeatResult> r
            = await<HeartbeatResult>([&](auto done) { on.heartbeat(who, room, session, interval, away, this, done); });
        if (!r)
            QTest::qFail(qPrintable(QStringLiteral("heartbeat: ") + r.error().message()), __FILE__, __LINE__);
        return r ? r.value() : HeartbeatResult();
    }

    QList<Member> list(RedisBackend &on, const QString &roomToken, const Identity &who = Alice)
    {
        const Result<Backend::Listing> r = await<Backend::Listing>(
            [&](auto done) { on.list(who, roomToken, false, Engine::DefaultLimit, this, done); });
        if (!r)
            QTest::qFail(qPrintable(QStringLiteral("list: ") + r.error().message()), __FILE__, __LINE__);
        return r ? r.value().members : QList<Member>();
    }

    std::unique_ptr<Subscription> watch(RedisBackend &on, const QString &room, bool byId = false)
    {
        const Result<Subscription *> r = await<Subscription *>(
            [&](auto done) { on.subscribe(Bob, room, byId, Engine::DefaultLimit, false, this, done); });
        if (!r) {
            QTest::qFail(qPrintable(QStringLiteral("subscribe: ") + r.error().message()), __FILE__, __LINE__);
            return {};
        }
        return std::unique_ptr<Subscription>(r.value());
    }

    static bool isOnline(const Subscription &s, const QString &userId)
    {
        return memberNamed(s.members(), userId).online;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(redis.start(), redis.errors().constData()); }
    void init() { redis.cli({QStringLiteral("FLUSHALL")}); }

    void aJoinOnOneNodeIsSeenOnAnother()
    {
        auto a = node();
        auto b = node();
        const HeartbeatResult joined = beat(*a, Alice, QStringLiteral("s1"));
        QVERIFY(joined.roomToken.size() > 17);
        // A list on the other node, at once: the shared state, not a copy that lags.
        const QList<Member> members = list(*b, joined.roomToken);
        QCOMPARE(members.size(), 1);
        QCOMPARE(members.first().userId, Alice.userId);
        QVERIFY(members.first().online);
        QCOMPARE(members.first().name, QStringLiteral("Alice")); // the claims travel with the member

        auto watching = watch(*b, joined.roomToken);
        QVERIFY(watching);
        QSignalSpy changed(watching.get(), &Subscription::changed);
        beat(*a, Bob, QStringLiteral("s2"));
        QTRY_COMPARE(changed.size(), 1);
        const MemberDiff diff = changed.first().first().value<MemberDiff>();
        QCOMPARE(diff.upserted.size(), 1);
        QCOMPARE(diff.upserted.first().userId, Bob.userId);
        // Online in join order, as on one server.
        QCOMPARE(watching->members().at(0).userId, Alice.userId);
        QCOMPARE(watching->members().at(1).userId, Bob.userId);
    }

    void aSteadyHeartbeatChangesNothingAnyoneSees()
    {
        auto a = node();
        auto b = node();
        const HeartbeatResult joined = beat(*a, Alice, QStringLiteral("s1"));
        auto watching = watch(*b, joined.roomToken);
        QSignalSpy changed(watching.get(), &Subscription::changed);
        for (int i = 0; i < 20; ++i) {
            const HeartbeatResult again = beat(i % 2 ? *a : *b, Alice, QStringLiteral("s1"));
            QCOMPARE(again.sessionToken, joined.sessionToken);
            QCOMPARE(again.roomToken, joined.roomToken);
        }
        QTest::qWait(100);
        QCOMPARE(changed.size(), 0);
    }

    void theLastSessionOnAnyNodeDecidesTheLeave()
    {
        auto a = node();
        auto b = node();
        const HeartbeatResult first = beat(*a, Alice, QStringLiteral("window-1"));
        const HeartbeatResult second = beat(*b, Alice, QStringLiteral("window-2"));
        auto watching = watch(*b, first.roomToken);
        QSignalSpy changed(watching.get(), &Subscription::changed);
        // Both windows close at once, on two nodes: exactly one leave.
        std::optional<Result<bool>> one;
        std::optional<Result<bool>> two;
        a->disconnect(first.sessionToken, this, [&](const Result<bool> &r) { one = r; });
        b->disconnect(second.sessionToken, this, [&](const Result<bool> &r) { two = r; });
        QTRY_VERIFY(one && two);
        QVERIFY(one->value() && two->value());
        QTRY_COMPARE(changed.size(), 1);
        QTest::qWait(100);
        QCOMPARE(changed.size(), 1);
        const MemberDiff diff = changed.first().first().value<MemberDiff>();
        QCOMPARE(diff.upserted.size(), 1);
        QVERIFY(!diff.upserted.first().online);
        QVERIFY(diff.upserted.first().lastDisconnected > 0);
    }

    void oneOfTwoWindowsClosingChangesNothing()
    {
        auto a = node();
        auto b = node();
        const HeartbeatResult first = beat(*a, Alice, QStringLiteral("window-1"));
        beat(*b, Alice, QStringLiteral("window-2"));
        auto watching = watch(*a, first.roomToken);
        QSignalSpy changed(watching.get(), &Subscription::changed);
        QVERIFY(await<bool>([&](auto done) { a->disconnect(first.sessionToken, this, done); }));
        QTest::qWait(100);
        QCOMPARE(changed.size(), 0);
        QVERIFY(isOnline(*watching, Alice.userId));
    }

    void aSessionEndsTwoAndAHalfIntervalsAfterItsLastHeartbeat()
    {
        auto a = node();
        auto b = node();
        const HeartbeatResult joined = beat(*a, Alice, QStringLiteral("s1"), 1000);
        auto watching = watch(*b, joined.roomToken);
        QVERIFY(isOnline(*watching, Alice.userId));
        QTest::qWait(2000);
        QVERIFY(isOnline(*watching, Alice.userId));
        QTRY_VERIFY_WITH_TIMEOUT(!isOnline(*watching, Alice.userId), 3000);
        const qint64 gone = memberNamed(watching->members(), Alice.userId).lastDisconnected;
        QVERIFY(gone > 0);
        QVERIFY(a->stats().expired + b->stats().expired == 1); // one node swept it
    }

    void aNodeThatIsGoneHasItsSessionsEndAfterTheCloseGrace()
    {
        auto a = node(500, 600);
        auto gone = node(500, 600);
        const HeartbeatResult joined = beat(*gone, Alice, QStringLiteral("s1"), 60'000);
        auto watching = watch(*a, joined.roomToken);
        gone.reset(); // as a SIGKILL would: no word to anyone
        // Noticed within the liveness TTL (and a lease tick), then the close grace, not the
        // 150 s that the session's own deadline would take.
        QTRY_VERIFY_WITH_TIMEOUT(!isOnline(*watching, Alice.userId), 5000);
        QCOMPARE(a->stats().orphaned, quint64(1));
    }

    void aNodeThatHandsOverLeavesItsSessionsTheirDeadlines()
    {
        auto a = node(300, 600);
        auto leaving = node(300, 600);
        const HeartbeatResult joined = beat(*leaving, Alice, QStringLiteral("s1"), 60'000);
        auto watching = watch(*a, joined.roomToken);
        bool handed = false;
        leaving->handOver([&] { handed = true; });
        QTRY_VERIFY(handed);
        leaving.reset();
        QTest::qWait(2000); // the liveness TTL, a lease tick and the grace, several times
        QVERIFY(isOnline(*watching, Alice.userId));
        // The client comes back through another node: the same session, no flap.
        QSignalSpy changed(watching.get(), &Subscription::changed);
        QCOMPARE(beat(*a, Alice, QStringLiteral("s1"), 60'000).sessionToken, joined.sessionToken);
        QTest::qWait(100);
        QCOMPARE(changed.size(), 0);
    }

    void aClosedSocketsGraceEndsTheSessionUnlessHeartbeatedAgain()
    {
        auto a = node();
        auto b = node();
        const HeartbeatResult joined = beat(*a, Alice, QStringLiteral("s1"), 60'000);
        auto watching = watch(*b, joined.roomToken);
        a->expireWithin(joined.sessionToken, 300);
        QTRY_VERIFY_WITH_TIMEOUT(!isOnline(*watching, Alice.userId), 3000);

        const HeartbeatResult again = beat(*a, Bob, QStringLiteral("s2"), 60'000);
        a->expireWithin(again.sessionToken, 500);
        beat(*b, Bob, QStringLiteral("s2"), 60'000); // reconnected elsewhere within the grace
        QTest::qWait(1000);
        QVERIFY(isOnline(*watching, Bob.userId));
    }

    void awayIsTheSameAcrossNodes()
    {
        auto a = node();
        auto b = node();
        const HeartbeatResult joined = beat(*a, Alice, QStringLiteral("w1"));
        beat(*b, Alice, QStringLiteral("w2"));
        auto watching = watch(*b, joined.roomToken);
        beat(*a, Alice, QStringLiteral("w1"), 10'000, true);
        QTest::qWait(100);
        QVERIFY(!memberNamed(watching->members(), Alice.userId).away); // w2 is active
        beat(*b, Alice, QStringLiteral("w2"), 10'000, true);
        QTRY_VERIFY(memberNamed(watching->members(), Alice.userId).away);
        beat(*a, Alice, QStringLiteral("w1"), 10'000, false);
        QTRY_VERIFY(!memberNamed(watching->members(), Alice.userId).away);
    }

    void peekingByIdSeesTheRoomFillAndIsScopedToTheOrganization()
    {
        auto a = node();
        auto b = node();
        auto watching = watch(*b, Doc, true); // nobody joined yet
        QVERIFY(watching);
        QCOMPARE(watching->members().size(), 0);
        const HeartbeatResult joined = beat(*a, Alice, QStringLiteral("s1"));
        QTRY_COMPARE(watching->members().size(), 1);
        // The token works on the watching node too, once the room exists.
        QCOMPARE(list(*b, joined.roomToken).size(), 1);
        // Another organization: its own doc-1, empty; the token is refused.
        const Result<Backend::Listing> theirs = await<Backend::Listing>(
            [&](auto done) { b->list(Mallory, Doc, true, Engine::DefaultLimit, this, done); });
        QVERIFY(theirs);
        QCOMPARE(theirs.value().members.size(), 0);
        const Result<Backend::Listing> refused = await<Backend::Listing>(
            [&](auto done) { b->list(Mallory, joined.roomToken, false, Engine::DefaultLimit, this, done); });
        QCOMPARE(refused.error().code(), Error::PermissionDenied);
    }

    void watchingARoomAgainAfterItsLastWatcherLeftShowsWhoCameMeanwhile()
    {
        auto a = node();
        auto b = node();
        auto first = watch(*b, Doc, true); // an empty room: the engine drops it with its watcher
        QVERIFY(first);
        first.reset();
        beat(*a, Alice, QStringLiteral("s1"));
        QTest::qWait(100); // the join's event reaches b, which shows the room to nobody now
        auto second = watch(*b, Doc, true);
        QVERIFY(second);
        QCOMPARE(second->members().size(), 1);
        QVERIFY(isOnline(*second, Alice.userId));
    }

    void aRoomNobodyJoinedIsForgottenAsSoonAsItsWatcherGoes()
    {
        // Made-up roomIds must not each hold a mirror and a Redis channel for long.
        auto a = node();
        auto b = node();
        beat(*a, Alice, QStringLiteral("s1"));
        auto joined = watch(*b, Doc, true);
        auto empty = watch(*b, QStringLiteral("nobody-ever-here"), true);
        QVERIFY(joined && empty);
        QCOMPARE(b->stats().mirroredRooms, 2);
        empty.reset();
        QTRY_COMPARE_WITH_TIMEOUT(b->stats().mirroredRooms, 1, 1000); // not after the idle 10 s
        joined.reset();
        QTest::qWait(100);
        QCOMPARE(b->stats().mirroredRooms, 1); // a room with members stays a while
    }

    void quotasCountEveryNodesSessionsAndRooms()
    {
        auto a = node();
        auto b = node();
        Engine::Limits limits;
        limits.sessionsPerUser = 2;
        limits.roomsPerUser = 3;
        limits.roomsPerOrganization = 4;
        a->engine().setLimits(limits);
        b->engine().setLimits(limits);
        const auto tryBeat = [&](RedisBackend &on, const Identity &who, const QString &session, const QString &room) {
            return await<HeartbeatResult>(
                [&](auto done) { on.heartbeat(who, room, session, 10'000, false, this, done); });
        };
        const HeartbeatResult first = beat(*a, Alice, QStringLiteral("w1"));
        beat(*b, Alice, QStringLiteral("w2"), 10'000, false, QStringLiteral("doc-2"));
        // A third window, on either node: refused with one server's words.
        Result<HeartbeatResult> third = tryBeat(*a, Alice, QStringLiteral("w3"), QStringLiteral("doc-3"));
        QVERIFY(!third);
        QCOMPARE(third.error().code(), Error::ResourceExhausted);
        QCOMPARE(third.error().message(), Engine::refusal(Engine::Refusal::SessionsPerUser, limits).message());
        // A steady heartbeat of a live window is never refused.
        beat(*b, Alice, QStringLiteral("w1"));
        // One window closed on a node makes room on the other.
        QVERIFY(await<bool>([&](auto done) { a->disconnect(first.sessionToken, this, done); }));
        QVERIFY(tryBeat(*b, Alice, QStringLiteral("w3"), QStringLiteral("doc-3")));
        // Alice is a member of three rooms now (doc-1 offline): a fourth is one too many.
        QVERIFY(await<bool>([&](auto done) {
            a->disconnect(
                tryBeat(*a, Alice, QStringLiteral("w3"), QStringLiteral("doc-3")).value().sessionToken, this, done);
        }));
        const Result<HeartbeatResult> fourth = tryBeat(*a, Alice, QStringLiteral("w4"), QStringLiteral("doc-4"));
        QVERIFY(!fourth);
        QCOMPARE(fourth.error().message(), Engine::refusal(Engine::Refusal::RoomsPerUser, limits).message());
        // The organization has three rooms; Bob may make a fourth, nobody a fifth.
        beat(*b, Bob, QStringLiteral("b1"), 10'000, false, QStringLiteral("doc-4"));
        const Result<HeartbeatResult> fifth = tryBeat(*a, Bob, QStringLiteral("b2"), QStringLiteral("doc-5"));
        QVERIFY(!fifth);
        QCOMPARE(fifth.error().message(), Engine::refusal(Engine::Refusal::RoomsPerOrganization, limits).message());
        // Another organization has quotas of its own.
        beat(*a, Mallory, QStringLiteral("m1"), 10'000, false, QStringLiteral("doc-5"));
    }

    void aSessionIdNamesOneWindowInOneRoomAcrossNodes()
    {
        auto a = node();
        auto b = node();
        const HeartbeatResult first = beat(*a, Alice, QStringLiteral("w1"));
        const Result<HeartbeatResult> elsewhere = await<HeartbeatResult>([&](auto done) {
            b->heartbeat(Alice, QStringLiteral("doc-2"), QStringLiteral("w1"), 10'000, false, this, done);
        });
        QVERIFY(!elsewhere);
        QCOMPARE(elsewhere.error().code(), Error::InvalidArgument);
        QVERIFY(elsewhere.error().message().contains(QLatin1String("already in use for another room")));
        // Bob's sessionIds are his own.
        beat(*b, Bob, QStringLiteral("w1"), 10'000, false, QStringLiteral("doc-2"));
        // Once the window closed, its sessionId may be used anywhere.
        QVERIFY(await<bool>([&](auto done) { b->disconnect(first.sessionToken, this, done); }));
        beat(*b, Alice, QStringLiteral("w1"), 10'000, false, QStringLiteral("doc-2"));
    }

    void dataIsSharedAcrossNodesAndLeavesWithTheMember()
    {
        auto a = node();
        auto b = node();
        const HeartbeatResult joined = beat(*a, Alice, QStringLiteral("s1"));
        auto watching = watch(*b, joined.roomToken);
        const QJsonObject reviewing {{QStringLiteral("status"), QStringLiteral("Reviewing")}};
        QVERIFY(await<bool>([&](auto done) { a->update(Alice, joined.sessionToken, reviewing, this, done); }));
        QTRY_COMPARE(memberNamed(watching->members(), Alice.userId).data, reviewing);
        QCOMPARE(memberNamed(list(*b, joined.roomToken), Alice.userId).data, reviewing);

        const Result<bool> others
            = await<bool>([&](auto done) { b->update(Bob, joined.sessionToken, reviewing, this, done); });
        QCOMPARE(others.error().code(), Error::PermissionDenied);
        const Result<bool> unknown = await<bool>(
            [&](auto done) { b->update(Alice, joined.roomToken + QStringLiteral("x"), reviewing, this, done); });
        QCOMPARE(unknown.error().code(), Error::NotFound);
        Engine::Limits small;
        small.maxDataSize = 8;
        b->engine().setLimits(small);
        const Result<bool> large
            = await<bool>([&](auto done) { b->update(Alice, joined.sessionToken, reviewing, this, done); });
        QCOMPARE(large.error().code(), Error::InvalidArgument);

        // Offline, the data is gone; back online, none is shown.
        QVERIFY(await<bool>([&](auto done) { a->disconnect(joined.sessionToken, this, done); }));
        QTRY_VERIFY(!isOnline(*watching, Alice.userId));
        QCOMPARE(memberNamed(watching->members(), Alice.userId).data, QJsonObject());
        beat(*b, Alice, QStringLiteral("s2"));
        QTRY_VERIFY(isOnline(*watching, Alice.userId));
        QCOMPARE(memberNamed(list(*a, joined.roomToken), Alice.userId).data, QJsonObject());
    }

    void membersGoneLongerThanTheRetentionAreForgottenAndTheirRoomsDropped()
    {
        auto a = node();
        auto b = node();
        Engine::Limits limits;
        limits.offlineRetention = 400;
        limits.roomsPerOrganization = 2;
        a->engine().setLimits(limits);
        b->engine().setLimits(limits);
        const HeartbeatResult alice = beat(*a, Alice, QStringLiteral("s1"));
        const HeartbeatResult bob = beat(*a, Bob, QStringLiteral("s2"));
        beat(*a, Bob, QStringLiteral("s3"), 10'000, false, QStringLiteral("doc-2"));
        auto watching = watch(*b, alice.roomToken);
        QSignalSpy changed(watching.get(), &Subscription::changed);
        QVERIFY(await<bool>([&](auto done) { a->disconnect(alice.sessionToken, this, done); }));
        QTRY_COMPARE(changed.size(), 1); // Alice left
        // After the retention she is forgotten, and the watcher told so.
        QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 2, 3000);
        const MemberDiff forgotten = changed.last().first().value<MemberDiff>();
        QCOMPARE(forgotten.removed, QStringList {Alice.userId});
        QCOMPARE(watching->members().size(), 1);
        QCOMPARE(list(*a, alice.roomToken).size(), 1);

        // Everybody leaves: once forgotten, the rooms go from Redis, their counters with them,
        // and the organization may make rooms again.
        watching.reset();
        QVERIFY(await<bool>([&](auto done) { a->disconnect(bob.sessionToken, this, done); }));
        QVERIFY(await<bool>([&](auto done) {
            a->disconnect(
                beat(*a, Bob, QStringLiteral("s3"), 10'000, false, QStringLiteral("doc-2")).sessionToken, this, done);
        }));
        // The room doc-1 was watched from b: it stays until b stops listening (its mirror idles
        // out after ten seconds), then goes too.
        QTRY_VERIFY_WITH_TIMEOUT(
            !redis.cli({QStringLiteral("--scan"), QStringLiteral("--pattern"), QStringLiteral("*:r:*")}).isEmpty()
                && a->stats().forgotten + b->stats().forgotten == 3,
            3000);
        QTRY_VERIFY_WITH_TIMEOUT(
            redis.cli({QStringLiteral("--scan"), QStringLiteral("--pattern"), QStringLiteral("p:{*")}).isEmpty(),
            20'000);
        QTRY_COMPARE(a->stats().droppedRooms + b->stats().droppedRooms, quint64(2)); // its answer may follow
        beat(*b, Alice, QStringLiteral("s4"), 10'000, false, QStringLiteral("doc-3"));
        beat(*b, Alice, QStringLiteral("s5"), 10'000, false, QStringLiteral("doc-4"));
    }

    void onlinePagesThroughEveryNodesUsersInOrder()
    {
        auto a = node();
        auto b = node();
        // More users than the functions read at once, some in two rooms, one idle everywhere.
        for (int i = 0; i < 300; ++i) {
            const Identity who {QStringLiteral("u%1").arg(i, 3, 10, QLatin1Char('0')), Alice.organization, {}, {}, {}};
            beat(i % 2 ? *a : *b, who, QStringLiteral("s"), 10'000, i == 7);
            if (i % 50 == 0)
                beat(*a, who, QStringLiteral("t"), 10'000, false, QStringLiteral("doc-2"));
        }
        beat(*a, Mallory, QStringLiteral("m")); // another organization's
        QStringList seen;
        QString cursor;
        int pages = 0;
        do {
            const Result<OnlinePage> page
                = await<OnlinePage>([&](auto done) { b->online(Alice, 128, cursor, this, done); });
            QVERIFY2(page, qPrintable(page ? QString() : page.error().message()));
            for (const OnlineUser &user : page.value().users) {
                seen.append(user.userId);
                const int i = user.userId.mid(1).toInt();
                QCOMPARE(user.away, i == 7);
                const QStringList rooms = i % 50 == 0 ? QStringList {Doc, QStringLiteral("doc-2")} : QStringList {Doc};
                QCOMPARE(user.rooms, rooms);
            }
            cursor = page.value().cursor;
            ++pages;
        } while (!cursor.isEmpty() && pages < 10);
        QCOMPARE(pages, 3);
        QCOMPARE(seen.size(), 300);
        QStringList sorted = seen;
        sorted.sort();
        QCOMPARE(seen, sorted);

        const Result<QStringList> where
            = await<QStringList>([&](auto done) { a->whereis(Alice, QStringLiteral("u050"), this, done); });
        QCOMPARE(where.value(), (QStringList {Doc, QStringLiteral("doc-2")}));
        const Result<QStringList> nowhere
            = await<QStringList>([&](auto done) { a->whereis(Mallory, QStringLiteral("u050"), this, done); });
        QCOMPARE(nowhere.value(), QStringList());
        const Result<OnlinePage> bad
            = await<OnlinePage>([&](auto done) { a->online(Alice, 10, QStringLiteral("not-a-cursor!"), this, done); });
        QCOMPARE(bad.error().code(), Error::InvalidArgument);
    }

    void aKickedWindowStaysOutOnEveryNodeAndARemovedRoomIsWatchedOn()
    {
        auto a = node();
        auto b = node();
        Identity admin {QStringLiteral("root"), Alice.organization, {}, {}, {}};
        admin.admin = true;
        const HeartbeatResult alice = beat(*a, Alice, QStringLiteral("w1"));
        beat(*a, Bob, QStringLiteral("b1"));
        auto watching = watch(*b, Doc, true);
        QSignalSpy told(a.get(), &Backend::kicked);
        const Result<int> refused = await<int>([&](auto done) { b->kick(Bob, Doc, Alice.userId, this, done); });
        QCOMPARE(refused.error().code(), Error::PermissionDenied);
        QCOMPARE(await<int>([&](auto done) { b->kick(admin, Doc, Alice.userId, this, done); }).value(), 1);
        // The node of Alice's connection hears of it, whichever node the admin used.
        QTRY_VERIFY(!told.isEmpty());
        QCOMPARE(told.first().at(0).toString(), alice.sessionToken);
        QCOMPARE(told.first().at(1).toString(), Doc);
        QTRY_VERIFY(!isOnline(*watching, Alice.userId));
        // Her client heartbeating back in with the same window is refused, on any node.
        const Result<HeartbeatResult> back = await<HeartbeatResult>(
            [&](auto done) { b->heartbeat(Alice, Doc, QStringLiteral("w1"), 10'000, false, this, done); });
        QCOMPARE(back.error().code(), Error::PermissionDenied);
        beat(*b, Alice, QStringLiteral("w2")); // a new window may join

        QCOMPARE(await<int>([&](auto done) { a->removeRoom(admin, Doc, this, done); }).value(), 2);
        QTRY_COMPARE(watching->members().size(), 0);
        QCOMPARE(list(*a, alice.roomToken).size(), 0); // the old token names nothing
        // The watcher of the id goes on watching, and sees the next join.
        const HeartbeatResult again = beat(*a, Bob, QStringLiteral("b2"));
        QVERIFY(again.roomToken != alice.roomToken);
        QTRY_VERIFY(isOnline(*watching, Bob.userId));
        QCOMPARE(watching->members().size(), 1);
    }

    void memberEventsAreHandedOnOnceByTheLeaseHolderAndResumeAfterIt()
    {
        auto a = node();
        auto b = node();
        a->setRecordingEvents(1000);
        b->setRecordingEvents(1000);
        QList<MemberEvent> seenA;
        QList<MemberEvent> seenB;
        connect(a.get(), &RedisBackend::memberEvents, this, [&](const QList<MemberEvent> &e) { seenA += e; });
        connect(b.get(), &RedisBackend::memberEvents, this, [&](const QList<MemberEvent> &e) { seenB += e; });
        QTRY_VERIFY(a->stats().sweeping || b->stats().sweeping);
        QTest::qWait(100); // Redis records once a node asked it to

        const HeartbeatResult alice = beat(*a, Alice, QStringLiteral("s1"));
        const HeartbeatResult bob = beat(*b, Bob, QStringLiteral("s2"));
        beat(*b, Alice, QStringLiteral("s1"), 10'000, true); // away
        QVERIFY(await<bool>([&](auto done) {
            a->update(Alice, alice.sessionToken, {{QStringLiteral("status"), QStringLiteral("Busy")}}, this, done);
        }));
        QVERIFY(await<bool>([&](auto done) { a->disconnect(bob.sessionToken, this, done); }));
        const auto described = [](const QList<MemberEvent> &events) {
            QStringList out;
            for (const MemberEvent &e : events)
                out << MemberEvent::typeName(e.type) + QLatin1Char(' ') + e.userId;
            return out;
        };
        const QStringList all {QStringLiteral("member.joined user_alice"), QStringLiteral("member.joined user_bob"),
            QStringLiteral("member.away user_alice"), QStringLiteral("member.updated user_alice"),
            QStringLiteral("member.left user_bob")};
        QTRY_COMPARE(seenA.size() + seenB.size(), 5);
        QTest::qWait(300);
        QCOMPARE(seenA.size() + seenB.size(), 5); // once, not once per node
        const bool aHolds = !seenA.isEmpty();
        QList<MemberEvent> &seen = aHolds ? seenA : seenB;
        QCOMPARE(described(seen), all);
        QCOMPARE(seen.first().organization, Alice.organization);
        QCOMPARE(seen.first().roomId, Doc);

        // Three were delivered; then the holder dies without a word. The other node takes the
        // lease and goes on from there: the two not handled come again, the others do not.
        (aHolds ? a : b)->eventsHandled(seen.at(2).id);
        QTest::qWait(100);
        (aHolds ? a : b).reset();
        RedisBackend &survivor = aHolds ? *b : *a;
        QList<MemberEvent> &after = aHolds ? seenB : seenA;
        QTRY_COMPARE_WITH_TIMEOUT(after.size(), 2, 5000);
        QCOMPARE(described(after), all.mid(3));
        QVERIFY(survivor.stats().sweeping);
    }

    void unknownAndMalformedTokensListNothing()
    {
        auto a = node();
        QCOMPARE(list(*a, QStringLiteral("0123456789abcdef.nope")).size(), 0);
        QCOMPARE(list(*a, QStringLiteral("not-a-token")).size(), 0);
        const Result<Subscription *> none = await<Subscription *>([&](auto done) {
            a->subscribe(Alice, QStringLiteral("0123456789abcdef.x"), false, 10, false, this, done);
        });
        QCOMPARE(none.error().code(), Error::NotFound);
        QVERIFY(await<bool>([&](auto done) { a->disconnect(QStringLiteral("garbage"), this, done); }));
    }

    void badArgumentsAreRefusedBeforeRedis()
    {
        auto a = node();
        const Result<HeartbeatResult> r = await<HeartbeatResult>(
            [&](auto done) { a->heartbeat(Alice, QString(), QStringLiteral("s"), 10'000, false, this, done); });
        QCOMPARE(r.error().code(), Error::InvalidArgument);
        const Result<HeartbeatResult> slow = await<HeartbeatResult>(
            [&](auto done) { a->heartbeat(Alice, Doc, QStringLiteral("s"), 10, false, this, done); });
        QCOMPARE(slow.error().code(), Error::InvalidArgument);
    }

    void withoutRedisRequestsAreUnavailableAndWatchersHealAfterwards()
    {
        RedisProcess own;
        QVERIFY2(own.start({QStringLiteral("--appendonly"), QStringLiteral("yes")}), own.errors().constData());
        RedisBackend::Options options;
        options.address = RedisAddress::parse(own.url()).value();
        options.sweepInterval = 50;
        RedisBackend a(options, &clock);
        RedisBackend b(options, &clock);
        a.open();
        b.open();
        QTRY_VERIFY(a.isReady() && b.isReady());
        const HeartbeatResult joined = beat(a, Alice, QStringLiteral("s1"), 60'000);
        auto watching = watch(b, joined.roomToken);
        QVERIFY(watching);

        own.kill();
        QTRY_VERIFY(!a.isReady());
        const Result<HeartbeatResult> refused = await<HeartbeatResult>(
            [&](auto done) { a.heartbeat(Bob, Doc, QStringLiteral("s2"), 60'000, false, this, done); });
        QCOMPARE(refused.error().code(), Error::Unavailable);

        // Back, with its data (AOF): a change made while the watcher's channel was gone still
        // reaches it, by reading the room again.
        QVERIFY(own.restart());
        QTRY_VERIFY_WITH_TIMEOUT(a.isReady(), 5000);
        beat(a, Bob, QStringLiteral("s2"), 60'000);
        QTRY_VERIFY_WITH_TIMEOUT(isOnline(*watching, Bob.userId), 5000);
        QVERIFY(isOnline(*watching, Alice.userId));
    }

    void aWatchedRoomWhoseReadFailedIsReadAgain()
    {
        // A room is read again when its channel comes back; Redis may refuse that read (still
        // loading its data after a restart, a failover under way). Here its functions are gone
        // when b's channels drop, so the read fails; once they are back, b reads the room again
        // and its watcher sees the change made meanwhile.
        auto a = node();
        auto b = node();
        const HeartbeatResult joined = beat(*a, Alice, QStringLiteral("s1"), 60'000);
        auto watching = watch(*b, joined.roomToken);
        QVERIFY(watching);
        QFile library(QStringLiteral(":/presence/redis/presence.lua"));
        QVERIFY(library.open(QIODevice::ReadOnly));
        const QString source = QString::fromUtf8(library.readAll());

        const auto unavailableBefore = b->stats().unavailable;
        redis.cli({QStringLiteral("FUNCTION"), QStringLiteral("DELETE"), QStringLiteral("presence1")});
        redis.cli({QStringLiteral("CLIENT"), QStringLiteral("KILL"), QStringLiteral("TYPE"), QStringLiteral("pubsub")});
        QTRY_VERIFY_WITH_TIMEOUT(b->stats().unavailable > unavailableBefore, 5000); // the read failed
        redis.cli({QStringLiteral("FUNCTION"), QStringLiteral("LOAD"), source});
        beat(*a, Bob, QStringLiteral("s2"), 60'000);
        QTRY_VERIFY_WITH_TIMEOUT(isOnline(*watching, Bob.userId), 5000);
        QVERIFY(isOnline(*watching, Alice.userId));
    }
};

QTEST_GUILESS_MAIN(TestRedisBackend)
#include "tst_redisbackend.moc"
