#include "userspoller.h"

#include "engine.h"
#include "sqlitestore.h"

#include <QLoggingCategory>

namespace Presence {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

UsersPoller::UsersPoller(SqliteStore *store, Engine *engine, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_engine(engine)
{
    connect(&m_timer, &QTimer::timeout, this, &UsersPoller::poll);
}

void UsersPoller::start(int intervalMs, qint64 dataVersion)
{
    m_dataVersion = dataVersion;
    m_timer.start(intervalMs);
}

void UsersPoller::poll()
{
    const qint64 version = m_store->dataVersion();
    if (version == m_dataVersion)
        return;
    const Result<QList<User>> users = m_store->loadUsers();
    if (!users) {
        qCWarning(lcServer) << "cannot reload users:" << users.error().message();
        return; // tried again next time
    }
    m_dataVersion = version;
    const Result<int> changed = m_engine->upsertUsers(users.value());
    if (changed && changed.value() > 0)
        qCInfo(lcServer) << "picked up" << changed.value() << "changed users from the database";
}

} // namespace Presence
