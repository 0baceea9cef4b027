// OnlineUsers: who is online in the organization, for an "Online now" panel. One test body,
// two fixtures (fixtures.h): the engine in this process, or the real presence-server.
#include "fixtures.h"
#include "onlineusers.h"
#include "room.h"

#include <QAbstractItemModelTester>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Presence;
using namespace PresenceTest;

namespace {

QStringList userIds(const OnlineUsers &model)
{
    QStringList ids;
    for (int i = 0; i < model.rowCount(); ++i)
        ids << model.data(model.index(i), OnlineUsers::UserIdRole).toString();
    return ids;
}

} // namespace

class OnlineUsersTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir;
    std::unique_ptr<Fixture> fixture;

    static std::unique_ptr<Room> join(Client *client, const QString &roomId)
    {
        auto room = std::make_unique<Room>();
        room->setClient(client);
        room->setRoomId(roomId);
        return room;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir.isValid());
        fixture = makeFixture();
        QVERIFY(fixture->start(dir.path()));
        qInfo() << "transport:" << (fixture->remote() ? "remote presence-server" : "embedded");
    }

    void listsWhoIsOnlineByNameWithTheirRoomsAndChangesInPlace()
    {
        auto zoe = fixture->client(QStringLiteral("u_zoe"), QStringLiteral("Zoe Zimmer"));
        auto adam = fixture->client(QStringLiteral("u_adam"), QStringLiteral("Adam Abel"));
        auto zoeIn = join(zoe.get(), QStringLiteral("spec"));
        auto adamIn = join(adam.get(), QStringLiteral("spec"));
        auto adamInPlan = join(adam.get(), QStringLiteral("plan"));
        // Everyone is in before the model asks: it asks once now and then every refreshInterval.
        QTRY_COMPARE_WITH_TIMEOUT(zoeIn->members()->onlineCount(), 2, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(adamInPlan->members()->onlineCount(), 1, 5000);

        OnlineUsers model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setClient(zoe.get());
        QTRY_COMPARE_WITH_TIMEOUT(userIds(model), (QStringList {QStringLiteral("u_adam"), QStringLiteral("u_zoe")}),
            5000); // by name: Adam before Zoe, whatever the ids
        QVERIFY(model.isLoaded());
        QCOMPARE(model.data(model.index(0), OnlineUsers::RoomsRole).toStringList(),
            (QStringList {QStringLiteral("plan"), QStringLiteral("spec")}));
        QCOMPARE(model.data(model.index(0), Qt::DisplayRole).toString(), QStringLiteral("Adam Abel"));
        QCOMPARE(model.get(1).value(QStringLiteral("isSelf")).toBool(), true);
        QCOMPARE(model.get(0).value(QStringLiteral("initials")).toString(), QStringLiteral("AA"));
        QVERIFY(model.get(0).value(QStringLiteral("online")).toBool());

        // A leave is one removal; a room left is one change; nothing else moves.
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        adamInPlan.reset();
        model.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(model.data(model.index(0), OnlineUsers::RoomsRole).toStringList(),
            QStringList {QStringLiteral("spec")}, 5000);
        QCOMPARE(changed.count(), 1);
        zoeIn.reset();
        model.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(userIds(model), QStringList {QStringLiteral("u_adam")}, 5000);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(reset.count(), 0);
        model.refresh(); // nothing changed: nothing emitted
        QTest::qWait(300);
        QCOMPARE(changed.count() + removed.count() + inserted.count(), 2);
    }

    void theFirstPageHasTheClientsOwnRoomsJoinedAtTheSameTime()
    {
        // An "Online now" panel and a document opened together: the panel's first answer
        // already has the user in it, not only after its next refresh.
        auto early = fixture->client(QStringLiteral("u_early"));
        OnlineUsers model;
        model.setRefreshInterval(60'000);
        model.setClient(early.get()); // asks as soon as the client is ready, before the room below
        auto in = join(early.get(), QStringLiteral("early-doc"));
        QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), 5000);
        QVERIFY2(userIds(model).contains(QStringLiteral("u_early")), qPrintable(userIds(model).join(u',')));
    }

    void refreshesByItselfAndEmptiesWhenInactive()
    {
        auto watcher = fixture->client(QStringLiteral("u_watcher"));
        OnlineUsers model;
        model.setClient(watcher.get());
        model.setRefreshInterval(1'000);
        QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), 5000);
        QVERIFY(!userIds(model).contains(QStringLiteral("u_newcomer")));
        auto newcomer = fixture->client(QStringLiteral("u_newcomer"));
        auto in = join(newcomer.get(), QStringLiteral("lobby"));
        // Within the next refresh, without being asked.
        QTRY_VERIFY_WITH_TIMEOUT(userIds(model).contains(QStringLiteral("u_newcomer")), 5000);
        model.setActive(false);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.isLoaded());
        model.setActive(true);
        QTRY_VERIFY_WITH_TIMEOUT(userIds(model).contains(QStringLiteral("u_newcomer")), 5000);
    }

    void pagesAreFollowedUpToMaxUsers()
    {
        std::vector<std::unique_ptr<Client>> clients;
        std::vector<std::unique_ptr<Room>> rooms;
        for (int i = 0; i < 12; ++i) {
            clients.push_back(fixture->client(QStringLiteral("u_many%1").arg(i, 2, 10, QLatin1Char('0'))));
            rooms.push_back(join(clients.back().get(), QStringLiteral("crowd")));
        }
        OnlineUsers model;
        model.setRefreshInterval(1'000);
        model.setClient(clients.front().get());
        QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() >= 12, 5000);
        model.setMaxUsers(5); // fetches again, at most 5
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 5, 5000);
    }
};

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    OnlineUsersTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_onlineusers.moc"
