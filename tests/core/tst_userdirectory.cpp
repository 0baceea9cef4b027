// The users table in memory: lookups by workos id and email, and the JSON import format.
#include "userdirectory.h"

#include <QTest>

using namespace Presence;

class UserDirectoryTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void profileComesFromTheWorkosRow()
    {
        UserDirectory users;
        users.load(
            {{QStringLiteral("user_1"), QStringLiteral("a@x.io"), QStringLiteral("Ann"), QStringLiteral("a.png")}});
        const User p = users.profileFor(QStringLiteral("user_1"));
        QCOMPARE(p.name, QStringLiteral("Ann"));
        QCOMPARE(p.image, QStringLiteral("a.png"));
        QVERIFY(users.profileFor(QStringLiteral("user_2")).name.isEmpty());
    }

    void missingFieldsComeFromTheEmailRow()
    {
        UserDirectory users;
        users.load({{QStringLiteral("user_1"), QStringLiteral("a@x.io"), QStringLiteral("Ann"), {}},
            {{}, QStringLiteral("A@X.IO"), QStringLiteral("Other"), QStringLiteral("e.png")}});
        const User p = users.profileFor(QStringLiteral("user_1"));
        QCOMPARE(p.name, QStringLiteral("Ann"));
        QCOMPARE(p.image, QStringLiteral("e.png"));
    }

    void mergeKeepsFieldsThatAreNotGiven()
    {
        UserDirectory users;
        User stored;
        QVERIFY(users.merge({QStringLiteral("u"), {}, QStringLiteral("Ann"), QStringLiteral("a.png")}, &stored));
        QVERIFY(!users.wouldChange({QStringLiteral("u"), {}, QStringLiteral("Ann"), {}}));
        QVERIFY(!users.merge({QStringLiteral("u"), {}, QStringLiteral("Ann"), {}}, &stored));
        QVERIFY(users.merge({QStringLiteral("u"), {}, {}, QStringLiteral("b.png")}, &stored));
        QCOMPARE(stored.name, QStringLiteral("Ann"));
        QCOMPARE(stored.image, QStringLiteral("b.png"));
        QCOMPARE(users.count(), 1);
    }

    void emailChangeMovesTheIndex()
    {
        UserDirectory users;
        User stored;
        users.merge({QStringLiteral("u"), QStringLiteral("old@x.io"), {}, {}}, &stored);
        users.merge({{}, QStringLiteral("old@x.io"), QStringLiteral("Old"), {}}, &stored);
        users.merge({{}, QStringLiteral("new@x.io"), QStringLiteral("New"), {}}, &stored);
        QCOMPARE(users.profileFor(QStringLiteral("u")).name, QStringLiteral("Old"));
        users.merge({QStringLiteral("u"), QStringLiteral("new@x.io"), {}, {}}, &stored);
        QCOMPARE(users.profileFor(QStringLiteral("u")).name, QStringLiteral("New"));
        QVERIFY(users.affectedBy({{}, QStringLiteral("new@x.io"), {}, {}}).contains(QStringLiteral("u")));
        QVERIFY(!users.affectedBy({{}, QStringLiteral("old@x.io"), {}, {}}).contains(QStringLiteral("u")));
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
