// SubscriptionTable: handles, the ids the server knows them by, and what a dropped connection
// forgets.
#include "subscriptiontable_p.h"

#include <QTest>

using namespace Presence;

class SubscriptionTableTest : public QObject
{
    Q_OBJECT

    static SubscriptionTable::Entry entry(const QString &roomToken)
    {
        SubscriptionTable::Entry e;
        e.roomToken = roomToken;
        e.limit = 10;
        return e;
    }

private Q_SLOTS:
    void aSentSubscriptionIsFoundByItsServerId()
    {
        SubscriptionTable table;
        const int a = table.add(entry(QStringLiteral("ra")));
        const int b = table.add(entry(QStringLiteral("rb")));
        QVERIFY(a != b);
        table.sent(a, 41);
        QCOMPARE(table.byServerId(41)->roomToken, QStringLiteral("ra"));
        QCOMPARE(table.byServerId(42), nullptr);
        QList<int> unconfirmed = table.unconfirmed();
        std::sort(unconfirmed.begin(), unconfirmed.end());
        QCOMPARE(unconfirmed, QList<int>({std::min(a, b), std::max(a, b)}));
        table.find(a)->confirmed = true;
        QCOMPARE(table.unconfirmed(), QList<int>({b}));
    }

    void removingOneTheServerHoldsGivesItsServerId()
    {
        SubscriptionTable table;
        const int a = table.add(entry(QStringLiteral("ra")));
        const int b = table.add(entry(QStringLiteral("rb")));
        table.sent(a, 7);
        QCOMPARE(table.remove(a), std::optional<qint64>(7));
        QCOMPARE(table.remove(b), std::nullopt); // never sent: nothing to unsubscribe
        QCOMPARE(table.remove(a), std::nullopt);
        QCOMPARE(table.find(a), nullptr);
    }

    void aRefusedOneIsNoLongerTheServers()
    {
        SubscriptionTable table;
        const int a = table.add(entry(QStringLiteral("ra")));
        table.sent(a, 3);
        table.refused(a);
        QCOMPARE(table.byServerId(3), nullptr);
        QCOMPARE(table.unconfirmed(), QList<int>({a}));
    }

    void aLostConnectionForgetsTheServersSide()
    {
        SubscriptionTable table;
        const int a = table.add(entry(QStringLiteral("ra")));
        table.sent(a, 3);
        table.find(a)->confirmed = true;
        table.unsubscribeLater(9);
        table.connectionLost();
        QCOMPARE(table.byServerId(3), nullptr);
        QCOMPARE(table.unconfirmed(), QList<int>({a}));
        QVERIFY(table.takeUnsubscribesLater().isEmpty());
        table.unsubscribeLater(11);
        QCOMPARE(table.takeUnsubscribesLater(), QList<qint64>({11}));
        QVERIFY(table.takeUnsubscribesLater().isEmpty());
    }
};

QTEST_GUILESS_MAIN(SubscriptionTableTest)
#include "tst_subscriptiontable.moc"
