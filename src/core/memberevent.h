#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace Presence {

/// Something that happened to a member of a room, for those who follow every room of a server
/// (webhooks) rather than watch one: Engine::memberEvents().
struct MemberEvent
{
    enum Type {
        Joined, ///< came online: their first live session in the room
        Left, ///< went offline: their last session ended (disconnect, timeout, kick)
        Away, ///< online, and now idle in every window
        Active, ///< online, and back from away
        Updated, ///< their data changed (Engine::update()), as watchers were shown it
    };

    Type type = Joined;
    QString organization;
    QString roomId;
    QString userId;
    qint64 at = 0; ///< ms since the epoch
    /// Its place in the store's outbox (rising), for removing it once it was handled; 0 when
    /// the engine has no store.
    qint64 id = 0;

    /// "member.joined", "member.left", ...
    static QString typeName(Type type);
};

} // namespace Presence

Q_DECLARE_METATYPE(Presence::MemberEvent)
