#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace Presence {

/// A user of an organization who is online in at least one of its rooms (Engine::online()).
struct OnlineUser
{
    QString userId;
    QString name; ///< from the users table; empty when unknown
    QString image; ///< from the users table; empty when unknown
    /// Away in every room they are online in: idle everywhere.
    bool away = false;
    QStringList rooms; ///< the roomIds they are online in, sorted

    friend bool operator==(const OnlineUser &a, const OnlineUser &b)
    {
        return a.userId == b.userId && a.name == b.name && a.image == b.image && a.away == b.away && a.rooms == b.rooms;
    }
    friend bool operator!=(const OnlineUser &a, const OnlineUser &b) { return !(a == b); }
};

/// One page of Engine::online(): the users, and where the next page starts (empty on the last).
struct OnlinePage
{
    QList<OnlineUser> users;
    QString cursor;
};

} // namespace Presence
