// presence-load: a simple load client for presence-server.
//
//   steady: N connections, one session each in R rooms, heartbeating every interval; reports
//           how many the server holds and its RSS per session.
//   blast:  C connections keeping K heartbeats in flight; reports heartbeats per second and
//           the server's CPU per heartbeat.
// With --server-pid it reads the server's RSS and CPU time from /proc around the measurement.

#include "epolleventdispatcher.h"
#include "jwtverifier.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QTimer>
#include <QWebSocket>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

struct ProcessSample
{
    qint64 rssKiB = 0;
    double cpuSeconds = 0;
};

ProcessSample sample(qint64 pid)
{
    ProcessSample s;
    if (pid <= 0)
        return s;
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                s.rssKiB = line.mid(6).trimmed().split(' ').value(0).toLongLong();
        }
    }
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray text = stat.readAll();
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name.
        s.cpuSeconds
            = double(fields.value(11).toLongLong() + fields.value(12).toLongLong()) / double(sysconf(_SC_CLK_TCK));
    }
    return s;
}

struct Client
{
    QWebSocket *socket = nullptr;
    QString roomId;
    QString sessionId;
    qint64 sentAt = 0;
    qint64 nextId = 1;
    int inFlight = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariable("PRESENCE_EVENT_DISPATCHER") != QLatin1String("qt"))
        QCoreApplication::setEventDispatcher(new Presence::EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Load client for presence-server."));
    parser.addHelpOption();
    const QCommandLineOption url({QStringLiteral("url")}, QStringLiteral("ws:// URL of /ws."), QStringLiteral("url"));
    const QCommandLineOption secret(
        {QStringLiteral("secret-file")}, QStringLiteral("HS256 secret."), QStringLiteral("file"));
    const QCommandLineOption mode(
        {QStringLiteral("mode")}, QStringLiteral("steady or blast."), QStringLiteral("mode"), QStringLiteral("steady"));
    const QCommandLineOption sessions({QStringLiteral("sessions")}, QStringLiteral("Connections (one session each)."),
        QStringLiteral("n"), QStringLiteral("1000"));
    const QCommandLineOption rooms(
        {QStringLiteral("rooms")}, QStringLiteral("Rooms."), QStringLiteral("n"), QStringLiteral("100"));
    const QCommandLineOption interval({QStringLiteral("interval")}, QStringLiteral("Heartbeat interval (ms)."),
        QStringLiteral("ms"), QStringLiteral("10000"));
    const QCommandLineOption inflight({QStringLiteral("inflight")},
        QStringLiteral("Blast: heartbeats in flight per connection."), QStringLiteral("k"), QStringLiteral("32"));
    const QCommandLineOption duration(
        {QStringLiteral("duration")}, QStringLiteral("Seconds to measure."), QStringLiteral("s"), QStringLiteral("10"));
    const QCommandLineOption pid(
        {QStringLiteral("server-pid")}, QStringLiteral("Server process to sample."), QStringLiteral("pid"));
    const QCommandLineOption prefix({QStringLiteral("prefix")},
        QStringLiteral("User id prefix (for several load processes)."), QStringLiteral("text"), QStringLiteral("load"));
    parser.addOptions({url, secret, mode, sessions, rooms, interval, inflight, duration, pid, prefix});
    parser.process(app);

    QFile secretFile(parser.value(secret));
    if (!secretFile.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "presence-load: --secret-file is required\n");
        return 1;
    }
    const QByteArray key = secretFile.readAll().trimmed();
    const bool blast = parser.value(mode) == QLatin1String("blast");
    const int count = parser.value(sessions).toInt();
    const int roomCount = std::max(1, parser.value(rooms).toInt());
    const int period = parser.value(interval).toInt();
    const int depth = parser.value(inflight).toInt();
    const qint64 serverPid = parser.value(pid).toLongLong();
    const QString userPrefix = parser.value(prefix);

    std::vector<Client> clients(static_cast<size_t>(count));
    QElapsedTimer clock;
    clock.start();
    int connected = 0;
    int failed = 0;
    quint64 replies = 0;
    quint64 errors = 0;
    quint64 bytesReceived = 0; // payload + the 2-byte header of a small server frame
    std::vector<qint64> latencies;
    latencies.reserve(1 << 20);
    bool measuring = false;

    auto send = [&](Client &c) {
        const QJsonObject request {{QStringLiteral("id"), c.nextId++},
            {QStringLiteral("type"), QStringLiteral("heartbeat")}, {QStringLiteral("roomId"), c.roomId},
            {QStringLiteral("sessionId"), c.sessionId}, {QStringLiteral("interval"), period},
            {QStringLiteral("compact"), true}};
        c.sentAt = clock.nsecsElapsed();
        ++c.inFlight;
        c.socket->sendTextMessage(QString::fromUtf8(QJsonDocument(request).toJson(QJsonDocument::Compact)));
    };

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    int next = 0;
    // Connect in waves so the accept queue is not the thing being measured.
    QTimer opener;
    opener.setInterval(1);
    QObject::connect(&opener, &QTimer::timeout, [&] {
        for (int wave = 0; wave < 100 && next < count; ++wave, ++next) {
            Client &c = clients[size_t(next)];
            const QString user = QStringLiteral("%1-%2").arg(userPrefix).arg(next);
            c.roomId = QStringLiteral("room-%1").arg(next % roomCount);
            c.sessionId = QStringLiteral("%1-s").arg(user);
            c.socket = new QWebSocket;
            c.socket->setParent(&app);
            QNetworkRequest request {QUrl(parser.value(url))};
            request.setRawHeader("Authorization",
                "Bearer "
                    + Presence::JwtVerifier::signHs256(
                        {{QStringLiteral("sub"), user}, {QStringLiteral("org_id"), QStringLiteral("load")},
                            {QStringLiteral("exp"), now + 86400}},
                        key));
            Client *self = &c;
            QObject::connect(c.socket, &QWebSocket::connected, [&, self] {
                ++connected;
                send(*self);
            });
            QObject::connect(c.socket, &QWebSocket::disconnected, [&] { ++failed; });
            QObject::connect(c.socket, &QWebSocket::textMessageReceived, [&, self](const QString &text) {
                --self->inFlight;
                if (text.contains(QLatin1String("\"error\"")))
                    ++errors;
                if (measuring) {
                    ++replies;
                    bytesReceived += quint64(text.toUtf8().size()) + 2;
                    if (!blast)
                        latencies.push_back((clock.nsecsElapsed() - self->sentAt) / 1000);
                }
                if (blast) {
                    while (self->inFlight < depth)
                        send(*self);
                }
            });
            c.socket->open(request);
        }
        if (next >= count)
            opener.stop();
    });
    opener.start();

    // Steady mode: each connection heartbeats every interval, spread evenly.
    QTimer ticker;
    int cursor = 0;
    if (!blast) {
        ticker.setInterval(10);
        QObject::connect(&ticker, &QTimer::timeout, [&] {
            const int perTick = std::max(1, count * 10 / period);
            for (int i = 0; i < perTick; ++i, cursor = (cursor + 1) % count) {
                Client &c = clients[size_t(cursor)];
                if (c.socket && c.socket->state() == QAbstractSocket::ConnectedState && c.inFlight == 0)
                    send(c);
            }
        });
    }

    // Wait until everyone is connected (or 60 s), settle, then measure.
    QElapsedTimer setup;
    setup.start();
    while ((connected + failed < count) && setup.elapsed() < 60'000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    const double connectSeconds = setup.elapsed() / 1000.0;
    if (!blast)
        ticker.start();
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 2000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);

    const ProcessSample before = sample(serverPid);
    measuring = true;
    QElapsedTimer window;
    window.start();
    const qint64 length = parser.value(duration).toLongLong() * 1000;
    while (window.elapsed() < length)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    measuring = false;
    const double seconds = window.elapsed() / 1000.0;
    const ProcessSample after = sample(serverPid);

    std::sort(latencies.begin(), latencies.end());
    auto percentile = [&](double p) {
        return latencies.empty() ? 0 : latencies[std::min(latencies.size() - 1, size_t(p * double(latencies.size())))];
    };
    std::printf("mode %s: %d of %d connected in %.1f s (%d closed), %d rooms\n", blast ? "blast" : "steady", connected,
        count, connectSeconds, failed, roomCount);
    std::printf("replies: %llu in %.1f s = %.0f/s, %llu errors\n", static_cast<unsigned long long>(replies), seconds,
        double(replies) / seconds, static_cast<unsigned long long>(errors));
    if (!blast && connected > 0) {
        std::printf("received per client-minute: %.0f bytes\n", double(bytesReceived) / connected / (seconds / 60.0));
    }
    if (!blast)
        std::printf("heartbeat round trip: p50 %lld us, p99 %lld us, max %lld us\n",
            static_cast<long long>(percentile(0.5)), static_cast<long long>(percentile(0.99)),
            static_cast<long long>(latencies.empty() ? 0 : latencies.back()));
    if (serverPid > 0) {
        const double cpu = after.cpuSeconds - before.cpuSeconds;
        std::printf("server: RSS %lld KiB; CPU %.2f s over %.1f s = %.0f%% of a core; %.1f us CPU per reply\n",
            static_cast<long long>(after.rssKiB), cpu, seconds, 100 * cpu / seconds,
            replies ? 1e6 * cpu / double(replies) : 0.0);
    }
    std::fflush(stdout);
    return 0;
}
