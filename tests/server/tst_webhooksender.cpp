// WebhookSender against a real HTTP receiver on loopback: signed batches in order, retries
// with backoff while the receiver is down, and the bounds on what waits.
#include "metrics.h"
#include "webhookreceiver.h"
#include "webhooksender.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QSignalSpy>
#include <QTest>

using namespace Presence;

namespace {

const QByteArray Secret = QByteArrayLiteral("webhook-secret-of-the-tests");

QList<MemberEvent> events(int count, int from = 0)
{
    QList<MemberEvent> list;
    for (int i = from; i < from + count; ++i) {
        list.append({i % 2 ? MemberEvent::Left : MemberEvent::Joined, QStringLiteral("org_a"),
            QStringLiteral("doc-%1").arg(i % 3), QStringLiteral("user_%1").arg(i), 1'700'000'000'000 + i});
    }
    return list;
}

// The userIds of every event the receiver accepted (answered 2xx), in order.
QStringList accepted(const WebhookReceiver &receiver, const QList<int> &statuses)
{
    QStringList ids;
    for (qsizetype i = 0; i < receiver.requests.size(); ++i) {
        if (statuses.value(i, 200) / 100 != 2)
            continue;
        const QJsonArray list
            = QJsonDocument::fromJson(receiver.requests.at(i).body).object().value(QLatin1String("events")).toArray();
        for (const QJsonValue &e : list)
            ids << e.toObject().value(QLatin1String("userId")).toString();
    }
    return ids;
}

QStringList userIds(const QList<MemberEvent> &list)
{
    QStringList ids;
    for (const MemberEvent &e : list)
        ids << e.userId;
    return ids;
}

} // namespace

class WebhookSenderTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void batchesAreSignedAndInOrder()
    {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        Metrics metrics;
        WebhookSender sender(QUrl(QString::fromLatin1(receiver.url())), Secret, 60'000, 10'000, &metrics);
        sender.enqueue(events(250));
        QTRY_COMPARE_WITH_TIMEOUT(metrics.webhookDelivered, 250u, 5000);
        QCOMPARE(receiver.requests.size(), 3); // 100, 100, 50
        QCOMPARE(accepted(receiver, {}), userIds(events(250)));

        const WebhookReceiver::Request &first = receiver.requests.constFirst();
        QCOMPARE(first.method, QByteArray("POST"));
        QCOMPARE(first.path, QByteArray("/hook"));
        QCOMPARE(first.headers.value("content-type"), QByteArray("application/json"));
        // Presence-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">, checked as a receiver would.
        const QList<QByteArray> parts = first.headers.value("presence-signature").split(',');
        QCOMPARE(parts.size(), 2);
        QVERIFY(parts.at(0).startsWith("t=") && parts.at(1).startsWith("v1="));
        const QByteArray t = parts.at(0).mid(2);
        QVERIFY(qAbs(t.toLongLong() - QDateTime::currentSecsSinceEpoch()) < 60);
        const QByteArray expected
            = QMessageAuthenticationCode::hash(t + '.' + first.body, Secret, QCryptographicHash::Sha256).toHex();
        QCOMPARE(parts.at(1).mid(3), expected);
        QVERIFY(QMessageAuthenticationCode::hash(t + '.' + first.body + ' ', Secret, QCryptographicHash::Sha256).toHex()
            != expected);

        const QJsonObject event
            = QJsonDocument::fromJson(first.body).object().value(QLatin1String("events")).toArray().at(1).toObject();
        QCOMPARE(event.value(QLatin1String("type")).toString(), QStringLiteral("member.left"));
        QCOMPARE(event.value(QLatin1String("org")).toString(), QStringLiteral("org_a"));
        QCOMPARE(event.value(QLatin1String("roomId")).toString(), QStringLiteral("doc-1"));
        QCOMPARE(event.value(QLatin1String("at")).toInteger(), 1'700'000'000'001);
        QCOMPARE(metrics.webhookRequests, 3u);
        QCOMPARE(metrics.webhookQueue, 0u);
    }

    void aReceiverThatFailsIsRetriedWithBackoffInOrder()
    {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        QList<int> statuses {503, 500};
        int answered = 0;
        Metrics metrics;
        WebhookSender sender(QUrl(QString::fromLatin1(receiver.url())), Secret, 60'000, 10'000, &metrics);
        QSignalSpy retries(&sender, &WebhookSender::retryScheduled);
        QList<qsizetype> retriesBefore; // how many retries were scheduled when each request arrived
        receiver.answer = [&](const WebhookReceiver::Request &) {
            retriesBefore << retries.size();
            return statuses.value(answered++, 200);
        };
        sender.enqueue(events(3));
        QTest::qWait(50);
        sender.enqueue(events(2, 3)); // while the first batch is failing: it waits behind it
        QTRY_COMPARE_WITH_TIMEOUT(metrics.webhookDelivered, 5u, 10000);
        // Backing off: the delays the sender chose, 1 s then 2 s (how long they take under load
        // is not a unit test's business).
        QCOMPARE(retries.size(), 2);
        QCOMPARE(retries.at(0), (QVariantList {1, 1000}));
        QCOMPARE(retries.at(1), (QVariantList {2, 2000}));
        // Each retry only after the failure before it was answered and its retry scheduled; the
        // second batch after the first.
        QCOMPARE(retriesBefore, (QList<qsizetype> {0, 1, 2, 2}));
        QCOMPARE(metrics.webhookFailures, 2u);
        QCOMPARE(accepted(receiver, statuses), userIds(events(5)));
        // The same batch each time: a retry is the same body, signed anew.
        QCOMPARE(receiver.requests.at(0).body, receiver.requests.at(2).body);
    }

    void aReceiverThatIsDownAndComesBackGetsEverything()
    {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        const quint16 port = receiver.port();
        receiver.down(); // refused
        Metrics metrics;
        WebhookSender sender(QUrl(QString::fromLatin1(receiver.url())), Secret, 60'000, 10'000, &metrics);
        sender.enqueue(events(4));
        QTRY_VERIFY_WITH_TIMEOUT(metrics.webhookFailures >= 2, 5000);
        QCOMPARE(sender.pending(), 4);
        QCOMPARE(metrics.webhookQueue, 4u);
        QVERIFY(receiver.listen(port));
        QTRY_COMPARE_WITH_TIMEOUT(metrics.webhookDelivered, 4u, 10000);
        QCOMPARE(accepted(receiver, {}), userIds(events(4)));
    }

    void aBatchIsDroppedAfterTheRetryTimeAndCounted()
    {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        bool failing = true;
        receiver.answer = [&](const WebhookReceiver::Request &) { return failing ? 500 : 204; };
        Metrics metrics;
        WebhookSender sender(QUrl(QString::fromLatin1(receiver.url())), Secret, 1'500, 10'000, &metrics);
        sender.enqueue(events(3));
        QTRY_COMPARE_WITH_TIMEOUT(metrics.webhookDropped.value("expired"), 3u, 5000);
        failing = false;
        sender.enqueue(events(1, 10)); // what comes after is delivered
        QTRY_COMPARE_WITH_TIMEOUT(metrics.webhookDelivered, 1u, 5000);
        QCOMPARE(sender.pending(), 0);
    }

    void whatWaitsIsBoundedAndTheOldestGo()
    {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        const quint16 port = receiver.port();
        receiver.down();
        Metrics metrics;
        WebhookSender sender(QUrl(QString::fromLatin1(receiver.url())), Secret, 60'000, 10, &metrics);
        sender.enqueue(events(1)); // becomes the batch in flight
        QTest::qWait(100);
        sender.enqueue(events(25, 1));
        QCOMPARE(metrics.webhookDropped.value("queue_full"), 15u);
        QCOMPARE(sender.pending(), 11); // the batch and ten waiting
        QVERIFY(receiver.listen(port));
        QTRY_COMPARE_WITH_TIMEOUT(metrics.webhookDelivered, 11u, 10000);
        QStringList expected = userIds(events(1));
        expected += userIds(events(10, 16)); // the newest ten
        QCOMPARE(accepted(receiver, {}), expected);
    }
};

QTEST_GUILESS_MAIN(WebhookSenderTest)
#include "tst_webhooksender.moc"
