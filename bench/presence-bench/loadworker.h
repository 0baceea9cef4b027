// Drives one process's share of a benchmark: its clients, their rooms and watchers, and the
// phases the coordinator (scripts/bench) asks for on stdin. Results are JSON lines on stdout.
#pragma once

#include "benchclient.h"
#include "benchprotocol.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QRandomGenerator>
#include <QSet>
#include <QTimer>

#include <memory>
#include <vector>

namespace Presence::Bench {

struct WorkerOptions
{
    QList<QUrl> urls; // one server, or the nodes of a cluster
    int first = 0; // global index of this worker's first client
    int clients = 0;
    int roomSize = 10;
    int interval = 10000;
    int maxConnecting = 256;
};

class LoadWorker : public QObject, public BenchEvents
{
    Q_OBJECT

public:
    LoadWorker(const WorkerOptions &options, std::unique_ptr<BenchProtocol> protocol, QObject *parent = nullptr);
    ~LoadWorker() override;

    // One command from the coordinator: connect | steady S | churn S RATE | storm S | quit.
    void command(const QByteArray &line);

    void send(BenchClient &client, const QByteArray &message, bool binary) override;
    void ready(BenchClient &client) override;
    void seen(BenchClient &watcher, const QString &userId, bool online) override;
    void replaced(BenchClient &watcher, const QSet<QString> &online) override;
    void renewed(BenchClient &client) override;
    void failed(BenchClient &client, const QByteArray &message) override;

Q_SIGNALS:
    void finished();

private:
    struct Room
    {
        std::vector<int> members; // indexes into m_clients
        int watcher = -1;
        QSet<QString> view; // who the watcher sees online
    };

    void openMore();
    void open(BenchClient &client);
    void onConnected(BenchClient &client);
    void onDisconnected(BenchClient &client);
    void onMessage(BenchClient &client, const QByteArray &message);
    void tick();
    void churnOne();
    void checkStorm();
    void report(const QJsonObject &object);
    void finishSteady();
    void finishChurn();
    qint64 nanos() const { return m_clock.nsecsElapsed(); }

    WorkerOptions m_options;
    std::unique_ptr<BenchProtocol> m_protocol;
    std::vector<BenchClient> m_clients;
    std::vector<Room> m_rooms;
    QElapsedTimer m_clock;
    QRandomGenerator m_random {20261127};
    bool m_quitting = false;

    // connect
    int m_nextToOpen = 0;
    int m_connecting = 0;
    int m_ready = 0;
    int m_refused = 0;
    bool m_connectPhase = false;
    qint64 m_connectStart = 0;

    // renewals, spread evenly over the interval
    QTimer m_ticker;
    double m_renewCredit = 0;
    size_t m_cursor = 0;

    // measurement
    bool m_counting = false;
    quint64 m_bytesIn = 0;
    quint64 m_bytesOut = 0;
    quint64 m_messagesIn = 0;
    quint64 m_renewals = 0;
    quint64 m_errors = 0;
    std::vector<qint64> m_roundTrips; // µs
    QTimer m_phaseEnd;
    qint64 m_phaseStart = 0;

    // churn
    QTimer m_churn;
    QHash<QString, qint64> m_pendingJoin; // user → ns when the join was sent
    QHash<QString, qint64> m_pendingLeave;
    std::vector<qint64> m_joinLatency; // µs
    std::vector<qint64> m_leaveLatency;
    int m_churned = 0;

    // storm
    bool m_stormArmed = false;
    int m_flaps = 0;
    QTimer m_stormCheck;
    qint64 m_stormDeadline = 0;
};

} // namespace Presence::Bench
