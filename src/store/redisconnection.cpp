#include "redisconnection.h"

#include "redisreplyreader.h"

#include <QElapsedTimer>
#include <QLocalSocket>
#include <QLoggingCategory>
#include <QPointer>
#include <QRandomGenerator>
#include <QSet>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

#include <hiredis/hiredis.h>

#include <deque>
#include <memory>

Q_LOGGING_CATEGORY(lcRedis, "presence.redis", QtInfoMsg)

namespace Presence {

namespace {
constexpr int FirstBackoffMs = 50;
constexpr int MaxBackoffMs = 2000;

QByteArray format(const QList<QByteArray> &arguments)
{
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    argv.reserve(size_t(arguments.size()));
    lengths.reserve(size_t(arguments.size()));
    for (const QByteArray &argument : arguments) {
        argv.push_back(argument.constData());
        lengths.push_back(size_t(argument.size()));
    }
    char *formatted = nullptr;
    const int length = redisFormatCommandArgv(&formatted, int(argv.size()), argv.data(), lengths.data());
    if (length < 0)
        return {};
    QByteArray command(formatted, length);
    redisFreeCommand(formatted);
    return command;
}
} // namespace

class RedisConnectionPrivate
{
public:
    struct Pending
    {
        QPointer<const QObject> context;
        RedisConnection::Callback callback;
        qint64 sentAt = 0;
        bool internal = false; // AUTH / SELECT / (UN)SUBSCRIBE: no caller waits
    };

    RedisConnection *q;
    RedisAddress address;
    QIODevice *device = nullptr;
    std::unique_ptr<RedisReplyReader> reader;
    bool ready = false; // connected; AUTH and SELECT are ahead of anything sent from now on
    bool subscriber = false; // subscribe() was called: replies may be what channels bring
    bool opened = false;
    int timeout = 2000;
    int maxPending = 100'000;
    int backoff = FirstBackoffMs;
    std::deque<Pending> pending;
    QSet<QByteArray> channels;
    QElapsedTimer clock;
    QTimer watchdog;
    QTimer reconnect;
    qint64 connectingSince = -1;
    qint64 lastReplyAt = 0;
    qint64 lastPingAt = 0;
    RedisConnection::Stats stats;

    explicit RedisConnectionPrivate(RedisConnection *owner)
        : q(owner)
    {
        clock.start();
    }

    void connectNow();
    void onConnected();
    void onReadyRead();
    void drop(const QString &why, bool timedOut = false);
    void write(const QList<QByteArray> &arguments, Pending entry);
    void failLater(const QObject *context, RedisConnection::Callback callback, const QByteArray &why);
    void check();
};

RedisConnection::RedisConnection(const RedisAddress &address, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<RedisConnectionPrivate>(this))
{
    d->address = address;
    d->reconnect.setSingleShot(true);
    connect(&d->reconnect, &QTimer::timeout, this, [this] { d->connectNow(); });
    connect(&d->watchdog, &QTimer::timeout, this, [this] { d->check(); });
}

RedisConnection::~RedisConnection()
{
    d->pending.clear(); // no callbacks from a destructor
    if (d->device) {
        d->device->disconnect(this);
        delete d->device;
    }
}

const RedisAddress &RedisConnection::address() const
{
    return d->address;
}

void RedisConnection::open()
{
    if (std::exchange(d->opened, true))
        return;
    d->watchdog.start(std::max(50, d->timeout / 4));
    d->connectNow();
}

bool RedisConnection::isReady() const
{
    return d->ready;
}

void RedisConnection::setTimeout(int ms)
{
    d->timeout = std::max(10, ms);
    if (d->watchdog.isActive())
        d->watchdog.start(std::max(10, d->timeout / 4));
}

int RedisConnection::timeout() const
{
    return d->timeout;
}

void RedisConnection::setMaxPending(int count)
{
    d->maxPending = std::max(1, count);
}

RedisConnection::Stats RedisConnection::stats() const
{
    return d->stats;
}

void RedisConnectionPrivate::connectNow()
{
    if (device) {
        device->disconnect(q);
        device->deleteLater();
        device = nullptr;
    }
    reader = std::make_unique<RedisReplyReader>();
    connectingSince = clock.elapsed();
    if (address.kind == RedisAddress::Unix) {
        auto *socket = new QLocalSocket(q);
        device = socket;
        QObject::connect(socket, &QLocalSocket::connected, q, [this] { onConnected(); });
        QObject::connect(
            socket, &QLocalSocket::disconnected, q, [this] { drop(QStringLiteral("the connection was closed")); });
        QObject::connect(socket, &QLocalSocket::errorOccurred, q, [this, socket] { drop(socket->errorString()); });
        QObject::connect(socket, &QIODevice::readyRead, q, [this] { onReadyRead(); });
        socket->connectToServer(address.path);
        return;
    }
    QTcpSocket *socket = nullptr;
    if (address.kind == RedisAddress::Tls) {
        auto *ssl = new QSslSocket(q);
        if (!address.caFile.isEmpty()) {
            QSslConfiguration configuration = ssl->sslConfiguration();
            configuration.setCaCertificates(QSslCertificate::fromPath(address.caFile));
            ssl->setSslConfiguration(configuration);
        }
        QObject::connect(ssl, &QSslSocket::encrypted, q, [this] { onConnected(); });
        QObject::connect(ssl, &QSslSocket::sslErrors, q, [this](const QList<QSslError> &errors) {
            drop(QStringLiteral("TLS: %1").arg(errors.value(0).errorString()));
        });
        socket = ssl;
    } else {
        socket = new QTcpSocket(q);
        QObject::connect(socket, &QTcpSocket::connected, q, [this] { onConnected(); });
    }
    device = socket;
    QObject::connect(
        socket, &QTcpSocket::disconnected, q, [this] { drop(QStringLiteral("the connection was closed")); });
    QObject::connect(socket, &QTcpSocket::errorOccurred, q, [this, socket] { drop(socket->errorString()); });
    QObject::connect(socket, &QIODevice::readyRead, q, [this] { onReadyRead(); });
    if (auto *ssl = qobject_cast<QSslSocket *>(socket))
        ssl->connectToHostEncrypted(address.host, address.port);
    else
        socket->connectToHost(address.host, address.port);
}

void RedisConnectionPrivate::onConnected()
{
    if (auto *tcp = qobject_cast<QTcpSocket *>(device)) {
        tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        tcp->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    }
    connectingSince = -1;
    const auto failed = [this](const char *what) {
        return [this, what](const RedisReply &reply) {
            if (reply.type == RedisReply::Error) {
                qCWarning(lcRedis) << what << "refused by" << address.display() << ":" << reply.string;
                drop(QStringLiteral("%1 refused: %2").arg(QLatin1String(what), QString::fromUtf8(reply.string)));
            }
        };
    };
    // Pipelined ahead of everything else, so nothing runs before them.
    if (!address.password.isEmpty()) {
        QList<QByteArray> auth {"AUTH"};
        if (!address.user.isEmpty())
            auth << address.user.toUtf8();
        auth << address.password.toUtf8();
        write(auth, {nullptr, failed("AUTH"), 0, true});
    }
    if (address.database != 0)
        write({"SELECT", QByteArray::number(address.database)}, {nullptr, failed("SELECT"), 0, true});
    // Acknowledged by "ssubscribe" arrays, which take no entry of `pending`.
    for (const QByteArray &channel : std::as_const(channels))
        device->write(format({"SSUBSCRIBE", channel}));
    ready = true;
    ++stats.connects;
    qCDebug(lcRedis) << "connected to" << address.display();
    Q_EMIT q->ready();
}

void RedisConnectionPrivate::onReadyRead()
{
    const QByteArray data = device->readAll();
    reader->feed(data.constData(), data.size());
    QPointer<RedisConnection> alive(q);
    for (;;) {
        RedisReply reply;
        switch (reader->next(&reply)) {
        case RedisReplyReader::Failed:
            return drop(reader->error());
        case RedisReplyReader::NeedMore:
            return;
        case RedisReplyReader::Reply:
            break;
        }
        // Redis answers (and did not refuse AUTH or SELECT): the next loss starts the backoff
        // over. A refused password keeps backing off instead of reconnecting every 50 ms.
        if (reply.type != RedisReply::Error)
            backoff = FirstBackoffMs;
        lastReplyAt = clock.elapsed();
        // Subscriber mode: what a channel brings, the (un)subscribe acknowledgements, and the
        // refusals of a Redis Cluster node that does not serve a channel's slot.
        if (subscriber && reply.type == RedisReply::Array) {
            const QByteArray kind = !reply.elements.isEmpty() ? reply.elements.first().string : QByteArray();
            if (kind == "smessage" && reply.elements.size() == 3) {
                Q_EMIT q->message(reply.elements.at(1).string, reply.elements.at(2).string);
                if (!alive)
                    return;
                continue;
            }
            if (kind == "ssubscribe" || kind == "sunsubscribe") {
                // Acknowledgements of SSUBSCRIBE/SUNSUBSCRIBE: they were sent without an entry.
                const QByteArray channel = reply.elements.value(1).string;
                if (kind == "ssubscribe" && channels.contains(channel)) {
                    Q_EMIT q->subscribed(channel);
                } else if (kind == "sunsubscribe" && channels.remove(channel)) {
                    // Not asked for: Redis Cluster moved the channel's slot to another shard.
                    Q_EMIT q->subscriptionEnded(channel);
                }
                if (!alive)
                    return;
                continue;
            }
        }
        if (subscriber && reply.type == RedisReply::Error
            && (reply.string.startsWith("MOVED ") || reply.string.startsWith("ASK ")
                || reply.string.startsWith("CLUSTERDOWN") || reply.string.startsWith("CROSSSLOT"))) {
            Q_EMIT q->subscriptionRefused(reply.string);
            if (!alive)
                return;
            continue;
        }
        if (pending.empty())
            return drop(QStringLiteral("a reply from Redis that nothing asked for"));
        Pending entry = std::move(pending.front());
        pending.pop_front();
        if (entry.callback && (entry.internal || entry.context))
            entry.callback(reply);
        if (!alive || !device)
            return;
    }
}

void RedisConnectionPrivate::drop(const QString &why, bool timedOut)
{
    if (!device)
        return;
    const bool wasReady = ready;
    ready = false;
    connectingSince = -1;
    QIODevice *old = std::exchange(device, nullptr);
    old->disconnect(q);
    if (auto *socket = qobject_cast<QAbstractSocket *>(old))
        socket->abort();
    else if (auto *local = qobject_cast<QLocalSocket *>(old))
        local->abort();
    old->deleteLater();
    if (timedOut)
        ++stats.timeouts;
    if (wasReady)
        qCWarning(lcRedis) << "lost" << address.display() << ":" << why;
    else
        qCDebug(lcRedis) << "cannot connect to" << address.display() << ":" << why;
    // Every caller hears of it now, in order; none waits for a reconnect.
    std::deque<Pending> failed;
    failed.swap(pending);
    QPointer<RedisConnection> alive(q);
    const RedisReply unavailable = RedisReply::unavailable(why.toUtf8());
    for (Pending &entry : failed) {
        if (entry.callback && !entry.internal && entry.context) {
            ++stats.unavailable;
            entry.callback(unavailable);
            if (!alive)
                return;
        }
    }
    Q_EMIT q->lost(why);
    if (!alive)
        return;
    // Jittered, so that the nodes of a cluster do not all come back in the same millisecond.
    const int delay = backoff + int(QRandomGenerator::global()->bounded(backoff / 5 + 1));
    backoff = std::min(MaxBackoffMs, backoff * 2);
    if (!device)
        reconnect.start(delay);
}

void RedisConnectionPrivate::write(const QList<QByteArray> &arguments, Pending entry)
{
    const QByteArray formatted = format(arguments);
    entry.sentAt = clock.elapsed();
    pending.push_back(std::move(entry));
    ++stats.commands;
    device->write(formatted);
}

void RedisConnectionPrivate::failLater(
    const QObject *context, RedisConnection::Callback callback, const QByteArray &why)
{
    ++stats.unavailable;
    QPointer<const QObject> guard(context);
    QMetaObject::invokeMethod(
        q,
        [guard, callback = std::move(callback), why] {
            if (guard && callback)
                callback(RedisReply::unavailable(why));
        },
        Qt::QueuedConnection);
}

void RedisConnectionPrivate::check()
{
    const qint64 now = clock.elapsed();
    if (connectingSince >= 0 && now - connectingSince > timeout) {
        drop(QStringLiteral("no connection within %1 ms").arg(timeout), true);
        return;
    }
    if (!pending.empty() && now - pending.front().sentAt > timeout) {
        drop(QStringLiteral("Redis left a command unanswered for %1 ms").arg(timeout), true);
        return;
    }
    // A subscriber hears nothing while nothing is published: a PING now and then (answered in
    // subscriber mode too) tells a quiet connection from a dead one (a half-open TCP connection
    // would otherwise go unnoticed for hours).
    if (ready && subscriber && pending.empty() && now - std::max(lastReplyAt, lastPingAt) > 5 * timeout) {
        lastPingAt = now;
        write({"PING"}, {nullptr, {}, 0, true});
    }
}

void RedisConnection::command(const QList<QByteArray> &arguments, const QObject *context, Callback callback)
{
    if (!d->ready) {
        d->failLater(context, std::move(callback), "not connected to Redis");
        return;
    }
    if (int(d->pending.size()) >= d->maxPending) {
        d->failLater(context, std::move(callback), "too many commands waiting for Redis");
        return;
    }
    d->write(arguments, {context, std::move(callback), 0, false});
}

void RedisConnection::subscribe(const QByteArray &channel)
{
    d->subscriber = true;
    if (d->channels.contains(channel))
        return;
    d->channels.insert(channel);
    if (d->ready)
        d->device->write(format({"SSUBSCRIBE", channel}));
}

void RedisConnection::unsubscribe(const QByteArray &channel)
{
    if (!d->channels.remove(channel))
        return;
    if (d->ready)
        d->device->write(format({"SUNSUBSCRIBE", channel}));
}

} // namespace Presence
