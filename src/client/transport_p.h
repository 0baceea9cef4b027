#pragma once

#include "error.h"
#include "heartbeatresult.h"
#include "member.h"
#include "memberdiff.h"
#include "onlineuser.h"
#include "result.h"
#include "roomcounts.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <functional>

namespace Presence {

/// A subscription's list: its members, and the room's counts when the server gives them
/// (servers before 0.2 do not).
struct Listing
{
    QList<Member> members;
    std::optional<RoomCounts> counts;
};

/// How a Client reaches the engine: in this process, or over a WebSocket. Callbacks run on
/// the event loop (never inside the call that asked for them) and only while `context` lives.
class Transport : public QObject
{
    Q_OBJECT
public:
    enum State {
        Disconnected,
        Connecting,
        Connected,
    };
    using HeartbeatDone = std::function<void(const Result<HeartbeatResult> &)>;
    using ListDone = std::function<void(const Result<Listing> &)>;
    using DiffHandler = std::function<void(const MemberDiff &)>;
    using UpdateDone = std::function<void(const Result<bool> &)>;
    using OnlineDone = std::function<void(const Result<OnlinePage> &)>;

    using QObject::QObject;

    virtual State state() const = 0;
    virtual void start() = 0;
    /// Drops the connection now and reconnects at once (after sleep or a network change).
    virtual void reconnectNow() = 0;

    /// `away`: the room's window is idle.
    virtual void heartbeat(
        const QString &roomId, const QString &sessionId, int interval, bool away, QObject *context, HeartbeatDone done)
        = 0;
    /// `list` gets the list (with the room's counts) when the subscription starts and again
    /// after every reconnect; `diff` gets the pushes in between (with counts when they change). Returns a handle for
    /// unsubscribe().
    virtual int subscribe(const QString &roomToken, int limit, QObject *context, ListDone list, DiffHandler diff) = 0;
    /// subscribe() to the room `roomId` of the user's organization without joining it (a
    /// peek); unsubscribe() ends it too.
    virtual int watch(const QString &roomId, int limit, QObject *context, ListDone list, DiffHandler diff) = 0;
    virtual void unsubscribe(int handle) = 0;
    /// Sets the user's data in the room of the session `sessionToken`; empty clears it.
    virtual void update(const QString &sessionToken, const QJsonObject &data, QObject *context, UpdateDone done) = 0;
    /// A page of who is online in the user's organization, after `cursor` (empty: the first).
    virtual void online(int limit, const QString &cursor, QObject *context, OnlineDone done) = 0;
    /// Ends a session as soon as possible; nothing to wait for.
    virtual void disconnectSession(const QString &sessionToken) = 0;
    /// Waits, at most `timeoutMs`, until the disconnects asked for are delivered.
    virtual void flush(int timeoutMs) = 0;

Q_SIGNALS:
    void stateChanged(Presence::Transport::State state);
    /// Connected (again) and authenticated: rooms heartbeat now, so nobody sees a gap.
    void ready();
    /// The identity is known (remote: from the server's answer to the token): the user, and
    /// their name and picture as others see them (empty when the token gives none).
    void identityChanged(const QString &userId, const QString &name, const QString &image);
    /// The token expires soon, or has: the client should be given a new one.
    void tokenExpiring();
    void errorOccurred(const Presence::Error &error);
    /// An administrator ended the user's session `sessionToken` in `roomId` (empty token:
    /// every session of theirs in the room).
    void kicked(const QString &roomId, const QString &sessionToken);
};

} // namespace Presence
