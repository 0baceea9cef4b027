#pragma once

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace Presence {

/// One entry of a room's list, as the seed's list() returns it.
struct Member
{
    QString userId;
    bool online = false;
    qint64 lastDisconnected = 0; ///< ms since the epoch; 0 if never disconnected
    QString name; ///< from the users table; empty when unknown
    QString image; ///< from the users table; empty when unknown
    /// Online, and every one of their live sessions in the room says it is idle.
    bool away = false;
    /// What the user set for themselves in this room (Engine::update()): a status, a cursor
    /// colour... Empty when they set nothing; dropped when they go offline.
    QJsonObject data = QJsonObject(); // initialised so that aggregates may leave it out

    friend bool operator==(const Member &a, const Member &b)
    {
        return a.online == b.online && a.lastDisconnected == b.lastDisconnected && a.userId == b.userId
            && a.name == b.name && a.image == b.image && a.away == b.away && a.data == b.data;
    }
    friend bool operator!=(const Member &a, const Member &b) { return !(a == b); }
};

} // namespace Presence

Q_DECLARE_METATYPE(Presence::Member)
