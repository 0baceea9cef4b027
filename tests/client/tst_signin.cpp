// SignIn against a real OpenID Connect provider on loopback (tests/auth/jwks-provider, from
// npm), and with the real presence-server checking its tokens by JWKS URL. The browser is this
// test: QDesktopServices hands it the sign-in page's URL and it follows the redirects, as a
// browser whose user is already signed in at the provider would.
#include "client.h"
#include "membersmodel.h"
#include "oidcproviderprocess.h"
#include "room.h"
#include "signin.h"

#ifdef PRESENCE_HAVE_SERVER
#include "serverprocess.h"
#endif

#include <QDesktopServices>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace Presence;

namespace {

const QString Org = QStringLiteral("acme");
const QString ClientId = QStringLiteral("presence-desktop");

/// The system browser, as far as sign-in goes: opens what QDesktopServices is asked to open.
class Browser : public QObject
{
    Q_OBJECT

public:
    int opened = 0;
    QUrl lastUrl;
    QByteArray lastPage;

public Q_SLOTS:
    void open(const QUrl &url)
    {
        ++opened;
        lastUrl = url;
        QNetworkReply *reply = m_network.get(QNetworkRequest(url)); // follows the redirects
        connect(reply, &QNetworkReply::finished, this, [this, reply] {
            lastPage = reply->readAll();
            reply->deleteLater();
        });
    }

private:
    QNetworkAccessManager m_network;
};

#ifdef PRESENCE_HAVE_SERVER
bool online(const MembersModel *model, const QString &userId)
{
    for (int i = 0; i < model->rowCount(); ++i) {
        const QModelIndex index = model->index(i);
        if (model->data(index, MembersModel::UserIdRole).toString() == userId)
            return model->data(index, MembersModel::OnlineRole).toBool();
    }
    return false;
}
#endif

} // namespace

class SignInTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir;
    OidcProviderProcess provider;
    Browser browser;

    std::unique_ptr<SignIn> signIn(const QString &issuer = QString())
    {
        auto s = std::make_unique<SignIn>();
        s->setIssuer(QUrl(issuer.isEmpty() ? provider.issuer() : issuer));
        s->setClientId(ClientId);
        return s;
    }
    QJsonObject lastTokenRequest()
    {
        return QJsonDocument::fromJson(provider.command("last-token-request").mid(19)).object();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir.isValid());
        QVERIFY2(OidcProviderProcess::isInstalled(),
            "tests/auth/jwks-provider has no node_modules: scripts/bootstrap installs them");
        QVERIFY(provider.start());
        QDesktopServices::setUrlHandler(QStringLiteral("http"), &browser, "open");
    }

    void cleanupTestCase() { QDesktopServices::unsetUrlHandler(QStringLiteral("http")); }

    void init()
    {
        QCOMPARE(provider.command(
                     R"(claims {"sub":"alice","name":"Alice Liddell","email":"alice@example.com","org_id":"acme"})"),
            QByteArray("ok"));
        QCOMPARE(provider.command("ttl 3600"), QByteArray("ok"));
        QCOMPARE(provider.command("fail-token off"), QByteArray("ok"));
    }

    void signsInInTheBrowserWithPkceAndKnowsWhoSignedIn()
    {
        auto s = signIn();
        QSignalSpy states(s.get(), &SignIn::stateChanged);
        s->signIn();
        QCOMPARE(s->state(), SignIn::SigningIn);
        QTRY_COMPARE_WITH_TIMEOUT(s->state(), SignIn::SignedIn, 10000);
        QCOMPARE(states.count(), 2);
        QCOMPARE(s->userId(), QStringLiteral("alice"));
        QCOMPARE(s->name(), QStringLiteral("Alice Liddell"));
        QCOMPARE(s->email(), QStringLiteral("alice@example.com"));
        QVERIFY(!s->accessToken().isEmpty());
        QVERIFY(s->errorString().isEmpty());

        // What the browser was sent to: the provider's page, with PKCE and a redirect to loopback.
        const QUrlQuery asked(browser.lastUrl);
        QCOMPARE(asked.queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
        QCOMPARE(asked.queryItemValue(QStringLiteral("code_challenge")).size(), 43);
        QVERIFY(!asked.queryItemValue(QStringLiteral("nonce")).isEmpty());
        QVERIFY(asked.queryItemValue(QStringLiteral("scope")).contains(QLatin1String("openid")));
        QVERIFY(QUrl(asked.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded))
                    .toString()
                    .startsWith(QLatin1String("http://127.0.0.1:")));
        QTRY_VERIFY_WITH_TIMEOUT(browser.lastPage.contains("You can close this page"), 5000);
        // The token request proved the verifier (the provider checks it against the challenge)
        // and sent no secret.
        const QJsonObject exchange = lastTokenRequest();
        QCOMPARE(exchange.value(QLatin1String("grant_type")).toString(), QStringLiteral("authorization_code"));
        QCOMPARE(exchange.value(QLatin1String("code_verifier")).toString().size(), 43);
        QCOMPARE(exchange.value(QLatin1String("client_id")).toString(), ClientId);
        QVERIFY(!exchange.contains(QLatin1String("client_secret")));

        // A second sign-in is a new one: a new state and challenge.
        const QString firstChallenge = asked.queryItemValue(QStringLiteral("code_challenge"));
        const QString firstState = asked.queryItemValue(QStringLiteral("state"));
        s->signOut();
        QCOMPARE(s->state(), SignIn::SignedOut);
        QVERIFY(s->accessToken().isEmpty() && s->userId().isEmpty());
        s->signIn();
        QTRY_COMPARE_WITH_TIMEOUT(s->state(), SignIn::SignedIn, 10000);
        QVERIFY(QUrlQuery(browser.lastUrl).queryItemValue(QStringLiteral("code_challenge")) != firstChallenge);
        QVERIFY(QUrlQuery(browser.lastUrl).queryItemValue(QStringLiteral("state")) != firstState);
    }

    void refreshingKeepsWhoSignedInAndSendsNoSecret()
    {
        auto s = signIn();
        s->signIn();
        QTRY_COMPARE_WITH_TIMEOUT(s->state(), SignIn::SignedIn, 10000);
        const QString before = s->accessToken();
        QSignalSpy tokens(s.get(), &SignIn::accessTokenChanged);
        QTest::qWait(1100); // a token of the same second would be the same token
        s->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(tokens.count(), 1, 5000);
        QVERIFY(s->accessToken() != before);
        QCOMPARE(s->state(), SignIn::SignedIn);
        QCOMPARE(s->userId(), QStringLiteral("alice"));
        const QJsonObject refresh = lastTokenRequest();
        QCOMPARE(refresh.value(QLatin1String("grant_type")).toString(), QStringLiteral("refresh_token"));
        QVERIFY(!refresh.contains(QLatin1String("client_secret")));
    }

    void theUserCancellingEndsSignedOutAndSaysSo()
    {
        auto s = signIn();
        QSignalSpy errors(s.get(), &SignIn::errorOccurred);
        QCOMPARE(provider.command("deny-next"), QByteArray("ok"));
        s->signIn();
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 10000);
        QCOMPARE(errors.at(0).at(0).toString(), QStringLiteral("access_denied"));
        QCOMPARE(s->state(), SignIn::SignedOut);
        QVERIFY(s->errorString().contains(QLatin1String("cancelled")));
        QVERIFY(s->accessToken().isEmpty());
    }

    void anIssuerThatCannotBeReachedEndsSignedOutWithoutABrowser()
    {
        // A port nothing listens on: the discovery fails, no browser opens.
        auto s = signIn(QStringLiteral("http://127.0.0.1:9"));
        QSignalSpy errors(s.get(), &SignIn::errorOccurred);
        const int opened = browser.opened;
        s->signIn();
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 15000);
        QCOMPARE(errors.at(0).at(0).toString(), QStringLiteral("unavailable"));
        QCOMPARE(s->state(), SignIn::SignedOut);
        QCOMPARE(browser.opened, opened);
    }

    void anIssuerThatIsNotTheOneConfiguredIsRefused()
    {
        // The discovery document names its own issuer: one reached under another name is refused.
        QString other = provider.issuer();
        other.replace(QLatin1String("127.0.0.1"), QLatin1String("localhost"));
        auto s = signIn(other);
        QSignalSpy errors(s.get(), &SignIn::errorOccurred);
        s->signIn();
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 10000);
        QCOMPARE(errors.at(0).at(0).toString(), QStringLiteral("invalid_issuer"));
        QCOMPARE(s->state(), SignIn::SignedOut);
    }

    void aSignInWithoutSettingsSaysWhatIsMissing()
    {
        SignIn s;
        QSignalSpy errors(&s, &SignIn::errorOccurred);
        s.signIn();
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.at(0).at(0).toString(), QStringLiteral("invalid_argument"));
        QCOMPARE(s.state(), SignIn::SignedOut);
        s.setIssuer(QUrl(QStringLiteral("http://auth.example.com"))); // not https, not loopback
        s.setClientId(ClientId);
        s.signIn();
        QCOMPARE(errors.count(), 2);
        QCOMPARE(s.state(), SignIn::SignedOut);
    }

    void aRevokedRefreshTokenSignsOutCleanly()
    {
        Client client; // never connects: no server URL
        auto s = signIn();
        s->setClient(&client);
        s->signIn();
        QTRY_COMPARE_WITH_TIMEOUT(s->state(), SignIn::SignedIn, 10000);
        QCOMPARE(client.token(), s->accessToken());
        QVERIFY(provider.command("revoke-all").startsWith("revoked "));
        QSignalSpy errors(s.get(), &SignIn::errorOccurred);
        s->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 5000);
        QCOMPARE(errors.at(0).at(0).toString(), QStringLiteral("invalid_grant"));
        QCOMPARE(s->state(), SignIn::SignedOut);
        QVERIFY(s->accessToken().isEmpty());
        QVERIFY(client.token().isEmpty());
        // Nothing more is tried: no retry loop.
        const QByteArray last = provider.command("last-token-request");
        QTest::qWait(500);
        QCOMPARE(provider.command("last-token-request"), last);
    }

    void aProviderDownWhileRefreshingIsTriedAgainAndKeepsTheSignIn()
    {
        auto s = signIn();
        s->signIn();
        QTRY_COMPARE_WITH_TIMEOUT(s->state(), SignIn::SignedIn, 10000);
        QSignalSpy tokens(s.get(), &SignIn::accessTokenChanged);
        QSignalSpy errors(s.get(), &SignIn::errorOccurred);
        QCOMPARE(provider.command("fail-token on"), QByteArray("ok"));
        s->refresh();
        QTest::qWait(500);
        QCOMPARE(s->state(), SignIn::SignedIn); // the token still works: tried again later
        QCOMPARE(provider.command("fail-token off"), QByteArray("ok"));
        QTRY_COMPARE_WITH_TIMEOUT(tokens.count(), 1, 10000);
        QCOMPARE(s->state(), SignIn::SignedIn);
        QCOMPARE(errors.count(), 0);
    }

    void signingOutRevokesTheRefreshToken()
    {
        auto s = signIn();
        s->signIn();
        QTRY_COMPARE_WITH_TIMEOUT(s->state(), SignIn::SignedIn, 10000);
        const int before = provider.command("revocations").mid(12).toInt();
        s->signOut();
        QTRY_COMPARE_WITH_TIMEOUT(provider.command("revocations").mid(12).toInt(), before + 1, 5000);
    }

    void theKeychainSignsInAgainWithoutTheBrowserAndNoFileHoldsTheToken()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("needs a keychain: ctest runs this test with one (tests/client/with-keyring)");
        auto first = signIn();
        first->signIn();
        QTRY_COMPARE_WITH_TIMEOUT(first->state(), SignIn::SignedIn, 10000);
        const int opened = browser.opened;

        // The next start of the app: no browser, the same user.
        auto next = signIn();
        next->restore();
        QCOMPARE(next->state(), SignIn::SigningIn);
        QTRY_COMPARE_WITH_TIMEOUT(next->state(), SignIn::SignedIn, 10000);
        QCOMPARE(browser.opened, opened);
        QCOMPARE(next->userId(), QStringLiteral("alice"));
        const QJsonObject restored = lastTokenRequest();
        QCOMPARE(restored.value(QLatin1String("grant_type")).toString(), QStringLiteral("refresh_token"));

        // The refresh token it was kept as is in no file of this home, only in the keyring
        // (whose file is encrypted).
        const QByteArray kept = restored.value(QLatin1String("refresh_token")).toString().toLatin1();
        QVERIFY(!kept.isEmpty());
        QDirIterator files(QDir::homePath(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile file(files.next());
            if (file.open(QIODevice::ReadOnly))
                QVERIFY2(!file.readAll().contains(kept), qPrintable(file.fileName()));
        }

        // Signed out, nothing is kept: the next start asks for the browser, without an error.
        next->signOut();
        auto after = signIn();
        QSignalSpy errors(after.get(), &SignIn::errorOccurred);
        after->restore();
        QTRY_COMPARE_WITH_TIMEOUT(after->state(), SignIn::SignedOut, 5000);
        QCOMPARE(errors.count(), 0);
        QCOMPARE(browser.opened, opened);
    }

    void aKeptTokenTheProviderRefusesIsForgotten()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("needs a keychain: ctest runs this test with one (tests/client/with-keyring)");
        auto first = signIn();
        first->signIn();
        QTRY_COMPARE_WITH_TIMEOUT(first->state(), SignIn::SignedIn, 10000);
        QVERIFY(provider.command("revoke-all").startsWith("revoked "));
        auto next = signIn();
        QSignalSpy errors(next.get(), &SignIn::errorOccurred);
        next->restore();
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 10000);
        QCOMPARE(errors.at(0).at(0).toString(), QStringLiteral("invalid_grant"));
        QCOMPARE(next->state(), SignIn::SignedOut);
        // Forgotten: the one after does not ask the provider again.
        const QByteArray last = provider.command("last-token-request");
        auto after = signIn();
        after->restore();
        QTRY_COMPARE_WITH_TIMEOUT(after->state(), SignIn::SignedOut, 5000);
        QCOMPARE(provider.command("last-token-request"), last);
    }

    void aSignInGoneWhileTheKeychainIsBusyHarmsNothing()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("needs a keychain: ctest runs this test with one (tests/client/with-keyring)");
        {
            auto s = signIn();
            s->signIn();
            QTRY_COMPARE_WITH_TIMEOUT(s->state(), SignIn::SignedIn, 10000);
            s->signOut(); // the keychain is deleting the entry as the sign-in goes
        }
        QTest::qWait(300); // its answer comes to nobody (this crashed once)
        auto after = signIn();
        QSignalSpy errors(after.get(), &SignIn::errorOccurred);
        after->restore();
        QTRY_COMPARE_WITH_TIMEOUT(after->state(), SignIn::SignedOut, 5000);
        QCOMPARE(errors.count(), 0);
    }

#ifdef PRESENCE_HAVE_SERVER
    void signedInTheUserIsInTheRoomThroughRefreshesAndLeavesOnSignOut()
    {
        // presence-server takes the provider's tokens by its JWKS URL.
        ServerProcess server;
        QVERIFY2(server.start(dir.filePath(QStringLiteral("signin.db")),
                     {QStringLiteral("--jwks-url"), provider.jwksUrl(), QStringLiteral("--issuer"), provider.issuer(),
                         QStringLiteral("--close-grace"), QStringLiteral("60000")}),
            server.errors().constData());
        // Short-lived tokens: refreshed every 3.2 s while the user is in the room.
        QCOMPARE(provider.command("ttl 4"), QByteArray("ok"));

        Client client;
        client.setServerUrl(server.url());
        auto s = signIn();
        s->setClient(&client);
        Room room;
        room.setClient(&client);
        room.setRoomId(QStringLiteral("roadmap"));
        s->signIn();
        QTRY_COMPARE_WITH_TIMEOUT(s->state(), SignIn::SignedIn, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(client.name(), QStringLiteral("Alice Liddell"), 10000);

        Client watcher;
        watcher.setServerUrl(server.url());
        watcher.setToken(QString::fromLatin1(provider.token(QStringLiteral("watcher"), Org)));
        Room watching;
        watching.setClient(&watcher);
        watching.setRoomId(QStringLiteral("roadmap"));
        QTRY_VERIFY_WITH_TIMEOUT(online(watching.members(), QStringLiteral("alice")), 10000);

        // Two refreshes while in the room: nobody sees Alice leave.
        int flaps = 0;
        connect(watching.members(), &QAbstractItemModel::dataChanged, this,
            [&] { flaps += !online(watching.members(), QStringLiteral("alice")); });
        QSignalSpy tokens(s.get(), &SignIn::accessTokenChanged);
        QTRY_VERIFY_WITH_TIMEOUT(tokens.count() >= 2, 15000);
        QCOMPARE(s->state(), SignIn::SignedIn);
        QVERIFY(online(watching.members(), QStringLiteral("alice")));
        QCOMPARE(flaps, 0);

        // Signing out leaves at once (not after the minute of close grace).
        s->signOut();
        QTRY_VERIFY_WITH_TIMEOUT(!online(watching.members(), QStringLiteral("alice")), 5000);
        QCOMPARE(client.state(), Client::Disconnected);
        QVERIFY(client.userId().isEmpty());
        QCOMPARE(server.terminate(), 0);
    }
#endif
};

QTEST_MAIN(SignInTest)
#include "tst_signin.moc"
