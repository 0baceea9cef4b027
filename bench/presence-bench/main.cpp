// presence-bench: one load process of a side-by-side benchmark (scripts/bench coordinates
// several). It speaks presence-server's protocol, y-websocket's or Hocuspocus's awareness, or
// Engine.IO/Socket.IO, and reports JSON lines on stdout for each phase asked for on stdin.

#include "awarenessprotocol.h"
#include "epolleventdispatcher.h"
#include "loadworker.h"
#include "presenceprotocol.h"
#include "socketioprotocol.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QSocketNotifier>
#include <algorithm>

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>

using namespace Presence::Bench;

int main(int argc, char *argv[])
{
    QCoreApplication::setEventDispatcher(new Presence::EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "One load process of scripts/bench. Commands on stdin: connect | steady SECONDS | churn SECONDS RATE | "
        "storm TIMEOUT | quit. Results: JSON lines on stdout."));
    parser.addHelpOption();
    const QCommandLineOption protocol({QStringLiteral("protocol")},
        QStringLiteral("presence, y-websocket, hocuspocus or socketio."), QStringLiteral("name"));
    const QCommandLineOption url({QStringLiteral("url")},
        QStringLiteral("Server URL (ws://host:port[/ws]); the nodes of a cluster separated by commas."),
        QStringLiteral("url"));
    const QCommandLineOption secret({QStringLiteral("secret-file")},
        QStringLiteral("presence: HS256 secret to sign tokens with."), QStringLiteral("file"));
    const QCommandLineOption first({QStringLiteral("first")}, QStringLiteral("Global index of the first client."),
        QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption clients(
        {QStringLiteral("clients")}, QStringLiteral("Clients in this process."), QStringLiteral("n"));
    const QCommandLineOption roomSize(
        {QStringLiteral("room-size")}, QStringLiteral("Clients per room."), QStringLiteral("n"), QStringLiteral("10"));
    const QCommandLineOption interval({QStringLiteral("interval")}, QStringLiteral("Renewal interval (ms)."),
        QStringLiteral("ms"), QStringLiteral("10000"));
    parser.addOptions({protocol, url, secret, first, clients, roomSize, interval});
    parser.process(app);

    auto fail = [](const char *message) {
        std::fprintf(stderr, "presence-bench: %s\n", message);
        return 2;
    };
    WorkerOptions options;
    for (const QString &one : parser.value(url).split(QLatin1Char(','), Qt::SkipEmptyParts))
        options.urls.append(QUrl(one));
    options.first = parser.value(first).toInt();
    options.clients = parser.value(clients).toInt();
    options.roomSize = parser.value(roomSize).toInt();
    options.interval = parser.value(interval).toInt();
    if (options.urls.isEmpty()
        || std::any_of(options.urls.cbegin(), options.urls.cend(), [](const QUrl &u) { return !u.isValid(); }))
        return fail("--url is required");
    if (options.clients <= 0 || options.roomSize <= 0 || options.interval <= 0)
        return fail("--clients, --room-size and --interval must be positive");
    if (options.first % options.roomSize != 0 || options.clients % options.roomSize != 0)
        return fail("--first and --clients must be multiples of --room-size (rooms stay in one process)");

    // Each client is a socket; raise the soft limit to the hard one.
    rlimit files {};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }

    std::unique_ptr<BenchProtocol> speaker;
    LoadWorker *worker = nullptr;
    // The worker is the protocol's event sink, so the protocol is made with a forward pointer.
    struct Sink : BenchEvents
    {
        BenchEvents *to = nullptr;
        void send(BenchClient &c, const QByteArray &m, bool b) override { to->send(c, m, b); }
        void ready(BenchClient &c) override { to->ready(c); }
        void seen(BenchClient &w, const QString &u, bool o) override { to->seen(w, u, o); }
        void replaced(BenchClient &w, const QSet<QString> &o) override { to->replaced(w, o); }
        void renewed(BenchClient &c) override { to->renewed(c); }
        void failed(BenchClient &c, const QByteArray &m) override { to->failed(c, m); }
    } sink;
    const QString name = parser.value(protocol);
    if (name == QLatin1String("presence")) {
        QFile file(parser.value(secret));
        if (!file.open(QIODevice::ReadOnly))
            return fail("presence needs --secret-file");
        speaker = std::make_unique<PresenceProtocol>(&sink, file.readAll().trimmed(), options.interval);
    } else if (name == QLatin1String("y-websocket")) {
        speaker = std::make_unique<AwarenessProtocol>(&sink, AwarenessProtocol::Server::YWebsocket);
    } else if (name == QLatin1String("hocuspocus")) {
        speaker = std::make_unique<AwarenessProtocol>(&sink, AwarenessProtocol::Server::Hocuspocus);
    } else if (name == QLatin1String("socketio")) {
        speaker = std::make_unique<SocketIoProtocol>(&sink);
    } else {
        return fail("--protocol must be presence, y-websocket, hocuspocus or socketio");
    }
    worker = new LoadWorker(options, std::move(speaker), &app);
    sink.to = worker;
    QObject::connect(worker, &LoadWorker::finished, &app, &QCoreApplication::quit, Qt::QueuedConnection);

    // Commands arrive a line at a time; end of input means quit.
    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QByteArray pending;
    QObject::connect(&input, &QSocketNotifier::activated, [&] {
        char buffer[4096];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n <= 0) {
            input.setEnabled(false);
            worker->command("quit");
            return;
        }
        pending.append(buffer, n);
        for (qsizetype end; (end = pending.indexOf('\n')) >= 0;) {
            worker->command(pending.left(end));
            pending.remove(0, end + 1);
        }
    });
    return app.exec();
}
