// Micro-benchmark: CPU cost of a steady heartbeat with many live sessions on a file-backed
// database, persistence included; then of the calls that look across rooms (online, whereis)
// and of data updates. Prints a small markdown report.
//
//   bench_heartbeat [--sessions 10000] [--rooms 1000] [--rounds 20] [--factor 2.5] [--db PATH]
#include "engine.h"
#include "manualclock.h"
#include "sqlitestore.h"
#include "subscription.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QUuid>

#include <cstdio>
#include <ctime>

using namespace Presence;

namespace {

double cpuSeconds()
{
    timespec ts {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// An engine on a virtual clock, with a file database at `path` (none if empty), opened.
struct Setup
{
    ManualClock clock;
    SqliteStore store;
    std::unique_ptr<Engine> engine;

    explicit Setup(const QString &path)
    {
        if (!path.isEmpty()) {
            if (const auto opened = store.open(path); !opened)
                qFatal("%s", qPrintable(opened.error().message()));
            engine = std::make_unique<Engine>(&clock, &store);
        } else {
            engine = std::make_unique<Engine>(&clock);
        }
        engine->open();
    }
};

struct Run
{
    double cpuMicrosPerHeartbeat = 0;
    double statementsPerHeartbeat = 0;
    double commitsPerHeartbeat = 0;
    quint64 heartbeats = 0;
    quint64 notifications = 0;
};

// Every session heartbeats once per interval, spread evenly over it; the store commits
// its batch every flush delay of virtual time, as its timer would at this rate.
Run measure(int sessions, int rooms, int rounds, double factor, const QString &path)
{
    constexpr int Interval = 10'000;
    Setup setup(path);
    ManualClock &clock = setup.clock;
    SqliteStore &store = setup.store;
    Engine *engine = setup.engine.get();
    engine->setDeadlineWriteFactor(factor);

    QList<Identity> people;
    QList<QString> roomIds;
    QList<QString> sessionIds;
    for (int i = 0; i < sessions; ++i) {
        people.append({QStringLiteral("user_%1").arg(i / 2), QStringLiteral("org_bench"), {}, {}, {}});
        roomIds.append(QStringLiteral("doc-%1").arg(i % rooms));
        sessionIds.append(QUuid::createUuid().toString(QUuid::WithoutBraces));
    }
    for (int i = 0; i < sessions; ++i)
        engine->heartbeat(people[i], roomIds[i], sessionIds[i], Interval);
    store.commit();

    // Heartbeat k happens at k × interval / sessions: each session once per interval.
    const qint64 origin = clock.now();
    const qint64 commitEvery = std::max<qint64>(1, qint64(SqliteStore::DefaultFlushDelay) * sessions / Interval);
    const auto statementsBefore = store.stats().statements;
    const auto commitsBefore = store.stats().commits;
    const auto statsBefore = engine->stats();
    const double start = cpuSeconds();
    quint64 beats = 0;
    for (int round = 0; round < rounds; ++round) {
        for (int i = 0; i < sessions; ++i) {
            clock.setNow(origin + qint64(beats + 1) * Interval / sessions);
            const auto result = engine->heartbeat(people[i], roomIds[i], sessionIds[i], Interval);
            Q_ASSERT(result);
            Q_UNUSED(result)
            if (++beats % quint64(commitEvery) == 0 && !path.isEmpty())
                store.commit();
        }
    }
    store.commit();
    const double cpu = cpuSeconds() - start;

    Run run;
    run.heartbeats = beats;
    run.cpuMicrosPerHeartbeat = cpu * 1e6 / double(beats);
    run.statementsPerHeartbeat = double(store.stats().statements - statementsBefore) / double(beats);
    run.commitsPerHeartbeat = double(store.stats().commits - commitsBefore) / double(beats);
    run.notifications = engine->stats().notifications - statsBefore.notifications;
    if (engine->stats().steadyHeartbeats - statsBefore.steadyHeartbeats != beats)
        qFatal("a heartbeat that should have been steady changed something");
    if (engine->sessionCount() != sessions)
        qFatal("sessions were lost: %d of %d", engine->sessionCount(), sessions);
    return run;
}

// online() paging through everyone, whereis(), and update() with a watcher in every room,
// on the in-memory engine: what these cost beside a heartbeat.
void measureAcrossRooms(int sessions, int rooms)
{
    ManualClock clock;
    Engine engine(&clock);
    engine.open();
    QList<Identity> people;
    QList<HeartbeatResult> joined;
    for (int i = 0; i < sessions; ++i) {
        people.append({QStringLiteral("user_%1").arg(i / 2), QStringLiteral("org_bench"), {}, {}, {}});
        joined.append(engine
                          .heartbeat(people[i], QStringLiteral("doc-%1").arg(i % rooms),
                              QUuid::createUuid().toString(QUuid::WithoutBraces))
                          .value());
    }
    std::vector<std::unique_ptr<Subscription>> watchers;
    const Identity watcher {QStringLiteral("watcher"), QStringLiteral("org_bench"), {}, {}, {}};
    Engine::Limits limits;
    limits.subscriptionsPerUser = rooms;
    engine.setLimits(limits);
    for (int r = 0; r < rooms; ++r)
        watchers.emplace_back(engine.subscribeRoom(watcher, QStringLiteral("doc-%1").arg(r)).value());

    double start = cpuSeconds();
    int pages = 0;
    int users = 0;
    QString cursor;
    do {
        const OnlinePage page = engine.online(watcher, Engine::MaxOnlineLimit, cursor).value();
        users += int(page.users.size());
        cursor = page.cursor;
        ++pages;
    } while (!cursor.isEmpty());
    const double onlinePage = (cpuSeconds() - start) * 1e6 / pages;

    constexpr int Lookups = 10'000;
    start = cpuSeconds();
    for (int i = 0; i < Lookups; ++i)
        (void)engine.whereis(watcher, people[(i * 7) % sessions].userId);
    const double whereis = (cpuSeconds() - start) * 1e6 / Lookups;

    // Each member's first value: shown at once (nothing was shown in the coalescing window).
    const auto notificationsBefore = engine.stats().notifications;
    start = cpuSeconds();
    for (int i = 0; i < sessions; ++i) {
        (void)engine.update(
            people[i], joined[i].sessionToken, QJsonObject {{QStringLiteral("status"), QStringLiteral("s%1").arg(i)}});
    }
    const double update = (cpuSeconds() - start) * 1e6 / sessions;
    const quint64 pushes = engine.stats().notifications - notificationsBefore;

    std::printf("\n# Across rooms: %d users online in %d rooms, a watcher on every room\n\n", users, rooms);
    std::printf("| operation | CPU µs |\n|---|---|\n");
    std::printf("| online: one page of up to 1 000 users (%d pages) | %.1f |\n", pages, onlinePage);
    std::printf("| whereis | %.2f |\n", whereis);
    std::printf("| update (data): a new value, one push to the room's watcher (%llu pushes) | %.2f |\n",
        static_cast<unsigned long long>(pushes), update);
    std::fflush(stdout);
}

// A member leaves (disconnect) and joins again (a new window's first heartbeat), in rooms of
// ten with a watcher each: what a join and a leave cost, their commit and push included.
void measureJoinsAndLeaves(int sessions, int rooms, const QString &path)
{
    Setup setup(path);
    ManualClock &clock = setup.clock;
    SqliteStore &store = setup.store;
    Engine *engine = setup.engine.get();
    Engine::Limits limits;
    limits.subscriptionsPerUser = rooms;
    engine->setLimits(limits);
    QList<Identity> people;
    QList<QString> tokens;
    for (int i = 0; i < sessions; ++i) {
        people.append({QStringLiteral("user_%1").arg(i), QStringLiteral("org_bench"), {}, {}, {}});
        tokens.append(engine
                          ->heartbeat(people[i], QStringLiteral("doc-%1").arg(i % rooms),
                              QUuid::createUuid().toString(QUuid::WithoutBraces))
                          .value()
                          .sessionToken);
    }
    store.commit();
    std::vector<std::unique_ptr<Subscription>> watchers;
    const Identity watcher {QStringLiteral("watcher"), QStringLiteral("org_bench"), {}, {}, {}};
    for (int r = 0; r < rooms; ++r)
        watchers.emplace_back(engine->subscribeRoom(watcher, QStringLiteral("doc-%1").arg(r)).value());
    QList<QString> newSessions;
    for (int i = 0; i < sessions; ++i)
        newSessions.append(QUuid::createUuid().toString(QUuid::WithoutBraces));

    const auto notificationsBefore = engine->stats().notifications;
    double start = cpuSeconds();
    for (int i = 0; i < sessions; ++i) {
        clock.advance(1);
        (void)engine->disconnect(tokens[i]);
    }
    const double leave = (cpuSeconds() - start) * 1e6 / sessions;
    start = cpuSeconds();
    for (int i = 0; i < sessions; ++i) {
        clock.advance(1);
        (void)engine->heartbeat(people[i], QStringLiteral("doc-%1").arg(i % rooms), newSessions[i]);
    }
    const double join = (cpuSeconds() - start) * 1e6 / sessions;
    const quint64 pushes = engine->stats().notifications - notificationsBefore;
    std::printf("| %s | %.2f | %.2f | %llu |\n", path.isEmpty() ? "none (memory)" : "SQLite file, WAL", join, leave,
        static_cast<unsigned long long>(pushes));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("CPU cost of a steady presence heartbeat"));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("sessions"), QStringLiteral("Live sessions."), QStringLiteral("n"), QStringLiteral("10000")},
        {QStringLiteral("rooms"), QStringLiteral("Rooms they are spread over."), QStringLiteral("n"),
            QStringLiteral("1000")},
        {QStringLiteral("rounds"), QStringLiteral("Heartbeats per session measured."), QStringLiteral("n"),
            QStringLiteral("20")},
        {QStringLiteral("db"), QStringLiteral("Database file (default: a temporary one)."), QStringLiteral("path")},
    });
    parser.process(app);
    const int sessions = parser.value(QStringLiteral("sessions")).toInt();
    const int rooms = parser.value(QStringLiteral("rooms")).toInt();
    const int rounds = parser.value(QStringLiteral("rounds")).toInt();
    if (sessions < 1 || rooms < 1 || rounds < 1) {
        std::fprintf(stderr, "sessions, rooms and rounds must be positive numbers\n");
        return 2;
    }
    QTemporaryDir dir;
    const auto file = [&](const char *name) {
        return parser.isSet(QStringLiteral("db")) ? parser.value(QStringLiteral("db")) + QLatin1String(name)
                                                  : dir.filePath(QLatin1String(name));
    };

    std::printf("# Steady heartbeat: %d live sessions in %d rooms, %d heartbeats each\n\n", sessions, rooms, rounds);
    std::printf("| store | deadline writes | CPU µs / heartbeat | statements / heartbeat | commits / heartbeat | "
                "notifications |\n|---|---|---|---|---|---|\n");
    struct Case
    {
        const char *store;
        const char *writes;
        double factor;
        QString path;
    };
    const Case cases[] = {
        {"none (memory)", "-", 2.5, QString()},
        {"SQLite file, WAL", "every heartbeat (2.5)", 2.5, file("every.db")},
        {"SQLite file, WAL", "every other (1.25)", 1.25, file("half.db")},
    };
    for (const Case &c : cases) {
        const Run run = measure(sessions, rooms, rounds, c.factor, c.path);
        std::printf("| %s | %s | %.2f | %.3f | %.4f | %llu |\n", c.store, c.writes, run.cpuMicrosPerHeartbeat,
            run.statementsPerHeartbeat, run.commitsPerHeartbeat, static_cast<unsigned long long>(run.notifications));
        std::fflush(stdout);
    }
    measureAcrossRooms(sessions, rooms);

    std::printf("\n# Joins and leaves: %d members in %d rooms, a watcher on every room; each committed and pushed\n\n",
        sessions, rooms);
    std::printf("| store | CPU µs / join | CPU µs / leave | pushes |\n|---|---|---|---|\n");
    measureJoinsAndLeaves(sessions, rooms, QString());
    measureJoinsAndLeaves(sessions, rooms, file("joins.db"));
    return 0;
}
