// LimitProxyModel: the first N rows of a model, kept right as rows come, go and move.
#include "limitproxymodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStringListModel>
#include <QTest>

using namespace Presence;

class LimitProxyModelTest : public QObject
{
    Q_OBJECT

    static QStringList rows(const QAbstractItemModel &model)
    {
        QStringList list;
        for (int i = 0; i < model.rowCount(); ++i)
            list.append(model.index(i, 0).data().toString());
        return list;
    }

private Q_SLOTS:
    void showsTheFirstRowsOnly()
    {
        QStringListModel source({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")});
        LimitProxyModel limited;
        QAbstractItemModelTester tester(&limited, QAbstractItemModelTester::FailureReportingMode::QtTest);
        limited.setLimit(2);
        limited.setSourceModel(&source);
        QCOMPARE(rows(limited), QStringList({QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(limited.count(), 2);
    }

    void aRowInFrontPushesTheLastOneOut()
    {
        QStringListModel source({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
        LimitProxyModel limited;
        QAbstractItemModelTester tester(&limited, QAbstractItemModelTester::FailureReportingMode::QtTest);
        limited.setLimit(2);
        limited.setSourceModel(&source);
        source.insertRows(0, 1);
        source.setData(source.index(0), QStringLiteral("new"));
        QCOMPARE(rows(limited), QStringList({QStringLiteral("new"), QStringLiteral("a")}));
        source.removeRows(0, 2);
        QCOMPARE(rows(limited), QStringList({QStringLiteral("b"), QStringLiteral("c")}));
        source.moveRows(QModelIndex(), 1, 1, QModelIndex(), 0);
        QCOMPARE(rows(limited), QStringList({QStringLiteral("c"), QStringLiteral("b")}));
    }

    void changingTheLimitRefilters()
    {
        QStringListModel source({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
        LimitProxyModel limited;
        limited.setSourceModel(&source);
        QCOMPARE(limited.limit(), 5);
        QCOMPARE(limited.count(), 3);
        QSignalSpy countChanged(&limited, &LimitProxyModel::countChanged);
        limited.setLimit(1);
        QCOMPARE(rows(limited), QStringList({QStringLiteral("a")}));
        QVERIFY(countChanged.count() >= 1);
        limited.setLimit(-3);
        QCOMPARE(limited.limit(), 0);
        QCOMPARE(limited.count(), 0);
    }
};

QTEST_GUILESS_MAIN(LimitProxyModelTest)
#include "tst_limitproxymodel.moc"
