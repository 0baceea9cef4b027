// The QML Facepile as assistive technology finds it: through QAccessibleInterface, the way a
// screen reader's bridge walks it, with the real module in a real (offscreen) window.
#include <QAccessible>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickView>
#include <QTest>

namespace {

/// The first interface under `root`, depth first, with this role and, if given, a name that starts so.
QAccessibleInterface *find(QAccessibleInterface *root, QAccessible::Role role, const QString &name = QString())
{
    if (!root)
        return nullptr;
    if (root->role() == role && root->text(QAccessible::Name).startsWith(name))
        return root;
    for (int i = 0; i < root->childCount(); ++i) {
        if (QAccessibleInterface *found = find(root->child(i), role, name))
            return found;
    }
    return nullptr;
}

/// Where the keyboard is, as the bridge asks: focusChild from the window down.
QAccessibleInterface *focused(QQuickView &view)
{
    QAccessibleInterface *at = QAccessible::queryAccessibleInterface(&view);
    while (at) {
        QAccessibleInterface *next = at->focusChild();
        if (!next || next == at)
            break;
        at = next;
    }
    return at;
}

} // namespace

class FacepileTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_view.engine()->addImportPath(QStringLiteral(PRESENCE_QML_DIR));
        m_view.setSource(QUrl::fromLocalFile(QStringLiteral(PRESENCE_SCENE)));
        QCOMPARE(m_view.status(), QQuickView::Ready);
        m_view.show();
        m_view.requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(&m_view));
    }

    void everyAvatarIsAListItemNamedAfterItsPerson()
    {
        QAccessibleInterface *window = QAccessible::queryAccessibleInterface(&m_view);
        QVERIFY(window);
        QAccessibleInterface *pile = find(window, QAccessible::List, QStringLiteral("Ada Lovelace"));
        QVERIFY(pile);
        QCOMPARE(pile->text(QAccessible::Name),
            QStringLiteral("Ada Lovelace, Online now; Grace Hopper, Away; Katherine Johnson, Online now; "
                           "Alan Turing, Online now; Margaret Hamilton, Online now; and 3 more"));
        QTRY_COMPARE(pile->childCount(), 6);
        const QStringList names = {QStringLiteral("Ada Lovelace"), QStringLiteral("Grace Hopper"),
            QStringLiteral("Katherine Johnson"), QStringLiteral("Alan Turing"), QStringLiteral("Margaret Hamilton")};
        for (int i = 0; i < names.size(); ++i) {
            QAccessibleInterface *avatar = pile->child(i);
            QVERIFY(avatar);
            QCOMPARE(avatar->role(), QAccessible::ListItem);
            QCOMPARE(avatar->text(QAccessible::Name), names.at(i));
            QCOMPARE(avatar->parent(), pile);
        }
        QCOMPARE(pile->child(0)->text(QAccessible::Description), QStringLiteral("Online now, Reviewing"));
        QCOMPARE(pile->child(1)->text(QAccessible::Description), QStringLiteral("Away"));
        QAccessibleInterface *more = pile->child(5);
        QCOMPARE(more->role(), QAccessible::Button);
        QCOMPARE(more->text(QAccessible::Name), QStringLiteral("3 more people"));
        QCOMPARE(more->text(QAccessible::Description), QStringLiteral("Show everyone"));
        QVERIFY(more->actionInterface());
        QVERIFY(more->actionInterface()->actionNames().contains(QAccessibleActionInterface::pressAction()));
    }

    void theKeyboardAloneWalksThePileAndOpensTheList()
    {
        auto *before = m_view.rootObject()->findChild<QQuickItem *>(QStringLiteral("before"));
        before->forceActiveFocus();
        // Tab: one stop for the pile, on its first avatar.
        QTest::keyClick(&m_view, Qt::Key_Tab);
        QTRY_VERIFY(focused(m_view));
        QCOMPARE(focused(m_view)->role(), QAccessible::ListItem);
        QCOMPARE(focused(m_view)->text(QAccessible::Name), QStringLiteral("Ada Lovelace"));
        QVERIFY(focused(m_view)->state().focused);
        QTest::keyClick(&m_view, Qt::Key_Right);
        QTRY_COMPARE(focused(m_view)->text(QAccessible::Name), QStringLiteral("Grace Hopper"));
        QTest::keyClick(&m_view, Qt::Key_Right);
        QTest::keyClick(&m_view, Qt::Key_Left);
        QTRY_COMPARE(focused(m_view)->text(QAccessible::Name), QStringLiteral("Grace Hopper"));
        // Enter opens everyone, the keyboard in the list; Down walks it.
        QTest::keyClick(&m_view, Qt::Key_Return);
        QAccessibleInterface *window = QAccessible::queryAccessibleInterface(&m_view);
        QTRY_VERIFY(find(window, QAccessible::List, QStringLiteral("Everyone here")));
        QAccessibleInterface *everyone = find(window, QAccessible::List, QStringLiteral("Everyone here"));
        QVERIFY(find(everyone, QAccessible::Heading, QStringLiteral("Here now")));
        QVERIFY(find(everyone, QAccessible::Heading, QStringLiteral("Recently here")));
        // Each row is one item, named in full: nothing inside it is said again.
        QAccessibleInterface *ada = find(everyone, QAccessible::ListItem, QStringLiteral("Ada Lovelace"));
        QCOMPARE(ada->childCount(), 0);
        QVERIFY(!find(everyone, QAccessible::StaticText));
        QVERIFY(find(everyone, QAccessible::ListItem, QStringLiteral("Ada Lovelace, Online now · Reviewing")));
        QTest::keyClick(&m_view, Qt::Key_Down);
        // Escape closes it and gives the keyboard back where it was.
        QTest::keyClick(&m_view, Qt::Key_Escape);
        QTRY_VERIFY(!find(window, QAccessible::List, QStringLiteral("Everyone here")));
        QTRY_COMPARE(focused(m_view)->text(QAccessible::Name), QStringLiteral("Grace Hopper"));
        // Tab: "+3", which Enter opens too.
        QTest::keyClick(&m_view, Qt::Key_Tab);
        QTRY_COMPARE(focused(m_view)->text(QAccessible::Name), QStringLiteral("3 more people"));
        QCOMPARE(focused(m_view)->role(), QAccessible::Button);
        QTest::keyClick(&m_view, Qt::Key_Return);
        QTRY_VERIFY(find(window, QAccessible::List, QStringLiteral("Everyone here")));
        QTest::keyClick(&m_view, Qt::Key_Escape);
        QTRY_VERIFY(!find(window, QAccessible::List, QStringLiteral("Everyone here")));
    }

private:
    QQuickView m_view;
};

QTEST_MAIN(FacepileTest)

#include "tst_facepile.moc"
