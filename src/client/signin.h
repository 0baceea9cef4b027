#pragma once

#include "presenceclient_export.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace Presence {

class Client;
class SignInPrivate;

/// Signs the user in with their organization's identity provider (OpenID Connect: the
/// authorization code flow with PKCE, in the system browser, back through a loopback
/// redirect), and keeps the access token fresh for a Client.
///
/// signIn() reads the issuer's `/.well-known/openid-configuration`, opens the browser on its
/// sign-in page (QDesktopServices::openUrl()) and waits for the redirect to 127.0.0.1. Signed
/// in, the access token goes to client(), and is refreshed before it expires (and whenever the
/// client asks: Client::tokenRequested()). Who signed in comes from the ID token's claims.
/// A refused sign-in, a provider that cannot be reached, or a refresh token that no longer
/// works ends signed out with errorString() saying why: never a crash, never a silent retry.
/// The refresh token is kept in the operating system's keychain, never in a file, so that
/// restore() signs the user in on the next start without the browser.
///
/// \code
/// Presence::SignIn signIn;
/// signIn.setIssuer(QUrl(QStringLiteral("https://auth.example.com")));
/// signIn.setClientId(QStringLiteral("presence-desktop"));
/// signIn.setClient(&client);
/// signIn.signIn();
/// \endcode
class PRESENCECLIENT_EXPORT SignIn : public QObject
{
    Q_OBJECT
    /// The identity provider, e.g. `https://auth.example.com` (its discovery document is read
    /// from `/.well-known/openid-configuration` under it).
    Q_PROPERTY(QUrl issuer READ issuer WRITE setIssuer NOTIFY issuerChanged)
    /// The application's client id at the provider (a public client: no secret).
    Q_PROPERTY(QString clientId READ clientId WRITE setClientId NOTIFY clientIdChanged)
    /// The scopes asked for (default `openid profile email offline_access`).
    Q_PROPERTY(QString scope READ scope WRITE setScope NOTIFY scopeChanged)
    /// The client given each new access token; none: only accessToken() has it.
    Q_PROPERTY(Presence::Client *client READ client WRITE setClient NOTIFY clientChanged)
    /// Where the sign-in stands.
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    /// The access token to send to presence-server; empty while signed out.
    Q_PROPERTY(QString accessToken READ accessToken NOTIFY accessTokenChanged)
    /// Who signed in: the ID token's `sub`, `name`, `picture` and `email` (empty while signed out).
    Q_PROPERTY(QString userId READ userId NOTIFY identityChanged)
    Q_PROPERTY(QString name READ name NOTIFY identityChanged)
    Q_PROPERTY(QString picture READ picture NOTIFY identityChanged)
    Q_PROPERTY(QString email READ email NOTIFY identityChanged)
    /// Why the last sign-in or refresh failed, for people; empty if it did not.
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorOccurred)

public:
    /// Where the sign-in stands.
    enum State {
        SignedOut, ///< no token: signIn() starts
        SigningIn, ///< reading the provider's configuration, or waiting for the browser
        SignedIn, ///< a token, refreshed before it expires
    };
    Q_ENUM(State)

    explicit SignIn(QObject *parent = nullptr);
    ~SignIn() override;

    ///@{
    /// The issuer property.
    QUrl issuer() const;
    void setIssuer(const QUrl &issuer);
    ///@}
    ///@{
    /// The clientId property.
    QString clientId() const;
    void setClientId(const QString &clientId);
    ///@}
    ///@{
    /// The scope property.
    QString scope() const;
    void setScope(const QString &scope);
    ///@}
    ///@{
    /// The client property.
    Client *client() const;
    void setClient(Client *client);
    ///@}

    /// The state property.
    State state() const;
    /// The accessToken property.
    QString accessToken() const;
    /// The userId property.
    QString userId() const;
    /// The name property.
    QString name() const;
    /// The picture property.
    QString picture() const;
    /// The email property.
    QString email() const;
    /// The errorString property.
    QString errorString() const;

public Q_SLOTS:
    /// Starts signing in in the browser; does nothing while signing in or signed in.
    void signIn();
    /// Signs in again without the browser, with the refresh token the operating system's
    /// keychain kept from the last sign-in at this issuer and client id. Without one (or
    /// without a keychain) it ends signed out, with no error: call signIn() then.
    void restore();
    /// Stops a sign-in under way (the browser's page is left alone): signed out.
    void cancel();
    /// Signs out: the refresh token is revoked at the provider when it offers that, the tokens
    /// are forgotten, and client() is given an empty token (its rooms leave).
    void signOut();
    /// Refreshes the access token now (signed in only).
    void refresh();

Q_SIGNALS:
    ///@{
    /// A property of the same name changed.
    void issuerChanged();
    void clientIdChanged();
    void scopeChanged();
    void clientChanged();
    void stateChanged();
    void accessTokenChanged();
    void identityChanged();
    ///@}
    /// Signing in or refreshing failed: `code` is the provider's (`access_denied`,
    /// `invalid_grant`, ...) or `unavailable` when it could not be reached, `message` says it
    /// for people. The state is SignedOut after it.
    void errorOccurred(const QString &code, const QString &message);

private:
    friend class SignInPrivate;
    std::unique_ptr<SignInPrivate> d;
};

} // namespace Presence
