// Peek: who is in a room, watched by its id without joining it. One test body, two fixtures
// (fixtures.h): the engine in this process, or the real presence-server.
#include "fixtures.h"
#include "membersmodel.h"
#include "peek.h"
#include "room.h"

#include <QGuiApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Presence;
using namespace PresenceTest;

namespace {

QStringList userIds(const MembersModel *model)
{
    QStringList ids;
    for (int i = 0; i < model->rowCount(); ++i)
        ids << model->data(model->index(i), MembersModel::UserIdRole).toString();
    return ids;
}

} // namespace

class PeekTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir;
    std::unique_ptr<Fixture> fixture;
    int rooms = 0;
    QString roomId;

    std::unique_ptr<Room> join(Client *client)
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
    void init() { roomId = QStringLiteral("doc-%1").arg(++rooms); }

    void aPeekSeesWhoIsInTheRoomWithoutJoiningIt()
    {
        auto alice = fixture->client(QStringLiteral("alice"));
        auto bob = fixture->client(QStringLiteral("bob"));
        auto aliceInRoom = join(alice.get());
        Peek peek;
        peek.setClient(bob.get());
        peek.setRoomId(roomId);
        QTRY_COMPARE_WITH_TIMEOUT(userIds(peek.members()), QStringList {QStringLiteral("alice")}, 5000);
        QCOMPARE(peek.totalCount(), 1);
        QCOMPARE(peek.onlineCount(), 1);
        // Bob watches, but is not in it: Alice's own list has her alone.
        QTest::qWait(200);
        QCOMPARE(userIds(aliceInRoom->members()), QStringList {QStringLiteral("alice")});

        aliceInRoom.reset(); // leaves
        QTRY_COMPARE_WITH_TIMEOUT(peek.onlineCount(), 0, 5000);
        QCOMPARE(peek.totalCount(), 1);
        QVERIFY(!peek.members()->data(peek.members()->index(0), MembersModel::OnlineRole).toBool());
    }

    void aRoomNobodyOpenedIsEmptyAndFillsWhenSomeoneJoins()
    {
        auto bob = fixture->client(QStringLiteral("bob"));
        Peek peek;
        peek.setClient(bob.get());
        peek.setRoomId(roomId);
        QTRY_VERIFY_WITH_TIMEOUT(peek.members()->isLoaded(), 5000);
        QCOMPARE(peek.members()->rowCount(), 0);
        QCOMPARE(peek.errorCode(), QString());
        QSignalSpy counts(&peek, &Peek::countsChanged);
        auto carol = fixture->client(QStringLiteral("carol"));
        auto carolInRoom = join(carol.get());
        QTRY_COMPARE_WITH_TIMEOUT(userIds(peek.members()), QStringList {QStringLiteral("carol")}, 5000);
        QCOMPARE(peek.totalCount(), 1);
        QVERIFY(counts.count() >= 1);
    }

    void theLimitShowsAFewAndTheCountsTheWholeRoom()
    {
        std::vector<std::unique_ptr<Client>> clients;
        std::vector<std::unique_ptr<Room>> inRoom;
        for (const char *name : {"u1", "u2", "u3", "u4", "u5"}) {
            clients.push_back(fixture->client(QLatin1String(name)));
            inRoom.push_back(join(clients.back().get()));
        }
        auto watcher = fixture->client(QStringLiteral("watcher"));
        Peek peek;
        peek.setClient(watcher.get());
        peek.setLimit(3);
        peek.setRoomId(roomId);
        QTRY_COMPARE_WITH_TIMEOUT(peek.totalCount(), 5, 5000);
        QCOMPARE(peek.members()->rowCount(), 3);
        QCOMPARE(peek.onlineCount(), 5);
    }

    void anotherRoomIdOrInactiveWatchesAnewOrNothing()
    {
        auto alice = fixture->client(QStringLiteral("alice"));
        auto aliceInRoom = join(alice.get());
        auto bob = fixture->client(QStringLiteral("bob"));
        Peek peek;
        peek.setClient(bob.get());
        peek.setRoomId(roomId);
        QTRY_COMPARE_WITH_TIMEOUT(peek.totalCount(), 1, 5000);
        peek.setRoomId(roomId + QStringLiteral("-other"));
        QCOMPARE(peek.members()->rowCount(), 0); // cleared at once, not showing the old room
        QTRY_VERIFY_WITH_TIMEOUT(peek.members()->isLoaded(), 5000);
        QCOMPARE(peek.totalCount(), 0);
        peek.setRoomId(roomId);
        QTRY_COMPARE_WITH_TIMEOUT(peek.totalCount(), 1, 5000);
        peek.setActive(false);
        QCOMPARE(peek.totalCount(), 0);
        QVERIFY(!peek.members()->isLoaded());
        peek.setActive(true);
        QTRY_COMPARE_WITH_TIMEOUT(peek.totalCount(), 1, 5000);
    }

    void aServerRestartKeepsThePeekWatching()
    {
        if (!fixture->remote())
            QSKIP("the embedded engine does not restart");
        auto *remote = static_cast<RemoteFixture *>(fixture.get());
        auto bob = fixture->client(QStringLiteral("bob"));
        Peek peek;
        peek.setClient(bob.get());
        peek.setRoomId(roomId);
        QTRY_VERIFY_WITH_TIMEOUT(peek.members()->isLoaded(), 5000);
        QVERIFY(remote->restart());
        auto alice = fixture->client(QStringLiteral("alice"));
        auto aliceInRoom = join(alice.get());
        QTRY_COMPARE_WITH_TIMEOUT(userIds(peek.members()), QStringList {QStringLiteral("alice")}, 10000);
    }
};

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    PeekTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_peek.moc"
