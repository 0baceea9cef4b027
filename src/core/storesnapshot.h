#pragma once

#include "memberevent.h"
#include "user.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace Presence {

/// Everything a Store holds, as read back when the engine opens it.
struct StoreSnapshot
{
    /// A row of `presence`: one user in one room.
    struct PresenceRow
    {
        QString roomId; ///< the room's key: organization and roomId, as the engine makes it
        QString userId;
        bool online = false;
        qint64 lastDisconnected = 0;
        qint64 joinOrder = 0; ///< increases each time a user comes online; orders online members
        QJsonObject data = QJsonObject(); ///< the member's data (Engine::update()); empty while offline
    };

    /// A live session: `presence_sessions` with its token and its timeout.
    struct SessionRow
    {
        QString sessionId; ///< the session's key: organization, userId and the client's sessionId
        QString roomId;
        QString userId;
        QString token;
        qint64 deadline = 0;
    };

    /// A row of `presence_roomTokens`.
    struct RoomTokenRow
    {
        QString roomId; ///< the room's key
        QString token;
        QString organization; ///< stored apart: never parsed back out of the key
    };

    QList<PresenceRow> presence;
    QList<SessionRow> sessions;
    QList<RoomTokenRow> roomTokens;
    QList<User> users;
    /// Member events recorded (Engine::setRecordingEvents()) and not yet handled, oldest first.
    QList<MemberEvent> events;
};

} // namespace Presence
