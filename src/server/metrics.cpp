#include "metrics.h"

#include "engine.h"

namespace Presence {

namespace {

void family(QByteArray &out, const char *name, const char *type, const char *help)
{
    out += "# HELP presence_";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE presence_";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void sample(QByteArray &out, const char *name, quint64 value, const QByteArray &labels = {})
{
    out += "presence_";
    out += name;
    if (!labels.isEmpty())
        out += '{' + labels + '}';
    out += ' ';
    out += QByteArray::number(value);
    out += '\n';
}

void single(QByteArray &out, const char *name, const char *type, const char *help, quint64 value)
{
    family(out, name, type, help);
    sample(out, name, value);
}

} // namespace

QByteArray Metrics::render(const Engine &engine, int connections, int subscriptions, const Node *node) const
{
    const Engine::Stats stats = engine.stats();
    QByteArray out;
    out.reserve(4096);
    single(out, "connections", "gauge", "Open WebSocket connections.", quint64(connections));
    single(out, "connections_accepted_total", "counter", "TCP connections accepted.", connectionsAccepted);
    single(out, "connections_refused_total", "counter", "Connections refused over the connection limit.",
        connectionsRefused);
    if (node) {
        // A node of a cluster: the sessions its connections look after, the rooms it mirrors.
        single(out, "sessions", "gauge", "Live sessions this node looks after.", quint64(node->sessions));
        single(out, "rooms", "gauge", "Rooms this node mirrors (listed or watched here).",
            quint64(node->redis.mirroredRooms));
    } else {
        single(out, "sessions", "gauge", "Live sessions.", quint64(engine.sessionCount()));
        single(out, "rooms", "gauge", "Rooms known.", quint64(engine.roomCount()));
    }
    single(out, "users", "gauge", "Rows of the users table.", quint64(engine.userCount()));
    single(out, "subscriptions", "gauge", "Live subscriptions.", quint64(subscriptions));
    single(out, "requests_total", "counter", "WebSocket requests received.", requests);
    single(out, "heartbeats_total", "counter", "Heartbeats accepted.", heartbeats);
    single(out, "steady_heartbeats_total", "counter", "Heartbeats that changed nothing anyone sees.",
        stats.steadyHeartbeats);
    single(
        out, "kicked_sessions_total", "counter", "Sessions an administrator ended, told to their connection.", kicks);
    single(out, "updates_total", "counter", "Data updates accepted.", updates);
    single(out, "data_changes_total", "counter", "Data updates that changed a member's data.", stats.dataUpdates);
    single(out, "data_coalesced_total", "counter", "Data changes overtaken by a later one before being pushed.",
        stats.dataCoalesced);
    single(out, "expired_sessions_total", "counter", "Sessions ended by their timeout.", stats.expiredSessions);
    single(out, "pushes_total", "counter", "Diff frames pushed to subscribers.", pushes);
    single(out, "received_bytes_total", "counter", "WebSocket message bytes received.", bytesIn);
    single(out, "sent_bytes_total", "counter", "WebSocket message bytes sent.", bytesOut);
    single(out, "auth_failures_total", "counter", "Tokens refused.", authFailures);
    single(out, "http_requests_total", "counter", "Plain HTTP requests.", httpRequests);
    single(out, "beacons_total", "counter", "POST /disconnect beacons.", beacons);
    single(out, "store_errors_total", "counter", "Failed database writes.", stats.storeErrors);

    family(out, "errors_total", "counter", "Error replies, by code.");
    for (int code = Error::InvalidArgument; code <= Error::Internal; ++code)
        sample(
            out, "errors_total", errors[size_t(code)], "code=\"" + Error::codeName(Error::Code(code)).toLatin1() + '"');
    family(out, "closes_total", "counter", "Connections closed by the server, by reason.");
    for (auto it = closes.cbegin(); it != closes.cend(); ++it)
        sample(out, "closes_total", it.value(), "reason=\"" + it.key() + '"');
    single(out, "webhook_events_total", "counter", "Member events queued for the webhook.", webhookEvents);
    single(out, "webhook_events_delivered_total", "counter", "Member events the webhook receiver accepted.",
        webhookDelivered);
    single(out, "webhook_requests_total", "counter", "Webhook POSTs, retries included.", webhookRequests);
    single(
        out, "webhook_failures_total", "counter", "Webhook POSTs that failed (no answer or not 2xx).", webhookFailures);
    single(out, "webhook_queue", "gauge", "Member events waiting for the webhook.", webhookQueue);
    // Both reasons always, so an alert on either has a series from the start.
    family(out, "webhook_events_dropped_total", "counter", "Member events given up on, by reason.");
    for (const char *reason : {"expired", "queue_full"})
        sample(
            out, "webhook_events_dropped_total", webhookDropped.value(reason), QByteArray("reason=\"") + reason + '"');
    if (node) {
        const RedisBackend::Stats &r = node->redis;
        single(out, "redis_up", "gauge", "Whether Redis answers.", node->redisUp ? 1 : 0);
        single(out, "redis_commands_total", "counter", "Commands sent to Redis.", r.commands);
        single(out, "redis_unavailable_total", "counter", "Requests failed as unavailable: Redis out of reach.",
            r.unavailable);
        single(out, "redis_reads_total", "counter", "Rooms read whole from Redis.", r.reads);
        single(out, "redis_gaps_total", "counter", "Reads for a missed version of a room.", r.gaps);
        single(out, "redis_events_total", "counter", "Changes of other nodes applied to mirrored rooms.", r.events);
        single(out, "redis_expired_sessions_total", "counter", "Sessions this node ended as due.", r.expired);
        single(out, "redis_orphaned_sessions_total", "counter", "Sessions of gone nodes given the close grace.",
            r.orphaned);
        single(out, "redis_forgotten_members_total", "counter",
            "Offline members this node forgot after the offline retention.", r.forgotten);
        single(out, "redis_dropped_rooms_total", "counter", "Rooms this node dropped once nobody was left in them.",
            r.droppedRooms);
        single(out, "redis_member_events_total", "counter", "Member events this node handed to the webhook sender.",
            r.memberEvents);
        single(out, "redis_shards", "gauge", "Redis primaries that own slots (1 for one Redis server).",
            quint64(r.shards));
        single(out, "redis_redirections_total", "counter",
            "MOVED and ASK redirections of a Redis Cluster followed (a failover or a resharding).", r.redirections);
        single(out, "redis_sweeping", "gauge", "Whether this node holds the lease that sweeps deadlines.",
            r.sweeping ? 1 : 0);
    }
    return out;
}

} // namespace Presence
