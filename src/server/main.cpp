// presence-server: serve, mint-token, and the commands on a database (DatabaseCommands).

#include "databasecommands.h"
#include "server.h"
#include "serverconfig.h"
#include "tokensigner.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonObject>
#include <QTextStream>
#include <QTimer>

#include <csignal>
#include <cstdio>

#ifdef PRESENCE_SERVER_LINUX_RUNTIME
#include "epolleventdispatcher.h"
#include "signalwatcher.h"

#include <sys/resource.h>
#endif

using namespace Presence;

namespace {

#ifndef PRESENCE_SERVER_LINUX_RUNTIME
volatile std::sig_atomic_t s_stopRequested = 0;

void requestStop(int)
{
    s_stopRequested = 1;
}
#endif

int fail(const QString &message)
{
    QTextStream(stderr) << "presence-server: " << message << Qt::endl;
    return 1;
}

QStringList subcommandArguments(const QStringList &arguments, int words)
{
    // "presence-server users import FILE" parses as "presence-server users import" + FILE.
    QStringList rest = arguments.mid(words + 1);
    rest.prepend(arguments.mid(0, words + 1).join(QLatin1Char(' ')));
    return rest;
}

int mintToken(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Prints an HS256 access token for development and tests, signed with the server's "
                       "--hs256-secret-file.\n\nExample:\n  presence-server mint-token --secret-file dev.secret "
                       "--user alice --org acme --name \"Alice Liddell\""));
    parser.addHelpOption();
    const QCommandLineOption secret({QStringLiteral("secret-file")},
        QStringLiteral("The shared secret file (32 bytes or more). [env: PRESENCE_HS256_SECRET_FILE]"),
        QStringLiteral("file"));
    const QCommandLineOption user({QStringLiteral("user")}, QStringLiteral("The user id (sub)."), QStringLiteral("id"));
    const QCommandLineOption org(
        {QStringLiteral("org")}, QStringLiteral("The organization id (org_id)."), QStringLiteral("id"));
    const QCommandLineOption name({QStringLiteral("name")}, QStringLiteral("Display name."), QStringLiteral("name"));
    const QCommandLineOption email({QStringLiteral("email")}, QStringLiteral("Email."), QStringLiteral("email"));
    const QCommandLineOption picture(
        {QStringLiteral("picture")}, QStringLiteral("Avatar image URL."), QStringLiteral("url"));
    const QCommandLineOption ttl({QStringLiteral("ttl")}, QStringLiteral("Lifetime in seconds. Default: 3600."),
        QStringLiteral("seconds"), QStringLiteral("3600"));
    const QCommandLineOption issuer({QStringLiteral("issuer")}, QStringLiteral("iss claim."), QStringLiteral("iss"));
    const QCommandLineOption audience(
        {QStringLiteral("audience")}, QStringLiteral("aud claim."), QStringLiteral("aud"));
    parser.addOptions({secret, user, org, name, email, picture, ttl, issuer, audience});
    parser.process(arguments);

    QString secretFile = parser.value(secret);
    if (secretFile.isEmpty())
        secretFile = qEnvironmentVariable("PRESENCE_HS256_SECRET_FILE");
    if (secretFile.isEmpty() || !parser.isSet(user) || !parser.isSet(org))
        return fail(QStringLiteral("mint-token needs --secret-file, --user and --org (see --help)"));
    QFile file(secretFile);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1: %2").arg(secretFile, file.errorString()));
    const QByteArray key = file.readAll().trimmed();
    if (key.size() < 32)
        return fail(QStringLiteral("%1 holds %2 bytes; a secret needs 32 or more").arg(secretFile).arg(key.size()));
    bool ok = false;
    const qint64 lifetime = parser.value(ttl).toLongLong(&ok);
    if (!ok || lifetime <= 0)
        return fail(QStringLiteral("--ttl must be a positive number of seconds"));

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QJsonObject claims {{QStringLiteral("sub"), parser.value(user)}, {QStringLiteral("org_id"), parser.value(org)},
        {QStringLiteral("iat"), now}, {QStringLiteral("exp"), now + lifetime}};
    const std::pair<const QCommandLineOption *, const char *> optional[]
        = {{&name, "name"}, {&email, "email"}, {&picture, "picture"}, {&issuer, "iss"}, {&audience, "aud"}};
    for (const auto &[option, claim] : optional) {
        if (parser.isSet(*option))
            claims.insert(QLatin1String(claim), parser.value(*option));
    }
    QTextStream(stdout) << TokenSigner::signHs256(claims, key) << Qt::endl;
    return 0;
}

int serve(QCoreApplication &app, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Live presence for Qt apps: who is in which document, over WebSocket.\n\n"
        "Clients connect to ws://ADDRESS:PORT/ws with a JWT access token. HTTP on the same port:\n"
        "  POST /disconnect  end a session by its token (no auth; for apps that are quitting)\n"
        "  GET  /healthz     200 when serving\n"
        "  GET  /metrics     Prometheus metrics\n\n"
        "Quick start for development:\n"
        "  head -c 32 /dev/urandom | base64 > dev.secret\n"
        "  presence-server --hs256-secret-file dev.secret --database ./presence.db\n"
        "  presence-server mint-token --secret-file dev.secret --user alice --org acme\n\n"
        "Other commands:\n"
        "  presence-server mint-token --help   make a development token\n"
        "  presence-server users import FILE   load names and avatars\n"
        "  presence-server users remove --org ORG USERID   forget a user (server stopped)\n"
        "  presence-server rooms list --org ORG             an organization's rooms\n"
        "  presence-server rooms remove --org ORG ROOMID    forget a room (server stopped)\n\n"
        "Every option can also be set as a PRESENCE_<OPTION> environment variable or in the --config file."));
    parser.addHelpOption();
    parser.addVersionOption();
    ServerConfig::addOptions(&parser);
    parser.process(arguments);
    if (!parser.positionalArguments().isEmpty())
        return fail(
            QStringLiteral("unknown command \"%1\" (see --help)").arg(parser.positionalArguments().constFirst()));

    const Result<ServerConfig> config = ServerConfig::fromParser(parser);
    if (!config)
        return fail(config.error().message());

#ifdef PRESENCE_SERVER_LINUX_RUNTIME
    // Each connection is a descriptor: take what the hard limit allows, and say if it is short.
    rlimit files {};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < rlim_t(config.value().maxConnections) + 64) {
        QTextStream(stderr) << "presence-server: warning: the open-file limit (" << files.rlim_cur
                            << ") is below --max-connections (" << config.value().maxConnections
                            << ") + 64; raise LimitNOFILE / ulimit -n or lower --max-connections" << Qt::endl;
    }
#endif

    Server server(config.value());
    if (const Result<bool> started = server.start(); !started)
        return fail(started.error().message());

#ifdef PRESENCE_SERVER_LINUX_RUNTIME
    SignalWatcher watcher({SIGTERM, SIGINT, SIGHUP});
    QObject::connect(&watcher, &SignalWatcher::received, &server, [&server, &parser](int signal) {
        if (signal != SIGHUP)
            return server.stop();
        // The config file and the key files are read again; flags stay as given.
        const Result<ServerConfig> next = ServerConfig::fromParser(parser);
        const Result<bool> reloaded = next ? server.reload(next.value()) : Result<bool>(next.error());
        if (!reloaded) {
            QTextStream(stderr) << "presence-server: not reloaded, nothing changed: " << reloaded.error().message()
                                << Qt::endl;
        }
    });
    std::signal(SIGPIPE, SIG_IGN);
#else
    // Elsewhere: SIGINT and SIGTERM (what the C library offers everywhere) set a flag the event
    // loop looks at; reloading waits for a restart.
    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);
    QTimer stopCheck;
    QObject::connect(&stopCheck, &QTimer::timeout, &server, [&server] {
        if (s_stopRequested)
            server.stop();
    });
    stopCheck.start(200);
#endif
    QObject::connect(&server, &Server::stopped, &app, &QCoreApplication::quit);

    // The first line on stdout: scripts and tests read the bound port from it.
    const ServerConfig &c = config.value();
    const QString host = c.address.protocol() == QAbstractSocket::IPv6Protocol
        ? QLatin1Char('[') + c.address.toString() + QLatin1Char(']')
        : c.address.toString();
    QTextStream(stdout) << "presence-server listening on " << (server.isTls() ? "wss://" : "ws://") << host << ':'
                        << server.port() << "/ws (database " << c.database << ")" << Qt::endl;
    if (server.metricsPort() != 0) {
        const QString metricsHost = c.metricsListen.left(c.metricsListen.lastIndexOf(QLatin1Char(':')));
        QTextStream(stdout) << "presence-server metrics on http://" << metricsHost << ':' << server.metricsPort()
                            << "/metrics" << Qt::endl;
    }
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
#ifdef PRESENCE_SERVER_LINUX_RUNTIME
    // Qt's own dispatchers poll every socket on every event: O(connections) per request.
    if (qEnvironmentVariable("PRESENCE_EVENT_DISPATCHER") != QLatin1String("qt"))
        QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
#endif
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("presence-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PRESENCE_VERSION));
    const QStringList arguments = QCoreApplication::arguments();
    const QString command = arguments.value(1);
    if (command == QLatin1String("mint-token"))
        return mintToken(subcommandArguments(arguments, 1));
    const QString action = arguments.value(2);
    if (command == QLatin1String("users")) {
        if (action == QLatin1String("import"))
            return DatabaseCommands::importUsers(subcommandArguments(arguments, 2));
        if (action == QLatin1String("remove"))
            return DatabaseCommands::removeUser(subcommandArguments(arguments, 2));
        return fail(QStringLiteral("usage: presence-server users import FILE | users remove --org ORG USERID"));
    }
    if (command == QLatin1String("rooms")) {
        if (action == QLatin1String("list"))
            return DatabaseCommands::listRooms(subcommandArguments(arguments, 2));
        if (action == QLatin1String("remove"))
            return DatabaseCommands::removeRoom(subcommandArguments(arguments, 2));
        return fail(QStringLiteral("usage: presence-server rooms list --org ORG | rooms remove --org ORG ROOMID"));
    }
    return serve(app, arguments);
}
