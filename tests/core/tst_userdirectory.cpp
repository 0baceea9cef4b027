// The users table in memory: lookups by workos id and email, and the JSON import format.
#include "userdirectory.h"

#include <QTest>

using namespace Presence;

namespace {

/// A row as `users import` writes it.
User imported(const QString &workosId, const QString &email, const QString &name, const QString &image)
{
    return {workosId, email, name, image, QStringLiteral("org"), true};
}
/// A row as a token's claims write it.
User claimed(const QString &workosId, const QString &email, const QString &name, const QString &image)
{
    return {workosId, email, name, image, QStringLiteral("org"), false};
}

} // namespace

class UserDirectoryTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void profileComesFromTheWorkosRow()
    {
        UserDirectory users;
        users.load({imported(
            QStringLiteral("user_1"), QStringLiteral("a@x.io"), QStringLiteral("Ann"), QStringLiteral("a.png"))});
        const User p = users.profileFor(QStringLiteral("user_1"));
        QCOMPARE(p.name, QStringLiteral("Ann"));
        QCOMPARE(p.image, QStringLiteral("a.png"));
        QVERIFY(users.profileFor(QStringLiteral("user_2")).name.isEmpty());
    }

    void missingFieldsComeFromTheEmailRow()
    {
        UserDirectory users;
        users.load({imported(QStringLiteral("user_1"), QStringLiteral("a@x.io"), QStringLiteral("Ann"), QString()),
            imported(QString(), QStringLiteral("A@X.IO"), QStringLiteral("Other"), QStringLiteral("e.png"))});
        const User p = users.profileFor(QStringLiteral("user_1"));
        QCOMPARE(p.name, QStringLiteral("Ann"));
        QCOMPARE(p.image, QStringLiteral("e.png"));
    }

    void mergeKeepsFieldsThatAreNotGiven()
    {
        UserDirectory users;
        User stored;
        QVERIFY(users.merge(
            imported(QStringLiteral("u"), QString(), QStringLiteral("Ann"), QStringLiteral("a.png")), &stored));
        QVERIFY(!users.wouldChange(imported(QStringLiteral("u"), QString(), QStringLiteral("Ann"), QString())));
        QVERIFY(!users.merge(imported(QStringLiteral("u"), QString(), QStringLiteral("Ann"), QString()), &stored));
        QVERIFY(users.merge(imported(QStringLiteral("u"), QString(), {}, QStringLiteral("b.png")), &stored));
        QCOMPARE(stored.name, QStringLiteral("Ann"));
        QCOMPARE(stored.image, QStringLiteral("b.png"));
        QCOMPARE(users.count(), 1);
    }

    void emailChangeMovesTheIndex()
    {
        UserDirectory users;
        User stored;
        users.merge(imported(QStringLiteral("u"), QStringLiteral("old@x.io"), QString(), QString()), &stored);
        users.merge(imported(QString(), QStringLiteral("old@x.io"), QStringLiteral("Old"), QString()), &stored);
        users.merge(imported(QString(), QStringLiteral("new@x.io"), QStringLiteral("New"), QString()), &stored);
        QCOMPARE(users.profileFor(QStringLiteral("u")).name, QStringLiteral("Old"));
        users.merge(imported(QStringLiteral("u"), QStringLiteral("new@x.io"), QString(), QString()), &stored);
        QCOMPARE(users.profileFor(QStringLiteral("u")).name, QStringLiteral("New"));
        QVERIFY(users.affectedBy(imported(QString(), QStringLiteral("new@x.io"), QString(), QString()))
                    .contains(QStringLiteral("u")));
        QVERIFY(!users.affectedBy(imported(QString(), QStringLiteral("old@x.io"), QString(), QString()))
                     .contains(QStringLiteral("u")));
    }

    // Issue 12, item 8: only imported rows are found by email; a token's claims make no
    // email-only rows and never move an imported row's email.
    void claimsAreNoFallbackForOthers()
    {
        UserDirectory users;
        User stored;
        QVERIFY(users.merge(
            claimed(QStringLiteral("mallory"), QStringLiteral("alice@x.io"), QStringLiteral("Alice?"), QString()),
            &stored));
        QVERIFY(users.profileFor(QStringLiteral("alice@x.io")).name.isEmpty());
        QVERIFY(!users.affectedBy(claimed(QString(), QStringLiteral("alice@x.io"), QString(), QString()))
                     .contains(QStringLiteral("mallory")));
        QVERIFY(
            !users.merge(claimed(QString(), QStringLiteral("bob@x.io"), QStringLiteral("Bob?"), QString()), &stored));
        QCOMPARE(users.count(), 1);

        QVERIFY(users.merge(
            imported(QStringLiteral("alice"), QStringLiteral("alice@x.io"), QStringLiteral("Alice"), QString()),
            &stored));
        QCOMPARE(users.profileFor(QStringLiteral("alice@x.io")).name, QStringLiteral("Alice"));
        QVERIFY(users.merge(
            claimed(QStringLiteral("alice"), QStringLiteral("other@x.io"), QStringLiteral("Alice L."), QString()),
            &stored));
        QCOMPARE(stored.email, QStringLiteral("alice@x.io"));
        QVERIFY(stored.imported);
        QCOMPARE(users.profileFor(QStringLiteral("alice@x.io")).name, QStringLiteral("Alice L."));
        QVERIFY(users.profileFor(QStringLiteral("other@x.io")).name.isEmpty());
    }

    void parsesOurFormatAndWorkOsExports_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("array") << QByteArray(
            R"([{"workosId":"user_1","email":"a@x.io","name":"Ann Lee","image":"a.png"}])");
        QTest::newRow("users object") << QByteArray(
            R"({"users":[{"workos_id":"user_1","email":"a@x.io","name":"Ann Lee","picture":"a.png"}]})");
        QTest::newRow("workos list") << QByteArray(
            R"({"data":[{"object":"user","id":"user_1","email":"a@x.io","first_name":"Ann","last_name":"Lee",)"
            R"("profile_picture_url":"a.png","email_verified":true}],"list_metadata":{}})");
    }
    void parsesOurFormatAndWorkOsExports()
    {
        QFETCH(QByteArray, json);
        const auto users = UserDirectory::parseJson(json);
        QVERIFY2(users, qPrintable(users.error().message()));
        QCOMPARE(users.value().size(), 1);
        const User u = users.value().first();
        QCOMPARE(u.workosId, QStringLiteral("user_1"));
        QCOMPARE(u.email, QStringLiteral("a@x.io"));
        QCOMPARE(u.name, QStringLiteral("Ann Lee"));
        QCOMPARE(u.image, QStringLiteral("a.png"));
    }

    void badFilesSayWhatIsWrong_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not json") << QByteArray("[{") << "not valid JSON";
        QTest::newRow("wrong object") << QByteArray(R"({"people":[]})") << "array of users";
        QTest::newRow("entry not object") << QByteArray(R"([{"email":"a@x"}, 7])") << "users[1]: expected an object";
        QTest::newRow("no key") << QByteArray(R"([{"name":"Nobody"}])") << "workosId or an email";
        QTest::newRow("number name") << QByteArray(R"([{"email":"a@x","name":3}])") << "users[0].name";
        QTest::newRow("huge image") << (QByteArray(R"([{"email":"a@x","image":")") + QByteArray(3000, 'i') + "\"}]")
                                    << "image is longer";
    }
    void badFilesSayWhatIsWrong()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        const auto users = UserDirectory::parseJson(json);
        QVERIFY(!users);
        QCOMPARE(users.error().code(), Error::InvalidArgument);
        QVERIFY2(users.error().message().contains(mentions), qPrintable(users.error().message()));
    }
};

QTEST_GUILESS_MAIN(UserDirectoryTest)
#include "tst_userdirectory.moc"
