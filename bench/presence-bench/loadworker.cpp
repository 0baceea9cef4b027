#include "loadworker.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QWebSocket>

#include <time.h>

#include <algorithm>
#include <cstdio>

namespace Presence::Bench {

namespace {

// CLOCK_MONOTONIC in ms: the same clock in every process, so the coordinator can compare.
qint64 monotonicMs()
{
    timespec now {};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return qint64(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
}

// A WebSocket frame's header, from the server (unmasked) or to it (4 more bytes of mask).
quint64 frameBytes(qsizetype payload, bool fromClient)
{
    const quint64 header = payload < 126 ? 2 : payload < 65536 ? 4 : 10;
    return quint64(payload) + header + (fromClient ? 4 : 0);
}

QJsonObject percentiles(std::vector<qint64> samples)
{
    std::sort(samples.begin(), samples.end());
    auto at = [&](double p) {
        return samples.empty() ? 0 : samples[std::min(samples.size() - 1, size_t(p * double(samples.size())))];
    };
    return {{QStringLiteral("count"), qint64(samples.size())}, {QStringLiteral("p50"), at(0.50)},
        {QStringLiteral("p99"), at(0.99)}, {QStringLiteral("max"), samples.empty() ? 0 : samples.back()}};
}

} // namespace

LoadWorker::LoadWorker(const WorkerOptions &options, std::unique_ptr<BenchProtocol> protocol, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_protocol(std::move(protocol))
{
    m_clock.start();
    m_clients.resize(size_t(options.clients));
    for (int i = 0; i < options.clients; ++i) {
        BenchClient &c = m_clients[size_t(i)];
        c.index = options.first + i;
        c.userId = QStringLiteral("user-%1").arg(c.index);
        const int roomNumber = c.index / options.roomSize;
        c.roomId = QStringLiteral("room-%1").arg(roomNumber);
        c.room = roomNumber - options.first / options.roomSize;
        if (size_t(c.room) >= m_rooms.size())
            m_rooms.resize(size_t(c.room) + 1);
        Room &room = m_rooms[size_t(c.room)];
        room.members.push_back(i);
        if (room.watcher < 0) {
            room.watcher = i;
            c.watcher = true;
        }
        // On a cluster a room's watcher is on one node and its members on the others, so that
        // every join it sees crossed from one node to another.
        const int nodes = int(options.urls.size());
        if (nodes > 1)
            c.node = c.watcher ? roomNumber % nodes : (roomNumber + 1 + c.index % (nodes - 1)) % nodes;
    }

    m_ticker.setInterval(20);
    connect(&m_ticker, &QTimer::timeout, this, &LoadWorker::tick);
    m_phaseEnd.setSingleShot(true);
    connect(&m_churn, &QTimer::timeout, this, &LoadWorker::churnOne);
    m_stormCheck.setInterval(50);
    connect(&m_stormCheck, &QTimer::timeout, this, &LoadWorker::checkStorm);
}

LoadWorker::~LoadWorker()
{
    m_quitting = true;
    for (BenchClient &c : m_clients)
        delete c.socket;
}

void LoadWorker::command(const QByteArray &line)
{
    const QList<QByteArray> words = line.trimmed().split(' ');
    const QByteArray verb = words.value(0);
    if (verb == "connect") {
        m_connectPhase = true;
        m_connectStart = monotonicMs();
        openMore();
        m_ticker.start();
    } else if (verb == "steady") {
        m_bytesIn = m_bytesOut = m_messagesIn = m_renewals = m_errors = 0;
        m_roundTrips.clear();
        m_counting = true;
        m_phaseStart = nanos();
        m_phaseEnd.disconnect();
        connect(&m_phaseEnd, &QTimer::timeout, this, &LoadWorker::finishSteady);
        m_phaseEnd.start(int(words.value(1).toDouble() * 1000));
    } else if (verb == "churn") {
        m_joinLatency.clear();
        m_leaveLatency.clear();
        m_pendingJoin.clear();
        m_pendingLeave.clear();
        m_churned = 0;
        const double rate = words.value(2).toDouble();
        m_churn.start(std::max(1, int(1000 / std::max(rate, 0.001))));
        m_phaseEnd.disconnect();
        connect(&m_phaseEnd, &QTimer::timeout, this, [this] {
            m_churn.stop();
            // Let the last joins land before counting what never arrived.
            QTimer::singleShot(3000, this, &LoadWorker::finishChurn);
        });
        m_phaseEnd.start(int(words.value(1).toDouble() * 1000));
    } else if (verb == "storm") {
        m_stormArmed = true;
        m_flaps = 0;
        for (BenchClient &c : m_clients) {
            c.reconnects = 0;
            c.droppedInStorm = false;
        }
        m_stormDeadline = monotonicMs() + qint64(words.value(1).toDouble() * 1000);
        m_stormCheck.start();
        report({{QStringLiteral("event"), QStringLiteral("armed")}});
    } else if (verb == "quit") {
        m_quitting = true;
        m_ticker.stop();
        for (BenchClient &c : m_clients) {
            if (c.socket)
                c.socket->abort();
        }
        Q_EMIT finished();
    } else if (!verb.isEmpty()) {
        std::fprintf(stderr, "presence-bench: unknown command %s\n", verb.constData());
    }
}

void LoadWorker::openMore()
{
    while (m_connecting < m_options.maxConnecting && m_nextToOpen < int(m_clients.size()))
        open(m_clients[size_t(m_nextToOpen++)]);
}

void LoadWorker::open(BenchClient &c)
{
    if (!c.socket) {
        c.socket = new QWebSocket;
        c.socket->setParent(this);
        BenchClient *self = &c;
        connect(c.socket, &QWebSocket::connected, this, [this, self] { onConnected(*self); });
        connect(c.socket, &QWebSocket::disconnected, this, [this, self] { onDisconnected(*self); });
        connect(c.socket, &QWebSocket::textMessageReceived, this,
            [this, self](const QString &text) { onMessage(*self, text.toUtf8()); });
        connect(c.socket, &QWebSocket::binaryMessageReceived, this,
            [this, self](const QByteArray &data) { onMessage(*self, data); });
    }
    c.state = BenchClient::State::Connecting;
    ++m_connecting;
    c.socket->open(m_protocol->request(c, m_options.urls.at(c.node)));
}

void LoadWorker::onConnected(BenchClient &c)
{
    --m_connecting;
    c.state = BenchClient::State::Open;
    if (m_stormArmed)
        ++c.reconnects;
    m_protocol->opened(c);
    if (m_connectPhase)
        openMore();
}

void LoadWorker::onDisconnected(BenchClient &c)
{
    if (m_quitting)
        return;
    if (c.state == BenchClient::State::Connecting) {
        --m_connecting;
        ++m_refused;
    }
    if (c.state == BenchClient::State::Ready)
        --m_ready;
    if (m_stormArmed)
        c.droppedInStorm = true;
    c.state = BenchClient::State::Idle;
    m_protocol->closed(c);
    // A cluster's client tries another node, any of the others, as a load balancer would send it.
    if (const int nodes = int(m_options.urls.size()); nodes > 1)
        c.node = (c.node + 1 + int(m_random.bounded(nodes - 1))) % nodes;
    // The client library's policy: 0.5 s doubling to 30 s, ±20 % jitter.
    c.backoffMs = c.backoffMs == 0 ? 500 : std::min(c.backoffMs * 2, 30000);
    const int delay = int(c.backoffMs * (0.8 + 0.4 * m_random.generateDouble()));
    BenchClient *self = &c;
    QTimer::singleShot(delay, this, [this, self] {
        if (!m_quitting && self->state == BenchClient::State::Idle)
            open(*self);
    });
    if (m_connectPhase)
        openMore();
}

void LoadWorker::onMessage(BenchClient &c, const QByteArray &message)
{
    if (m_counting) {
        m_bytesIn += frameBytes(message.size(), false);
        ++m_messagesIn;
    }
    m_protocol->received(c, message);
}

void LoadWorker::send(BenchClient &c, const QByteArray &message, bool binary)
{
    if (!c.socket)
        return;
    if (m_counting)
        m_bytesOut += frameBytes(message.size(), true);
    if (binary)
        c.socket->sendBinaryMessage(message);
    else
        c.socket->sendTextMessage(QString::fromUtf8(message));
}

void LoadWorker::ready(BenchClient &c)
{
    if (c.state == BenchClient::State::Ready)
        return;
    c.state = BenchClient::State::Ready;
    c.backoffMs = 0;
    ++m_ready;
    if (m_connectPhase && m_ready == int(m_clients.size())) {
        m_connectPhase = false;
        report({{QStringLiteral("event"), QStringLiteral("connected")}, {QStringLiteral("start"), m_connectStart},
            {QStringLiteral("end"), monotonicMs()}, {QStringLiteral("clients"), int(m_clients.size())},
            {QStringLiteral("refused"), m_refused}});
    }
}

void LoadWorker::seen(BenchClient &watcher, const QString &userId, bool online)
{
    Room &room = m_rooms[size_t(watcher.room)];
    const bool was = room.view.contains(userId);
    if (online == was)
        return;
    if (online) {
        room.view.insert(userId);
        if (const auto it = m_pendingJoin.constFind(userId); it != m_pendingJoin.cend()) {
            m_joinLatency.push_back((nanos() - it.value()) / 1000);
            m_pendingJoin.erase(it);
        }
    } else {
        room.view.remove(userId);
        if (const auto it = m_pendingLeave.constFind(userId); it != m_pendingLeave.cend()) {
            m_leaveLatency.push_back((nanos() - it.value()) / 1000);
            m_pendingLeave.erase(it);
        } else if (m_stormArmed && userId != watcher.userId) {
            ++m_flaps; // someone who never left was shown as gone
        }
    }
}

void LoadWorker::replaced(BenchClient &watcher, const QSet<QString> &online)
{
    const QSet<QString> before = m_rooms[size_t(watcher.room)].view;
    for (const QString &userId : before) {
        if (!online.contains(userId))
            seen(watcher, userId, false);
    }
    for (const QString &userId : online)
        seen(watcher, userId, true);
}

void LoadWorker::renewed(BenchClient &c)
{
    if (m_counting && c.renewSentAt > 0)
        m_roundTrips.push_back((nanos() - c.renewSentAt) / 1000);
    c.renewSentAt = 0;
}

void LoadWorker::failed(BenchClient &, const QByteArray &message)
{
    if (++m_errors <= 5)
        std::fprintf(stderr, "presence-bench: error from the server: %s\n", message.left(200).constData());
}

void LoadWorker::tick()
{
    // interval / 20 ms ticks per round: renew clients/ticks each tick, carrying the fraction.
    m_renewCredit += double(m_clients.size()) * m_ticker.interval() / m_options.interval;
    while (m_renewCredit >= 1) {
        m_renewCredit -= 1;
        BenchClient &c = m_clients[m_cursor];
        m_cursor = (m_cursor + 1) % m_clients.size();
        if (c.state != BenchClient::State::Ready || !c.member)
            continue;
        const qint64 now = nanos();
        if (m_protocol->renew(c)) {
            c.renewSentAt = now;
            if (m_counting)
                ++m_renewals;
        }
    }
}

void LoadWorker::finishSteady()
{
    m_counting = false;
    const double seconds = double(nanos() - m_phaseStart) / 1e9;
    QJsonObject result {{QStringLiteral("event"), QStringLiteral("steady")}, {QStringLiteral("seconds"), seconds},
        {QStringLiteral("clients"), int(m_clients.size())}, {QStringLiteral("ready"), m_ready},
        {QStringLiteral("renewals"), qint64(m_renewals)}, {QStringLiteral("bytesIn"), qint64(m_bytesIn)},
        {QStringLiteral("bytesOut"), qint64(m_bytesOut)}, {QStringLiteral("messagesIn"), qint64(m_messagesIn)},
        {QStringLiteral("errors"), qint64(m_errors)}};
    if (!m_roundTrips.empty())
        result.insert(QStringLiteral("roundTrip"), percentiles(m_roundTrips));
    report(result);
}

void LoadWorker::churnOne()
{
    // A user closes the document and opens it again a second later.
    for (int attempt = 0; attempt < 20; ++attempt) {
        BenchClient &c = m_clients[size_t(m_random.bounded(int(m_clients.size())))];
        if (c.watcher || !c.member || c.state != BenchClient::State::Ready || m_pendingJoin.contains(c.userId))
            continue;
        ++m_churned;
        c.member = false;
        m_pendingLeave.insert(c.userId, nanos());
        m_protocol->leave(c);
        BenchClient *self = &c;
        QTimer::singleShot(1000, this, [this, self] {
            self->member = true;
            m_pendingLeave.remove(self->userId); // a leave not seen by now is counted below
            m_pendingJoin.insert(self->userId, nanos());
            if (self->state == BenchClient::State::Ready)
                m_protocol->join(*self);
        });
        return;
    }
}

void LoadWorker::finishChurn()
{
    report({{QStringLiteral("event"), QStringLiteral("churn")}, {QStringLiteral("churned"), m_churned},
        {QStringLiteral("join"), percentiles(m_joinLatency)}, {QStringLiteral("leave"), percentiles(m_leaveLatency)},
        {QStringLiteral("joinsNotSeen"), int(m_pendingJoin.size())},
        {QStringLiteral("leavesNotSeen"), m_churned - int(m_leaveLatency.size())}});
    m_pendingJoin.clear();
}

void LoadWorker::checkStorm()
{
    const qint64 now = monotonicMs();
    bool done = true;
    // One server restarting drops every client; a cluster's node dying, only its own. Done once
    // every client that was dropped is back (and, for one server, every client was).
    const bool cluster = m_options.urls.size() > 1;
    int dropped = 0;
    for (const BenchClient &c : m_clients) {
        dropped += c.droppedInStorm;
        const bool mustReconnect = cluster ? c.droppedInStorm : true;
        if ((mustReconnect && c.reconnects == 0) || c.state != BenchClient::State::Ready) {
            done = false;
            break;
        }
    }
    if (dropped == 0)
        done = false;
    for (size_t r = 0; done && r < m_rooms.size(); ++r) {
        const Room &room = m_rooms[r];
        for (int i : room.members) {
            if (i != room.watcher && !room.view.contains(m_clients[size_t(i)].userId)) {
                done = false;
                break;
            }
        }
    }
    if (!done && now < m_stormDeadline)
        return;
    m_stormCheck.stop();
    m_stormArmed = false;
    int reconnected = 0;
    for (const BenchClient &c : m_clients)
        reconnected += c.reconnects > 0 && c.state == BenchClient::State::Ready;
    report({{QStringLiteral("event"), QStringLiteral("storm")}, {QStringLiteral("complete"), done},
        {QStringLiteral("doneAt"), now}, {QStringLiteral("flaps"), m_flaps},
        {QStringLiteral("reconnected"), reconnected}, {QStringLiteral("clients"), int(m_clients.size())}});
}

void LoadWorker::report(const QJsonObject &object)
{
    std::printf("%s\n", QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

} // namespace Presence::Bench
