#pragma once

#include <QString>
#include <QStringView>

#include <initializer_list>

struct sqlite3;
struct sqlite3_stmt;

namespace Presence {

/// One statement prepared on an SQLite connection and run through SQLite's own API.
///
/// The writes of every join and leave go through it: binding through Qt SQL's QVariants cost
/// more than SQLite's work for rows this small (bench_heartbeat's joins and leaves).
class SqliteStatement
{
public:
    /// A value to bind: text, an integer, or SQL NULL (Value::null()).
    class Value
    {
    public:
        Value(const QString &text)
            : m_text(text)
            , m_kind(Text)
        {
        }
        Value(qint64 integer)
            : m_integer(integer)
            , m_kind(Integer)
        {
        }
        Value(int integer)
            : m_integer(integer)
            , m_kind(Integer)
        {
        }
        static Value null() { return Value(); }

    private:
        friend class SqliteStatement;
        enum Kind { Text, Integer, Null };
        Value() = default;
        QStringView m_text;
        qint64 m_integer = 0;
        Kind m_kind = Null;
    };

    SqliteStatement() = default;
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    /// False, with error() saying why, if SQLite refuses `sql`.
    bool prepare(sqlite3 *db, const char *sql);
    void finalize();
    bool isPrepared() const { return m_statement != nullptr; }

    /// Binds `values` to ?1, ?2… in order and runs the statement to its end. False, with
    /// error() saying why, if SQLite failed.
    bool run(std::initializer_list<Value> values);
    /// The rowid of the row the last successful run inserted.
    qint64 lastInsertId() const { return m_lastInsertId; }
    QString error() const { return m_error; }

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
    qint64 m_lastInsertId = 0;
    QString m_error;
};

} // namespace Presence
