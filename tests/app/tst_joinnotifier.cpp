// JoinNotifier: who opened a document the user has open, told once, opt-in; on the real engine
// (an embedded server) with real clients and rooms.
#include "client.h"
#include "embeddedserver.h"
#include "joinnotifier.h"
#include "room.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Presence;

class JoinNotifierTest : public QObject
{
    Q_OBJECT

    struct Person
    {
        Client client;
        Room room;
    };

    std::unique_ptr<Person> join(const QString &userId, const QString &name, const QString &roomId)
    {
        auto person = std::make_unique<Person>();
        person->client.setEmbeddedServer(m_server.get(), userId, QStringLiteral("org"), name);
        person->room.setClient(&person->client);
        person->room.setRoomId(roomId);
        person->room.setActive(true);
        return person;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<EmbeddedServer>();
        QVERIFY(
            m_server->open(m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + QStringLiteral(".db"))));
    }
    void cleanup() { m_server.reset(); }

    void someoneOpeningMyDocumentIsToldOnce()
    {
        const auto ada = join(QStringLiteral("ada"), QStringLiteral("Ada Lovelace"), QStringLiteral("doc-1"));
        const auto katherine
            = join(QStringLiteral("katherine"), QStringLiteral("Katherine Johnson"), QStringLiteral("doc-1"));
        QTRY_COMPARE(ada->room.onlineCount(), 2);
        JoinNotifier notifier;
        notifier.setEnabled(true);
        QSignalSpy joined(&notifier, &JoinNotifier::joined);
        notifier.watch(&ada->room);
        // A second window of Ada's on the same document: one notification, not two.
        const auto adaAgain = join(QStringLiteral("ada"), QStringLiteral("Ada Lovelace"), QStringLiteral("doc-1"));
        QTRY_VERIFY(adaAgain->room.isPresent());
        notifier.watch(&adaAgain->room);
        // Katherine was there already: not news. Grace comes.
        const auto grace = join(QStringLiteral("grace"), QStringLiteral("Grace Hopper"), QStringLiteral("doc-1"));
        grace->room.setData({{QStringLiteral("status"), QStringLiteral("Reviewing")}});
        QTRY_COMPARE(joined.count(), 1);
        QTest::qWait(300);
        QCOMPARE(joined.count(), 1);
        const QList<QVariant> told = joined.first();
        QCOMPARE(told.at(0).toString(), QStringLiteral("doc-1"));
        QCOMPARE(told.at(1).toString(), QStringLiteral("grace"));
        QCOMPARE(told.at(2).toString(), QStringLiteral("Grace Hopper"));
    }

    void myselfAndOtherDocumentsAreNotTold()
    {
        const auto ada = join(QStringLiteral("ada"), QStringLiteral("Ada Lovelace"), QStringLiteral("doc-1"));
        QTRY_COMPARE(ada->room.onlineCount(), 1); // her room's first list is in
        JoinNotifier notifier;
        notifier.setEnabled(true);
        QSignalSpy joined(&notifier, &JoinNotifier::joined);
        notifier.watch(&ada->room);
        // Ada in another window (herself), Grace in another document.
        const auto adaElsewhere = join(QStringLiteral("ada"), QStringLiteral("Ada Lovelace"), QStringLiteral("doc-1"));
        const auto grace = join(QStringLiteral("grace"), QStringLiteral("Grace Hopper"), QStringLiteral("doc-2"));
        QTRY_VERIFY(adaElsewhere->room.isPresent() && grace->room.isPresent());
        QTest::qWait(300);
        QCOMPARE(joined.count(), 0);
        // Ada's window moves to doc-2, where Grace is: a new document's people are not news.
        ada->room.setRoomId(QStringLiteral("doc-2"));
        QTRY_COMPARE(ada->room.onlineCount(), 2);
        QTest::qWait(300);
        QCOMPARE(joined.count(), 0);
        // But someone coming there now is.
        const auto alan = join(QStringLiteral("alan"), QStringLiteral("Alan Turing"), QStringLiteral("doc-2"));
        QTRY_COMPARE(joined.count(), 1);
        QCOMPARE(joined.first().at(0).toString(), QStringLiteral("doc-2"));
        QCOMPARE(joined.first().at(2).toString(), QStringLiteral("Alan Turing"));
    }

    void offUntilTheUserTurnsItOn()
    {
        const auto ada = join(QStringLiteral("ada"), QStringLiteral("Ada Lovelace"), QStringLiteral("doc-1"));
        QTRY_COMPARE(ada->room.onlineCount(), 1); // her room's first list is in
        JoinNotifier notifier;
        QVERIFY(!notifier.isEnabled());
        QSignalSpy joined(&notifier, &JoinNotifier::joined);
        notifier.watch(&ada->room);
        auto grace = join(QStringLiteral("grace"), QStringLiteral("Grace Hopper"), QStringLiteral("doc-1"));
        QTRY_COMPARE(ada->room.onlineCount(), 2);
        QTest::qWait(300);
        QCOMPARE(joined.count(), 0);
        // Turned on: the next arrival is told, not those who came while it was off.
        notifier.setEnabled(true);
        const auto alan = join(QStringLiteral("alan"), QStringLiteral("Alan Turing"), QStringLiteral("doc-1"));
        QTRY_COMPARE(joined.count(), 1);
        QCOMPARE(joined.first().at(1).toString(), QStringLiteral("alan"));
    }

    void someoneWhoLeavesAndComesBackIsToldAgainOnlyLater()
    {
        const auto ada = join(QStringLiteral("ada"), QStringLiteral("Ada Lovelace"), QStringLiteral("doc-1"));
        QTRY_COMPARE(ada->room.onlineCount(), 1); // her room's first list is in
        JoinNotifier notifier;
        notifier.setEnabled(true);
        QSignalSpy joined(&notifier, &JoinNotifier::joined);
        notifier.watch(&ada->room);
        auto grace = join(QStringLiteral("grace"), QStringLiteral("Grace Hopper"), QStringLiteral("doc-1"));
        QTRY_COMPARE(joined.count(), 1);
        // She closes her window and opens it again at once: a flap, not a second arrival.
        grace.reset();
        QTRY_COMPARE(ada->room.onlineCount(), 1);
        grace = join(QStringLiteral("grace"), QStringLiteral("Grace Hopper"), QStringLiteral("doc-1"));
        QTRY_COMPARE(ada->room.onlineCount(), 2);
        QTest::qWait(300);
        QCOMPARE(joined.count(), 1);
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<EmbeddedServer> m_server;
};

QTEST_GUILESS_MAIN(JoinNotifierTest)

#include "tst_joinnotifier.moc"
