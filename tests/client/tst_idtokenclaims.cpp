// IdTokenClaims: what an ID token from the token endpoint says, checked against this sign-in.
#include "idtokenclaims_p.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Presence;

namespace {

QString tokenWith(const QJsonObject &claims)
{
    const auto part = [](const QByteArray &bytes) {
        return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    return QString::fromLatin1(part(R"({"alg":"RS256"})") + '.'
        + part(QJsonDocument(claims).toJson(QJsonDocument::Compact)) + '.' + part("signature"));
}

const qint64 Now = 1'800'000'000'000;

IdTokenClaims::Expected expected()
{
    return {QStringLiteral("https://auth.example.com"), QStringLiteral("presence-desktop"), Now,
        QStringLiteral("n0nce"), QString()};
}

QJsonObject alice()
{
    return {{QStringLiteral("iss"), QStringLiteral("https://auth.example.com")},
        {QStringLiteral("aud"), QStringLiteral("presence-desktop")}, {QStringLiteral("exp"), double(Now / 1000 + 60)},
        {QStringLiteral("nonce"), QStringLiteral("n0nce")}, {QStringLiteral("sub"), QStringLiteral("alice")},
        {QStringLiteral("name"), QStringLiteral("Alice Liddell")},
        {QStringLiteral("picture"), QStringLiteral("https://pictures.example.com/alice.png")}};
}

} // namespace

class IdTokenClaimsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aFittingTokenSaysWhoSignedIn()
    {
        const IdTokenClaims claims = IdTokenClaims::check(tokenWith(alice()), expected());
        QVERIFY(claims.isValid());
        QCOMPARE(claims.userId, QStringLiteral("alice"));
        QCOMPARE(claims.name, QStringLiteral("Alice Liddell"));
        QCOMPARE(claims.picture, QStringLiteral("https://pictures.example.com/alice.png"));
    }

    void theAppAmongSeveralAudiencesFits()
    {
        QJsonObject claims = alice();
        claims.insert(QStringLiteral("aud"), QJsonArray {QStringLiteral("other"), QStringLiteral("presence-desktop")});
        QVERIFY(IdTokenClaims::check(tokenWith(claims), expected()).isValid());
    }

    void tokensThatDoNotFitAreRefused_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<int>("error");
        const auto with = [](const QString &key, const QJsonValue &value) {
            QJsonObject claims = alice();
            if (value.isUndefined())
                claims.remove(key);
            else
                claims.insert(key, value);
            return tokenWith(claims);
        };
        QTest::newRow("empty") << QString() << int(IdTokenClaims::Unreadable);
        QTest::newRow("two parts") << QStringLiteral("a.b") << int(IdTokenClaims::Unreadable);
        QTest::newRow("four parts") << tokenWith(alice()) + QStringLiteral(".x") << int(IdTokenClaims::Unreadable);
        QTest::newRow("not base64") << QStringLiteral("a.!!!.c") << int(IdTokenClaims::Unreadable);
        QTest::newRow("not JSON") << QStringLiteral("a.bm90IGpzb24.c") << int(IdTokenClaims::Unreadable);
        QTest::newRow("non-Latin-1") << QStringLiteral("a.\u00e9\u4e2d.c") << int(IdTokenClaims::Unreadable);
        QTest::newRow("other issuer") << with(QStringLiteral("iss"), QStringLiteral("https://evil.example.com"))
                                      << int(IdTokenClaims::OtherIssuer);
        QTest::newRow("issuer as a number") << with(QStringLiteral("iss"), 1) << int(IdTokenClaims::OtherIssuer);
        QTest::newRow("other audience") << with(QStringLiteral("aud"), QStringLiteral("other"))
                                        << int(IdTokenClaims::OtherAudience);
        QTest::newRow("no audience") << with(QStringLiteral("aud"), QJsonValue::Undefined)
                                     << int(IdTokenClaims::OtherAudience);
        QTest::newRow("expired") << with(QStringLiteral("exp"), double(Now / 1000 - 1)) << int(IdTokenClaims::Expired);
        QTest::newRow("no expiry") << with(QStringLiteral("exp"), QJsonValue::Undefined) << int(IdTokenClaims::Expired);
        QTest::newRow("expiry as text") << with(QStringLiteral("exp"), QStringLiteral("9999999999"))
                                        << int(IdTokenClaims::Expired);
        QTest::newRow("expiry beyond any clock") << with(QStringLiteral("exp"), 1e300) << int(IdTokenClaims::Expired);
        QTest::newRow("wrong nonce") << with(QStringLiteral("nonce"), QStringLiteral("other"))
                                     << int(IdTokenClaims::WrongNonce);
        QTest::newRow("no nonce") << with(QStringLiteral("nonce"), QJsonValue::Undefined)
                                  << int(IdTokenClaims::WrongNonce);
        QTest::newRow("nobody") << with(QStringLiteral("sub"), QJsonValue::Undefined) << int(IdTokenClaims::Nobody);
        QTest::newRow("sub as a number") << with(QStringLiteral("sub"), 42) << int(IdTokenClaims::Nobody);
    }
    void tokensThatDoNotFitAreRefused()
    {
        QFETCH(QString, token);
        QFETCH(int, error);
        const IdTokenClaims claims = IdTokenClaims::check(token, expected());
        QCOMPARE(int(claims.error), error);
        QVERIFY(claims.userId.isEmpty());
    }

    void aRefreshNeedsNoNonceButTheSamePerson()
    {
        IdTokenClaims::Expected refresh = expected();
        refresh.nonce.clear();
        refresh.userId = QStringLiteral("alice");
        QJsonObject claims = alice();
        claims.remove(QStringLiteral("nonce"));
        QVERIFY(IdTokenClaims::check(tokenWith(claims), refresh).isValid());
        claims.insert(QStringLiteral("sub"), QStringLiteral("mallory"));
        QCOMPARE(IdTokenClaims::check(tokenWith(claims), refresh).error, IdTokenClaims::SomeoneElse);
    }
};

QTEST_GUILESS_MAIN(IdTokenClaimsTest)

#include "tst_idtokenclaims.moc"
