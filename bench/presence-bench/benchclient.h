// One simulated user of a presence system: a connection, a room, and what the protocol keeps.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

class QWebSocket;

namespace Presence::Bench {

struct BenchClient
{
    enum class State { Idle, Connecting, Open, Ready };

    int index = 0; // global, unique over every worker of a run
    QString userId;
    QString roomId;
    int room = 0; // index into the worker's rooms
    bool watcher = false; // the room's observer: its view is tracked for latency and flaps
    int node = 0; // which of the URLs it connects to
    QWebSocket *socket = nullptr;
    State state = State::Idle;
    bool member = true; // wants to be in the room (false while churned out)
    int backoffMs = 0;
    int reconnects = 0; // since the storm was armed
    bool droppedInStorm = false;
    qint64 renewSentAt = 0; // ns, for the presence round trip

    // Protocol state.
    QByteArray sessionId;
    QString sessionToken;
    QString roomToken;
    qint64 nextId = 1;
    qint64 heartbeatId = 0; // in flight, 0 if none
    qint64 subscribeId = 0;
    bool subscribed = false;
    quint32 clock = 0; // awareness clock
    QHash<quint32, QString> awarenessUsers; // watcher: awareness client id → user
};

} // namespace Presence::Bench
