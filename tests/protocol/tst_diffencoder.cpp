// DiffEncoder: Protocol::diff's bytes, with the members written once for every copy of a diff.
#include "diffencoder.h"

#include "protocol.h"

#include <QTest>

using namespace Presence;

namespace {

Member member(const QString &userId, bool online)
{
    Member m {userId, online, online ? 0 : 1700000000123, {}, {}};
    return m;
}

MemberDiff sample()
{
    MemberDiff diff;
    Member ada = member(QStringLiteral("user_01"), true);
    ada.name = QStringLiteral("Ada \"the first\" Lovelace\n");
    ada.image = QStringLiteral("https://example.com/ada.png");
    ada.data = QJsonObject {{QStringLiteral("status"), QStringLiteral("écrit ✍︎")}};
    ada.away = true;
    diff.upserted = {ada, member(QStringLiteral("user_02"), false)};
    diff.removed = {QStringLiteral("user_03"), QStringLiteral("u\\4")};
    return diff;
}

} // namespace

class DiffEncoderTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesProtocolDiffsBytesForEveryShapeOfDiff()
    {
        const MemberDiff full = sample();
        MemberDiff upsertOnly;
        upsertOnly.upserted = full.upserted;
        MemberDiff removeOnly;
        removeOnly.removed = full.removed;
        MemberDiff countsOnly;
        countsOnly.counts = RoomCounts {12, 500};
        MemberDiff withCounts = full;
        withCounts.counts = RoomCounts {0, 3};

        DiffEncoder encoder;
        for (const MemberDiff &diff : {full, upsertOnly, removeOnly, countsOnly, withCounts}) {
            for (qint64 sub : {qint64(1), qint64(104), Protocol::MaxId})
                QCOMPARE(encoder.frame(sub, diff), Protocol::diff(sub, diff));
        }
    }

    void givesEachSubscriberItsOwnSubAndCountsAroundOneChange()
    {
        const MemberDiff diff = sample();
        MemberDiff counted = diff; // a subscriber that asked for counts: the same lists, shared
        counted.counts = RoomCounts {1, 2};
        DiffEncoder encoder;
        QCOMPARE(encoder.frame(4, diff), Protocol::diff(4, diff));
        QCOMPARE(encoder.frame(5, counted), Protocol::diff(5, counted));
        QCOMPARE(encoder.frame(6, diff), Protocol::diff(6, diff));
    }

    void aChangedCopyIsWrittenAnew()
    {
        DiffEncoder encoder;
        const MemberDiff first = sample();
        QCOMPARE(encoder.frame(1, first), Protocol::diff(1, first));

        MemberDiff changed = first; // shares the lists until it changes them
        changed.upserted[0].online = false;
        changed.removed.removeLast();
        QCOMPARE(encoder.frame(1, changed), Protocol::diff(1, changed));
        QCOMPARE(encoder.frame(1, first), Protocol::diff(1, first));
    }

    void aNewDiffIsNeverTakenForTheLastOne()
    {
        // Diffs made, encoded and dropped one after another, as a server's pushes are: whatever
        // storage the allocator hands the next one, its own members are written.
        DiffEncoder encoder;
        for (int i = 0; i < 200; ++i) {
            MemberDiff diff;
            diff.upserted = {member(QStringLiteral("user_%1").arg(i), i % 2 == 0)};
            if (i % 3 == 0)
                diff.removed = {QStringLiteral("gone_%1").arg(i)};
            QCOMPARE(encoder.frame(i, diff), Protocol::diff(i, diff));
        }
    }
};

QTEST_GUILESS_MAIN(DiffEncoderTest)
#include "tst_diffencoder.moc"
