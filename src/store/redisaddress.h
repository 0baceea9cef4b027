#pragma once

#include "result.h"

#include <QString>

namespace Presence {

/// Where a Redis server is, parsed from a URL:
/// - `redis://[[user]:password@]host[:port][/db]` (port 6379, database 0 by default);
/// - `rediss://…[?ca=/path/to/ca.pem]` the same over TLS, checked against the system's CAs or
///   those of `ca`;
/// - `unix:///path/to/redis.sock[?db=N]` a unix socket.
struct RedisAddress
{
    enum Kind {
        Tcp,
        Tls,
        Unix,
    };
    Kind kind = Tcp;
    QString host; ///< Tcp and Tls
    quint16 port = 6379; ///< Tcp and Tls
    QString path; ///< Unix
    int database = 0;
    QString user; ///< empty: the default user
    QString password; ///< empty: no AUTH
    QString caFile; ///< Tls: the CA certificates (PEM) to check the server with; empty: the system's

    static Result<RedisAddress> parse(const QString &url);
    /// The URL without its password, for logs.
    QString display() const;
};

} // namespace Presence
