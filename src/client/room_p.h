#pragma once

// Not part of the installed API: a Room's state, which its Client reaches to suspend it.

#include "client.h"
#include "client_p.h"
#include "errorstate_p.h"
#include "inputwatcher_p.h"
#include "membersmodel.h"
#include "membersmodel_p.h"
#include "room.h"
#include "transport_p.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QPointer>
#include <QTimer>
#include <QUuid>
#include <QWindow>

namespace Presence {

class RoomPrivate
{
public:
    explicit RoomPrivate(Room *room)
        : q(room)
        , model(new MembersModel(room))
    {
    }

    Room *q;
    MembersModel *model;
    QPointer<Client> client;
    bool clientSet = false;
    QString roomId;
    int interval = Room::DefaultInterval;
    int limit = Room::DefaultLimit;
    bool active = true;
    QPointer<QWindow> window;
    bool followApplicationState = true;
    bool present = false;
    QString sessionId = newSessionId();
    QString roomToken;
    QString sessionToken;
    bool inFlight = false;
    bool leftMeanwhile = false; // a disconnect went out while a heartbeat was in flight
    quint64 generation = 0;
    int subscription = 0;
    QTimer timer;
    // A heartbeat answered "unavailable" (a cluster whose shared state is away for a moment) is
    // asked again after about a second, not a whole interval later.
    QTimer retry;
    ErrorState error;
    QList<QMetaObject::Connection> clientConnections;
    // Away: no input to the window for awayAfter ms.
    bool away = false;
    int awayAfter = Room::DefaultAwayAfter;
    bool awayUnsent = false; // changed while a heartbeat was in flight: sent right after it
    QElapsedTimer sinceInput;
    QTimer idleCheck;
    InputWatcher *inputWatcher = nullptr;
    // Data: what the app set, and what the server holds for which session.
    QVariantMap data;
    QJsonObject dataHeld; // the server's value for the session dataHeldFor
    QString dataHeldFor;
    QJsonObject dataRefused; // a value the server refused for dataRefusedFor: not sent again there
    QString dataRefusedFor;
    bool dataInFlight = false; // one update at a time; what changes meanwhile goes right after
    bool kicked = false;
    // The room's counts: the server's when it gives them, else what the list shows.
    std::optional<RoomCounts> serverCounts;
    RoomCounts shownCounts;

    RoomCounts counts() const
    {
        return serverCounts ? *serverCounts : RoomCounts {model->onlineCount(), model->rowCount()};
    }
    void updateCounts()
    {
        const RoomCounts now = counts();
        if (now == shownCounts)
            return;
        shownCounts = now;
        Q_EMIT q->countsChanged();
    }

    static RoomPrivate *get(Room *room) { return room->d.get(); }
    static QString newSessionId() { return QUuid::createUuid().toString(QUuid::WithoutBraces); }
    Transport *transport() const { return ClientPrivate::transportOf(client); }
    /// Stops and leaves, until the next change or ready() makes it present again: for
    /// quitting and for a client that changes transport.
    void suspend()
    {
        timer.stop();
        retry.stop();
        reset();
        if (std::exchange(present, false))
            Q_EMIT q->presentChanged();
    }

    // Called on every mouse move: it only notes the time; the idle check, when it fires,
    // looks again and waits for what is left.
    void noteInput()
    {
        sinceInput.restart();
        setAway(false);
        if (!idleCheck.isActive())
            armIdleCheck();
    }
    void armIdleCheck()
    {
        if (awayAfter <= 0) {
            idleCheck.stop();
            setAway(false);
            return;
        }
        idleCheck.start(int(std::max<qint64>(0, awayAfter - sinceInput.elapsed())));
    }
    void checkIdle()
    {
        if (awayAfter > 0 && sinceInput.elapsed() >= awayAfter)
            setAway(true);
        else
            armIdleCheck();
    }
    /// Others hear of it at once, not at the next interval.
    void setAway(bool next)
    {
        if (away == next)
            return;
        away = next;
        Q_EMIT q->awayChanged();
        if (!present)
            return;
        if (inFlight)
            awayUnsent = true;
        else
            q->heartbeat();
    }

    /// Tells the server the data if it holds something else for this session: after setData(),
    /// and after every heartbeat (a new session starts without data).
    void sendData()
    {
        Transport *t = transport();
        if (!t || sessionToken.isEmpty() || dataInFlight || !present)
            return;
        const QJsonObject value = QJsonObject::fromVariantMap(data);
        const QJsonObject held = dataHeldFor == sessionToken ? dataHeld : QJsonObject();
        if (value == held || (dataRefusedFor == sessionToken && value == dataRefused))
            return;
        dataInFlight = true;
        const QString token = sessionToken;
        const quint64 asked = generation;
        t->update(token, value, q, [this, token, value, asked](const Result<bool> &result) {
            if (asked != generation)
                return; // for a room or client left since (reset() cleared the flag)
            dataInFlight = false;
            if (!result) {
                setError(result.error());
                // Too large, or not ours: sending it again would be refused again. Anything else
                // (the session ended, the connection dropped) is retried after the next heartbeat.
                if (result.error().code() == Error::InvalidArgument
                    || result.error().code() == Error::PermissionDenied) {
                    dataRefused = value;
                    dataRefusedFor = token;
                }
                return;
            }
            setError(Error());
            dataHeld = value;
            dataHeldFor = token;
            sendData(); // changed while this was in flight
        });
    }

    void clearKicked()
    {
        if (std::exchange(kicked, false))
            Q_EMIT q->kickedChanged();
    }

    /// An administrator ended the session: out, and not back until the app asks (rejoin(),
    /// another roomId or client; a new transport, as after a server change, is not asking).
    void kickedOut(const QString &room, const QString &token)
    {
        if (room != roomId || kicked || (!token.isEmpty() && token != sessionToken))
            return;
        kicked = true;
        sessionToken.clear(); // ended on the server already
        timer.stop();
        retry.stop();
        setError(Error(Error::PermissionDenied, QStringLiteral("an administrator removed you from this room")));
        Q_EMIT q->kickedChanged();
        if (std::exchange(present, false))
            Q_EMIT q->presentChanged();
    }

    bool wanted() const
    {
        if (!transport() || roomId.isEmpty() || !active || kicked)
            return false;
        if (window && (window->visibility() == QWindow::Hidden || window->visibility() == QWindow::Minimized))
            return false;
        if (followApplicationState && qobject_cast<QGuiApplication *>(QCoreApplication::instance())) {
            // Losing focus to another app (Inactive) is not leaving: the document is still on screen.
            const Qt::ApplicationState state = QGuiApplication::applicationState();
            if (state == Qt::ApplicationHidden || state == Qt::ApplicationSuspended)
                return false;
        }
        return true;
    }

    void update()
    {
        const bool next = wanted();
        if (next == present)
            return;
        present = next;
        if (present) {
            timer.start(interval);
            q->heartbeat();
        } else {
            timer.stop();
            retry.stop();
            q->leave();
        }
        Q_EMIT q->presentChanged();
    }

    void setError(const Error &next)
    {
        if (error.set(next))
            Q_EMIT q->errorChanged();
    }

    void subscribe()
    {
        Transport *t = transport();
        if (subscription && t)
            t->unsubscribe(subscription);
        subscription = 0;
        if (!t || roomToken.isEmpty())
            return;
        const QString token = roomToken;
        subscription = t->subscribe(
            roomToken, limit, q,
            [this, token](const Result<Listing> &listing) {
                if (token != roomToken)
                    return; // an answer for the room we were in before
                if (!listing)
                    return setError(listing.error());
                serverCounts = listing.value().counts;
                MembersModelPrivate::get(model)->setMembers(listing.value().members);
                updateCounts();
            },
            [this, token](const MemberDiff &diff) {
                if (token != roomToken)
                    return;
                if (diff.counts)
                    serverCounts = diff.counts;
                MembersModelPrivate::get(model)->applyDiff(diff);
                updateCounts();
            });
    }

    // Leaves the current room entirely: for a new roomId or client.
    void reset()
    {
        ++generation; // answers still in flight belong to what is being left
        dataInFlight = false; // its answer may never come (a transport replaced drops it)
        q->leave();
        if (subscription && transport())
            transport()->unsubscribe(subscription);
        subscription = 0;
        roomToken.clear();
        inFlight = false;
        serverCounts.reset();
        if (model->isLoaded())
            MembersModelPrivate::get(model)->clear();
        updateCounts();
    }

    void attach(Client *next)
    {
        for (const auto &c : std::as_const(clientConnections))
            QObject::disconnect(c);
        clientConnections.clear();
        if (client)
            ClientPrivate::get(client)->rooms.removeAll(q);
        client = next;
        if (!client)
            return;
        ClientPrivate::get(client)->rooms.append(q);
        model->setSelfUserId(client->userId());
        clientConnections << QObject::connect(client, &Client::ready, q, [this] {
            // (Re)connected: anything in flight was lost; heartbeat the same session now.
            inFlight = false;
            if (present)
                q->heartbeat();
            else
                update();
        });
        clientConnections << QObject::connect(
            client, &Client::userIdChanged, q, [this] { model->setSelfUserId(client->userId()); });
        clientConnections << QObject::connect(client, &QObject::destroyed, q, [this] {
            present = false;
            timer.stop();
            retry.stop();
            subscription = 0;
        });
    }
};

} // namespace Presence
