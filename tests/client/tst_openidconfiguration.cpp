// OpenIdConfiguration: an identity provider's discovery document, from untrusted bytes.
#include "openidconfiguration_p.h"

#include <QTest>

using namespace Presence;

namespace {

const QByteArray Good = "{\"issuer\":\"https://auth.example.com\","
                        "\"authorization_endpoint\":\"https://auth.example.com/authorize\","
                        "\"token_endpoint\":\"https://auth.example.com/token\","
                        "\"revocation_endpoint\":\"https://auth.example.com/revoke\"}";
const QByteArray Loopback
    = "{\"issuer\":\"http://127.0.0.1:8080\",\"authorization_endpoint\":\"http://127.0.0.1:8080/a\","
      "\"token_endpoint\":\"http://localhost:8080/t\","
      "\"revocation_endpoint\":\"http://revoke.example.com/r\"}";

QByteArray withEndpoints(const QByteArray &authorization, const QByteArray &token)
{
    return "{\"issuer\":\"https://auth.example.com\",\"authorization_endpoint\":\"" + authorization
        + "\",\"token_endpoint\":\"" + token + "\"}";
}

} // namespace

class OpenIdConfigurationTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aDocumentThatNamesItsIssuerGivesItsEndpoints()
    {
        const OpenIdConfiguration configuration
            = OpenIdConfiguration::parse(Good, QUrl(QStringLiteral("https://auth.example.com/")));
        QVERIFY(configuration.isValid());
        QCOMPARE(configuration.authorizationEndpoint, QUrl(QStringLiteral("https://auth.example.com/authorize")));
        QCOMPARE(configuration.tokenEndpoint, QUrl(QStringLiteral("https://auth.example.com/token")));
        QCOMPARE(configuration.revocationEndpoint, QUrl(QStringLiteral("https://auth.example.com/revoke")));
    }

    void badDocumentsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("error");
        const int other = OpenIdConfiguration::OtherIssuer;
        const int unsafe = OpenIdConfiguration::UnsafeEndpoints;
        QTest::newRow("empty") << QByteArray() << other;
        QTest::newRow("not JSON") << QByteArray("<html>") << other;
        QTest::newRow("an array") << QByteArray("[\"https://auth.example.com\"]") << other;
        QTest::newRow("no issuer") << QByteArray("{\"token_endpoint\":\"https://auth.example.com/t\"}") << other;
        QTest::newRow("another issuer") << QByteArray("{\"issuer\":\"https://evil.example.com\"}") << other;
        QTest::newRow("issuer as a number") << QByteArray("{\"issuer\":1}") << other;
        QTest::newRow("issuer with a path") << QByteArray("{\"issuer\":\"https://auth.example.com/x\"}") << other;
        QTest::newRow("no endpoints") << QByteArray("{\"issuer\":\"https://auth.example.com\"}") << unsafe;
        QTest::newRow("http endpoint elsewhere")
            << withEndpoints("http://auth.example.com/a", "https://auth.example.com/t") << unsafe;
        QTest::newRow("javascript endpoint")
            << withEndpoints("javascript:alert(1)", "https://auth.example.com/t") << unsafe;
        QTest::newRow("file endpoint") << withEndpoints("https://auth.example.com/a", "file:///etc/passwd") << unsafe;
        QTest::newRow("endpoint without host") << withEndpoints("https:///a", "https://auth.example.com/t") << unsafe;
        QTest::newRow("endpoint that is not a URL")
            << withEndpoints("https://a b", "https://auth.example.com/t") << unsafe;
    }
    void badDocumentsAreRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, error);
        const OpenIdConfiguration configuration
            = OpenIdConfiguration::parse(json, QUrl(QStringLiteral("https://auth.example.com")));
        QVERIFY(!configuration.isValid());
        QCOMPARE(int(configuration.error), error);
        QVERIFY(configuration.authorizationEndpoint.isEmpty() && configuration.tokenEndpoint.isEmpty());
    }

    void httpOnlyOnLoopbackAndAnUnsafeRevocationIsDropped()
    {
        const OpenIdConfiguration configuration
            = OpenIdConfiguration::parse(Loopback, QUrl(QStringLiteral("http://127.0.0.1:8080")));
        QVERIFY(configuration.isValid());
        QVERIFY(configuration.revocationEndpoint.isEmpty());
        QVERIFY(OpenIdConfiguration::isSafeEndpoint(QUrl(QStringLiteral("http://[::1]:9/x"))));
        QVERIFY(!OpenIdConfiguration::isSafeEndpoint(QUrl(QStringLiteral("http://127.0.0.1.example.com/x"))));
    }
};

QTEST_GUILESS_MAIN(OpenIdConfigurationTest)

#include "tst_openidconfiguration.moc"
