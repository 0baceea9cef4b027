// A cluster's users table in the test's own redis-server: rows, imports, and nodes picking them up.
#include "engine.h"
#include "redisbackend.h"
#include "redisprocess.h"
#include "redisusers.h"
#include "subscription.h"
#include "systemclock.h"

#include <QTest>

using namespace Presence;

class TestRedisUsers : public QObject
{
    Q_OBJECT

    RedisProcess redis;
    SystemClock clock;

    RedisAddress address() const { return RedisAddress::parse(redis.url()).value(); }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(redis.start(), redis.errors().constData()); }
    void init() { redis.cli({QStringLiteral("FLUSHALL")}); }

    void aRowComesBackAsItWasWritten()
    {
        const User ada {QStringLiteral("user_ada"), QStringLiteral("ada@example.com"),
            QStringLiteral("Ada \"A\" Lovelace"), QStringLiteral("https://example.com/ada.png"),
            QStringLiteral("org_a"), true};
        QCOMPARE(RedisUsers::field(ada), QByteArray("user_ada"));
        QCOMPARE(RedisUsers::decode(ada.organization, RedisUsers::encode(ada)), std::optional<User>(ada));
        const User byEmail {
            {}, QStringLiteral("Grace@Example.com"), QStringLiteral("Grace"), {}, QStringLiteral("org_a"), true};
        QCOMPARE(RedisUsers::field(byEmail), QByteArray("@grace@example.com"));
        QCOMPARE(RedisUsers::decode(byEmail.organization, RedisUsers::encode(byEmail)), std::optional<User>(byEmail));
        // Not a row: neither a workosId nor an email, or not JSON.
        QVERIFY(!RedisUsers::decode(QStringLiteral("org_a"), "{\"n\":\"nobody\"}"));
        QVERIFY(!RedisUsers::decode(QStringLiteral("org_a"), "not json"));
    }

    void anImportMergesIntoTheTableAndCountsWhatChanged()
    {
        const QString org = QStringLiteral("org_a");
        const User ada {
            QStringLiteral("user_ada"), {}, QStringLiteral("Ada"), QStringLiteral("https://a/1.png"), org, true};
        QCOMPARE(RedisUsers::import(address(), org, {ada}).value(), 1);
        QCOMPARE(RedisUsers::import(address(), org, {ada}).value(), 0); // nothing new
        // Fields left empty are kept.
        const User renamed {QStringLiteral("user_ada"), {}, QStringLiteral("Ada Lovelace"), {}, org, true};
        QCOMPARE(RedisUsers::import(address(), org, {renamed}).value(), 1);
        const QByteArray key
            = "p:{p" + QCryptographicHash::hash(org.toUtf8(), QCryptographicHash::Sha256).toHex().left(1) + "}:u:org_a";
        const std::optional<User> stored = RedisUsers::decode(
            org, redis.cli({QStringLiteral("HGET"), QString::fromLatin1(key), QStringLiteral("user_ada")}));
        QVERIFY(stored);
        QCOMPARE(stored->name, QStringLiteral("Ada Lovelace"));
        QCOMPARE(stored->image, QStringLiteral("https://a/1.png"));
        // Another organization's table is another key.
        QCOMPARE(RedisUsers::import(address(), QStringLiteral("org_b"), {ada}).value(), 1);
    }

    void aRedisOutOfReachIsAClearError()
    {
        const Result<int> r = RedisUsers::import(
            RedisAddress::parse(QStringLiteral("redis://127.0.0.1:1")).value(), QStringLiteral("org_a"), {}, 500);
        QVERIFY(!r);
        QCOMPARE(r.error().code(), Error::Unavailable);
        QVERIFY(r.error().message().contains(QLatin1String("cannot be reached")));
    }

    void nodesShowImportedNamesAndPickUpLaterImports()
    {
        RedisBackend::Options options;
        options.address = address();
        RedisBackend node(options, &clock);
        node.open();
        QTRY_VERIFY(node.isReady());
        const Identity grace {QStringLiteral("user_grace"), QStringLiteral("org_a"), {}, {}, {}};
        QCOMPARE(RedisUsers::import(address(), grace.organization,
                     {User {grace.userId, {}, QStringLiteral("Grace Hopper"), {}, grace.organization, true}})
                     .value(),
            1);
        std::optional<Result<HeartbeatResult>> joined;
        node.heartbeat(grace, QStringLiteral("doc"), QStringLiteral("s1"), 10'000, false, this,
            [&](const Result<HeartbeatResult> &r) { joined = r; });
        QTRY_VERIFY(joined);
        std::optional<Result<Subscription *>> watched;
        node.subscribe(grace, QStringLiteral("doc"), true, Engine::DefaultLimit, false, this,
            [&](const Result<Subscription *> &r) { watched = r; });
        QTRY_VERIFY(watched);
        std::unique_ptr<Subscription> watching(watched->value());
        // Shown with the table's name from the first answer on.
        QCOMPARE(watching->members().at(0).name, QStringLiteral("Grace Hopper"));
        // A later import reaches the watcher without anyone asking.
        QCOMPARE(RedisUsers::import(address(), grace.organization,
                     {User {grace.userId, {}, QStringLiteral("Rear Admiral Hopper"), {}, grace.organization, true}})
                     .value(),
            1);
        QTRY_COMPARE(watching->members().at(0).name, QStringLiteral("Rear Admiral Hopper"));
    }
};

QTEST_GUILESS_MAIN(TestRedisUsers)
#include "tst_redisusers.moc"
