#pragma once

#include <QString>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace Presence {

/// Copies a WAL database's log back into it from a thread of its own, on its own connection.
///
/// SQLite otherwise checkpoints inside whichever commit fills the log, and a checkpoint syncs
/// the file: a few milliseconds in which the event loop answers nobody. A passive checkpoint
/// here never blocks the writer; the writer's own automatic checkpoints are turned off.
class WalCheckpointer
{
public:
    explicit WalCheckpointer(const QString &path, std::chrono::milliseconds period = std::chrono::seconds(1));
    ~WalCheckpointer(); ///< stops the thread and closes its connection

    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    /// Log frames copied into the database so far.
    qint64 checkpointedFrames() const { return m_frames.load(); }

private:
    void run(const QByteArray &path);

    std::chrono::milliseconds m_period;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::atomic<qint64> m_frames {0};
    std::thread m_thread;
};

} // namespace Presence
