#include "walcheckpointer.h"

#include <QLoggingCategory>

#include <sqlite3.h>

Q_DECLARE_LOGGING_CATEGORY(lcStore)

namespace Presence {

WalCheckpointer::WalCheckpointer(const QString &path, std::chrono::milliseconds period)
    : m_period(period)
    , m_thread(&WalCheckpointer::run, this, path.toUtf8())
{
}

WalCheckpointer::~WalCheckpointer()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void WalCheckpointer::run(const QByteArray &path)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(path.constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        qCWarning(lcStore) << "checkpointer: cannot open" << path << sqlite3_errmsg(db);
        sqlite3_close(db);
        return;
    }
    sqlite3_busy_timeout(db, 1000);
    // A connection only knows the file is in WAL mode once it has read it.
    sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, m_period, [this] { return m_stop; })) {
        lock.unlock();
        int logFrames = 0;
        int copied = 0;
        const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copied);
        if (rc == SQLITE_OK && copied > 0)
            m_frames += copied;
        else if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            qCWarning(lcStore) << "checkpoint failed:" << sqlite3_errmsg(db);
        lock.lock();
    }
    lock.unlock();
    sqlite3_close(db);
}

} // namespace Presence
