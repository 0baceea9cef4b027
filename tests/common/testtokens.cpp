#include "testtokens.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "tokensigner.h"

namespace {

constexpr auto Base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

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

const QByteArray TestTokens::Secret = "a-development-secret-of-32-bytes-or-more";
const QString TestTokens::Issuer = QStringLiteral("https://auth.example.com");
const QString TestTokens::Audience = QStringLiteral("presence");

TestTokens::TestTokens()
    : m_rsa(EVP_RSA_gen(2048))
    , m_otherRsa(EVP_RSA_gen(2048))
{
    Q_ASSERT(m_rsa && m_otherRsa);
}

TestTokens::~TestTokens()
{
    EVP_PKEY_free(m_rsa);
    EVP_PKEY_free(m_otherRsa);
}

QByteArray TestTokens::b64(const QByteArray &data)
{
    return data.toBase64(Base64Url);
}

QByteArray TestTokens::json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray TestTokens::jwks() const
{
    const QJsonObject jwk {{QStringLiteral("kty"), QStringLiteral("RSA")},
        {QStringLiteral("kid"), QStringLiteral("key-1")}, {QStringLiteral("use"), QStringLiteral("sig")},
        {QStringLiteral("alg"), QStringLiteral("RS256")},
        {QStringLiteral("n"), QString::fromLatin1(b64(bignum(m_rsa, OSSL_PKEY_PARAM_RSA_N)))},
        {QStringLiteral("e"), QString::fromLatin1(b64(bignum(m_rsa, OSSL_PKEY_PARAM_RSA_E)))}};
    const QJsonObject encryptionKey {{QStringLiteral("kty"), QStringLiteral("RSA")},
        {QStringLiteral("kid"), QStringLiteral("enc")}, {QStringLiteral("use"), QStringLiteral("enc")}};
    return json({{QStringLiteral("keys"), QJsonArray {jwk, encryptionKey}}});
}

QByteArray TestTokens::publicKeyPem() const
{
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, m_rsa);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    const QByteArray pem(data, size);
    BIO_free(bio);
    return pem;
}

QJsonObject TestTokens::claims(qint64 now, const QJsonObject &extra)
{
    QJsonObject c {{QStringLiteral("sub"), QStringLiteral("user_01")},
        {QStringLiteral("org_id"), QStringLiteral("org_01")}, {QStringLiteral("iss"), Issuer},
        {QStringLiteral("aud"), Audience}, {QStringLiteral("iat"), now - 10}, {QStringLiteral("exp"), now + 300}};
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        if (it.value().isNull())
            c.remove(it.key());
        else
            c.insert(it.key(), it.value());
    }
    return c;
}

QByteArray TestTokens::rs256(const QJsonObject &payload, bool otherKey, const QString &kid) const
{
    const QByteArray input = b64(json({{QStringLiteral("alg"), QStringLiteral("RS256")}, {QStringLiteral("kid"), kid},
                                 {QStringLiteral("typ"), QStringLiteral("JWT")}}))
        + '.' + b64(json(payload));
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t length = 0;
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, otherKey ? m_otherRsa : m_rsa);
    EVP_DigestSign(
        ctx, nullptr, &length, reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size()));
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(signature.data()), &length,
        reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size()));
    EVP_MD_CTX_free(ctx);
    return input + '.' + b64(signature.left(qsizetype(length)));
}

QByteArray TestTokens::hs256(const QJsonObject &payload, const QByteArray &secret)
{
    return Presence::TokenSigner::signHs256(payload, secret);
}

QList<TestTokens::Refusal> TestTokens::refusals(qint64 now) const
{
    const auto c = [now](const char *key, const QJsonValue &value) {
        return claims(now, {{QLatin1String(key), value}});
    };
    QList<Refusal> list {
        {"expired", hs256(c("exp", now - 31)), QStringLiteral("expired")},
        {"no exp", hs256(c("exp", QJsonValue::Null)), QStringLiteral("no exp")},
        {"not yet valid", hs256(c("nbf", now + 60)), QStringLiteral("not valid yet")},
        {"wrong issuer", hs256(c("iss", QStringLiteral("https://evil.example.com"))), QStringLiteral("wrong issuer")},
        {"wrong audience", hs256(c("aud", QStringLiteral("billing"))), QStringLiteral("wrong audience")},
        {"no sub", hs256(c("sub", QJsonValue::Null)), QStringLiteral("no \"sub\" claim")},
        {"no org", hs256(c("org_id", QJsonValue::Null)), QStringLiteral("no \"org_id\" claim")},
        {"unknown kid", rs256(claims(now), false, QStringLiteral("key-2")), QStringLiteral("unknown key id")},
        {"signed by another key", rs256(claims(now), true), QStringLiteral("bad signature")},
        {"wrong secret", hs256(claims(now), QByteArray(40, 'x')), QStringLiteral("bad signature")},
        // The classic confusion: HS256 keyed with the RSA public key the server publishes.
        {"HS256 with the RSA public key", hs256(claims(now), publicKeyPem()), QStringLiteral("bad signature")},
        {"alg none", b64(json({{QStringLiteral("alg"), QStringLiteral("none")}})) + '.' + b64(json(claims(now))) + '.',
            QStringLiteral("algorithm \"none\" is not accepted")},
    };
    // Dates beyond any calendar: once accepted, exp 1e16 made validUntil negative.
    list.append({"exp far beyond 9999", hs256(c("exp", 1e16)), QStringLiteral("must be dates")});
    list.append({"exp beyond a double's integers", hs256(c("exp", 1e300)), QStringLiteral("must be dates")});
    list.append({"negative exp", hs256(c("exp", -1)), QStringLiteral("must be dates")});
    list.append({"exp as a string", hs256(c("exp", QString::number(now + 60))), QStringLiteral("must be dates")});
    list.append({"nbf far beyond 9999", hs256(c("nbf", 1e16)), QStringLiteral("must be dates")});
    list.append({"iat in the future", hs256(c("iat", now + 600)), QStringLiteral("issued in the future")});
    {
        // A critical extension we do not implement, validly signed.
        const QByteArray header = b64(json({{QStringLiteral("alg"), QStringLiteral("HS256")},
            {QStringLiteral("crit"), QJsonArray {QStringLiteral("exp")}}, {QStringLiteral("exp"), now + 60}}));
        const QByteArray input = header + '.' + b64(json(claims(now)));
        const QByteArray signature = QMessageAuthenticationCode::hash(input, Secret, QCryptographicHash::Sha256);
        list.append({"crit header", input + '.' + b64(signature), QStringLiteral("critical header")});
    }
    QByteArray tampered = rs256(claims(now));
    tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
    list.append({"tampered signature", tampered, QStringLiteral("bad signature")});
    const QByteArray genuine = hs256(claims(now));
    const QByteArray forged = b64(json(claims(now, {{QStringLiteral("sub"), QStringLiteral("user_admin")}})));
    list.append({"tampered claims", genuine.split('.')[0] + '.' + forged + '.' + genuine.split('.')[2],
        QStringLiteral("bad signature")});
    return list;
}
