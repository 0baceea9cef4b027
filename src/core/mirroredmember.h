#pragma once

#include <QJsonObject>
#include <QString>

namespace Presence {

/// One member of a room as the engine that holds the room's truth has it, for an engine that
/// mirrors the room (Engine::mirrorRoom()): a node of a cluster showing what the shared state
/// says.
struct MirroredMember
{
    QString userId;
    bool online = false;
    qint64 lastDisconnected = 0;
    qint64 joinOrder = 0; ///< orders the online members, oldest join first
    bool away = false;
    QJsonObject data = QJsonObject();

    friend bool operator==(const MirroredMember &a, const MirroredMember &b)
    {
        return a.userId == b.userId && a.online == b.online && a.lastDisconnected == b.lastDisconnected
            && a.joinOrder == b.joinOrder && a.away == b.away && a.data == b.data;
    }
};

} // namespace Presence
