#include "presenceprotocol.h"

#include "protocol.h"
#include "tokensigner.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonObject>

namespace Presence::Bench {

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
    request.setRawHeader("Authorization", "Bearer " + TokenSigner::signHs256(claims, m_secret));
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
    m_events->send(client,
        Protocol::heartbeatRequest(client.heartbeatId, client.roomId, QString::fromUtf8(client.sessionId), m_interval),
        false);
}

void PresenceProtocol::leave(BenchClient &client)
{
    if (!client.sessionToken.isEmpty())
        m_events->send(client, Protocol::disconnectRequest(client.nextId++, client.sessionToken), false);
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
    const Reply reply = Protocol::parseReply(message);
    switch (reply.kind) {
    case Reply::Diff:
        if (!client.watcher)
            return;
        for (const Member &member : reply.diff.upserted)
            m_events->seen(client, member.userId, member.online);
        for (const QString &userId : reply.diff.removed)
            m_events->seen(client, userId, false);
        return;
    case Reply::Kicked: // the bench never administers: a kick is a failure of the run
    case Reply::Invalid:
    case Reply::Error:
        if (reply.id && *reply.id == client.heartbeatId)
            client.heartbeatId = 0;
        m_events->failed(client, message);
        return;
    case Reply::Result:
        break;
    }
    const qint64 id = *reply.id;
    if (id == client.heartbeatId) {
        client.heartbeatId = 0;
        if (const std::optional<HeartbeatResult> tokens = Protocol::heartbeatResultFrom(reply.result)) {
            client.sessionToken = tokens->sessionToken;
            client.roomToken = tokens->roomToken;
        }
        m_events->renewed(client);
        if (!client.subscribed && client.subscribeId == 0 && !client.roomToken.isEmpty()) {
            client.subscribeId = client.nextId++;
            m_events->send(client, Protocol::subscribeRequest(client.subscribeId, client.roomToken, 104), false);
        }
    } else if (id == client.subscribeId) {
        client.subscribed = true;
        if (client.watcher) {
            QSet<QString> online;
            for (const Member &member : Protocol::membersFrom(reply.result).value_or(QList<Member>()))
                if (member.online)
                    online.insert(member.userId);
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
