// A QtWidgets window with a live facepile: presence in this process, the people of doc-1 in
// the toolbar. With --first-frame FILE it saves its first frame with members in it and exits.
#include <Presence/client.h>
#include <Presence/embeddedserver.h>
#include <Presence/facepilewidget.h>
#include <Presence/room.h>

#include <QApplication>
#include <QMainWindow>
#include <QPlainTextEdit>
#include <QTimer>
#include <QToolBar>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);

    Presence::EmbeddedServer server; // presence.db in the app's data directory
    if (!server.open())
        qFatal("presence: %s", qPrintable(server.errorString()));
    Presence::Client client;
    client.setEmbeddedServer(&server, qEnvironmentVariable("USER", QStringLiteral("me")), QStringLiteral("my-org"),
        QStringLiteral("Ada Lovelace"));

    QMainWindow window;
    window.setWindowTitle(QStringLiteral("doc-1"));
    window.setCentralWidget(new QPlainTextEdit(&window));
    Presence::Room room;
    room.setClient(&client);
    room.setRoomId(QStringLiteral("doc-1"));
    auto *facepile = new Presence::FacepileWidget;
    facepile->setModel(room.members());
    QObject::connect(
        &room, &Presence::Room::countsChanged, facepile, [&] { facepile->setTotalCount(room.totalCount()); });
    window.addToolBar(QStringLiteral("People"))->addWidget(facepile);
    window.resize(480, 200);
    window.show();
    room.setWindow(window.windowHandle()); // minimised or hidden: away from doc-1

    const int at = app.arguments().indexOf(QStringLiteral("--first-frame"));
    if (at > 0) {
        QTimer *poll = new QTimer(&app);
        QObject::connect(poll, &QTimer::timeout, &app, [&] {
            if (facepile->count() < 1)
                return;
            window.grab().save(app.arguments().value(at + 1));
            qInfo("first frame with %d member(s) saved", facepile->count());
            QCoreApplication::quit();
        });
        poll->start(50);
        QTimer::singleShot(10000, &app, [] { QCoreApplication::exit(2); });
    }
    return app.exec();
}
