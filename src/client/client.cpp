#include "client.h"

#include "client_p.h"
#include "embeddedtransport_p.h"
#include "room_p.h"
#include "websockettransport_p.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QNetworkInformation>
#include <QPointer>
#include <QTimer>

namespace Presence {

namespace {
QPointer<Client> s_defaultClient;
// How often the clock is compared with a monotonic one to notice sleep and resume.
constexpr int WakeCheckMs = 2000;
constexpr int MinWakeJumpMs = 2000;
} // namespace

void ClientPrivate::setTransport(std::unique_ptr<Transport> next)
{
    // Rooms leave through the old transport; the new one's ready() brings them back.
    for (const QPointer<Room> &room : std::as_const(rooms)) {
        if (room)
            RoomPrivate::get(room)->suspend();
    }
    if (transport)
        transport->flush(0);
    transport = std::move(next);
    Transport *t = transport.get();
    QObject::connect(t, &Transport::stateChanged, q, &Client::stateChanged);
    QObject::connect(t, &Transport::ready, q, &Client::ready);
    QObject::connect(
        t, &Transport::identityChanged, q, [this](const QString &id, const QString &newName, const QString &newImage) {
            setIdentity(id, newName, newImage);
        });
    QObject::connect(t, &Transport::tokenExpiring, q, &Client::tokenRequested);
    QObject::connect(t, &Transport::kicked, q, [this](const QString &roomId, const QString &sessionToken) {
        for (const QPointer<Room> &room : std::as_const(rooms)) {
            if (room)
                RoomPrivate::get(room)->kickedOut(roomId, sessionToken);
        }
    });
    QObject::connect(t, &Transport::errorOccurred, q, [this](const Error &e) {
        error = e.message();
        Q_EMIT q->errorOccurred(e.codeName(), e.message());
    });
    t->start();
}

void ClientPrivate::setIdentity(const QString &id, const QString &newName, const QString &newImage)
{
    if (userId != id) {
        userId = id;
        Q_EMIT q->userIdChanged();
    }
    if (name != newName) {
        name = newName;
        Q_EMIT q->nameChanged();
    }
    if (image != newImage) {
        image = newImage;
        Q_EMIT q->imageChanged();
    }
}

// Sleep and resume: the wall clock jumps past the monotonic one.
void ClientPrivate::checkWake()
{
    const qint64 wall = QDateTime::currentMSecsSinceEpoch();
    const qint64 elapsed = monotonic.restart();
    // A jump larger than the shortest interval of a room: sessions may have timed out.
    int threshold = Room::DefaultInterval;
    for (const QPointer<Room> &room : std::as_const(rooms)) {
        if (room)
            threshold = std::min(threshold, room->interval());
    }
    threshold = std::max(threshold, MinWakeJumpMs);
    if (lastWall != 0 && std::abs((wall - lastWall) - elapsed) > threshold && transport)
        transport->reconnectNow();
    lastWall = wall;
}

Client::Client(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<ClientPrivate>())
{
    d->q = this;
    d->monotonic.start();
    connect(&d->wakeCheck, &QTimer::timeout, this, [this] { d->checkWake(); });
    d->wakeCheck.start(WakeCheckMs);
    if (QNetworkInformation::loadDefaultBackend() && QNetworkInformation::instance()) {
        connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged, this,
            [this](QNetworkInformation::Reachability reachability) {
                if (reachability == QNetworkInformation::Reachability::Online && d->transport)
                    d->transport->reconnectNow();
            });
    }
    if (QCoreApplication::instance())
        connect(QCoreApplication::instance(), &QCoreApplication::aboutToQuit, this, [this] { disconnectAll(); });
}

Client::~Client()
{
    disconnectAll(0);
}

void Client::setEmbeddedServer(EmbeddedServer *server, const QString &userId, const QString &organization,
    const QString &name, const QString &image)
{
    d->embedded = server;
    d->identity = Identity {userId, organization, QString(), name, image};
    d->url.clear();
    d->setTransport(std::make_unique<EmbeddedTransport>(server, d->identity));
}

void Client::setProfile(const QString &name, const QString &image)
{
    d->identity.name = name;
    d->identity.picture = image;
    if (auto *embedded = qobject_cast<EmbeddedTransport *>(d->transport.get())) {
        embedded->setIdentity(d->identity);
        d->setIdentity(d->userId, name, image);
    }
}

QUrl Client::serverUrl() const
{
    return d->url;
}

void Client::setServerUrl(const QUrl &url)
{
    if (d->url == url)
        return;
    d->url = url;
    d->embedded = nullptr;
    auto transport = std::make_unique<WebSocketTransport>(url);
    transport->setToken(d->token);
    d->setTransport(std::move(transport));
    Q_EMIT serverUrlChanged();
}

QString Client::token() const
{
    return d->token;
}

void Client::setToken(const QString &token)
{
    if (d->token == token)
        return;
    d->token = token;
    if (auto *remote = qobject_cast<WebSocketTransport *>(d->transport.get())) {
        if (token.isEmpty()) {
            // Signed out: every room leaves now, the connection ends, and nothing connects
            // again until a new token is given.
            disconnectAll();
            d->setTransport(std::make_unique<WebSocketTransport>(d->url));
            d->setIdentity(QString(), QString(), QString());
        } else {
            remote->setToken(token);
        }
    }
    Q_EMIT tokenChanged();
}

Client::State Client::state() const
{
    return d->transport ? State(d->transport->state()) : Disconnected;
}

QString Client::userId() const
{
    return d->userId;
}

QString Client::name() const
{
    return d->name;
}

QString Client::image() const
{
    return d->image;
}

QString Client::errorString() const
{
    return d->error;
}

Client *Client::defaultClient()
{
    return s_defaultClient;
}

void Client::setDefaultClient(Client *client)
{
    s_defaultClient = client;
}

void Client::disconnectAll(int timeoutMs)
{
    // Stopped, not just left: no timer may heartbeat them back while we wait below.
    for (const QPointer<Room> &room : std::as_const(d->rooms)) {
        if (room)
            RoomPrivate::get(room)->suspend();
    }
    if (d->transport && timeoutMs > 0)
        d->transport->flush(timeoutMs);
}

} // namespace Presence
