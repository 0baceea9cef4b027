// PendingRequests: each answer reaches its waiter once, and only while the waiter lives.
#include "pendingrequests_p.h"

#include <QTest>

using namespace Presence;

class PendingRequestsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void anAnswerReachesItsWaiterOnce()
    {
        PendingRequests pending;
        QObject context;
        QList<int> answers;
        pending.add(
            1, &context, [&](const Result<QJsonValue> &r) { answers.append(r.value().toInt()); }, 0);
        QVERIFY(pending.contains(1));
        pending.answer(1, QJsonValue(7));
        pending.answer(1, QJsonValue(8));
        QCOMPARE(answers, QList<int>({7}));
        QVERIFY(pending.isEmpty());
    }

    void aWaiterThatIsGoneHearsNothing()
    {
        PendingRequests pending;
        bool called = false;
        {
            QObject context;
            pending.add(
                1, &context, [&](const Result<QJsonValue> &) { called = true; }, 0);
        }
        pending.answer(1, QJsonValue(1));
        QVERIFY(!called);
    }

    void anErrorWithoutAnIdAnswersTheOldestRequest()
    {
        PendingRequests pending;
        QObject context;
        QStringList order;
        for (const qint64 id : {5, 3, 9}) {
            pending.add(
                id, &context,
                [&order, id](const Result<QJsonValue> &r) {
                    order.append(QStringLiteral("%1:%2").arg(id).arg(r ? QStringLiteral("ok") : r.error().codeName()));
                },
                0);
        }
        QVERIFY(pending.answerOldest(Error(Error::RateLimited, QStringLiteral("slow"))));
        QCOMPARE(order, QStringList({QStringLiteral("3:rate_limited")}));
        pending.failAll(Error(Error::Internal, QStringLiteral("connection lost")));
        QCOMPARE(order.size(), 3);
        QVERIFY(order.contains(QStringLiteral("5:internal")));
        QVERIFY(order.contains(QStringLiteral("9:internal")));
        QVERIFY(!pending.answerOldest(Error(Error::RateLimited, QStringLiteral("slow"))));
    }

    void theOldestAgeIsTheLongestWait()
    {
        PendingRequests pending;
        QObject context;
        QCOMPARE(pending.oldestAge(1000), 0);
        pending.add(
            1, &context, [](const Result<QJsonValue> &) {}, 400);
        pending.add(
            2, &context, [](const Result<QJsonValue> &) {}, 900);
        QCOMPARE(pending.oldestAge(1000), 600);
        pending.answer(1, QJsonValue());
        QCOMPARE(pending.oldestAge(1000), 100);
    }
};

QTEST_GUILESS_MAIN(PendingRequestsTest)
#include "tst_pendingrequests.moc"
