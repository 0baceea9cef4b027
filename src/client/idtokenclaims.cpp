#include "idtokenclaims_p.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Presence {

namespace {

QJsonObject payloadOf(const QString &jwt)
{
    const QList<QStringView> parts = QStringView(jwt).split(QLatin1Char('.'));
    if (parts.size() != 3)
        return {};
    const QByteArray::FromBase64Result decoded = QByteArray::fromBase64Encoding(
        parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return {};
    return QJsonDocument::fromJson(*decoded).object();
}

} // namespace

IdTokenClaims IdTokenClaims::check(const QString &idToken, const Expected &expected)
{
    IdTokenClaims result;
    const QJsonObject claims = payloadOf(idToken);
    if (claims.isEmpty())
        return result; // Unreadable
    const QJsonValue issuer = claims.value(QLatin1String("iss"));
    if (!issuer.isString() || issuer.toString() != expected.issuer) {
        result.error = OtherIssuer;
        return result;
    }
    // One audience, or several with this app among them.
    const QJsonValue audience = claims.value(QLatin1String("aud"));
    if (expected.clientId.isEmpty()
        || (audience.toString() != expected.clientId && !audience.toArray().contains(expected.clientId))) {
        result.error = OtherAudience;
        return result;
    }
    const QJsonValue expiry = claims.value(QLatin1String("exp"));
    // Seconds since 1970, as a JSON number; beyond any date a clock shows is no expiry to trust.
    if (!expiry.isDouble() || !(expiry.toDouble() * 1000 > double(expected.nowMs))
        || expiry.toDouble() > 253402300799.0) {
        result.error = Expired;
        return result;
    }
    if (!expected.nonce.isEmpty() && claims.value(QLatin1String("nonce")).toString() != expected.nonce) {
        result.error = WrongNonce;
        return result;
    }
    const QString subject = claims.value(QLatin1String("sub")).toString();
    if (subject.isEmpty()) {
        result.error = Nobody;
        return result;
    }
    if (!expected.userId.isEmpty() && subject != expected.userId) {
        result.error = SomeoneElse;
        return result;
    }
    result.error = NoError;
    result.userId = subject;
    result.name = claims.value(QLatin1String("name")).toString();
    result.picture = claims.value(QLatin1String("picture")).toString();
    result.email = claims.value(QLatin1String("email")).toString();
    return result;
}

} // namespace Presence
