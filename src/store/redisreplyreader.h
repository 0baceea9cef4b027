#pragma once

#include "redisreply.h"

#include <QString>

#include <memory>

namespace Presence {

class RedisReplyReaderPrivate;

/// Redis's replies (RESP2), read from the bytes of a connection with hiredis's protocol reader.
///
/// The replies are built as RedisReply values as they are read (hiredis's own objects are never
/// made), and only from bytes that arrived: an array's count makes no room before its elements
/// come, so a reply of 20 bytes cannot claim gigabytes. Counts and lengths beyond what Redis can
/// send are a protocol error.
class RedisReplyReader
{
public:
    /// More elements than Redis puts in one array (its own limit is 2^32 - 1, but our commands
    /// ask for pages and rooms, far below this).
    static constexpr qint64 MaxElements = qint64(1) << 24;
    /// Redis's own limit on a string (proto-max-bulk-len).
    static constexpr qint64 MaxStringLength = qint64(512) << 20;

    RedisReplyReader();
    ~RedisReplyReader();
    RedisReplyReader(const RedisReplyReader &) = delete;
    RedisReplyReader &operator=(const RedisReplyReader &) = delete;

    enum Status {
        Reply, ///< *reply holds the next reply
        NeedMore, ///< no whole reply yet: feed more bytes
        Failed, ///< the bytes are not Redis's protocol; error() says why, and the reader is done
    };

    void feed(const char *data, qsizetype size);
    Status next(RedisReply *reply);
    QString error() const;

private:
    std::unique_ptr<RedisReplyReaderPrivate> d;
};

} // namespace Presence
