// MembersModel: the server's ordering rules and the smallest model changes, checked on
// chosen cases and on thousands of random ones.
#include "membersmodel.h"
#include "membersmodel_p.h"

#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace Presence;

namespace {

Member online(const char *id, const char *name = "")
{
    return Member {QString::fromLatin1(id), true, 0, QString::fromLatin1(name), {}};
}
Member offline(const char *id, qint64 at)
{
    return Member {QString::fromLatin1(id), false, at, {}, {}};
}
QStringList L(const char *csv)
{
    return QString::fromLatin1(csv).split(QLatin1Char(','), Qt::SkipEmptyParts);
}
QStringList ids(const QList<Member> &list)
{
    QStringList out;
    for (const Member &m : list)
        out << m.userId;
    return out;
}

} // namespace

class MembersModelTest : public QObject
{
    Q_OBJECT

    static MembersModelPrivate *d(MembersModel &model) { return MembersModelPrivate::get(&model); }
    static QStringList rows(MembersModel &model) { return ids(MembersModelPrivate::get(&model)->rows); }

private Q_SLOTS:
    void serverOrderRules()
    {
        const QList<Member> start {online("a"), online("b"), offline("x", 300), offline("y", 100)};
        // A newcomer goes after everyone online.
        QCOMPARE(ids(MembersModelPrivate::applied(start, {{online("c")}, {}})), L("a,b,c,x,y"));
        // Someone who stays online keeps their place, whatever else changes.
        QCOMPARE(ids(MembersModelPrivate::applied(start, {{online("a", "Ada")}, {}})), ids(start));
        // Coming back online: after those already online.
        QCOMPARE(ids(MembersModelPrivate::applied(start, {{online("y")}, {}})), L("a,b,y,x"));
        // Going offline: among the offline, newest first; ties by userId.
        QCOMPARE(ids(MembersModelPrivate::applied(start, {{offline("a", 200)}, {}})), L("b,x,a,y"));
        QCOMPARE(ids(MembersModelPrivate::applied(start, {{offline("a", 300)}, {}})), L("b,a,x,y"));
        QCOMPARE(ids(MembersModelPrivate::applied(start, {{}, L("x,nobody")})), L("a,b,y"));
    }

    void aListEqualToTheShownOneEmitsNothing()
    {
        MembersModel model;
        d(model)->setMembers({online("a"), offline("b", 5)});
        QSignalSpy anything(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        d(model)->setMembers({online("a"), offline("b", 5)}); // e.g. the list after a reconnect
        d(model)->applyDiff({});
        QCOMPARE(anything.size() + moved.size() + inserted.size() + reset.size(), 0);
    }

    void selfFirst()
    {
        MembersModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        d(model)->setMembers({online("a"), online("b"), online("me")});
        model.setSelfUserId(QStringLiteral("me"));
        QCOMPARE(rows(model), L("a,b,me"));
        QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
        model.setSelfFirst(true);
        QCOMPARE(rows(model), L("me,a,b"));
        QCOMPARE(moved.size(), 1);
        QVERIFY(model.data(model.index(0), MembersModel::IsSelfRole).toBool());
        QVERIFY(!model.data(model.index(1), MembersModel::IsSelfRole).toBool());
    }

    void initialsAndColours()
    {
        QCOMPARE(MembersModel::initialsFor(QStringLiteral("Ada Lovelace"), {}), QStringLiteral("AL"));
        QCOMPARE(MembersModel::initialsFor(QStringLiteral("  grace  "), {}), QStringLiteral("G"));
        QCOMPARE(MembersModel::initialsFor(QStringLiteral("Jean Baptiste de Lamarck"), {}), QStringLiteral("JL"));
        QCOMPARE(MembersModel::initialsFor({}, QStringLiteral("_user_01")), QStringLiteral("U"));
        // FNV-1a of the id picks from the palette: these colours are the same in every process,
        // on every run and in every version that keeps the palette.
        QCOMPARE(MembersModel::colorFor(QStringLiteral("user_01")), QColor(0x30, 0x3f, 0x9f));
        QCOMPARE(MembersModel::colorFor(QStringLiteral("ada")), QColor(0x51, 0x2d, 0xa8));
        QVERIFY(MembersModel::colorFor(QStringLiteral("user_01")).isValid());
        QSet<QRgb> colours;
        for (int i = 0; i < 100; ++i)
            colours.insert(MembersModel::colorFor(QStringLiteral("user_%1").arg(i)).rgb());
        QVERIFY(colours.size() >= 10); // spread over the palette
    }

    void randomChangesEndInTheServersOrderWithFewMoves()
    {
        QRandomGenerator random(42);
        for (int round = 0; round < 2000; ++round) {
            MembersModel model;
            QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
            QList<Member> list;
            MemberDiff start;
            const int size = random.bounded(12);
            qint64 clock = 1000;
            for (int i = 0; i < size; ++i) {
                const QByteArray id = "u" + QByteArray::number(i);
                start.upserted << (random.bounded(2) ? online(id.constData())
                                                     : offline(id.constData(), clock += random.bounded(3)));
            }
            list = MembersModelPrivate::applied(list, start);
            d(model)->setMembers(list);

            MemberDiff diff;
            const int changes = 1 + random.bounded(3);
            for (int c = 0; c < changes; ++c) {
                const QByteArray id = "u" + QByteArray::number(random.bounded(14));
                switch (random.bounded(4)) {
                case 0:
                    diff.upserted << online(id.constData());
                    break;
                case 1:
                    diff.upserted << offline(id.constData(), clock += random.bounded(3));
                    break;
                case 2:
                    diff.upserted << online(id.constData(), "Renamed");
                    break;
                default:
                    diff.removed << QString::fromLatin1(id);
                }
            }
            QSignalSpy moves(&model, &QAbstractItemModel::rowsMoved);
            QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
            d(model)->applyDiff(diff);
            const QList<Member> expected = MembersModelPrivate::applied(list, diff);
            QCOMPARE(rows(model), ids(expected));
            for (int i = 0; i < expected.size(); ++i)
                QCOMPARE(d(model)->rows.at(i), expected.at(i));
            QCOMPARE(resets.size(), 0);
            QVERIFY2(moves.size() <= changes,
                qPrintable(QStringLiteral("%1 moves for %2 changes").arg(moves.size()).arg(changes)));
        }
    }
};

QTEST_MAIN(MembersModelTest)
#include "tst_membersmodel.moc"
