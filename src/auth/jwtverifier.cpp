#include "jwtverifier.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <cmath>
#include <optional>

namespace Presence {

namespace {

constexpr auto Base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
constexpr int MinSecretLength = 32;
constexpr int MaxTokenLength = 16 * 1024;
// NumericDate claims past 9999-12-31 (or before 1970) are no dates: refused before any
// arithmetic, which on 1e16 or 1e300 would overflow (exp: 1e16 once made validUntil negative).
constexpr double MaxNumericDate = 253402300799.0;

// A NumericDate claim: absent, or a number of seconds in [0, MaxNumericDate].
std::optional<std::optional<qint64>> numericDate(const QJsonObject &claims, const char *name)
{
    const QJsonValue value = claims.value(QLatin1String(name));
    if (value.isUndefined())
        return std::optional<qint64>();
    if (!value.isDouble())
        return std::nullopt;
    const double seconds = value.toDouble();
    if (!std::isfinite(seconds) || seconds < 0 || seconds > MaxNumericDate)
        return std::nullopt;
    return std::optional<qint64>(qint64(seconds));
}

struct PkeyDeleter
{
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

Error unauthenticated(const QString &why)
{
    return Error(Error::Unauthenticated, QStringLiteral("invalid token: ") + why);
}

// Strict base64url: a token with other characters is malformed, not "close enough".
bool decodeBase64Url(const QByteArray &in, QByteArray *out)
{
    const auto result = QByteArray::fromBase64Encoding(in, Base64Url | QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return false;
    *out = result.decoded;
    return true;
}

Pkey rsaKeyFromJwk(const QByteArray &n, const QByteArray &e)
{
    OSSL_PARAM_BLD *builder = OSSL_PARAM_BLD_new();
    BIGNUM *modulus = BN_bin2bn(reinterpret_cast<const unsigned char *>(n.constData()), int(n.size()), nullptr);
    BIGNUM *exponent = BN_bin2bn(reinterpret_cast<const unsigned char *>(e.constData()), int(e.size()), nullptr);
    OSSL_PARAM *params = nullptr;
    EVP_PKEY *key = nullptr;
    if (builder && modulus && exponent && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_N, modulus)
        && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_E, exponent)
        && (params = OSSL_PARAM_BLD_to_param(builder))) {
        EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
        if (ctx && EVP_PKEY_fromdata_init(ctx) > 0)
            EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
        EVP_PKEY_CTX_free(ctx);
    }
    OSSL_PARAM_free(params);
    BN_free(modulus);
    BN_free(exponent);
    OSSL_PARAM_BLD_free(builder);
    return Pkey(key);
}

QByteArray hmacSha256(const QByteArray &key, const QByteArray &data)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    size_t length = 0;
    if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.constData(), size_t(key.size()),
            reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size()), out, sizeof out, &length)) {
        return {};
    }
    return QByteArray(reinterpret_cast<const char *>(out), qsizetype(length));
}

bool verifyRs256(EVP_PKEY *key, const QByteArray &data, const QByteArray &signature)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const bool ok = ctx && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1
        && EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(signature.constData()),
               size_t(signature.size()), reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size()))
            == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

} // namespace

class JwtVerifierPrivate
{
public:
    JwtVerifier::Options options;
    QHash<QString, std::shared_ptr<EVP_PKEY>> rsaKeys; // by kid
    QByteArray secret;
};

JwtVerifier::JwtVerifier()
    : d(std::make_unique<JwtVerifierPrivate>())
{
}

JwtVerifier::~JwtVerifier() = default;

void JwtVerifier::setOptions(const Options &options)
{
    d->options = options;
}

JwtVerifier::Options JwtVerifier::options() const
{
    return d->options;
}

Result<int> JwtVerifier::loadJwks(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return Error(Error::InvalidArgument, QStringLiteral("JWKS is not valid JSON: %1").arg(error.errorString()));
    if (!doc.object().value(QLatin1String("keys")).isArray())
        return Error(Error::InvalidArgument, QStringLiteral("JWKS has no \"keys\" array"));
    QHash<QString, std::shared_ptr<EVP_PKEY>> keys;
    const QJsonArray list = doc.object().value(QLatin1String("keys")).toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonObject jwk = list.at(i).toObject();
        const QString use = jwk.value(QLatin1String("use")).toString(QStringLiteral("sig"));
        const QString alg = jwk.value(QLatin1String("alg")).toString(QStringLiteral("RS256"));
        if (jwk.value(QLatin1String("kty")).toString() != QLatin1String("RSA") || use != QLatin1String("sig")
            || alg != QLatin1String("RS256")) {
            continue;
        }
        const QString kid = jwk.value(QLatin1String("kid")).toString();
        QByteArray n, e;
        if (kid.isEmpty() || !decodeBase64Url(jwk.value(QLatin1String("n")).toString().toLatin1(), &n)
            || !decodeBase64Url(jwk.value(QLatin1String("e")).toString().toLatin1(), &e) || n.size() < 256) {
            return Error(Error::InvalidArgument,
                QStringLiteral("JWKS key %1 needs a kid and base64url n (≥ 2048 bits) and e").arg(i));
        }
        Pkey key = rsaKeyFromJwk(n, e);
        if (!key)
            return Error(
                Error::InvalidArgument, QStringLiteral("JWKS key %1 (%2) is not a valid RSA key").arg(i).arg(kid));
        keys.insert(kid, std::shared_ptr<EVP_PKEY>(key.release(), PkeyDeleter()));
    }
    // A set without one usable key replaces nothing: a provider's bad answer must not lock
    // everyone out.
    if (keys.isEmpty())
        return Error(Error::InvalidArgument, QStringLiteral("JWKS holds no RSA signing key"));
    d->rsaKeys = keys;
    return int(keys.size());
}

Result<bool> JwtVerifier::setHs256Secret(const QByteArray &secret)
{
    if (secret.size() < MinSecretLength) {
        return Error(
            Error::InvalidArgument, QStringLiteral("an HS256 secret needs at least %1 bytes").arg(MinSecretLength));
    }
    d->secret = secret;
    return true;
}

Result<Identity> JwtVerifier::verify(const QByteArray &token, qint64 now) const
{
    if (token.isEmpty())
        return unauthenticated(QStringLiteral("no token"));
    if (token.size() > MaxTokenLength)
        return unauthenticated(QStringLiteral("token is too long"));
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3)
        return unauthenticated(QStringLiteral("not a JWS compact token"));

    QByteArray headerJson, payloadJson, signature;
    if (!decodeBase64Url(parts[0], &headerJson) || !decodeBase64Url(parts[1], &payloadJson)
        || !decodeBase64Url(parts[2], &signature)) {
        return unauthenticated(QStringLiteral("not base64url"));
    }
    const QJsonObject header = QJsonDocument::fromJson(headerJson).object();
    const QJsonObject claims = QJsonDocument::fromJson(payloadJson).object();
    if (header.isEmpty() || claims.isEmpty())
        return unauthenticated(QStringLiteral("header or claims are not JSON objects"));

    // RFC 7515 §4.1.11: extensions a token marks critical must be understood, and we
    // understand none.
    if (header.contains(QLatin1String("crit")))
        return unauthenticated(
            QStringLiteral("the token has critical header parameters (crit), none of which are supported"));

    // The key decides the algorithm, never the token alone.
    const QByteArray signingInput = parts[0] + '.' + parts[1];
    const QString alg = header.value(QLatin1String("alg")).toString();
    if (alg == QLatin1String("RS256")) {
        const QString kid = header.value(QLatin1String("kid")).toString();
        const auto key = d->rsaKeys.constFind(kid);
        if (key == d->rsaKeys.cend())
            return unauthenticated(QStringLiteral("unknown key id \"%1\"").arg(kid.left(64)));
        if (!verifyRs256(key->get(), signingInput, signature))
            return unauthenticated(QStringLiteral("bad signature"));
    } else if (alg == QLatin1String("HS256")) {
        if (d->secret.isEmpty())
            return unauthenticated(QStringLiteral("HS256 tokens are not accepted here"));
        const QByteArray expected = hmacSha256(d->secret, signingInput);
        if (expected.isEmpty() || expected.size() != signature.size()
            || CRYPTO_memcmp(expected.constData(), signature.constData(), size_t(expected.size())) != 0) {
            return unauthenticated(QStringLiteral("bad signature"));
        }
    } else {
        return unauthenticated(QStringLiteral("algorithm \"%1\" is not accepted").arg(alg.left(16)));
    }

    const Options &o = d->options;
    const auto exp = numericDate(claims, "exp");
    const auto nbf = numericDate(claims, "nbf");
    const auto iat = numericDate(claims, "iat");
    if (!exp || !nbf || !iat)
        return unauthenticated(QStringLiteral("exp, nbf and iat must be dates: seconds from 1970 to 9999"));
    if (!*exp)
        return unauthenticated(QStringLiteral("no exp claim"));
    if (**exp + o.leewaySeconds <= now)
        return unauthenticated(QStringLiteral("expired"));
    if (*nbf && **nbf - o.leewaySeconds > now)
        return unauthenticated(QStringLiteral("not valid yet"));
    if (*iat && **iat - o.leewaySeconds > now)
        return unauthenticated(QStringLiteral("issued in the future (iat)"));
    if (!o.issuer.isEmpty() && claims.value(QLatin1String("iss")).toString() != o.issuer)
        return unauthenticated(QStringLiteral("wrong issuer"));
    if (!o.audience.isEmpty()) {
        const QJsonValue aud = claims.value(QLatin1String("aud"));
        const bool matches
            = aud.isArray() ? aud.toArray().contains(QJsonValue(o.audience)) : aud.toString() == o.audience;
        if (!matches)
            return unauthenticated(QStringLiteral("wrong audience"));
    }

    Identity identity;
    identity.userId = claims.value(o.userClaim).toString();
    identity.organization = claims.value(o.organizationClaim).toString();
    if (identity.userId.isEmpty())
        return unauthenticated(QStringLiteral("no \"%1\" claim").arg(o.userClaim));
    if (identity.organization.isEmpty())
        return unauthenticated(QStringLiteral("no \"%1\" claim").arg(o.organizationClaim));
    identity.email = claims.value(QLatin1String("email")).toString();
    identity.name = claims.value(QLatin1String("name")).toString();
    identity.picture = claims.value(QLatin1String("picture")).toString();
    identity.validUntil = (**exp + o.leewaySeconds) * 1000;
    if (!o.adminClaim.isEmpty()) {
        const qsizetype equals = o.adminClaim.indexOf(QLatin1Char('='));
        const QJsonValue claim = claims.value(equals < 0 ? o.adminClaim : o.adminClaim.left(equals));
        if (equals < 0) {
            identity.admin = claim.isBool() && claim.toBool();
        } else {
            const QJsonValue wanted(o.adminClaim.mid(equals + 1));
            identity.admin = claim.isArray() ? claim.toArray().contains(wanted) : claim == wanted;
        }
    }
    return identity;
}

void JwtVerifier::clearHs256Secret()
{
    d->secret.clear();
}

bool JwtVerifier::hasKey(const QString &kid) const
{
    return d->rsaKeys.contains(kid);
}

QString JwtVerifier::keyId(const QByteArray &token)
{
    if (token.size() > MaxTokenLength)
        return {};
    QByteArray header;
    if (!decodeBase64Url(token.left(token.indexOf('.')), &header))
        return {};
    return QJsonDocument::fromJson(header).object().value(QLatin1String("kid")).toString().left(256);
}

} // namespace Presence
