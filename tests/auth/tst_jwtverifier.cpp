// The auth matrix: which tokens become an identity, and why the others do not.
#include "jwtverifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

using namespace Presence;

namespace {

constexpr qint64 Now = 1'800'000'000;
constexpr auto Base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
const QByteArray Secret = "a-development-secret-of-32-bytes-or-more";

QByteArray b64(const QByteArray &data)
{
    return data.toBase64(Base64Url);
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray bignum(EVP_PKEY *key, const char *name)
{
    BIGNUM *bn = nullptr;
    EVP_PKEY_get_bn_param(key, name, &bn);
    QByteArray out(BN_num_bytes(bn), Qt::Uninitialized);
    BN_bn2bin(bn, reinterpret_cast<unsigned char *>(out.data()));
    BN_free(bn);
    return out;
}

} // namespace

class JwtVerifierTest : public QObject
{
    Q_OBJECT

private:
    EVP_PKEY *rsa = nullptr;
    EVP_PKEY *otherRsa = nullptr;
    JwtVerifier verifier;

    QJsonObject claims(const QJsonObject &extra = {}) const
    {
        QJsonObject c {{QStringLiteral("sub"), QStringLiteral("user_01")},
            {QStringLiteral("org_id"), QStringLiteral("org_01")},
            {QStringLiteral("iss"), QStringLiteral("https://auth.example.com")},
            {QStringLiteral("aud"), QStringLiteral("presence")}, {QStringLiteral("iat"), Now - 10},
            {QStringLiteral("exp"), Now + 300}};
        for (auto it = extra.begin(); it != extra.end(); ++it) {
            if (it.value().isNull())
                c.remove(it.key());
            else
                c.insert(it.key(), it.value());
        }
        return c;
    }

    QByteArray rs256(const QJsonObject &payload, EVP_PKEY *key, const QString &kid = QStringLiteral("key-1")) const
    {
        const QByteArray input = b64(json({{QStringLiteral("alg"), QStringLiteral("RS256")},
                                     {QStringLiteral("kid"), kid}, {QStringLiteral("typ"), QStringLiteral("JWT")}}))
            + '.' + b64(json(payload));
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        size_t length = 0;
        EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key);
        EVP_DigestSign(
            ctx, nullptr, &length, reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size()));
        QByteArray signature(qsizetype(length), Qt::Uninitialized);
        EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(signature.data()), &length,
            reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size()));
        EVP_MD_CTX_free(ctx);
        return input + '.' + b64(signature.left(qsizetype(length)));
    }

    QByteArray hs256(const QJsonObject &payload, const QByteArray &secret = Secret) const
    {
        return JwtVerifier::signHs256(payload, secret);
    }

    QByteArray publicKeyPem() const
    {
        BIO *bio = BIO_new(BIO_s_mem());
        PEM_write_bio_PUBKEY(bio, rsa);
        char *data = nullptr;
        const long size = BIO_get_mem_data(bio, &data);
        const QByteArray pem(data, size);
        BIO_free(bio);
        return pem;
    }

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
        rsa = EVP_RSA_gen(2048);
        otherRsa = EVP_RSA_gen(2048);
        QVERIFY(rsa && otherRsa);
        const QJsonObject jwk {{QStringLiteral("kty"), QStringLiteral("RSA")},
            {QStringLiteral("kid"), QStringLiteral("key-1")}, {QStringLiteral("use"), QStringLiteral("sig")},
            {QStringLiteral("alg"), QStringLiteral("RS256")},
            {QStringLiteral("n"), QString::fromLatin1(b64(bignum(rsa, OSSL_PKEY_PARAM_RSA_N)))},
            {QStringLiteral("e"), QString::fromLatin1(b64(bignum(rsa, OSSL_PKEY_PARAM_RSA_E)))}};
        const QJsonObject encryptionKey {{QStringLiteral("kty"), QStringLiteral("RSA")},
            {QStringLiteral("kid"), QStringLiteral("enc")}, {QStringLiteral("use"), QStringLiteral("enc")}};
        const auto loaded = verifier.loadJwks(json({{QStringLiteral("keys"), QJsonArray {jwk, encryptionKey}}}));
        QVERIFY2(loaded, qPrintable(loaded.error().message()));
        QCOMPARE(loaded.value(), 1);
        QVERIFY(verifier.setHs256Secret(Secret));
        JwtVerifier::Options options;
        options.issuer = QStringLiteral("https://auth.example.com");
        options.audience = QStringLiteral("presence");
        verifier.setOptions(options);
    }
    void cleanupTestCase()
    {
        EVP_PKEY_free(rsa);
        EVP_PKEY_free(otherRsa);
    }

    void validRs256FromJwks()
    {
        const auto identity = verifier.verify(rs256(claims(), rsa), Now);
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
        const auto c = [this](const char *key, const QJsonValue &value) {
            return claims({{QLatin1String(key), value}});
        };
        QTest::newRow("expired") << hs256(c("exp", Now - 31)) << "expired";
        QTest::newRow("no exp") << hs256(c("exp", QJsonValue::Null)) << "no exp";
        QTest::newRow("not yet valid") << hs256(c("nbf", Now + 60)) << "not valid yet";
        QTest::newRow("wrong issuer") << hs256(c("iss", QStringLiteral("https://evil.example.com"))) << "wrong issuer";
        QTest::newRow("wrong audience") << hs256(c("aud", QStringLiteral("billing"))) << "wrong audience";
        QTest::newRow("no sub") << hs256(c("sub", QJsonValue::Null)) << "no \"sub\" claim";
        QTest::newRow("no org") << hs256(c("org_id", QJsonValue::Null)) << "no \"org_id\" claim";
        QTest::newRow("unknown kid") << rs256(claims(), rsa, QStringLiteral("key-2")) << "unknown key id";
        QTest::newRow("signed by another key") << rs256(claims(), otherRsa) << "bad signature";
        QTest::newRow("wrong secret") << hs256(claims(), QByteArray(40, 'x')) << "bad signature";

        QByteArray tampered = rs256(claims(), rsa);
        tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
        QTest::newRow("tampered signature") << tampered << "bad signature";
        const QByteArray genuine = hs256(claims());
        const QByteArray forgedPayload = b64(json(claims({{QStringLiteral("sub"), QStringLiteral("user_admin")}})));
        QTest::newRow("tampered claims") << (genuine.split('.')[0] + '.' + forgedPayload + '.' + genuine.split('.')[2])
                                         << "bad signature";

        const QByteArray none
            = b64(json({{QStringLiteral("alg"), QStringLiteral("none")}})) + '.' + b64(json(claims())) + '.';
        QTest::newRow("alg none") << none << "algorithm \"none\" is not accepted";
        const QByteArray rs512 = b64(json({{QStringLiteral("alg"), QStringLiteral("RS512")},
                                     {QStringLiteral("kid"), QStringLiteral("key-1")}}))
            + '.' + b64(json(claims())) + ".c2ln";
        QTest::newRow("other algorithm") << rs512 << "is not accepted";
        // The classic confusion: HS256 keyed with the RSA public key the server publishes.
        QTest::newRow("HS256 with the RSA public key") << hs256(claims(), publicKeyPem()) << "bad signature";

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

    void hs256IsRefusedWithoutASecret()
    {
        JwtVerifier rsaOnly;
        rsaOnly.loadJwks(json({{QStringLiteral("keys"), QJsonArray()}}));
        const auto result = rsaOnly.verify(hs256(claims(), publicKeyPem()), Now);
        QVERIFY(!result);
        QVERIFY(result.error().message().contains(QLatin1String("HS256 tokens are not accepted")));
    }

    void claimNamesAreConfigurable()
    {
        JwtVerifier custom;
        custom.setHs256Secret(Secret);
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
