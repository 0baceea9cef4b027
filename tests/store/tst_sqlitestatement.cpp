// SqliteStatement: values bound as they are, NULL only when asked, errors said.
#include "sqlitestatement.h"

#include <QTest>

#include <sqlite3.h>

using namespace Presence;

class SqliteStatementTest : public QObject
{
    Q_OBJECT

private:
    sqlite3 *db = nullptr;

    QString text(const char *sql)
    {
        sqlite3_stmt *statement = nullptr;
        sqlite3_prepare_v2(db, sql, -1, &statement, nullptr);
        QString value;
        if (sqlite3_step(statement) == SQLITE_ROW) {
            value = sqlite3_column_type(statement, 0) == SQLITE_NULL
                ? QStringLiteral("NULL")
                : QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(statement, 0)));
        }
        sqlite3_finalize(statement);
        return value;
    }

private Q_SLOTS:
    void init()
    {
        QCOMPARE(sqlite3_open(":memory:", &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT NOT NULL, n INTEGER, d TEXT)",
                     nullptr, nullptr, nullptr),
            SQLITE_OK);
    }

    void cleanup()
    {
        sqlite3_close_v2(db);
        db = nullptr;
    }

    void bindsTextIntegersAndNullInOrder()
    {
        SqliteStatement insert;
        QVERIFY(insert.prepare(db, "INSERT INTO t (s, n, d) VALUES (?, ?, ?)"));
        QVERIFY(insert.run({QStringLiteral("Grüße ✍︎"), qint64(1) << 53, SqliteStatement::Value::null()}));
        QCOMPARE(insert.lastInsertId(), 1);
        QCOMPARE(text("SELECT s FROM t"), QStringLiteral("Grüße ✍︎"));
        QCOMPARE(text("SELECT n FROM t"), QStringLiteral("9007199254740992"));
        QCOMPARE(text("SELECT d FROM t"), QStringLiteral("NULL"));
    }

    void anEmptyOrNullStringIsEmptyTextNotNull()
    {
        // SQLite reads text without data as NULL; the column is NOT NULL and must get ''.
        SqliteStatement insert;
        QVERIFY(insert.prepare(db, "INSERT INTO t (s, d) VALUES (?, ?)"));
        QVERIFY(insert.run({QString(), QStringLiteral("")}));
        QCOMPARE(text("SELECT quote(s) || quote(d) FROM t"), QStringLiteral("''''"));
    }

    void runsAgainWithNewValues()
    {
        SqliteStatement insert;
        QVERIFY(insert.prepare(db, "INSERT INTO t (s, n) VALUES (?, ?)"));
        for (int i = 0; i < 3; ++i)
            QVERIFY(insert.run({QStringLiteral("row %1").arg(i), i}));
        QCOMPARE(insert.lastInsertId(), 3);
        QCOMPARE(text("SELECT group_concat(s || ':' || n, ',') FROM t"), QStringLiteral("row 0:0,row 1:1,row 2:2"));
    }

    void aFailedRunSaysWhyAndTheStatementStaysUsable()
    {
        SqliteStatement insert;
        QVERIFY(insert.prepare(db, "INSERT INTO t (id, s) VALUES (?, ?)"));
        QVERIFY(insert.run({1, QStringLiteral("first")}));
        QVERIFY(!insert.run({1, QStringLiteral("again")}));
        QVERIFY2(insert.error().contains(QLatin1String("UNIQUE")), qPrintable(insert.error()));
        QVERIFY(insert.run({2, QStringLiteral("second")}));
        QCOMPARE(text("SELECT count(*) FROM t"), QStringLiteral("2"));
    }

    void aStatementNotPreparedFailsAndSaysSo()
    {
        // As after its database closed: a write that comes late fails, it does not crash.
        SqliteStatement statement;
        QVERIFY(statement.prepare(db, "INSERT INTO t (s) VALUES (?)"));
        statement.finalize();
        QVERIFY(!statement.run({QStringLiteral("late")}));
        QVERIFY(!statement.error().isEmpty());
        QVERIFY(!SqliteStatement().run({}));
    }

    void badSqlIsRefusedWithSqlitesMessage()
    {
        SqliteStatement statement;
        QVERIFY(!statement.prepare(db, "INSERT INTO nowhere VALUES (?)"));
        QVERIFY(!statement.isPrepared());
        QVERIFY2(statement.error().contains(QLatin1String("nowhere")), qPrintable(statement.error()));
    }
};

QTEST_GUILESS_MAIN(SqliteStatementTest)
#include "tst_sqlitestatement.moc"
