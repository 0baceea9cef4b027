#include "socketioprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Presence::Bench {

QNetworkRequest SocketIoProtocol::request(const BenchClient &, const QUrl &base) const
{
    QUrl url = base;
    url.setPath(QStringLiteral("/socket.io/"));
    url.setQuery(QStringLiteral("EIO=4&transport=websocket"));
    return QNetworkRequest(url);
}

void SocketIoProtocol::opened(BenchClient &)
{
    // Engine.IO speaks first ("0{sid,…}"), then the namespace is joined.
}

void SocketIoProtocol::emitEvent(BenchClient &client, const char *name, bool withUser)
{
    QJsonObject payload {{QStringLiteral("room"), client.roomId}};
    if (withUser)
        payload.insert(QStringLiteral("userId"), client.userId);
    const QJsonArray event {QString::fromLatin1(name), payload};
    m_events->send(client, "42" + QJsonDocument(event).toJson(QJsonDocument::Compact), false);
}

void SocketIoProtocol::join(BenchClient &client)
{
    emitEvent(client, "join", true);
}

bool SocketIoProtocol::renew(BenchClient &client)
{
    emitEvent(client, "heartbeat", true);
    return true;
}

void SocketIoProtocol::leave(BenchClient &client)
{
    emitEvent(client, "leave", false);
}

void SocketIoProtocol::received(BenchClient &client, const QByteArray &message)
{
    if (message.startsWith("0")) {
        m_events->send(client, "40", false); // Engine.IO open → connect to the "/" namespace
    } else if (message.startsWith("40")) {
        if (client.member)
            join(client);
        m_events->ready(client);
    } else if (message == "2") {
        m_events->send(client, "3", false); // Engine.IO ping → pong
    } else if (message.startsWith("42") && client.watcher) {
        const QJsonArray event = QJsonDocument::fromJson(message.mid(2)).array();
        if (event.at(0).toString() != QLatin1String("presence"))
            return;
        QSet<QString> online;
        for (const QJsonValue &member : event.at(1).toArray())
            online.insert(member.toObject().value(QLatin1String("userId")).toString());
        m_events->replaced(client, online);
    } else if (message.startsWith("44")) {
        m_events->failed(client, message);
    }
}

void SocketIoProtocol::closed(BenchClient &)
{
    // The app keeps the last list until the next one arrives.
}

QString SocketIoProtocol::describe() const
{
    return QStringLiteral("renew = \"heartbeat\" event; join = \"join\" event, the room's list broadcast to it; "
                          "leave = \"leave\" event");
}

} // namespace Presence::Bench
