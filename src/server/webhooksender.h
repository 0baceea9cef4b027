#pragma once

#include "memberevent.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <deque>

namespace Presence {

class Metrics;

/// Posts member events to the operator's webhook URL: batches of up to MaxBatch events as
/// `{"events":[{type, org, roomId, userId, at}…]}`, signed `Presence-Signature: t=<unix>,
/// v1=<hex HMAC-SHA256 of "t.body">`. One request at a time, so events arrive in the order
/// they happened (in each room, and overall). A batch that fails (no answer within 10 s, or
/// not 2xx) is sent again after 1, 2, 4... s (at most a minute apart) until it is `retryMs`
/// old; then it is dropped. While the receiver is away events wait in a queue of at most
/// `maxQueue`; beyond it the oldest are dropped. Everything dropped is counted in the metrics.
class WebhookSender : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxBatch = 100;
    static constexpr int RequestTimeoutMs = 10'000;
    static constexpr int MaxBackoffMs = 60'000;

    WebhookSender(const QUrl &url, const QByteArray &secret, int retryMs, int maxQueue, Metrics *metrics,
        QObject *parent = nullptr);

    /// Queues events to be posted, in order.
    void enqueue(const QList<Presence::MemberEvent> &events);
    /// Events waiting, the batch in flight included.
    int pending() const { return int(m_queue.size() + m_batch.size()); }

    /// The signature header's value for `body` at `unixTime`, as a receiver checks it.
    static QByteArray signature(const QByteArray &secret, qint64 unixTime, const QByteArray &body);
    /// The request body for `events`.
    static QByteArray body(const QList<MemberEvent> &events);

Q_SIGNALS:
    /// A batch was accepted by the receiver (for tests and logs).
    void delivered(int events);
    /// A failed batch goes again after `delayMs`; `attempt` is how many tries it has had.
    void retryScheduled(int attempt, int delayMs);
    /// The events up to and including this MemberEvent::id were delivered or given up on: an
    /// outbox may let them go. (Those dropped from a full queue are let go with the next batch
    /// handled after them, so nothing in flight is let go early.)
    void handled(qint64 upToId);

private:
    void sendNext();
    void post();
    void failed(const QString &why);
    void updateGauge();

    QUrl m_url;
    QByteArray m_secret;
    int m_retryMs;
    int m_maxQueue;
    Metrics *m_metrics;
    QNetworkAccessManager m_network;
    std::deque<MemberEvent> m_queue;
    QList<MemberEvent> m_batch; // in flight or waiting to be sent again
    QByteArray m_body;
    int m_attempt = 0;
    QElapsedTimer m_batchAge; // since the batch's first attempt
    QTimer m_retry;
    bool m_inFlight = false;
    bool m_scheduled = false;
};

} // namespace Presence
