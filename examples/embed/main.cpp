// The smallest app with a live facepile: presence in this process, the QML in Main.qml.
// With --first-frame FILE it saves its first frame with members in it and exits (for tests).
#include <Presence/client.h>
#include <Presence/embeddedserver.h>

#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTimer>

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);

    Presence::EmbeddedServer server; // presence.db in the app's data directory
    if (!server.open())
        qFatal("presence: %s", qPrintable(server.errorString()));
    Presence::Client client;
    client.setEmbeddedServer(&server, qEnvironmentVariable("USER", QStringLiteral("me")), QStringLiteral("my-org"),
        QStringLiteral("Ada Lovelace"));
    Presence::Client::setDefaultClient(&client);

    QQmlApplicationEngine engine;
    engine.load(QUrl(QStringLiteral("qrc:/EmbedPresence/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;

    const int at = app.arguments().indexOf(QStringLiteral("--first-frame"));
    if (at > 0) {
        auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
        auto *presence = window->contentItem()->childItems().value(0);
        QTimer *poll = new QTimer(&app);
        QObject::connect(poll, &QTimer::timeout, &app, [&, window, presence] {
            auto *members = presence ? presence->property("members").value<QObject *>() : nullptr;
            if (!members || members->property("count").toInt() < 1)
                return;
            const QImage frame = window->grabWindow();
            frame.save(app.arguments().value(at + 1));
            qInfo("first frame with %d member(s) saved", members->property("count").toInt());
            QCoreApplication::quit();
        });
        poll->start(50);
        QTimer::singleShot(10000, &app, [] { QCoreApplication::exit(2); });
    }
    return app.exec();
}
