#include "onlineusers.h"

#include "client.h"
#include "client_p.h"
#include "errorstate_p.h"
#include "membersmodel.h"
#include "transport_p.h"

#include <QDateTime>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <algorithm>

namespace Presence {

namespace {

constexpr int PageSize = 1'000; // the most a page of the server's may hold

QString displayName(const OnlineUser &user)
{
    return user.name.isEmpty() ? user.userId : user.name;
}

// The model's order: by name as people read it, then by user id so that it is total.
bool before(const OnlineUser &a, const OnlineUser &b)
{
    const int byName = QString::compare(displayName(a), displayName(b), Qt::CaseInsensitive);
    return byName != 0 ? byName < 0 : a.userId < b.userId;
}

} // namespace

class OnlineUsersPrivate
{
public:
    explicit OnlineUsersPrivate(OnlineUsers *model)
        : q(model)
    {
    }

    OnlineUsers *q;
    QPointer<Client> client;
    QList<QMetaObject::Connection> clientConnections;
    bool active = true;
    int maxUsers = 10'000;
    QTimer timer;
    QList<OnlineUser> rows;
    QString self;
    bool loaded = false;
    bool inFlight = false;
    quint64 generation = 0; // answers for an earlier client or a cleared model are dropped
    QList<OnlineUser> incoming; // the pages of the asking under way
    ErrorState error;

    Transport *transport() const { return ClientPrivate::transportOf(client); }

    void setError(const Error &next)
    {
        if (error.set(next))
            Q_EMIT q->errorChanged();
    }

    void fetch(const QString &cursor)
    {
        Transport *t = transport();
        if (!t) {
            inFlight = false;
            incoming.clear();
            return;
        }
        const quint64 asked = generation;
        const int limit = std::min(PageSize, maxUsers - int(incoming.size()));
        t->online(limit, cursor, q, [this, asked](const Result<OnlinePage> &page) {
            if (asked != generation)
                return;
            if (!page) {
                inFlight = false;
                incoming.clear();
                return setError(page.error());
            }
            incoming.append(page.value().users);
            if (!page.value().cursor.isEmpty() && incoming.size() < maxUsers)
                return fetch(page.value().cursor);
            inFlight = false;
            setError(Error());
            sync(std::exchange(incoming, {}));
        });
    }

    /// Makes the rows `next` with the fewest changes: those gone (or renamed, which moves
    /// them) are removed, the others stay in place and change, newcomers are inserted.
    void sync(QList<OnlineUser> next)
    {
        std::sort(next.begin(), next.end(), before);
        // Each user once, whatever the server sent (pages that overlapped, a server of another
        // version): the merge below relies on it.
        QSet<QString> seen;
        next.erase(std::remove_if(next.begin(), next.end(),
                       [&](const OnlineUser &user) {
                           if (seen.contains(user.userId))
                               return true;
                           seen.insert(user.userId);
                           return false;
                       }),
            next.end());
        const qsizetype oldCount = rows.size();
        QHash<QString, const OnlineUser *> byId;
        for (const OnlineUser &user : std::as_const(next))
            byId.insert(user.userId, &user);
        for (qsizetype i = rows.size() - 1; i >= 0; --i) {
            const OnlineUser *now = byId.value(rows.at(i).userId);
            if (now && displayName(*now) == displayName(rows.at(i)))
                continue;
            q->beginRemoveRows({}, int(i), int(i));
            rows.removeAt(i);
            q->endRemoveRows();
        }
        for (qsizetype i = 0; i < next.size(); ++i) {
            if (i < rows.size() && rows.at(i).userId == next.at(i).userId) {
                if (rows.at(i) != next.at(i)) {
                    rows[i] = next.at(i);
                    const QModelIndex index = q->index(int(i));
                    Q_EMIT q->dataChanged(index, index);
                }
                continue;
            }
            q->beginInsertRows({}, int(i), int(i));
            rows.insert(i, next.at(i));
            q->endInsertRows();
        }
        if (rows.size() != oldCount)
            Q_EMIT q->countChanged();
        if (!std::exchange(loaded, true))
            Q_EMIT q->loadedChanged();
    }

    void clear()
    {
        ++generation;
        inFlight = false;
        incoming.clear();
        if (!rows.isEmpty()) {
            q->beginResetModel();
            rows.clear();
            q->endResetModel();
            Q_EMIT q->countChanged();
        }
        if (std::exchange(loaded, false))
            Q_EMIT q->loadedChanged();
    }

    void setSelf(const QString &userId)
    {
        if (self == userId)
            return;
        const QString old = std::exchange(self, userId);
        for (qsizetype i = 0; i < rows.size(); ++i) {
            if (rows.at(i).userId == old || rows.at(i).userId == userId)
                Q_EMIT q->dataChanged(q->index(int(i)), q->index(int(i)), {OnlineUsers::IsSelfRole});
        }
    }

    void attach(Client *next)
    {
        for (const auto &c : std::as_const(clientConnections))
            QObject::disconnect(c);
        clientConnections.clear();
        client = next;
        if (!client)
            return;
        setSelf(client->userId());
        // Connected (again): anything in flight was lost; ask now, once the client's rooms
        // (told of ready() too, maybe after us) have sent their heartbeats: the server answers
        // in order, so the first page has the user in the rooms opened with this panel.
        clientConnections << QObject::connect(client, &Client::ready, q, [this] {
            ++generation; // pages of an asking cut short (a transport replaced drops them)
            inFlight = false;
            incoming.clear();
            QMetaObject::invokeMethod(q, &OnlineUsers::refresh, Qt::QueuedConnection);
        });
        clientConnections << QObject::connect(client, &Client::userIdChanged, q, [this] { setSelf(client->userId()); });
    }

    void update()
    {
        if (active) {
            timer.start();
            q->refresh();
        } else {
            timer.stop();
            clear();
        }
    }
};

OnlineUsers::OnlineUsers(QObject *parent)
    : QAbstractListModel(parent)
    , d(std::make_unique<OnlineUsersPrivate>(this))
{
    d->timer.setInterval(10'000);
    connect(&d->timer, &QTimer::timeout, this, &OnlineUsers::refresh);
    d->attach(Client::defaultClient());
    QMetaObject::invokeMethod(
        this, [this] { d->update(); }, Qt::QueuedConnection);
}

OnlineUsers::~OnlineUsers() = default;

int OnlineUsers::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(d->rows.size());
}

QVariant OnlineUsers::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const OnlineUser &user = d->rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayName(user);
    case UserIdRole:
        return user.userId;
    case NameRole:
        return user.name;
    case ImageRole:
        return user.image;
    case OnlineRole:
        return true;
    case LastDisconnectedRole:
        return QDateTime();
    case InitialsRole:
        return MembersModel::initialsFor(user.name, user.userId);
    case ColorRole:
        return MembersModel::colorFor(user.userId);
    case IsSelfRole:
        return !d->self.isEmpty() && user.userId == d->self;
    case AwayRole:
        return user.away;
    case RoomsRole:
        return user.rooms;
    }
    return {};
}

QHash<int, QByteArray> OnlineUsers::roleNames() const
{
    return {{UserIdRole, "userId"}, {NameRole, "name"}, {ImageRole, "image"}, {OnlineRole, "online"},
        {LastDisconnectedRole, "lastDisconnected"}, {InitialsRole, "initials"}, {ColorRole, "color"},
        {IsSelfRole, "isSelf"}, {AwayRole, "away"}, {RoomsRole, "rooms"}, {Qt::DisplayRole, "display"}};
}

QVariantMap OnlineUsers::get(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    QVariantMap map;
    const QModelIndex i = index(row);
    const QHash<int, QByteArray> names = roleNames();
    for (auto it = names.cbegin(); it != names.cend(); ++it) {
        if (it.key() != Qt::DisplayRole)
            map.insert(QString::fromLatin1(it.value()), data(i, it.key()));
    }
    return map;
}

Client *OnlineUsers::client() const
{
    return d->client;
}

void OnlineUsers::setClient(Client *client)
{
    if (!client)
        client = Client::defaultClient();
    if (d->client == client)
        return;
    d->clear();
    d->attach(client);
    Q_EMIT clientChanged();
    d->update();
}

bool OnlineUsers::isActive() const
{
    return d->active;
}

void OnlineUsers::setActive(bool active)
{
    if (d->active == active)
        return;
    d->active = active;
    Q_EMIT activeChanged();
    d->update();
}

int OnlineUsers::refreshInterval() const
{
    return d->timer.interval();
}

void OnlineUsers::setRefreshInterval(int ms)
{
    ms = std::max(1'000, ms);
    if (d->timer.interval() == ms)
        return;
    d->timer.setInterval(ms);
    Q_EMIT refreshIntervalChanged();
}

int OnlineUsers::maxUsers() const
{
    return d->maxUsers;
}

void OnlineUsers::setMaxUsers(int count)
{
    count = std::max(1, count);
    if (d->maxUsers == count)
        return;
    d->maxUsers = count;
    Q_EMIT maxUsersChanged();
    refresh();
}

bool OnlineUsers::isLoaded() const
{
    return d->loaded;
}

QString OnlineUsers::errorCode() const
{
    return d->error.code;
}

QString OnlineUsers::errorString() const
{
    return d->error.message;
}

void OnlineUsers::refresh()
{
    Transport *t = d->transport();
    if (!d->active || d->inFlight || !t || t->state() != Transport::Connected)
        return; // not connected yet: ready() brings us back
    d->inFlight = true;
    d->fetch(QString());
}

} // namespace Presence
