#include "sqlitestatement.h"

#include <sqlite3.h>

namespace Presence {

SqliteStatement::~SqliteStatement()
{
    finalize();
}

bool SqliteStatement::prepare(sqlite3 *db, const char *sql)
{
    finalize();
    m_db = db;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_statement, nullptr) != SQLITE_OK) {
        m_error = QString::fromUtf8(sqlite3_errmsg(db));
        m_statement = nullptr;
        return false;
    }
    return true;
}

void SqliteStatement::finalize()
{
    sqlite3_finalize(m_statement);
    m_statement = nullptr;
}

bool SqliteStatement::run(std::initializer_list<Value> values)
{
    if (!m_statement) {
        m_error = QStringLiteral("the statement is not prepared (its database is closed)");
        return false;
    }
    int index = 1;
    for (const Value &value : values) {
        switch (value.m_kind) {
        case Value::Null:
            sqlite3_bind_null(m_statement, index);
            break;
        case Value::Integer:
            sqlite3_bind_int64(m_statement, index, value.m_integer);
            break;
        case Value::Text:
            // SQLITE_STATIC: the text outlives the step below, and is not copied. An empty
            // string has no data, and SQLite reads no data as NULL: it gets "" of its own.
            sqlite3_bind_text16(m_statement, index, value.m_text.isEmpty() ? u"" : value.m_text.utf16(),
                int(value.m_text.size() * qsizetype(sizeof(char16_t))), SQLITE_STATIC);
            break;
        }
        ++index;
    }
    const int rc = sqlite3_step(m_statement);
    const bool ok = rc == SQLITE_DONE || rc == SQLITE_ROW;
    if (ok)
        m_lastInsertId = sqlite3_last_insert_rowid(m_db);
    else
        m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    return ok;
}

} // namespace Presence
