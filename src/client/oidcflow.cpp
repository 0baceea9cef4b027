#include "oidcflow_p.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace Presence {

namespace {

// Unguessable and URL-safe: 32 random bytes in base64url, 43 characters (RFC 7636's verifier).
QByteArray randomText()
{
    quint32 words[8];
    QRandomGenerator::system()->fillRange(words);
    return QByteArray(reinterpret_cast<const char *>(words), sizeof words)
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

void set(QMultiMap<QString, QVariant> *parameters, const QString &key, const QVariant &value)
{
    // replace(), not insert(): a key twice is a form field twice, which providers refuse.
    parameters->replace(key, value);
}

} // namespace

OidcFlow::OidcFlow(QNetworkAccessManager *manager, QObject *parent)
    : QOAuth2AuthorizationCodeFlow(manager, parent)
{
    setModifyParametersFunction(
        [this](Stage stage, QMultiMap<QString, QVariant> *parameters) { addParameters(stage, parameters); });
}

void OidcFlow::start(const QString &scope)
{
    m_verifier = randomText();
    m_nonce = QString::fromLatin1(randomText());
    setState(QString::fromLatin1(randomText()));
    // Qt 6.4 replaces the scope with the token endpoint's answer: set it every time.
    setScope(scope);
    grant();
}

void OidcFlow::addParameters(Stage stage, QMultiMap<QString, QVariant> *parameters) const
{
    switch (stage) {
    case Stage::RequestingAuthorization:
        set(parameters, QStringLiteral("code_challenge"),
            QCryptographicHash::hash(m_verifier, QCryptographicHash::Sha256)
                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        set(parameters, QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
        set(parameters, QStringLiteral("nonce"), m_nonce);
        break;
    case Stage::RequestingAccessToken:
        set(parameters, QStringLiteral("code_verifier"), m_verifier);
        break;
    case Stage::RefreshingAccessToken:
        // A public client has no secret; Qt 6.4 sends an empty one, and the redirect of a
        // loopback listener closed since.
        parameters->remove(QStringLiteral("client_secret"));
        parameters->remove(QStringLiteral("redirect_uri"));
        break;
    default:
        break;
    }
}

} // namespace Presence
