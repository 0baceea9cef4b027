#include "webhooksender.h"

#include "metrics.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMessageAuthenticationCode>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace Presence {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

WebhookSender::WebhookSender(
    const QUrl &url, const QByteArray &secret, int retryMs, int maxQueue, Metrics *metrics, QObject *parent)
    : QObject(parent)
    , m_url(url)
    , m_secret(secret)
    , m_retryMs(retryMs)
    , m_maxQueue(maxQueue)
    , m_metrics(metrics)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &WebhookSender::post);
    // A redirect would carry the signed body to a place the operator did not name.
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

void WebhookSender::enqueue(const QList<MemberEvent> &events)
{
    for (const MemberEvent &event : events)
        m_queue.push_back(event);
    m_metrics->webhookEvents += quint64(events.size());
    if (qsizetype(m_queue.size()) > m_maxQueue) {
        // The receiver is away for long: the newest events tell the truth of now.
        const qsizetype over = qsizetype(m_queue.size()) - m_maxQueue;
        m_queue.erase(m_queue.begin(), m_queue.begin() + over);
        m_metrics->webhookDropped["queue_full"] += quint64(over);
    }
    updateGauge();
    // The events of one pass of the event loop go out together.
    if (!m_scheduled && !m_inFlight && !m_retry.isActive() && m_batch.isEmpty()) {
        m_scheduled = true;
        QMetaObject::invokeMethod(this, &WebhookSender::sendNext, Qt::QueuedConnection);
    }
}

void WebhookSender::sendNext()
{
    m_scheduled = false;
    if (m_inFlight || !m_batch.isEmpty() || m_queue.empty())
        return;
    while (!m_queue.empty() && m_batch.size() < MaxBatch) {
        m_batch.append(m_queue.front());
        m_queue.pop_front();
    }
    m_body = body(m_batch);
    m_attempt = 0;
    m_batchAge.start();
    post();
}

void WebhookSender::post()
{
    QNetworkRequest request(m_url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("presence-server"));
    request.setRawHeader("Presence-Signature", signature(m_secret, QDateTime::currentSecsSinceEpoch(), m_body));
    request.setTransferTimeout(RequestTimeoutMs);
    m_inFlight = true;
    ++m_attempt;
    ++m_metrics->webhookRequests;
    QNetworkReply *reply = m_network.post(request, m_body);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        m_inFlight = false;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError && status == 0)
            return failed(reply->errorString());
        if (status < 200 || status > 299)
            return failed(QStringLiteral("HTTP %1").arg(status));
        const int delivered = int(m_batch.size());
        const qint64 last = m_batch.constLast().id;
        m_metrics->webhookDelivered += quint64(delivered);
        m_batch.clear();
        updateGauge();
        Q_EMIT this->delivered(delivered);
        Q_EMIT handled(last);
        sendNext();
    });
}

void WebhookSender::failed(const QString &why)
{
    ++m_metrics->webhookFailures;
    if (m_batchAge.elapsed() >= m_retryMs) {
        qCWarning(lcServer) << "webhook: dropping" << m_batch.size() << "events after" << m_attempt << "attempts over"
                            << m_batchAge.elapsed() / 1000 << "s; the last:" << why;
        m_metrics->webhookDropped["expired"] += quint64(m_batch.size());
        const qint64 last = m_batch.constLast().id;
        m_batch.clear();
        updateGauge();
        Q_EMIT handled(last);
        return sendNext();
    }
    const qint64 backoff = std::min<qint64>(qint64(1000) << std::min(m_attempt - 1, 16), MaxBackoffMs);
    if (m_attempt == 1)
        qCWarning(lcServer) << "webhook:" << m_url.toDisplayString() << "failed:" << why << "- retrying with backoff";
    const int delay = int(std::min<qint64>(backoff, std::max<qint64>(0, m_retryMs - m_batchAge.elapsed())));
    m_retry.start(delay);
    Q_EMIT retryScheduled(m_attempt, delay);
}

void WebhookSender::updateGauge()
{
    m_metrics->webhookQueue = quint64(pending());
}

QByteArray WebhookSender::signature(const QByteArray &secret, qint64 unixTime, const QByteArray &body)
{
    const QByteArray t = QByteArray::number(unixTime);
    const QByteArray mac = QMessageAuthenticationCode::hash(t + '.' + body, secret, QCryptographicHash::Sha256);
    return "t=" + t + ",v1=" + mac.toHex();
}

QByteArray WebhookSender::body(const QList<MemberEvent> &events)
{
    QJsonArray list;
    for (const MemberEvent &e : events) {
        list.append(QJsonObject {{QStringLiteral("type"), MemberEvent::typeName(e.type)},
            {QStringLiteral("org"), e.organization}, {QStringLiteral("roomId"), e.roomId},
            {QStringLiteral("userId"), e.userId}, {QStringLiteral("at"), e.at}});
    }
    return QJsonDocument(QJsonObject {{QStringLiteral("events"), list}}).toJson(QJsonDocument::Compact);
}

} // namespace Presence
