#include "serverconfig.h"

#include "redisaddress.h"

#include <QCommandLineParser>
#include <QSettings>
#include <QStandardPaths>
#include <QUrl>

#include <QFileInfo>
#include <QSet>

namespace Presence {

namespace {

struct Option
{
    const char *name;
    const char *valueName;
    const char *description;
};

// One table for flags, environment variables and config keys, so they cannot drift apart.
const Option options[] = {
    {"listen", "address:port",
        "Where to listen for WebSocket (/ws) and HTTP. Port 0 picks a free port and prints it. "
        "Default: 127.0.0.1:7390."},
    {"database", "path",
        "The SQLite database. Default: $STATE_DIRECTORY/presence.db, else presence.db in the user's "
        "data directory."},
    {"tls-cert", "file", "PEM certificate (chain) for wss:// and https://. Needs --tls-key."},
    {"tls-key", "file", "PEM private key of --tls-cert."},
    {"jwks", "file", "JWKS file with the RSA keys that sign access tokens (RS256, chosen by kid), e.g. WorkOS's."},
    {"jwks-url", "url",
        "Your identity provider's JWKS URL (https:; http: only to loopback), e.g. WorkOS's "
        "https://api.workos.com/sso/jwks/CLIENT_ID. Fetched at start, again when its Cache-Control max-age "
        "runs out (default 10 minutes) and when a token names an unknown key; the last good keys are kept "
        "when a fetch fails."},
    {"jwks-refetch-interval", "ms",
        "The least time between two fetches of --jwks-url asked for by tokens with an unknown key id. Default: 3000."},
    {"metrics-listen", "address:port",
        "Serve /metrics on this address alone (plain HTTP), e.g. 127.0.0.1:9390. Without it /metrics is on the "
        "main port for loopback clients only."},
    {"metrics-token-file", "file", "File holding a token that /metrics requires as \"Authorization: Bearer ...\"."},
    {"hs256-secret-file", "file", "File holding a shared secret (32 bytes or more) for HS256 tokens: for development."},
    {"issuer", "iss", "Require this issuer (iss claim) in tokens."},
    {"audience", "aud", "Require this audience (aud claim) in tokens."},
    {"user-claim", "claim", "The claim that holds the user id. Default: sub."},
    {"org-claim", "claim", "The claim that holds the organization id. Default: org_id."},
    {"admin-claim", "claim",
        "The claim that makes a caller an administrator of their organization (kick, removeRoom): \"name\" wants "
        "\"name\": true, \"name=value\" wants that string or an array holding it (e.g. role=admin). Default: "
        "presence_admin."},
    {"leeway", "seconds", "Clock skew allowed on exp and nbf. Default: 30."},
    {"close-grace", "ms",
        "How long the sessions of a socket that closed without disconnecting stay online, waiting for "
        "a reconnect. Default: 5000."},
    {"max-message-size", "bytes", "Largest request a client may send. Default: 16384."},
    {"max-connections", "count", "Connections held at once; more are refused with HTTP 503. Default: 16000."},
    {"max-subscriptions", "count", "Subscriptions per connection. Default: 64."},
    {"max-sessions", "count", "Sessions heartbeated per connection. Default: 256."},
    {"rate-limit", "per-second", "Requests per second per connection (bursts of twice as many). Default: 50."},
    {"max-send-buffer", "bytes", "Unsent bytes to a client before it is dropped as a slow reader. Default: 1048576."},
    {"max-input-rate", "bytes",
        "Bytes per second one connection may send, WebSocket pings and other control frames included (bursts of "
        "4 messages of the largest size); past it the socket is cut. Default: 262144."},
    {"max-connections-per-ip", "count",
        "Sockets held at once from one address; more are refused with HTTP 503. "
        "Default: 256."},
    {"max-unauthenticated", "count",
        "Sockets held at once that have not authenticated yet (reading their request, upgrading, or waiting for an "
        "auth frame), from everyone together; more are refused with HTTP 503. Default: 1024."},
    {"max-unauthenticated-per-ip", "count",
        "Of those, sockets from one address (an IPv6 /64 counts as one). Default: 64."},
    {"handshake-timeout", "ms",
        "Time from accepting a socket to a complete HTTP request or WebSocket upgrade; then it is cut. Default: 5000."},
    {"auth-timeout", "ms",
        "Time from the WebSocket upgrade to the first valid auth frame, when the upgrade carried no token. "
        "Default: 5000."},
    {"expiry-grace", "ms",
        "How long a connection whose token expired may go on without an auth frame with a new one; then it is "
        "closed with 4001. Default: 30000."},
    {"max-sessions-per-user", "count",
        "Live sessions of one user, over all their rooms and connections; more heartbeats are refused with "
        "resource_exhausted. Default: 100."},
    {"max-sessions-per-org", "count", "Live sessions of one organization. Default: 100000."},
    {"max-rooms-per-user", "count",
        "Rooms one user is a member of, online or offline (until the offline retention forgets them). Default: "
        "10000."},
    {"max-rooms-per-org", "count", "Rooms of one organization. Default: 100000."},
    {"max-subscriptions-per-user", "count", "Subscriptions of one user over all connections. Default: 1000."},
    {"offline-retention", "seconds",
        "How long an offline member stays in a room's list; then it is forgotten, and so is a room nobody is in or "
        "watches. Default: 2592000 (30 days)."},
    {"max-data-size", "bytes",
        "Largest data (a member's status and such, set with update) as compact JSON; larger is refused with "
        "invalid_argument. Default: 1024."},
    {"data-coalesce", "ms",
        "Watchers are told of one member's data at most once per this many ms; the last value wins. Default: 50."},
    {"redis", "url",
        "Serve from the shared state of a cluster in Redis 7 (redis://[:password@]host:port/db, rediss:// for TLS "
        "with ?ca=FILE, unix:///path?db=N) instead of --database: every node started with the same URL serves the "
        "same rooms (docs/operations.md). Keep the nodes' clocks synchronized."},
    {"redis-timeout", "ms",
        "How long Redis may take to answer before requests fail as unavailable (and the connection is made "
        "anew). Default: 2000."},
    {"webhook-url", "url",
        "POST member events (member.joined, member.left, member.away, member.active, member.updated) here in signed "
        "batches (docs/operations.md): https:, or http: to loopback only. Needs --webhook-secret-file."},
    {"webhook-secret-file", "file", "File holding the secret (16 bytes or more) that signs webhook batches."},
    {"webhook-retry", "seconds",
        "How long a failing batch is retried, with backoff, before it is dropped. Default: 600."},
    {"webhook-queue", "count",
        "Events that may wait while the receiver is away; beyond it the oldest are dropped (counted in /metrics). "
        "Default: 10000."},
    {"users-poll", "ms", "How often to pick up users imported by `users import` while running. Default: 2000."},
    {"deadline-write-factor", "factor",
        "Write a session's deadline when less than this many intervals of it remain (0 to 2.5). Lower writes less; "
        "after a crash sessions then end sooner. Default: 1.25."},
};

QString environmentName(const char *option)
{
    return QLatin1String("PRESENCE_")
        + QString::fromLatin1(option).toUpper().replace(QLatin1Char('-'), QLatin1Char('_'));
}

bool parseAddress(const QString &text, QHostAddress *address, quint16 *port)
{
    const int colon = text.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const int number = colon < 0 ? -1 : text.mid(colon + 1).toInt(&ok);
    QString host = colon < 0 ? QString() : text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    const QHostAddress parsed(host);
    if (!ok || number < 0 || number > 65535 || parsed.isNull())
        return false;
    *address = parsed;
    *port = quint16(number);
    return true;
}

Error invalid(const char *option, const QString &value, const QString &expected)
{
    return Error(
        Error::InvalidArgument, QStringLiteral("--%1: \"%2\" is not %3").arg(QLatin1String(option), value, expected));
}

} // namespace

Engine::Limits ServerConfig::engineLimits() const
{
    Engine::Limits limits;
    limits.sessionsPerUser = maxSessionsPerUser;
    limits.sessionsPerOrganization = maxSessionsPerOrganization;
    limits.roomsPerUser = maxRoomsPerUser;
    limits.roomsPerOrganization = maxRoomsPerOrganization;
    limits.subscriptionsPerUser = maxSubscriptionsPerUser;
    limits.offlineRetention = qint64(offlineRetention) * 1000;
    limits.maxDataSize = maxDataSize;
    limits.dataCoalesce = dataCoalesce;
    return limits;
}

void ServerConfig::addOptions(QCommandLineParser *parser)
{
    parser->addOption({QStringLiteral("config"),
        QStringLiteral("INI file with any of the options below as key = value (flags and PRESENCE_* environment "
                       "variables win over it)."),
        QStringLiteral("file")});
    for (const Option &o : options) {
        parser->addOption({QString::fromLatin1(o.name),
            QString::fromLatin1(o.description) + QStringLiteral(" [env: %1]").arg(environmentName(o.name)),
            QString::fromLatin1(o.valueName)});
    }
}

QString ServerConfig::defaultDatabase(const QProcessEnvironment &environment)
{
    // systemd's StateDirectory= may list several directories; the first is ours.
    const QString state = environment.value(QStringLiteral("STATE_DIRECTORY")).section(QLatin1Char(':'), 0, 0);
    if (!state.isEmpty())
        return state + QStringLiteral("/presence.db");
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/presence.db");
}

Result<ServerConfig> ServerConfig::fromParser(const QCommandLineParser &parser, const QProcessEnvironment &environment)
{
    ServerConfig config;
    config.configFile = parser.isSet(QStringLiteral("config")) ? parser.value(QStringLiteral("config"))
                                                               : environment.value(QStringLiteral("PRESENCE_CONFIG"));
    QHash<QString, QString> fromFile;
    if (!config.configFile.isEmpty()) {
        QSettings file(config.configFile, QSettings::IniFormat);
        if (!QFileInfo(config.configFile).isReadable() || file.status() != QSettings::NoError)
            return Error(
                Error::InvalidArgument, QStringLiteral("cannot read the config file %1").arg(config.configFile));
        QSet<QString> known;
        for (const Option &o : options)
            known.insert(QString::fromLatin1(o.name));
        for (const QString &key : file.allKeys()) {
            if (!known.contains(key)) {
                return Error(Error::InvalidArgument,
                    QStringLiteral("%1: unknown key \"%2\" (see --help for the options)").arg(config.configFile, key));
            }
            fromFile.insert(key, file.value(key).toString());
        }
    }

    auto value = [&](const char *name) -> std::optional<QString> {
        const QString key = QString::fromLatin1(name);
        if (parser.isSet(key))
            return parser.value(key);
        if (environment.contains(environmentName(name)))
            return environment.value(environmentName(name));
        if (fromFile.contains(key))
            return fromFile.value(key);
        return std::nullopt;
    };
    auto text = [&](const char *name, QString *out) {
        if (const auto v = value(name))
            *out = *v;
    };
    auto number = [&](const char *name, int *out, int min, int max) -> Error {
        if (const auto v = value(name)) {
            bool ok = false;
            const int n = v->toInt(&ok);
            if (!ok || n < min || n > max)
                return invalid(name, *v, QStringLiteral("an integer from %1 to %2").arg(min).arg(max));
            *out = n;
        }
        return {};
    };

    if (const auto listen = value("listen")) {
        if (!parseAddress(*listen, &config.address, &config.port))
            return invalid("listen", *listen, QStringLiteral("an address:port such as 127.0.0.1:7390 or [::]:7390"));
    }
    if (const auto metrics = value("metrics-listen")) {
        config.metricsListen = *metrics;
        if (!parseAddress(*metrics, &config.metricsAddress, &config.metricsPort))
            return invalid("metrics-listen", *metrics, QStringLiteral("an address:port such as 127.0.0.1:9390"));
    }
    config.database = defaultDatabase(environment);
    text("database", &config.database);
    text("tls-cert", &config.tlsCertificate);
    text("tls-key", &config.tlsKey);
    text("jwks", &config.jwksFile);
    text("jwks-url", &config.jwksUrl);
    text("metrics-token-file", &config.metricsTokenFile);
    text("hs256-secret-file", &config.hs256SecretFile);
    text("issuer", &config.issuer);
    text("audience", &config.audience);
    text("user-claim", &config.userClaim);
    text("org-claim", &config.organizationClaim);
    text("admin-claim", &config.adminClaim);
    text("webhook-url", &config.webhookUrl);
    text("redis", &config.redisUrl);
    text("webhook-secret-file", &config.webhookSecretFile);

    const Error errors[] = {
        number("leeway", &config.leewaySeconds, 0, 3600),
        number("close-grace", &config.closeGrace, 0, 600'000),
        number("max-message-size", &config.maxMessageSize, 1024, 1024 * 1024),
        number("max-connections", &config.maxConnections, 1, 1'000'000),
        number("max-subscriptions", &config.maxSubscriptions, 1, 100'000),
        number("max-sessions", &config.maxSessions, 1, 100'000),
        number("rate-limit", &config.requestsPerSecond, 1, 1'000'000),
        number("max-send-buffer", &config.maxSendBuffer, 64 * 1024, 1024 * 1024 * 1024),
        number("max-input-rate", &config.maxInputRate, 4 * 1024, 1024 * 1024 * 1024),
        number("max-connections-per-ip", &config.maxConnectionsPerIp, 1, 1'000'000),
        number("max-unauthenticated", &config.maxUnauthenticated, 1, 1'000'000),
        number("max-unauthenticated-per-ip", &config.maxUnauthenticatedPerIp, 1, 1'000'000),
        number("handshake-timeout", &config.handshakeTimeout, 100, 600'000),
        number("auth-timeout", &config.authTimeout, 100, 600'000),
        number("jwks-refetch-interval", &config.jwksRefetchInterval, 100, 3'600'000),
        number("expiry-grace", &config.expiryGrace, 0, 3'600'000),
        number("users-poll", &config.usersPollInterval, 100, 3'600'000),
        number("max-sessions-per-user", &config.maxSessionsPerUser, 1, 1'000'000),
        number("max-sessions-per-org", &config.maxSessionsPerOrganization, 1, 100'000'000),
        number("max-rooms-per-user", &config.maxRoomsPerUser, 1, 100'000'000),
        number("max-rooms-per-org", &config.maxRoomsPerOrganization, 1, 100'000'000),
        number("max-subscriptions-per-user", &config.maxSubscriptionsPerUser, 1, 1'000'000),
        number("offline-retention", &config.offlineRetention, 1, 3650 * 24 * 3600),
        number("max-data-size", &config.maxDataSize, 2, 64 * 1024),
        number("data-coalesce", &config.dataCoalesce, 0, 60'000),
        number("webhook-retry", &config.webhookRetry, 1, 7 * 24 * 3600),
        number("webhook-queue", &config.webhookQueue, 1, 10'000'000),
        number("redis-timeout", &config.redisTimeout, 10, 600'000),
    };
    for (const Error &e : errors) {
        if (e.isError())
            return e;
    }
    if (const auto v = value("deadline-write-factor")) {
        bool ok = false;
        const double factor = v->toDouble(&ok);
        if (!ok || factor < 0 || factor > 2.5)
            return invalid("deadline-write-factor", *v, QStringLiteral("a number from 0 to 2.5"));
        config.deadlineWriteFactor = factor;
    }
    if (config.tlsCertificate.isEmpty() != config.tlsKey.isEmpty())
        return Error(Error::InvalidArgument, QStringLiteral("--tls-cert and --tls-key go together"));
    if (config.jwksFile.isEmpty() && config.jwksUrl.isEmpty() && config.hs256SecretFile.isEmpty()) {
        return Error(Error::InvalidArgument,
            QStringLiteral("no way to verify tokens: give --jwks-url URL or --jwks FILE (your identity provider's "
                           "keys) or, for development, --hs256-secret-file FILE"));
    }
    if (!config.webhookUrl.isEmpty()) {
        const QUrl url(config.webhookUrl, QUrl::StrictMode);
        const bool loopback = QHostAddress(url.host()).isLoopback() || url.host() == QLatin1String("localhost");
        if (!url.isValid() || url.host().isEmpty()
            || !(url.scheme() == QLatin1String("https") || (url.scheme() == QLatin1String("http") && loopback))) {
            return invalid("webhook-url", config.webhookUrl,
                QStringLiteral("an https: URL (http: only to loopback): the events name people and rooms"));
        }
        if (config.webhookSecretFile.isEmpty())
            return Error(Error::InvalidArgument, QStringLiteral("--webhook-url needs --webhook-secret-file"));
    }
    if (!config.redisUrl.isEmpty()) {
        const Result<RedisAddress> redis = RedisAddress::parse(config.redisUrl);
        if (!redis)
            return Error(Error::InvalidArgument, QStringLiteral("--redis: %1").arg(redis.error().message()));
    }
    if (!config.jwksFile.isEmpty() && !config.jwksUrl.isEmpty())
        return Error(
            Error::InvalidArgument, QStringLiteral("--jwks and --jwks-url exclude each other: keys come from one"));
    return config;
}

} // namespace Presence
