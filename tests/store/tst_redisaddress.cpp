#include "redisaddress.h"

#include <QTest>

using namespace Presence;

class TestRedisAddress : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aTcpUrlGivesHostPortAndDatabase()
    {
        const Result<RedisAddress> address = RedisAddress::parse(QStringLiteral("redis://redis.internal:6380/2"));
        QVERIFY2(address, qPrintable(address.error().message()));
        QCOMPARE(address.value().kind, RedisAddress::Tcp);
        QCOMPARE(address.value().host, QStringLiteral("redis.internal"));
        QCOMPARE(address.value().port, quint16(6380));
        QCOMPARE(address.value().database, 2);
        QVERIFY(address.value().password.isEmpty());
    }

    void theDefaultsArePort6379AndDatabase0()
    {
        const Result<RedisAddress> address = RedisAddress::parse(QStringLiteral("redis://127.0.0.1"));
        QVERIFY(address);
        QCOMPARE(address.value().port, quint16(6379));
        QCOMPARE(address.value().database, 0);
    }

    void aPasswordAndAUserAreTakenAndNeverDisplayed()
    {
        const Result<RedisAddress> address
            = RedisAddress::parse(QStringLiteral("rediss://presence:s%40cret@redis.internal/1?ca=/etc/ca.pem"));
        QVERIFY2(address, qPrintable(address.error().message()));
        QCOMPARE(address.value().kind, RedisAddress::Tls);
        QCOMPARE(address.value().user, QStringLiteral("presence"));
        QCOMPARE(address.value().password, QStringLiteral("s@cret"));
        QCOMPARE(address.value().caFile, QStringLiteral("/etc/ca.pem"));
        QVERIFY(!address.value().display().contains(QStringLiteral("cret")));
        QCOMPARE(address.value().display(), QStringLiteral("rediss://presence:***@redis.internal:6379/1"));
    }

    void aUnixSocketUrlGivesItsPathAndDatabase()
    {
        const Result<RedisAddress> address = RedisAddress::parse(QStringLiteral("unix:///run/redis/redis.sock?db=3"));
        QVERIFY2(address, qPrintable(address.error().message()));
        QCOMPARE(address.value().kind, RedisAddress::Unix);
        QCOMPARE(address.value().path, QStringLiteral("/run/redis/redis.sock"));
        QCOMPARE(address.value().database, 3);
    }

    void badUrlsAreRefusedWithAReason_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("reason");
        QTest::newRow("no scheme") << QStringLiteral("127.0.0.1:6379") << QStringLiteral("redis URL");
        QTest::newRow("http") << QStringLiteral("http://127.0.0.1") << QStringLiteral("scheme");
        QTest::newRow("no host") << QStringLiteral("redis:///0") << QStringLiteral("no host");
        QTest::newRow("database not a number") << QStringLiteral("redis://h/x") << QStringLiteral("database");
        QTest::newRow("database too big") << QStringLiteral("redis://h/16") << QStringLiteral("database");
        QTest::newRow("negative database") << QStringLiteral("redis://h/-1") << QStringLiteral("database");
        QTest::newRow("relative socket") << QStringLiteral("unix:relative.sock") << QStringLiteral("absolute");
        QTest::newRow("socket with a host") << QStringLiteral("unix://host/x.sock") << QStringLiteral("absolute");
        QTest::newRow("unknown parameter") << QStringLiteral("unix:///x.sock?timeout=1") << QStringLiteral("unknown");
        QTest::newRow("ca without TLS") << QStringLiteral("redis://h?ca=/x") << QStringLiteral("unknown");
        QTest::newRow("user without password") << QStringLiteral("redis://u@h") << QStringLiteral("password");
        QTest::newRow("port out of range") << QStringLiteral("redis://h:70000") << QStringLiteral("redis URL");
    }
    void badUrlsAreRefusedWithAReason()
    {
        QFETCH(QString, url);
        QFETCH(QString, reason);
        const Result<RedisAddress> address = RedisAddress::parse(url);
        QVERIFY(!address);
        QCOMPARE(address.error().code(), Error::InvalidArgument);
        QVERIFY2(address.error().message().contains(reason), qPrintable(address.error().message()));
    }
};

QTEST_GUILESS_MAIN(TestRedisAddress)
#include "tst_redisaddress.moc"
