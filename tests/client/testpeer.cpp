// presence-testpeer: another process in a room, for the client tests.
//   presence-testpeer URL TOKEN ROOM INTERVAL
// Prints "present" once its first heartbeat is answered; quits (disconnecting, as an app
// does on quit) when a line "quit" arrives on stdin.
#include "client.h"
#include "membersmodel.h"
#include "room.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTextStream>

#include <cstdio>
#include <unistd.h>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 5) {
        std::fprintf(stderr, "usage: presence-testpeer URL TOKEN ROOM INTERVAL\n");
        return 2;
    }
    Presence::Client client;
    client.setServerUrl(QUrl(args.at(1)));
    client.setToken(args.at(2));
    Presence::Room room;
    room.setClient(&client);
    room.setInterval(args.at(4).toInt());
    room.setRoomId(args.at(3));
    bool announced = false;
    QObject::connect(room.members(), &Presence::MembersModel::loadedChanged, &app, [&] {
        if (!announced) {
            announced = true;
            std::printf("present\n");
            std::fflush(stdout);
        }
    });
    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&input, &QSocketNotifier::activated, &app, [&] {
        char buffer[64];
        const auto n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n <= 0 || QByteArray(buffer, int(n)).contains("quit"))
            app.quit();
    });
    return app.exec();
}
