#include "peek.h"

#include "client.h"
#include "client_p.h"
#include "errorstate_p.h"
#include "membersmodel_p.h"
#include "transport_p.h"

#include <QPointer>

namespace Presence {

class PeekPrivate
{
public:
    explicit PeekPrivate(Peek *peek)
        : q(peek)
        , model(new MembersModel(peek))
    {
    }

    Peek *q;
    MembersModel *model;
    QPointer<Client> client;
    QMetaObject::Connection ready;
    QString roomId;
    int limit = 104;
    bool active = true;
    // The subscription, and the transport that holds it: a client that changes transport
    // drops the old one with its subscriptions.
    QPointer<Transport> watchedOn;
    int handle = 0;
    RoomCounts counts;
    ErrorState error;

    Transport *transport() const { return ClientPrivate::transportOf(client); }

    void setError(const Error &next)
    {
        if (error.set(next))
            Q_EMIT q->errorChanged();
    }

    void setCounts(const RoomCounts &next)
    {
        if (next == counts)
            return;
        counts = next;
        Q_EMIT q->countsChanged();
    }

    void stop()
    {
        if (handle && watchedOn)
            watchedOn->unsubscribe(handle);
        handle = 0;
        watchedOn = nullptr;
    }

    /// Watches what the properties say now, from scratch.
    void restart()
    {
        stop();
        if (model->isLoaded())
            MembersModelPrivate::get(model)->clear();
        setCounts({});
        Transport *t = transport();
        if (!t || roomId.isEmpty() || !active)
            return;
        const QString watched = roomId;
        watchedOn = t;
        handle = t->watch(
            roomId, limit, q,
            [this, watched](const Result<Listing> &listing) {
                if (watched != roomId)
                    return;
                if (!listing) {
                    // Watched again at the next ready() (a reconnect, a new transport), and
                    // not also by the transport's own retry.
                    stop();
                    return setError(listing.error());
                }
                setError(Error());
                MembersModelPrivate::get(model)->setMembers(listing.value().members);
                // Servers before 0.2 neither peek nor count; one that peeks counts too.
                const QList<Member> &members = listing.value().members;
                setCounts(listing.value().counts.value_or(RoomCounts {model->onlineCount(), int(members.size())}));
            },
            [this, watched](const MemberDiff &diff) {
                if (watched != roomId)
                    return;
                MembersModelPrivate::get(model)->applyDiff(diff);
                if (diff.counts)
                    setCounts(*diff.counts);
            });
    }

    void attach(Client *next)
    {
        QObject::disconnect(ready);
        client = next;
        if (client) {
            // The same transport reconnecting subscribes again by itself; a new one does not.
            ready = QObject::connect(client, &Client::ready, q, [this] {
                if (handle == 0 || watchedOn != transport())
                    restart();
            });
        }
    }
};

Peek::Peek(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<PeekPrivate>(this))
{
    d->attach(Client::defaultClient());
}

Peek::~Peek()
{
    d->stop();
}

Client *Peek::client() const
{
    return d->client;
}

void Peek::setClient(Client *client)
{
    if (!client)
        client = Client::defaultClient();
    if (d->client == client)
        return;
    d->attach(client);
    Q_EMIT clientChanged();
    d->restart();
}

QString Peek::roomId() const
{
    return d->roomId;
}

void Peek::setRoomId(const QString &roomId)
{
    if (d->roomId == roomId)
        return;
    d->roomId = roomId;
    Q_EMIT roomIdChanged();
    d->restart();
}

int Peek::limit() const
{
    return d->limit;
}

void Peek::setLimit(int limit)
{
    limit = std::clamp(limit, 1, 1000);
    if (d->limit == limit)
        return;
    d->limit = limit;
    Q_EMIT limitChanged();
    d->restart();
}

bool Peek::isActive() const
{
    return d->active;
}

void Peek::setActive(bool active)
{
    if (d->active == active)
        return;
    d->active = active;
    Q_EMIT activeChanged();
    d->restart();
}

MembersModel *Peek::members() const
{
    return d->model;
}

int Peek::onlineCount() const
{
    return d->counts.online;
}

int Peek::totalCount() const
{
    return d->counts.total;
}

QString Peek::errorCode() const
{
    return d->error.code;
}

QString Peek::errorString() const
{
    return d->error.message;
}

} // namespace Presence
