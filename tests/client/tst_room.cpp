// Room, Client and MembersModel, behaving as the seed's usePresence hook. One test body,
// two fixtures: PRESENCE_TEST_TRANSPORT=embedded (an EmbeddedServer in this process) or
// remote (the real presence-server binary on a loopback port).
#include "fixtures.h"
#include "membersmodel.h"
#include "redisprocess.h"
#include "room.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QWindow>

using namespace Presence;
using namespace PresenceTest;

namespace {

/// Every change signal of a model, as text: "insert 1", "remove 0", "move 0->3",
/// "change 2 online,lastDisconnected,memberData", "reset".
class Recorder : public QObject
{
public:
    QStringList log;

    explicit Recorder(QAbstractItemModel *model)
    {
        connect(model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { log << range(QStringLiteral("insert"), first, last); });
        connect(model, &QAbstractItemModel::rowsRemoved, this,
            [this](const QModelIndex &, int first, int last) { log << range(QStringLiteral("remove"), first, last); });
        connect(model, &QAbstractItemModel::rowsMoved, this,
            [this](const QModelIndex &, int start, int, const QModelIndex &, int row) {
                log << QStringLiteral("move %1->%2").arg(start).arg(row);
            });
        connect(model, &QAbstractItemModel::dataChanged, this,
            [this, model](const QModelIndex &topLeft, const QModelIndex &, const QList<int> &roles) {
                QStringList names;
                for (int role : roles)
                    names << QString::fromLatin1(model->roleNames().value(role));
                log << QStringLiteral("change %1 %2").arg(topLeft.row()).arg(names.join(QLatin1Char(',')));
            });
        connect(model, &QAbstractItemModel::modelReset, this, [this] { log << QStringLiteral("reset"); });
        connect(model, &QAbstractItemModel::layoutChanged, this, [this] { log << QStringLiteral("layout"); });
    }
    static QString range(const QString &what, int first, int last)
    {
        return first == last ? QStringLiteral("%1 %2").arg(what).arg(first)
                             : QStringLiteral("%1 %2-%3").arg(what).arg(first).arg(last);
    }
};

QStringList userIds(const MembersModel *model)
{
    QStringList ids;
    for (int i = 0; i < model->rowCount(); ++i)
        ids << model->data(model->index(i), MembersModel::UserIdRole).toString();
    return ids;
}

bool isOnline(const MembersModel *model, const QString &userId)
{
    for (int i = 0; i < model->rowCount(); ++i) {
        if (model->data(model->index(i), MembersModel::UserIdRole).toString() == userId)
            return model->data(model->index(i), MembersModel::OnlineRole).toBool();
    }
    return false;
}

/// One person with a client and a room.
/// A WebSocket server on loopback that answers each request frame as `answer` says: a server
/// that misbehaves, or one newer than this client.
class FakeServer
{
public:
    using Answer = std::function<void(QWebSocket *socket, const QJsonObject &request)>;

    explicit FakeServer(Answer answer)
        : m_answer(std::move(answer))
    {
        QObject::connect(&m_server, &QWebSocketServer::newConnection, &m_server, [this] {
            m_sockets.emplace_back(m_server.nextPendingConnection());
            QWebSocket *socket = m_sockets.back().get();
            QObject::connect(socket, &QWebSocket::textMessageReceived, socket, [this, socket](const QString &text) {
                m_answer(socket, QJsonDocument::fromJson(text.toUtf8()).object());
            });
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_server.serverPort())); }

private:
    Answer m_answer;
    QWebSocketServer m_server {QStringLiteral("fake"), QWebSocketServer::NonSecureMode};
    std::vector<std::unique_ptr<QWebSocket>> m_sockets;
};

struct Person
{
    std::unique_ptr<Client> client;
    std::unique_ptr<Room> room;
};

} // namespace

class RoomTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir;
    std::unique_ptr<Fixture> fixture;
    int rooms = 0;
    QString roomId;

    Person join(const QString &user, const QString &name = QString(), int interval = 10'000)
    {
        Person p;
        p.client = fixture->client(user, name);
        p.room = std::make_unique<Room>();
        p.room->setClient(p.client.get());
        p.room->setInterval(interval);
        p.room->setRoomId(roomId);
        return p;
    }
    /// Waits until `model` lists exactly `ids` (in order) with these online flags.
    static bool settles(const MembersModel *model, const QStringList &ids, int timeoutMs = 5000)
    {
        if (QTest::qWaitFor([&] { return userIds(model) == ids; }, timeoutMs))
            return true;
        qWarning() << "have" << userIds(model) << "want" << ids;
        return false;
    }
    /// Another process as user "peer" in this test's room, until `model` sees it online.
    bool startPeer(QProcess &peer, const MembersModel *model)
    {
        peer.start(QStringLiteral(PRESENCE_TESTPEER),
            {fixture->url().toString(), fixture->token(QStringLiteral("peer")), roomId, QStringLiteral("10000")});
        return peer.waitForStarted() && waitOnline(model, QStringLiteral("peer"), true, 10000);
    }
    static bool waitOnline(const MembersModel *model, const QString &userId, bool online, int timeoutMs)
    {
        return QTest::qWaitFor(
            [&] { return isOnline(model, userId) == online && userIds(model).contains(userId); }, timeoutMs);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir.isValid());
        fixture = makeFixture();
        QVERIFY(fixture->start(dir.path()));
        qInfo() << "transport:" << (fixture->remote() ? "remote presence-server" : "embedded");
    }

    void init() { roomId = QStringLiteral("doc-%1").arg(++rooms); }

    void firstLoadIsOneReset()
    {
        Person alice = join(QStringLiteral("alice"));
        QAbstractItemModelTester tester(alice.room->members(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        Recorder recorder(alice.room->members());
        QTRY_VERIFY_WITH_TIMEOUT(alice.room->members()->isLoaded(), 5000);
        QCOMPARE(recorder.log, QStringList {QStringLiteral("reset")});
        QCOMPARE(userIds(alice.room->members()), QStringList {QStringLiteral("alice")});
        QVERIFY(alice.room->members()->data(alice.room->members()->index(0), MembersModel::IsSelfRole).toBool());
        QVERIFY(alice.room->isPresent());
        QVERIFY(!alice.room->sessionId().isEmpty());
    }

    void steadyHeartbeatsEmitNoModelSignals()
    {
        Person alice = join(QStringLiteral("alice"));
        Person bob = join(QStringLiteral("bob"));
        QVERIFY(settles(bob.room->members(), {QStringLiteral("alice"), QStringLiteral("bob")}));
        QVERIFY(settles(alice.room->members(), {QStringLiteral("alice"), QStringLiteral("bob")}));
        Recorder aliceSees(alice.room->members());
        Recorder bobSees(bob.room->members());
        QSignalSpy counts(bob.room->members(), &MembersModel::countChanged);
        for (int i = 0; i < 10; ++i) {
            alice.room->heartbeat();
            bob.room->heartbeat();
            QTest::qWait(30);
        }
        QTest::qWait(100);
        QCOMPARE(aliceSees.log, QStringList());
        QCOMPARE(bobSees.log, QStringList());
        QCOMPARE(counts.size(), 0);
        QCOMPARE(alice.room->errorCode(), QString());
    }

    void joinLeaveAndReorderSignals()
    {
        Person bob = join(QStringLiteral("bob"));
        QVERIFY(settles(bob.room->members(), {QStringLiteral("bob")}));
        QAbstractItemModelTester tester(bob.room->members(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        Recorder recorder(bob.room->members());

        Person alice = join(QStringLiteral("alice"));
        QVERIFY(settles(bob.room->members(), {QStringLiteral("bob"), QStringLiteral("alice")}));
        Person carol = join(QStringLiteral("carol"));
        QVERIFY(
            settles(bob.room->members(), {QStringLiteral("bob"), QStringLiteral("alice"), QStringLiteral("carol")}));
        QCOMPARE(recorder.log, (QStringList {QStringLiteral("insert 1"), QStringLiteral("insert 2")}));
        recorder.log.clear();

        // Alice leaves: she moves behind everyone online, once, and her fields change.
        alice.room->setActive(false);
        QVERIFY(
            settles(bob.room->members(), {QStringLiteral("bob"), QStringLiteral("carol"), QStringLiteral("alice")}));
        QTest::qWait(50);
        QCOMPARE(recorder.log,
            (QStringList {QStringLiteral("move 1->3"), QStringLiteral("change 2 online,lastDisconnected,memberData")}));
        QVERIFY(!isOnline(bob.room->members(), QStringLiteral("alice")));
        recorder.log.clear();

        // She comes back: after everyone online, as the server orders it.
        alice.room->setActive(true);
        QVERIFY(waitOnline(bob.room->members(), QStringLiteral("alice"), true, 5000));
        QTest::qWait(50);
        QCOMPARE(userIds(bob.room->members()),
            (QStringList {QStringLiteral("bob"), QStringLiteral("carol"), QStringLiteral("alice")}));
        QCOMPARE(recorder.log, (QStringList {QStringLiteral("change 2 online,memberData")}));
        recorder.log.clear();

        // Carol leaves, then Alice: the most recently gone comes first among the offline.
        carol.room->setActive(false);
        QVERIFY(waitOnline(bob.room->members(), QStringLiteral("carol"), false, 5000));
        QTest::qWait(20);
        alice.room->setActive(false);
        QVERIFY(
            settles(bob.room->members(), {QStringLiteral("bob"), QStringLiteral("alice"), QStringLiteral("carol")}));
        QTest::qWait(50);
        QCOMPARE(recorder.log,
            (QStringList {QStringLiteral("move 1->3"), QStringLiteral("change 2 online,lastDisconnected,memberData"),
                QStringLiteral("change 1 online,lastDisconnected,memberData")}));
    }

    void profileChangeIsOneDataChange()
    {
        Person alice = join(QStringLiteral("alice"), QStringLiteral("Alice Liddell"));
        Person bob = join(QStringLiteral("bob"));
        QVERIFY(settles(bob.room->members(), {QStringLiteral("alice"), QStringLiteral("bob")}));
        const MembersModel *model = bob.room->members();
        QCOMPARE(model->data(model->index(0), MembersModel::NameRole).toString(), QStringLiteral("Alice Liddell"));
        QCOMPARE(model->data(model->index(0), MembersModel::InitialsRole).toString(), QStringLiteral("AL"));
        Recorder recorder(bob.room->members());
        fixture->rename(alice.client.get(), QStringLiteral("alice"), QStringLiteral("Alice Hargreaves"));
        QTest::qWait(100); // a remote token change is an auth frame: let it land first
        alice.room->heartbeat();
        QTRY_COMPARE_WITH_TIMEOUT(
            model->data(model->index(0), MembersModel::NameRole).toString(), QStringLiteral("Alice Hargreaves"), 5000);
        QTest::qWait(50);
        QCOMPARE(recorder.log, (QStringList {QStringLiteral("change 0 display,name,initials,memberData")}));
        QCOMPARE(model->data(model->index(0), MembersModel::InitialsRole).toString(), QStringLiteral("AH"));
    }

    void hiddenWindowGoesOfflineAndComesBack()
    {
        QWindow window;
        window.resize(200, 100);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Person alice = join(QStringLiteral("alice"));
        alice.room->setWindow(&window);
        Person bob = join(QStringLiteral("bob"));
        QVERIFY(settles(bob.room->members(), {QStringLiteral("alice"), QStringLiteral("bob")}));

        QElapsedTimer timer;
        timer.start();
        window.hide();
        QVERIFY(!alice.room->isPresent());
        QVERIFY(waitOnline(bob.room->members(), QStringLiteral("alice"), false, 2000));
        const qint64 offlineAfter = timer.elapsed();
        qInfo() << "hide -> peer sees offline after" << offlineAfter << "ms";
        if (!fixture->remote())
            QVERIFY2(offlineAfter <= 100, qPrintable(QString::number(offlineAfter)));

        window.show();
        QVERIFY(alice.room->isPresent());
        QVERIFY(waitOnline(bob.room->members(), QStringLiteral("alice"), true, 2000));

        window.showMinimized();
        if (window.visibility() == QWindow::Minimized) // the offscreen platform may not minimise
            QVERIFY(waitOnline(bob.room->members(), QStringLiteral("alice"), false, 2000));
    }

    void anIdleWindowGoesAwayAndInputBringsItBackAtOnce()
    {
        QWindow window;
        window.resize(200, 100);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Person alice = join(QStringLiteral("alice")); // interval 10 s: "at once" is much sooner
        alice.room->setWindow(&window);
        Person bob = join(QStringLiteral("bob"));
        QVERIFY(settles(bob.room->members(), {QStringLiteral("alice"), QStringLiteral("bob")}));
        const auto awayOf
            = [&] { return bob.room->members()->data(bob.room->members()->index(0), MembersModel::AwayRole).toBool(); };
        QVERIFY(!awayOf());
        Recorder recorder(bob.room->members());

        QSignalSpy awayChanged(alice.room.get(), &Room::awayChanged);
        alice.room->setAwayAfter(300);
        QTRY_VERIFY_WITH_TIMEOUT(alice.room->isAway(), 2000);
        QTRY_VERIFY_WITH_TIMEOUT(awayOf(), 2000);
        QVERIFY(alice.room->isPresent()); // away is not gone
        // One change of one row: dimmed in place, not a leave and a join.
        QCOMPARE(recorder.log, QStringList({QStringLiteral("change 0 away,memberData")}));

        QTest::mouseMove(&window, QPoint(20, 20));
        QTRY_VERIFY_WITH_TIMEOUT(!alice.room->isAway(), 1000);
        QTRY_VERIFY_WITH_TIMEOUT(!awayOf(), 2000);
        QCOMPARE(recorder.log.size(), 2);
        QCOMPARE(awayChanged.count(), 2);

        // Input to another window is not this one's.
        QWindow other;
        other.resize(100, 100);
        other.show();
        QVERIFY(QTest::qWaitForWindowExposed(&other));
        QTRY_VERIFY_WITH_TIMEOUT(alice.room->isAway(), 2000);
        QTest::mouseMove(&other, QPoint(10, 10));
        QTest::qWait(50);
        QVERIFY(alice.room->isAway());
        alice.room->setAwayAfter(0); // never away
        QVERIFY(!alice.room->isAway());
    }

    void dataReachesOthersInPlaceAndComesBackWithANewSession()
    {
        Person alice = join(QStringLiteral("alice"));
        Person bob = join(QStringLiteral("bob"));
        QVERIFY(settles(bob.room->members(), {QStringLiteral("alice"), QStringLiteral("bob")}));
        const MembersModel *model = bob.room->members();
        const auto statusOf = [&] { return model->data(model->index(0), MembersModel::StatusRole).toString(); };
        Recorder recorder(bob.room->members());
        QSignalSpy dataChanged(alice.room.get(), &Room::dataChanged);
        alice.room->setData({{QStringLiteral("status"), QStringLiteral("Reviewing")}});
        alice.room->setData({{QStringLiteral("status"), QStringLiteral("Reviewing")}}); // the same: no signal
        QCOMPARE(dataChanged.count(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(), QStringLiteral("Reviewing"), 5000);
        QCOMPARE(model->data(model->index(0), MembersModel::PresenceDataRole).toMap(),
            (QVariantMap {{QStringLiteral("status"), QStringLiteral("Reviewing")}}));
        QCOMPARE(model->get(0).value(QStringLiteral("status")).toString(), QStringLiteral("Reviewing"));
        // In place: one change of one row, no leave and join.
        QCOMPARE(recorder.log, QStringList({QStringLiteral("change 0 presenceData,status,memberData")}));

        // Many changes in a burst arrive as the last one, without a flood of rows changing.
        for (int i = 1; i <= 20; ++i)
            alice.room->setData({{QStringLiteral("status"), QStringLiteral("Typing %1").arg(i)}});
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(), QStringLiteral("Typing 20"), 5000);
        QTest::qWait(200);
        QVERIFY2(recorder.log.size() <= 4, qPrintable(recorder.log.join(QLatin1Char(';'))));

        // Gone and back: a new session, which starts without data; the room sends it again.
        alice.room->setActive(false);
        QVERIFY(waitOnline(model, QStringLiteral("alice"), false, 5000));
        QCOMPARE(model->data(model->index(1), MembersModel::StatusRole).toString(), QString()); // dropped
        alice.room->setActive(true);
        QVERIFY(waitOnline(model, QStringLiteral("alice"), true, 5000));
        QTRY_COMPARE_WITH_TIMEOUT(
            model->data(model->index(1), MembersModel::StatusRole).toString(), QStringLiteral("Typing 20"), 5000);
        QCOMPARE(alice.room->errorCode(), QString());

        alice.room->setData({});
        QTRY_COMPARE_WITH_TIMEOUT(
            model->data(model->index(1), MembersModel::PresenceDataRole).toMap(), QVariantMap(), 5000);
    }

    void dataTooLargeIsAnErrorAndNotSentAgain()
    {
        Person alice = join(QStringLiteral("alice"), QString(), 1'000);
        QTRY_VERIFY_WITH_TIMEOUT(alice.room->members()->rowCount() == 1, 5000);
        alice.room->setData({{QStringLiteral("status"), QString(2000, QLatin1Char('x'))}});
        QTRY_COMPARE_WITH_TIMEOUT(alice.room->errorCode(), QStringLiteral("invalid_argument"), 5000);
        // Heartbeats go on and succeed; the refused value is not sent again with each.
        QSignalSpy errors(alice.room.get(), &Room::errorChanged);
        QTest::qWait(2'500);
        QVERIFY2(errors.count() <= 1, qPrintable(QString::number(errors.count())));
        QCOMPARE(alice.room->errorCode(), QString()); // cleared by the heartbeat that succeeded
        QVERIFY(alice.room->members()->get(0).value(QStringLiteral("presenceData")).toMap().isEmpty());
        alice.room->setData({{QStringLiteral("status"), QStringLiteral("Short")}});
        QTRY_COMPARE_WITH_TIMEOUT(
            alice.room->members()->get(0).value(QStringLiteral("status")).toString(), QStringLiteral("Short"), 5000);
    }

    void aKickedRoomStaysOutUntilTheAppAsksAgain()
    {
        Person alice = join(QStringLiteral("alice"), QString(), 1'000); // heartbeats every second
        Person bob = join(QStringLiteral("bob"));
        QVERIFY(settles(bob.room->members(), {QStringLiteral("alice"), QStringLiteral("bob")}));
        QSignalSpy kicked(alice.room.get(), &Room::kickedChanged);
        QVERIFY(fixture->kick(roomId, QStringLiteral("alice")));
        QTRY_VERIFY_WITH_TIMEOUT(alice.room->isKicked(), 5000);
        QVERIFY(!alice.room->isPresent());
        QCOMPARE(alice.room->errorCode(), QStringLiteral("permission_denied"));
        QVERIFY(waitOnline(bob.room->members(), QStringLiteral("alice"), false, 5000));
        // Three of her intervals later she is still out: the room does not heartbeat back in.
        QTest::qWait(3'000);
        QVERIFY(!isOnline(bob.room->members(), QStringLiteral("alice")));
        QCOMPARE(kicked.count(), 1);

        alice.room->rejoin();
        QVERIFY(!alice.room->isKicked());
        QVERIFY(waitOnline(bob.room->members(), QStringLiteral("alice"), true, 5000));
        QVERIFY(alice.room->isPresent());
        QVERIFY(bob.room->isPresent()); // nobody else was touched
    }

    void countsAreTheWholeRoomsBeyondTheLimit()
    {
        Person alice = join(QStringLiteral("alice"));
        alice.room->setLimit(1);
        Person bob = join(QStringLiteral("bob"));
        QTRY_COMPARE_WITH_TIMEOUT(alice.room->totalCount(), 2, 5000);
        QCOMPARE(alice.room->onlineCount(), 2);
        QCOMPARE(alice.room->members()->rowCount(), 1);
        QSignalSpy counts(alice.room.get(), &Room::countsChanged);
        Recorder recorder(alice.room->members());
        Person carol = join(QStringLiteral("carol")); // beyond the limit: the counts alone change
        QTRY_COMPARE_WITH_TIMEOUT(alice.room->totalCount(), 3, 5000);
        QCOMPARE(alice.room->onlineCount(), 3);
        QVERIFY(counts.count() >= 1);
        QCOMPARE(recorder.log, QStringList());
        carol.room.reset(); // leaves: online goes down, the total stays
        QTRY_COMPARE_WITH_TIMEOUT(alice.room->onlineCount(), 2, 5000);
        QCOMPARE(alice.room->totalCount(), 3);
    }

    void aSecondRoomKeepsTheUserOnline()
    {
        Person alice = join(QStringLiteral("alice"));
        Room secondWindow;
        secondWindow.setClient(alice.client.get());
        secondWindow.setRoomId(roomId);
        QVERIFY(secondWindow.sessionId() != alice.room->sessionId());
        Person bob = join(QStringLiteral("bob"));
        QVERIFY(settles(bob.room->members(), {QStringLiteral("alice"), QStringLiteral("bob")}));
        QTRY_VERIFY_WITH_TIMEOUT(secondWindow.members()->isLoaded(), 5000);
        Recorder recorder(bob.room->members());
        alice.room->setActive(false);
        QTest::qWait(300);
        QVERIFY(isOnline(bob.room->members(), QStringLiteral("alice")));
        QCOMPARE(recorder.log, QStringList());
        secondWindow.setActive(false);
        QVERIFY(waitOnline(bob.room->members(), QStringLiteral("alice"), false, 2000));
    }

    void destroyingARoomLeavesAtOnce()
    {
        Person alice = join(QStringLiteral("alice"));
        Person bob = join(QStringLiteral("bob"));
        QVERIFY(settles(bob.room->members(), {QStringLiteral("alice"), QStringLiteral("bob")}));
        alice.room.reset();
        QVERIFY(waitOnline(bob.room->members(), QStringLiteral("alice"), false, 1000));
    }

    void aRoomDestroyedMidHeartbeatLeavesNoGhost()
    {
        Person bob = join(QStringLiteral("bob"));
        QVERIFY(settles(bob.room->members(), {QStringLiteral("bob")}));
        Person alice = join(QStringLiteral("alice"));
        QTRY_VERIFY_WITH_TIMEOUT(alice.room->isPresent(), 5000); // its first heartbeat is on its way
        alice.room.reset(); // before the answer with the session token came back
        QTest::qWait(500);
        QVERIFY(!isOnline(bob.room->members(), QStringLiteral("alice")));
    }

    void hideAndShowWhileAHeartbeatIsInFlight()
    {
        Person alice = join(QStringLiteral("alice"));
        Person bob = join(QStringLiteral("bob"));
        QVERIFY(settles(bob.room->members(), {QStringLiteral("alice"), QStringLiteral("bob")}));
        alice.room->heartbeat(); // a steady heartbeat goes out
        alice.room->setActive(false); // a disconnect goes out behind it
        alice.room->setActive(true); // one is in flight already: this one waits for its answer
        QTest::qWait(500);
        QVERIFY(isOnline(bob.room->members(), QStringLiteral("alice")));
        QTest::qWait(500);
        QVERIFY(isOnline(bob.room->members(), QStringLiteral("alice")));
    }

    void changingTheRoomMovesTheSession()
    {
        Person alice = join(QStringLiteral("alice"));
        Person bob = join(QStringLiteral("bob"));
        QVERIFY(settles(bob.room->members(), {QStringLiteral("alice"), QStringLiteral("bob")}));
        const QString firstSession = alice.room->sessionId();
        alice.room->setRoomId(roomId + QStringLiteral("-other"));
        QVERIFY(alice.room->sessionId() != firstSession);
        QVERIFY(waitOnline(bob.room->members(), QStringLiteral("alice"), false, 2000));
        QTRY_COMPARE_WITH_TIMEOUT(userIds(alice.room->members()), QStringList {QStringLiteral("alice")}, 5000);
        alice.room->setRoomId(QString());
        QVERIFY(!alice.room->isPresent());
    }

    void serverRestartCausesNoFlap()
    {
        if (!fixture->remote())
            QSKIP("the embedded server restarts with its app");
        auto *remote = static_cast<RemoteFixture *>(fixture.get());
        Person alice = join(QStringLiteral("alice"), QString(), 2000);
        Person bob = join(QStringLiteral("bob"), QString(), 2000);
        QVERIFY(settles(bob.room->members(), {QStringLiteral("alice"), QStringLiteral("bob")}));
        Recorder recorder(bob.room->members());
        QSignalSpy aliceStates(alice.client.get(), &Client::stateChanged);
        QVERIFY(remote->restart());
        QTRY_VERIFY_WITH_TIMEOUT(aliceStates.size() >= 2 && alice.client->state() == Client::Connected, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(bob.client->state(), Client::Connected, 10000);
        QTest::qWait(2500); // more than an interval: the sessions were heartbeated again
        QVERIFY(isOnline(bob.room->members(), QStringLiteral("alice")));
        QCOMPARE(recorder.log, QStringList()); // never shown offline, not even briefly
    }

    void aHeartbeatAnsweredUnavailableIsTriedAgainSoon()
    {
        if (!fixture->remote())
            QSKIP("an answer of a cluster's node");
        auto *remote = static_cast<RemoteFixture *>(fixture.get());
        RedisProcess redis;
        QVERIFY2(redis.start(), redis.errors().constData());
        ServerProcess node;
        QVERIFY(node.start(dir.filePath(QStringLiteral("node.db")),
            remote->arguments()
                + QStringList {
                    QStringLiteral("--redis"), redis.url(), QStringLiteral("--redis-timeout"), QStringLiteral("300")}));
        redis.pause(); // Redis hangs: the node answers "unavailable"
        Client client;
        client.setToken(remote->tokenFor(QStringLiteral("alice"), QString(), 3600));
        client.setServerUrl(node.url());
        Room room;
        room.setClient(&client);
        room.setInterval(10'000);
        room.setRoomId(roomId);
        QTRY_COMPARE_WITH_TIMEOUT(room.errorCode(), QStringLiteral("unavailable"), 5000);
        redis.resume();
        // In well before the next interval: the room asked again about a second later.
        QVERIFY(settles(room.members(), {QStringLiteral("alice")}, 5000));
        QCOMPARE(room.errorCode(), QString());
    }

    void expiredTokenIsRefreshed()
    {
        if (!fixture->remote())
            QSKIP("the embedded client has no token");
        auto *remote = static_cast<RemoteFixture *>(fixture.get());
        Person alice;
        alice.client = std::make_unique<Client>();
        alice.client->setToken(remote->tokenFor(QStringLiteral("alice"), QString(), 3));
        int requests = 0;
        connect(alice.client.get(), &Client::tokenRequested, this, [&] {
            ++requests;
            alice.client->setToken(remote->tokenFor(QStringLiteral("alice"), QString(), 3600));
        });
        alice.client->setServerUrl(remote->url());
        alice.room = std::make_unique<Room>();
        alice.room->setClient(alice.client.get());
        alice.room->setInterval(1000);
        alice.room->setRoomId(roomId);
        Person bob = join(QStringLiteral("bob"));
        QVERIFY(settles(bob.room->members(), {QStringLiteral("alice"), QStringLiteral("bob")}));
        Recorder recorder(bob.room->members());
        QTest::qWait(4500); // past the first token's expiry
        QVERIFY(requests >= 1);
        QCOMPARE(alice.room->errorCode(), QString());
        QVERIFY(isOnline(bob.room->members(), QStringLiteral("alice")));
        QCOMPARE(recorder.log, QStringList());
    }

    void leavingWhileReconnectingUsesTheBeacon()
    {
        if (!fixture->remote())
            QSKIP("the embedded transport has no socket to lose");
        auto *remote = static_cast<RemoteFixture *>(fixture.get());
        Person alice = join(QStringLiteral("alice"));
        Person bob = join(QStringLiteral("bob"));
        QVERIFY(settles(bob.room->members(), {QStringLiteral("alice"), QStringLiteral("bob")}));
        // Down long enough for alice's first reconnect to fail: she then waits ~1 s in backoff.
        QCOMPARE(remote->server.terminate(), 0); // sessions keep their deadlines (25 s for alice)
        QTest::qWait(700);
        QCOMPARE(alice.client->state(), Client::Disconnected);
        QVERIFY(remote->server.start(remote->dir + QStringLiteral("/remote.db"), remote->arguments(), remote->port));
        QVERIFY(alice.client->state() != Client::Connected);
        alice.room->setActive(false); // no socket: the disconnect goes by POST /disconnect
        QVERIFY(waitOnline(bob.room->members(), QStringLiteral("alice"), false, 5000));
    }

    void malformedRepliesAreErrorsNotTokens()
    {
        // A server that answers every request with a result of the wrong shape.
        FakeServer fake([](QWebSocket *socket, const QJsonObject &request) {
            QJsonObject result;
            if (request.value(QLatin1String("type")).toString() == QLatin1String("auth"))
                result = {{QStringLiteral("userId"), QStringLiteral("alice")}};
            else
                result = {{QStringLiteral("roomToken"), 42}}; // not a string, and no sessionToken
            socket->sendTextMessage(QString::fromUtf8(QJsonDocument(
                QJsonObject {{QStringLiteral("id"), request.value(QLatin1String("id"))},
                    {QStringLiteral("type"), QStringLiteral("result")},
                    {QStringLiteral("result"), result}}).toJson(QJsonDocument::Compact)));
        });
        QVERIFY(fake.listen());
        Client client;
        client.setToken(QStringLiteral("any"));
        client.setServerUrl(fake.url());
        Room room;
        room.setClient(&client);
        room.setRoomId(roomId);
        QTRY_VERIFY_WITH_TIMEOUT(room.errorString().contains(QLatin1String("malformed reply")), 5000);
        QCOMPARE(room.errorCode(), QStringLiteral("internal"));
        QVERIFY(!room.members()->isLoaded()); // nothing was subscribed with a bad token
        QCOMPARE(client.userId(), QStringLiteral("alice"));
    }

    void framesThisVersionDoesNotKnowAreNoErrors()
    {
        // A newer server's push, and a diff for a subscription nobody holds: ignored, not errors.
        FakeServer fake([](QWebSocket *socket, const QJsonObject &request) {
            if (request.value(QLatin1String("type")).toString() != QLatin1String("auth"))
                return;
            socket->sendTextMessage(QStringLiteral(R"({"type":"announcement","text":"maintenance at noon"})"));
            socket->sendTextMessage(QStringLiteral(R"({"type":"diff","sub":999,"upsert":[{"bad":true}]})"));
            socket->sendTextMessage(QStringLiteral(R"({"id":%1,"type":"result","result":{"userId":"alice"}})")
                                        .arg(request.value(QLatin1String("id")).toInteger()));
        });
        QVERIFY(fake.listen());
        Client client;
        QSignalSpy errors(&client, &Client::errorOccurred);
        client.setToken(QStringLiteral("any"));
        client.setServerUrl(fake.url());
        QTRY_COMPARE_WITH_TIMEOUT(client.userId(), QStringLiteral("alice"), 5000);
        QCOMPARE(errors.count(), 0);
        QCOMPARE(client.state(), Client::Connected);
    }

    void theClientKnowsItsUsersNameAndANewTokenRenamesThem()
    {
        // What an app shows as "you": the name others see, from the token when remote.
        auto client = fixture->client(QStringLiteral("alice"), QStringLiteral("Alice Liddell"));
        QSignalSpy renamed(client.get(), &Client::nameChanged);
        QTRY_COMPARE_WITH_TIMEOUT(client->name(), QStringLiteral("Alice Liddell"), 5000);
        QCOMPARE(client->userId(), QStringLiteral("alice"));
        QCOMPARE(client->image(), QString());
        fixture->rename(client.get(), QStringLiteral("alice"), QStringLiteral("Alice Pleasance Liddell"));
        QTRY_COMPARE_WITH_TIMEOUT(client->name(), QStringLiteral("Alice Pleasance Liddell"), 5000);
        QCOMPARE(renamed.count(), 2);
    }

    void aQuittingProcessIsOfflineAtOnce()
    {
        if (fixture->url().isEmpty())
            QSKIP("built without the loopback listener: no other process can join");
        Person bob = join(QStringLiteral("bob"));
        QProcess peer;
        QVERIFY(startPeer(peer, bob.room->members()));
        QElapsedTimer timer;
        timer.start();
        peer.write("quit\n");
        QVERIFY(waitOnline(bob.room->members(), QStringLiteral("peer"), false, 5000));
        qInfo() << "peer quit -> offline after" << timer.elapsed() << "ms (its timeout is 25 s)";
        QVERIFY(timer.elapsed() < Grace); // the disconnect, not the close grace
        // It may have exited already: waitForFinished() would then say false.
        QTRY_COMPARE_WITH_TIMEOUT(peer.state(), QProcess::NotRunning, 5000);
        QCOMPARE(peer.exitStatus(), QProcess::NormalExit);
        QCOMPARE(peer.exitCode(), 0);
    }

    void aKilledProcessIsOfflineAfterTheCloseGrace()
    {
        if (fixture->url().isEmpty())
            QSKIP("built without the loopback listener: no other process can join");
        Person bob = join(QStringLiteral("bob"));
        QProcess peer;
        QVERIFY(startPeer(peer, bob.room->members()));
        QElapsedTimer timer;
        timer.start();
        peer.kill();
        QVERIFY(waitOnline(bob.room->members(), QStringLiteral("peer"), false, 5000));
        qInfo() << "peer killed -> offline after" << timer.elapsed() << "ms (close grace" << Grace << "ms)";
        QVERIFY(timer.elapsed() >= Grace - 100);
        QVERIFY(timer.elapsed() < Grace + 2000);
        peer.waitForFinished();
    }
};

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    RoomTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_room.moc"
