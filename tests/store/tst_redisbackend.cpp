// Nodes of a cluster in one process, each a RedisBackend on the test's own redis-server.
#include "engine.h"
#include "redisbackend.h"
#include "redisprocess.h"
#include "subscription.h"
#include "systemclock.h"

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
};

QTEST_GUILESS_MAIN(TestRedisBackend)
#include "tst_redisbackend.moc"
