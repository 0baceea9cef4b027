#include "tokensigner.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>

namespace Presence {

QByteArray TokenSigner::signHs256(const QJsonObject &claims, const QByteArray &secret)
{
    constexpr auto Base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
    const QJsonObject header {
        {QStringLiteral("alg"), QStringLiteral("HS256")}, {QStringLiteral("typ"), QStringLiteral("JWT")}};
    const QByteArray input = QJsonDocument(header).toJson(QJsonDocument::Compact).toBase64(Base64Url) + '.'
        + QJsonDocument(claims).toJson(QJsonDocument::Compact).toBase64(Base64Url);
    return input + '.'
        + QMessageAuthenticationCode::hash(input, secret, QCryptographicHash::Sha256).toBase64(Base64Url);
}

} // namespace Presence
