#pragma once

#include "identity.h"

#include <QByteArray>
#include <QString>

#include <functional>

class QObject;

namespace Presence {

class Backend;
class Connection;
class DiffEncoder;
class Engine;
class JwtVerifier;
class Metrics;
struct ServerConfig;

/// What a Connection needs from the server it belongs to, and no more: the engine and the
/// keys to serve requests with, the limits and counters, and the bookkeeping of the sessions
/// it looks after. Server implements it; a test or a fuzzer may too.
class ConnectionHost
{
public:
    virtual ~ConnectionHost() = default;

    virtual const ServerConfig &config() const = 0;
    /// Where requests are served: the server's engine, or a cluster's shared state.
    virtual Backend &backend() = 0;
    virtual const JwtVerifier &verifier() const = 0;
    virtual Metrics &metrics() = 0;
    /// Writes the diffs pushed to subscribers, each change's members once for all of them.
    virtual DiffEncoder &diffEncoder() = 0;
    /// Milliseconds on a monotonic clock, for rate limits.
    virtual qint64 monotonicTime() const = 0;

    /// `identity` as the server takes it (claims it refuses dropped).
    virtual Identity admitted(Identity identity) const = 0;
    /// A token whose key id is not loaded yet: false if there is nothing to wait for, else
    /// `retry` runs (while `context` lives) once the keys were fetched again.
    virtual bool whenKeysRefreshed(const QByteArray &token, QObject *context, std::function<void()> retry) = 0;

    /// `connection` now looks after the session (its close starts the close grace).
    virtual void claimSession(const QString &sessionToken, Connection *connection) = 0;
    /// The session ended: nobody looks after it.
    virtual void releaseSession(const QString &sessionToken) = 0;
    /// Drops the sessions `connection` holds that have ended; returns how many remain.
    virtual int pruneSessions(Connection *connection) = 0;
    /// `connection`'s socket is gone (called from the event loop).
    virtual void connectionClosed(Connection *connection) = 0;
};

} // namespace Presence
