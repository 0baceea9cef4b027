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

QByteArray Metrics::render(const Engine &engine, int connections, int subscriptions) const
{
    const Engine::Stats stats = engine.stats();
    QByteArray out;
    out.reserve(4096);
    single(out, "connections", "gauge", "Open WebSocket connections.", quint64(connections));
    single(out, "connections_accepted_total", "counter", "TCP connections accepted.", connectionsAccepted);
    single(out, "connections_refused_total", "counter", "Connections refused over the connection limit.",
        connectionsRefused);
    single(out, "sessions", "gauge", "Live sessions.", quint64(engine.sessionCount()));
    single(out, "rooms", "gauge", "Rooms known.", quint64(engine.roomCount()));
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
    return out;
}

} // namespace Presence
