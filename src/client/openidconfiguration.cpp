#include "openidconfiguration_p.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace Presence {

OpenIdConfiguration OpenIdConfiguration::parse(const QByteArray &json, const QUrl &issuer)
{
    OpenIdConfiguration configuration;
    const QJsonObject document = QJsonDocument::fromJson(json).object();
    const QJsonValue named = document.value(QLatin1String("issuer"));
    if (!named.isString() || named.toString() != issuerText(issuer))
        return configuration; // OtherIssuer
    const QUrl authorization(document.value(QLatin1String("authorization_endpoint")).toString(), QUrl::StrictMode);
    const QUrl token(document.value(QLatin1String("token_endpoint")).toString(), QUrl::StrictMode);
    if (!isSafeEndpoint(authorization) || !isSafeEndpoint(token)) {
        configuration.error = UnsafeEndpoints;
        return configuration;
    }
    const QUrl revocation(document.value(QLatin1String("revocation_endpoint")).toString(), QUrl::StrictMode);
    configuration.error = NoError;
    configuration.authorizationEndpoint = authorization;
    configuration.tokenEndpoint = token;
    configuration.revocationEndpoint = isSafeEndpoint(revocation) ? revocation : QUrl();
    return configuration;
}

QString OpenIdConfiguration::issuerText(const QUrl &issuer)
{
    QString text = issuer.toString(QUrl::FullyEncoded);
    while (text.endsWith(QLatin1Char('/')))
        text.chop(1);
    return text;
}

bool OpenIdConfiguration::isSafeEndpoint(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty())
        return false;
    if (url.scheme() == QLatin1String("https"))
        return true;
    return url.scheme() == QLatin1String("http")
        && (url.host() == QLatin1String("127.0.0.1") || url.host() == QLatin1String("localhost")
            || url.host() == QLatin1String("::1"));
}

} // namespace Presence
