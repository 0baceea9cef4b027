#pragma once

#include <QObject>
#include <QTimer>

namespace Presence {

class Engine;
class SqliteStore;

/// Picks up users another process wrote to the database (`presence-server users import`):
/// polls SQLite's data_version, which changes only when another connection commits, and
/// upserts the users into the engine, which pushes changed profiles.
class UsersPoller : public QObject
{
    Q_OBJECT
public:
    UsersPoller(SqliteStore *store, Engine *engine, QObject *parent = nullptr);

    /// Polls every `intervalMs` from now on for commits after `dataVersion` (the store's
    /// data_version when the engine read the users).
    void start(int intervalMs, qint64 dataVersion);
    void setInterval(int intervalMs) { m_timer.setInterval(intervalMs); }
    void stop() { m_timer.stop(); }
    /// Polls now.
    void poll();

private:
    SqliteStore *m_store;
    Engine *m_engine;
    QTimer m_timer;
    qint64 m_dataVersion = -1;
};

} // namespace Presence
