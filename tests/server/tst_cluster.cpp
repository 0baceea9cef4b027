// A cluster's failures, end to end: three real presence-server nodes on a redis-server of the
// test's own, clients spread across them, nodes and Redis killed, stopped and restarted.
#include "redisclusterprocess.h"
#include "redisprocess.h"
#include "serverprocess.h"
#include "testclient.h"
#include "testtokens.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString Org = QStringLiteral("org_01");
constexpr int Grace = 400;
constexpr int Nodes = 3;

QString text(const QJsonObject &frame, const char *key)
{
    return frame.value(QLatin1String(key)).toString();
}
QString errorCode(const QJsonObject &frame)
{
    return frame.value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString();
}
QJsonObject result(const QJsonObject &frame)
{
    return frame.value(QLatin1String("result")).toObject();
}

} // namespace

class ClusterTest : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;
    RedisProcess redis;
    ServerProcess nodes[Nodes];

    QString path(const QString &name) const { return dir.filePath(name); }
    QStringList arguments(const QString &redisUrl) const
    {
        return {QStringLiteral("--hs256-secret-file"), path(QStringLiteral("dev.secret")), QStringLiteral("--issuer"),
            TestTokens::Issuer, QStringLiteral("--audience"), TestTokens::Audience, QStringLiteral("--close-grace"),
            QString::number(Grace), QStringLiteral("--redis"), redisUrl, QStringLiteral("--redis-timeout"),
            QStringLiteral("300")};
    }
    bool startNode(int i, const QString &redisUrl = QString())
    {
        if (!nodes[i].start(
                path(QStringLiteral("unused-%1.db").arg(i)), arguments(redisUrl.isEmpty() ? redis.url() : redisUrl))) {
            qWarning() << nodes[i].errors();
            return false;
        }
        return true;
    }
    QByteArray token(const QString &user) const
    {
        QJsonObject claims = TestTokens::claims(QDateTime::currentSecsSinceEpoch());
        claims.insert(QStringLiteral("sub"), user);
        claims.insert(QStringLiteral("org_id"), Org);
        return TestTokens::hs256(claims);
    }
    std::unique_ptr<TestClient> client(const QString &user, int node)
    {
        auto c = std::make_unique<TestClient>();
        if (!c->open(nodes[node].url(), token(user)))
            return nullptr;
        return c;
    }
    // user-0… connected to node 0, 1, 2, 0…; fewer than asked if one could not connect.
    std::vector<std::unique_ptr<TestClient>> spreadOverNodes(int count)
    {
        std::vector<std::unique_ptr<TestClient>> people;
        for (int i = 0; i < count; ++i) {
            auto c = client(QStringLiteral("user-%1").arg(i), i % Nodes);
            if (!c)
                break;
            people.push_back(std::move(c));
        }
        return people;
    }
    static QJsonObject peek(TestClient &watcher, const QString &roomId)
    {
        return watcher.request({{QStringLiteral("type"), QStringLiteral("subscribe")},
            {QStringLiteral("roomId"), roomId}, {QStringLiteral("limit"), 1000}});
    }
    static QSet<QString> online(const QJsonArray &members)
    {
        QSet<QString> users;
        for (const QJsonValue &m : members) {
            if (m.toObject().value(QLatin1String("online")).toBool())
                users.insert(text(m.toObject(), "userId"));
        }
        return users;
    }
    // Applies a watcher's diffs to what it saw; returns the users seen going offline.
    static QStringList apply(TestClient &watcher, QSet<QString> *seenOnline)
    {
        QStringList wentOffline;
        for (QJsonObject frame = watcher.waitForUnsolicited(0); !frame.isEmpty();
             frame = watcher.waitForUnsolicited(0)) {
            for (const QJsonValue &m : frame.value(QLatin1String("upsert")).toArray()) {
                const QString user = text(m.toObject(), "userId");
                if (m.toObject().value(QLatin1String("online")).toBool()) {
                    seenOnline->insert(user);
                } else if (seenOnline->remove(user)) {
                    wentOffline.append(user);
                }
            }
        }
        return wentOffline;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir.isValid());
        QFile secret(path(QStringLiteral("dev.secret")));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write(TestTokens::Secret + '\n');
        secret.close();
        QVERIFY2(redis.start({QStringLiteral("--appendonly"), QStringLiteral("yes")}), redis.errors().constData());
    }

    void init()
    {
        redis.cli({QStringLiteral("FLUSHALL")});
        for (int i = 0; i < Nodes; ++i)
            QVERIFY(startNode(i));
    }

    void cleanup()
    {
        for (ServerProcess &node : nodes) {
            if (node.process().state() != QProcess::NotRunning)
                node.terminate();
        }
    }

    void twoWindowsOnTwoNodesClosingAtOnceGiveOneLeave()
    {
        auto first = client(QStringLiteral("alice"), 0);
        auto second = client(QStringLiteral("alice"), 1);
        auto watcher = client(QStringLiteral("bob"), 2);
        QVERIFY(first && second && watcher);
        const QString one = text(result(first->heartbeat(QStringLiteral("doc"), QStringLiteral("w1"))), "sessionToken");
        const QString two
            = text(result(second->heartbeat(QStringLiteral("doc"), QStringLiteral("w2"))), "sessionToken");
        QCOMPARE(online(peek(*watcher, QStringLiteral("doc")).value(QLatin1String("result")).toArray()),
            QSet<QString> {QStringLiteral("alice")});
        // Both disconnects leave before either answer is read.
        first->socket().sendTextMessage(
            QStringLiteral("{\"id\":50,\"type\":\"disconnect\",\"sessionToken\":\"%1\"}").arg(one));
        second->socket().sendTextMessage(
            QStringLiteral("{\"id\":50,\"type\":\"disconnect\",\"sessionToken\":\"%1\"}").arg(two));
        const QJsonObject leave = watcher->waitForUnsolicited(3000);
        QCOMPARE(leave.value(QLatin1String("upsert")).toArray().size(), 1);
        QVERIFY(
            !leave.value(QLatin1String("upsert")).toArray().at(0).toObject().value(QLatin1String("online")).toBool());
        QVERIFY(watcher->waitForUnsolicited(500).isEmpty()); // exactly one
    }

    void aNodeKilledUnderLoadLeavesNoGhostAndTheOthersGoOn()
    {
        // 15 people in 3 documents, 5 on each node, heartbeating; a watcher on node 2.
        std::vector<std::unique_ptr<TestClient>> people = spreadOverNodes(15);
        QCOMPARE(people.size(), size_t(15));
        auto watcher = client(QStringLiteral("watcher"), 2);
        QVERIFY(watcher);
        const auto beatAll = [&] {
            for (int i = 0; i < 15; ++i) {
                if (people[size_t(i)] && people[size_t(i)]->isOpen())
                    people[size_t(i)]->heartbeat(QStringLiteral("doc-%1").arg(i % 3), QStringLiteral("s-%1").arg(i));
            }
        };
        beatAll();
        QSet<QString> seen;
        for (int d = 0; d < 3; ++d)
            seen += online(peek(*watcher, QStringLiteral("doc-%1").arg(d)).value(QLatin1String("result")).toArray());
        QCOMPARE(seen.size(), 15);

        nodes[0].kill();
        QSet<QString> killed;
        for (int i = 0; i < 15; i += Nodes)
            killed.insert(QStringLiteral("user-%1").arg(i));
        // The others keep heartbeating (every 10 s interval would do; sooner here) while the
        // cluster notices: node 0's people go offline after its liveness lapses and the close
        // grace, long before their 25 s deadlines; nobody else flaps.
        QStringList wentOffline;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 8000 && QSet<QString>(wentOffline.cbegin(), wentOffline.cend()) != killed) {
            beatAll();
            QTest::qWait(200);
            wentOffline += apply(*watcher, &seen);
        }
        QCOMPARE(QSet<QString>(wentOffline.cbegin(), wentOffline.cend()), killed);
        QCOMPARE(wentOffline.size(), killed.size()); // each once
        QCOMPARE(seen.size(), 10);
    }

    void redisThatHangsOrRestartsGivesUnavailableThenHeals()
    {
        auto alice = client(QStringLiteral("alice"), 0);
        auto watcher = client(QStringLiteral("bob"), 1);
        QVERIFY(alice && watcher);
        QCOMPARE(text(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1")), "type"), QStringLiteral("result"));
        QSet<QString> seen = online(peek(*watcher, QStringLiteral("doc")).value(QLatin1String("result")).toArray());
        QCOMPARE(seen.size(), 1);

        // A Redis that hangs: answered "unavailable" after the Redis timeout, not left waiting.
        redis.pause();
        const QJsonObject hung = alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1"));
        redis.resume();
        QCOMPARE(errorCode(hung), QStringLiteral("unavailable"));
        QTRY_COMPARE_WITH_TIMEOUT(text(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1")), "type"),
            QStringLiteral("result"), 5000);

        // A Redis that restarts (its data kept by AOF): unavailable meanwhile, then whole again.
        redis.kill();
        QCOMPARE(
            errorCode(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1"))), QStringLiteral("unavailable"));
        QVERIFY(redis.restart());
        QTRY_COMPARE_WITH_TIMEOUT(text(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1")), "type"),
            QStringLiteral("result"), 5000);
        auto carol = client(QStringLiteral("carol"), 2);
        QTRY_COMPARE_WITH_TIMEOUT(text(carol->heartbeat(QStringLiteral("doc"), QStringLiteral("c1")), "type"),
            QStringLiteral("result"), 5000);
        // The watcher's node read the room again: it sees carol, and alice never went.
        QStringList wentOffline;
        QTRY_VERIFY_WITH_TIMEOUT((wentOffline += apply(*watcher, &seen), seen.contains(QStringLiteral("carol"))), 5000);
        QVERIFY(wentOffline.isEmpty());
        QVERIFY(seen.contains(QStringLiteral("alice")));
    }

    void aRedisClusterPrimaryKilledUnderLoadFailsOverAndNobodyFlaps()
    {
        // The nodes on a Redis Cluster of three shards, the organization's slot on the primary
        // that has a replica. That primary is SIGKILLed while 15 people heartbeat: commands are
        // unavailable until its replica is elected, then everyone goes on, the watcher sees
        // nobody leave, and a join after the failover reaches it (its channels moved too).
        RedisClusterProcess cluster;
        QVERIFY2(cluster.start(3, 1), cluster.errors().constData());
        const QByteArray partition = QCryptographicHash::hash(Org.toUtf8(), QCryptographicHash::Sha256).toHex().left(1);
        const int slot = cluster.node(0)
                             .cli({QStringLiteral("CLUSTER"), QStringLiteral("KEYSLOT"),
                                 QStringLiteral("p:{p%1}:x").arg(QString::fromLatin1(partition))})
                             .trimmed()
                             .toInt();
        if (cluster.ownerOf(slot) != 0)
            QVERIFY(cluster.moveSlot(slot, 0));
        for (int i = 0; i < Nodes; ++i) {
            nodes[i].terminate();
            QVERIFY(startNode(i, cluster.url()));
        }

        std::vector<std::unique_ptr<TestClient>> people = spreadOverNodes(15);
        QCOMPARE(people.size(), size_t(15));
        auto watcher = client(QStringLiteral("watcher"), 2);
        QVERIFY(watcher);
        // Each round: how many heartbeats were answered, and how many "unavailable".
        const auto beatAll = [&](int *unavailable) {
            int answered = 0;
            for (int i = 0; i < 15; ++i) {
                const QJsonObject reply
                    = people[size_t(i)]->heartbeat(QStringLiteral("doc-%1").arg(i % 3), QStringLiteral("s-%1").arg(i));
                if (text(reply, "type") == QLatin1String("result"))
                    ++answered;
                else if (errorCode(reply) == QLatin1String("unavailable"))
                    ++*unavailable;
            }
            return answered;
        };
        int unavailable = 0;
        QCOMPARE(beatAll(&unavailable), 15);
        QSet<QString> seen;
        for (int d = 0; d < 3; ++d)
            seen += online(peek(*watcher, QStringLiteral("doc-%1").arg(d)).value(QLatin1String("result")).toArray());
        QCOMPARE(seen.size(), 15);

        cluster.node(0).kill();
        QElapsedTimer timer;
        timer.start();
        QStringList wentOffline;
        bool whole = false;
        while (!whole && timer.elapsed() < 20'000) {
            QTest::qWait(250);
            whole = beatAll(&unavailable) == 15;
            wentOffline += apply(*watcher, &seen);
        }
        QVERIFY2(whole, "the heartbeats were not answered again after the failover");
        qInfo("failed over: every heartbeat answered again %lld ms after the kill (%d unavailable meanwhile)",
            timer.elapsed(), unavailable);

        auto carol = client(QStringLiteral("carol"), 0);
        QVERIFY(carol);
        QCOMPARE(
            text(carol->heartbeat(QStringLiteral("doc-0"), QStringLiteral("c1")), "type"), QStringLiteral("result"));
        QTRY_VERIFY_WITH_TIMEOUT((wentOffline += apply(*watcher, &seen), seen.contains(QStringLiteral("carol"))), 5000);
        QTest::qWait(Grace * 2);
        wentOffline += apply(*watcher, &seen);
        QVERIFY2(wentOffline.isEmpty(), qPrintable(wentOffline.join(QLatin1Char(' '))));
        QCOMPARE(seen.size(), 16);
    }

    void aRollingRestartOfEveryNodeUnderLoadFlapsNobody()
    {
        // 12 people heartbeating every 300 ms with a 1 s interval (sessions die 2.5 s after a
        // missed beat); each reconnects to the next node when its node goes away.
        struct Person
        {
            std::unique_ptr<TestClient> socket;
            int node = 0;
        };
        std::vector<Person> people(12);
        for (int i = 0; i < 12; ++i) {
            people[size_t(i)].node = i % Nodes;
            people[size_t(i)].socket = client(QStringLiteral("user-%1").arg(i), i % Nodes);
            QVERIFY(people[size_t(i)].socket);
        }
        QSet<int> down;
        const auto beatAll = [&] {
            for (int i = 0; i < 12; ++i) {
                Person &p = people[size_t(i)];
                for (int attempt = 0; attempt < Nodes; ++attempt) {
                    if (p.socket && p.socket->isOpen() && !down.contains(p.node)) {
                        const QJsonObject reply
                            = p.socket->request({{QStringLiteral("type"), QStringLiteral("heartbeat")},
                                {QStringLiteral("roomId"), QStringLiteral("doc")},
                                {QStringLiteral("sessionId"), QStringLiteral("s-%1").arg(i)},
                                {QStringLiteral("interval"), 1000}});
                        if (text(reply, "type") == QLatin1String("result"))
                            break;
                    }
                    p.node = (p.node + 1) % Nodes;
                    if (!down.contains(p.node))
                        p.socket = client(QStringLiteral("user-%1").arg(i), p.node);
                }
            }
        };
        // Two watchers, each reconnecting and watching again when its node goes.
        struct Watcher
        {
            std::unique_ptr<TestClient> socket;
            int node = 0;
            QSet<QString> seen;
        };
        Watcher watchers[2];
        QStringList flaps;
        const auto watch = [&](Watcher &w) {
            if (w.socket && w.socket->isOpen() && !down.contains(w.node)) {
                flaps += apply(*w.socket, &w.seen);
                return;
            }
            do
                w.node = (w.node + 1) % Nodes;
            while (down.contains(w.node));
            w.socket = client(QStringLiteral("watcher"), w.node);
            const QSet<QString> now
                = online(peek(*w.socket, QStringLiteral("doc")).value(QLatin1String("result")).toArray());
            // Watching anew: anyone seen before and missing now flapped.
            for (const QString &user : std::as_const(w.seen)) {
                if (!now.contains(user))
                    flaps.append(user);
            }
            w.seen = now;
        };
        beatAll();
        for (int i = 0; i < 2; ++i) {
            watchers[i].node = i == 0 ? 2 : 0; // made on the node after, by watch()
            watch(watchers[i]);
        }
        QCOMPARE(watchers[0].seen.size(), 12);
        QCOMPARE(watchers[1].seen.size(), 12);

        const auto run = [&](int ms) {
            QElapsedTimer timer;
            timer.start();
            while (timer.elapsed() < ms) {
                beatAll();
                for (Watcher &w : watchers)
                    watch(w);
                QTest::qWait(300);
            }
        };
        run(600);
        for (int i = 0; i < Nodes; ++i) {
            down.insert(i);
            QCOMPARE(nodes[i].terminate(), 0); // a clean stop: its sessions are handed over
            run(600); // everyone moves on
            QVERIFY(startNode(i));
            down.remove(i);
            run(600);
        }
        run(3000); // past every session's timeout: a lost one would show now
        QVERIFY2(flaps.isEmpty(), qPrintable(flaps.join(QLatin1String(", "))));
        for (const Watcher &w : watchers)
            QCOMPARE(w.seen.size(), 12);
    }
};

QTEST_GUILESS_MAIN(ClusterTest)
#include "tst_cluster.moc"
