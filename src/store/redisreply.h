#pragma once

#include <QByteArray>
#include <QList>

namespace Presence {

/// One reply from Redis, copied out of hiredis's reader: a value type that outlives it.
struct RedisReply
{
    enum Type {
        Nil,
        String,
        Status,
        Integer,
        Array,
        Error, ///< Redis answered with an error (`string` says which)
        Unavailable, ///< Redis never answered: not connected, or the connection was lost or timed out
    };
    Type type = Nil;
    QByteArray string; ///< String, Status, Error and Unavailable
    qint64 integer = 0;
    QList<RedisReply> elements;

    bool isError() const { return type == Error || type == Unavailable; }
    bool isUnavailable() const { return type == Unavailable; }
    /// The integer of an Integer, or a String that holds one; `fallback` otherwise.
    qint64 toInteger(qint64 fallback = 0) const
    {
        if (type == Integer)
            return integer;
        bool ok = false;
        const qint64 value = type == String ? string.toLongLong(&ok) : 0;
        return ok ? value : fallback;
    }

    static RedisReply unavailable(const QByteArray &why) { return {Unavailable, why, 0, {}}; }
};

} // namespace Presence
