// The seed's rules, one behaviour per test, in virtual time.
#include "engine.h"
#include "manualclock.h"
#include "subscription.h"
#include "systemclock.h"

#include <QJsonObject>
#include <QPointer>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace Presence;

namespace {

const Identity Alice {QStringLiteral("user_alice"), QStringLiteral("org_a"), {}, {}, {}};
const Identity Bob {QStringLiteral("user_bob"), QStringLiteral("org_a"), {}, {}, {}};
const Identity Carol {QStringLiteral("user_carol"), QStringLiteral("org_a"), {}, {}, {}};
const Identity Mallory {QStringLiteral("user_mallory"), QStringLiteral("org_b"), {}, {}, {}};

Identity adminOf(Identity identity)
{
    identity.admin = true;
    return identity;
}
const QString Doc = QStringLiteral("doc-1");
constexpr int Interval = 10'000;
constexpr qint64 Timeout = 25'000; // 2.5 × Interval

QString sid(const char *name)
{
    return QString::fromLatin1(name);
}

Identity person(int i)
{
    return {QStringLiteral("user_%1").arg(i, 4, 10, QLatin1Char('0')), QStringLiteral("org_a"), {}, {}, {}};
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

class EngineTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ManualClock> clock;
    std::unique_ptr<Engine> engine;

    HeartbeatResult beat(
        const Identity &who, const QString &session, const QString &room = Doc, int interval = Interval)
    {
        const auto result = engine->heartbeat(who, room, session, interval);
        if (!result) {
            // Fails the test that called it (a helper cannot QVERIFY); the test goes on with nothing.
            QTest::qFail(
                qPrintable(QStringLiteral("heartbeat failed: ") + result.error().message()), __FILE__, __LINE__);
            return {};
        }
        return result.value();
    }

    QList<Member> members(const QString &roomToken, const Identity &who = Alice, int limit = Engine::DefaultLimit)
    {
        const auto result = engine->list(who, roomToken, limit);
        if (!result) {
            QTest::qFail(qPrintable(QStringLiteral("list failed: ") + result.error().message()), __FILE__, __LINE__);
            return {};
        }
        return result.value();
    }

    static QStringList ids(const QList<Member> &list)
    {
        QStringList out;
        for (const Member &m : list)
            out << m.userId;
        return out;
    }

    static bool isOnline(const QList<Member> &list, const QString &userId)
    {
        for (const Member &m : list) {
            if (m.userId == userId)
                return m.online;
        }
        return false;
    }

private Q_SLOTS:
    void init()
    {
        clock = std::make_unique<ManualClock>();
        engine = std::make_unique<Engine>(clock.get());
        QVERIFY(engine->open());
    }
    void cleanup()
    {
        engine.reset();
        clock.reset();
    }

    void heartbeatReturnsRandomTokens()
    {
        const auto a = beat(Alice, sid("a1"));
        QVERIFY(a.roomToken.size() >= 22); // 128 bits in base64url
        QVERIFY(a.sessionToken.size() >= 22);
        QVERIFY(a.roomToken != a.sessionToken);
        const auto b = beat(Bob, sid("b1"));
        QCOMPARE(b.roomToken, a.roomToken); // stable per room
        QVERIFY(b.sessionToken != a.sessionToken); // one per session
        const auto other = beat(Alice, sid("a2"), QStringLiteral("doc-2"));
        QVERIFY(other.roomToken != a.roomToken);
    }

    void repeatedHeartbeatKeepsItsTokens()
    {
        const auto first = beat(Alice, sid("a1"));
        clock->advance(Interval);
        const auto second = beat(Alice, sid("a1"));
        QCOMPARE(second.roomToken, first.roomToken);
        QCOMPARE(second.sessionToken, first.sessionToken);
        QCOMPARE(engine->sessionCount(), 1);
    }

    void firstHeartbeatListsUserOnline()
    {
        const auto t = beat(Alice, sid("a1"));
        const auto list = members(t.roomToken);
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0].userId, Alice.userId);
        QVERIFY(list[0].online);
        QCOMPARE(list[0].lastDisconnected, 0);
    }

    void userStaysOnlineWhileAnySessionLives()
    {
        const auto w1 = beat(Alice, sid("a1"));
        const auto w2 = beat(Alice, sid("a2"));
        QCOMPARE(members(w1.roomToken).size(), 1); // one row per user, not per window
        QVERIFY(engine->disconnect(w1.sessionToken));
        QVERIFY(isOnline(members(w1.roomToken), Alice.userId));
        clock->advance(1234);
        QVERIFY(engine->disconnect(w2.sessionToken));
        const auto list = members(w1.roomToken);
        QVERIFY(!list[0].online);
        QCOMPARE(list[0].lastDisconnected, clock->now());
    }

    void sessionTimesOutAtExactlyTwoAndAHalfIntervals()
    {
        const qint64 start = clock->now();
        const auto t = beat(Alice, sid("a1"));
        clock->advance(Timeout - 1);
        QVERIFY(isOnline(members(t.roomToken), Alice.userId));
        clock->advance(1);
        const auto list = members(t.roomToken);
        QVERIFY(!list[0].online);
        QCOMPARE(list[0].lastDisconnected, start + Timeout);
        QCOMPARE(engine->sessionCount(), 0);
    }

    void timeoutFiresFromTheClockWithoutAnyCall()
    {
        beat(Alice, sid("a1"));
        QCOMPARE(clock->pendingWake(), clock->now() + Timeout);
        clock->advance(Timeout);
        QCOMPARE(engine->sessionCount(), 0); // the clock's timeout, not a later call, ended it
    }

    void earlyWakeFindsNothingDueAndRearms()
    {
        const qint64 start = clock->now();
        beat(Alice, sid("a1"));
        clock->advance(Interval);
        beat(Alice, sid("a1")); // deadline moves later; the wake request stays
        QCOMPARE(clock->pendingWake(), start + Timeout);
        clock->advance(Timeout - Interval);
        QCOMPARE(engine->sessionCount(), 1);
        QCOMPARE(clock->pendingWake(), start + Interval + Timeout);
        clock->advance(Interval);
        QCOMPARE(engine->sessionCount(), 0);
    }

    void systemClockExpiresSessionsInRealTime()
    {
        SystemClock real;
        Engine live(&real);
        QVERIFY(live.open());
        const auto t = live.heartbeat(Alice, Doc, sid("a1"), Engine::MinInterval).value();
        QCOMPARE(live.sessionCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(live.sessionCount(), 0, 5'000); // 2.5 s, then the timer
        const auto list = live.list(Alice, t.roomToken).value();
        QVERIFY(!list[0].online);
        QVERIFY(list[0].lastDisconnected <= real.now());
    }

    void heartbeatRearmsTheTimeout()
    {
        const auto t = beat(Alice, sid("a1"));
        for (int i = 0; i < 5; ++i) {
            clock->advance(2 * Interval);
            beat(Alice, sid("a1"));
        }
        const qint64 lastBeat = clock->now();
        clock->advance(Timeout - 1);
        QVERIFY(isOnline(members(t.roomToken), Alice.userId));
        clock->advance(1);
        QCOMPARE(members(t.roomToken)[0].lastDisconnected, lastBeat + Timeout);
    }

    void newIntervalReplacesTheDeadline()
    {
        const auto t = beat(Alice, sid("a1"), Doc, 60'000);
        beat(Alice, sid("a1"), Doc, 2'000); // now due in 5 s, not 150 s
        clock->advance(5'000);
        QVERIFY(!members(t.roomToken)[0].online);
    }

    void onlineInJoinOrderThenOfflineNewestFirst()
    {
        const auto t = beat(Alice, sid("a"));
        const auto b = beat(Bob, sid("b"));
        const auto c = beat(Carol, sid("c"));
        QCOMPARE(ids(members(t.roomToken)), QStringList({Alice.userId, Bob.userId, Carol.userId}));

        clock->advance(100);
        engine->disconnect(b.sessionToken);
        clock->advance(100);
        engine->disconnect(t.sessionToken);
        QCOMPARE(ids(members(t.roomToken)), QStringList({Carol.userId, Alice.userId, Bob.userId}));

        clock->advance(100);
        beat(Bob, sid("b2")); // comes back: joins after those already online
        QCOMPARE(ids(members(t.roomToken)), QStringList({Carol.userId, Bob.userId, Alice.userId}));
        Q_UNUSED(c)
    }

    void offlineTiesAreOrderedByUserId()
    {
        const auto c = beat(Carol, sid("c"));
        const auto b = beat(Bob, sid("b"));
        engine->disconnect(c.sessionToken);
        engine->disconnect(b.sessionToken); // same millisecond
        QCOMPARE(ids(members(c.roomToken)), QStringList({Bob.userId, Carol.userId}));
    }

    void listHonoursTheLimit()
    {
        QString token;
        for (int i = 0; i < 10; ++i)
            token = beat(person(i), QStringLiteral("s%1").arg(i)).roomToken;
        QCOMPARE(members(token, Alice, 3).size(), 3);
        QCOMPARE(ids(members(token, Alice, 3)).first(), person(0).userId);
        QCOMPARE(members(token).size(), 10);
    }

    void defaultLimitIs104AndLargeLimitsAreClamped()
    {
        QString token;
        for (int i = 0; i < Engine::MaxLimit + 5; ++i)
            token = beat(person(i), QStringLiteral("s%1").arg(i)).roomToken;
        QCOMPARE(engine->list(Alice, token).value().size(), 104);
        QCOMPARE(members(token, Alice, 1'000'000).size(), Engine::MaxLimit);
    }

    void limitBelowOneIsAnError()
    {
        const auto t = beat(Alice, sid("a"));
        for (int limit : {0, -1}) {
            const auto result = engine->list(Alice, t.roomToken, limit);
            QVERIFY(!result);
            QCOMPARE(result.error().code(), Error::InvalidArgument);
        }
    }

    void unknownRoomTokenListsNothing()
    {
        beat(Alice, sid("a"));
        const auto result = engine->list(Alice, QStringLiteral("no-such-token"));
        QVERIFY(result);
        QVERIFY(result.value().isEmpty());
    }

    void roomsAreScopedPerOrganization()
    {
        const auto mine = beat(Alice, sid("a"));
        const auto theirs = beat(Mallory, sid("m")); // same roomId, other organization
        QVERIFY(mine.roomToken != theirs.roomToken);
        QCOMPARE(ids(members(mine.roomToken)), QStringList({Alice.userId}));
        QCOMPARE(ids(members(theirs.roomToken, Mallory)), QStringList({Mallory.userId}));
    }

    void otherOrganizationsRoomTokenIsDenied()
    {
        const auto mine = beat(Alice, sid("a"));
        const auto list = engine->list(Mallory, mine.roomToken);
        QVERIFY(!list);
        QCOMPARE(list.error().code(), Error::PermissionDenied);
        QVERIFY(!list.error().message().contains(Alice.userId));
        QVERIFY(!list.error().message().contains(Doc));
        const auto sub = engine->subscribe(Mallory, mine.roomToken);
        QVERIFY(!sub);
        QCOMPARE(sub.error().code(), Error::PermissionDenied);
    }

    void reusingASessionIdElsewhereIsAnError()
    {
        const auto t = beat(Alice, sid("shared"));
        const auto otherRoom = engine->heartbeat(Alice, QStringLiteral("doc-2"), sid("shared"));
        QVERIFY(!otherRoom);
        QCOMPARE(otherRoom.error().code(), Error::InvalidArgument);
        // The attempt touched neither the room nor the session.
        QCOMPARE(ids(members(t.roomToken)), QStringList({Alice.userId}));
        QCOMPARE(beat(Alice, sid("shared")).sessionToken, t.sessionToken);
    }

    void sessionTokenDiesWithItsSession()
    {
        const auto first = beat(Alice, sid("a"));
        QVERIFY(engine->disconnect(first.sessionToken));
        QVERIFY(engine->disconnect(first.sessionToken)); // unknown now: a no-op
        const auto again = beat(Alice, sid("a")); // the sessionId is free again
        QVERIFY(again.sessionToken != first.sessionToken);
        QCOMPARE(again.roomToken, first.roomToken);

        clock->advance(Timeout);
        const auto afterTimeout = beat(Alice, sid("a"));
        QVERIFY(afterTimeout.sessionToken != again.sessionToken);
        engine->disconnect(again.sessionToken); // the expired token does not end the new session
        QVERIFY(isOnline(members(first.roomToken), Alice.userId));
    }

    void disconnectOfUnknownTokenChangesNothing()
    {
        const auto t = beat(Alice, sid("a"));
        QVERIFY(engine->disconnect(QStringLiteral("never-issued")));
        QVERIFY(isOnline(members(t.roomToken), Alice.userId));
        QCOMPARE(engine->sessionCount(), 1);
    }

    void badInputsAreRejectedClearly_data()
    {
        QTest::addColumn<QString>("roomId");
        QTest::addColumn<QString>("sessionId");
        QTest::addColumn<int>("interval");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("empty roomId") << QString() << sid("s") << Interval << "roomId";
        QTest::newRow("long roomId") << QString(257, QLatin1Char('r')) << sid("s") << Interval << "roomId";
        QTest::newRow("control in roomId") << QStringLiteral("a\nb") << sid("s") << Interval << "roomId";
        QTest::newRow("empty sessionId") << Doc << QString() << Interval << "sessionId";
        QTest::newRow("long sessionId") << Doc << QString(129, QLatin1Char('s')) << Interval << "sessionId";
        QTest::newRow("interval too short") << Doc << sid("s") << 999 << "interval";
        QTest::newRow("interval too long") << Doc << sid("s") << 600'001 << "interval";
        QTest::newRow("negative interval") << Doc << sid("s") << -5 << "interval";
    }
    void badInputsAreRejectedClearly()
    {
        QFETCH(QString, roomId);
        QFETCH(QString, sessionId);
        QFETCH(int, interval);
        QFETCH(QString, mentions);
        const auto result = engine->heartbeat(Alice, roomId, sessionId, interval);
        QVERIFY(!result);
        QCOMPARE(result.error().code(), Error::InvalidArgument);
        QVERIFY2(result.error().message().contains(mentions), qPrintable(result.error().message()));
        QCOMPARE(engine->sessionCount(), 0);
        QCOMPARE(engine->roomCount(), 0);
    }

    void limitsOfTheRangesAreAccepted()
    {
        QVERIFY(engine->heartbeat(Alice, QString(256, QLatin1Char('r')), QString(128, QLatin1Char('s')), 1'000));
        QVERIFY(engine->heartbeat(Alice, Doc, sid("s2"), 600'000));
    }

    void callerWithoutIdentityIsUnauthenticated()
    {
        const auto result = engine->heartbeat(Identity {}, Doc, sid("s"));
        QVERIFY(!result);
        QCOMPARE(result.error().code(), Error::Unauthenticated);
        Identity noOrg = Alice;
        noOrg.organization.clear();
        QCOMPARE(engine->heartbeat(noOrg, Doc, sid("s")).error().code(), Error::Unauthenticated);
        Identity sneaky = Alice;
        sneaky.organization = QStringLiteral("org_a") + QChar(0x1f) + QStringLiteral("doc-1");
        QCOMPARE(engine->heartbeat(sneaky, Doc, sid("s")).error().code(), Error::InvalidArgument);
        Identity controlled = Alice;
        controlled.userId = QStringLiteral("user") + QChar(0x1f) + QStringLiteral("x");
        QCOMPARE(engine->heartbeat(controlled, Doc, sid("s")).error().code(), Error::InvalidArgument);
    }

    void membersCarryNamesAndImagesFromUsers()
    {
        QVERIFY(engine->upsertUser({Alice.userId, {}, QStringLiteral("Alice Liddell"),
            QStringLiteral("https://i/a.png"), Alice.organization, true}));
        const auto t = beat(Alice, sid("a"));
        beat(Bob, sid("b"));
        const auto list = members(t.roomToken);
        QCOMPARE(list[0].name, QStringLiteral("Alice Liddell"));
        QCOMPARE(list[0].image, QStringLiteral("https://i/a.png"));
        QVERIFY(list[1].name.isEmpty()); // Bob is unknown: no name, no image
        QVERIFY(list[1].image.isEmpty());
    }

    void enrichmentFallsBackToEmail()
    {
        // Imported without a workos id; the user's token carries only the email.
        QVERIFY(engine->upsertUser({{}, QStringLiteral("Bob@Example.com"), QStringLiteral("Bob"),
            QStringLiteral("b.png"), Bob.organization, true}));
        Identity bob = Bob;
        bob.email = QStringLiteral("bob@example.com");
        const auto t = beat(bob, sid("b"));
        QCOMPARE(members(t.roomToken)[0].name, QStringLiteral("Bob"));
        QCOMPARE(members(t.roomToken)[0].image, QStringLiteral("b.png"));

        // A workos row with its own name wins over the email row.
        QVERIFY(engine->upsertUser({Bob.userId, {}, QStringLiteral("Robert"), {}, Bob.organization, true}));
        QCOMPARE(members(t.roomToken)[0].name, QStringLiteral("Robert"));
        QCOMPARE(members(t.roomToken)[0].image, QStringLiteral("b.png"));
    }

    void userIdThatIsAnEmailFindsItsRow()
    {
        QVERIFY(engine->upsertUser(
            {{}, QStringLiteral("dan@example.com"), QStringLiteral("Dan"), {}, Alice.organization, true}));
        const Identity dan {QStringLiteral("dan@example.com"), QStringLiteral("org_a"), {}, {}, {}};
        QCOMPARE(members(beat(dan, sid("d")).roomToken, dan)[0].name, QStringLiteral("Dan"));
    }

    void identityClaimsFillTheUsersTable()
    {
        Identity alice = Alice;
        alice.name = QStringLiteral("Alice");
        alice.picture = QStringLiteral("https://i/alice.png");
        const auto t = beat(alice, sid("a"));
        QCOMPARE(members(t.roomToken)[0].name, QStringLiteral("Alice"));
        QCOMPARE(members(t.roomToken)[0].image, QStringLiteral("https://i/alice.png"));
        QCOMPARE(engine->userCount(), 1);
        // Claims that are absent keep what is known.
        beat(Alice, sid("a"));
        QCOMPARE(members(t.roomToken)[0].name, QStringLiteral("Alice"));
    }

    void oversizedClaimsAreRejected()
    {
        Identity alice = Alice;
        alice.name = QString(300, QLatin1Char('n'));
        const auto result = engine->heartbeat(alice, Doc, sid("a"));
        QVERIFY(!result);
        QCOMPARE(result.error().code(), Error::InvalidArgument);
        QVERIFY(result.error().message().contains(QLatin1String("name")));
    }

    // Issue 12, item 6: "org a:, room x" and "org a, room :x" were one room.
    void roomKeysOfTwoOrganizationsNeverCollide()
    {
        const Identity colon {QStringLiteral("user_c"), QStringLiteral("a:"), {}, {}, {}};
        const Identity plain {QStringLiteral("user_p"), QStringLiteral("a"), {}, {}, {}};
        const auto first = engine->heartbeat(colon, QStringLiteral("x"), sid("c")).value();
        const auto second = engine->heartbeat(plain, QStringLiteral(":x"), sid("p")).value();
        QVERIFY(first.roomToken != second.roomToken);
        QCOMPARE(ids(members(first.roomToken, colon)), QStringList({colon.userId}));
        QCOMPARE(ids(members(second.roomToken, plain)), QStringList({plain.userId}));
        QCOMPARE(engine->list(plain, first.roomToken).error().code(), Error::PermissionDenied);
    }

    // Item 7: sessionIds were one namespace: anyone could squat (and probe) another's.
    void sessionIdsBelongToTheirUser()
    {
        const auto alice = engine->heartbeat(Alice, Doc, QStringLiteral("shared-id")).value();
        const auto mallory = engine->heartbeat(Mallory, Doc, QStringLiteral("shared-id"));
        QVERIFY(mallory); // another organization's user: their own session
        const auto bob = engine->heartbeat(Bob, Doc, QStringLiteral("shared-id"));
        QVERIFY(bob); // another user of the same organization: their own session too
        QVERIFY(bob.value().sessionToken != alice.sessionToken);
        QCOMPARE(engine->heartbeat(Alice, Doc, QStringLiteral("shared-id")).value().sessionToken, alice.sessionToken);
        QCOMPARE(ids(members(alice.roomToken)), QStringList({Alice.userId, Bob.userId}));
        // One user's sessionId still names one room.
        QCOMPARE(engine->heartbeat(Alice, QStringLiteral("other"), QStringLiteral("shared-id")).error().code(),
            Error::InvalidArgument);
    }

    // Item 8: the users table was global: a token of org B with alice's email and a forged
    // name changed how org A saw alice.
    void usersAreTablesOfTheirOrganization()
    {
        QVERIFY(engine->importUsers(
            R"([{"workosId": "user_alice", "email": "alice@corp.com", "name": "Alice", "image": "https://i/a.png"}])",
            Alice.organization));
        Identity forger = Mallory;
        forger.email = QStringLiteral("alice@corp.com");
        forger.name = QStringLiteral("Alice (forged)");
        forger.picture = QStringLiteral("https://evil.example.com/a.png");
        beat(forger, sid("m"));
        const auto a = beat(Alice, sid("a"));
        QCOMPARE(members(a.roomToken)[0].name, QStringLiteral("Alice"));
        QCOMPARE(members(a.roomToken)[0].image, QStringLiteral("https://i/a.png"));

        // Within one organization, a token's email is no fallback for anyone else.
        Identity claimer = Bob;
        claimer.email = QStringLiteral("carol@corp.com");
        claimer.name = QStringLiteral("Carol?");
        beat(claimer, sid("b"));
        const Identity carolByEmail {QStringLiteral("carol@corp.com"), Alice.organization, {}, {}, {}};
        const auto c = beat(carolByEmail, sid("c"));
        QCOMPARE(memberNamed(members(c.roomToken), carolByEmail.userId).name, QString());
        // An imported row is: carol's own import names her.
        QVERIFY(engine->importUsers(R"([{"email": "carol@corp.com", "name": "Carol"}])", Alice.organization));
        QCOMPARE(memberNamed(members(c.roomToken), carolByEmail.userId).name, QStringLiteral("Carol"));
        // A user's own claims never move their imported row's email.
        Identity alice = Alice;
        alice.email = QStringLiteral("carol@corp.com");
        beat(alice, sid("a"));
        QCOMPARE(memberNamed(members(c.roomToken), carolByEmail.userId).name, QStringLiteral("Carol"));
        QCOMPARE(memberNamed(members(c.roomToken), Alice.userId).name, QStringLiteral("Alice"));
        QVERIFY(!engine->upsertUser({QStringLiteral("x"), {}, QStringLiteral("X"), {}, {}, true}));
    }

    // Issue 12, item 4: quotas refuse before anything is created.
    void quotasRefuseBeforeAnythingIsCreated()
    {
        Engine::Limits limits;
        limits.sessionsPerUser = 2;
        limits.roomsPerUser = 3;
        limits.roomsPerOrganization = 4;
        limits.subscriptionsPerUser = 1;
        engine->setLimits(limits);
        const auto a = beat(Alice, sid("a1"), QStringLiteral("r1"));
        beat(Alice, sid("a2"), QStringLiteral("r2"));
        const auto third = engine->heartbeat(Alice, QStringLiteral("r3"), sid("a3"));
        QCOMPARE(third.error().code(), Error::ResourceExhausted);
        QVERIFY(third.error().message().contains(QLatin1String("2 live sessions")));
        QCOMPARE(engine->roomCount(), 2);
        QCOMPARE(engine->sessionCount(), 2);
        QVERIFY(engine->heartbeat(Alice, QStringLiteral("r1"), sid("a1"))); // existing sessions go on

        // Memberships count, offline too.
        QVERIFY(engine->disconnect(a.sessionToken));
        beat(Alice, sid("a3"), QStringLiteral("r3"));
        QCOMPARE(engine->heartbeat(Alice, QStringLiteral("r4"), sid("a4")).error().code(), Error::ResourceExhausted);
        QVERIFY(engine->disconnect(beat(Alice, sid("a3"), QStringLiteral("r3")).sessionToken));
        const auto r4 = engine->heartbeat(Alice, QStringLiteral("r4"), sid("a4"));
        QCOMPARE(r4.error().code(), Error::ResourceExhausted);
        QVERIFY(r4.error().message().contains(QLatin1String("member of 3 rooms")));

        // Rooms of the organization.
        beat(Bob, sid("b1"), QStringLiteral("r4"));
        const auto r5 = engine->heartbeat(Carol, QStringLiteral("r5"), sid("c1"));
        QCOMPARE(r5.error().code(), Error::ResourceExhausted);
        QVERIFY(r5.error().message().contains(QLatin1String("4 rooms")));
        QCOMPARE(engine->roomCount(), 4);
        QVERIFY(engine->heartbeat(Mallory, QStringLiteral("r5"), sid("m1"))); // another organization's quota

        // Subscriptions, per user.
        std::unique_ptr<Subscription> first(engine->subscribe(Bob, a.roomToken).value());
        QCOMPARE(engine->subscribe(Bob, a.roomToken).error().code(), Error::ResourceExhausted);
        first.reset();
        std::unique_ptr<Subscription> again(engine->subscribe(Bob, a.roomToken).value());
        QVERIFY(again);
    }

    // Item 4: what nobody uses ages out, from memory and (see tst_sqlitestore) the store.
    void retentionForgetsOfflineMembersAndEmptyRooms()
    {
        Engine::Limits limits;
        limits.offlineRetention = 60'000;
        engine->setLimits(limits);
        Identity alice = Alice;
        alice.name = QStringLiteral("Alice");
        const auto gone = beat(alice, sid("a1"), QStringLiteral("gone"));
        const auto watched = beat(Bob, sid("b1"), QStringLiteral("watched"));
        beat(Carol, sid("c1"), QStringLiteral("watched"), Engine::MaxInterval); // online throughout
        QVERIFY(engine->disconnect(gone.sessionToken));
        QVERIFY(engine->disconnect(watched.sessionToken));
        std::unique_ptr<Subscription> sub(engine->subscribe(Carol, watched.roomToken).value());
        QSignalSpy spy(sub.get(), &Subscription::changed);
        clock->advance(60'000 - 1);
        QCOMPARE(engine->collectGarbage().members, 0); // not yet
        clock->advance(2);
        const Engine::Collected collected = engine->collectGarbage();
        QCOMPARE(collected.members, 2);
        QCOMPARE(collected.rooms, 1); // "watched" has a watcher and Carol
        QCOMPARE(collected.users, 1); // Alice's row from her claims: she is a member nowhere now
        QCOMPARE(engine->roomCount(), 1);
        QCOMPARE(engine->userCount(), 0);
        QVERIFY(engine->list(Alice, gone.roomToken).value().isEmpty());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).value<MemberDiff>().removed, QStringList({Bob.userId}));
        QCOMPARE(ids(members(watched.roomToken)), QStringList({Carol.userId}));
        // A room that is gone is made anew, with a new token.
        QVERIFY(beat(Alice, sid("a2"), QStringLiteral("gone")).roomToken != gone.roomToken);
    }

    void importUsersFromJson()
    {
        const QByteArray json = R"([
            {"workosId": "user_alice", "email": "alice@example.com", "name": "Alice", "image": "a.png"},
            {"email": "bob@example.com", "name": "Bob"}
        ])";
        const auto imported = engine->importUsers(json, Alice.organization);
        QVERIFY(imported);
        QCOMPARE(imported.value(), 2);
        QCOMPARE(engine->importUsers(json, Alice.organization).value(), 0); // nothing new the second time
        const auto t = beat(Alice, sid("a"));
        QCOMPARE(members(t.roomToken)[0].name, QStringLiteral("Alice"));

        const auto broken
            = engine->importUsers(R"([{"workosId": "u1"}, {"name": 5, "email": "x@y"}])", Alice.organization);
        QVERIFY(!broken);
        QCOMPARE(broken.error().code(), Error::InvalidArgument);
        QVERIFY2(
            broken.error().message().contains(QLatin1String("users[1].name")), qPrintable(broken.error().message()));
    }

    void subscriptionStartsWithTheListAndHearsAJoin()
    {
        const auto a = beat(Alice, sid("a"));
        auto sub = engine->subscribe(Alice, a.roomToken);
        QVERIFY(sub);
        std::unique_ptr<Subscription> guard(sub.value());
        QCOMPARE(ids(sub.value()->members()), QStringList({Alice.userId}));
        QSignalSpy spy(sub.value(), &Subscription::changed);

        beat(Bob, sid("b"));
        QCOMPARE(spy.count(), 1);
        const auto diff = spy.at(0).at(0).value<MemberDiff>();
        QCOMPARE(diff.upserted.size(), 1);
        QCOMPARE(diff.upserted[0].userId, Bob.userId);
        QVERIFY(diff.upserted[0].online);
        QVERIFY(diff.removed.isEmpty());
    }

    void steadyHeartbeatsNotifyNobody()
    {
        const auto a = beat(Alice, sid("a"));
        beat(Bob, sid("b"));
        std::unique_ptr<Subscription> sub(engine->subscribe(Alice, a.roomToken).value());
        QSignalSpy spy(sub.get(), &Subscription::changed);
        const auto before = engine->stats();
        for (int i = 0; i < 10; ++i) {
            clock->advance(Interval);
            beat(Alice, sid("a"));
            beat(Bob, sid("b"));
        }
        QCOMPARE(spy.count(), 0);
        QCOMPARE(engine->stats().steadyHeartbeats - before.steadyHeartbeats, 20u);
        QCOMPARE(engine->stats().notifications, before.notifications);
    }

    void secondWindowOfAnOnlineUserNotifiesNobody()
    {
        const auto a = beat(Alice, sid("a"));
        std::unique_ptr<Subscription> sub(engine->subscribe(Bob, a.roomToken).value());
        QSignalSpy spy(sub.get(), &Subscription::changed);
        const auto second = beat(Alice, sid("a2"));
        engine->disconnect(second.sessionToken);
        QCOMPARE(spy.count(), 0);
    }

    void aMemberIsAwayWhenEveryWindowIsIdle()
    {
        const auto a = beat(Alice, sid("a"));
        const auto second = engine->heartbeat(Alice, Doc, sid("a2"), Interval, true).value();
        const auto awayOf = [&] { return members(a.roomToken).value(0).away; };
        QVERIFY(!awayOf()); // one active window makes her active
        engine->heartbeat(Alice, Doc, sid("a"), Interval, true);
        QVERIFY(awayOf());
        engine->heartbeat(Alice, Doc, sid("a2"), Interval, false);
        QVERIFY(!awayOf());
        engine->heartbeat(Alice, Doc, sid("a2"), Interval, true);
        QVERIFY(awayOf());
        engine->disconnect(second.sessionToken);
        QVERIFY(awayOf()); // her one window left is idle
        engine->disconnect(a.sessionToken);
        QVERIFY(!members(a.roomToken).value(0).online);
        QVERIFY(!awayOf()); // offline is not away
    }

    void goingAwayOrComingBackIsOneUpsertAndSteadyAwayIsSilent()
    {
        const auto a = beat(Alice, sid("a"));
        beat(Bob, sid("b"));
        std::unique_ptr<Subscription> sub(engine->subscribe(Alice, a.roomToken).value());
        QSignalSpy spy(sub.get(), &Subscription::changed);
        engine->heartbeat(Bob, Doc, sid("b"), Interval, true);
        QCOMPARE(spy.count(), 1);
        MemberDiff diff = spy.at(0).at(0).value<MemberDiff>();
        QCOMPARE(diff.upserted.size(), 1);
        QCOMPARE(diff.upserted[0].userId, Bob.userId);
        QVERIFY(diff.upserted[0].away);
        QVERIFY(diff.upserted[0].online);
        QVERIFY(diff.removed.isEmpty());

        const auto before = engine->stats();
        for (int i = 0; i < 5; ++i) {
            clock->advance(Interval);
            beat(Alice, sid("a"));
            engine->heartbeat(Bob, Doc, sid("b"), Interval, true);
        }
        QCOMPARE(spy.count(), 1); // still away: nothing to tell
        QCOMPARE(engine->stats().steadyHeartbeats - before.steadyHeartbeats, 10u);

        engine->heartbeat(Bob, Doc, sid("b"), Interval, false);
        QCOMPARE(spy.count(), 2);
        diff = spy.at(1).at(0).value<MemberDiff>();
        QCOMPARE(diff.upserted.size(), 1);
        QVERIFY(!diff.upserted[0].away);
    }

    void aNewActiveWindowBringsAnAwayMemberBack()
    {
        const auto a = engine->heartbeat(Alice, Doc, sid("a"), Interval, true).value();
        std::unique_ptr<Subscription> sub(engine->subscribe(Bob, a.roomToken).value());
        QVERIFY(sub->members().value(0).away);
        QSignalSpy spy(sub.get(), &Subscription::changed);
        engine->heartbeat(Alice, Doc, sid("a2"), Interval, false); // she opens another window
        QCOMPARE(spy.count(), 1);
        QVERIFY(!spy.at(0).at(0).value<MemberDiff>().upserted.value(0).away);
        engine->heartbeat(Alice, Doc, sid("a3"), Interval, true); // an idle third changes nothing
        QCOMPARE(spy.count(), 1);
    }

    void anIdleSecondWindowChangesNothingVisible()
    {
        const auto a = beat(Alice, sid("a"));
        std::unique_ptr<Subscription> sub(engine->subscribe(Bob, a.roomToken).value());
        QSignalSpy spy(sub.get(), &Subscription::changed);
        engine->heartbeat(Alice, Doc, sid("a2"), Interval, true); // the active one still counts
        QCOMPARE(spy.count(), 0);
        QVERIFY(!members(a.roomToken).value(0).away);
    }

    static QJsonObject status(const QString &text) { return QJsonObject {{QStringLiteral("status"), text}}; }

    void updateSetsTheCallersDataAndWatchersGetOneUpsert()
    {
        const auto a = beat(Alice, sid("a"));
        beat(Bob, sid("b"));
        std::unique_ptr<Subscription> sub(engine->subscribe(Bob, a.roomToken).value());
        QSignalSpy spy(sub.get(), &Subscription::changed);
        QVERIFY(engine->update(Alice, a.sessionToken, status(QStringLiteral("Reviewing"))).value());
        QCOMPARE(memberNamed(members(a.roomToken), Alice.userId).data, status(QStringLiteral("Reviewing")));
        QVERIFY(memberNamed(members(a.roomToken), Bob.userId).data.isEmpty());
        QCOMPARE(spy.count(), 1);
        const MemberDiff diff = spy.at(0).at(0).value<MemberDiff>();
        QCOMPARE(diff.upserted.size(), 1);
        QCOMPARE(diff.upserted[0].userId, Alice.userId);
        QCOMPARE(diff.upserted[0].data, status(QStringLiteral("Reviewing")));
        QVERIFY(diff.upserted[0].online); // in place: no leave, no join
        QCOMPARE(ids(members(a.roomToken)), (QStringList {Alice.userId, Bob.userId}));
    }

    void theSameDataAgainTellsNobody()
    {
        const auto a = beat(Alice, sid("a"));
        std::unique_ptr<Subscription> sub(engine->subscribe(Bob, a.roomToken).value());
        QSignalSpy spy(sub.get(), &Subscription::changed);
        engine->update(Alice, a.sessionToken, status(QStringLiteral("Busy")));
        clock->advance(1'000);
        engine->update(Alice, a.sessionToken, status(QStringLiteral("Busy")));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(engine->stats().dataUpdates, 1u);
    }

    void updatesWithinTheCoalescingWindowArriveOnceWithTheLastValue()
    {
        const auto a = beat(Alice, sid("a"));
        std::unique_ptr<Subscription> sub(engine->subscribe(Bob, a.roomToken).value());
        QSignalSpy spy(sub.get(), &Subscription::changed);
        engine->update(Alice, a.sessionToken, status(QStringLiteral("1"))); // shown at once
        QCOMPARE(spy.count(), 1);
        clock->advance(10);
        engine->update(Alice, a.sessionToken, status(QStringLiteral("2")));
        clock->advance(10);
        engine->update(Alice, a.sessionToken, status(QStringLiteral("3")));
        QCOMPARE(spy.count(), 1); // held back until 50 ms after the first
        QCOMPARE(memberNamed(members(a.roomToken), Alice.userId).data, status(QStringLiteral("1")));
        clock->advance(29);
        QCOMPARE(spy.count(), 1);
        clock->advance(1); // the window ends: the clock's wake shows the last value
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.at(1).at(0).value<MemberDiff>().upserted.value(0).data, status(QStringLiteral("3")));
        QCOMPARE(memberNamed(members(a.roomToken), Alice.userId).data, status(QStringLiteral("3")));
        QCOMPARE(engine->stats().dataCoalesced, 1u); // "2" was never shown
        clock->advance(1'000);
        QCOMPARE(spy.count(), 2);
        engine->update(Alice, a.sessionToken, status(QStringLiteral("4"))); // a quiet while later: at once
        QCOMPARE(spy.count(), 3);
    }

    void aValueChangedBackWithinTheWindowTellsNobody()
    {
        const auto a = beat(Alice, sid("a"));
        std::unique_ptr<Subscription> sub(engine->subscribe(Bob, a.roomToken).value());
        QSignalSpy spy(sub.get(), &Subscription::changed);
        engine->update(Alice, a.sessionToken, status(QStringLiteral("1")));
        engine->update(Alice, a.sessionToken, status(QStringLiteral("2")));
        engine->update(Alice, a.sessionToken, status(QStringLiteral("1")));
        clock->advance(100);
        QCOMPARE(spy.count(), 1);
    }

    void leavingAndComingBackWithinTheWindowKeepsTheNewData()
    {
        const auto a = beat(Alice, sid("a"));
        std::unique_ptr<Subscription> sub(engine->subscribe(Bob, a.roomToken).value());
        QSignalSpy spy(sub.get(), &Subscription::changed);
        engine->update(Alice, a.sessionToken, status(QStringLiteral("1"))); // shown at once
        engine->update(Alice, a.sessionToken, status(QStringLiteral("2"))); // held back
        engine->disconnect(a.sessionToken); // offline: dropped
        const auto again = beat(Alice, sid("a2"));
        engine->update(Alice, again.sessionToken, status(QStringLiteral("3"))); // held back to the same time
        clock->advance(100);
        QCOMPARE(memberNamed(members(a.roomToken), Alice.userId).data, status(QStringLiteral("3")));
        QCOMPARE(spy.at(spy.count() - 1).at(0).value<MemberDiff>().upserted.value(0).data, status(QStringLiteral("3")));
    }

    void dataIsDroppedWhenTheMemberGoesOffline()
    {
        const auto a = beat(Alice, sid("a"));
        const auto a2 = beat(Alice, sid("a2"));
        engine->update(Alice, a.sessionToken, status(QStringLiteral("Busy")));
        engine->disconnect(a.sessionToken);
        // One user's data in the room, whichever window set it: her other window keeps it.
        QCOMPARE(memberNamed(members(a.roomToken), Alice.userId).data, status(QStringLiteral("Busy")));
        engine->update(Alice, a2.sessionToken, status(QStringLiteral("Away for lunch")));
        clock->advance(Timeout); // her last window times out, with a value still held back
        const Member offline = memberNamed(members(a.roomToken), Alice.userId);
        QVERIFY(!offline.online);
        QVERIFY(offline.data.isEmpty());
        beat(Alice, sid("a3"));
        QVERIFY(memberNamed(members(a.roomToken), Alice.userId).data.isEmpty());
    }

    void anEmptyObjectClearsTheData()
    {
        const auto a = beat(Alice, sid("a"));
        engine->update(Alice, a.sessionToken, status(QStringLiteral("Busy")));
        clock->advance(100);
        QVERIFY(engine->update(Alice, a.sessionToken, QJsonObject()).value());
        QVERIFY(memberNamed(members(a.roomToken), Alice.userId).data.isEmpty());
    }

    void updateIsRefusedForAnotherUsersOrAnUnknownSessionOrTooMuchData()
    {
        const auto a = beat(Alice, sid("a"));
        QCOMPARE(
            engine->update(Bob, a.sessionToken, status(QStringLiteral("x"))).error().code(), Error::PermissionDenied);
        QCOMPARE(engine->update(Mallory, a.sessionToken, status(QStringLiteral("x"))).error().code(),
            Error::PermissionDenied);
        QCOMPARE(engine->update(Alice, QStringLiteral("no-such-token"), status(QStringLiteral("x"))).error().code(),
            Error::NotFound);
        QCOMPARE(engine->update(Alice, QString(), status(QStringLiteral("x"))).error().code(), Error::InvalidArgument);
        // {"status":"…"} is 13 bytes around the text: 1011 characters make exactly 1024.
        QVERIFY(engine->update(Alice, a.sessionToken, status(QString(1011, QLatin1Char('x')))).value());
        const auto tooLarge = engine->update(Alice, a.sessionToken, status(QString(1012, QLatin1Char('x'))));
        QCOMPARE(tooLarge.error().code(), Error::InvalidArgument);
        QVERIFY(tooLarge.error().message().contains(QLatin1String("1025")));
        QCOMPARE(memberNamed(members(a.roomToken), Alice.userId).data.value(QLatin1String("status")).toString().size(),
            1011);
        engine->disconnect(a.sessionToken);
        QCOMPARE(engine->update(Alice, a.sessionToken, status(QStringLiteral("x"))).error().code(), Error::NotFound);
    }

    void peekingListsARoomByItsIdWithoutJoiningIt()
    {
        const auto a = beat(Alice, sid("a"));
        const QList<Member> seen = engine->listRoom(Bob, Doc).value();
        QCOMPARE(ids(seen), QStringList {Alice.userId});
        QCOMPARE(engine->countsOfRoom(Bob, Doc).value(), (RoomCounts {1, 1}));
        std::unique_ptr<Subscription> sub(engine->subscribeRoom(Bob, Doc, Engine::DefaultLimit, nullptr, true).value());
        QCOMPARE(ids(sub->members()), QStringList {Alice.userId});
        QCOMPARE(ids(members(a.roomToken)), QStringList {Alice.userId}); // Bob is not in it
        QSignalSpy spy(sub.get(), &Subscription::changed);
        beat(Carol, sid("c"));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).value<MemberDiff>().counts->online, 2);
    }

    void aRoomNobodyJoinedListsNothingAndFillsWhenSomeoneJoins()
    {
        const QString fresh = QStringLiteral("doc-nobody-opened");
        QCOMPARE(engine->listRoom(Bob, fresh).value(), QList<Member>());
        QCOMPARE(engine->countsOfRoom(Bob, fresh).value(), RoomCounts());
        QCOMPARE(engine->roomCount(), 0); // listing makes nothing
        std::unique_ptr<Subscription> sub(engine->subscribeRoom(Bob, fresh).value());
        QVERIFY(sub->members().isEmpty());
        QSignalSpy spy(sub.get(), &Subscription::changed);
        const auto a = beat(Alice, sid("a"), fresh);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).value<MemberDiff>().upserted.value(0).userId, Alice.userId);
        QCOMPARE(sub->roomToken(), a.roomToken); // the room the watch made is the one she joined
    }

    void peekingStaysInTheCallersOrganization()
    {
        beat(Alice, sid("a"));
        QVERIFY(engine->listRoom(Mallory, Doc).value().isEmpty()); // her organization's doc-1
        std::unique_ptr<Subscription> sub(engine->subscribeRoom(Mallory, Doc).value());
        QSignalSpy spy(sub.get(), &Subscription::changed);
        beat(Bob, sid("b"));
        QCOMPARE(spy.count(), 0);
        QCOMPARE(engine->listRoom(Alice, Doc).value().size(), 2);
    }

    void peekingChecksItsInput()
    {
        QCOMPARE(engine->listRoom(Alice, QString()).error().code(), Error::InvalidArgument);
        QCOMPARE(engine->subscribeRoom(Alice, QString(300, QLatin1Char('x'))).error().code(), Error::InvalidArgument);
        QCOMPARE(engine->listRoom(Alice, Doc, 0).error().code(), Error::InvalidArgument);
        QCOMPARE(engine->subscribeRoom(Alice, QStringLiteral("a\nb")).error().code(), Error::InvalidArgument);
    }

    void watchedEmptyRoomsCountAgainstTheRoomsQuotaAndGoWithTheirLastWatcher()
    {
        Engine::Limits limits;
        limits.roomsPerOrganization = 2;
        limits.subscriptionsPerUser = 3;
        limits.offlineRetention = 60'000;
        engine->setLimits(limits);
        std::unique_ptr<Subscription> first(engine->subscribeRoom(Bob, QStringLiteral("r1")).value());
        std::unique_ptr<Subscription> second(engine->subscribeRoom(Bob, QStringLiteral("r2")).value());
        const auto third = engine->subscribeRoom(Bob, QStringLiteral("r3"));
        QCOMPARE(third.error().code(), Error::ResourceExhausted);
        QCOMPARE(engine->roomCount(), 2);
        // Watching a room that exists needs no new room.
        std::unique_ptr<Subscription> again(engine->subscribeRoom(Carol, QStringLiteral("r1")).value());
        QCOMPARE(engine->collectGarbage().rooms, 0); // watched: kept
        first.reset();
        QCOMPARE(engine->roomCount(), 2); // still watched by Carol
        again.reset();
        QCOMPARE(engine->roomCount(), 1); // nobody in it, nobody watching: gone at once
        // Watching and unwatching new ids in a loop never fills the quota.
        for (int i = 0; i < 50; ++i) {
            std::unique_ptr<Subscription> peek(engine->subscribeRoom(Bob, QStringLiteral("loop-%1").arg(i)).value());
            QVERIFY(peek);
        }
        QCOMPARE(engine->roomCount(), 1);
        std::unique_ptr<Subscription> fourth(engine->subscribeRoom(Bob, QStringLiteral("r3")).value());
        QCOMPARE(engine->roomCount(), 2);
    }

    void onlineListsWhoIsOnlineAnywhereInTheOrganization()
    {
        beat(Bob, sid("b1"), QStringLiteral("doc-2"));
        beat(Bob, sid("b2"), Doc);
        const auto c = beat(Carol, sid("c"), Doc);
        engine->heartbeat(Alice, QStringLiteral("doc-3"), sid("a"), Interval, true); // idle
        beat(Mallory, sid("m"), Doc); // another organization
        engine->disconnect(c.sessionToken); // offline: not listed
        const OnlinePage page = engine->online(Alice).value();
        QCOMPARE(page.cursor, QString());
        QCOMPARE(page.users.size(), 2);
        QCOMPARE(page.users[0].userId, Alice.userId); // by userId
        QVERIFY(page.users[0].away);
        QCOMPARE(page.users[0].rooms, QStringList {QStringLiteral("doc-3")});
        QCOMPARE(page.users[1].userId, Bob.userId);
        QVERIFY(!page.users[1].away);
        QCOMPARE(page.users[1].rooms, (QStringList {Doc, QStringLiteral("doc-2")}));
        QCOMPARE(engine->online(Mallory).value().users.size(), 1);
    }

    void onlinePagesThroughEveryoneOnceInOrder()
    {
        QStringList everyone;
        for (int i = 0; i < 25; ++i) {
            beat(person(i), sid("s"));
            everyone << person(i).userId;
        }
        QStringList seen;
        QString cursor;
        int pages = 0;
        do {
            const OnlinePage page = engine->online(Alice, 10, cursor).value();
            for (const OnlineUser &user : page.users)
                seen << user.userId;
            cursor = page.cursor;
            ++pages;
            // Someone who leaves or comes between pages neither repeats nor hides anyone else.
            if (pages == 1)
                engine->disconnect(beat(person(24), sid("s")).sessionToken);
        } while (!cursor.isEmpty() && pages < 10);
        everyone.removeLast();
        QCOMPARE(seen, everyone);
        QCOMPARE(pages, 3);
        QCOMPARE(engine->online(Alice, 5'000).value().users.size(), 24); // clamped, not refused
    }

    void anOnlinePageStaysSmallWhateverTheRoomsHold()
    {
        Engine::Limits limits;
        limits.sessionsPerUser = 100;
        engine->setLimits(limits);
        const QString longRoom(250, QLatin1Char('r'));
        for (int i = 0; i < 20; ++i) {
            for (int r = 0; r < 100; ++r)
                beat(person(i), QStringLiteral("s%1").arg(r), longRoom + QString::number(r));
        }
        const OnlinePage page = engine->online(Alice, 1'000).value();
        QVERIFY2(page.users.size() < 20, qPrintable(QString::number(page.users.size())));
        QVERIFY(!page.cursor.isEmpty());
        QCOMPARE(page.users[0].rooms.size(), 100);
        qsizetype seen = page.users.size();
        for (QString cursor = page.cursor; !cursor.isEmpty();) {
            const OnlinePage next = engine->online(Alice, 1'000, cursor).value();
            seen += next.users.size();
            cursor = next.cursor;
        }
        QCOMPARE(seen, 20);
    }

    void onlinePagesExactlyWhateverTheUserIdsHold()
    {
        const QString odd = QStringLiteral("user_") + QChar(0xd800) + QStringLiteral("x"); // a lone surrogate
        beat(Identity {odd, Alice.organization, {}, {}, {}}, sid("s"));
        beat(Identity {QStringLiteral("user_") + QChar(0xfffd), Alice.organization, {}, {}, {}}, sid("s"));
        beat(Identity {QStringLiteral("user_zz"), Alice.organization, {}, {}, {}}, sid("s"));
        QStringList seen;
        QString cursor;
        do {
            const OnlinePage page = engine->online(Alice, 1, cursor).value();
            for (const OnlineUser &user : page.users)
                seen << user.userId;
            cursor = page.cursor;
        } while (!cursor.isEmpty() && seen.size() < 10);
        QCOMPARE(seen.size(), 3);
        QCOMPARE(QSet<QString>(seen.cbegin(), seen.cend()).size(), 3);
    }

    void onlineRefusesACursorItDidNotGive()
    {
        QCOMPARE(engine->online(Alice, 10, QStringLiteral("%%%")).error().code(), Error::InvalidArgument);
        QCOMPARE(engine->online(Alice, 10, QStringLiteral("AA")).error().code(), Error::InvalidArgument); // "\0"
        QCOMPARE(engine->online(Alice, 0).error().code(), Error::InvalidArgument);
        QCOMPARE(engine->online(Alice, 10, QString(2'000, QLatin1Char('A'))).error().code(), Error::InvalidArgument);
    }

    void whereisGivesTheRoomsAUserIsOnlineIn()
    {
        beat(Bob, sid("b1"), QStringLiteral("doc-2"));
        const auto b2 = beat(Bob, sid("b2"), Doc);
        beat(Mallory, sid("m"), QStringLiteral("doc-9"));
        QCOMPARE(engine->whereis(Alice, Bob.userId).value(), (QStringList {Doc, QStringLiteral("doc-2")}));
        engine->disconnect(b2.sessionToken);
        QCOMPARE(engine->whereis(Alice, Bob.userId).value(), QStringList {QStringLiteral("doc-2")});
        QVERIFY(engine->whereis(Alice, Mallory.userId).value().isEmpty()); // not in our organization
        QVERIFY(engine->whereis(Alice, QStringLiteral("nobody")).value().isEmpty());
        QCOMPARE(engine->whereis(Alice, QString()).error().code(), Error::InvalidArgument);
        clock->advance(Timeout); // timeouts count too
        QVERIFY(engine->whereis(Alice, Bob.userId).value().isEmpty());
        QVERIFY(engine->online(Alice).value().users.isEmpty());
    }

    void anAdminKicksEveryWindowOfAUserInARoom()
    {
        const auto a1 = beat(Alice, sid("a1"));
        const auto a2 = beat(Alice, sid("a2"));
        const auto elsewhere = beat(Alice, sid("a3"), QStringLiteral("doc-2"));
        beat(Bob, sid("b"));
        std::unique_ptr<Subscription> sub(engine->subscribe(Bob, a1.roomToken).value());
        QSignalSpy changed(sub.get(), &Subscription::changed);
        QSignalSpy kicked(engine.get(), &Engine::kicked);
        QCOMPARE(engine->kick(adminOf(Carol), Doc, Alice.userId).value(), 2);
        QVERIFY(!engine->hasSession(a1.sessionToken));
        QVERIFY(!engine->hasSession(a2.sessionToken));
        QVERIFY(engine->hasSession(elsewhere.sessionToken)); // another room: untouched
        QCOMPARE(kicked.count(), 2);
        QCOMPARE(QSet<QString>({kicked.at(0).at(0).toString(), kicked.at(1).at(0).toString()}),
            QSet<QString>({a1.sessionToken, a2.sessionToken}));
        QCOMPARE(kicked.at(0).at(1).toString(), Doc);
        QCOMPARE(changed.count(), 1); // one leave, as a disconnect
        QVERIFY(!memberNamed(members(a1.roomToken), Alice.userId).online);
        QCOMPARE(engine->kick(adminOf(Carol), Doc, Alice.userId).value(), 0); // nothing left to end
        QCOMPARE(engine->kick(adminOf(Carol), QStringLiteral("no-such-room"), Alice.userId).value(), 0);

        // A client that missed the kick comes back with its sessionId: refused, not let back in.
        QCOMPARE(engine->heartbeat(Alice, Doc, sid("a1")).error().code(), Error::PermissionDenied);
        QVERIFY(engine->heartbeat(Alice, Doc, sid("a-new"))); // rejoining is a new session
        clock->advance(60'000);
        QVERIFY(engine->heartbeat(Alice, Doc, sid("a1"))); // and the refusal does not last
    }

    void onlyAdminsAdministerAndOnlyTheirOwnOrganization()
    {
        const auto a = beat(Alice, sid("a"));
        QCOMPARE(engine->kick(Bob, Doc, Alice.userId).error().code(), Error::PermissionDenied);
        QCOMPARE(engine->removeRoom(Bob, Doc).error().code(), Error::PermissionDenied);
        // Another organization's admin names their own doc-1: ours is untouched.
        QCOMPARE(engine->kick(adminOf(Mallory), Doc, Alice.userId).value(), 0);
        QCOMPARE(engine->removeRoom(adminOf(Mallory), Doc).value(), 0);
        QVERIFY(engine->hasSession(a.sessionToken));
        QCOMPARE(engine->kick(adminOf(Bob), QString(), Alice.userId).error().code(), Error::InvalidArgument);
        QCOMPARE(engine->kick(adminOf(Bob), Doc, QString()).error().code(), Error::InvalidArgument);
    }

    void removingARoomForgetsItsMembersAndTokenWhileWatchersStay()
    {
        const auto a = beat(Alice, sid("a"));
        const auto b = beat(Bob, sid("b"));
        std::unique_ptr<Subscription> peek(engine->subscribeRoom(Carol, Doc).value());
        QSignalSpy changed(peek.get(), &Subscription::changed);
        QSignalSpy kicked(engine.get(), &Engine::kicked);
        QCOMPARE(engine->removeRoom(adminOf(Carol), Doc).value(), 2);
        QCOMPARE(kicked.count(), 2);
        QCOMPARE(changed.count(), 1);
        const MemberDiff diff = changed.at(0).at(0).value<MemberDiff>();
        QCOMPARE(QSet<QString>(diff.removed.cbegin(), diff.removed.cend()), QSet<QString>({Alice.userId, Bob.userId}));
        QVERIFY(engine->list(Alice, a.roomToken).value().isEmpty()); // the old token names nothing
        QVERIFY(!engine->hasSession(b.sessionToken));
        QVERIFY(engine->listRoom(Alice, Doc).value().isEmpty());
        // The watcher goes on: someone joining again is seen, under a new token.
        const auto again = beat(Alice, sid("a-again"));
        QVERIFY(again.roomToken != a.roomToken);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(engine->online(Alice).value().users.size(), 1);

        peek.reset();
        engine->disconnect(again.sessionToken);
        QCOMPARE(engine->removeRoom(adminOf(Carol), Doc).value(), 0);
        QCOMPARE(engine->roomCount(), 0); // nobody watches: gone entirely
    }

    void removingAUserDropsThemFromEveryRoom()
    {
        User alice;
        alice.workosId = Alice.userId;
        alice.organization = Alice.organization;
        alice.name = QStringLiteral("Alice");
        QVERIFY(engine->upsertUser(alice).value());
        const auto a = beat(Alice, sid("a"));
        beat(Alice, sid("a2"), QStringLiteral("doc-2"));
        beat(Bob, sid("b"));
        QCOMPARE(engine->removeUser(Alice.organization, Alice.userId).value(), 2);
        QCOMPARE(ids(members(a.roomToken)), QStringList {Bob.userId});
        QVERIFY(engine->listRoom(Bob, QStringLiteral("doc-2")).value().isEmpty());
        QCOMPARE(engine->userCount(), 0);
        QCOMPARE(engine->sessionCount(), 1);
        QCOMPARE(engine->rooms(Alice.organization).size(), 2);
        QCOMPARE(engine->rooms(Alice.organization).at(0).first, Doc);
        QCOMPARE(engine->rooms(Alice.organization).at(0).second, (RoomCounts {1, 1}));
        QVERIFY(engine->rooms(Mallory.organization).isEmpty());
    }

    void memberEventsTellJoinsLeavesAwayAndDataInOrder()
    {
        QSignalSpy spy(engine.get(), &Engine::memberEvents);
        beat(Alice, sid("a"));
        QCOMPARE(spy.count(), 0); // not recording: nothing
        engine->setRecordingEvents(true);
        const auto b = beat(Bob, sid("b"));
        engine->heartbeat(Bob, Doc, sid("b"), Interval, true); // away
        const auto b2 = engine->heartbeat(Bob, Doc, sid("b2"), Interval, false).value(); // a second, active window
        engine->disconnect(b2.sessionToken); // the active one goes: away again
        engine->update(Bob, b.sessionToken, QJsonObject {{QStringLiteral("status"), QStringLiteral("Lunch")}});
        engine->heartbeat(Bob, Doc, sid("b"), Interval, true); // steady, still away: nothing
        clock->advance(Timeout); // Alice and Bob time out, in one wake
        QList<MemberEvent> events;
        for (const QList<QVariant> &call : std::as_const(spy))
            events += call.at(0).value<QList<MemberEvent>>();
        QStringList seen;
        for (const MemberEvent &e : std::as_const(events)) {
            QCOMPARE(e.organization, Alice.organization);
            QCOMPARE(e.roomId, Doc);
            seen << MemberEvent::typeName(e.type) + QLatin1Char(' ') + e.userId;
        }
        QCOMPARE(seen,
            (QStringList {QStringLiteral("member.joined user_bob"), QStringLiteral("member.away user_bob"),
                QStringLiteral("member.active user_bob"), QStringLiteral("member.away user_bob"),
                QStringLiteral("member.updated user_bob"), QStringLiteral("member.left user_alice"),
                QStringLiteral("member.left user_bob")}));
        QCOMPARE(events.constLast().at, clock->now()); // as of the deadline, which is now
    }

    void countsAreTheWholeRoomsWhateverTheLimit()
    {
        const auto a = beat(Alice, sid("a"));
        beat(Bob, sid("b"));
        const auto c = beat(Carol, sid("c"));
        engine->disconnect(c.sessionToken);
        const RoomCounts counts = engine->counts(Alice, a.roomToken).value();
        QCOMPARE(counts.online, 2);
        QCOMPARE(counts.total, 3);
        QCOMPARE(engine->counts(Alice, QStringLiteral("unknown")).value().total, 0);
        QCOMPARE(engine->counts(Mallory, a.roomToken).error().code(), Error::PermissionDenied);
    }

    void aCountsSubscriptionHearsAJoinBeyondItsLimit()
    {
        const auto a = beat(Alice, sid("a"));
        std::unique_ptr<Subscription> counting(engine->subscribe(Alice, a.roomToken, 1, nullptr, true).value());
        std::unique_ptr<Subscription> plain(engine->subscribe(Alice, a.roomToken, 1).value());
        QCOMPARE(counting->counts().total, 1);
        QSignalSpy counted(counting.get(), &Subscription::changed);
        QSignalSpy notCounted(plain.get(), &Subscription::changed);
        const auto b = beat(Bob, sid("b")); // second in the list: outside a limit of 1
        QCOMPARE(notCounted.count(), 0);
        QCOMPARE(counted.count(), 1);
        MemberDiff diff = counted.at(0).at(0).value<MemberDiff>();
        QVERIFY(diff.upserted.isEmpty());
        QVERIFY(diff.counts);
        QCOMPARE(diff.counts->online, 2);
        QCOMPARE(diff.counts->total, 2);

        beat(Bob, sid("b")); // steady: no count changed
        QCOMPARE(counted.count(), 1);
        engine->disconnect(b.sessionToken);
        QCOMPARE(counted.count(), 2);
        diff = counted.at(1).at(0).value<MemberDiff>();
        QCOMPARE(diff.counts->online, 1);
        QCOMPARE(diff.counts->total, 2);
    }

    void leaveIsAnUpsertOfTheOfflineMember()
    {
        const auto a = beat(Alice, sid("a"));
        const auto b = beat(Bob, sid("b"));
        std::unique_ptr<Subscription> sub(engine->subscribe(Alice, a.roomToken).value());
        QSignalSpy spy(sub.get(), &Subscription::changed);
        clock->advance(500);
        engine->disconnect(b.sessionToken);
        QCOMPARE(spy.count(), 1);
        const auto diff = spy.at(0).at(0).value<MemberDiff>();
        QCOMPARE(diff.upserted.size(), 1);
        QCOMPARE(diff.upserted[0].userId, Bob.userId);
        QVERIFY(!diff.upserted[0].online);
        QCOMPARE(diff.upserted[0].lastDisconnected, clock->now());
    }

    void timeoutNotifiesSubscribers()
    {
        const auto a = beat(Alice, sid("a"));
        beat(Bob, sid("b"), Doc, 60'000);
        std::unique_ptr<Subscription> sub(engine->subscribe(Bob, a.roomToken).value());
        QSignalSpy spy(sub.get(), &Subscription::changed);
        clock->advance(Timeout);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).value<MemberDiff>().upserted[0].userId, Alice.userId);
    }

    void limitedViewSeesEntriesAndRemovals()
    {
        const auto a = beat(Alice, sid("a"));
        const auto b = beat(Bob, sid("b"));
        std::unique_ptr<Subscription> sub(engine->subscribe(Alice, a.roomToken, 2).value());
        QSignalSpy spy(sub.get(), &Subscription::changed);

        beat(Carol, sid("c")); // third online: outside a view of two
        QCOMPARE(spy.count(), 0);

        engine->disconnect(a.sessionToken); // Alice drops below Carol
        QCOMPARE(spy.count(), 1);
        auto diff = spy.at(0).at(0).value<MemberDiff>();
        QCOMPARE(ids(diff.upserted), QStringList({Carol.userId}));
        QCOMPARE(diff.removed, QStringList({Alice.userId}));
        QCOMPARE(ids(sub->members()), QStringList({Bob.userId, Carol.userId}));
        Q_UNUSED(b)
    }

    void profileChangeReachesSubscribers()
    {
        const auto a = beat(Alice, sid("a"));
        std::unique_ptr<Subscription> sub(engine->subscribe(Bob, a.roomToken).value());
        QSignalSpy spy(sub.get(), &Subscription::changed);
        const User renamed {Alice.userId, {}, QStringLiteral("Alice L."), {}, Alice.organization, true};
        QVERIFY(engine->upsertUser(renamed).value());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).value<MemberDiff>().upserted[0].name, QStringLiteral("Alice L."));
        QVERIFY(!engine->upsertUser(renamed).value());
        QCOMPARE(spy.count(), 1); // the same name again is no change
    }

    void deletedSubscriptionHearsNothingMore()
    {
        const auto a = beat(Alice, sid("a"));
        auto *sub = engine->subscribe(Alice, a.roomToken).value();
        delete sub;
        beat(Bob, sid("b")); // must not touch the deleted subscription
        QCOMPARE(engine->stats().notifications, 0u);
    }

    void receiverThatChangesTheRoomKeepsEveryoneInOrder()
    {
        const auto a = beat(Alice, sid("a"));
        std::unique_ptr<Subscription> first(engine->subscribe(Alice, a.roomToken).value());
        std::unique_ptr<Subscription> second(engine->subscribe(Bob, a.roomToken).value());
        // The first receiver answers Bob's arrival by making Carol join.
        connect(first.get(), &Subscription::changed, this, [this](const MemberDiff &diff) {
            if (diff.upserted.value(0).userId == Bob.userId)
                beat(Carol, sid("c"));
        });
        QSignalSpy spy(second.get(), &Subscription::changed);
        beat(Bob, sid("b"));
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.at(0).at(0).value<MemberDiff>().upserted[0].userId, Bob.userId);
        QCOMPARE(spy.at(1).at(0).value<MemberDiff>().upserted[0].userId, Carol.userId);
    }

    void receiverMayDeleteAnotherSubscription()
    {
        const auto a = beat(Alice, sid("a"));
        auto *first = engine->subscribe(Alice, a.roomToken).value();
        auto *second = engine->subscribe(Alice, a.roomToken).value();
        connect(first, &Subscription::changed, this, [&second] {
            delete second;
            second = nullptr;
        });
        QSignalSpy spy(first, &Subscription::changed);
        beat(Bob, sid("b"));
        QCOMPARE(spy.count(), 1);
        QVERIFY(!second);
        QCOMPARE(engine->stats().notifications, 1u);
        delete first;
    }

    void receiverThatEndsTheSessionBeingHeartbeatedIsSafe()
    {
        const auto a = beat(Alice, sid("a"));
        std::unique_ptr<Subscription> sub(engine->subscribe(Bob, a.roomToken).value());
        // Alice's new name reaches the receiver, which ends her session at once.
        connect(sub.get(), &Subscription::changed, this, [&](const MemberDiff &diff) {
            if (diff.upserted.value(0).name == QLatin1String("Alice"))
                engine->disconnect(a.sessionToken);
        });
        Identity named = Alice;
        named.name = QStringLiteral("Alice");
        const auto result = engine->heartbeat(named, Doc, sid("a"));
        QVERIFY(result);
        QCOMPARE(result.value().sessionToken, a.sessionToken);
        QCOMPARE(engine->sessionCount(), 0);
        QVERIFY(!members(a.roomToken)[0].online);
    }

    // Issue 12, fault injection: whatever call delivers a diff, the receiver may "close" right
    // there (delete its subscription, end every session it knows, subscribe anew) and the
    // engine stays whole.
    void aReceiverThatClosesInsideAnyCallbackIsSafe_data()
    {
        QTest::addColumn<int>("trigger");
        QTest::newRow("heartbeat") << 0;
        QTest::newRow("disconnect") << 1;
        QTest::newRow("expireWithin") << 2;
        QTest::newRow("timeout") << 3;
        QTest::newRow("upsertUser") << 4;
        QTest::newRow("importUsers") << 5;
        QTest::newRow("collectGarbage") << 6;
    }
    void aReceiverThatClosesInsideAnyCallbackIsSafe()
    {
        QFETCH(int, trigger);
        Engine::Limits limits;
        limits.offlineRetention = 1000;
        engine->setLimits(limits);
        const auto a = beat(Alice, sid("a"));
        const auto b = beat(Bob, sid("b"), Doc, Engine::MaxInterval);
        auto *sub = engine->subscribe(Bob, a.roomToken).value();
        auto *other = engine->subscribe(Carol, a.roomToken).value();
        QPointer<Subscription> watch(sub);
        if (trigger == 6) { // everyone leaves before the receiver listens
            QVERIFY(engine->disconnect(a.sessionToken));
            QVERIFY(engine->disconnect(b.sessionToken));
        }
        int calls = 0;
        std::unique_ptr<Subscription> again;
        connect(sub, &Subscription::changed, this, [&] {
            ++calls;
            engine->disconnect(b.sessionToken);
            engine->disconnect(a.sessionToken);
            delete other; // another receiver's subscription, before its turn
            delete sub; // its own
            again.reset(engine->subscribe(Bob, a.roomToken).value());
        });
        switch (trigger) {
        case 0:
            beat(Carol, sid("c"));
            break;
        case 1:
            QVERIFY(engine->disconnect(a.sessionToken));
            break;
        case 2:
            QVERIFY(engine->expireWithin(a.sessionToken, 0));
            break;
        case 3:
            clock->advance(qint64(Interval) * 5 / 2 + 1); // Alice times out
            break;
        case 4:
            QVERIFY(engine->upsertUser({Alice.userId, {}, QStringLiteral("A"), {}, Alice.organization, true}));
            break;
        case 5:
            QVERIFY(engine->importUsers(R"([{"workosId": "user_alice", "name": "A"}])", Alice.organization));
            break;
        case 6:
            clock->advance(1001); // offline longer than the retention
            QCOMPARE(engine->collectGarbage().members, 2);
            break;
        }
        QCOMPARE(calls, 1);
        QVERIFY(!watch);
        // After retention emptied the room, its last watcher leaving took it: its token names
        // nothing now. Otherwise the room lives on and can be watched again.
        QCOMPARE(bool(again), trigger != 6);
        QCOMPARE(engine->sessionCount(), trigger == 0 ? 1 : 0); // Carol's, who joined
        QVERIFY(engine->heartbeat(Alice, Doc, sid("a2"))); // and it goes on working
    }

    void operationsBeforeOpenAreRefused()
    {
        Engine unopened(clock.get());
        const auto result = unopened.heartbeat(Alice, Doc, sid("a"));
        QVERIFY(!result);
        QVERIFY(result.error().message().contains(QLatin1String("open()")));
        QVERIFY(unopened.open());
        QVERIFY(!unopened.open()); // once
        QVERIFY(unopened.heartbeat(Alice, Doc, sid("a")));
    }

    void subscribingToAnUnknownRoomIsNotFound()
    {
        const auto result = engine->subscribe(Alice, QStringLiteral("nope"));
        QVERIFY(!result);
        QCOMPARE(result.error().code(), Error::NotFound);
    }

    void aMirroredRoomIsListedAndWatchedLikeAHeldOne()
    {
        // What a node of a cluster does: another engine's truth, shown through this one.
        const QString token = QStringLiteral("tok-mirror");
        engine->mirrorRoom(Alice.organization, Doc, token,
            {{Alice.userId, true, 0, 1, false, {}}, {Bob.userId, false, 5'000, 2, false, {}}});
        QVERIFY(engine->hasRoom(Alice.organization, Doc));
        QCOMPARE(members(token).size(), 2);
        QCOMPARE(members(token).first().userId, Alice.userId);
        QCOMPARE(engine->listRoom(Carol, Doc).value().size(), 2);
        // Another organization's caller is refused, as for a held room.
        QCOMPARE(engine->list(Mallory, token).error().code(), Error::PermissionDenied);

        auto subscription = engine->subscribe(Carol, token, 1, nullptr, true);
        QVERIFY(subscription);
        std::unique_ptr<Subscription> watching(subscription.value());
        QSignalSpy changed(watching.get(), &Subscription::changed);
        QCOMPARE(engine->watcherCount(Alice.organization, Doc), 1);

        // Bob comes online after Alice: beyond the limit of 1, only the counts change.
        engine->mirrorMember(Alice.organization, Doc, {Bob.userId, true, 5'000, 3, false, {}});
        QCOMPARE(changed.size(), 1);
        MemberDiff diff = changed.takeFirst().first().value<MemberDiff>();
        QVERIFY(diff.upserted.isEmpty());
        QCOMPARE(diff.counts->online, 2);

        // Alice goes away and sets a status: one upsert.
        const QJsonObject status {{QStringLiteral("status"), QStringLiteral("Reviewing")}};
        engine->mirrorMember(Alice.organization, Doc, {Alice.userId, true, 0, 1, true, status});
        QCOMPARE(changed.size(), 1);
        diff = changed.takeFirst().first().value<MemberDiff>();
        QCOMPARE(diff.upserted.size(), 1);
        QVERIFY(diff.upserted.first().away);
        QCOMPARE(diff.upserted.first().data, status);

        // The same state again changes nothing anyone sees.
        engine->mirrorMember(Alice.organization, Doc, {Alice.userId, true, 0, 1, true, status});
        QCOMPARE(changed.size(), 0);

        // A snapshot without Alice (she left and was forgotten): she goes, Bob comes into view.
        engine->mirrorRoom(Alice.organization, Doc, token, {{Bob.userId, true, 5'000, 3, false, {}}});
        QCOMPARE(changed.size(), 1);
        diff = changed.takeFirst().first().value<MemberDiff>();
        QCOMPARE(diff.removed, QStringList {Alice.userId});
        QCOMPARE(diff.upserted.first().userId, Bob.userId);

        // Watched, it stays; unwatched, it can go.
        QVERIFY(!engine->forgetMirroredRoom(Alice.organization, Doc));
        watching.reset();
        QVERIFY(engine->forgetMirroredRoom(Alice.organization, Doc));
        QVERIFY(!engine->hasRoom(Alice.organization, Doc));
        QCOMPARE(members(token).size(), 0);
    }

    void aMirroredRoomTakesANewTokenWhenItsTruthHasOne()
    {
        engine->mirrorRoom(Alice.organization, Doc, QStringLiteral("old"), {{Alice.userId, true, 0, 1, false, {}}});
        engine->mirrorRoom(Alice.organization, Doc, QStringLiteral("new"), {{Alice.userId, true, 0, 1, false, {}}});
        QCOMPARE(members(QStringLiteral("old")).size(), 0);
        QCOMPARE(members(QStringLiteral("new")).size(), 1);
    }
};

QTEST_GUILESS_MAIN(EngineTest)
#include "tst_engine.moc"
