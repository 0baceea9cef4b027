#pragma once

// Not part of the installed API: Qt's authorization code flow with what OpenID Connect and a
// desktop app need on top of Qt 6.4's.

#include <QOAuth2AuthorizationCodeFlow>

namespace Presence {

/// QOAuth2AuthorizationCodeFlow with PKCE (S256) and an OpenID Connect nonce, fresh for every
/// start(); Qt 6.4 has neither, and keeps one `state` for the object's life.
class OidcFlow : public QOAuth2AuthorizationCodeFlow
{
    Q_OBJECT

public:
    explicit OidcFlow(QNetworkAccessManager *manager, QObject *parent = nullptr);

    /// Asks for authorization (authorizeWithBrowser()) with a new state, nonce and PKCE
    /// verifier, for `scope`.
    void start(const QString &scope);
    /// The nonce of the last start(): the ID token must carry it.
    QString nonce() const { return m_nonce; }
    /// Qt 6.4 leaves a failed refresh in RefreshingToken for ever: the owner sets it back.
    using QAbstractOAuth::setStatus;

private:
    void addParameters(Stage stage, QMultiMap<QString, QVariant> *parameters) const;

    QByteArray m_verifier;
    QString m_nonce;
};

} // namespace Presence
