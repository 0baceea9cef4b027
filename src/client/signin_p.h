#pragma once

// Not part of the installed API: a SignIn's state.

#include "signin.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QTimer>

class QNetworkReply;

namespace Presence {

class LoopbackReplyHandler;
class OidcFlow;
class RefreshTokenStore;

class SignInPrivate
{
public:
    explicit SignInPrivate(SignIn *q);

    SignIn *q;
    QUrl issuer;
    QString clientId;
    QString scope = QStringLiteral("openid profile email offline_access");
    QPointer<Client> client;
    QMetaObject::Connection clientConnection;
    SignIn::State state = SignIn::SignedOut;
    QString accessToken;
    QString userId;
    QString name;
    QString picture;
    QString email;
    QString error;
    QUrl revocationEndpoint;
    QNetworkAccessManager network;
    OidcFlow *flow;
    LoopbackReplyHandler *handler;
    RefreshTokenStore *store;
    bool restoring = false; // signing in with the keychain's refresh token, not the browser
    QString keptRefreshToken; // read from the keychain, for the refresh that restores
    QString storedRefreshToken; // the one written to the keychain last
    QPointer<QNetworkReply> discovery;
    QTimer refreshTimer;
    int refreshFailures = 0;
    QElapsedTimer sinceToken; // since the last access token came
    qint64 tokenLifetimeMs = 0;

    void setState(SignIn::State next);
    /// Reads the issuer's discovery document, then opens the browser.
    void discover();
    void discovered(QNetworkReply *reply);
    /// Tokens came (a sign-in or a refresh).
    void granted();
    /// The token endpoint refused or could not be reached.
    void tokenRequestFailed(const QString &code, const QString &message);
    /// The client asks for a token: the server refused this one, or it is about to expire.
    void tokenRequested();
    /// Takes who signed in from the ID token; false (and `why`) if it is not for this sign-in.
    bool takeIdToken(const QString &idToken, bool checkNonce, QString *why);
    void setAccessToken(const QString &token);
    void scheduleRefresh();
    /// Forgets the tokens and who signed in; the client is given an empty token.
    void forget();
    /// The keychain entry of this issuer and client id.
    void setAccount();
    /// Ends signed out with the error `code`, `message`.
    void fail(const QString &code, const QString &message);
};

} // namespace Presence
