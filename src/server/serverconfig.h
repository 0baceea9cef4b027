#pragma once

#include "engine.h"
#include "result.h"

#include <QHostAddress>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

class QCommandLineParser;

namespace Presence {

/// Everything presence-server can be told, from flags, the environment (PRESENCE_<NAME>)
/// and an optional INI config file, in that order of precedence over the defaults.
struct ServerConfig
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 7390;
    QString database;
    QString configFile;

    QString tlsCertificate;
    QString tlsKey;

    QString jwksFile;
    QString jwksUrl;
    int jwksRefetchInterval = 3'000; ///< ms between refetches asked for by unknown key ids
    QString metricsListen; ///< address:port of a listener for /metrics alone, as given; empty: none
    QHostAddress metricsAddress;
    quint16 metricsPort = 0;
    QString metricsTokenFile; ///< a bearer token /metrics requires, wherever it is served
    QString hs256SecretFile;
    QString issuer;
    QString audience;
    QString userClaim = QStringLiteral("sub");
    QString organizationClaim = QStringLiteral("org_id");
    QString adminClaim = QStringLiteral("presence_admin"); ///< see JwtVerifier::Options::adminClaim
    int leewaySeconds = 30;

    int closeGrace = 5'000; ///< ms a dropped socket's sessions stay alive for a reconnect
    int maxMessageSize = 16 * 1024;
    int maxConnections = 16'000;
    int maxSubscriptions = 64; ///< per connection
    int maxSessions = 256; ///< per connection
    int requestsPerSecond = 50; ///< per connection, with bursts of twice as many
    int maxSendBuffer = 1024 * 1024; ///< unsent bytes before a slow reader is dropped
    int maxInputRate = 256 * 1024; ///< bytes per second a connection may send, control frames included
    int maxConnectionsPerIp = 256; ///< sockets from one address at once
    int maxUnauthenticated = 1024; ///< sockets not yet authenticated at once, from everyone
    int maxUnauthenticatedPerIp = 64; ///< of those, from one address (IPv6: one /64)
    int handshakeTimeout = 5'000; ///< ms from accepting a socket to its completed upgrade (or HTTP request)
    int authTimeout = 5'000; ///< ms from the upgrade to the first valid auth frame
    int expiryGrace = 30'000; ///< ms an expired identity may stay connected unrefreshed
    int usersPollInterval = 2'000; ///< ms between checks for users imported by another process
    double deadlineWriteFactor = 1.25;
    // Quotas (per user and per organization) and retention: see Engine::Limits.
    int maxSessionsPerUser = 100;
    int maxSessionsPerOrganization = 100'000;
    int maxRoomsPerUser = 10'000;
    int maxRoomsPerOrganization = 100'000;
    int maxSubscriptionsPerUser = 1'000;
    int offlineRetention = 30 * 24 * 3600; ///< seconds an offline member (and an unused room) is kept
    int maxDataSize = 1024; ///< bytes of one member's data as compact JSON
    QString webhookUrl; ///< where member events are POSTed; empty: nowhere
    QString webhookSecretFile; ///< the secret that signs them
    int webhookRetry = 600; ///< seconds a batch is retried before it is dropped
    int webhookQueue = 10'000; ///< events that may wait while the receiver is away
    int dataCoalesce = 50; ///< ms: at most one push per member's data per this
    QString redisUrl; ///< a cluster's shared state (RedisAddress); empty: the SQLite database
    int redisTimeout = 2'000; ///< ms Redis may take to answer
    /// Whether avatar URLs may name the app's own resources (qrc:): for an app's embedded
    /// server, whose people are drawn by the app. A server for a team takes https: only.
    bool allowResourceImages = false;

    /// The quotas and the retention, as the engine takes them.
    Engine::Limits engineLimits() const;

    /// Declares every option on `parser`, with help text.
    static void addOptions(QCommandLineParser *parser);
    /// Reads the options from a processed parser, the environment and the config file.
    static Result<ServerConfig> fromParser(const QCommandLineParser &parser,
        const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());
    /// Where the database goes by default: $STATE_DIRECTORY (systemd), else the user's data directory.
    static QString defaultDatabase(const QProcessEnvironment &environment);
};

} // namespace Presence
