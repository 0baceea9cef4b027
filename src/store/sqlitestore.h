#pragma once

#include "sqlitestatement.h"
#include "store.h"

#include <QHash>
#include <QLockFile>
#include <QObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTimer>

#include <memory>

struct sqlite3;

namespace Presence {

class WalCheckpointer;

/// The engine's Store on SQLite (WAL) through Qt SQL, with the seed's tables.
///
/// Writes go into one open transaction that commit() closes: the engine commits joins and
/// leaves at once. Deadline updates are held back and written by flush(), which the store runs
/// by itself within flushDelay() ms (or once MaxBatch are held): a join's commit is its own rows
/// only. WAL with synchronous=NORMAL keeps every committed transaction across a process crash.
class SqliteStore : public QObject, public Store
{
    Q_OBJECT
public:
    static constexpr int SchemaVersion = 5;
    static constexpr int DefaultFlushDelay = 1000;
    static constexpr int MaxBatch = 4096;
    static constexpr int BusyTimeoutMs = 5000;

    explicit SqliteStore(QObject *parent = nullptr);
    ~SqliteStore() override;

    enum OpenMode {
        Shared, ///< for tools that touch only the users table
        Exclusive, ///< for an engine: refused while another process holds the database
    };
    /// Opens or creates the database at `path` (":memory:" for none) and migrates it.
    /// Exclusive takes a lock file (`path.lock`) first, held until close() or exit.
    Result<bool> open(const QString &path, OpenMode mode = Shared);
    void close();
    bool isOpen() const;
    QString path() const { return m_path; }
    QString connectionName() const { return m_connection; } ///< its QSqlDatabase connection

    /// SQLite's data_version: changes when another connection commits to the database.
    qint64 dataVersion();
    /// The users table alone: for tools, and to pick up an import made by another process.
    Result<QList<User>> loadUsers();

    void setFlushDelay(int ms);
    /// Frames the WAL may hold before a commit starts it over (a truncating checkpoint).
    void setWalRestartAbove(int frames) { m_walRestartAbove = frames; }
    /// Times the WAL was started over because it had grown past that.
    qint64 walRestarts() const { return m_walRestarts; }
    int flushDelay() const { return m_flushDelay; }

    Result<StoreSnapshot> load() override;
    bool writePresence(const StoreSnapshot::PresenceRow &row) override;
    bool writeRoomToken(const QString &roomId, const QString &organization, const QString &token) override;
    bool removePresence(const QString &roomId, const QString &userId) override;
    bool removeRoom(const QString &roomId) override;
    bool removeUser(const QString &organization, const QString &workosId) override;
    bool appendEvent(MemberEvent *event) override;
    bool removeEvents(qint64 upToId) override;
    bool insertSession(const StoreSnapshot::SessionRow &session) override;
    bool writeDeadline(const QString &sessionId, qint64 deadline) override;
    bool removeSession(const QString &sessionId) override;
    bool writeUser(const User &user) override;
    bool commit() override;
    /// Writes the deadlines held back, and commits.
    bool flush() override;
    QString lastError() const override { return m_lastError; }

    struct Stats
    {
        quint64 statements = 0; ///< write statements executed
        quint64 commits = 0;
        quint64 deadlines = 0; ///< deadline writes asked for (held back; flush() writes each session's last)
    };
    Stats stats() const { return m_stats; }
    /// WAL frames copied into the database by the background checkpointer (file databases).
    qint64 checkpointedFrames() const;

private:
    Result<bool> migrate();
    bool fail(const QString &what, const QSqlQuery &query);
    bool ensureTransaction();
    bool run(QSqlQuery &query, const QVariantList &values);
    bool run(SqliteStatement &statement, std::initializer_list<SqliteStatement::Value> values);

    Result<bool> selectUsers(QList<User> *users);
    Result<bool> lockExclusive();

    QString m_connection;
    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<WalCheckpointer> m_checkpointer;
    QString m_path;
    QString m_lastError;
    QSqlDatabase m_db;
    bool m_inTransaction = false;
    int m_pending = 0;
    QHash<QString, qint64> m_deadlines; ///< held back for flush(): session id -> deadline
    int m_flushDelay = DefaultFlushDelay;
    // A passive checkpoint never starts the log over: SQLite does that when a writer begins
    // after a checkpoint copied everything, and a busy writer begins its next transaction
    // before the checkpointer has copied the last. Under steady load the WAL grew by 30 MB a
    // second for as long as the server ran (scripts/soak: 8 GB in 5 minutes). So past this many
    // frames (64 MiB at 4 KiB pages) a commit ends with a truncating checkpoint: the
    // checkpointer thread has copied nearly everything already.
    int m_walRestartAbove = 16384;
    int m_walFrames = 0; ///< frames in the WAL after the last commit (sqlite3_wal_hook)
    qint64 m_walRestarts = 0;
    int m_walBackoff = 0; ///< frames more to wait for after a restart that found a reader
    QTimer m_flushTimer;
    Stats m_stats;

    // The writes of heartbeats, joins and leaves, on SQLite's own API: Qt SQL's binding cost
    // more than SQLite's work for them, and it prepared BEGIN and COMMIT anew each time.
    sqlite3 *m_handle = nullptr;
    struct PreparedStatement
    {
        SqliteStatement SqliteStore::*member;
        const char *sql;
    };
    static const PreparedStatement PreparedStatements[]; // sized where it is defined
    SqliteStatement m_begin;
    SqliteStatement m_commit;
    SqliteStatement m_rollback;
    SqliteStatement m_updateTimeout;
    SqliteStatement m_upsertPresence;
    SqliteStatement m_insertRoomToken;
    SqliteStatement m_insertSession;
    SqliteStatement m_insertSessionToken;
    SqliteStatement m_insertTimeout;
    SqliteStatement m_deleteSession;
    SqliteStatement m_deleteSessionToken;
    SqliteStatement m_deleteTimeout;
    SqliteStatement m_deletePresence;
    SqliteStatement m_deleteRoom;
    SqliteStatement m_insertEvent;
    SqliteStatement m_deleteEvents;

    // Users change rarely (a token's claims, `users import`).
    QSqlQuery m_upsertUserById;
    QSqlQuery m_updateUserByEmail;
    QSqlQuery m_insertUserByEmail;
    QSqlQuery m_deleteUser;
};

} // namespace Presence
