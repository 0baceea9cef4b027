#include "joinnotifier.h"

#include "membersmodel.h"
#include "room.h"

namespace Presence {

JoinNotifier::JoinNotifier(QObject *parent)
    : QObject(parent)
{
}

JoinNotifier::~JoinNotifier()
{
    qDeleteAll(m_watched);
}

void JoinNotifier::setEnabled(bool enabled)
{
    m_enabled = enabled;
}

void JoinNotifier::watch(Room *room)
{
    auto *watched = new Watched {room, {}};
    m_watched.append(watched);
    MembersModel *members = room->members();
    // A reset is a new snapshot (the join's answer, another room): who is there already is not news.
    connect(members, &QAbstractItemModel::modelReset, this, [this, watched] { look(*watched, false); });
    const auto changed = [this, watched] { look(*watched, true); };
    connect(members, &QAbstractItemModel::rowsInserted, this, changed);
    connect(members, &QAbstractItemModel::rowsRemoved, this, changed);
    connect(members, &QAbstractItemModel::rowsMoved, this, changed);
    connect(members, &QAbstractItemModel::dataChanged, this, changed);
    connect(room, &QObject::destroyed, this, [this, watched] {
        m_watched.removeOne(watched);
        delete watched;
    });
    look(*watched, false);
}

void JoinNotifier::look(Watched &watched, bool tell)
{
    if (!watched.room)
        return;
    const MembersModel *members = watched.room->members();
    // One pass: who is online now, telling those who were not at the last look.
    QSet<QString> online;
    for (int row = 0; row < members->rowCount(); ++row) {
        const QModelIndex index = members->index(row);
        if (!index.data(MembersModel::OnlineRole).toBool() || index.data(MembersModel::IsSelfRole).toBool())
            continue;
        const QString userId = index.data(MembersModel::UserIdRole).toString();
        online.insert(userId);
        if (!tell || !m_enabled || watched.online.contains(userId))
            continue;
        QDeadlineTimer &again = m_told[watched.room->roomId() + QLatin1Char('\n') + userId];
        if (!again.hasExpired())
            continue; // another window on this document told it already, or they flapped
        again.setRemainingTime(RepeatAfterMs);
        Q_EMIT joined(watched.room->roomId(), userId, index.data(Qt::DisplayRole).toString(),
            index.data(MembersModel::StatusRole).toString());
    }
    watched.online = online;
    // Who was told long ago need not be remembered: the app may run for weeks.
    if (m_told.size() > 256)
        m_told.removeIf([](const auto &entry) { return entry.value().hasExpired(); });
}

} // namespace Presence
