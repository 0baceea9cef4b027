#include "signin.h"

#include "client.h"
#include "idtokenclaims_p.h"
#include "loopbackreplyhandler_p.h"
#include "oidcflow_p.h"
#include "openidconfiguration_p.h"
#include "refreshtokenstore_p.h"
#include "signin_p.h"

#include <QDateTime>
#include <QDesktopServices>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QUrlQuery>

namespace Presence {

Q_LOGGING_CATEGORY(lcSignIn, "presence.signin", QtInfoMsg)

namespace {

constexpr int DiscoveryTimeoutMs = 10'000;
// A refresh that could not reach the provider is tried again this many times, while the
// access token still works; then the sign-in ends.
constexpr int MaxRefreshRetries = 3;
constexpr int RefreshRetryMs = 5'000;

} // namespace

SignInPrivate::SignInPrivate(SignIn *q)
    : q(q)
    , flow(new OidcFlow(&network, q))
    , handler(new LoopbackReplyHandler(q))
    , store(new RefreshTokenStore(q))
{
    handler->close(); // listening only while a browser may come back
    flow->setReplyHandler(handler);
    refreshTimer.setSingleShot(true);
    QObject::connect(&refreshTimer, &QTimer::timeout, q, &SignIn::refresh);
    QObject::connect(flow, &QAbstractOAuth::authorizeWithBrowser, q, [this](const QUrl &url) {
        if (!QDesktopServices::openUrl(url))
            fail(QStringLiteral("unavailable"), SignIn::tr("no web browser could be opened to sign in"));
    });
    QObject::connect(
        flow, &QAbstractOAuth2::error, q, [this](const QString &code, const QString &description, const QUrl &) {
            if (state != SignIn::SigningIn)
                return;
            if (code == QLatin1String("access_denied"))
                fail(code, SignIn::tr("signing in was cancelled or refused"));
            else
                fail(code,
                    description.isEmpty() ? SignIn::tr("the identity provider refused: %1").arg(code)
                                          : SignIn::tr("the identity provider refused: %1").arg(description));
        });
    QObject::connect(flow, &QAbstractOAuth::granted, q, [this] { granted(); });
    QObject::connect(handler, &LoopbackReplyHandler::tokenRequestFailed, q,
        [this](const QString &code, const QString &message) { tokenRequestFailed(code, message); });
}

void SignInPrivate::setState(SignIn::State next)
{
    if (state == next)
        return;
    state = next;
    Q_EMIT q->stateChanged();
}

void SignInPrivate::discover()
{
    QUrl url = issuer;
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0)
        + QStringLiteral("/.well-known/openid-configuration"));
    QNetworkRequest request(url);
    request.setTransferTimeout(DiscoveryTimeoutMs);
    discovery = network.get(request);
    QNetworkReply *reply = discovery;
    QObject::connect(reply, &QNetworkReply::finished, q, [this, reply] { discovered(reply); });
}

void SignInPrivate::discovered(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != discovery || state != SignIn::SigningIn)
        return; // cancelled, or an older attempt
    discovery.clear();
    if (reply->error() != QNetworkReply::NoError) {
        return fail(QStringLiteral("unavailable"),
            SignIn::tr("the identity provider cannot be reached: %1").arg(reply->errorString()));
    }
    const OpenIdConfiguration configuration = OpenIdConfiguration::parse(reply->readAll(), issuer);
    if (configuration.error == OpenIdConfiguration::OtherIssuer) {
        return fail(QStringLiteral("invalid_issuer"),
            SignIn::tr("%1 is not an OpenID Connect issuer (its configuration names another, or none)")
                .arg(OpenIdConfiguration::issuerText(issuer)));
    }
    if (!configuration.isValid()) {
        return fail(QStringLiteral("invalid_issuer"),
            SignIn::tr("the identity provider's configuration has no usable sign-in or token endpoint (https only)"));
    }
    revocationEndpoint = configuration.revocationEndpoint;
    const QUrl authorization = configuration.authorizationEndpoint;
    const QUrl token = configuration.tokenEndpoint;
    flow->setAuthorizationUrl(authorization);
    flow->setAccessTokenUrl(token);
    flow->setClientIdentifier(clientId);
    if (restoring) {
        // Signed in before: the keychain's refresh token, no browser.
        flow->setRefreshToken(std::exchange(keptRefreshToken, QString()));
        flow->refreshAccessToken();
        return;
    }
    if (!handler->isListening() && !handler->listen(QHostAddress::LocalHost, 0))
        return fail(QStringLiteral("unavailable"), SignIn::tr("cannot listen on loopback for the browser's answer"));
    flow->start(scope);
}

void SignInPrivate::setAccount()
{
    store->setAccount(OpenIdConfiguration::issuerText(issuer), clientId);
    storedRefreshToken.clear();
}

void SignInPrivate::granted()
{
    const bool signingIn = state == SignIn::SigningIn;
    if (!signingIn && state != SignIn::SignedIn)
        return;
    handler->close();
    const QString idToken = flow->extraTokens().value(QStringLiteral("id_token")).toString();
    QString why;
    if (signingIn && idToken.isEmpty()) {
        return fail(QStringLiteral("invalid_token"),
            SignIn::tr("the identity provider gave no ID token (is \"openid\" in the scope?)"));
    }
    // A refresh may bring no new ID token: who signed in stays who they were.
    if (!idToken.isEmpty() && !takeIdToken(idToken, signingIn && !restoring, &why))
        return fail(QStringLiteral("invalid_token"), why);
    restoring = false;
    refreshFailures = 0;
    const QString refreshToken = flow->refreshToken();
    if (!refreshToken.isEmpty() && refreshToken != storedRefreshToken) {
        store->write(refreshToken);
        storedRefreshToken = refreshToken;
    }
    setAccessToken(flow->token());
    scheduleRefresh();
    setState(SignIn::SignedIn);
    qCInfo(lcSignIn) << (signingIn ? "signed in as" : "token refreshed for") << userId;
}

bool SignInPrivate::takeIdToken(const QString &idToken, bool checkNonce, QString *why)
{
    IdTokenClaims::Expected expected;
    expected.issuer = OpenIdConfiguration::issuerText(issuer);
    expected.clientId = clientId;
    expected.nowMs = QDateTime::currentMSecsSinceEpoch();
    expected.nonce = checkNonce ? flow->nonce() : QString();
    expected.userId = state == SignIn::SignedIn ? userId : QString();
    const IdTokenClaims claims = IdTokenClaims::check(idToken, expected);
    switch (claims.error) {
    case IdTokenClaims::NoError:
        break;
    case IdTokenClaims::Unreadable:
        *why = SignIn::tr("the identity provider's ID token cannot be read");
        return false;
    case IdTokenClaims::OtherIssuer:
        *why = SignIn::tr("the ID token is from another issuer");
        return false;
    case IdTokenClaims::OtherAudience:
        *why = SignIn::tr("the ID token is for another application");
        return false;
    case IdTokenClaims::Expired:
        *why = SignIn::tr("the ID token has expired (is this computer's clock right?)");
        return false;
    case IdTokenClaims::WrongNonce:
        *why = SignIn::tr("the ID token is not the answer to this sign-in");
        return false;
    case IdTokenClaims::Nobody:
        *why = SignIn::tr("the ID token names nobody");
        return false;
    case IdTokenClaims::SomeoneElse:
        *why = SignIn::tr("a refresh signed in someone else");
        return false;
    }
    userId = claims.userId;
    name = claims.name;
    picture = claims.picture;
    email = claims.email;
    Q_EMIT q->identityChanged();
    return true;
}

void SignInPrivate::setAccessToken(const QString &token)
{
    sinceToken.start();
    const QDateTime expires = flow->expirationAt();
    tokenLifetimeMs = expires.isValid() ? std::max<qint64>(0, QDateTime::currentDateTime().msecsTo(expires)) : 0;
    if (accessToken != token) {
        accessToken = token;
        Q_EMIT q->accessTokenChanged();
    }
    if (client)
        client->setToken(token);
}

void SignInPrivate::scheduleRefresh()
{
    refreshTimer.stop();
    if (tokenLifetimeMs <= 0)
        return; // no expiry given: refreshed when the client asks
    // A fifth of its life before it expires (at most a minute): time for a retry or two.
    refreshTimer.start(int(
        std::clamp<qint64>(tokenLifetimeMs - std::min<qint64>(60'000, tokenLifetimeMs / 5), 0, 24LL * 3600 * 1000)));
}

void SignInPrivate::tokenRequestFailed(const QString &code, const QString &message)
{
    if (state == SignIn::SigningIn)
        return fail(code, message);
    if (state != SignIn::SignedIn)
        return;
    // Qt 6.4 leaves the flow refreshing for ever after a failure.
    flow->setStatus(QAbstractOAuth::Status::Granted);
    const qint64 left = tokenLifetimeMs - sinceToken.elapsed();
    if (code == QLatin1String("unavailable") && refreshFailures < MaxRefreshRetries && left > RefreshRetryMs) {
        ++refreshFailures;
        qCInfo(lcSignIn) << "refresh failed, trying again:" << message;
        refreshTimer.start(RefreshRetryMs * refreshFailures);
        return;
    }
    fail(code, code == QLatin1String("invalid_grant") ? SignIn::tr("the sign-in has ended; sign in again") : message);
}

void SignInPrivate::tokenRequested()
{
    if (state != SignIn::SignedIn)
        return;
    // Asked again right after a new token: presence-server does not take this provider's
    // tokens. Another refresh would only be refused again.
    const qint64 soon = std::min<qint64>(10'000, tokenLifetimeMs / 4);
    if (sinceToken.isValid() && sinceToken.elapsed() < soon) {
        const QString why = client ? client->errorString() : QString();
        return fail(QStringLiteral("unauthenticated"),
            why.isEmpty() ? SignIn::tr("presence refuses the identity provider's token")
                          : SignIn::tr("presence refuses the identity provider's token: %1").arg(why));
    }
    q->refresh();
}

void SignInPrivate::forget()
{
    restoring = false;
    keptRefreshToken.clear();
    refreshTimer.stop();
    handler->close();
    if (discovery)
        discovery->abort();
    flow->setToken(QString());
    flow->setRefreshToken(QString());
    flow->setStatus(QAbstractOAuth::Status::NotAuthenticated);
    sinceToken.invalidate();
    tokenLifetimeMs = 0;
    const bool hadToken = !accessToken.isEmpty();
    accessToken.clear();
    if (hadToken)
        Q_EMIT q->accessTokenChanged();
    if (!userId.isEmpty() || !name.isEmpty() || !picture.isEmpty() || !email.isEmpty()) {
        userId.clear();
        name.clear();
        picture.clear();
        email.clear();
        Q_EMIT q->identityChanged();
    }
    if (hadToken && client)
        client->setToken(QString());
}

void SignInPrivate::fail(const QString &code, const QString &message)
{
    qCInfo(lcSignIn) << "signed out:" << code << message;
    // A refresh token the provider refused is of no use next time; one it could not be asked
    // about may still work.
    if (code == QLatin1String("invalid_grant") || code == QLatin1String("invalid_token"))
        store->remove();
    forget();
    setState(SignIn::SignedOut);
    error = message;
    Q_EMIT q->errorOccurred(code, message);
}

SignIn::SignIn(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<SignInPrivate>(this))
{
}

SignIn::~SignIn() = default;

QUrl SignIn::issuer() const
{
    return d->issuer;
}

void SignIn::setIssuer(const QUrl &issuer)
{
    if (d->issuer == issuer)
        return;
    d->issuer = issuer;
    Q_EMIT issuerChanged();
}

QString SignIn::clientId() const
{
    return d->clientId;
}

void SignIn::setClientId(const QString &clientId)
{
    if (d->clientId == clientId)
        return;
    d->clientId = clientId;
    Q_EMIT clientIdChanged();
}

QString SignIn::scope() const
{
    return d->scope;
}

void SignIn::setScope(const QString &scope)
{
    if (d->scope == scope)
        return;
    d->scope = scope;
    Q_EMIT scopeChanged();
}

Client *SignIn::client() const
{
    return d->client;
}

void SignIn::setClient(Client *client)
{
    if (d->client == client)
        return;
    QObject::disconnect(d->clientConnection);
    d->client = client;
    if (client) {
        d->clientConnection = connect(client, &Client::tokenRequested, this, [this] { d->tokenRequested(); });
        if (!d->accessToken.isEmpty())
            client->setToken(d->accessToken);
    }
    Q_EMIT clientChanged();
}

SignIn::State SignIn::state() const
{
    return d->state;
}

QString SignIn::accessToken() const
{
    return d->accessToken;
}

QString SignIn::userId() const
{
    return d->userId;
}

QString SignIn::name() const
{
    return d->name;
}

QString SignIn::picture() const
{
    return d->picture;
}

QString SignIn::email() const
{
    return d->email;
}

QString SignIn::errorString() const
{
    return d->error;
}

void SignIn::signIn()
{
    if (d->state != SignedOut)
        return;
    if (!OpenIdConfiguration::isSafeEndpoint(d->issuer) || d->clientId.isEmpty()) {
        d->fail(QStringLiteral("invalid_argument"),
            tr("set the identity provider (an https URL) and the application's client id first"));
        return;
    }
    d->error.clear();
    d->setAccount();
    d->setState(SigningIn);
    d->discover();
}

void SignIn::restore()
{
    if (d->state != SignedOut || !OpenIdConfiguration::isSafeEndpoint(d->issuer) || d->clientId.isEmpty())
        return;
    d->error.clear();
    d->setAccount();
    d->restoring = true;
    d->setState(SigningIn);
    d->store->read([this](const QString &token, const QString &error) {
        if (d->state != SigningIn || !d->restoring)
            return; // cancelled meanwhile
        if (token.isEmpty()) {
            if (!error.isEmpty())
                qCWarning(lcSignIn) << "the keychain cannot be read:" << error;
            d->restoring = false;
            d->setState(SignedOut); // nothing kept: the browser it is
            return;
        }
        d->keptRefreshToken = token;
        d->discover();
    });
}

void SignIn::cancel()
{
    if (d->state != SigningIn)
        return;
    d->forget();
    d->setState(SignedOut);
}

void SignIn::signOut()
{
    // The provider forgets the refresh token too, when it offers a way (RFC 7009).
    const QString refreshToken = d->flow->refreshToken();
    if (!refreshToken.isEmpty() && d->revocationEndpoint.isValid()) {
        QNetworkRequest request(d->revocationEndpoint);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/x-www-form-urlencoded"));
        request.setTransferTimeout(DiscoveryTimeoutMs);
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("token"), QString::fromLatin1(QUrl::toPercentEncoding(refreshToken)));
        form.addQueryItem(QStringLiteral("token_type_hint"), QStringLiteral("refresh_token"));
        form.addQueryItem(QStringLiteral("client_id"), QString::fromLatin1(QUrl::toPercentEncoding(d->clientId)));
        QNetworkReply *reply = d->network.post(request, form.toString(QUrl::FullyEncoded).toLatin1());
        connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    }
    d->store->remove();
    d->forget();
    d->error.clear();
    d->setState(SignedOut);
}

void SignIn::refresh()
{
    if (d->state != SignedIn || d->flow->status() == QAbstractOAuth::Status::RefreshingToken)
        return;
    if (d->flow->refreshToken().isEmpty()) {
        d->fail(QStringLiteral("login_required"), tr("the sign-in has expired; sign in again"));
        return;
    }
    d->flow->refreshAccessToken();
}

} // namespace Presence
