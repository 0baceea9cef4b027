// presence-server end to end: the real binary on an ephemeral loopback port, a temporary
// database, real sockets. With PRESENCE_TEST_CLUSTER set, the same tests run against a cluster:
// three nodes on a redis-server of the test's own, clients spread across them in turn; with
// PRESENCE_TEST_CLUSTER=rediscluster, the three nodes are on a Redis Cluster of three shards.
#include "redisclusterprocess.h"
#include "redisprocess.h"
#include "serverprocess.h"
#include "testclient.h"
#include "testhttp.h"
#include "testtokens.h"
#include "webhookreceiver.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString Org = QStringLiteral("org_01");
const QString OtherOrg = QStringLiteral("org_02");
constexpr int Grace = 400;

QString text(const QJsonObject &frame, const char *key)
{
    return frame.value(QLatin1String(key)).toString();
}
QString errorCode(const QJsonObject &frame)
{
    return frame.value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString();
}
QString errorMessage(const QJsonObject &frame)
{
    return frame.value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString();
}
QJsonObject result(const QJsonObject &frame)
{
    return frame.value(QLatin1String("result")).toObject();
}
QJsonArray members(const QJsonObject &frame)
{
    return frame.value(QLatin1String("result")).toArray();
}
QJsonObject memberOf(const QJsonArray &list, const QString &userId)
{
    for (const QJsonValue &m : list) {
        if (m.toObject().value(QLatin1String("userId")).toString() == userId)
            return m.toObject();
    }
    return {};
}

} // namespace

class ServerTest : public QObject
{
    Q_OBJECT

private:
    TestTokens tokens;
    QTemporaryDir dir;
    ServerProcess server; // the only one; in a cluster, its first node
    QString database;
    int databases = 0;
    // A cluster: the other nodes, and its Redis.
    const bool cluster = qEnvironmentVariableIsSet("PRESENCE_TEST_CLUSTER");
    const bool redisCluster = qgetenv("PRESENCE_TEST_CLUSTER") == "rediscluster";
    RedisProcess redis;
    RedisClusterProcess shards; // with redisCluster
    std::vector<std::unique_ptr<ServerProcess>> otherNodes;
    int clientsMade = 0;

    QList<ServerProcess *> nodes()
    {
        QList<ServerProcess *> all {&server};
        for (const auto &node : otherNodes)
            all.append(node.get());
        return all;
    }
    /// The node the next client goes to: each in turn.
    ServerProcess &nextNode()
    {
        const QList<ServerProcess *> all = nodes();
        return *all.at(clientsMade++ % all.size());
    }

    QString path(const QString &name) const { return dir.filePath(name); }
    QStringList baseArguments() const
    {
        return {QStringLiteral("--jwks"), path(QStringLiteral("jwks.json")), QStringLiteral("--hs256-secret-file"),
            path(QStringLiteral("dev.secret")), QStringLiteral("--issuer"), TestTokens::Issuer,
            QStringLiteral("--audience"), TestTokens::Audience, QStringLiteral("--leeway"), QStringLiteral("0"),
            QStringLiteral("--close-grace"), QString::number(Grace), QStringLiteral("--users-poll"),
            QStringLiteral("200")};
    }
    /// Restarts the server on the same database with extra arguments.
    bool restart(const QStringList &extra = {})
    {
        for (ServerProcess *node : nodes()) {
            if (node->process().state() != QProcess::NotRunning)
                node->terminate();
        }
        const QStringList shared = cluster ? QStringList {QStringLiteral("--redis"), redisUrl()} : QStringList();
        for (ServerProcess *node : nodes()) {
            if (!node->start(database, baseArguments() + shared + extra)) {
                qWarning() << node->errors();
                return false;
            }
        }
        return true;
    }
    QString redisUrl() const { return redisCluster ? shards.url() : redis.unixUrl(); }
    /// For a test of what a single server alone does (its SQLite database, its command line).
    bool singleServerOnly() const { return !cluster; }
    QByteArray token(const QString &user, const QString &org = Org, const QJsonObject &extra = {}) const
    {
        QJsonObject claims = TestTokens::claims(QDateTime::currentSecsSinceEpoch(), extra);
        claims.insert(QStringLiteral("sub"), user);
        claims.insert(QStringLiteral("org_id"), org);
        return TestTokens::hs256(claims);
    }
    /// A client connected as `user` (Authorization header).
    std::unique_ptr<TestClient> client(const QString &user, const QString &org = Org)
    {
        auto c = std::make_unique<TestClient>();
        if (!c->open(nextNode().url(), token(user, org)))
            return nullptr;
        return c;
    }
    /// The server's metrics; a cluster's summed over its nodes.
    QByteArray metrics()
    {
        if (!cluster)
            return http(server.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        QMap<QByteArray, double> sums;
        for (ServerProcess *node : nodes()) {
            const QByteArray page = http(node->port(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
            for (const QByteArray &line : page.split('\n')) {
                const int space = line.lastIndexOf(' ');
                if (line.startsWith('#') || space <= 0)
                    continue;
                bool ok = false;
                const double value = line.mid(space + 1).trimmed().toDouble(&ok);
                if (ok)
                    sums[line.left(space)] += value;
            }
        }
        QByteArray summed;
        for (auto it = sums.cbegin(); it != sums.cend(); ++it)
            summed += it.key() + ' ' + QByteArray::number(qint64(it.value())) + '\n';
        return summed;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir.isValid());
        QFile jwks(path(QStringLiteral("jwks.json")));
        QVERIFY(jwks.open(QIODevice::WriteOnly));
        jwks.write(tokens.jwks());
        jwks.close();
        QFile secret(path(QStringLiteral("dev.secret")));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write(TestTokens::Secret + '\n');
    }

    void init()
    {
        database = path(QStringLiteral("presence-%1.db").arg(++databases));
        if (cluster) {
            if (otherNodes.empty()) {
                if (redisCluster)
                    QVERIFY2(shards.start(3), shards.errors().constData());
                else
                    QVERIFY2(redis.start(), redis.errors().constData());
                otherNodes.push_back(std::make_unique<ServerProcess>());
                otherNodes.push_back(std::make_unique<ServerProcess>());
            }
            if (redisCluster)
                shards.flushAll();
            else
                redis.cli({QStringLiteral("FLUSHALL")});
            clientsMade = 0;
        }
        QVERIFY(restart());
    }

    void cleanup()
    {
        for (ServerProcess *node : nodes()) {
            if (node->process().state() != QProcess::NotRunning)
                QCOMPARE(node->terminate(), 0);
        }
    }

    void everyOperationOverTheWire()
    {
        auto alice = client(QStringLiteral("alice"));
        QVERIFY(alice);
        const QJsonObject beat = alice->heartbeat(QStringLiteral("doc-1"), QStringLiteral("s-alice"));
        QCOMPARE(text(beat, "type"), QStringLiteral("result"));
        QCOMPARE(beat.value(QLatin1String("id")).toInt(), 1);
        const QString roomToken = text(result(beat), "roomToken");
        const QString sessionToken = text(result(beat), "sessionToken");
        QVERIFY(!roomToken.isEmpty() && !sessionToken.isEmpty());

        TestClient bob;
        QVERIFY(bob.open(server.url()));
        const QJsonObject auth = bob.auth(token(QStringLiteral("bob")));
        QCOMPARE(text(result(auth), "userId"), QStringLiteral("bob"));
        QCOMPARE(text(result(auth), "organization"), Org);
        QVERIFY(result(auth).value(QLatin1String("validUntil")).toDouble() > QDateTime::currentMSecsSinceEpoch());

        const QJsonArray listed = members(bob.list(roomToken));
        QCOMPARE(listed.size(), 1);
        QCOMPARE(text(listed[0].toObject(), "userId"), QStringLiteral("alice"));
        QCOMPARE(listed[0].toObject().value(QLatin1String("online")).toBool(), true);

        const QJsonObject subscribed = bob.subscribe(roomToken);
        QCOMPARE(members(subscribed).size(), 1);
        const qint64 sub = qint64(subscribed.value(QLatin1String("id")).toDouble());
        const QJsonObject unsubscribed
            = bob.request({{QStringLiteral("type"), QStringLiteral("unsubscribe")}, {QStringLiteral("sub"), sub}});
        QCOMPARE(unsubscribed.value(QLatin1String("result")).toBool(), true);

        const QJsonObject left = alice->request(
            {{QStringLiteral("type"), QStringLiteral("disconnect")}, {QStringLiteral("sessionToken"), sessionToken}});
        QCOMPARE(left.value(QLatin1String("result")).toBool(), true);
        const QJsonObject after = memberOf(members(bob.list(roomToken)), QStringLiteral("alice"));
        QCOMPARE(after.value(QLatin1String("online")).toBool(), false);
        QVERIFY(after.value(QLatin1String("lastDisconnected")).toDouble() > 0);
        QVERIFY(bob.unsolicited().isEmpty()); // unsubscribed: the leave was not pushed
    }

    void compactHeartbeatAnswers()
    {
        auto alice = client(QStringLiteral("alice"));
        const QJsonObject compact {{QStringLiteral("type"), QStringLiteral("heartbeat")},
            {QStringLiteral("roomId"), QStringLiteral("doc")}, {QStringLiteral("sessionId"), QStringLiteral("a1")},
            {QStringLiteral("compact"), true}};
        const QJsonObject first = alice->request(compact);
        const QString sessionToken = text(result(first), "sessionToken");
        QVERIFY(!sessionToken.isEmpty()); // the first answer on a connection tells the tokens
        const QJsonObject steady = alice->request(compact);
        QCOMPARE(text(steady, "type"), QStringLiteral("result"));
        QVERIFY(!steady.contains(QLatin1String("result"))); // then: done, nothing new
        QVERIFY(QJsonDocument(steady).toJson(QJsonDocument::Compact).size() < 30);
        // Without the flag, and on a new connection, the tokens come again.
        QJsonObject full = compact;
        full.remove(QStringLiteral("compact"));
        QCOMPARE(text(result(alice->request(full)), "sessionToken"), sessionToken);
        auto again = client(QStringLiteral("alice"));
        QCOMPARE(text(result(again->request(compact)), "sessionToken"), sessionToken);
        // A session that ended is a new one: its new token is told.
        alice->request(
            {{QStringLiteral("type"), QStringLiteral("disconnect")}, {QStringLiteral("sessionToken"), sessionToken}});
        const QString renewed = text(result(again->request(compact)), "sessionToken");
        QVERIFY(!renewed.isEmpty() && renewed != sessionToken);
    }

    void requestsNeedAuthentication()
    {
        TestClient anonymous;
        QVERIFY(anonymous.open(server.url()));
        const QJsonObject reply = anonymous.heartbeat(QStringLiteral("doc-1"), QStringLiteral("s1"));
        QCOMPARE(errorCode(reply), QStringLiteral("unauthenticated"));
        QCOMPARE(reply.value(QLatin1String("id")).toInt(), 1);
        QVERIFY(anonymous.isOpen());
        // The session token is the capability for disconnect, as for the beacon.
        const QJsonObject left = anonymous.request({{QStringLiteral("type"), QStringLiteral("disconnect")},
            {QStringLiteral("sessionToken"), QStringLiteral("t")}});
        QCOMPARE(left.value(QLatin1String("result")).toBool(), true);
    }

    void pushesOnlyWhenTheListChanges()
    {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        auto carol = client(QStringLiteral("carol"));
        QVERIFY(alice && bob && carol);
        const QString room = text(result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1"))), "roomToken");
        const QJsonObject subscribed = bob->subscribe(room);
        QCOMPARE(members(subscribed).size(), 1);

        for (int i = 0; i < 10; ++i)
            QCOMPARE(
                text(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1")), "type"), QStringLiteral("result"));
        QVERIFY(bob->waitForUnsolicited(300).isEmpty());
        const quint64 pushesBefore = metric(metrics(), QStringLiteral("presence_pushes_total"));

        const QString carolSession
            = text(result(carol->heartbeat(QStringLiteral("doc"), QStringLiteral("c1"))), "sessionToken");
        const QJsonObject join = bob->waitForUnsolicited(2000);
        QCOMPARE(text(join, "type"), QStringLiteral("diff"));
        QCOMPARE(join.value(QLatin1String("sub")), subscribed.value(QLatin1String("id")));
        const QJsonArray upsert = join.value(QLatin1String("upsert")).toArray();
        QCOMPARE(upsert.size(), 1);
        QCOMPARE(text(upsert[0].toObject(), "userId"), QStringLiteral("carol"));
        QVERIFY(!join.contains(QLatin1String("remove")));

        carol->request(
            {{QStringLiteral("type"), QStringLiteral("disconnect")}, {QStringLiteral("sessionToken"), carolSession}});
        const QJsonObject leave = bob->waitForUnsolicited(2000);
        QCOMPARE(memberOf(leave.value(QLatin1String("upsert")).toArray(), QStringLiteral("carol"))
                     .value(QLatin1String("online"))
                     .toBool(true),
            false);
        QVERIFY(bob->waitForUnsolicited(300).isEmpty());
        QCOMPARE(metric(metrics(), QStringLiteral("presence_pushes_total")), pushesBefore + 2);
    }

    void goingAwayAndComingBackArePushed()
    {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        QVERIFY(alice && bob);
        const QString room = text(result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1"))), "roomToken");
        const QJsonObject subscribed = bob->subscribe(room);
        QCOMPARE(members(subscribed).at(0).toObject().value(QLatin1String("away")), QJsonValue(false));
        const auto idle = [&](bool away) {
            return alice->request({{QStringLiteral("type"), QStringLiteral("heartbeat")},
                {QStringLiteral("roomId"), QStringLiteral("doc")}, {QStringLiteral("sessionId"), QStringLiteral("a1")},
                {QStringLiteral("away"), away}});
        };
        QCOMPARE(text(idle(true), "type"), QStringLiteral("result"));
        QJsonObject push = bob->waitForUnsolicited(2000);
        QCOMPARE(memberOf(push.value(QLatin1String("upsert")).toArray(), QStringLiteral("alice"))
                     .value(QLatin1String("away")),
            QJsonValue(true));
        QCOMPARE(text(idle(true), "type"), QStringLiteral("result"));
        QVERIFY(bob->waitForUnsolicited(300).isEmpty()); // still away: nothing new
        QCOMPARE(text(idle(false), "type"), QStringLiteral("result"));
        push = bob->waitForUnsolicited(2000);
        QCOMPARE(memberOf(push.value(QLatin1String("upsert")).toArray(), QStringLiteral("alice"))
                     .value(QLatin1String("away")),
            QJsonValue(false));
    }

    void dataIsSetInPlaceAndPushedCoalesced()
    {
        restart({QStringLiteral("--data-coalesce"), QStringLiteral("300"), QStringLiteral("--max-data-size"),
            QStringLiteral("64")});
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        QVERIFY(alice && bob);
        const QJsonObject joined = result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1")));
        const QString room = text(joined, "roomToken");
        const QString session = text(joined, "sessionToken");
        QVERIFY(!members(bob->subscribe(room)).at(0).toObject().contains(QLatin1String("data"))); // none set
        const auto update = [&](TestClient *c, const QJsonValue &data) {
            return c->request({{QStringLiteral("type"), QStringLiteral("update")},
                {QStringLiteral("sessionToken"), session}, {QStringLiteral("data"), data}});
        };
        const QJsonObject reviewing {{QStringLiteral("status"), QStringLiteral("Reviewing")}};
        QCOMPARE(update(alice.get(), reviewing).value(QLatin1String("result")), QJsonValue(true));
        QJsonObject push = bob->waitForUnsolicited(2000);
        QCOMPARE(memberOf(push.value(QLatin1String("upsert")).toArray(), QStringLiteral("alice"))
                     .value(QLatin1String("data")),
            QJsonValue(reviewing));
        // Three more within the window: one push, with the last.
        for (const char *text : {"1", "2", "3"})
            update(alice.get(), QJsonObject {{QStringLiteral("status"), QLatin1String(text)}});
        push = bob->waitForUnsolicited(2000);
        QCOMPARE(memberOf(push.value(QLatin1String("upsert")).toArray(), QStringLiteral("alice"))
                     .value(QLatin1String("data"))
                     .toObject()
                     .value(QLatin1String("status")),
            QJsonValue(QStringLiteral("3")));
        QVERIFY(bob->waitForUnsolicited(500).isEmpty());
        QCOMPARE(memberOf(bob->list(room).value(QLatin1String("result")).toArray(), QStringLiteral("alice"))
                     .value(QLatin1String("data"))
                     .toObject()
                     .value(QLatin1String("status")),
            QJsonValue(QStringLiteral("3")));

        // Errors: another user's session, data too large or not an object.
        QCOMPARE(text(update(bob.get(), reviewing).value(QLatin1String("error")).toObject(), "code"),
            QStringLiteral("permission_denied"));
        const QJsonObject large {{QStringLiteral("status"), QString(60, QLatin1Char('x'))}};
        const QJsonObject tooLarge = update(alice.get(), large).value(QLatin1String("error")).toObject();
        QCOMPARE(text(tooLarge, "code"), QStringLiteral("invalid_argument"));
        QVERIFY(text(tooLarge, "message").contains(QLatin1String("the limit is 64")));
        QCOMPARE(text(update(alice.get(), QJsonArray {1}).value(QLatin1String("error")).toObject(), "code"),
            QStringLiteral("invalid_argument"));
        // null clears it.
        QCOMPARE(update(alice.get(), QJsonValue::Null).value(QLatin1String("result")), QJsonValue(true));
        QTRY_VERIFY(!memberOf(bob->list(room).value(QLatin1String("result")).toArray(), QStringLiteral("alice"))
                         .contains(QLatin1String("data")));
        QVERIFY(metrics().contains("presence_updates_total 5"));
    }

    void peekingByRoomIdWithoutJoining()
    {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        auto mallory = client(QStringLiteral("mallory"), QStringLiteral("org_other"));
        QVERIFY(alice && bob && mallory);
        const auto byId = [](const char *type, const QString &roomId) {
            return QJsonObject {{QStringLiteral("type"), QLatin1String(type)}, {QStringLiteral("roomId"), roomId},
                {QStringLiteral("counts"), true}};
        };
        // A document nobody opened yet: empty, and it can be watched.
        QCOMPARE(result(bob->request(byId("list", QStringLiteral("doc")))).value(QLatin1String("total")).toInt(), 0);
        const QJsonObject watched = bob->request(byId("subscribe", QStringLiteral("doc")));
        QCOMPARE(result(watched).value(QLatin1String("members")), QJsonValue(QJsonArray()));
        QVERIFY(mallory->request(byId("subscribe", QStringLiteral("doc"))).contains(QLatin1String("result")));
        result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1")));
        const QJsonObject push = bob->waitForUnsolicited(2000);
        QCOMPARE(text(push, "type"), QStringLiteral("diff"));
        QCOMPARE(push.value(QLatin1String("sub")).toInteger(), watched.value(QLatin1String("id")).toInteger());
        QCOMPARE(memberOf(push.value(QLatin1String("upsert")).toArray(), QStringLiteral("alice"))
                     .value(QLatin1String("online")),
            QJsonValue(true));
        QCOMPARE(push.value(QLatin1String("total")).toInt(), 1);
        // Another organization's "doc" is another room.
        QVERIFY(mallory->waitForUnsolicited(300).isEmpty());
        const QJsonObject theirs = result(mallory->request(byId("list", QStringLiteral("doc"))));
        QCOMPARE(theirs.value(QLatin1String("total")).toInt(), 0);
        // Peeking is not joining: Bob is not listed.
        const QJsonObject ours = result(bob->request(byId("list", QStringLiteral("doc"))));
        QCOMPARE(ours.value(QLatin1String("members")).toArray().size(), 1);
    }

    void whoIsOnlineAndWhereAcrossRooms()
    {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        auto mallory = client(QStringLiteral("mallory"), QStringLiteral("org_other"));
        QVERIFY(alice && bob && mallory);
        result(alice->heartbeat(QStringLiteral("doc-1"), QStringLiteral("a1")));
        result(bob->heartbeat(QStringLiteral("doc-1"), QStringLiteral("b1")));
        result(bob->heartbeat(QStringLiteral("doc-2"), QStringLiteral("b2")));
        result(mallory->heartbeat(QStringLiteral("doc-1"), QStringLiteral("m1")));
        const auto online = [](TestClient *c, int limit, const QString &cursor = {}) {
            QJsonObject request {{QStringLiteral("type"), QStringLiteral("online")}, {QStringLiteral("limit"), limit}};
            if (!cursor.isEmpty())
                request.insert(QStringLiteral("cursor"), cursor);
            return c->request(request);
        };
        const QJsonObject first = result(online(alice.get(), 1));
        QCOMPARE(first.value(QLatin1String("users")).toArray().size(), 1);
        const QJsonObject ada = first.value(QLatin1String("users")).toArray().at(0).toObject();
        QCOMPARE(text(ada, "userId"), QStringLiteral("alice"));
        QCOMPARE(ada.value(QLatin1String("away")), QJsonValue(false));
        QCOMPARE(ada.value(QLatin1String("rooms")).toArray(), QJsonArray {QStringLiteral("doc-1")});
        const QString cursor = text(first, "cursor");
        QVERIFY(!cursor.isEmpty());
        const QJsonObject second = result(online(alice.get(), 1, cursor));
        QVERIFY(!second.contains(QLatin1String("cursor"))); // the last page
        const QJsonObject bobs = second.value(QLatin1String("users")).toArray().at(0).toObject();
        QCOMPARE(text(bobs, "userId"), QStringLiteral("bob"));
        QCOMPARE(bobs.value(QLatin1String("rooms")).toArray(),
            (QJsonArray {QStringLiteral("doc-1"), QStringLiteral("doc-2")}));

        const auto whereis = [](TestClient *c, const QString &userId) {
            return c->request(
                {{QStringLiteral("type"), QStringLiteral("whereis")}, {QStringLiteral("userId"), userId}});
        };
        QCOMPARE(result(whereis(alice.get(), QStringLiteral("bob"))).value(QLatin1String("rooms")).toArray().size(), 2);
        // Another organization sees its own people only, and nothing of ours.
        QCOMPARE(result(online(mallory.get(), 100)).value(QLatin1String("users")).toArray().size(), 1);
        QCOMPARE(result(whereis(mallory.get(), QStringLiteral("bob"))).value(QLatin1String("rooms")).toArray(),
            QJsonArray());
        QCOMPARE(
            errorCode(online(alice.get(), 10, QStringLiteral("not-a-cursor!"))), QStringLiteral("invalid_argument"));
    }

    void adminsKickAndRemoveRoomsOthersAreRefused()
    {
        auto admin = std::make_unique<TestClient>();
        QVERIFY(
            admin->open(server.url(), token(QStringLiteral("root"), Org, {{QStringLiteral("presence_admin"), true}})));
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        QVERIFY(alice && bob);
        const QString room = text(result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1"))), "roomToken");
        result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a2")));
        result(bob->heartbeat(QStringLiteral("doc"), QStringLiteral("b1")));
        bob->subscribe(room);
        const auto kick = [](TestClient *c, const QString &userId) {
            return c->request({{QStringLiteral("type"), QStringLiteral("kick")},
                {QStringLiteral("roomId"), QStringLiteral("doc")}, {QStringLiteral("userId"), userId}});
        };
        QCOMPARE(errorCode(kick(bob.get(), QStringLiteral("alice"))), QStringLiteral("permission_denied"));
        QCOMPARE(result(kick(admin.get(), QStringLiteral("alice"))).value(QLatin1String("sessions")).toInt(), 2);
        // Alice's connection is told (once per session), and Bob sees her leave.
        const QJsonObject told = alice->waitForUnsolicited(2000);
        QCOMPARE(text(told, "type"), QStringLiteral("kicked"));
        QCOMPARE(text(told, "roomId"), QStringLiteral("doc"));
        const QJsonObject push = bob->waitForUnsolicited(2000);
        QCOMPARE(memberOf(push.value(QLatin1String("upsert")).toArray(), QStringLiteral("alice"))
                     .value(QLatin1String("online")),
            QJsonValue(false));
        QVERIFY(metrics().contains("presence_kicked_sessions_total 2"));

        // removeRoom: everyone goes; the watcher sees them removed.
        const QJsonObject removeRoom {
            {QStringLiteral("type"), QStringLiteral("removeRoom")}, {QStringLiteral("roomId"), QStringLiteral("doc")}};
        QCOMPARE(errorCode(bob->request(removeRoom)), QStringLiteral("permission_denied"));
        QCOMPARE(result(admin->request(removeRoom)).value(QLatin1String("sessions")).toInt(), 1);
        // Bob's connection is told he was kicked too; the diff says everyone went.
        QJsonObject gone;
        for (int i = 0; i < 3 && gone.isEmpty(); ++i) {
            const QJsonObject frame = bob->waitForUnsolicited(2000);
            if (frame.contains(QLatin1String("remove")))
                gone = frame;
        }
        QCOMPARE(gone.value(QLatin1String("remove")).toArray().size(), 2);
        QCOMPARE(members(bob->list(room)), QJsonArray()); // the old token names nothing now
    }

    void theAdminClaimIsConfigurable()
    {
        restart({QStringLiteral("--admin-claim"), QStringLiteral("role=admin")});
        auto flagged = std::make_unique<TestClient>();
        QVERIFY(
            flagged->open(server.url(), token(QStringLiteral("u1"), Org, {{QStringLiteral("presence_admin"), true}})));
        auto role = std::make_unique<TestClient>();
        QVERIFY(role->open(
            server.url(), token(QStringLiteral("u2"), Org, {{QStringLiteral("role"), QStringLiteral("admin")}})));
        const QJsonObject removeRoom {
            {QStringLiteral("type"), QStringLiteral("removeRoom")}, {QStringLiteral("roomId"), QStringLiteral("doc")}};
        QCOMPARE(errorCode(flagged->request(removeRoom)), QStringLiteral("permission_denied"));
        QVERIFY(role->request(removeRoom).contains(QLatin1String("result")));
    }

    void memberEventsReachTheWebhookInOrderEvenAfterItWasDown()
    {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        const quint16 port = receiver.port();
        receiver.down(); // not there yet when the first events happen
        QFile secret(path(QStringLiteral("webhook.secret")));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write("a-webhook-secret-of-the-server-tests\n");
        secret.close();
        QVERIFY(restart({QStringLiteral("--webhook-url"), QString::fromLatin1(receiver.url()),
            QStringLiteral("--webhook-secret-file"), secret.fileName()}));
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        QVERIFY(alice && bob);
        const QJsonObject joined = result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1")));
        result(bob->heartbeat(QStringLiteral("doc"), QStringLiteral("b1")));
        alice->request(
            {{QStringLiteral("type"), QStringLiteral("heartbeat")}, {QStringLiteral("roomId"), QStringLiteral("doc")},
                {QStringLiteral("sessionId"), QStringLiteral("a1")}, {QStringLiteral("away"), true}});
        alice->request({{QStringLiteral("type"), QStringLiteral("update")},
            {QStringLiteral("sessionToken"), text(joined, "sessionToken")},
            {QStringLiteral("data"), QJsonObject {{QStringLiteral("status"), QStringLiteral("Busy")}}}});
        result(bob->request({{QStringLiteral("type"), QStringLiteral("disconnect")},
            {QStringLiteral("sessionToken"),
                text(result(bob->heartbeat(QStringLiteral("doc"), QStringLiteral("b1"))), "sessionToken")}}));
        QTRY_VERIFY_WITH_TIMEOUT(metric(metrics(), QStringLiteral("presence_webhook_failures_total")) >= 1, 5000);
        // A cluster's node takes events from Redis a sweep at a time: the last may come after the
        // first failure.
        QTRY_COMPARE_WITH_TIMEOUT(metric(metrics(), QStringLiteral("presence_webhook_queue")), 5u, 5000);

        QVERIFY(receiver.listen(port)); // back: everything arrives, in order
        QTRY_COMPARE_WITH_TIMEOUT(
            metric(metrics(), QStringLiteral("presence_webhook_events_delivered_total")), 5u, 10000);
        QStringList seen;
        for (const WebhookReceiver::Request &request : std::as_const(receiver.requests)) {
            QVERIFY(request.headers.value("presence-signature").contains(",v1="));
            for (const QJsonValue &e :
                QJsonDocument::fromJson(request.body).object().value(QLatin1String("events")).toArray()) {
                const QJsonObject event = e.toObject();
                QCOMPARE(text(event, "org"), Org);
                QCOMPARE(text(event, "roomId"), QStringLiteral("doc"));
                QVERIFY(event.value(QLatin1String("at")).toInteger() > 1'700'000'000'000);
                seen << text(event, "type") + QLatin1Char(' ') + text(event, "userId");
            }
        }
        QCOMPARE(seen,
            (QStringList {QStringLiteral("member.joined alice"), QStringLiteral("member.joined bob"),
                QStringLiteral("member.away alice"), QStringLiteral("member.updated alice"),
                QStringLiteral("member.left bob")}));

        // An event not yet delivered survives a crash: it waits in the database's outbox (a
        // cluster's in Redis, whichever node was sending it).
        receiver.down();
        result(alice->request({{QStringLiteral("type"), QStringLiteral("disconnect")},
            {QStringLiteral("sessionToken"), text(joined, "sessionToken")}}));
        QTRY_VERIFY_WITH_TIMEOUT(metric(metrics(), QStringLiteral("presence_webhook_failures_total")) >= 2, 5000);
        for (ServerProcess *node : nodes())
            node->kill();
        receiver.requests.clear();
        QVERIFY(receiver.listen(port));
        QVERIFY(restart({QStringLiteral("--webhook-url"), QString::fromLatin1(receiver.url()),
            QStringLiteral("--webhook-secret-file"), secret.fileName()}));
        QTRY_COMPARE_WITH_TIMEOUT(
            metric(metrics(), QStringLiteral("presence_webhook_events_delivered_total")), 1u, 10000);
        const QJsonObject left = QJsonDocument::fromJson(receiver.requests.constFirst().body)
                                     .object()
                                     .value(QLatin1String("events"))
                                     .toArray()
                                     .at(0)
                                     .toObject();
        QCOMPARE(text(left, "type") + QLatin1Char(' ') + text(left, "userId"), QStringLiteral("member.left alice"));
    }

    void countsComeWithListsAndDiffsWhenAskedFor()
    {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        auto carol = client(QStringLiteral("carol"));
        QVERIFY(alice && bob && carol);
        const QString room = text(result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1"))), "roomToken");
        result(bob->heartbeat(QStringLiteral("doc"), QStringLiteral("b1")));
        const QJsonObject listed = alice->request({{QStringLiteral("type"), QStringLiteral("list")},
            {QStringLiteral("roomToken"), room}, {QStringLiteral("limit"), 1}, {QStringLiteral("counts"), true}});
        const QJsonObject answer = result(listed);
        QCOMPARE(answer.value(QLatin1String("members")).toArray().size(), 1);
        QCOMPARE(answer.value(QLatin1String("online")).toInt(), 2);
        QCOMPARE(answer.value(QLatin1String("total")).toInt(), 2);
        QVERIFY(alice->list(room).value(QLatin1String("result")).isArray()); // without counts: as before

        const QJsonObject subscribed = alice->request({{QStringLiteral("type"), QStringLiteral("subscribe")},
            {QStringLiteral("roomToken"), room}, {QStringLiteral("limit"), 1}, {QStringLiteral("counts"), true}});
        QCOMPARE(result(subscribed).value(QLatin1String("total")).toInt(), 2);
        result(carol->heartbeat(QStringLiteral("doc"), QStringLiteral("c1"))); // beyond the limit of 1
        const QJsonObject push = alice->waitForUnsolicited(2000);
        QCOMPARE(text(push, "type"), QStringLiteral("diff"));
        QVERIFY(!push.contains(QLatin1String("upsert")));
        QCOMPARE(push.value(QLatin1String("online")).toInt(), 3);
        QCOMPARE(push.value(QLatin1String("total")).toInt(), 3);
    }

    void anUnsubscribeRightBehindItsSubscribeEndsIt()
    {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        const QString room = text(result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1"))), "roomToken");
        // Both in one burst: on a cluster's node the subscription is still being made when the
        // unsubscribe arrives.
        bob->socket().sendTextMessage(
            QStringLiteral("{\"id\":70,\"type\":\"subscribe\",\"roomToken\":\"%1\"}").arg(room));
        const QJsonObject unsubscribed
            = bob->request({{QStringLiteral("type"), QStringLiteral("unsubscribe")}, {QStringLiteral("sub"), 70}});
        QCOMPARE(unsubscribed.value(QLatin1String("result")).toBool(), true);
        // The subscribe is answered too, before or after; then nothing more comes of it.
        QJsonObject subscribed;
        for (const QJsonObject &frame : bob->unsolicited()) {
            if (frame.value(QLatin1String("id")).toInt() == 70)
                subscribed = frame;
        }
        if (subscribed.isEmpty())
            subscribed = bob->waitForUnsolicited(2000);
        QCOMPARE(subscribed.value(QLatin1String("id")).toInt(), 70);
        QCOMPARE(members(subscribed).size(), 1);
        bob->unsolicited().clear();
        auto carol = client(QStringLiteral("carol"));
        carol->heartbeat(QStringLiteral("doc"), QStringLiteral("c1"));
        QVERIFY(bob->waitForUnsolicited(500).isEmpty());
    }

    void severalRoomsAndSubscriptionsOnOneConnection()
    {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        const QString one = text(result(alice->heartbeat(QStringLiteral("one"), QStringLiteral("a-one"))), "roomToken");
        const QString two = text(result(alice->heartbeat(QStringLiteral("two"), QStringLiteral("a-two"))), "roomToken");
        QVERIFY(one != two);
        const qint64 subOne = qint64(bob->subscribe(one).value(QLatin1String("id")).toDouble());
        const qint64 subTwo = qint64(bob->subscribe(two).value(QLatin1String("id")).toDouble());
        bob->heartbeat(QStringLiteral("two"), QStringLiteral("b-two"));
        const QJsonObject diff = bob->waitForUnsolicited(2000);
        QCOMPARE(qint64(diff.value(QLatin1String("sub")).toDouble()), subTwo);
        QVERIFY(subOne != subTwo);
        QVERIFY(bob->waitForUnsolicited(200).isEmpty());
    }

    void organizationsAreIsolated()
    {
        auto alice = client(QStringLiteral("alice"));
        auto mallory = client(QStringLiteral("mallory"), OtherOrg);
        const QString room = text(result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1"))), "roomToken");
        QCOMPARE(errorCode(mallory->list(room)), QStringLiteral("permission_denied"));
        QCOMPARE(errorCode(mallory->subscribe(room)), QStringLiteral("permission_denied"));
        // Counting another organization's room is seeing into it too.
        QCOMPARE(errorCode(mallory->request({{QStringLiteral("type"), QStringLiteral("list")},
                     {QStringLiteral("roomToken"), room}, {QStringLiteral("counts"), true}})),
            QStringLiteral("permission_denied"));
        QCOMPARE(errorCode(mallory->request({{QStringLiteral("type"), QStringLiteral("subscribe")},
                     {QStringLiteral("roomToken"), room}, {QStringLiteral("counts"), true}})),
            QStringLiteral("permission_denied"));
        // The same roomId in another organization is another room.
        const QString theirs
            = text(result(mallory->heartbeat(QStringLiteral("doc"), QStringLiteral("m1"))), "roomToken");
        QVERIFY(theirs != room);
        QCOMPARE(members(mallory->list(theirs)).size(), 1);
        // An unknown room token lists nothing, as in the seed.
        QCOMPARE(members(alice->list(QStringLiteral("no-such-room"))).size(), 0);
        QCOMPARE(errorCode(alice->subscribe(QStringLiteral("no-such-room"))), QStringLiteral("not_found"));
    }

    void validTokens_data()
    {
        QTest::addColumn<QByteArray>("token");
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QTest::newRow("RS256 via JWKS") << tokens.rs256(TestTokens::claims(now));
        QTest::newRow("HS256") << TestTokens::hs256(TestTokens::claims(now));
    }
    void validTokens()
    {
        QFETCH(QByteArray, token);
        TestClient byFrame;
        QVERIFY(byFrame.open(server.url()));
        QCOMPARE(text(result(byFrame.auth(token)), "userId"), QStringLiteral("user_01"));
        TestClient byHeader;
        QVERIFY(byHeader.open(server.url(), token));
        QCOMPARE(
            text(byHeader.heartbeat(QStringLiteral("doc"), QStringLiteral("s")), "type"), QStringLiteral("result"));
    }

    void refusedTokens_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QString>("reason");
        for (const TestTokens::Refusal &r : tokens.refusals(QDateTime::currentSecsSinceEpoch()))
            QTest::newRow(r.name.constData()) << r.token << r.reason;
    }
    void refusedTokens()
    {
        QFETCH(QByteArray, token);
        QFETCH(QString, reason);
        const quint64 failures = metric(metrics(), QStringLiteral("presence_auth_failures_total"));
        TestClient byFrame;
        QVERIFY(byFrame.open(server.url()));
        const QJsonObject reply = byFrame.auth(token);
        QCOMPARE(errorCode(reply), QStringLiteral("unauthenticated"));
        QVERIFY2(errorMessage(reply).contains(reason), qPrintable(errorMessage(reply)));
        QVERIFY(byFrame.isOpen());
        QCOMPARE(errorCode(byFrame.heartbeat(QStringLiteral("doc"), QStringLiteral("s"))),
            QStringLiteral("unauthenticated"));

        const QByteArray response = http(server.port(),
            "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer "
                + token + "\r\n\r\n");
        QCOMPARE(status(response), 401);
        const QJsonObject body = QJsonDocument::fromJson(response.mid(response.indexOf("\r\n\r\n") + 4)).object();
        QCOMPARE(errorCode(body), QStringLiteral("unauthenticated"));
        QVERIFY2(errorMessage(body).contains(reason), response.constData());
        QCOMPARE(metric(metrics(), QStringLiteral("presence_auth_failures_total")), failures + 2);
    }

    void expiredTokenFailsUntilANewAuthFrame()
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        TestClient alice;
        // Valid for 2 to 3 s: enough for a slow (sanitized) build to connect and heartbeat.
        QVERIFY(alice.open(server.url(), token(QStringLiteral("alice"), Org, {{QStringLiteral("exp"), now + 3}})));
        QCOMPARE(text(alice.heartbeat(QStringLiteral("doc"), QStringLiteral("a1"), 60000), "type"),
            QStringLiteral("result"));
        QTest::qWait(int((now + 3) * 1000 - QDateTime::currentMSecsSinceEpoch()) + 50);
        const QJsonObject refused = alice.heartbeat(QStringLiteral("doc"), QStringLiteral("a1"), 60000);
        QCOMPARE(errorCode(refused), QStringLiteral("unauthenticated"));
        QVERIFY(errorMessage(refused).contains(QLatin1String("expired")));
        QVERIFY(alice.isOpen());
        QCOMPARE(text(result(alice.auth(token(QStringLiteral("alice")))), "userId"), QStringLiteral("alice"));
        QCOMPARE(text(alice.heartbeat(QStringLiteral("doc"), QStringLiteral("a1"), 60000), "type"),
            QStringLiteral("result"));
        // A refresh may not turn the connection into someone else.
        QCOMPARE(errorCode(alice.auth(token(QStringLiteral("bob")))), QStringLiteral("permission_denied"));
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("frame");
        QTest::addColumn<QString>("code");
        QTest::addColumn<bool>("hasId");
        QTest::addColumn<QString>("message");
        const QString longId(300, QLatin1Char('x'));
        QTest::newRow("malformed JSON") << "{\"id\":1,\"type\":"
                                        << "invalid_argument" << false << "malformed JSON";
        QTest::newRow("not an object") << "[1,2]"
                                       << "invalid_argument" << false << "JSON object";
        QTest::newRow("no type") << "{\"id\":1}"
                                 << "invalid_argument" << true << "type must be a string";
        QTest::newRow("unknown type") << "{\"id\":1,\"type\":\"explode\"}"
                                      << "invalid_argument" << true << "unknown type \"explode\"";
        QTest::newRow("fractional id") << "{\"id\":1.5,\"type\":\"list\"}"
                                       << "invalid_argument" << false << "id must be";
        QTest::newRow("string id") << "{\"id\":\"1\",\"type\":\"list\"}"
                                   << "invalid_argument" << false << "id must be";
        QTest::newRow("huge id") << "{\"id\":1e300,\"type\":\"list\"}"
                                 << "invalid_argument" << false << "id must be";
        QTest::newRow("no id") << "{\"type\":\"list\",\"roomToken\":\"t\"}"
                               << "invalid_argument" << false << "id is required";
        QTest::newRow("missing roomId") << "{\"id\":1,\"type\":\"heartbeat\",\"sessionId\":\"s\"}"
                                        << "invalid_argument" << true << "roomId is required";
        QTest::newRow("mistyped roomId") << "{\"id\":1,\"type\":\"heartbeat\",\"roomId\":7,\"sessionId\":\"s\"}"
                                         << "invalid_argument" << true << "roomId must be a string";
        QTest::newRow("oversized roomId")
            << QStringLiteral("{\"id\":1,\"type\":\"heartbeat\",\"roomId\":\"%1\",\"sessionId\":\"s\"}").arg(longId)
            << "invalid_argument" << true << "roomId is longer than 256";
        QTest::newRow("oversized sessionId")
            << QStringLiteral("{\"id\":1,\"type\":\"heartbeat\",\"roomId\":\"r\",\"sessionId\":\"%1\"}").arg(longId)
            << "invalid_argument" << true << "sessionId is longer than 128";
        QTest::newRow("interval too short")
            << "{\"id\":1,\"type\":\"heartbeat\",\"roomId\":\"r\",\"sessionId\":\"s\",\"interval\":500}"
            << "invalid_argument" << true << "interval must be an integer from 1000";
        QTest::newRow("mistyped counts") << "{\"id\":1,\"type\":\"list\",\"roomToken\":\"t\",\"counts\":\"yes\"}"
                                         << "invalid_argument" << true << "counts must be true or false";
        QTest::newRow("mistyped away")
            << "{\"id\":1,\"type\":\"heartbeat\",\"roomId\":\"r\",\"sessionId\":\"s\",\"away\":1}"
            << "invalid_argument" << true << "away must be true or false";
        QTest::newRow("mistyped interval")
            << "{\"id\":1,\"type\":\"heartbeat\",\"roomId\":\"r\",\"sessionId\":\"s\",\"interval\":\"10\"}"
            << "invalid_argument" << true << "interval must be";
        QTest::newRow("limit zero") << "{\"id\":1,\"type\":\"list\",\"roomToken\":\"t\",\"limit\":0}"
                                    << "invalid_argument" << true << "limit must be an integer from 1";
        QTest::newRow("fractional limit") << "{\"id\":1,\"type\":\"list\",\"roomToken\":\"t\",\"limit\":2.5}"
                                          << "invalid_argument" << true << "limit must be";
        QTest::newRow("empty session token") << "{\"id\":1,\"type\":\"disconnect\",\"sessionToken\":\"\"}"
                                             << "invalid_argument" << true << "must not be empty";
        QTest::newRow("unknown subscription") << "{\"id\":1,\"type\":\"unsubscribe\",\"sub\":99}"
                                              << "not_found" << true << "no subscription";
        QTest::newRow("huge sub") << "{\"id\":1,\"type\":\"unsubscribe\",\"sub\":1e300}"
                                  << "not_found" << true << "no subscription";
        QTest::newRow("update without data") << "{\"id\":1,\"type\":\"update\",\"sessionToken\":\"t\"}"
                                             << "invalid_argument" << true << "data is required";
        QTest::newRow("update with a string") << "{\"id\":1,\"type\":\"update\",\"sessionToken\":\"t\",\"data\":\"hi\"}"
                                              << "invalid_argument" << true << "data must be a JSON object or null";
        QTest::newRow("update of an unknown session")
            << "{\"id\":1,\"type\":\"update\",\"sessionToken\":\"t\",\"data\":{}}"
            << "not_found" << true << "no live session";
        QTest::newRow("both roomToken and roomId")
            << "{\"id\":1,\"type\":\"list\",\"roomToken\":\"t\",\"roomId\":\"d\"}"
            << "invalid_argument" << true << "give roomToken or roomId, not both";
        QTest::newRow("neither roomToken nor roomId")
            << "{\"id\":1,\"type\":\"subscribe\"}"
            << "invalid_argument" << true << "roomToken (or roomId) is required";
        QTest::newRow("roomId with a control character") << "{\"id\":1,\"type\":\"subscribe\",\"roomId\":\"a\\u0001b\"}"
                                                         << "invalid_argument" << true << "control characters";
        QTest::newRow("online limit zero") << "{\"id\":1,\"type\":\"online\",\"limit\":0}"
                                           << "invalid_argument" << true << "limit must be an integer from 1";
        QTest::newRow("online cursor a number") << "{\"id\":1,\"type\":\"online\",\"cursor\":5}"
                                                << "invalid_argument" << true << "cursor must be a string";
        QTest::newRow("whereis without userId") << "{\"id\":1,\"type\":\"whereis\"}"
                                                << "invalid_argument" << true << "userId is required";
        QTest::newRow("auth without token") << "{\"id\":1,\"type\":\"auth\"}"
                                            << "invalid_argument" << true << "token must be";
    }
    void badInput()
    {
        QFETCH(QString, frame);
        QFETCH(QString, code);
        QFETCH(bool, hasId);
        QFETCH(QString, message);
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        const QString room = text(result(bob->heartbeat(QStringLiteral("doc"), QStringLiteral("b1"))), "roomToken");
        QCOMPARE(members(bob->subscribe(room)).size(), 1);

        const QJsonObject reply = alice->sendRaw(frame);
        QCOMPARE(text(reply, "type"), QStringLiteral("error"));
        QCOMPARE(errorCode(reply), code);
        QCOMPARE(reply.contains(QLatin1String("id")), hasId);
        QVERIFY2(errorMessage(reply).contains(message), qPrintable(errorMessage(reply)));
        // Nothing else is harmed: the same connection and the others go on.
        QVERIFY(alice->isOpen());
        QCOMPARE(text(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1")), "type"), QStringLiteral("result"));
        QCOMPARE(text(bob->waitForUnsolicited(2000), "type"), QStringLiteral("diff"));
    }

    void binaryFramesGetAnError()
    {
        auto alice = client(QStringLiteral("alice"));
        alice->sendBinary(QByteArray("\x01\x02\x03", 3));
        const QJsonObject reply = alice->waitForUnsolicited(2000);
        QCOMPARE(errorCode(reply), QStringLiteral("invalid_argument"));
        QVERIFY(errorMessage(reply).contains(QLatin1String("binary")));
        QCOMPARE(text(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1")), "type"), QStringLiteral("result"));
    }

    void oversizedMessages()
    {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        const QString padding(17 * 1024, QLatin1Char('x'));
        const QJsonObject reply
            = alice->sendRaw(QStringLiteral("{\"id\":1,\"type\":\"list\",\"roomToken\":\"%1\"}").arg(padding));
        QCOMPARE(errorCode(reply), QStringLiteral("too_large"));
        QVERIFY(!reply.contains(QLatin1String("id")));
        QVERIFY(alice->isOpen());
        // Past four times the limit the message is not even read: the socket closes (1009).
        alice->socket().sendTextMessage(QString(70 * 1024, QLatin1Char('y')));
        QVERIFY(alice->waitForClosed(3000));
        QCOMPARE(alice->closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
        QCOMPARE(text(bob->heartbeat(QStringLiteral("doc"), QStringLiteral("b1")), "type"), QStringLiteral("result"));
    }

    void floodsAreRateLimited()
    {
        QVERIFY(restart({QStringLiteral("--rate-limit"), QStringLiteral("5")}));
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        const QString room = text(result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1"))), "roomToken");
        int limited = 0;
        const QString request = QStringLiteral("{\"id\":7,\"type\":\"list\",\"roomToken\":\"%1\"}").arg(room);
        for (int i = 0; i < 30; ++i) {
            const QJsonObject reply = alice->sendRaw(request);
            if (errorCode(reply) == QLatin1String("rate_limited")) {
                ++limited;
                QVERIFY(errorMessage(reply).contains(QLatin1String("5 requests per second")));
                QVERIFY(!reply.contains(QLatin1String("id"))); // refused unread
            }
        }
        QVERIFY2(limited >= 15, qPrintable(QString::number(limited)));
        QVERIFY(alice->isOpen());
        QCOMPARE(members(bob->list(room)).size(), 1); // another connection has its own budget
        QTest::qWait(600);
        QCOMPARE(members(alice->list(room)).size(), 1); // and the bucket refills
    }

    void tooManySubscriptions()
    {
        QVERIFY(restart({QStringLiteral("--max-subscriptions"), QStringLiteral("2")}));
        auto alice = client(QStringLiteral("alice"));
        const QString room = text(result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1"))), "roomToken");
        QCOMPARE(members(alice->subscribe(room)).size(), 1);
        QCOMPARE(members(alice->subscribe(room)).size(), 1);
        const QJsonObject third = alice->subscribe(room);
        QCOMPARE(errorCode(third), QStringLiteral("rate_limited"));
        QVERIFY(errorMessage(third).contains(QLatin1String("more than 2 subscriptions")));
        QCOMPARE(members(alice->list(room)).size(), 1);
    }

    void slowReadersAreDropped()
    {
        QVERIFY(restart({QStringLiteral("--max-send-buffer"), QStringLiteral("65536"), QStringLiteral("--rate-limit"),
            QStringLiteral("1000000"), QStringLiteral("--max-input-rate"), QStringLiteral("1073741824")}));
        auto bob = client(QStringLiteral("bob"));
        const QString room = text(result(bob->heartbeat(QStringLiteral("doc"), QStringLiteral("b1"))), "roomToken");

        // A raw client that sends requests and never reads the answers.
        QTcpSocket reader;
        reader.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
        reader.setReadBufferSize(4096);
        reader.connectToHost(QHostAddress::LocalHost, server.port());
        QVERIFY(reader.waitForConnected(3000));
        reader.write(
            "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer "
            + token(QStringLiteral("slow")) + "\r\n\r\n");
        QTRY_VERIFY(reader.bytesAvailable() > 0);
        QVERIFY(reader.readAll().startsWith("HTTP/1.1 101"));
        // Masked text frames: {"id":N,"type":"list","roomToken":...} with a long, failing token.
        const QByteArray payload = "{\"id\":1,\"type\":\"unknown-" + QByteArray(60, 'z') + "\"}";
        QByteArray frame;
        frame += char(0x81);
        frame += char(0x80 | payload.size());
        frame += QByteArray(4, '\0'); // zero mask: the payload goes as is
        frame += payload;
        QByteArray burst;
        for (int i = 0; i < 2000; ++i)
            burst += frame;
        QElapsedTimer timer;
        timer.start();
        quint64 closed = 0;
        while (timer.elapsed() < 20000 && reader.state() == QAbstractSocket::ConnectedState) {
            if (reader.bytesToWrite() < 1000'000)
                reader.write(burst);
            QTest::qWait(5);
            closed = metric(metrics(), QStringLiteral("presence_closes_total{reason=\"slow_reader\"}"));
            if (closed > 0)
                break;
        }
        QCOMPARE(closed, quint64(1));
        QCOMPARE(members(bob->list(room)).size(), 1);
    }

    void handshakeTimeouts()
    {
        QVERIFY(restart({QStringLiteral("--handshake-timeout"), QStringLiteral("300"), QStringLiteral("--auth-timeout"),
            QStringLiteral("300")}));
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(status(http(server.port(), "")), 408);
        QCOMPARE(status(http(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n")), 408);
        QVERIFY(timer.elapsed() < 4000);
        // A WebSocket that never authenticates is closed too.
        TestClient silent;
        QVERIFY(silent.open(server.url()));
        QVERIFY(silent.waitForClosed(3000));
        QCOMPARE(silent.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    }

    void tooManyConnections()
    {
        QVERIFY(restart({QStringLiteral("--max-connections"), QStringLiteral("2")}));
        // The limit is each server's (each node's): both on the first.
        auto alice = std::make_unique<TestClient>();
        auto bob = std::make_unique<TestClient>();
        QVERIFY(alice->open(server.url(), token(QStringLiteral("alice"))));
        QVERIFY(bob->open(server.url(), token(QStringLiteral("bob"))));
        QVERIFY(alice && bob);
        const QByteArray refused = http(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(status(refused), 503);
        QVERIFY(refused.contains("too many connections"));
        TestClient carol;
        QVERIFY(!carol.open(server.url(), token(QStringLiteral("carol"))));
        alice.reset();
        QTRY_COMPARE_WITH_TIMEOUT(status(http(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")), 200, 3000);
        QCOMPARE(text(bob->heartbeat(QStringLiteral("doc"), QStringLiteral("b1")), "type"), QStringLiteral("result"));
    }

    void httpEndpoints()
    {
        QCOMPARE(status(http(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")), 200);
        QCOMPARE(status(http(server.port(), "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")), 405);
        QCOMPARE(status(http(server.port(), "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n")), 404);
        QCOMPARE(status(http(server.port(), "GET /ws HTTP/1.1\r\nHost: x\r\n\r\n")), 426);
        QCOMPARE(status(http(server.port(), "GET /disconnect HTTP/1.1\r\nHost: x\r\n\r\n")), 405);
        QCOMPARE(status(http(server.port(), "HELLO\r\n\r\n")), 400);
        QCOMPARE(
            status(http(server.port(), "POST /disconnect HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n")),
            411);
        // Bytes past what any request needs are not buffered, whatever their framing.
        QCOMPARE(status(http(server.port(),
                     "POST /disconnect HTTP/1.1\r\nContent-Length: 3000\r\n\r\n" + QByteArray(20000, 'x'))),
            413);
        QCOMPARE(status(http(server.port(), "GET / HTTP/1.1\r\nX: " + QByteArray(9000, 'a') + "\r\n\r\n")), 431);
        QCOMPARE(status(http(server.port(),
                     "POST /disconnect HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + QByteArray(5000, '{'))),
            413);
        const QByteArray text = http(server.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(status(text), 200);
        QVERIFY(text.contains("# TYPE presence_heartbeats_total counter"));
    }

    void beaconDisconnect()
    {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        const QJsonObject beat = result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1")));
        QCOMPARE(members(bob->subscribe(text(beat, "roomToken"))).size(), 1);
        const QByteArray body = "{\"sessionToken\":\"" + text(beat, "sessionToken").toUtf8() + "\"}";
        const QByteArray response = http(server.port(),
            "POST /disconnect HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: "
                + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QCOMPARE(status(response), 204);
        const QJsonObject diff = bob->waitForUnsolicited(2000);
        QCOMPARE(memberOf(diff.value(QLatin1String("upsert")).toArray(), QStringLiteral("alice"))
                     .value(QLatin1String("online"))
                     .toBool(true),
            false);
        // Unknown tokens are a no-op; a body without one is a clear error.
        QCOMPARE(status(http(server.port(),
                     "POST /disconnect HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n{\"sessionToken\":\"z\"}")),
            204);
        const QByteArray bad
            = http(server.port(), "POST /disconnect HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n[]");
        QCOMPARE(status(bad), 400);
        QVERIFY(bad.contains("\"code\":\"invalid_argument\""));
    }

    void metricsMove()
    {
        auto alice = client(QStringLiteral("alice"));
        const QByteArray before = metrics();
        alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1"));
        alice->sendRaw(QStringLiteral("nonsense"));
        const QByteArray after = metrics();
        QCOMPARE(metric(after, QStringLiteral("presence_heartbeats_total")),
            metric(before, QStringLiteral("presence_heartbeats_total")) + 1);
        QCOMPARE(metric(after, QStringLiteral("presence_errors_total{code=\"invalid_argument\"}")),
            metric(before, QStringLiteral("presence_errors_total{code=\"invalid_argument\"}")) + 1);
        QCOMPARE(metric(after, QStringLiteral("presence_sessions")), quint64(1));
        if (!cluster) // a node counts the rooms it mirrors, not those its clients are in
            QCOMPARE(metric(after, QStringLiteral("presence_rooms")), quint64(1));
        QCOMPARE(metric(after, QStringLiteral("presence_connections")), quint64(1));
        QVERIFY(metric(after, QStringLiteral("presence_received_bytes_total"))
            > metric(before, QStringLiteral("presence_received_bytes_total")));
        QVERIFY(metric(after, QStringLiteral("presence_sent_bytes_total"))
            > metric(before, QStringLiteral("presence_sent_bytes_total")));
    }

    void closeGraceWithoutReconnect()
    {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        const QString room = text(result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1"))), "roomToken");
        bob->subscribe(room);
        QElapsedTimer timer;
        timer.start();
        alice->socket().abort(); // a crash: no disconnect, no close frame
        const QJsonObject diff = bob->waitForUnsolicited(5000);
        const qint64 elapsed = timer.elapsed();
        QCOMPARE(memberOf(diff.value(QLatin1String("upsert")).toArray(), QStringLiteral("alice"))
                     .value(QLatin1String("online"))
                     .toBool(true),
            false);
        // Offline after the grace, long before the 25 s session timeout.
        QVERIFY2(elapsed >= Grace - 50 && elapsed < Grace + 1500, qPrintable(QString::number(elapsed)));
    }

    void closeGraceWithReconnect()
    {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        const QString room = text(result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1"))), "roomToken");
        bob->subscribe(room);
        alice->socket().abort();
        QTest::qWait(Grace / 4);
        auto again = client(QStringLiteral("alice"));
        QCOMPARE(text(again->heartbeat(QStringLiteral("doc"), QStringLiteral("a1")), "type"), QStringLiteral("result"));
        QVERIFY(bob->waitForUnsolicited(Grace * 3).isEmpty()); // no offline/online flap
        QCOMPARE(
            memberOf(members(bob->list(room)), QStringLiteral("alice")).value(QLatin1String("online")).toBool(), true);
    }

    void reconnectThatRacesTheOldSocketKeepsTheSession()
    {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        const QString room = text(result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1"))), "roomToken");
        bob->subscribe(room);
        auto again = client(QStringLiteral("alice"));
        again->heartbeat(QStringLiteral("doc"), QStringLiteral("a1"));
        alice->socket().abort(); // the old socket's close arrives after the new heartbeat
        QVERIFY(bob->waitForUnsolicited(Grace * 3).isEmpty());
    }

    void sigkillUnderLoadThenRestart()
    {
        QVERIFY(restart({QStringLiteral("--deadline-write-factor"), QStringLiteral("1.25")}));
        auto gone = client(QStringLiteral("gone"));
        const QJsonObject goneBeat = result(gone->heartbeat(QStringLiteral("room-0"), QStringLiteral("g1"), 1000));
        const QString room0 = text(goneBeat, "roomToken");
        gone->request({{QStringLiteral("type"), QStringLiteral("disconnect")},
            {QStringLiteral("sessionToken"), text(goneBeat, "sessionToken")}});
        auto watcher = client(QStringLiteral("watcher"));
        const qint64 goneAt = qint64(memberOf(members(watcher->list(room0)), QStringLiteral("gone"))
                                         .value(QLatin1String("lastDisconnected"))
                                         .toDouble());
        QVERIFY(goneAt > 0);

        // Load: 20 users in 4 rooms heartbeating every second; the server dies mid-stream.
        std::vector<std::unique_ptr<TestClient>> clients;
        QStringList rooms;
        for (int i = 0; i < 20; ++i) {
            clients.push_back(client(QStringLiteral("user-%1").arg(i)));
            QVERIFY(clients.back());
        }
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 1500) {
            for (int i = 0; i < 20; ++i) {
                const QJsonObject beat = clients[size_t(i)]->heartbeat(
                    QStringLiteral("room-%1").arg(i % 4), QStringLiteral("s-%1").arg(i), 1000);
                const QString token = text(result(beat), "roomToken");
                if (!rooms.contains(token))
                    rooms.append(token);
            }
            QTest::qWait(100);
        }
        QCOMPARE(rooms.size(), 4);
        server.kill();
        clients.clear();
        watcher.reset();

        QTest::qWait(2600); // past every session's 2.5 s timeout
        QVERIFY(restart());
        auto after = client(QStringLiteral("watcher"));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        int seen = 0;
        for (const QString &room : rooms) {
            for (const QJsonValue &value : members(after->list(room))) {
                const QJsonObject m = value.toObject();
                if (!text(m, "userId").startsWith(QLatin1String("user-")))
                    continue;
                ++seen;
                QVERIFY2(!m.value(QLatin1String("online")).toBool(), qPrintable(text(m, "userId"))); // no ghost
                const qint64 last = qint64(m.value(QLatin1String("lastDisconnected")).toDouble());
                QVERIFY(last > 0 && last <= now);
            }
        }
        QCOMPARE(seen, 20);
        const QJsonObject kept = memberOf(members(after->list(room0)), QStringLiteral("gone"));
        QCOMPARE(qint64(kept.value(QLatin1String("lastDisconnected")).toDouble()), goneAt);
    }

    void sigtermKeepsSessionsForARollingRestart()
    {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        const QJsonObject beat = result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1")));
        bob->subscribe(text(beat, "roomToken"));
        QCOMPARE(server.terminate(), 0);
        QVERIFY(alice->waitForClosed(3000));
        QCOMPARE(alice->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        QVERIFY(bob->unsolicited().isEmpty()); // nobody was pushed offline on the way down

        QVERIFY(restart());
        auto alice2 = client(QStringLiteral("alice"));
        auto bob2 = client(QStringLiteral("bob"));
        const QJsonObject again = result(alice2->heartbeat(QStringLiteral("doc"), QStringLiteral("a1")));
        QCOMPARE(again, beat); // same room and session tokens
        const QJsonObject listed = memberOf(members(bob2->subscribe(text(beat, "roomToken"))), QStringLiteral("alice"));
        QCOMPARE(listed.value(QLatin1String("online")).toBool(), true);
        QCOMPARE(listed.value(QLatin1String("lastDisconnected")).toDouble(), 0.0);
    }

    void usersImportReachesARunningServer()
    {
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        bob->subscribe(text(result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1"))), "roomToken"));
        QFile users(path(QStringLiteral("users.json")));
        QVERIFY(users.open(QIODevice::WriteOnly));
        users.write("[{\"workosId\": \"alice\", \"email\": \"alice@example.com\", \"name\": \"Alice Liddell\", "
                    "\"image\": \"https://example.com/alice.png\"}]");
        users.close();
        QProcess import;
        // A cluster's users table is in its Redis, where the command writes it.
        const QStringList where = cluster ? QStringList {QStringLiteral("--redis"), redisUrl()}
                                          : QStringList {QStringLiteral("--database"), database};
        import.start(ServerProcess::binary(),
            QStringList {
                QStringLiteral("users"), QStringLiteral("import"), users.fileName(), QStringLiteral("--org"), Org}
                + where);
        QVERIFY(import.waitForFinished(10000));
        QCOMPARE(import.exitCode(), 0);
        QVERIFY(import.readAllStandardOutput().contains("1 changed"));
        const QJsonObject diff = bob->waitForUnsolicited(3000);
        const QJsonObject member = memberOf(diff.value(QLatin1String("upsert")).toArray(), QStringLiteral("alice"));
        QCOMPARE(text(member, "name"), QStringLiteral("Alice Liddell"));
        QCOMPARE(text(member, "image"), QStringLiteral("https://example.com/alice.png"));
        // Whoever asks, on whichever node.
        auto carol = client(QStringLiteral("carol"));
        const QJsonObject online = result(carol->request({{QStringLiteral("type"), QStringLiteral("online")}}));
        QCOMPARE(text(online.value(QLatin1String("users")).toArray().at(0).toObject(), "name"),
            QStringLiteral("Alice Liddell"));
    }

    void roomsAndUsersFromTheCommandLine()
    {
        if (cluster)
            QSKIP("about a single server's SQLite database");
        auto alice = client(QStringLiteral("alice"));
        auto bob = client(QStringLiteral("bob"));
        result(alice->heartbeat(QStringLiteral("doc"), QStringLiteral("a1")));
        result(bob->heartbeat(QStringLiteral("doc"), QStringLiteral("b1")));
        result(bob->heartbeat(QStringLiteral("plan"), QStringLiteral("b2")));
        const auto run = [&](QStringList arguments, QByteArray *out = nullptr) {
            arguments << QStringLiteral("--database") << database << QStringLiteral("--org") << Org;
            QProcess command;
            command.start(ServerProcess::binary(), arguments);
            if (!command.waitForFinished(10000))
                return -1;
            if (out)
                *out = command.readAllStandardOutput() + command.readAllStandardError();
            return command.exitCode();
        };
        QByteArray out;
        QCOMPARE(run({QStringLiteral("rooms"), QStringLiteral("list")}, &out), 0); // while the server runs
        QCOMPARE(out, QByteArray("roomId\tonline\ttotal\ndoc\t2\t2\nplan\t1\t1\n"));
        // Changing rooms needs the database to itself: refused, with what to do instead.
        QCOMPARE(run({QStringLiteral("rooms"), QStringLiteral("remove"), QStringLiteral("doc")}, &out), 1);
        QVERIFY2(out.contains("in use by another presence process") && out.contains("removeRoom"), out.constData());

        QCOMPARE(server.terminate(), 0); // sessions are kept for a rolling restart
        QCOMPARE(run({QStringLiteral("rooms"), QStringLiteral("remove"), QStringLiteral("doc")}, &out), 0);
        QVERIFY2(out.contains("2 live sessions ended"), out.constData());
        QCOMPARE(run({QStringLiteral("rooms"), QStringLiteral("remove"), QStringLiteral("doc")}, &out), 1);
        QVERIFY2(out.contains("no room \"doc\""), out.constData());
        QCOMPARE(run({QStringLiteral("users"), QStringLiteral("remove"), QStringLiteral("bob")}, &out), 0);
        QVERIFY2(out.contains("from 1 rooms"), out.constData());
        QCOMPARE(run({QStringLiteral("rooms"), QStringLiteral("list")}, &out), 0);
        QCOMPARE(out, QByteArray("roomId\tonline\ttotal\nplan\t0\t0\n"));
        QCOMPARE(run({QStringLiteral("rooms"), QStringLiteral("frobnicate")}, &out), 1);
        QVERIFY(out.contains("usage: presence-server rooms list"));
        QVERIFY(restart());
    }

    void usersImportNeedsAnOrganizationAndSafeImages()
    {
        QFile users(path(QStringLiteral("unsafe.json")));
        QVERIFY(users.open(QIODevice::WriteOnly));
        users.write("[{\"workosId\": \"alice\", \"image\": \"https://example.com/a.png\"},"
                    " {\"workosId\": \"bob\", \"image\": \"file:///dev/zero\"}]");
        users.close();
        auto import = [&](const QStringList &extra) {
            auto process = std::make_unique<QProcess>();
            process->start(ServerProcess::binary(),
                QStringList {QStringLiteral("users"), QStringLiteral("import"), users.fileName(),
                    QStringLiteral("--database"), database}
                    + extra);
            process->waitForFinished(10000);
            return process;
        };
        const auto noOrg = import({});
        QCOMPARE(noOrg->exitCode(), 1);
        QVERIFY(noOrg->readAllStandardError().contains("needs --org"));
        const auto unsafe = import({QStringLiteral("--org"), Org});
        QCOMPARE(unsafe->exitCode(), 1);
        const QByteArray error = unsafe->readAllStandardError();
        QVERIFY2(error.contains("users[1].image") && error.contains("file: scheme is not accepted"), error.constData());
    }

    void pictureClaimsAreHttpsOnly()
    {
        auto watcher = client(QStringLiteral("watcher"));
        const QString room = text(result(watcher->heartbeat(QStringLiteral("doc"), QStringLiteral("w1"))), "roomToken");
        const QStringList pictures {QStringLiteral("file:///dev/zero"), QStringLiteral("http://10.0.0.1/printer.png"),
            QStringLiteral("qrc:/avatars/ada.png"), QStringLiteral("https://example.com/ok.png"),
            QStringLiteral("http://127.0.0.1:8080/dev.png")};
        for (int i = 0; i < pictures.size(); ++i) {
            TestClient user;
            QVERIFY(user.open(server.url(),
                token(QStringLiteral("user-%1").arg(i), Org, {{QStringLiteral("picture"), pictures.at(i)}})));
            QCOMPARE(text(user.heartbeat(QStringLiteral("doc"), QStringLiteral("u%1").arg(i)), "type"),
                QStringLiteral("result"));
            const QJsonObject member = memberOf(members(watcher->list(room)), QStringLiteral("user-%1").arg(i));
            QCOMPARE(text(member, "image"), i < 3 ? QString() : pictures.at(i));
        }
    }

    void aNameCannotCarryAPicturePastItsCheck()
    {
        // A cluster keeps a member's name and picture together in Redis: a name holding the
        // separator must stay a name, not become a picture no check saw.
        auto watcher = client(QStringLiteral("watcher"));
        const QString room = text(result(watcher->heartbeat(QStringLiteral("doc"), QStringLiteral("w1"))), "roomToken");
        const QString name = QStringLiteral("Eve\x1f\x1ehttp://10.0.0.1/printer.png\x1f");
        TestClient eve;
        QVERIFY(eve.open(server.url(), token(QStringLiteral("eve"), Org, {{QStringLiteral("name"), name}})));
        QCOMPARE(text(eve.heartbeat(QStringLiteral("doc"), QStringLiteral("e1")), "type"), QStringLiteral("result"));
        const QJsonObject member = memberOf(members(watcher->list(room)), QStringLiteral("eve"));
        QCOMPARE(text(member, "name"), name);
        QCOMPARE(text(member, "image"), QString());
    }

    void theAuthAnswerTellsTheNameAndOnlyACheckedPicture()
    {
        // The app shows its user as others see them: the name of the token, and its picture
        // only when the server lets others see it.
        TestClient grace;
        QVERIFY(grace.open(server.url()));
        const QJsonObject named = result(grace.auth(token(QStringLiteral("grace"), Org,
            {{QStringLiteral("name"), QStringLiteral("Grace Hopper")},
                {QStringLiteral("picture"), QStringLiteral("https://avatars.example.com/grace.png")}})));
        QCOMPARE(text(named, "name"), QStringLiteral("Grace Hopper"));
        QCOMPARE(text(named, "image"), QStringLiteral("https://avatars.example.com/grace.png"));

        TestClient eve;
        QVERIFY(eve.open(server.url()));
        const QJsonObject refused = result(eve.auth(
            token(QStringLiteral("eve"), Org, {{QStringLiteral("picture"), QStringLiteral("http://10.0.0.1/x.png")}})));
        QCOMPARE(text(refused, "userId"), QStringLiteral("eve"));
        QVERIFY(!refused.contains(QLatin1String("image")));
        QVERIFY(!refused.contains(QLatin1String("name")));
    }

    void mintTokenMakesAWorkingToken()
    {
        QProcess mint;
        mint.start(ServerProcess::binary(),
            {QStringLiteral("mint-token"), QStringLiteral("--secret-file"), path(QStringLiteral("dev.secret")),
                QStringLiteral("--user"), QStringLiteral("dora"), QStringLiteral("--org"), Org,
                QStringLiteral("--name"), QStringLiteral("Dora Explorer"), QStringLiteral("--issuer"),
                TestTokens::Issuer, QStringLiteral("--audience"), TestTokens::Audience});
        QVERIFY(mint.waitForFinished(10000));
        QCOMPARE(mint.exitCode(), 0);
        const QByteArray minted = mint.readAllStandardOutput().trimmed();
        TestClient dora;
        QVERIFY(dora.open(server.url(), minted));
        const QString room = text(result(dora.heartbeat(QStringLiteral("doc"), QStringLiteral("d1"))), "roomToken");
        QCOMPARE(text(members(dora.list(room))[0].toObject(), "name"), QStringLiteral("Dora Explorer"));
    }

    void tlsServesWss()
    {
        const QString cert = path(QStringLiteral("cert.pem"));
        const QString key = path(QStringLiteral("key.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
            {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                QStringLiteral("-nodes"), QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert});
        QVERIFY(openssl.waitForFinished(30000));
        QCOMPARE(openssl.exitCode(), 0);
        QVERIFY(restart({QStringLiteral("--tls-cert"), cert, QStringLiteral("--tls-key"), key}));
        QCOMPARE(server.url().scheme(), QStringLiteral("wss"));
        TestClient alice;
        QVERIFY(alice.open(server.url(), token(QStringLiteral("alice")), true));
        QCOMPARE(text(alice.heartbeat(QStringLiteral("doc"), QStringLiteral("a1")), "type"), QStringLiteral("result"));
        // Plain text on a TLS port gets nowhere.
        QVERIFY(status(http(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 2000)) != 200);
    }

    void aSecondServerOnTheSameDatabaseIsRefused()
    {
        if (cluster)
            QSKIP("about a single server's SQLite database");
        ServerProcess second;
        QVERIFY(!second.start(database, baseArguments()));
        second.process().waitForFinished(5000);
        QCOMPARE(second.process().state(), QProcess::NotRunning);
        QCOMPARE(second.process().exitCode(), 1);
        QVERIFY2(second.errors().contains("in use by another presence process"), second.errors().constData());
    }

    void configurationErrorsAreClear_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad listen") << QStringList {QStringLiteral("--listen"), QStringLiteral("nowhere")}
                                    << "--listen";
        QTest::newRow("bad number") << QStringList {QStringLiteral("--close-grace"), QStringLiteral("soon")}
                                    << "--close-grace: \"soon\" is not an integer";
        QTest::newRow("no auth") << QStringList {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")}
                                 << "no way to verify tokens";
        QTest::newRow("missing key file")
            << QStringList {QStringLiteral("--jwks"), QStringLiteral("/nonexistent/jwks.json")}
            << "cannot read the JWKS file";
        QTest::newRow("cert without key") << QStringList {QStringLiteral("--hs256-secret-file"), QStringLiteral("x"),
            QStringLiteral("--tls-cert"), QStringLiteral("c.pem")}
                                          << "--tls-cert and --tls-key go together";
        QTest::newRow("plain http webhook elsewhere") << QStringList {QStringLiteral("--hs256-secret-file"),
            QStringLiteral("x"), QStringLiteral("--webhook-url"), QStringLiteral("http://hooks.example.com/presence"),
            QStringLiteral("--webhook-secret-file"),
            QStringLiteral("s")} << "--webhook-url: \"http://hooks.example.com/presence\" is not an https: URL";
        QTest::newRow("webhook without a secret") << QStringList {QStringLiteral("--hs256-secret-file"),
            QStringLiteral("x"), QStringLiteral("--webhook-url"), QStringLiteral("https://hooks.example.com/presence")}
                                                  << "--webhook-url needs --webhook-secret-file";
        QTest::newRow("missing webhook secret") << QStringList {QStringLiteral("--hs256-secret-file"),
            path(QStringLiteral("dev.secret")), QStringLiteral("--database"), path(QStringLiteral("webhook-config.db")),
            QStringLiteral("--webhook-url"), QStringLiteral("https://hooks.example.com/presence"),
            QStringLiteral("--webhook-secret-file"), QStringLiteral("/nonexistent/webhook.secret")}
                                                << "cannot read the webhook secret file";
    }
    void configurationErrorsAreClear()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        QProcess process;
        process.start(ServerProcess::binary(),
            arguments + QStringList {QStringLiteral("--database"), path(QStringLiteral("cfg.db"))});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 1);
        const QString errors = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(errors.contains(message), qPrintable(errors));
    }

    void configFileAndEnvironment()
    {
        QFile config(path(QStringLiteral("presence.conf")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("listen = 127.0.0.1:0\nhs256-secret-file = " + path(QStringLiteral("dev.secret")).toUtf8()
            + "\nclose-grace = 100\n");
        config.close();
        ServerProcess configured;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("PRESENCE_CONFIG"), config.fileName());
        environment.insert(QStringLiteral("PRESENCE_CLOSE_GRACE"), QStringLiteral("150")); // the environment wins
        configured.process().setProcessEnvironment(environment);
        QVERIFY(configured.start(path(QStringLiteral("configured.db")), {}));
        TestClient alice;
        QVERIFY(
            alice.open(configured.url(), TestTokens::hs256(TestTokens::claims(QDateTime::currentSecsSinceEpoch()))));
        QCOMPARE(configured.terminate(), 0);

        config.open(QIODevice::WriteOnly);
        config.write("close-grace = 100\ncolse-grace = 5\n");
        config.close();
        QProcess typo;
        typo.setProcessEnvironment(environment);
        typo.start(ServerProcess::binary(), {});
        QVERIFY(typo.waitForFinished(10000));
        QCOMPARE(typo.exitCode(), 1);
        QVERIFY(typo.readAllStandardError().contains("unknown key \"colse-grace\""));
    }

    void helpExplainsTheServer()
    {
        QProcess help;
        help.start(ServerProcess::binary(), {QStringLiteral("--help")});
        QVERIFY(help.waitForFinished(10000));
        QCOMPARE(help.exitCode(), 0);
        const QByteArray text = help.readAllStandardOutput();
        for (const char *part :
            {"mint-token", "users import", "--listen", "PRESENCE_CLOSE_GRACE", "/metrics", "--jwks"})
            QVERIFY2(text.contains(part), part);
    }
};

QTEST_GUILESS_MAIN(ServerTest)
#include "tst_server.moc"
