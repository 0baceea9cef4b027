#include "presenceprotocol.h"

#include "jwtverifier.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Presence::Bench {

namespace {

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

PresenceProtocol::PresenceProtocol(BenchEvents *events, const QByteArray &secret, int interval)
    : BenchProtocol(events)
    , m_secret(secret)
    , m_interval(interval)
{
}

QNetworkRequest PresenceProtocol::request(const BenchClient &client, const QUrl &base) const
{
    QNetworkRequest request(base);
    const QJsonObject claims {{QStringLiteral("sub"), client.userId},
        {QStringLiteral("org_id"), QStringLiteral("bench")},
        {QStringLiteral("exp"), QDateTime::currentSecsSinceEpoch() + 86400}};
    request.setRawHeader("Authorization", "Bearer " + JwtVerifier::signHs256(claims, m_secret));
    return request;
}

void PresenceProtocol::opened(BenchClient &client)
{
    client.heartbeatId = 0;
    client.subscribeId = 0;
    client.subscribed = false;
    if (client.member)
        join(client);
}

void PresenceProtocol::join(BenchClient &client)
{
    // A new window on the document: a new session.
    if (client.sessionId.isEmpty())
        client.sessionId = client.userId.toUtf8() + '-' + QByteArray::number(++m_sessions);
    heartbeat(client);
}

bool PresenceProtocol::renew(BenchClient &client)
{
    if (client.heartbeatId != 0 || client.sessionId.isEmpty())
        return false; // at most one in flight, as the client library does
    heartbeat(client);
    return true;
}

void PresenceProtocol::heartbeat(BenchClient &client)
{
    client.heartbeatId = client.nextId++;
    const QJsonObject request {{QStringLiteral("id"), client.heartbeatId},
        {QStringLiteral("type"), QStringLiteral("heartbeat")}, {QStringLiteral("roomId"), client.roomId},
        {QStringLiteral("sessionId"), QString::fromUtf8(client.sessionId)}, {QStringLiteral("interval"), m_interval},
        {QStringLiteral("compact"), true}};
    m_events->send(client, compact(request), false);
}

void PresenceProtocol::leave(BenchClient &client)
{
    if (!client.sessionToken.isEmpty()) {
        const QJsonObject request {{QStringLiteral("id"), client.nextId++},
            {QStringLiteral("type"), QStringLiteral("disconnect")},
            {QStringLiteral("sessionToken"), client.sessionToken}};
        m_events->send(client, compact(request), false);
    }
    client.sessionId.clear();
    client.sessionToken.clear();
    client.heartbeatId = 0; // an answer still on its way is stale
}

void PresenceProtocol::received(BenchClient &client, const QByteArray &message)
{
    // Only a watcher reads pushes, as the other systems' clients skip decoding theirs. The
    // server writes keys in order, so a diff starts with "remove" or "sub".
    if (!client.watcher && (message.startsWith("{\"sub\"") || message.startsWith("{\"remove\"")))
        return;
    const QJsonObject object = QJsonDocument::fromJson(message).object();
    const QString type = object.value(QLatin1String("type")).toString();
    const qint64 id = object.value(QLatin1String("id")).toInteger();
    if (type == QLatin1String("diff")) {
        if (!client.watcher)
            return;
        for (const QJsonValue &member : object.value(QLatin1String("upsert")).toArray()) {
            const QJsonObject m = member.toObject();
            m_events->seen(
                client, m.value(QLatin1String("userId")).toString(), m.value(QLatin1String("online")).toBool());
        }
        for (const QJsonValue &userId : object.value(QLatin1String("remove")).toArray())
            m_events->seen(client, userId.toString(), false);
        return;
    }
    if (type == QLatin1String("error")) {
        if (id == client.heartbeatId)
            client.heartbeatId = 0;
        m_events->failed(client, message);
        return;
    }
    if (type != QLatin1String("result"))
        return;
    if (id != 0 && id == client.heartbeatId) {
        client.heartbeatId = 0;
        const QJsonObject tokens = object.value(QLatin1String("result")).toObject();
        if (tokens.contains(QLatin1String("sessionToken"))) {
            client.sessionToken = tokens.value(QLatin1String("sessionToken")).toString();
            client.roomToken = tokens.value(QLatin1String("roomToken")).toString();
        }
        m_events->renewed(client);
        if (!client.subscribed && client.subscribeId == 0 && !client.roomToken.isEmpty()) {
            client.subscribeId = client.nextId++;
            const QJsonObject request {{QStringLiteral("id"), client.subscribeId},
                {QStringLiteral("type"), QStringLiteral("subscribe")}, {QStringLiteral("roomToken"), client.roomToken},
                {QStringLiteral("limit"), 104}};
            m_events->send(client, compact(request), false);
        }
    } else if (id != 0 && id == client.subscribeId) {
        client.subscribed = true;
        if (client.watcher) {
            QSet<QString> online;
            for (const QJsonValue &member : object.value(QLatin1String("result")).toArray()) {
                const QJsonObject m = member.toObject();
                if (m.value(QLatin1String("online")).toBool())
                    online.insert(m.value(QLatin1String("userId")).toString());
            }
            m_events->replaced(client, online);
        }
        m_events->ready(client);
    }
}

void PresenceProtocol::closed(BenchClient &client)
{
    // The client library keeps its model through a reconnect and merges the next list into it.
    client.heartbeatId = 0;
    client.subscribeId = 0;
    client.subscribed = false;
}

QString PresenceProtocol::describe() const
{
    return QStringLiteral("renew = heartbeat (compact answer); join = a new session's first heartbeat; every client "
                          "subscribes to its room");
}

} // namespace Presence::Bench
