#pragma once

#include "redisbackend.h"

#include "error.h"

#include <QByteArray>
#include <QMap>

#include <array>

namespace Presence {

class Engine;

/// The server's counters, rendered in the Prometheus text format for GET /metrics.
class Metrics
{
public:
    quint64 connectionsAccepted = 0;
    quint64 connectionsRefused = 0; ///< over --max-connections
    quint64 httpRequests = 0;
    quint64 requests = 0; ///< WebSocket frames received
    quint64 heartbeats = 0;
    quint64 updates = 0; ///< data updates accepted
    quint64 webhookEvents = 0; ///< member events queued for the webhook
    quint64 webhookDelivered = 0; ///< of those, accepted by the receiver
    quint64 webhookRequests = 0; ///< POSTs, retries included
    quint64 webhookFailures = 0; ///< POSTs that failed (no answer, or not 2xx)
    quint64 webhookQueue = 0; ///< events waiting now (a gauge)
    QMap<QByteArray, quint64> webhookDropped; ///< events given up on, by reason
    quint64 kicks = 0; ///< sessions an administrator ended (kick, removeRoom), told to their connection
    quint64 pushes = 0; ///< diff frames sent
    quint64 bytesIn = 0; ///< WebSocket message payload bytes
    quint64 bytesOut = 0;
    quint64 authFailures = 0;
    quint64 beacons = 0; ///< POST /disconnect
    std::array<quint64, Error::Internal + 1> errors {};
    QMap<QByteArray, quint64> closes; ///< connections the server closed, by reason

    void countError(Error::Code code) { ++errors[size_t(code)]; }

    /// The exposition text, with gauges read from the engine and the connection count.
    /// What a node of a cluster adds.
    struct Node
    {
        RedisBackend::Stats redis;
        bool redisUp = false;
        int sessions = 0; ///< sessions this node's connections look after
    };
    QByteArray render(const Engine &engine, int connections, int subscriptions, const Node *node = nullptr) const;
};

} // namespace Presence
