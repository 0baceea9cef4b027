#include "sqlitestore.h"

#include "walcheckpointer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QLoggingCategory>
#include <QSqlDriver>
#include <QSqlError>

#include <sqlite3.h>

Q_LOGGING_CATEGORY(lcStore, "presence.store", QtInfoMsg)

namespace Presence {

namespace {

// Migration N takes the schema from version N to N + 1; the database's user_version says
// where it is. Append, never edit: databases in the field are at every version.
const char *const Migrations[][24] = {
    {
        // 0 -> 1: the seed's tables. The seed's presence_sessionTimeouts held a scheduler
        // handle; ours holds the deadline itself, which is what a restart needs to recover.
        "CREATE TABLE presence ("
        " roomId TEXT NOT NULL, userId TEXT NOT NULL, online INTEGER NOT NULL,"
        " lastDisconnected INTEGER NOT NULL DEFAULT 0, joinOrder INTEGER NOT NULL DEFAULT 0,"
        " PRIMARY KEY (roomId, userId)) WITHOUT ROWID",
        "CREATE INDEX presence_user_online_room ON presence (userId, online, roomId)",
        "CREATE INDEX presence_room_order ON presence (roomId, online, lastDisconnected)",
        "CREATE TABLE presence_sessions ("
        " sessionId TEXT NOT NULL PRIMARY KEY, roomId TEXT NOT NULL, userId TEXT NOT NULL) WITHOUT ROWID",
        "CREATE INDEX presence_sessions_room_user_session ON presence_sessions (roomId, userId, sessionId)",
        "CREATE TABLE presence_roomTokens (token TEXT NOT NULL PRIMARY KEY, roomId TEXT NOT NULL UNIQUE) WITHOUT ROWID",
        "CREATE TABLE presence_sessionTokens ("
        " token TEXT NOT NULL PRIMARY KEY, sessionId TEXT NOT NULL UNIQUE) WITHOUT ROWID",
        "CREATE TABLE presence_sessionTimeouts ("
        " sessionId TEXT NOT NULL PRIMARY KEY, deadline INTEGER NOT NULL) WITHOUT ROWID",
        "CREATE TABLE users ("
        " id INTEGER PRIMARY KEY, workosId TEXT UNIQUE, email TEXT, name TEXT, image TEXT)",
        "CREATE INDEX users_by_email ON users (email)",
        "CREATE UNIQUE INDEX users_email_only ON users (email) WHERE workosId IS NULL",
        nullptr,
    },
    {
        // 1 -> 2: tenants apart. Keys "org::room" collided ("a:" + "x" and "a" + ":x"), and
        // sessionIds and users were one namespace for every organization. A room's key is now
        // organization, U+001F, roomId (organizations hold no control characters), with the
        // organization in a column of its own; a session's is organization, userId and
        // sessionId the same way. Old keys split at their first "::" (organizations could
        // not contain it).
        "ALTER TABLE presence_roomTokens ADD COLUMN organization TEXT NOT NULL DEFAULT ''",
        "UPDATE presence_roomTokens SET organization = substr(roomId, 1, instr(roomId, '::') - 1),"
        " roomId = substr(roomId, 1, instr(roomId, '::') - 1) || char(31) || substr(roomId, instr(roomId, '::') + 2)"
        " WHERE instr(roomId, '::') > 0",
        "UPDATE presence SET roomId = substr(roomId, 1, instr(roomId, '::') - 1) || char(31)"
        " || substr(roomId, instr(roomId, '::') + 2) WHERE instr(roomId, '::') > 0",
        "UPDATE presence_sessionTokens SET sessionId = (SELECT substr(s.roomId, 1, instr(s.roomId, '::') - 1)"
        " || char(31) || s.userId || char(31) || s.sessionId FROM presence_sessions s"
        " WHERE s.sessionId = presence_sessionTokens.sessionId AND instr(s.roomId, '::') > 0)"
        " WHERE sessionId IN (SELECT sessionId FROM presence_sessions WHERE instr(roomId, '::') > 0)",
        "UPDATE presence_sessionTimeouts SET sessionId = (SELECT substr(s.roomId, 1, instr(s.roomId, '::') - 1)"
        " || char(31) || s.userId || char(31) || s.sessionId FROM presence_sessions s"
        " WHERE s.sessionId = presence_sessionTimeouts.sessionId AND instr(s.roomId, '::') > 0)"
        " WHERE sessionId IN (SELECT sessionId FROM presence_sessions WHERE instr(roomId, '::') > 0)",
        "UPDATE presence_sessions SET sessionId = substr(roomId, 1, instr(roomId, '::') - 1) || char(31) || userId"
        " || char(31) || sessionId, roomId = substr(roomId, 1, instr(roomId, '::') - 1) || char(31)"
        " || substr(roomId, instr(roomId, '::') + 2) WHERE instr(roomId, '::') > 0",
        // Users per organization. A row's organization was never recorded: it goes to each
        // organization where that user is a member, and is no longer found by email (only
        // imports are); rows without a workosId came from imports of no organization and go
        // (run `users import --org` again).
        "CREATE TABLE users_v2 ("
        " id INTEGER PRIMARY KEY, organization TEXT NOT NULL, workosId TEXT, email TEXT, name TEXT, image TEXT,"
        " imported INTEGER NOT NULL DEFAULT 0, UNIQUE (organization, workosId))",
        "INSERT OR IGNORE INTO users_v2 (organization, workosId, email, name, image)"
        " SELECT DISTINCT r.organization, u.workosId, u.email, u.name, u.image FROM users u"
        " JOIN presence p ON p.userId = u.workosId JOIN presence_roomTokens r ON r.roomId = p.roomId"
        " WHERE u.workosId IS NOT NULL",
        "DROP TABLE users",
        "ALTER TABLE users_v2 RENAME TO users",
        "CREATE INDEX users_by_email ON users (organization, email)",
        "CREATE UNIQUE INDEX users_email_only ON users (organization, email) WHERE workosId IS NULL",
        nullptr,
    },
    {
        // 2 -> 3: a member's data (a status, a cursor colour), compact JSON; NULL when empty.
        "ALTER TABLE presence ADD COLUMN data TEXT",
        nullptr,
    },
    {
        // 3 -> 4: the webhook outbox, written with the change each event tells of.
        "CREATE TABLE webhook_events (id INTEGER PRIMARY KEY AUTOINCREMENT, type INTEGER NOT NULL,"
        " organization TEXT NOT NULL, roomId TEXT NOT NULL, userId TEXT NOT NULL, at INTEGER NOT NULL)",
        nullptr,
    },
    {
        // 4 -> 5: the seed's indexes on presence and presence_sessions go. They served the
        // seed's queries; the engine answers those from memory, reads each table whole when it
        // opens and writes rows by their primary keys, so each was a b-tree more written by
        // every join and leave and read by nothing: a join's commit was 8 WAL pages, now 5
        // (bench_heartbeat: a join 186 µs of CPU, then 134).
        "DROP INDEX IF EXISTS presence_user_online_room",
        "DROP INDEX IF EXISTS presence_room_order",
        "DROP INDEX IF EXISTS presence_sessions_room_user_session",
        nullptr,
    },
};
constexpr int MigrationCount = int(sizeof Migrations / sizeof Migrations[0]);
static_assert(MigrationCount == SqliteStore::SchemaVersion, "one migration per schema version");

QVariant text(const QString &value)
{
    // NULL rather than '' for absent optional fields, so the unique email index ignores them.
    return value.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(value);
}

} // namespace

// The statements prepared on SQLite's own API when the store opens, finalized when it closes.
const SqliteStore::PreparedStatement SqliteStore::PreparedStatements[] = {
    {&SqliteStore::m_begin, "BEGIN"},
    {&SqliteStore::m_commit, "COMMIT"},
    {&SqliteStore::m_rollback, "ROLLBACK"},
    {&SqliteStore::m_updateTimeout, "UPDATE presence_sessionTimeouts SET deadline = ?1 WHERE sessionId = ?2"},
    {&SqliteStore::m_upsertPresence,
        "INSERT INTO presence (roomId, userId, online, lastDisconnected, joinOrder, data) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (roomId, userId) DO UPDATE SET online = excluded.online,"
        " lastDisconnected = excluded.lastDisconnected, joinOrder = excluded.joinOrder, data = excluded.data"},
    {&SqliteStore::m_insertRoomToken,
        "INSERT OR REPLACE INTO presence_roomTokens (roomId, organization, token) VALUES (?, ?, ?)"},
    {&SqliteStore::m_insertSession,
        "INSERT OR REPLACE INTO presence_sessions (sessionId, roomId, userId) VALUES (?, ?, ?)"},
    {&SqliteStore::m_insertSessionToken,
        "INSERT OR REPLACE INTO presence_sessionTokens (sessionId, token) VALUES (?, ?)"},
    {&SqliteStore::m_insertTimeout,
        "INSERT OR REPLACE INTO presence_sessionTimeouts (sessionId, deadline) VALUES (?, ?)"},
    {&SqliteStore::m_deleteSession, "DELETE FROM presence_sessions WHERE sessionId = ?"},
    {&SqliteStore::m_deleteSessionToken, "DELETE FROM presence_sessionTokens WHERE sessionId = ?"},
    {&SqliteStore::m_deleteTimeout, "DELETE FROM presence_sessionTimeouts WHERE sessionId = ?"},
    {&SqliteStore::m_deletePresence, "DELETE FROM presence WHERE roomId = ? AND userId = ?"},
    {&SqliteStore::m_deleteRoom, "DELETE FROM presence_roomTokens WHERE roomId = ?"},
    {&SqliteStore::m_insertEvent,
        "INSERT INTO webhook_events (type, organization, roomId, userId, at) VALUES (?, ?, ?, ?, ?)"},
    {&SqliteStore::m_deleteEvents, "DELETE FROM webhook_events WHERE id <= ?"},
};

SqliteStore::SqliteStore(QObject *parent)
    : QObject(parent)
    , m_connection(QStringLiteral("presence-store-%1").arg(quintptr(this), 0, 16))
{
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, [this] { flush(); });
}

SqliteStore::~SqliteStore()
{
    close();
}

bool SqliteStore::isOpen() const
{
    return m_db.isOpen();
}

Result<bool> SqliteStore::open(const QString &path, OpenMode mode)
{
    close();
    m_path = path;
    if (path != QLatin1String(":memory:")) {
        const QFileInfo info(path);
        if (!QDir().mkpath(info.absolutePath())) {
            return Error(Error::Internal,
                QStringLiteral("cannot create the directory of the database %1").arg(info.absolutePath()));
        }
        // Before SQLite opens it: a refused second owner must not migrate or change the file.
        if (mode == Exclusive) {
            if (const Result<bool> locked = lockExclusive(); !locked)
                return locked.error();
        }
    }
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    if (!m_db.isValid())
        return Error(Error::Internal, QStringLiteral("the Qt SQLite driver (QSQLITE) is not installed"));
    m_db.setDatabaseName(path);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(BusyTimeoutMs));
    if (!m_db.open()) {
        const QString message = m_db.lastError().text();
        close();
        return Error(Error::Internal, QStringLiteral("cannot open the database %1: %2").arg(path, message));
    }

    QSqlQuery pragma(m_db);
    if (!pragma.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !pragma.next()) {
        const QString message = pragma.lastError().text();
        close();
        return Error(Error::Internal, QStringLiteral("cannot use the database %1: %2").arg(path, message));
    }
    const QString journal = pragma.value(0).toString();
    if (journal != QLatin1String("wal") && path != QLatin1String(":memory:"))
        qCWarning(lcStore) << "database" << path << "is in journal mode" << journal << "instead of WAL";
    pragma.exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    // 16 MiB of page cache (the default is 2): the timeouts table of 50 000 sessions fits.
    pragma.exec(QStringLiteral("PRAGMA cache_size=-16384"));
    // After a checkpoint the WAL is cut back to 4 MiB: under churn it otherwise keeps the size
    // of its busiest second for good (45 MB after one minute of scripts/soak).
    pragma.exec(QStringLiteral("PRAGMA journal_size_limit=4194304"));

    const Result<bool> migrated = migrate();
    if (!migrated) {
        close();
        return migrated.error();
    }
    if (journal == QLatin1String("wal")) {
        pragma.exec(QStringLiteral("PRAGMA wal_autocheckpoint=0"));
        m_checkpointer = std::make_unique<WalCheckpointer>(path);
    }

    const struct
    {
        QSqlQuery *query;
        const char *sql;
    } userStatements[] = {
        {&m_upsertUserById,
            "INSERT INTO users (organization, workosId, email, name, image, imported) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (organization, workosId) DO UPDATE SET email = excluded.email, name = excluded.name,"
            " image = excluded.image, imported = excluded.imported"},
        {&m_updateUserByEmail,
            "UPDATE users SET name = ?, image = ? WHERE organization = ? AND workosId IS NULL AND email = ?"},
        {&m_deleteUser, "DELETE FROM users WHERE organization = ? AND workosId = ?"},
        {&m_insertUserByEmail, "INSERT INTO users (organization, email, name, image, imported) VALUES (?, ?, ?, ?, 1)"},
    };
    for (const auto &s : userStatements) {
        *s.query = QSqlQuery(m_db);
        if (!s.query->prepare(QString::fromLatin1(s.sql))) {
            const QString message = s.query->lastError().text();
            close();
            return Error(Error::Internal, QStringLiteral("cannot prepare a statement on %1: %2").arg(path, message));
        }
    }
    m_handle = *static_cast<sqlite3 *const *>(m_db.driver()->handle().data());
    sqlite3_wal_hook(
        m_handle,
        [](void *self, sqlite3 *, const char *, int frames) {
            static_cast<SqliteStore *>(self)->m_walFrames = frames;
            return SQLITE_OK;
        },
        this);
    for (const auto &[member, sql] : PreparedStatements) {
        SqliteStatement &statement = this->*member;
        if (!statement.prepare(m_handle, sql)) {
            const QString message = statement.error();
            close();
            return Error(Error::Internal, QStringLiteral("cannot prepare a statement on %1: %2").arg(path, message));
        }
    }
    qCDebug(lcStore) << "opened" << path;
    return true;
}

Result<bool> SqliteStore::migrate()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return Error(
            Error::Internal, QStringLiteral("cannot read the schema version: %1").arg(query.lastError().text()));
    const int version = query.value(0).toInt();
    query.finish();
    if (version > SchemaVersion) {
        return Error(Error::Internal,
            QStringLiteral("the database %1 has schema version %2, newer than this build's %3; "
                           "use a newer presence build or another database")
                .arg(m_path)
                .arg(version)
                .arg(SchemaVersion));
    }
    for (int step = version; step < SchemaVersion; ++step) {
        if (!m_db.transaction())
            return Error(Error::Internal, QStringLiteral("cannot migrate: %1").arg(m_db.lastError().text()));
        for (const char *const *sql = Migrations[step]; *sql; ++sql) {
            if (!query.exec(QString::fromLatin1(*sql))) {
                const QString message = query.lastError().text();
                m_db.rollback();
                return Error(
                    Error::Internal, QStringLiteral("migration to schema %1 failed: %2").arg(step + 1).arg(message));
            }
        }
        if (!query.exec(QStringLiteral("PRAGMA user_version = %1").arg(step + 1)) || !m_db.commit()) {
            const QString message = query.lastError().text() + m_db.lastError().text();
            m_db.rollback();
            return Error(
                Error::Internal, QStringLiteral("migration to schema %1 failed: %2").arg(step + 1).arg(message));
        }
        qCInfo(lcStore) << "database" << m_path << "migrated to schema" << step + 1;
    }
    return true;
}

void SqliteStore::close()
{
    if (!m_db.isValid()) {
        m_lock.reset();
        return;
    }
    flush();
    m_checkpointer.reset(); // first: the last connection to close checkpoints what is left
    for (const auto &prepared : PreparedStatements)
        (this->*prepared.member).finalize(); // before the connection: SQLite keeps it open for them
    m_handle = nullptr;
    for (QSqlQuery *query : {&m_upsertUserById, &m_updateUserByEmail, &m_insertUserByEmail, &m_deleteUser})
        *query = QSqlQuery();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
    m_lock.reset(); // after the last commit, so the next owner sees everything
}

void SqliteStore::setFlushDelay(int ms)
{
    m_flushDelay = std::max(0, ms);
}

bool SqliteStore::fail(const QString &what, const QSqlQuery &query)
{
    if (m_handle && sqlite3_get_autocommit(m_handle))
        m_inTransaction = false; // SQLite rolled the batch back itself
    m_lastError = what + QStringLiteral(": ") + query.lastError().text();
    qCWarning(lcStore) << m_lastError;
    return false;
}

bool SqliteStore::ensureTransaction()
{
    if (m_inTransaction)
        return true;
    if (!m_handle) {
        m_lastError = QStringLiteral("the database %1 is closed").arg(m_path);
        return false;
    }
    if (!m_begin.run({})) {
        m_lastError = QStringLiteral("cannot begin a transaction: ") + m_begin.error();
        return false;
    }
    m_inTransaction = true;
    m_flushTimer.start(m_flushDelay);
    return true;
}

bool SqliteStore::run(SqliteStatement &statement, std::initializer_list<SqliteStatement::Value> values)
{
    if (!ensureTransaction())
        return false;
    ++m_stats.statements;
    ++m_pending;
    if (statement.run(values))
        return true;
    if (sqlite3_get_autocommit(m_handle))
        m_inTransaction = false; // SQLite rolled the batch back itself
    m_lastError = QStringLiteral("write to %1 failed: %2").arg(m_path, statement.error());
    qCWarning(lcStore) << m_lastError;
    return false;
}

bool SqliteStore::run(QSqlQuery &query, const QVariantList &values)
{
    if (!ensureTransaction())
        return false;
    for (int i = 0; i < values.size(); ++i)
        query.bindValue(i, values.at(i));
    const bool ok = query.exec();
    ++m_stats.statements;
    ++m_pending;
    return ok || fail(QStringLiteral("write to %1 failed").arg(m_path), query);
}

bool SqliteStore::flush()
{
    // The deadlines held back, in a transaction of their own (or of whatever is pending).
    if (!m_deadlines.isEmpty() && ensureTransaction()) {
        for (auto it = m_deadlines.cbegin(); it != m_deadlines.cend(); ++it) {
            if (!run(m_updateTimeout, {it.value(), it.key()})) {
                m_deadlines.clear();
                return false;
            }
        }
        m_deadlines.clear();
    }
    return commit();
}

bool SqliteStore::commit()
{
    if (!m_inTransaction) {
        m_pending = 0;
        return true;
    }
    m_flushTimer.stop();
    m_inTransaction = false;
    m_pending = 0;
    ++m_stats.commits;
    if (!m_commit.run({})) {
        m_lastError = QStringLiteral("commit to %1 failed: %2").arg(m_path, m_commit.error());
        qCWarning(lcStore) << m_lastError;
        m_rollback.run({});
        return false;
    }
    if (!m_deadlines.isEmpty())
        m_flushTimer.start(m_flushDelay); // they wait for their own transaction
    if (m_walFrames > m_walRestartAbove + m_walBackoff && m_handle) {
        // Never waits: with a reader in the way (the checkpointer thread, a backup, `users
        // import`) it is tried again once the log has grown by a tenth more.
        sqlite3_busy_timeout(m_handle, 0);
        int log = 0;
        int copied = 0;
        const int rc = sqlite3_wal_checkpoint_v2(m_handle, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &copied);
        sqlite3_busy_timeout(m_handle, BusyTimeoutMs);
        if (rc == SQLITE_OK) {
            ++m_walRestarts;
            m_walFrames = 0;
            m_walBackoff = 0;
        } else {
            m_walBackoff = m_walFrames - m_walRestartAbove + std::max(1, m_walRestartAbove / 10);
            if (rc != SQLITE_BUSY)
                qCWarning(lcStore) << "cannot start the WAL of" << m_path << "over:" << sqlite3_errstr(rc);
        }
    }
    return true;
}

Result<StoreSnapshot> SqliteStore::load()
{
    if (!isOpen())
        return Error(Error::Internal, QStringLiteral("the database is not open"));
    flush();
    StoreSnapshot snapshot;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    auto select = [&](const char *sql) {
        if (query.exec(QString::fromLatin1(sql)))
            return true;
        m_lastError = QStringLiteral("cannot read %1: %2").arg(m_path, query.lastError().text());
        return false;
    };

    if (!select("SELECT roomId, token, organization FROM presence_roomTokens"))
        return Error(Error::Internal, m_lastError);
    while (query.next())
        snapshot.roomTokens.append({query.value(0).toString(), query.value(1).toString(), query.value(2).toString()});

    if (!select("SELECT roomId, userId, online, lastDisconnected, joinOrder, data FROM presence"))
        return Error(Error::Internal, m_lastError);
    while (query.next()) {
        // Data that is not an object (a hand-edited row) is dropped, never an error.
        const QJsonObject data = QJsonDocument::fromJson(query.value(5).toByteArray()).object();
        snapshot.presence.append({query.value(0).toString(), query.value(1).toString(), query.value(2).toBool(),
            query.value(3).toLongLong(), query.value(4).toLongLong(), data});
    }

    if (!select("SELECT s.sessionId, s.roomId, s.userId, t.token, o.deadline FROM presence_sessions s"
                " LEFT JOIN presence_sessionTokens t ON t.sessionId = s.sessionId"
                " LEFT JOIN presence_sessionTimeouts o ON o.sessionId = s.sessionId")) {
        return Error(Error::Internal, m_lastError);
    }
    while (query.next()) {
        snapshot.sessions.append({query.value(0).toString(), query.value(1).toString(), query.value(2).toString(),
            query.value(3).toString(), query.value(4).toLongLong()});
    }

    if (const Result<bool> ok = selectUsers(&snapshot.users); !ok)
        return ok.error();

    if (!select("SELECT id, type, organization, roomId, userId, at FROM webhook_events ORDER BY id"))
        return Error(Error::Internal, m_lastError);
    while (query.next()) {
        const int type = query.value(1).toInt();
        if (type < MemberEvent::Joined || type > MemberEvent::Updated)
            continue; // a row of a newer build: not ours to tell
        snapshot.events.append({MemberEvent::Type(type), query.value(2).toString(), query.value(3).toString(),
            query.value(4).toString(), query.value(5).toLongLong(), query.value(0).toLongLong()});
    }
    return snapshot;
}

Result<bool> SqliteStore::selectUsers(QList<User> *users)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT workosId, email, name, image, organization, imported FROM users"))) {
        fail(QStringLiteral("cannot read users"), query);
        return Error(Error::Internal, m_lastError);
    }
    while (query.next()) {
        users->append({query.value(0).toString(), query.value(1).toString(), query.value(2).toString(),
            query.value(3).toString(), query.value(4).toString(), query.value(5).toBool()});
    }
    return true;
}

Result<QList<User>> SqliteStore::loadUsers()
{
    if (!isOpen())
        return Error(Error::Internal, QStringLiteral("the database is not open"));
    QList<User> users;
    if (const Result<bool> ok = selectUsers(&users); !ok)
        return ok.error();
    return users;
}

qint64 SqliteStore::dataVersion()
{
    QSqlQuery query(m_db);
    if (!isOpen() || !query.exec(QStringLiteral("PRAGMA data_version")) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

Result<bool> SqliteStore::lockExclusive()
{
    // A lock file beside the database: QLockFile holds it as long as this process lives and
    // takes over one left by a process that died (its PID no longer runs), so a crash never
    // locks the database for good. Held for the engine's life: never stale by age.
    auto lock = std::make_unique<QLockFile>(m_path + QStringLiteral(".lock"));
    lock->setStaleLockTime(0);
    if (!lock->tryLock(0)) {
        if (lock->error() == QLockFile::LockFailedError) {
            return Error(Error::Internal,
                QStringLiteral("the database %1 is in use by another presence process; stop it or choose another "
                               "database")
                    .arg(m_path));
        }
        return Error(Error::Internal, QStringLiteral("cannot lock %1: cannot write %2.lock").arg(m_path, m_path));
    }
    m_lock = std::move(lock);
    return true;
}

bool SqliteStore::writePresence(const StoreSnapshot::PresenceRow &row)
{
    const QString data
        = row.data.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(row.data).toJson(QJsonDocument::Compact));
    return run(m_upsertPresence,
        {row.roomId, row.userId, int(row.online), row.lastDisconnected, row.joinOrder,
            data.isNull() ? SqliteStatement::Value::null() : SqliteStatement::Value(data)});
}

bool SqliteStore::writeRoomToken(const QString &roomId, const QString &organization, const QString &token)
{
    return run(m_insertRoomToken, {roomId, organization, token});
}

bool SqliteStore::insertSession(const StoreSnapshot::SessionRow &session)
{
    return run(m_insertSession, {session.sessionId, session.roomId, session.userId})
        && run(m_insertSessionToken, {session.sessionId, session.token})
        && run(m_insertTimeout, {session.sessionId, session.deadline});
}

bool SqliteStore::writeDeadline(const QString &sessionId, qint64 deadline)
{
    // Held back and written by flush(), in a transaction of their own: a join's commit stays
    // the few rows of the join, however many heartbeats came since the last flush. (The join
    // is pushed only once committed; a commit carrying a second's worth of deadlines took
    // milliseconds.)
    if (!isOpen())
        return false;
    m_deadlines.insert(sessionId, deadline);
    ++m_stats.deadlines;
    if (m_deadlines.size() >= MaxBatch)
        return flush();
    if (!m_flushTimer.isActive())
        m_flushTimer.start(m_flushDelay);
    return true;
}

bool SqliteStore::removeSession(const QString &sessionId)
{
    m_deadlines.remove(sessionId);
    return run(m_deleteSession, {sessionId}) && run(m_deleteSessionToken, {sessionId})
        && run(m_deleteTimeout, {sessionId});
}

bool SqliteStore::writeUser(const User &user)
{
    if (!user.workosId.isEmpty()) {
        return run(m_upsertUserById,
            {user.organization, user.workosId, text(user.email), text(user.name), text(user.image),
                int(user.imported)});
    }
    if (!run(m_updateUserByEmail, {text(user.name), text(user.image), user.organization, user.email}))
        return false;
    if (m_updateUserByEmail.numRowsAffected() > 0)
        return true;
    return run(m_insertUserByEmail, {user.organization, user.email, text(user.name), text(user.image)});
}

bool SqliteStore::removePresence(const QString &roomId, const QString &userId)
{
    return run(m_deletePresence, {roomId, userId});
}

bool SqliteStore::removeRoom(const QString &roomId)
{
    return run(m_deleteRoom, {roomId});
}

bool SqliteStore::appendEvent(MemberEvent *event)
{
    if (!run(m_insertEvent, {int(event->type), event->organization, event->roomId, event->userId, event->at}))
        return false;
    event->id = m_insertEvent.lastInsertId();
    return true;
}

bool SqliteStore::removeEvents(qint64 upToId)
{
    return run(m_deleteEvents, {upToId});
}

bool SqliteStore::removeUser(const QString &organization, const QString &workosId)
{
    return run(m_deleteUser, {organization, workosId});
}

qint64 SqliteStore::checkpointedFrames() const
{
    return m_checkpointer ? m_checkpointer->checkpointedFrames() : 0;
}

} // namespace Presence
