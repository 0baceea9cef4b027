#pragma once

#include "mirroredmember.h"
#include "redisreply.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace Presence {

/// What the functions of redis/presence.lua answer and publish, read back by a node: rooms,
/// members, events and kicks.
///
/// Redis holds what clients sent (userIds, names, images, data), and a node reads what any other
/// node wrote, so all of it is read as untrusted bytes: whatever is malformed or out of range is
/// left out whole, never half-applied, and never crashes a node.
class RedisWire
{
public:
    /// A member as a room's read or an event has it: {u, o, ld, j, a, d, n, i}.
    struct Member
    {
        MirroredMember member;
        QString name;
        QString image;
        bool forgotten = false; ///< an event: the member was forgotten after the offline retention
    };

    /// A room as the function `read` answers it.
    struct Room
    {
        QString token; ///< empty: nobody ever joined the room
        qint64 version = 0;
        QString organization;
        QString roomId;
        QList<Member> members;
    };

    /// What a room's events channel brings: {v, m, x} or {v, r}.
    struct Event
    {
        qint64 version = 0;
        bool roomRemoved = false; ///< an administrator removed the room
        std::optional<Member> member; ///< the member's new state (unless the room was removed)
    };

    /// An administrator ended a session: {t, r}.
    struct Kick
    {
        QString token;
        QString roomId;
    };

    static std::optional<Member> member(const QByteArray &json);
    static std::optional<Room> room(const RedisReply &reply);
    /// Nothing for a payload that is not an event, or of version 0 or less.
    static std::optional<Event> event(const QByteArray &payload);
    static std::optional<Kick> kick(const QByteArray &payload);

    /// What follows "p:{pX}:" in a channel's name ("kick", "users", "e:<room>"), or nothing.
    static QByteArrayView channelKind(const QByteArray &channel);
    /// The room of an events channel, or an empty string.
    static QString roomOfChannel(const QByteArray &channel);
};

} // namespace Presence
