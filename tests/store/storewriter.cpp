// Test helper: hammers an engine on a SQLite file with joins, heartbeats and leaves until it
// is killed. Prints "ready" once the database is busy, so the test can SIGKILL it mid-write.
#include "engine.h"
#include "manualclock.h"
#include "sqlitestore.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QTimer>

#include <cstdio>

using namespace Presence;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: storewriter DATABASE\n");
        return 2;
    }
    SqliteStore store;
    if (const auto opened = store.open(QString::fromLocal8Bit(argv[1])); !opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error().message()));
        return 1;
    }
    ManualClock clock(1'700'000'000'000);
    Engine engine(&clock, &store);
    engine.open();

    // Writes in slices from the event loop, so the store's own batch timer commits too.
    store.setFlushDelay(20);
    QRandomGenerator random(42);
    QList<QString> tokens;
    quint64 op = 0;
    QTimer slices;
    QObject::connect(&slices, &QTimer::timeout, [&] {
        for (int i = 0; i < 50; ++i, ++op) {
            const Identity who {QStringLiteral("user_%1").arg(random.bounded(50)),
                QStringLiteral("org_%1").arg(random.bounded(2)), {}, {}, {}};
            const QString room = QStringLiteral("doc-%1").arg(random.bounded(20));
            if (random.bounded(100) < 15 && !tokens.isEmpty()) {
                engine.disconnect(tokens.takeAt(random.bounded(tokens.size())));
            } else {
                // Sessions are named after user and room, so most heartbeats are steady ones.
                const QString session
                    = QStringLiteral("%1/%2/%3/%4").arg(who.organization, who.userId, room).arg(random.bounded(3));
                const auto result = engine.heartbeat(who, room, session, 1'000 + random.bounded(19'000));
                if (result && !tokens.contains(result.value().sessionToken))
                    tokens.append(result.value().sessionToken);
            }
            clock.advance(random.bounded(50));
            if (op == 3'000) {
                std::printf("ready\n");
                std::fflush(stdout);
            }
        }
    });
    slices.start(0);
    return app.exec();
}
