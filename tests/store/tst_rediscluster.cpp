// RedisCluster against real Redis: one redis-server, and a Redis Cluster of three primaries and
// a replica (tests/common/redisclusterprocess.h) that is resharded and failed over.
#include "rediscluster.h"
#include "redisclusterprocess.h"

#include <QSignalSpy>
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

RedisReply call(RedisCluster &redis, const QList<QByteArray> &arguments, int timeoutMs = 5000)
{
    std::optional<RedisReply> reply;
    redis.command(arguments, &redis, [&](const RedisReply &r) { reply = r; });
    (void)QTest::qWaitFor([&] { return reply.has_value(); }, timeoutMs);
    return reply.value_or(RedisReply {RedisReply::Error, "the test timed out", 0, {}});
}

bool waitReady(RedisCluster &redis)
{
    return QTest::qWaitFor([&] { return redis.isReady(); }, 15'000);
}

// A key of each of the 16 partitions the presence state uses.
QByteArray keyOf(int partition, const QByteArray &name)
{
    return "p:{p" + QByteArray(1, "0123456789abcdef"[partition]) + "}:" + name;
}
} // namespace

class TestRedisCluster : public QObject
{
    Q_OBJECT
private:
    RedisClusterProcess m_cluster; // three primaries; node 3 is node 0's replica

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_cluster.start(3, 1), m_cluster.errors().constData()); }

    void slotOfIsRedisClustersCrc16OfTheHashTag()
    {
        QCOMPARE(RedisCluster::slotOf("123456789"), quint16(0x31C3)); // the spec's check value
        QCOMPARE(RedisCluster::slotOf("{user1000}.following"), RedisCluster::slotOf("{user1000}.followers"));
        QCOMPARE(RedisCluster::slotOf("foo{}{bar}"), quint16(RedisCluster::slotOf("foo{}{bar}")));
        QCOMPARE(RedisCluster::slotOf("foo{{bar}}zap"), RedisCluster::slotOf("{bar"));
        QCOMPARE(RedisCluster::slotOf("foo{bar}{zap}"), RedisCluster::slotOf("bar"));
        // Every partition's slot, as Redis computes it.
        for (int p = 0; p < 16; ++p) {
            const QByteArray key = keyOf(p, "x");
            QCOMPARE(QByteArray::number(RedisCluster::slotOf(key)),
                m_cluster.node(0).cli(
                    {QStringLiteral("CLUSTER"), QStringLiteral("KEYSLOT"), QString::fromLatin1(key)}));
        }
    }

    void clusterSlotsIsReadRangeByRangeAndNonsenseIsLeftOut()
    {
        const auto integer = [](qint64 n) { return RedisReply {RedisReply::Integer, {}, n, {}}; };
        const auto string = [](const QByteArray &s) { return RedisReply {RedisReply::String, s, 0, {}}; };
        const auto array = [](const QList<RedisReply> &elements) {
            return RedisReply {RedisReply::Array, {}, 0, elements};
        };
        const auto node = [&](const QByteArray &host, qint64 port) {
            return array({string(host), integer(port), string("id")});
        };
        const RedisReply reply = array({
            array({integer(0), integer(5460), node("10.0.0.1", 7000), node("10.0.0.4", 7003)}),
            array({integer(5461), integer(10922), node("?", 7001)}), // the answering node
            array({string("10923"), string("16383"), node("", 7002)}), // numbers as strings
            array({integer(16383), integer(16384), node("10.0.0.9", 7009)}), // beyond the last slot
            array({integer(9), integer(3), node("10.0.0.9", 7009)}), // backwards
            array({integer(0), integer(1), node("10.0.0.9", 70000)}), // no such port
            array({integer(0), integer(1), string("10.0.0.9")}), // no node
            array({integer(0)}),
            string("junk"),
        });
        const QList<RedisCluster::SlotRange> ranges = RedisCluster::slotRanges(reply);
        QCOMPARE(ranges.size(), 3);
        QCOMPARE(ranges[0].first, 0);
        QCOMPARE(ranges[0].last, 5460);
        QCOMPARE(ranges[0].host, QStringLiteral("10.0.0.1"));
        QCOMPARE(ranges[0].port, 7000);
        QVERIFY(ranges[1].host.isEmpty());
        QCOMPARE(ranges[2].first, 10923);
        QCOMPARE(ranges[2].last, 16383);
        QVERIFY(RedisCluster::slotRanges(string("ERR")).isEmpty());
    }

    void movedAndAskAreReadAndAnythingElseIsNoRedirection()
    {
        const auto moved = RedisCluster::redirection("MOVED 3999 127.0.0.1:6381");
        QVERIFY(moved);
        QVERIFY(!moved->ask);
        QCOMPARE(moved->slot, 3999);
        QCOMPARE(moved->host, QStringLiteral("127.0.0.1"));
        QCOMPARE(moved->port, 6381);
        const auto ask = RedisCluster::redirection("ASK 16383 ::1:7000");
        QVERIFY(ask);
        QVERIFY(ask->ask);
        QCOMPARE(ask->host, QStringLiteral("::1"));
        for (const QByteArray &error : {"MOVED 16384 127.0.0.1:6381"_qba, "MOVED -1 127.0.0.1:6381"_qba,
                 "MOVED 1 127.0.0.1"_qba, "MOVED 1 127.0.0.1:0"_qba, "MOVED 1 127.0.0.1:65536"_qba, "MOVED 1 :6381"_qba,
                 "MOVED x 127.0.0.1:6381"_qba, "MOVED 1"_qba, "MOVED 1 127.0.0.1:6381 extra"_qba,
                 "ERR MOVED 1 127.0.0.1:6381"_qba, ""_qba}) {
            QVERIFY2(!RedisCluster::redirection(error), error.constData());
        }
    }

    void oneRedisServerIsOneShardThatOwnsEverySlot()
    {
        RedisProcess single;
        QVERIFY2(single.start(), single.errors().constData());
        RedisCluster redis(addressOf(single.unixUrl()));
        QSignalSpy messages(&redis, &RedisCluster::message);
        QSignalSpy subscribed(&redis, &RedisCluster::subscribed);
        redis.subscribe(keyOf(3, "e:room"));
        redis.open();
        QVERIFY(waitReady(redis));
        QVERIFY(!redis.isCluster());
        QCOMPARE(redis.stats().shards, 1);
        for (int p = 0; p < 16; ++p)
            QCOMPARE(call(redis, {"SET", keyOf(p, "x"), "1"}).string, QByteArray("OK"));
        QCOMPARE(single.cli({QStringLiteral("DBSIZE")}), QByteArray("16"));
        QTRY_COMPARE(subscribed.size(), 1);
        call(redis, {"SPUBLISH", keyOf(3, "e:room"), "hello"});
        QTRY_COMPARE(messages.size(), 1);
        QCOMPARE(messages.at(0).at(1).toByteArray(), QByteArray("hello"));
    }

    void commandsGoToTheShardThatOwnsTheirKeysSlot()
    {
        m_cluster.flushAll();
        RedisCluster redis(addressOf(m_cluster.node(1).url())); // any node leads to all
        redis.open();
        QVERIFY(waitReady(redis));
        QVERIFY(redis.isCluster());
        QCOMPARE(redis.stats().shards, 3);
        QSet<int> owners;
        for (int p = 0; p < 16; ++p)
            QCOMPARE(call(redis, {"SET", keyOf(p, "x"), QByteArray::number(p)}).string, QByteArray("OK"));
        for (int p = 0; p < 16; ++p) {
            const int owner = m_cluster.ownerOf(RedisCluster::slotOf(keyOf(p, "x")));
            QVERIFY(owner >= 0);
            owners.insert(owner);
            QCOMPARE(m_cluster.node(owner).cli({QStringLiteral("GET"), QString::fromLatin1(keyOf(p, "x"))}),
                QByteArray::number(p));
            QCOMPARE(call(redis, {"GET", keyOf(p, "x")}).string, QByteArray::number(p));
        }
        QCOMPARE(owners.size(), 3); // the partitions are spread over every primary
        QCOMPARE(redis.stats().redirections, quint64(0)); // each went straight to its shard
    }

    void setupRunsOnEveryPrimarySoFunctionsServeEveryPartition()
    {
        m_cluster.flushAll();
        RedisCluster redis(addressOf(m_cluster.url()));
        redis.addSetup({"FUNCTION", "LOAD", "REPLACE",
                           "#!lua name=clustertest\n"
                           "redis.register_function('clustertest_twice', function(keys, args)\n"
                           "  redis.call('SET', keys[1], args[1] .. args[1])\n"
                           "  return redis.call('GET', keys[1])\n"
                           "end)"},
            {});
        redis.open();
        QVERIFY(waitReady(redis));
        for (int p = 0; p < 16; ++p) {
            const RedisReply reply = call(redis, {"FCALL", "clustertest_twice", "1", keyOf(p, "f"), "ab"});
            QCOMPARE(reply.string, QByteArray("abab"));
        }
    }

    void shardChannelsAreHeardFromEveryShard()
    {
        RedisCluster redis(addressOf(m_cluster.url()));
        QSignalSpy messages(&redis, &RedisCluster::message);
        QSignalSpy subscribed(&redis, &RedisCluster::subscribed);
        for (int p = 0; p < 16; ++p)
            redis.subscribe(keyOf(p, "e:room"));
        redis.open();
        QVERIFY(waitReady(redis));
        QTRY_COMPARE(subscribed.size(), 16);
        for (int p = 0; p < 16; ++p)
            QCOMPARE(call(redis, {"SPUBLISH", keyOf(p, "e:room"), QByteArray::number(p)}).integer, 1);
        QTRY_COMPARE(messages.size(), 16);
        redis.unsubscribe(keyOf(0, "e:room"));
        QTRY_COMPARE(call(redis, {"SPUBLISH", keyOf(0, "e:room"), "gone"}).integer, 0);
    }

    void aSlotMovedToAnotherShardIsFollowedByCommandsAndChannels()
    {
        m_cluster.flushAll();
        const QByteArray key = keyOf(5, "moving");
        const QByteArray channel = keyOf(5, "e:moving");
        const int slot = RedisCluster::slotOf(key);
        RedisCluster redis(addressOf(m_cluster.url()));
        QSignalSpy messages(&redis, &RedisCluster::message);
        QSignalSpy subscribed(&redis, &RedisCluster::subscribed);
        QSignalSpy lost(&redis, &RedisCluster::channelsLost);
        redis.subscribe(channel);
        redis.open();
        QVERIFY(waitReady(redis));
        QTRY_COMPARE(subscribed.size(), 1);
        QCOMPARE(call(redis, {"SET", key, "kept"}).string, QByteArray("OK"));

        const int from = m_cluster.ownerOf(slot);
        const int to = from == 1 ? 2 : 1;
        QVERIFY2(m_cluster.moveSlot(slot, to), m_cluster.errors().constData());
        QCOMPARE(m_cluster.ownerOf(slot), to);

        // The old owner answers MOVED: the command follows it, and the next ones go straight.
        QCOMPARE(call(redis, {"GET", key}).string, QByteArray("kept"));
        QVERIFY(redis.stats().redirections >= 1);
        const quint64 redirections = redis.stats().redirections;
        QCOMPARE(call(redis, {"SET", key, "again"}).string, QByteArray("OK"));
        QCOMPARE(redis.stats().redirections, redirections);
        QCOMPARE(m_cluster.node(to).cli({QStringLiteral("GET"), QString::fromLatin1(key)}), QByteArray("again"));

        // The channel went with the slot: told lost, then subscribed on the new owner.
        QTRY_VERIFY(!lost.isEmpty());
        QVERIFY(lost.first().first().value<QList<QByteArray>>().contains(channel));
        QTRY_COMPARE(subscribed.size(), 2);
        QCOMPARE(call(redis, {"SPUBLISH", channel, "heard"}).integer, 1);
        QTRY_COMPARE(messages.size(), 1);
        QCOMPARE(messages.at(0).at(1).toByteArray(), QByteArray("heard"));
    }

    // Last: it changes which node is a primary.
    void aFailoverToTheReplicaIsFollowed()
    {
        m_cluster.flushAll();
        int partition = 0;
        while (m_cluster.ownerOf(RedisCluster::slotOf(keyOf(partition, "x"))) != 0)
            ++partition;
        const QByteArray key = keyOf(partition, "failover");
        RedisCluster redis(addressOf(m_cluster.url()));
        redis.open();
        QVERIFY(waitReady(redis));
        QCOMPARE(call(redis, {"SET", key, "before"}).string, QByteArray("OK"));
        // The replica has it (node 0 is the seed); it may still be syncing for the first time.
        QTRY_COMPARE(call(redis, {"WAIT", "1", "500"}).integer, 1);
        redis.setTimeout(500); // a dead primary is noticed soon

        // A planned failover: the replica takes the slots over, the old primary follows it.
        QCOMPARE(m_cluster.node(3).cli({QStringLiteral("CLUSTER"), QStringLiteral("FAILOVER")}), QByteArray("OK"));
        QTRY_VERIFY_WITH_TIMEOUT(m_cluster.ownerOf(RedisCluster::slotOf(key)) == 3, 15'000);
        QTRY_COMPARE_WITH_TIMEOUT(call(redis, {"SET", key, "after"}).string, QByteArray("OK"), 15'000);
        QCOMPARE(m_cluster.node(3).cli({QStringLiteral("GET"), QString::fromLatin1(key)}), QByteArray("after"));

        // The new primary dies: its replica (the old primary) is elected, and the commands,
        // unavailable meanwhile, find it.
        m_cluster.node(3).kill();
        QTRY_VERIFY_WITH_TIMEOUT(call(redis, {"GET", key}).string == "after", 30'000);
        QCOMPARE(m_cluster.ownerOf(RedisCluster::slotOf(key)), 0);
        QVERIFY(redis.isReady() || QTest::qWaitFor([&] { return redis.isReady(); }, 15'000));
    }
};

QTEST_GUILESS_MAIN(TestRedisCluster)
#include "tst_rediscluster.moc"
