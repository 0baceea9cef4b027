// The engine on a real SQLite file: the schema, and what survives a restart or a crash.
#include "engine.h"
#include "manualclock.h"
#include "sqlitestore.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Presence;

namespace {

const Identity Alice {QStringLiteral("user_alice"), QStringLiteral("org_a"), {}, {}, {}};
const Identity Bob {QStringLiteral("user_bob"), QStringLiteral("org_a"), {}, {}, {}};
const QString Doc = QStringLiteral("doc-1");
constexpr qint64 T0 = 1'700'000'000'000;

// A second, independent connection to look at the file the way sqlite3 would.
class Inspector
{
public:
    explicit Inspector(const QString &path)
        : m_name(QStringLiteral("inspect-%1").arg(QRandomGenerator::global()->generate()))
    {
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.open();
    }
    ~Inspector()
    {
        QSqlDatabase::database(m_name).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    QList<QVariantList> rows(const QString &sql) const
    {
        QSqlQuery query(QSqlDatabase::database(m_name));
        QList<QVariantList> out;
        if (!query.exec(sql))
            return out;
        while (query.next()) {
            QVariantList row;
            for (int i = 0; i < query.record().count(); ++i)
                row << query.value(i);
            out << row;
        }
        return out;
    }
    QVariant value(const QString &sql) const
    {
        const auto all = rows(sql);
        return all.isEmpty() ? QVariant() : all.first().value(0);
    }

private:
    QString m_name;
};

} // namespace

class SqliteStoreTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir;
    QString path;

    // One engine generation on the database file: open it, use it, let it go.
    struct Generation
    {
        ManualClock clock;
        SqliteStore store;
        std::unique_ptr<Engine> engine;

        Generation(const QString &path, qint64 now)
            : clock(now)
        {
            // A constructor cannot QVERIFY: it fails the test that made it, which goes on with
            // an engine on an empty in-memory store.
            const auto opened = store.open(path);
            if (!opened) {
                QTest::qFail(
                    qPrintable(QStringLiteral("open failed: ") + opened.error().message()), __FILE__, __LINE__);
                store.open(QStringLiteral(":memory:"));
            }
            engine = std::make_unique<Engine>(&clock, &store);
            const auto recovered = engine->open();
            if (!recovered)
                QTest::qFail(
                    qPrintable(QStringLiteral("recovery failed: ") + recovered.error().message()), __FILE__, __LINE__);
        }
        ~Generation() { engine.reset(); }

        HeartbeatResult beat(const Identity &who, const QString &session, int interval = 10'000)
        {
            return engine->heartbeat(who, Doc, session, interval).value();
        }
        Member member(const QString &roomToken, const QString &userId)
        {
            for (const Member &m : engine->list(Alice, roomToken).value()) {
                if (m.userId == userId)
                    return m;
            }
            return {};
        }
    };

private Q_SLOTS:
    void init()
    {
        QVERIFY(dir.isValid());
        // A fresh file per test and per data row.
        const QString tag = QLatin1String(QTest::currentDataTag() ? QTest::currentDataTag() : "");
        path = dir.filePath(QStringLiteral("%1-%2.db").arg(QLatin1String(QTest::currentTestFunction()), tag));
        QVERIFY(!QFile::exists(path));
    }

    void createsTheSeedsSchemaInWalMode()
    {
        {
            Generation g(path, T0);
        }
        Inspector db(path);
        QCOMPARE(db.value(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
        QCOMPARE(db.value(QStringLiteral("PRAGMA user_version")).toInt(), SqliteStore::SchemaVersion);
        QStringList tables;
        for (const auto &row :
            db.rows(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")))
            tables << row.value(0).toString();
        // The seed's tables, and the webhook outbox (with SQLite's counter for its ids).
        QCOMPARE(tables,
            QStringList({QStringLiteral("presence"), QStringLiteral("presence_roomTokens"),
                QStringLiteral("presence_sessionTimeouts"), QStringLiteral("presence_sessionTokens"),
                QStringLiteral("presence_sessions"), QStringLiteral("sqlite_sequence"), QStringLiteral("users"),
                QStringLiteral("webhook_events")}));
        // Only the indexes something reads: rows are written by their primary keys, and read
        // whole at start (the seed's indexes on presence and presence_sessions served queries
        // the engine answers from memory).
        QStringList indexes;
        for (const auto &row : db.rows(QStringLiteral(
                 "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")))
            indexes << row.value(0).toString();
        QCOMPARE(indexes, QStringList({QStringLiteral("users_by_email"), QStringLiteral("users_email_only")}));
    }

    void walIsCheckpointedOffTheEventLoop()
    {
        Generation g(path, T0);
        QSqlQuery autocheckpoint(QSqlDatabase::database(g.store.connectionName()));
        QVERIFY(autocheckpoint.exec(QStringLiteral("PRAGMA wal_autocheckpoint")) && autocheckpoint.next());
        QCOMPARE(autocheckpoint.value(0).toInt(), 0); // commits never checkpoint (and sync) inline
        for (int i = 0; i < 500; ++i)
            g.beat(Identity {QStringLiteral("u%1").arg(i), QStringLiteral("org_a"), {}, {}, {}},
                QStringLiteral("s%1").arg(i));
        g.store.commit();
        QVERIFY(QFileInfo(path + QStringLiteral("-wal")).size() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(g.store.checkpointedFrames() > 0, 5000);
    }

    void refusesADatabaseFromANewerBuild()
    {
        {
            Inspector db(path);
            db.rows(QStringLiteral("PRAGMA user_version = 99"));
        }
        SqliteStore store;
        const auto opened = store.open(path);
        QVERIFY(!opened);
        QVERIFY2(opened.error().message().contains(QLatin1String("newer")), qPrintable(opened.error().message()));
    }

    void unopenableDatabaseIsAClearError()
    {
        SqliteStore store;
        const auto opened = store.open(QStringLiteral("/proc/no-such-dir/presence.db"));
        QVERIFY(!opened);
        QVERIFY(opened.error().message().contains(QLatin1String("/proc/no-such-dir")));
    }

    void restartKeepsRoomsSessionsAndTokens()
    {
        HeartbeatResult before;
        {
            Generation g(path, T0);
            before = g.beat(Alice, QStringLiteral("a1"));
        }
        Generation g(path, T0 + 1'000);
        QCOMPARE(g.engine->sessionCount(), 1);
        QVERIFY(g.member(before.roomToken, Alice.userId).online);
        const auto again = g.beat(Alice, QStringLiteral("a1"));
        QCOMPARE(again.roomToken, before.roomToken);
        QCOMPARE(again.sessionToken, before.sessionToken);
        g.engine->disconnect(before.sessionToken); // the old token still names the session
        QVERIFY(!g.member(before.roomToken, Alice.userId).online);
    }

    void sessionsThatExpiredWhileDownEndAtTheirDeadline()
    {
        HeartbeatResult t;
        {
            Generation g(path, T0);
            t = g.beat(Alice, QStringLiteral("a1")); // due at T0 + 25 s
            g.clock.advance(5'000);
            g.beat(Bob, QStringLiteral("b1")); // due at T0 + 30 s
        }
        Generation g(path, T0 + 27'000);
        const Member alice = g.member(t.roomToken, Alice.userId);
        QVERIFY(!alice.online);
        QCOMPARE(alice.lastDisconnected, T0 + 25'000);
        QVERIFY(g.member(t.roomToken, Bob.userId).online); // its timer came back...
        g.clock.advance(2'999);
        QVERIFY(g.member(t.roomToken, Bob.userId).online);
        g.clock.advance(1); // ...and fires at its deadline
        QCOMPARE(g.member(t.roomToken, Bob.userId).lastDisconnected, T0 + 30'000);
        QCOMPARE(g.engine->sessionCount(), 0);
    }

    void countsSurviveARestart()
    {
        HeartbeatResult t;
        {
            Generation g(path, T0);
            t = g.beat(Alice, QStringLiteral("a1"));
            const auto bob = g.beat(Bob, QStringLiteral("b1"));
            g.engine->disconnect(bob.sessionToken);
        }
        Generation g(path, T0 + 1'000);
        const RoomCounts counts = g.engine->counts(Alice, t.roomToken).value();
        QCOMPARE(counts.online, 1);
        QCOMPARE(counts.total, 2);
        g.engine->disconnect(t.sessionToken); // never below zero, as a restored room counted nobody online
        QCOMPARE(g.engine->counts(Alice, t.roomToken).value().online, 0);
    }

    void dataOfOnlineMembersSurvivesARestart()
    {
        HeartbeatResult alice;
        const QJsonObject busy {{QStringLiteral("status"), QStringLiteral("Busy")}};
        {
            Generation g(path, T0);
            alice = g.beat(Alice, QStringLiteral("a1"));
            const auto bob = g.beat(Bob, QStringLiteral("b1"));
            QVERIFY(g.engine->update(Alice, alice.sessionToken, busy).value());
            QVERIFY(g.engine->update(Bob, bob.sessionToken, busy).value());
            g.engine->disconnect(bob.sessionToken); // offline: his is dropped, in the file too
        }
        QCOMPARE(
            Inspector(path).value(QStringLiteral("SELECT count(*) FROM presence WHERE data IS NOT NULL")).toInt(), 1);
        Generation g(path, T0 + 1'000);
        QCOMPARE(g.member(alice.roomToken, Alice.userId).data, busy);
        QCOMPARE(g.engine->online(Bob).value().users.size(), 1); // who is online comes back too
        QVERIFY(g.member(alice.roomToken, Bob.userId).data.isEmpty());
    }

    void memberEventsWaitInTheOutboxUntilHandled()
    {
        QList<MemberEvent> first;
        {
            ManualClock clock(T0);
            SqliteStore store;
            QVERIFY(store.open(path));
            Engine engine(&clock, &store);
            engine.setRecordingEvents(true);
            QObject::connect(
                &engine, &Engine::memberEvents, &engine, [&first](const QList<MemberEvent> &more) { first += more; });
            QVERIFY(engine.open());
            const auto a = engine.heartbeat(Alice, Doc, QStringLiteral("a1")).value();
            engine.heartbeat(Bob, Doc, QStringLiteral("b1"));
            engine.disconnect(a.sessionToken);
            QCOMPARE(first.size(), 3);
            QVERIFY(first.at(0).id > 0 && first.at(0).id < first.at(1).id && first.at(1).id < first.at(2).id);
            engine.eventsHandled(first.at(0).id); // Alice's join was delivered; the rest was not
            // The process dies here: what was committed stays.
        }
        QList<MemberEvent> second;
        {
            ManualClock clock(T0 + 60'000); // Bob's session ended while nobody ran
            SqliteStore store;
            QVERIFY(store.open(path));
            Engine engine(&clock, &store);
            engine.setRecordingEvents(true);
            QObject::connect(
                &engine, &Engine::memberEvents, &engine, [&second](const QList<MemberEvent> &more) { second += more; });
            QVERIFY(engine.open());
            QStringList seen;
            for (const MemberEvent &e : std::as_const(second))
                seen << MemberEvent::typeName(e.type) + QLatin1Char(' ') + e.userId;
            QCOMPARE(seen,
                (QStringList {QStringLiteral("member.joined user_bob"), QStringLiteral("member.left user_alice"),
                    QStringLiteral("member.left user_bob")})); // the last one told by the recovery
            QCOMPARE(second.at(0).id, first.at(1).id);
            engine.eventsHandled(second.constLast().id);
            engine.flush();
        }
        QCOMPARE(Inspector(path).value(QStringLiteral("SELECT count(*) FROM webhook_events")).toInt(), 0);
        // Opened without recording: nothing is kept.
        {
            Generation g(path, T0 + 120'000);
            g.beat(Alice, QStringLiteral("a2"));
        }
        QCOMPARE(Inspector(path).value(QStringLiteral("SELECT count(*) FROM webhook_events")).toInt(), 0);
    }

    void anotherLiveSessionKeepsTheUserOnlineAcrossRestart()
    {
        HeartbeatResult t;
        {
            Generation g(path, T0);
            t = g.beat(Alice, QStringLiteral("short"), 1'000); // due at T0 + 2.5 s
            g.beat(Alice, QStringLiteral("long"), 60'000);
        }
        Generation g(path, T0 + 10'000);
        QVERIFY(g.member(t.roomToken, Alice.userId).online);
        QCOMPARE(g.engine->sessionCount(), 1);
    }

    void lastDisconnectedSurvivesRestarts()
    {
        HeartbeatResult t;
        {
            Generation g(path, T0);
            t = g.beat(Alice, QStringLiteral("a1"));
            g.clock.advance(1'234);
            g.engine->disconnect(t.sessionToken);
        }
        for (int i = 0; i < 2; ++i) {
            Generation g(path, T0 + 100'000 * (i + 1));
            QCOMPARE(g.member(t.roomToken, Alice.userId).lastDisconnected, T0 + 1'234);
            QVERIFY(!g.member(t.roomToken, Alice.userId).online);
        }
    }

    void joinOrderSurvivesRestart()
    {
        HeartbeatResult t;
        {
            Generation g(path, T0);
            t = g.beat(Bob, QStringLiteral("b"));
            g.beat(Alice, QStringLiteral("a"));
        }
        Generation g(path, T0 + 1);
        const auto list = g.engine->list(Alice, t.roomToken).value();
        QCOMPARE(list.at(0).userId, Bob.userId);
        QCOMPARE(list.at(1).userId, Alice.userId);
        const auto carol = Identity {QStringLiteral("user_carol"), QStringLiteral("org_a"), {}, {}, {}};
        g.beat(carol, QStringLiteral("c"));
        QCOMPARE(g.engine->list(Alice, t.roomToken).value().at(2).userId, carol.userId);
    }

    void usersSurviveRestart()
    {
        HeartbeatResult t;
        {
            Generation g(path, T0);
            QVERIFY(g.engine->importUsers(R"([{"email":"bob@example.com","name":"Bob","image":"b.png"},
                                              {"workosId":"user_alice","name":"Alice"}])",
                Bob.organization));
            Identity bob = Bob;
            bob.email = QStringLiteral("bob@example.com");
            t = g.engine->heartbeat(bob, Doc, QStringLiteral("b")).value();
        }
        Generation g(path, T0 + 1);
        QCOMPARE(g.member(t.roomToken, Bob.userId).name, QStringLiteral("Bob"));
        QCOMPARE(g.member(t.roomToken, Bob.userId).image, QStringLiteral("b.png"));
        QCOMPARE(g.engine->userCount(), 3); // alice, bob by email, bob's workos row from his claims
    }

    // Issue 12, items 6-8: schema 1 keyed rooms "org::room" and had one sessionId and one
    // users namespace; its databases move to tenant keys with everything live kept.
    void schemaOneMovesToTenantKeys()
    {
        {
            Inspector db(path);
            const char *const schemaOne[] = {
                "CREATE TABLE presence (roomId TEXT NOT NULL, userId TEXT NOT NULL, online INTEGER NOT NULL,"
                " lastDisconnected INTEGER NOT NULL DEFAULT 0, joinOrder INTEGER NOT NULL DEFAULT 0,"
                " PRIMARY KEY (roomId, userId)) WITHOUT ROWID",
                "CREATE TABLE presence_sessions (sessionId TEXT NOT NULL PRIMARY KEY, roomId TEXT NOT NULL,"
                " userId TEXT NOT NULL) WITHOUT ROWID",
                "CREATE TABLE presence_roomTokens (token TEXT NOT NULL PRIMARY KEY, roomId TEXT NOT NULL UNIQUE)"
                " WITHOUT ROWID",
                "CREATE TABLE presence_sessionTokens (token TEXT NOT NULL PRIMARY KEY, sessionId TEXT NOT NULL UNIQUE)"
                " WITHOUT ROWID",
                "CREATE TABLE presence_sessionTimeouts (sessionId TEXT NOT NULL PRIMARY KEY, deadline INTEGER NOT NULL)"
                " WITHOUT ROWID",
                "CREATE TABLE users (id INTEGER PRIMARY KEY, workosId TEXT UNIQUE, email TEXT, name TEXT, image TEXT)",
                "INSERT INTO presence_roomTokens VALUES ('room-token', 'org_a::doc-1')",
                "INSERT INTO presence VALUES ('org_a::doc-1', 'user_alice', 1, 0, 1)",
                "INSERT INTO presence VALUES ('org_a::doc-1', 'user_bob', 0, 1699999990000, 0)",
                "INSERT INTO presence_sessions VALUES ('s-alice', 'org_a::doc-1', 'user_alice')",
                "INSERT INTO presence_sessionTokens VALUES ('session-token', 's-alice')",
                "INSERT INTO presence_sessionTimeouts VALUES ('s-alice', 1700000020000)",
                "INSERT INTO users (workosId, email, name) VALUES ('user_alice', 'alice@a.io', 'Alice')",
                "INSERT INTO users (email, name) VALUES ('nobody@a.io', 'Email only')",
                "PRAGMA user_version = 1",
            };
            for (const char *sql : schemaOne)
                db.rows(QString::fromLatin1(sql));
            QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM presence")).toInt(), 2);
        }
        Generation g(path, T0);
        QCOMPARE(Inspector(path).value(QStringLiteral("PRAGMA user_version")).toInt(), SqliteStore::SchemaVersion);
        const QList<Member> list = g.engine->list(Alice, QStringLiteral("room-token")).value();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.at(0).userId, Alice.userId);
        QVERIFY(list.at(0).online);
        QCOMPARE(list.at(0).name, QStringLiteral("Alice")); // a member of org_a: her row moved there
        QCOMPARE(list.at(1).lastDisconnected, qint64(1699999990000));
        QCOMPARE(g.engine
                     ->list(Identity {QStringLiteral("x"), QStringLiteral("org_b"), {}, {}, {}},
                         QStringLiteral("room-token"))
                     .error()
                     .code(),
            Error::PermissionDenied);
        // Alice's live session is hers under the new key: same token, same sessionId.
        QVERIFY(g.engine->hasSession(QStringLiteral("session-token")));
        QCOMPARE(g.beat(Alice, QStringLiteral("s-alice")).sessionToken, QStringLiteral("session-token"));
        QCOMPARE(g.engine->sessionCount(), 1);
        QCOMPARE(g.engine->userCount(), 1); // the email-only row belonged to no organization
    }

    // Issue 12, item 4: retention removes rows from the file, so restart time stays bounded.
    void retentionRemovesRowsFromTheFile()
    {
        {
            Generation g(path, T0);
            Engine::Limits limits;
            limits.offlineRetention = 60'000;
            g.engine->setLimits(limits);
            Identity alice = Alice;
            alice.name = QStringLiteral("Alice");
            for (int i = 0; i < 50; ++i) {
                const auto t
                    = g.engine->heartbeat(alice, QStringLiteral("room-%1").arg(i), QStringLiteral("s%1").arg(i));
                QVERIFY(g.engine->disconnect(t.value().sessionToken));
            }
            g.beat(Bob, QStringLiteral("b"), Engine::MaxInterval); // Bob stays in doc-1
            g.clock.advance(60'001);
            const Engine::Collected collected = g.engine->collectGarbage();
            QCOMPARE(collected.rooms, 50);
            QCOMPARE(collected.members, 50);
            QCOMPARE(collected.users, 1);
        }
        Inspector db(path);
        QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM presence")).toInt(), 1);
        QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM presence_roomTokens")).toInt(), 1);
        QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM users")).toInt(), 0);
        Generation g(path, T0 + 60'002);
        QCOMPARE(g.engine->roomCount(), 1);
    }

    // Issue 12, fault injection: a full disk (SQLite's max_page_count on the store's own
    // connection) fails the writes, not presence; once there is room again, writes resume.
    void aFullDiskFailsWritesButNotPresence()
    {
        HeartbeatResult after;
        {
            Generation g(path, T0);
            g.beat(Alice, QStringLiteral("a"));
            g.store.commit();
            QSqlQuery pragma(QSqlDatabase::database(g.store.connectionName()));
            QVERIFY(pragma.exec(QStringLiteral("PRAGMA page_count")) && pragma.next());
            const int pages = pragma.value(0).toInt();
            QVERIFY(pragma.exec(QStringLiteral("PRAGMA max_page_count = %1").arg(pages)));
            QVERIFY(pragma.exec(QStringLiteral("PRAGMA max_page_count")) && pragma.next());
            QCOMPARE(pragma.value(0).toInt(), pages);
            pragma.finish();
            QList<HeartbeatResult> joined;
            for (int i = 0; i < 90; ++i) { // under the 100 live sessions a user may have
                const auto t = g.engine->heartbeat(Bob, QStringLiteral("room-%1").arg(i), QStringLiteral("b%1").arg(i));
                QVERIFY2(t, qPrintable(t ? QString() : t.error().message())); // presence goes on from memory
                joined.append(t.value());
            }
            QVERIFY(g.engine->stats().storeErrors > 0);
            QVERIFY(g.member(joined.last().roomToken, Bob.userId).online);

            QVERIFY(pragma.exec(QStringLiteral("PRAGMA max_page_count = 1073741823")));
            pragma.finish();
            const quint64 errors = g.engine->stats().storeErrors;
            after = g.engine->heartbeat(Bob, QStringLiteral("after"), QStringLiteral("b-after")).value();
            g.clock.advance(1000);
            g.beat(Alice, QStringLiteral("a"));
            QVERIFY(g.store.commit());
            QCOMPARE(g.engine->stats().storeErrors, errors);
        }
        Generation g(path, T0 + 2000);
        QVERIFY(g.member(after.roomToken, Bob.userId).online);
        QVERIFY(g.engine->hasSession(after.sessionToken));
    }

    // Found by scripts/soak: under steady load the WAL was never started over (the writer
    // begins its next batch before a passive checkpoint has copied the last) and grew by 30 MB
    // a second. Past a size, the checkpointer truncates it.
    void aBusyWriterDoesNotGrowTheWalForEver()
    {
        ManualClock clock(T0);
        SqliteStore store;
        store.setWalRestartAbove(64); // frames: 256 KiB
        QVERIFY(store.open(path));
        Engine engine(&clock, &store);
        QVERIFY(engine.open());
        QFileInfo wal(path + QStringLiteral("-wal"));
        qint64 largest = 0;
        qint64 written = 0;
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; timer.elapsed() < 4000; ++i) {
            const auto joined = engine.heartbeat(Alice, QStringLiteral("room-%1").arg(i % 500), QStringLiteral("s"));
            QVERIFY(joined);
            QVERIFY(engine.disconnect(joined.value().sessionToken)); // a join and a leave: two commits
            clock.advance(1);
            if (i % 50 == 0) {
                QCoreApplication::processEvents();
                wal.refresh();
                largest = std::max(largest, wal.size());
                written = store.stats().commits;
            }
        }
        qInfo() << written << "commits in 4 s; the WAL was started over" << store.walRestarts()
                << "times and was at most" << largest / 1024 << "KiB";
        QVERIFY(store.walRestarts() > 0);
        QVERIFY2(largest < 16 * 1024 * 1024, qPrintable(QString::number(largest)));
    }

    void steadyHeartbeatWritesOneDeadlineAndNoCommit()
    {
        Generation g(path, T0);
        g.beat(Alice, QStringLiteral("a"));
        g.store.commit();
        const auto before = g.store.stats();
        for (int i = 0; i < 100; ++i) {
            g.clock.advance(10'000);
            g.beat(Alice, QStringLiteral("a"));
        }
        QCOMPARE(g.store.stats().deadlines - before.deadlines, 100u);
        QCOMPARE(g.store.stats().statements, before.statements); // held back for the flush
        QCOMPARE(g.store.stats().commits, before.commits);
        // The flush writes the session's last deadline once.
        QVERIFY(g.store.flush());
        QCOMPARE(g.store.stats().statements - before.statements, 1u);
        Inspector db(path);
        QCOMPARE(db.value(QStringLiteral("SELECT deadline FROM presence_sessionTimeouts")).toLongLong(),
            T0 + 1'000'000 + 25'000);
    }

    void aJoinCommitsItsOwnRowsNotTheDeadlinesHeldBack()
    {
        Generation g(path, T0);
        g.beat(Alice, QStringLiteral("a"));
        g.store.commit();
        g.clock.advance(10'000);
        g.beat(Alice, QStringLiteral("a")); // a deadline held back
        const auto before = g.store.stats();
        g.beat(Bob, QStringLiteral("b")); // a join: committed at once, with its rows only
        QCOMPARE(g.store.stats().commits - before.commits, 1u);
        Inspector db(path);
        QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM presence_sessions")).toInt(), 2);
        QCOMPARE(db.value(QStringLiteral("SELECT min(deadline) FROM presence_sessionTimeouts")).toLongLong(),
            T0 + 25'000); // Alice's renewal waits for the flush
        QVERIFY(g.store.flush());
        QCOMPARE(
            db.value(QStringLiteral("SELECT min(deadline) FROM presence_sessionTimeouts")).toLongLong(), T0 + 35'000);
    }

    void lowerWriteFactorHalvesDeadlineWrites()
    {
        Generation g(path, T0);
        g.engine->setDeadlineWriteFactor(1.25);
        g.beat(Alice, QStringLiteral("a"));
        const auto before = g.store.stats();
        for (int i = 0; i < 100; ++i) {
            g.clock.advance(10'000);
            g.beat(Alice, QStringLiteral("a"));
        }
        QCOMPARE(g.store.stats().deadlines - before.deadlines, 50u);
    }

    void batchedDeadlinesAreCommittedByTheStore()
    {
        Generation g(path, T0);
        g.store.setFlushDelay(20);
        g.beat(Alice, QStringLiteral("a"));
        g.clock.advance(10'000);
        g.beat(Alice, QStringLiteral("a"));
        Inspector db(path);
        const QString sql = QStringLiteral("SELECT deadline FROM presence_sessionTimeouts");
        QCOMPARE(db.value(sql).toLongLong(), T0 + 25'000); // not yet committed
        QTRY_COMPARE(db.value(sql).toLongLong(), T0 + 35'000);
    }

    void shorterIntervalIsWrittenAtOnce()
    {
        // The file as a crash would leave it: copied while the engine still runs.
        const QString crashed = path + QStringLiteral(".crashed");
        HeartbeatResult t;
        {
            Generation g(path, T0);
            g.engine->setDeadlineWriteFactor(1.25);
            t = g.engine->heartbeat(Alice, Doc, QStringLiteral("a"), 60'000).value(); // due at T0 + 150 s
            g.clock.advance(1'000);
            g.engine->heartbeat(Alice, Doc, QStringLiteral("a"), 2'000); // now due at T0 + 6 s
            g.store.flush(); // within flushDelay, whatever the write factor
            QVERIFY(QFile::copy(path, crashed));
            QVERIFY(QFile::copy(path + QStringLiteral("-wal"), crashed + QStringLiteral("-wal")));
        }
        Generation g(crashed, T0 + 10'000);
        const Member alice = g.member(t.roomToken, Alice.userId);
        QVERIFY(!alice.online);
        QCOMPARE(alice.lastDisconnected, T0 + 6'000);
    }

    void killedMidWriteRecoversWithoutGhosts_data()
    {
        QTest::addColumn<int>("delay");
        QTest::newRow("early") << 20;
        QTest::newRow("later") << 150;
        QTest::newRow("late") << 400;
    }
    void killedMidWriteRecoversWithoutGhosts()
    {
        QFETCH(int, delay);
        QProcess writer;
        writer.start(QStringLiteral(STOREWRITER), {path});
        QVERIFY2(writer.waitForStarted(), qPrintable(writer.errorString()));
        QVERIFY2(writer.waitForReadyRead(30'000), writer.readAllStandardError().constData());
        QCOMPARE(writer.readLine().trimmed(), QByteArray("ready"));
        QTest::qWait(delay);
        writer.kill(); // SIGKILL: no flush, no destructor, whatever was being written
        QVERIFY(writer.waitForFinished());
        QCOMPARE(writer.exitStatus(), QProcess::CrashExit);

        // What the crash left: a consistent file, and for each user the deadlines of the
        // sessions they still had.
        QHash<QString, qint64> lastDeadline; // "room|user" -> latest deadline
        QHash<QString, qint64> offlineBefore; // "room|user" -> lastDisconnected
        qint64 earliestDeadline = std::numeric_limits<qint64>::max();
        int storedSessions = 0;
        {
            Inspector db(path);
            QCOMPARE(db.value(QStringLiteral("PRAGMA integrity_check")).toString(), QStringLiteral("ok"));
            for (const auto &row :
                db.rows(QStringLiteral("SELECT s.roomId, s.userId, o.deadline FROM presence_sessions s"
                                       " JOIN presence_sessionTimeouts o USING (sessionId)"
                                       " JOIN presence_sessionTokens t USING (sessionId)"))) {
                const QString key = row[0].toString() + QLatin1Char('|') + row[1].toString();
                lastDeadline[key] = std::max(lastDeadline.value(key), row[2].toLongLong());
                earliestDeadline = std::min(earliestDeadline, row[2].toLongLong());
                ++storedSessions;
            }
            QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM presence_sessions")).toInt(), storedSessions);
            for (const auto &row :
                db.rows(QStringLiteral("SELECT roomId, userId, lastDisconnected FROM presence WHERE online = 0")))
                offlineBefore[row[0].toString() + QLatin1Char('|') + row[1].toString()] = row[2].toLongLong();
            // Every online row has a session and every session an online row: written together.
            QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM presence p WHERE online = 1 AND NOT EXISTS"
                                             " (SELECT 1 FROM presence_sessions s WHERE s.roomId = p.roomId"
                                             " AND s.userId = p.userId)"))
                         .toInt(),
                0);
        }
        QVERIFY(storedSessions > 0);

        // Restarted soon: every stored session is live again, and only their users are online.
        QFile::copy(path, path + QStringLiteral(".soon"));
        QFile::copy(path + QStringLiteral("-wal"), path + QStringLiteral(".soon-wal"));
        {
            Generation g(path + QStringLiteral(".soon"), earliestDeadline - 1);
            QCOMPARE(g.engine->sessionCount(), storedSessions);
            Inspector db(path + QStringLiteral(".soon"));
            QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM presence WHERE online = 1")).toInt(),
                int(lastDeadline.size()));
        }

        // Restarted a year later: nobody is a ghost, and each user went offline when their
        // last session's deadline passed; those already offline keep their lastDisconnected.
        {
            Generation g(path, T0 + qint64(3'600'000) * 24 * 365);
            QCOMPARE(g.engine->sessionCount(), 0);
        }
        Inspector db(path);
        QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM presence WHERE online = 1")).toInt(), 0);
        QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM presence_sessions")).toInt(), 0);
        QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM presence_sessionTokens")).toInt(), 0);
        QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM presence_sessionTimeouts")).toInt(), 0);
        int checked = 0;
        for (const auto &row : db.rows(QStringLiteral("SELECT roomId, userId, lastDisconnected FROM presence"))) {
            const QString key = row[0].toString() + QLatin1Char('|') + row[1].toString();
            const qint64 expected = lastDeadline.contains(key) ? lastDeadline.value(key) : offlineBefore.value(key);
            QCOMPARE(row[2].toLongLong(), expected);
            ++checked;
        }
        QCOMPARE(checked, int(lastDeadline.size() + offlineBefore.size()));
    }

    void anEngineOwnsItsDatabaseAlone()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("owned.db"));
        SqliteStore first;
        QVERIFY(first.open(path, SqliteStore::Exclusive));
        QVERIFY(QFileInfo::exists(path + QStringLiteral(".lock")));
        SqliteStore second;
        const Result<bool> refused = second.open(path, SqliteStore::Exclusive);
        QVERIFY(!refused);
        QVERIFY(refused.error().message().contains(QStringLiteral("in use by another presence process")));
        SqliteStore tool; // a tool that touches the users table only does not take the lock
        QVERIFY(tool.open(path, SqliteStore::Shared));
        first.close();
        QVERIFY(!QFileInfo::exists(path + QStringLiteral(".lock")));
        QVERIFY(second.open(path, SqliteStore::Exclusive));
    }

    void closingLeavesTheDatabaseWholeWithoutItsLog()
    {
        // The last connection to close copies the log into the database and removes it: once
        // every statement is finalized (one left behind keeps the connection open in SQLite,
        // and the log with it).
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("closed.db"));
        SqliteStore store;
        QVERIFY(store.open(path, SqliteStore::Exclusive));
        QVERIFY(store.writeRoomToken(QStringLiteral("org\x1f"
                                                    "doc"),
            QStringLiteral("org"), QStringLiteral("t")));
        QVERIFY(store.commit());
        QVERIFY(QFileInfo::exists(path + QStringLiteral("-wal")));
        store.close();
        QVERIFY(!QFileInfo::exists(path + QStringLiteral("-wal")));
        QCOMPARE(Inspector(path).value(QStringLiteral("SELECT count(*) FROM presence_roomTokens")).toInt(), 1);
    }

    void aWriteAfterCloseFailsWithoutHarm()
    {
        // A server's last connections go after its store closed: their rooms' writes fail.
        QTemporaryDir dir;
        SqliteStore store;
        QVERIFY(store.open(dir.filePath(QStringLiteral("late.db"))));
        store.close();
        QVERIFY(!store.removeRoom(QStringLiteral("org\x1f"
                                                 "doc")));
        QVERIFY(store.lastError().contains(QLatin1String("closed")));
        QVERIFY(!store.writeRoomToken(QStringLiteral("org\x1f"
                                                     "doc"),
            QStringLiteral("org"), QStringLiteral("t")));
    }

    void aLockLeftByAProcessThatDiedIsTakenOver()
    {
        // A crash leaves the lock file behind; its process no longer runs, so it locks nothing.
        QProcess gone;
        gone.start(QStringLiteral("true"), {});
        QVERIFY(gone.waitForStarted());
        const qint64 pid = gone.processId();
        QVERIFY(gone.waitForFinished());
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("crashed.db"));
        QFile lock(path + QStringLiteral(".lock"));
        QVERIFY(lock.open(QIODevice::WriteOnly));
        lock.write(QByteArray::number(pid) + "\npresence-server\n" + QSysInfo::machineHostName().toUtf8() + '\n'
            + QSysInfo::machineUniqueId() + '\n');
        lock.close();
        SqliteStore store;
        const Result<bool> opened = store.open(path, SqliteStore::Exclusive);
        QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message()));
    }
};

QTEST_GUILESS_MAIN(SqliteStoreTest)
#include "tst_sqlitestore.moc"
