#include "room.h"

#include "room_p.h"

#include <QGuiApplication>
#include <QRandomGenerator>

namespace Presence {

Room::Room(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<RoomPrivate>(this))
{
    connect(&d->timer, &QTimer::timeout, this, &Room::heartbeat);
    d->retry.setSingleShot(true);
    connect(&d->retry, &QTimer::timeout, this, &Room::heartbeat);
    if (auto *app = qobject_cast<QGuiApplication *>(QCoreApplication::instance())) {
        connect(app, &QGuiApplication::applicationStateChanged, this, [this](Qt::ApplicationState state) {
            if (state == Qt::ApplicationActive)
                d->noteInput(); // brought back to the front: someone is there
            d->update();
        });
    }
    // Without the server's counts they are the list's, which changes with the model.
    connect(d->model, &MembersModel::countChanged, this, [this] { d->updateCounts(); });
    connect(d->model, &MembersModel::onlineCountChanged, this, [this] { d->updateCounts(); });
    d->inputWatcher = new InputWatcher(this);
    connect(d->inputWatcher, &InputWatcher::input, this, [this] { d->noteInput(); });
    d->idleCheck.setSingleShot(true);
    connect(&d->idleCheck, &QTimer::timeout, this, [this] { d->checkIdle(); });
    d->sinceInput.start();
    d->armIdleCheck();
    d->attach(Client::defaultClient());
    QMetaObject::invokeMethod(
        this, [this] { d->update(); }, Qt::QueuedConnection);
}

Room::~Room()
{
    d->reset();
    if (d->client)
        ClientPrivate::get(d->client)->rooms.removeAll(this);
}

Client *Room::client() const
{
    return d->client;
}

void Room::setClient(Client *client)
{
    if (!client)
        client = Client::defaultClient();
    if (d->clientSet && d->client == client)
        return;
    d->clientSet = true;
    d->reset();
    d->clearKicked(); // another client: the app asked
    d->present = false;
    d->timer.stop();
    d->retry.stop();
    d->attach(client);
    Q_EMIT clientChanged();
    d->update();
}

QString Room::roomId() const
{
    return d->roomId;
}

void Room::setRoomId(const QString &roomId)
{
    if (d->roomId == roomId)
        return;
    d->reset();
    d->clearKicked(); // another room: the app asked
    d->roomId = roomId;
    d->sessionId = RoomPrivate::newSessionId(); // a sessionId names one room
    Q_EMIT sessionIdChanged();
    Q_EMIT roomIdChanged();
    const bool wasPresent = d->present;
    d->update(); // an empty roomId is not present
    if (wasPresent && d->present)
        heartbeat(); // still present, in the new room
}

int Room::interval() const
{
    return d->interval;
}

void Room::setInterval(int ms)
{
    if (d->interval == ms)
        return;
    d->interval = ms;
    Q_EMIT intervalChanged();
    if (d->present) {
        d->timer.start(ms);
        heartbeat(); // the server's timeout follows the new interval now
    }
}

int Room::limit() const
{
    return d->limit;
}

void Room::setLimit(int limit)
{
    if (d->limit == limit)
        return;
    d->limit = limit;
    Q_EMIT limitChanged();
    d->subscribe();
}

bool Room::isActive() const
{
    return d->active;
}

void Room::setActive(bool active)
{
    if (d->active == active)
        return;
    d->active = active;
    Q_EMIT activeChanged();
    d->update();
}

int Room::onlineCount() const
{
    return d->counts().online;
}

int Room::totalCount() const
{
    return d->counts().total;
}

bool Room::isAway() const
{
    return d->away;
}

QVariantMap Room::data() const
{
    return d->data;
}

void Room::setData(const QVariantMap &data)
{
    if (d->data == data)
        return;
    d->data = data;
    Q_EMIT dataChanged();
    d->sendData();
}

int Room::awayAfter() const
{
    return d->awayAfter;
}

void Room::setAwayAfter(int ms)
{
    ms = std::max(0, ms);
    if (d->awayAfter == ms)
        return;
    d->awayAfter = ms;
    d->armIdleCheck();
    if (ms > 0)
        d->checkIdle(); // a shorter time may have passed already
    Q_EMIT awayAfterChanged();
}

QWindow *Room::window() const
{
    return d->window;
}

void Room::setWindow(QWindow *window)
{
    if (d->window == window)
        return;
    if (d->window)
        disconnect(d->window, nullptr, this, nullptr);
    d->window = window;
    d->inputWatcher->setWindow(window);
    if (window) {
        connect(window, &QWindow::visibilityChanged, this, [this] { d->update(); });
        connect(window, &QObject::destroyed, this, [this] { d->update(); });
    }
    Q_EMIT windowChanged();
    d->update();
}

bool Room::followApplicationState() const
{
    return d->followApplicationState;
}

void Room::setFollowApplicationState(bool follow)
{
    if (d->followApplicationState == follow)
        return;
    d->followApplicationState = follow;
    Q_EMIT followApplicationStateChanged();
    d->update();
}

bool Room::isPresent() const
{
    return d->present;
}

MembersModel *Room::members() const
{
    return d->model;
}

QString Room::sessionId() const
{
    return d->sessionId;
}

QString Room::errorCode() const
{
    return d->error.code;
}

QString Room::errorString() const
{
    return d->error.message;
}

void Room::heartbeat()
{
    Transport *t = d->transport();
    if (!d->present || d->inFlight || !t || t->state() != Transport::Connected)
        return; // not connected yet: ready() brings us back

    d->inFlight = true;
    d->leftMeanwhile = false;
    // The transport is the context: if this room is gone (or moved on to another room or
    // client) when the answer comes, the session it created is ended rather than left to
    // time out.
    const QPointer<Room> self(this);
    const quint64 generation = d->generation;
    d->awayUnsent = false;
    t->heartbeat(
        d->roomId, d->sessionId, d->interval, d->away, t, [self, t, generation](const Result<HeartbeatResult> &result) {
            if (!self || self->d->generation != generation) {
                if (result)
                    t->disconnectSession(result.value().sessionToken);
                return;
            }
            RoomPrivate *d = self->d.get();
            d->inFlight = false;
            if (!result) {
                // Refused because an administrator removed this window (the kicked push missed
                // it, between two connections): out, as if told.
                if (result.error().code() == Error::PermissionDenied)
                    d->kickedOut(d->roomId, QString());
                if (result.error().code() == Error::Unavailable && !d->retry.isActive()) {
                    // Soon, jittered so that a cluster's clients do not all come back at once.
                    const int ms = 750 + int(QRandomGenerator::global()->bounded(500));
                    d->retry.start(std::min(ms, d->interval));
                }
                return d->setError(result.error());
            }
            d->setError(Error());
            d->sessionToken = result.value().sessionToken;
            if (!d->present) {
                self->leave(); // hidden while this was in flight
                return;
            }
            if (std::exchange(d->leftMeanwhile, false)) {
                // Hidden and shown again while this was in flight: the disconnect sent then
                // came after it, so the session is gone. Start it again.
                QMetaObject::invokeMethod(self, &Room::heartbeat, Qt::QueuedConnection);
                return;
            }
            if (result.value().roomToken != d->roomToken || !d->subscription) {
                d->roomToken = result.value().roomToken;
                d->subscribe();
            }
            d->sendData();
            if (d->awayUnsent) // went idle or came back while this was in flight
                QMetaObject::invokeMethod(self, &Room::heartbeat, Qt::QueuedConnection);
        });
}

bool Room::isKicked() const
{
    return d->kicked;
}

void Room::rejoin()
{
    if (!d->kicked)
        return;
    d->clearKicked();
    d->sessionId = RoomPrivate::newSessionId(); // the kicked one is refused for a while
    Q_EMIT sessionIdChanged();
    d->update();
}

void Room::leave()
{
    if (d->sessionToken.isEmpty())
        return;
    if (d->inFlight)
        d->leftMeanwhile = true;
    if (Transport *t = d->transport())
        t->disconnectSession(d->sessionToken);
    d->sessionToken.clear();
}

} // namespace Presence
