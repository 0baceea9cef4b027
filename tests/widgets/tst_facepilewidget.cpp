// FacepileWidget: the QML facepile's look and behaviour in a QWidget, checked on real pixels of
// the rendered widget (offscreen), on any model with MembersModel's roles and on the real one.
#include "client.h"
#include "embeddedserver.h"
#include "facepilewidget.h"
#include "membersmodel.h"
#include "room.h"
#include "translations.h"

#include <QAbstractButton>
#include <QAccessible>
#include <QApplication>
#include <QDir>
#include <QHelpEvent>
#include <QLabel>
#include <QListView>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>

using namespace Presence;

namespace {

enum Role {
    UserId = Qt::UserRole + 1,
    Name,
    Image,
    Online,
    LastDisconnected,
    Initials,
    Color,
    Away,
    Status,
};

/// A plain model with the role names a facepile reads.
class People : public QStandardItemModel
{
public:
    People()
    {
        setItemRoleNames({{UserId, "userId"}, {Name, "name"}, {Image, "image"}, {Online, "online"},
            {LastDisconnected, "lastDisconnected"}, {Initials, "initials"}, {Color, "color"}, {Away, "away"},
            {Status, "status"}});
    }
    void add(const QString &userId, const QString &name, bool online, const QColor &color,
        const QDateTime &lastDisconnected = QDateTime(), bool away = false, const QString &image = QString())
    {
        auto *item = new QStandardItem;
        item->setData(userId, UserId);
        item->setData(name, Name);
        item->setData(QUrl(image), Image);
        item->setData(online, Online);
        item->setData(lastDisconnected, LastDisconnected);
        item->setData(MembersModel::initialsFor(name, userId), Initials);
        item->setData(color, Color);
        item->setData(away, Away);
        appendRow(item);
    }
};

const QColor Red(200, 30, 40);
const QColor Blue(30, 60, 200);
const QColor Green(20, 150, 60);
const QColor Window(240, 240, 240);

int distance(const QColor &a, const QColor &b)
{
    return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue());
}

} // namespace

class FacepileWidgetTest : public QObject
{
    Q_OBJECT

    /// The widget as it would appear, on a known window colour.
    static QImage render(FacepileWidget &pile)
    {
        QPalette palette = pile.palette();
        palette.setColor(QPalette::Window, Window);
        pile.setPalette(palette);
        pile.setAutoFillBackground(true);
        pile.resize(pile.sizeHint());
        return pile.grab().toImage();
    }
    /// Where the avatars' discs start: the margin for the ring, and above it the room a
    /// hovered avatar rises into (12 % of the size).
    static int top(const FacepileWidget &pile) { return 2 + qRound(pile.avatarSize() * 0.12); }
    /// A point on avatar `i` (size 32, default overlap) clear of the initials and the others.
    static QPoint onAvatar(const FacepileWidget &pile, int i)
    {
        const int size = pile.avatarSize();
        const int x = 2 + i * (size - pile.overlap()) + size / 2 + size / 10;
        return {x, top(pile) + size / 2 - size * 3 / 10};
    }
    static QPoint avatarCentre(const FacepileWidget &pile, int i)
    {
        const int size = pile.avatarSize();
        return {2 + i * (size - pile.overlap()) + size / 2, top(pile) + size / 2};
    }

private Q_SLOTS:
    void drawsEachMemberOnTheirColourInTheModelsOrder()
    {
        People people;
        people.add(QStringLiteral("ada"), QStringLiteral("Ada Lovelace"), true, Red);
        people.add(QStringLiteral("grace"), QStringLiteral("Grace Hopper"), true, Blue);
        people.add(QStringLiteral("alan"), QStringLiteral("Alan Turing"), true, Green);
        FacepileWidget pile;
        pile.setModel(&people);
        const QImage image = render(pile);
        QCOMPARE(pile.count(), 3);
        QVERIFY(distance(image.pixelColor(onAvatar(pile, 0)), Red) < 12);
        QVERIFY(distance(image.pixelColor(onAvatar(pile, 1)), Blue) < 12);
        QVERIFY(distance(image.pixelColor(onAvatar(pile, 2)), Green) < 12);
        // White initials in the middle of a disc.
        bool white = false;
        const QPoint c = avatarCentre(pile, 2);
        for (int dx = -6; dx <= 6 && !white; ++dx) {
            for (int dy = -5; dy <= 5 && !white; ++dy)
                white = distance(image.pixelColor(c + QPoint(dx, dy)), Qt::white) < 60;
        }
        QVERIFY(white);
        // Outside the circles, the window.
        QVERIFY(distance(image.pixelColor(image.width() - 1, 0), Window) < 6);
    }

    void theFirstAvatarIsOnTop()
    {
        People people;
        people.add(QStringLiteral("ada"), QStringLiteral("Ada"), true, Red);
        people.add(QStringLiteral("grace"), QStringLiteral("Grace"), true, Blue);
        FacepileWidget pile;
        pile.setModel(&people);
        const QImage image = render(pile);
        // Where the two discs overlap, inside the first one: the first one's colour.
        const QPoint overlapping(2 + pile.avatarSize() - pile.overlap() / 2 - 1, top(pile) + pile.avatarSize() / 2);
        QVERIFY(distance(image.pixelColor(overlapping), Red) < 12);
    }

    void offlineMembersAreDimmedAndOnlineOnesHaveAGreenDot()
    {
        People people;
        people.add(QStringLiteral("ada"), QStringLiteral("Ada"), true, Red);
        people.add(QStringLiteral("grace"), QStringLiteral("Grace"), false, Red, QDateTime::currentDateTime());
        FacepileWidget pile;
        pile.setModel(&people);
        const QImage image = render(pile);
        const QColor online = image.pixelColor(onAvatar(pile, 0));
        const QColor offline = image.pixelColor(onAvatar(pile, 1));
        // 40 % of the colour over the window: much lighter than the online one.
        const QColor expected = QColor::fromRgbF(0.4 * Red.redF() + 0.6 * Window.redF(),
            0.4 * Red.greenF() + 0.6 * Window.greenF(), 0.4 * Red.blueF() + 0.6 * Window.blueF());
        QVERIFY2(distance(offline, expected) < 15, qPrintable(offline.name()));
        QVERIFY(distance(online, Red) < 12);

        // The status dot sits at the bottom right: green for the online member only.
        const int size = pile.avatarSize();
        const int dot = qRound(size * 0.28);
        const auto dotCentre = [&](int i) {
            const QPoint c = avatarCentre(pile, i);
            return QPoint(c.x() + size / 2 - int(dot * 0.4), c.y() + size / 2 - int(dot * 0.4));
        };
        QVERIFY(distance(image.pixelColor(dotCentre(0)), QColor(0x2e, 0x9d, 0x48)) < 20);
        QVERIFY(distance(image.pixelColor(dotCentre(1)), QColor(0x2e, 0x9d, 0x48)) > 100);
    }

    void awayMembersAreHalfDimmedWithAClock()
    {
        People people;
        people.add(QStringLiteral("ada"), QStringLiteral("Ada"), true, Blue, QDateTime(), true);
        people.add(QStringLiteral("grace"), QStringLiteral("Grace"), true, Blue);
        FacepileWidget pile;
        pile.setAvatarSize(64); // room to sample the badge's parts
        pile.setModel(&people);
        const QImage image = render(pile);
        const int size = pile.avatarSize();
        const int badge = qRound(size * 0.34);
        const QPoint c = avatarCentre(pile, 0);
        const QPointF badgeCentre(c.x() + size / 2.0 - badge * 0.4, c.y() + size / 2.0 - badge * 0.4);
        // Amber below and left of the hands, white on the noon hand.
        QVERIFY(distance(image.pixelColor((badgeCentre + QPointF(-badge * 0.2, badge * 0.2)).toPoint()),
                    QColor(0xe0, 0xa1, 0x00))
            < 30);
        QVERIFY(distance(image.pixelColor((badgeCentre + QPointF(0, -badge * 0.2)).toPoint()), Qt::white) < 90);
        // 70 % of the colour over the window.
        const QColor expected = QColor::fromRgbF(0.7 * Blue.redF() + 0.3 * Window.redF(),
            0.7 * Blue.greenF() + 0.3 * Window.greenF(), 0.7 * Blue.blueF() + 0.3 * Window.blueF());
        QVERIFY2(distance(image.pixelColor(onAvatar(pile, 0)), expected) < 15,
            qPrintable(image.pixelColor(onAvatar(pile, 0)).name()));
        QVERIFY(distance(image.pixelColor(onAvatar(pile, 1)), Blue) < 12); // the active one is not
        QCOMPARE(pile.toolTipAt(c), QStringLiteral("Ada\nAway"));
    }

    void moreThanMaxVisibleShowsPlusNThatOpensEveryone()
    {
        People people;
        for (int i = 0; i < 7; ++i)
            people.add(QStringLiteral("u%1").arg(i), QStringLiteral("Person %1").arg(i), true, Blue);
        FacepileWidget pile;
        pile.setMaxVisible(5);
        pile.setModel(&people);
        pile.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pile));
        auto *more = pile.findChild<QAbstractButton *>(QStringLiteral("more"));
        QVERIFY(more);
        QVERIFY(more->isVisible());
        QCOMPARE(more->text(), QStringLiteral("+2"));
        QCOMPARE(more->accessibleName(), QStringLiteral("2 more people"));
        // Nothing is drawn for the members past the fifth: the chip follows the fifth, a gap apart.
        QCOMPARE(more->x(), 2 + 5 * (pile.avatarSize() - pile.overlap()) + pile.overlap() + 4);

        QSignalSpy opened(&pile, &FacepileWidget::listOpenChanged);
        QTest::mouseClick(more, Qt::LeftButton);
        QTRY_VERIFY(pile.isListOpen());
        auto *list = pile.findChild<QListView *>(QStringLiteral("everyoneList"));
        QVERIFY(list);
        QCOMPARE(list->model()->rowCount(), 7);
        QVERIFY(list->isVisible());
        pile.closeList();
        QVERIFY(!pile.isListOpen());
        QCOMPARE(opened.count(), 2);

        people.removeRows(0, 2);
        QVERIFY(!more->isVisible());
        QCOMPARE(pile.count(), 5);
    }

    void plusNCountsTheWholeRoom()
    {
        People people;
        for (int i = 0; i < 7; ++i)
            people.add(QStringLiteral("u%1").arg(i), QString(), true, Blue);
        FacepileWidget pile;
        pile.setModel(&people);
        QSignalSpy totalChanged(&pile, &FacepileWidget::totalCountChanged);
        pile.setTotalCount(500); // a room's totalCount: more than its list holds
        QCOMPARE(totalChanged.count(), 1);
        QCOMPARE(pile.count(), 500);
        auto *more = pile.findChild<QAbstractButton *>(QStringLiteral("more"));
        QCOMPARE(more->text(), QStringLiteral("+495"));
        pile.resetTotalCount();
        QCOMPARE(more->text(), QStringLiteral("+2"));
    }

    void theSizeFollowsTheShownAvatarsAndTheProperties()
    {
        People people;
        for (int i = 0; i < 3; ++i)
            people.add(QStringLiteral("u%1").arg(i), QString(), true, Blue);
        FacepileWidget pile;
        pile.setModel(&people);
        QCOMPARE(pile.overlap(), 4); // 15 % of 32, rounded down
        // The margins, the discs, and 4 px above them for the hovered one to rise into.
        QCOMPARE(pile.sizeHint(), QSize(2 + 3 * 28 + 4 + 2, 2 + 4 + 32 + 2));
        QSignalSpy overlapChanged(&pile, &FacepileWidget::overlapChanged);
        pile.setAvatarSize(48);
        QCOMPARE(pile.overlap(), 7);
        QCOMPARE(overlapChanged.count(), 1);
        pile.setOverlap(0);
        QCOMPARE(pile.sizeHint(), QSize(2 + 3 * 48 + 2, 2 + 6 + 48 + 2));
        pile.resetOverlap();
        QCOMPARE(pile.overlap(), 7);
    }

    void tooltipsSayWhoAndWhen()
    {
        People people;
        people.add(QStringLiteral("ada"), QStringLiteral("Ada Lovelace"), true, Red);
        people.add(QStringLiteral("grace"), QString(), false, Blue, QDateTime::currentDateTime().addSecs(-5 * 60 - 5));
        FacepileWidget pile;
        pile.setModel(&people);
        pile.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pile));
        QCOMPARE(pile.toolTipAt(avatarCentre(pile, 0)), QStringLiteral("Ada Lovelace\nOnline now"));
        // No name: the user id, as the QML facepile shows it.
        QCOMPARE(pile.toolTipAt(avatarCentre(pile, 1) + QPoint(8, 0)), QStringLiteral("grace\nLast seen 5 min ago"));
        QCOMPARE(pile.toolTipAt(QPoint(pile.width() - 1, 0)), QString());

        QHelpEvent help(QEvent::ToolTip, avatarCentre(pile, 0), pile.mapToGlobal(avatarCentre(pile, 0)));
        QApplication::sendEvent(&pile, &help);
        QTRY_COMPARE(QToolTip::text(), QStringLiteral("Ada Lovelace\nOnline now"));
        QToolTip::hideText();
    }

    void theKeyboardWalksTheAvatarsAndTellsWhoTheyAre()
    {
        People people;
        people.add(QStringLiteral("ada"), QStringLiteral("Ada"), true, Red);
        people.add(QStringLiteral("grace"), QStringLiteral("Grace"), true, Blue);
        FacepileWidget pile;
        pile.setModel(&people);
        QCOMPARE(pile.focusPolicy(), Qt::TabFocus);
        pile.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pile));
        const QColor highlight = pile.palette().color(QPalette::Highlight);
        const QPoint leftEdge(1, top(pile) + pile.avatarSize() / 2);
        QVERIFY(distance(pile.grab().toImage().pixelColor(leftEdge), highlight) > 60);
        pile.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&pile));
        pile.clearFocus();
        pile.setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(pile.hasFocus());
        // Where the keyboard is: a ring in the highlight colour, round the avatar risen.
        const QPoint risenEdge = leftEdge - QPoint(0, qRound(pile.avatarSize() * 0.12));
        QVERIFY(distance(pile.grab().toImage().pixelColor(risenEdge), highlight) < 60);
        QTest::keyClick(&pile, Qt::Key_Right);
        QTRY_COMPARE(QToolTip::text(), QStringLiteral("Grace\nOnline now"));
        QTest::keyClick(&pile, Qt::Key_Home);
        QTRY_COMPARE(QToolTip::text(), QStringLiteral("Ada\nOnline now"));
        QToolTip::hideText();
    }

    void theirOwnStatusIsInTheTooltipAndForAssistiveTechnology()
    {
        People people;
        people.add(QStringLiteral("ada"), QStringLiteral("Ada Lovelace"), true, Red);
        people.add(QStringLiteral("grace"), QStringLiteral("Grace"), true, Blue);
        people.item(0)->setData(QStringLiteral("Reviewing the budget"), Status);
        FacepileWidget pile;
        pile.setModel(&people);
        pile.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pile));
        QCOMPARE(
            pile.toolTipAt(avatarCentre(pile, 0)), QStringLiteral("Ada Lovelace\nReviewing the budget\nOnline now"));
        QCOMPARE(pile.toolTipAt(avatarCentre(pile, 1) + QPoint(8, 0)), QStringLiteral("Grace\nOnline now"));
        QCOMPARE(pile.accessibleName(),
            QStringLiteral("Ada Lovelace, Online now · Reviewing the budget; Grace, Online now"));
        people.item(0)->setData(QString(), Status);
        QCOMPARE(pile.toolTipAt(avatarCentre(pile, 0)), QStringLiteral("Ada Lovelace\nOnline now"));
    }

    void assistiveTechnologyHearsAListOfWhoIsHere()
    {
        People people;
        people.add(QStringLiteral("ada"), QStringLiteral("Ada"), true, Red);
        people.add(QStringLiteral("grace"), QStringLiteral("Grace"), false, Blue);
        FacepileWidget pile;
        pile.setMaxVisible(1);
        pile.setModel(&people);
        QCOMPARE(pile.accessibleName(), QStringLiteral("Ada, Online now; and 1 more"));
        QAccessibleInterface *accessible = QAccessible::queryAccessibleInterface(&pile);
        QVERIFY(accessible);
        QCOMPARE(accessible->role(), QAccessible::List);
        QCOMPARE(accessible->text(QAccessible::Name), pile.accessibleName());
        people.clear();
        QCOMPARE(pile.accessibleName(), QStringLiteral("Nobody here"));
    }

    void theRingFollowsThePalette()
    {
        People people;
        people.add(QStringLiteral("ada"), QStringLiteral("Ada"), true, Red);
        people.add(QStringLiteral("grace"), QStringLiteral("Grace"), true, Blue);
        FacepileWidget pile;
        pile.setModel(&people);
        QSignalSpy ringChanged(&pile, &FacepileWidget::ringColorChanged);
        QPalette dark = pile.palette();
        dark.setColor(QPalette::Window, QColor(30, 30, 30));
        pile.setPalette(dark);
        QCOMPARE(pile.ringColor(), QColor(30, 30, 30));
        QVERIFY(ringChanged.count() >= 1);
        pile.setAutoFillBackground(true);
        pile.resize(pile.sizeHint());
        const QImage image = pile.grab().toImage();
        // Just past the first disc's right edge, inside the second: the ring.
        const QPoint ring(2 + pile.avatarSize() + 1, top(pile) + pile.avatarSize() / 2);
        QVERIFY2(distance(image.pixelColor(ring), QColor(30, 30, 30)) < 40, qPrintable(image.pixelColor(ring).name()));
        pile.setRingColor(Qt::yellow);
        QCOMPARE(pile.ringColor(), QColor(Qt::yellow));
    }

    void picturesAreDrawnInACircle()
    {
        People people;
        people.add(QStringLiteral("ada"), QStringLiteral("Ada"), true, Blue, QDateTime(), false,
            QStringLiteral("qrc:/avatars/ada.png"));
        FacepileWidget pile;
        pile.setModel(&people);
        const QImage picture(QStringLiteral(":/avatars/ada.png"));
        QVERIFY(!picture.isNull());
        // Loaded from the event loop: the initials first, then the picture.
        QTRY_VERIFY_WITH_TIMEOUT(distance(render(pile).pixelColor(onAvatar(pile, 0)), Blue) > 40, 5000);
        const QImage image = render(pile);
        // The picture's own centre, scaled into the circle.
        const QColor centre = picture.pixelColor(picture.width() / 2, picture.height() / 2);
        QVERIFY(distance(image.pixelColor(avatarCentre(pile, 0)), centre) < 60);
        // The corner of the avatar's square is outside the circle: the window.
        QVERIFY(distance(image.pixelColor(3, top(pile) + 1), Window) < 20);
    }

    void showsARoomsMembersFromTheRealModel()
    {
        QTemporaryDir dir;
        EmbeddedServer server;
        QVERIFY(server.open(dir.filePath(QStringLiteral("widgets.db"))));
        Client client;
        client.setEmbeddedServer(&server, QStringLiteral("ada"), QStringLiteral("org"), QStringLiteral("Ada Lovelace"));
        Room room;
        room.setClient(&client);
        room.setRoomId(QStringLiteral("doc-1"));
        room.setActive(true);
        FacepileWidget pile;
        pile.setModel(room.members());
        QTRY_COMPARE(pile.count(), 1);
        const QImage image = render(pile);
        QVERIFY(distance(image.pixelColor(onAvatar(pile, 0)), MembersModel::colorFor(QStringLiteral("ada"))) < 12);
        QCOMPARE(pile.toolTipAt(avatarCentre(pile, 0)), QStringLiteral("Ada Lovelace\nOnline now"));
    }

    void aDestroyedModelLeavesAnEmptyFacepile()
    {
        auto people = std::make_unique<People>();
        people->add(QStringLiteral("ada"), QStringLiteral("Ada"), true, Red);
        FacepileWidget pile;
        pile.setModel(people.get());
        QCOMPARE(pile.count(), 1);
        people.reset();
        QCOMPARE(pile.model(), nullptr);
        QCOMPARE(pile.count(), 0);
        QVERIFY(!pile.grab().isNull());
    }

    void everyInitialIsDrawnAsIfAlone_data()
    {
        QTest::addColumn<int>("size");
        for (int size : {20, 28, 30, 32, 40, 64})
            QTest::addRow("%d px", size) << size;
    }
    void everyInitialIsDrawnAsIfAlone()
    {
        // Five people with the widest initials there are, each drawn in the pile, and alone.
        QFETCH(int, size);
        People people;
        for (int i = 0; i < 5; ++i)
            people.add(QStringLiteral("u%1").arg(i), QStringLiteral("Mary Wu"), true, i % 2 ? Red : Blue);
        people.setData(people.index(0, 0), QStringLiteral("MW"), Initials);
        for (int i = 1; i < 5; ++i)
            people.setData(people.index(i, 0), QStringLiteral("MW"), Initials);
        FacepileWidget pile;
        pile.setAvatarSize(size);
        pile.setModel(&people);
        const QImage image = render(pile);
        for (int i = 1; i < 5; ++i) {
            People one;
            one.add(QStringLiteral("u%1").arg(i), QStringLiteral("Mary Wu"), true, i % 2 ? Red : Blue);
            one.setData(one.index(0, 0), QStringLiteral("MW"), Initials);
            FacepileWidget alone;
            alone.setAvatarSize(size);
            alone.setModel(&one);
            const QImage lone = render(alone);
            // The middle 56 % of the disc, where the initials are: the same pixels.
            const int margin = qCeil(size * 0.22);
            const QPoint offset = avatarCentre(pile, i) - avatarCentre(alone, 0);
            for (int y = top(alone) + margin; y < top(alone) + size - margin; ++y) {
                for (int x = 2 + margin; x < 2 + size - margin; ++x) {
                    const QColor a = lone.pixelColor(x, y);
                    const QColor b = image.pixelColor(QPoint(x, y) + offset);
                    QVERIFY2(distance(a, b) < 24,
                        qPrintable(QStringLiteral("avatar %1 at %2,%3: %4 alone, %5 in the pile")
                                       .arg(i)
                                       .arg(x)
                                       .arg(y)
                                       .arg(a.name(), b.name())));
                }
            }
        }
    }

    void plusNIsAPillApartFromTheLastAvatar_data()
    {
        QTest::addColumn<int>("total");
        QTest::addColumn<QString>("text");
        QTest::newRow("+1") << 6 << QStringLiteral("+1");
        QTest::newRow("+995") << 1000 << QStringLiteral("+995");
    }
    void plusNIsAPillApartFromTheLastAvatar()
    {
        QFETCH(int, total);
        QFETCH(QString, text);
        People people;
        for (int i = 0; i < 5; ++i)
            people.add(QStringLiteral("u%1").arg(i), QStringLiteral("Person %1").arg(i), true, Blue);
        FacepileWidget pile;
        pile.setModel(&people);
        pile.setTotalCount(total);
        const QImage image = render(pile);
        auto *more = pile.findChild<QAbstractButton *>(QStringLiteral("more"));
        QCOMPARE(more->text(), text);
        QCOMPARE(more->height(), pile.avatarSize());
        QVERIFY(more->width() >= more->height());
        QVERIFY(QFontMetrics(more->font()).horizontalAdvance(text) < more->width());
        // Past the last avatar's ring, a gap of the window's colour, then the chip.
        const int lastRight = avatarCentre(pile, 4).x() + pile.avatarSize() / 2 + 2;
        QVERIFY(more->x() >= lastRight + 2);
        QVERIFY(distance(image.pixelColor(lastRight + 1, avatarCentre(pile, 4).y()), Window) < 6);
        QVERIFY(pile.sizeHint().width() >= more->geometry().right());
    }

    void hoveringAnAvatarLiftsItAboveTheOthers()
    {
        People people;
        people.add(QStringLiteral("ada"), QStringLiteral("Ada"), true, Red);
        people.add(QStringLiteral("grace"), QStringLiteral("Grace"), true, Blue);
        FacepileWidget pile;
        pile.setModel(&people);
        render(pile);
        // Where the two discs overlap, inside the first one: the first one's, at rest.
        const QPoint overlapping(2 + pile.avatarSize() - pile.overlap() / 2 - 1, top(pile) + pile.avatarSize() / 2);
        QVERIFY(distance(pile.grab().toImage().pixelColor(overlapping), Red) < 12);
        const QPoint onGrace = avatarCentre(pile, 1) + QPoint(6, 0);
        QHoverEvent enter(QEvent::HoverMove, onGrace, onGrace, QPoint(-1, -1));
        QApplication::sendEvent(&pile, &enter);
        // Risen and whole: the overlap, a little higher, is hers now; her tooltip follows her.
        const int lift = qRound(pile.avatarSize() * 0.12);
        QVERIFY(distance(pile.grab().toImage().pixelColor(overlapping - QPoint(0, lift)), Blue) < 12);
        QCOMPARE(pile.toolTipAt(overlapping - QPoint(0, lift)), QStringLiteral("Grace\nOnline now"));
        QHoverEvent leave(QEvent::HoverLeave, QPoint(-1, -1), QPoint(-1, -1), onGrace);
        QApplication::sendEvent(&pile, &leave);
        QVERIFY(distance(pile.grab().toImage().pixelColor(overlapping), Red) < 12);
    }

    void theListHasHereNowAndRecentlyHereAndCountsTheUnnamed()
    {
        People people;
        for (int i = 0; i < 6; ++i)
            people.add(QStringLiteral("u%1").arg(i), QStringLiteral("Person %1").arg(i), i < 4, Blue,
                i < 4 ? QDateTime() : QDateTime::currentDateTime().addSecs(-600));
        FacepileWidget pile;
        pile.setModel(&people);
        pile.setTotalCount(150);
        pile.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pile));
        pile.openList();
        auto *list = pile.findChild<QListView *>(QStringLiteral("everyoneList"));
        QVERIFY(list);
        // The first of the online and the first of the gone carry a heading: taller, the others not.
        QVERIFY(list->sizeHintForRow(0) > list->sizeHintForRow(1));
        QCOMPARE(list->sizeHintForRow(1), list->sizeHintForRow(3));
        QCOMPARE(list->sizeHintForRow(4), list->sizeHintForRow(0));
        QCOMPARE(list->sizeHintForRow(5), list->sizeHintForRow(1));
        auto *notListed = pile.findChild<QLabel *>(QStringLiteral("notListed"));
        QVERIFY(notListed);
        QVERIFY(notListed->isVisible());
        QCOMPARE(notListed->text(), QStringLiteral("and 144 more"));
        QWidget *popup = list->window();
        popup->grab().save(QStringLiteral(PRESENCE_SCREENSHOT_DIR "/facepile-widget-list.png"));
        pile.closeList();
        pile.resetTotalCount();
        pile.openList();
        QVERIFY(!notListed->isVisible());
        pile.closeList();
    }

    void enterOpensTheListFromTheKeyboard()
    {
        People people;
        for (int i = 0; i < 7; ++i)
            people.add(QStringLiteral("u%1").arg(i), QStringLiteral("Person %1").arg(i), true, Blue);
        FacepileWidget pile;
        pile.setModel(&people);
        pile.show();
        pile.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&pile));
        pile.setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(pile.hasFocus());
        QTest::keyClick(&pile, Qt::Key_Right);
        QTest::keyClick(&pile, Qt::Key_Return);
        QTRY_VERIFY(pile.isListOpen());
        pile.closeList();
        auto *more = pile.findChild<QAbstractButton *>(QStringLiteral("more"));
        more->setFocus(Qt::TabFocusReason);
        QTest::keyClick(more, Qt::Key_Return);
        QTRY_VERIFY(pile.isListOpen());
        pile.closeList();
    }

    void assistiveTechnologyFindsEachAvatarAndTheChip()
    {
        People people;
        people.add(QStringLiteral("ada"), QStringLiteral("Ada Lovelace"), true, Red);
        people.add(QStringLiteral("grace"), QStringLiteral("Grace Hopper"), false, Blue,
            QDateTime::currentDateTime().addSecs(-5 * 60 - 5));
        people.setData(people.index(0, 0), QStringLiteral("Reviewing"), Status);
        for (int i = 0; i < 6; ++i)
            people.add(QStringLiteral("u%1").arg(i), QStringLiteral("Person %1").arg(i), false, Green,
                QDateTime::currentDateTime().addSecs(-3600));
        FacepileWidget pile;
        pile.setModel(&people);
        pile.show();
        pile.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&pile));
        QAccessibleInterface *list = QAccessible::queryAccessibleInterface(&pile);
        QVERIFY(list);
        QCOMPARE(list->role(), QAccessible::List);
        // Five avatars, then "+3".
        QCOMPARE(list->childCount(), 6);
        QAccessibleInterface *ada = list->child(0);
        QVERIFY(ada);
        QCOMPARE(ada->role(), QAccessible::ListItem);
        QCOMPARE(ada->text(QAccessible::Name), QStringLiteral("Ada Lovelace"));
        QCOMPARE(ada->text(QAccessible::Description), QStringLiteral("Online now · Reviewing"));
        QCOMPARE(ada->parent(), list);
        QCOMPARE(list->indexOfChild(ada), 0);
        QAccessibleInterface *grace = list->child(1);
        QCOMPARE(grace->text(QAccessible::Name), QStringLiteral("Grace Hopper"));
        QCOMPARE(grace->text(QAccessible::Description), QStringLiteral("Last seen 5 min ago"));
        QCOMPARE(list->child(1), grace); // one interface per place, kept
        QVERIFY(pile.rect().contains(pile.mapFromGlobal(grace->rect().center())));
        QCOMPARE(list->childAt(grace->rect().center().x() + 6, grace->rect().center().y()), grace);
        QAccessibleInterface *more = list->child(5);
        QVERIFY(more);
        QCOMPARE(more->role(), QAccessible::Button);
        QCOMPARE(more->text(QAccessible::Name), QStringLiteral("3 more people"));
        QCOMPARE(list->indexOfChild(more), 5);
        QVERIFY(more->actionInterface());

        // The keyboard: the avatar it is on has the focus.
        pile.setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(pile.hasFocus());
        QCOMPARE(list->focusChild(), ada);
        QVERIFY(ada->state().focused);
        QTest::keyClick(&pile, Qt::Key_Right);
        QCOMPARE(list->focusChild(), grace);
        QVERIFY(grace->state().focused);
        QVERIFY(!ada->state().focused);
        // What the pile announces when the keyboard moves (the platform's bridge, absent
        // offscreen, is what would deliver it) names her.
        QAccessibleEvent focusOnGrace(&pile, QAccessible::Focus);
        focusOnGrace.setChild(1);
        QCOMPARE(focusOnGrace.accessibleInterface(), grace);
        // "+N" is pressed through its action, as a screen reader does.
        more->actionInterface()->doAction(QAccessibleActionInterface::pressAction());
        QTRY_VERIFY(pile.isListOpen());
        pile.closeList();

        // Fewer people: the places past the pile are gone.
        people.removeRows(2, 6);
        QCOMPARE(list->childCount(), 2);
        QVERIFY(!list->child(4));
    }

    void speaksTheLanguageOfTheCatalogInstalled()
    {
        People people;
        people.add(QStringLiteral("ada"), QStringLiteral("Ada"), true, Red);
        people.add(QStringLiteral("grace"), QStringLiteral("Grace"), false, Blue,
            QDateTime::currentDateTime().addSecs(-3 * 3600 - 5));
        people.add(QStringLiteral("alan"), QStringLiteral("Alan"), false, Green,
            QDateTime::currentDateTime().addSecs(-3600 - 5));
        FacepileWidget pile;
        pile.setMaxVisible(2);
        pile.setModel(&people);
        auto *more = pile.findChild<QAbstractButton *>(QStringLiteral("more"));
        // English, with its plural forms.
        QCOMPARE(pile.accessibleName(), QStringLiteral("Ada, Online now; Grace, Last seen 3 hours ago; and 1 more"));
        QCOMPARE(more->accessibleName(), QStringLiteral("1 more person"));
        // The user switches to German while the app runs: every word follows.
        Translations::reinstallAll(QLocale(QLocale::German));
        QCOMPARE(Translations::installedLanguage(QStringLiteral("presence_widgets")), QStringLiteral("de"));
        // Qt posts the LanguageChange to the windows.
        QTRY_COMPARE(pile.accessibleName(),
            QStringLiteral("Ada, Jetzt online; Grace, Zuletzt gesehen vor 3 Stunden; und 1 weitere Person"));
        QCOMPARE(more->accessibleName(), QStringLiteral("1 weitere Person"));
        QCOMPARE(more->toolTip(), QStringLiteral("Alle anzeigen"));
        QCOMPARE(pile.toolTipAt(avatarCentre(pile, 0)), QStringLiteral("Ada\nJetzt online"));
        pile.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pile));
        pile.openList();
        auto *list = pile.findChild<QListView *>(QStringLiteral("everyoneList"));
        QCOMPARE(list->window()->accessibleName(), QStringLiteral("Alle hier"));
        list->window()->grab().save(QStringLiteral(PRESENCE_SCREENSHOT_DIR "/facepile-widget-list-german.png"));
        pile.closeList();
        Translations::reinstallAll(QLocale(QLocale::English));
        QTRY_COMPARE(more->accessibleName(), QStringLiteral("1 more person"));
    }

    void aScreenshotForTheReadme()
    {
        People people;
        const QDateTime now = QDateTime::currentDateTime();
        people.add(QStringLiteral("ada"), QStringLiteral("Ada Lovelace"), true, QColor(), QDateTime(), false,
            QStringLiteral("qrc:/avatars/ada.png"));
        people.add(QStringLiteral("grace"), QStringLiteral("Grace Hopper"), true, QColor(), QDateTime(), true,
            QStringLiteral("qrc:/avatars/grace.png"));
        people.add(QStringLiteral("katherine"), QStringLiteral("Katherine Johnson"), true, QColor(0xe6, 0x51, 0x00));
        people.add(QStringLiteral("alan"), QStringLiteral("Alan Turing"), false, QColor(), now.addSecs(-300), false,
            QStringLiteral("qrc:/avatars/alan.png"));
        for (int i = 0; i < 3; ++i)
            people.add(QStringLiteral("guest%1").arg(i), QStringLiteral("Guest %1").arg(i), false,
                QColor(0x2e, 0x7d, 0x32), now.addSecs(-3600));
        // The same people as tests/qml/tst_screenshot.qml, for the README's pictures side by side.
        QWidget window;
        window.setWindowTitle(QStringLiteral("FacepileWidget"));
        auto *pile = new FacepileWidget(&window);
        pile->setMaxVisible(4);
        pile->setAvatarSize(40);
        pile->setModel(&people);
        pile->move(16, 16);
        window.resize(pile->sizeHint() + QSize(32, 32));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTest::qWait(300); // the pictures, from the event loop
        const QImage shot = window.grab().toImage();
        const QString file = QStringLiteral(PRESENCE_SCREENSHOT_DIR "/facepile-widget.png");
        QDir().mkpath(QStringLiteral(PRESENCE_SCREENSHOT_DIR));
        QVERIFY(shot.save(file));
        qInfo() << "screenshot:" << file;
        if (qEnvironmentVariableIntValue("PRESENCE_UPDATE_SCREENSHOTS")) {
            QFile::remove(QStringLiteral(PRESENCE_SOURCE_DIR "/docs/images/facepile-widget.png"));
            QVERIFY(QFile::copy(file, QStringLiteral(PRESENCE_SOURCE_DIR "/docs/images/facepile-widget.png")));
        }
    }
};

QTEST_MAIN(FacepileWidgetTest)
#include "tst_facepilewidget.moc"
