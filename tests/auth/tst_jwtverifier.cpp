// The auth matrix: which tokens become an identity, and why the others do not.
#include "jwtverifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include "testtokens.h"

using namespace Presence;

namespace {
constexpr qint64 Now = 1'800'000'000;
} // namespace

class JwtVerifierTest : public QObject
{
    Q_OBJECT

private:
    TestTokens tokens;
    JwtVerifier verifier;

    static QJsonObject claims(const QJsonObject &extra = {}) { return TestTokens::claims(Now, extra); }
    static QByteArray hs256(const QJsonObject &payload, const QByteArray &secret = TestTokens::Secret)
    {
        return TestTokens::hs256(payload, secret);
    }
    static QByteArray b64(const QByteArray &data) { return TestTokens::b64(data); }
    static QByteArray json(const QJsonObject &object) { return TestTokens::json(object); }

    QString rejection(const QByteArray &token) const
    {
        const auto result = verifier.verify(token, Now);
        if (result)
            return QStringLiteral("accepted");
        if (result.error().code() != Error::Unauthenticated)
            return QStringLiteral("wrong code");
        return result.error().message();
    }

private Q_SLOTS:
    void initTestCase()
    {
        const auto loaded = verifier.loadJwks(tokens.jwks());
        QVERIFY2(loaded, qPrintable(loaded.error().message()));
        QCOMPARE(loaded.value(), 1);
        QVERIFY(verifier.setHs256Secret(TestTokens::Secret));
        JwtVerifier::Options options;
        options.issuer = TestTokens::Issuer;
        options.audience = TestTokens::Audience;
        verifier.setOptions(options);
    }
    void validRs256FromJwks()
    {
        const auto identity = verifier.verify(tokens.rs256(claims()), Now);
        QVERIFY2(identity, qPrintable(identity.error().message()));
        QCOMPARE(identity.value().userId, QStringLiteral("user_01"));
        QCOMPARE(identity.value().organization, QStringLiteral("org_01"));
    }

    void validHs256()
    {
        const auto identity = verifier.verify(hs256(claims()), Now);
        QVERIFY2(identity, qPrintable(identity.error().message()));
        QCOMPARE(identity.value().userId, QStringLiteral("user_01"));
    }

    void profileClaimsReachTheIdentity()
    {
        const auto identity
            = verifier.verify(hs256(claims({{QStringLiteral("email"), QStringLiteral("ada@example.com")},
                                  {QStringLiteral("name"), QStringLiteral("Ada")},
                                  {QStringLiteral("picture"), QStringLiteral("https://i/ada.png")}})),
                Now);
        QCOMPARE(identity.value().email, QStringLiteral("ada@example.com"));
        QCOMPARE(identity.value().name, QStringLiteral("Ada"));
        QCOMPARE(identity.value().picture, QStringLiteral("https://i/ada.png"));
    }

    void audienceMayBeAList()
    {
        const QJsonArray audiences {QStringLiteral("other"), QStringLiteral("presence")};
        QVERIFY(verifier.verify(hs256(claims({{QStringLiteral("aud"), audiences}})), Now));
    }

    void leewayToleratesSmallClockSkew()
    {
        QVERIFY(verifier.verify(hs256(claims({{QStringLiteral("exp"), Now - 20}})), Now));
        QVERIFY(verifier.verify(hs256(claims({{QStringLiteral("nbf"), Now + 20}})), Now));
    }

    void refusedTokens_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QString>("reason");
        for (const TestTokens::Refusal &refusal : tokens.refusals(Now))
            QTest::newRow(refusal.name.constData()) << refusal.token << refusal.reason;
        const QByteArray rs512 = b64(json({{QStringLiteral("alg"), QStringLiteral("RS512")},
                                     {QStringLiteral("kid"), QStringLiteral("key-1")}}))
            + '.' + b64(json(claims())) + ".c2ln";
        QTest::newRow("other algorithm") << rs512 << "is not accepted";
        QTest::newRow("empty") << QByteArray() << "no token";
        QTest::newRow("two parts") << QByteArray("abc.def") << "not a JWS";
        QTest::newRow("not base64url") << QByteArray("a$b.c*d.e!f") << "not base64url";
        QTest::newRow("not json") << (b64("hello") + '.' + b64("world") + '.' + b64("sig")) << "not JSON";
        QTest::newRow("huge") << QByteArray(20'000, 'a') << "too long";
    }
    void refusedTokens()
    {
        QFETCH(QByteArray, token);
        QFETCH(QString, reason);
        const QString message = rejection(token);
        QVERIFY2(message.contains(reason), qPrintable(message));
    }

    // A provider's bad answer must not lock everyone out: an empty or RSA-less set replaces
    // nothing.
    void aKeySetWithoutRsaKeysReplacesNothing()
    {
        JwtVerifier verifier;
        QVERIFY(verifier.loadJwks(tokens.jwks()));
        const QByteArray token = tokens.rs256(claims());
        QVERIFY(verifier.verify(token, Now));
        const auto empty = verifier.loadJwks(json({{QStringLiteral("keys"), QJsonArray()}}));
        QVERIFY(!empty);
        QVERIFY(empty.error().message().contains(QLatin1String("no RSA signing key")));
        QVERIFY(!verifier.loadJwks(R"({"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]})"));
        QVERIFY(verifier.verify(token, Now));
        QVERIFY(verifier.hasKey(QStringLiteral("key-1")));
        QCOMPARE(JwtVerifier::keyId(token), QStringLiteral("key-1"));
    }

    void hs256CanBeTurnedOff()
    {
        JwtVerifier verifier;
        QVERIFY(verifier.setHs256Secret(TestTokens::Secret));
        QVERIFY(verifier.verify(hs256(claims()), Now));
        verifier.clearHs256Secret();
        QVERIFY(!verifier.verify(hs256(claims()), Now));
    }

    void hs256IsRefusedWithoutASecret()
    {
        JwtVerifier rsaOnly;
        rsaOnly.loadJwks(json({{QStringLiteral("keys"), QJsonArray()}}));
        const auto result = rsaOnly.verify(hs256(claims(), tokens.publicKeyPem()), Now);
        QVERIFY(!result);
        QVERIFY(result.error().message().contains(QLatin1String("HS256 tokens are not accepted")));
    }

    void claimNamesAreConfigurable()
    {
        JwtVerifier custom;
        custom.setHs256Secret(TestTokens::Secret);
        JwtVerifier::Options options;
        options.userClaim = QStringLiteral("uid");
        options.organizationClaim = QStringLiteral("tenant");
        custom.setOptions(options);
        const auto identity = custom.verify(hs256(claims({{QStringLiteral("uid"), QStringLiteral("u9")},
                                                {QStringLiteral("tenant"), QStringLiteral("t9")}})),
            Now);
        QVERIFY2(identity, qPrintable(identity.error().message()));
        QCOMPARE(identity.value().userId, QStringLiteral("u9"));
        QCOMPARE(identity.value().organization, QStringLiteral("t9"));
    }

    void badKeyMaterialIsRefusedAtLoad()
    {
        JwtVerifier v;
        QVERIFY(!v.setHs256Secret("short"));
        QVERIFY(!v.loadJwks("not json"));
        QVERIFY(!v.loadJwks(R"({"nokeys": []})"));
        QVERIFY(!v.loadJwks(R"({"keys": [{"kty": "RSA", "kid": "k", "n": "AQAB", "e": "AQAB"}]})")); // 24-bit modulus
    }
};

QTEST_GUILESS_MAIN(JwtVerifierTest)
#include "tst_jwtverifier.moc"
