// libFuzzer target: a live presence-server in this process, on a loopback port, and one
// socket per input that sends it whatever the input says: a request head, or a genuine
// upgrade (with a valid token) followed by frames, fragments, pings and closes in pieces.
//
// Input: byte 0 chooses the mode (bit 0: a genuine authenticated upgrade first; bit 1: stop
// reading the answers), byte 1 the size of the pieces the rest is written in.
#include "server.h"
#include "serverconfig.h"
#include "tokensigner.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTcpSocket>

#include <cstddef>
#include <cstdint>

namespace {

QCoreApplication *app = nullptr;
Presence::Server *server = nullptr;
QByteArray head;

void spin(int rounds)
{
    for (int i = 0; i < rounds; ++i)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    QLoggingCategory::setFilterRules(QStringLiteral("presence.*=false\nqt.*=false"));
    app = new QCoreApplication(*argc, *argv);
    Presence::ServerConfig config;
    config.address = QHostAddress::LocalHost;
    config.port = 0;
    config.database = QStringLiteral(":memory:");
    config.closeGrace = 0;
    config.handshakeTimeout = 200;
    config.authTimeout = 200;
    server = new Presence::Server(config);
    if (!server->start() || !server->setHs256Secret(QByteArray(40, 's')))
        qFatal("the server did not start");
    QJsonObject claims {{QStringLiteral("sub"), QStringLiteral("fuzz")},
        {QStringLiteral("org_id"), QStringLiteral("org")},
        {QStringLiteral("exp"), QDateTime::currentSecsSinceEpoch() + 10 * 365 * 24 * 3600}};
    const QByteArray token = Presence::TokenSigner::signHs256(claims, QByteArray(40, 's'));
    head = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
           "Authorization: Bearer "
        + token + "\r\n\r\n";
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const bool upgrade = data[0] & 1;
    const bool deaf = data[0] & 2;
    const qsizetype piece = 1 + data[1] % 128;
    const QByteArray body(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));

    QTcpSocket socket;
    if (deaf)
        socket.setReadBufferSize(1);
    socket.connectToHost(QHostAddress::LocalHost, server->port());
    if (!socket.waitForConnected(1000))
        return 0;
    spin(2);
    if (upgrade) {
        socket.write(head);
        socket.flush();
        spin(4);
    }
    for (qsizetype at = 0; at < body.size() && socket.state() == QAbstractSocket::ConnectedState; at += piece) {
        socket.write(body.mid(at, piece));
        socket.flush();
        spin(2);
    }
    spin(4);
    if (!deaf)
        socket.readAll();
    socket.abort();
    spin(4); // the server hears of the close and lets go of the connection
    return 0;
}
