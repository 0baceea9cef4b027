#include "redisconnection.h"
#include "redisprocess.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Presence;

namespace {
RedisAddress addressOf(const QString &url)
{
    const Result<RedisAddress> address = RedisAddress::parse(url);
    if (!address)
        qFatal("%s", qPrintable(address.error().message()));
    return address.value();
}

// Sends one command and waits for its reply.
RedisReply call(RedisConnection &connection, const QList<QByteArray> &arguments, int timeoutMs = 5000)
{
    std::optional<RedisReply> reply;
    connection.command(arguments, &connection, [&](const RedisReply &r) { reply = r; });
    (void)QTest::qWaitFor([&] { return reply.has_value(); }, timeoutMs);
    return reply.value_or(RedisReply {RedisReply::Error, "the test timed out", 0, {}});
}

bool waitReady(RedisConnection &connection)
{
    return QTest::qWaitFor([&] { return connection.isReady(); }, 10'000);
}
} // namespace

class TestRedisConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_redis.start(), m_redis.errors().constData()); }

    void commandsAreAnsweredInOrder()
    {
        RedisConnection connection(addressOf(m_redis.url()));
        connection.open();
        QVERIFY(waitReady(connection));
        QList<qint64> seen;
        for (int i = 0; i < 1000; ++i)
            connection.command({"INCR", "order"}, this, [&](const RedisReply &r) { seen.append(r.integer); });
        QTRY_COMPARE(seen.size(), 1000);
        for (int i = 1; i < seen.size(); ++i)
            QCOMPARE(seen.at(i), seen.at(i - 1) + 1);
        QCOMPARE(connection.stats().commands, quint64(1000));
    }

    void repliesOfEveryKindArrive()
    {
        RedisConnection connection(addressOf(m_redis.url()));
        connection.open();
        QVERIFY(waitReady(connection));
        QCOMPARE(call(connection, {"SET", "k", QByteArray("binary\0value", 12)}).type, RedisReply::Status);
        const RedisReply value = call(connection, {"GET", "k"});
        QCOMPARE(value.type, RedisReply::String);
        QCOMPARE(value.string, QByteArray("binary\0value", 12));
        QCOMPARE(call(connection, {"GET", "nothing-here"}).type, RedisReply::Nil);
        QCOMPARE(call(connection, {"RPUSH", "list", "a", "b"}).integer, 2);
        const RedisReply list = call(connection, {"LRANGE", "list", "0", "-1"});
        QCOMPARE(list.type, RedisReply::Array);
        QCOMPARE(list.elements.size(), 2);
        QCOMPARE(list.elements.at(1).string, QByteArray("b"));
    }

    void anErrorOfRedisComesBackAsAnError()
    {
        RedisConnection connection(addressOf(m_redis.url()));
        connection.open();
        QVERIFY(waitReady(connection));
        call(connection, {"SET", "text", "abc"});
        const RedisReply reply = call(connection, {"INCR", "text"});
        QCOMPARE(reply.type, RedisReply::Error);
        QVERIFY(reply.string.contains("not an integer"));
        QVERIFY(!reply.isUnavailable());
        // The connection goes on.
        QCOMPARE(call(connection, {"PING"}).string, QByteArray("PONG"));
    }

    void aUnixSocketAndADatabaseAreUsed()
    {
        RedisConnection connection(addressOf(m_redis.unixUrl() + QStringLiteral("?db=3")));
        connection.open();
        QVERIFY(waitReady(connection));
        call(connection, {"SET", "where", "db3"});
        QCOMPARE(
            m_redis.cli({QStringLiteral("-n"), QStringLiteral("3"), QStringLiteral("GET"), QStringLiteral("where")}),
            QByteArray("db3"));
        QCOMPARE(m_redis.cli({QStringLiteral("GET"), QStringLiteral("where")}), QByteArray());
    }

    void commandsFailAsUnavailableWhenNotConnected()
    {
        RedisConnection connection(addressOf(m_redis.url()));
        // Not opened: nothing waits for a connection that may never come.
        const RedisReply reply = call(connection, {"PING"});
        QVERIFY(reply.isUnavailable());
        QVERIFY(reply.string.contains("not connected"));
        QCOMPARE(connection.stats().unavailable, quint64(1));
    }

    void aCallbackDoesNotRunOnceItsContextIsGone()
    {
        RedisConnection connection(addressOf(m_redis.url()));
        connection.open();
        QVERIFY(waitReady(connection));
        bool ran = false;
        auto *context = new QObject;
        connection.command({"PING"}, context, [&](const RedisReply &) { ran = true; });
        delete context;
        QCOMPARE(call(connection, {"PING"}).string, QByteArray("PONG")); // after the first one
        QVERIFY(!ran);
    }

    void aPasswordIsSentAndAWrongOneIsRefused()
    {
        RedisProcess secured;
        QVERIFY2(secured.start({QStringLiteral("--requirepass"), QStringLiteral("s3cret")}), secured.errors());
        RedisConnection right(addressOf(QStringLiteral("redis://:s3cret@127.0.0.1:%1").arg(secured.port())));
        right.open();
        QVERIFY(waitReady(right));
        QCOMPARE(call(right, {"PING"}).string, QByteArray("PONG"));

        RedisConnection wrong(addressOf(QStringLiteral("redis://:nope@127.0.0.1:%1").arg(secured.port())));
        QSignalSpy lost(&wrong, &RedisConnection::lost);
        wrong.open();
        QVERIFY(lost.wait(5000));
        QVERIFY2(lost.first().first().toString().contains(QStringLiteral("AUTH refused")),
            qPrintable(lost.first().first().toString()));
    }

    void aRefusedPasswordBacksOffRatherThanRetryingAtOnce()
    {
        RedisProcess secured;
        QVERIFY2(secured.start({QStringLiteral("--requirepass"), QStringLiteral("s3cret")}), secured.errors());
        RedisConnection wrong(addressOf(QStringLiteral("redis://:nope@127.0.0.1:%1").arg(secured.port())));
        QSignalSpy lost(&wrong, &RedisConnection::lost);
        wrong.open();
        QTest::qWait(1500);
        // 50, 100, 200, 400, 800 ms: a handful of tries, not one every 50 ms.
        QVERIFY2(lost.size() >= 2 && lost.size() <= 6, qPrintable(QString::number(lost.size())));
    }

    void aQuietSubscriberPingsSoThatADeadConnectionIsNoticed()
    {
        RedisConnection subscriber(addressOf(m_redis.url()));
        subscriber.setTimeout(20);
        subscriber.subscribe("quiet");
        subscriber.open();
        QVERIFY(waitReady(subscriber));
        const quint64 before = subscriber.stats().commands;
        QTRY_VERIFY(subscriber.stats().commands > before); // a PING, answered
        QTest::qWait(300);
        QVERIFY(subscriber.isReady());
        QCOMPARE(subscriber.stats().timeouts, quint64(0));
    }

    void afterRedisRestartsTheConnectionComesBack()
    {
        RedisProcess own;
        QVERIFY2(own.start(), own.errors());
        RedisConnection connection(addressOf(own.url()));
        QSignalSpy lost(&connection, &RedisConnection::lost);
        connection.open();
        QVERIFY(waitReady(connection));
        own.kill();
        QVERIFY(lost.wait(5000));
        QVERIFY(!connection.isReady());
        QVERIFY(call(connection, {"PING"}).isUnavailable());
        QVERIFY(own.restart());
        QVERIFY(waitReady(connection));
        QCOMPARE(call(connection, {"PING"}).string, QByteArray("PONG"));
        QVERIFY(connection.stats().connects >= 2);
    }

    void aRedisThatHangsFailsCommandsAfterTheTimeoutNotLater()
    {
        RedisProcess own;
        QVERIFY2(own.start(), own.errors());
        RedisConnection connection(addressOf(own.url()));
        connection.setTimeout(300);
        connection.open();
        QVERIFY(waitReady(connection));
        own.pause();
        const RedisReply reply = call(connection, {"PING"}, 5000);
        own.resume();
        QVERIFY2(reply.isUnavailable(), reply.string.constData());
        QVERIFY(reply.string.contains("unanswered"));
        QCOMPARE(connection.stats().timeouts, quint64(1));
        QVERIFY(waitReady(connection));
        QCOMPARE(call(connection, {"PING"}).string, QByteArray("PONG"));
    }

    void aSubscriberGetsMessagesAndSubscribesAgainAfterAReconnect()
    {
        RedisProcess own;
        QVERIFY2(own.start(), own.errors());
        RedisConnection subscriber(addressOf(own.unixUrl()));
        RedisConnection publisher(addressOf(own.url()));
        QSignalSpy messages(&subscriber, &RedisConnection::message);
        subscriber.subscribe("room-a");
        subscriber.subscribe("room-b");
        subscriber.open();
        publisher.open();
        QVERIFY(waitReady(subscriber));
        QVERIFY(waitReady(publisher));
        // Until Redis counts both subscriptions, a publish may precede them.
        QTRY_COMPARE(call(publisher, {"PUBSUB", "SHARDNUMSUB", "room-b"}).elements.value(1).integer, 1);
        call(publisher, {"SPUBLISH", "room-a", "one"});
        call(publisher, {"SPUBLISH", "room-c", "not for us"});
        call(publisher, {"SPUBLISH", "room-b", "two"});
        QTRY_COMPARE(messages.size(), 2);
        QCOMPARE(messages.at(0).at(0).toByteArray(), QByteArray("room-a"));
        QCOMPARE(messages.at(0).at(1).toByteArray(), QByteArray("one"));
        QCOMPARE(messages.at(1).at(1).toByteArray(), QByteArray("two"));

        subscriber.unsubscribe("room-a");
        QTRY_COMPARE(call(publisher, {"PUBSUB", "SHARDNUMSUB", "room-a"}).elements.value(1).integer, 0);

        QSignalSpy ready(&subscriber, &RedisConnection::ready);
        QVERIFY(own.restart());
        QVERIFY(ready.wait(10'000));
        QVERIFY(waitReady(publisher));
        QTRY_COMPARE(call(publisher, {"PUBSUB", "SHARDNUMSUB", "room-b"}).elements.value(1).integer, 1);
        QCOMPARE(call(publisher, {"PUBSUB", "SHARDNUMSUB", "room-a"}).elements.value(1).integer, 0);
        call(publisher, {"SPUBLISH", "room-b", "three"});
        QTRY_COMPARE(messages.size(), 3);
        QCOMPARE(messages.at(2).at(1).toByteArray(), QByteArray("three"));
    }

    void rediss_isTlsCheckedAgainstTheGivenCa()
    {
        RedisProcess own;
        QTemporaryDir keys;
        const QString cert = keys.filePath(QStringLiteral("cert.pem"));
        const QString key = keys.filePath(QStringLiteral("key.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
            {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                QStringLiteral("-nodes"), QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert,
                QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1")});
        QVERIFY(openssl.waitForFinished(30'000));
        QCOMPARE(openssl.exitCode(), 0);
        // TLS on the test's port, plain TCP off.
        QVERIFY2(
            own.start({QStringLiteral("--tls-port"), QStringLiteral("0"), QStringLiteral("--tls-cert-file"), cert,
                QStringLiteral("--tls-key-file"), key, QStringLiteral("--tls-auth-clients"), QStringLiteral("no")}),
            own.errors());
        // The port of start() carries plain TCP; TLS needs one of its own, set at runtime.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 tlsPort = probe.serverPort();
        probe.close();
        QCOMPARE(own.cli({QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("tls-port"),
                     QString::number(tlsPort)}),
            QByteArray("OK"));

        RedisConnection trusted(addressOf(QStringLiteral("rediss://127.0.0.1:%1?ca=%2").arg(tlsPort).arg(cert)));
        trusted.open();
        QVERIFY(waitReady(trusted));
        QCOMPARE(call(trusted, {"PING"}).string, QByteArray("PONG"));

        // Without the CA, the certificate is not trusted.
        RedisConnection untrusted(addressOf(QStringLiteral("rediss://127.0.0.1:%1").arg(tlsPort)));
        QSignalSpy lost(&untrusted, &RedisConnection::lost);
        untrusted.open();
        QVERIFY(lost.wait(5000));
        QVERIFY2(lost.first().first().toString().contains(QStringLiteral("TLS")),
            qPrintable(lost.first().first().toString()));
        QVERIFY(!untrusted.isReady());
    }

private:
    RedisProcess m_redis;
};

QTEST_GUILESS_MAIN(TestRedisConnection)
#include "tst_redisconnection.moc"
