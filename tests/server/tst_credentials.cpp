// Credentials: the secrets a configuration names, each file checked before anything changes.
#include "credentials.h"
#include "jwtverifier.h"
#include "serverconfig.h"
#include "testtokens.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>

using namespace Presence;

class CredentialsTest : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

    QString write(const QString &name, const QByteArray &contents)
    {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(contents);
        return file.fileName();
    }

private Q_SLOTS:
    void aMissingFileIsNamedInTheError()
    {
        const Result<QByteArray> read = Credentials::readFile(dir.filePath(QStringLiteral("nope")), "JWKS file");
        QVERIFY(!read);
        QVERIFY(read.error().message().startsWith(QStringLiteral("cannot read the JWKS file ")));
        QVERIFY(read.error().message().contains(QStringLiteral("nope")));
    }

    void keysComeFromTheirFiles()
    {
        TestTokens tokens;
        ServerConfig config;
        config.jwksFile = write(QStringLiteral("jwks.json"), tokens.jwks());
        config.hs256SecretFile = write(QStringLiteral("secret"), TestTokens::Secret + "\n");
        JwtVerifier verifier;
        QVERIFY(Credentials::loadKeys(config, &verifier, false));
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QVERIFY(verifier.verify(tokens.rs256(TestTokens::claims(now)), now));
        QVERIFY(verifier.verify(TestTokens::hs256(TestTokens::claims(now)), now)); // the newline is trimmed
    }

    void aBadFileChangesNothing()
    {
        TestTokens tokens;
        ServerConfig good;
        good.jwksFile = write(QStringLiteral("good.json"), tokens.jwks());
        good.hs256SecretFile = write(QStringLiteral("good-secret"), TestTokens::Secret);
        JwtVerifier verifier;
        QVERIFY(Credentials::loadKeys(good, &verifier, false));

        ServerConfig bad = good;
        bad.jwksFile = write(QStringLiteral("bad.json"), "{\"keys\": []}");
        bad.hs256SecretFile.clear(); // would turn HS256 off, if the JWKS were good
        const Result<bool> refused = Credentials::loadKeys(bad, &verifier, true);
        QVERIFY(!refused);
        QVERIFY(refused.error().message().startsWith(bad.jwksFile + QStringLiteral(": ")));
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QVERIFY(verifier.verify(tokens.rs256(TestTokens::claims(now)), now));
        QVERIFY(verifier.verify(TestTokens::hs256(TestTokens::claims(now)), now));
    }

    void aReloadWithoutTheSecretTurnsHs256Off()
    {
        ServerConfig config;
        config.hs256SecretFile = write(QStringLiteral("on"), TestTokens::Secret);
        JwtVerifier verifier;
        QVERIFY(Credentials::loadKeys(config, &verifier, false));
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QVERIFY(verifier.verify(TestTokens::hs256(TestTokens::claims(now)), now));
        config.hs256SecretFile.clear();
        QVERIFY(Credentials::loadKeys(config, &verifier, true));
        QVERIFY(!verifier.verify(TestTokens::hs256(TestTokens::claims(now)), now));
    }

    void aShortSecretIsRefused()
    {
        ServerConfig config;
        config.hs256SecretFile = write(QStringLiteral("short"), "0123456789");
        JwtVerifier verifier;
        const Result<bool> refused = Credentials::loadKeys(config, &verifier, false);
        QVERIFY(!refused);
        QVERIFY(refused.error().message().startsWith(config.hs256SecretFile));
    }

    void theMetricsTokenNeedsSixteenBytes()
    {
        QVERIFY(!Credentials::metricsToken(write(QStringLiteral("m1"), "short\n")));
        const Result<QByteArray> token
            = Credentials::metricsToken(write(QStringLiteral("m2"), "  0123456789abcdef \n"));
        QVERIFY(token);
        QCOMPARE(token.value(), QByteArray("0123456789abcdef"));
    }

    void tlsNeedsACertificateAndAKey()
    {
        ServerConfig config;
        config.tlsCertificate = write(QStringLiteral("cert.pem"), "not a certificate");
        config.tlsKey = write(QStringLiteral("key.pem"), "not a key");
        const Result<QSslConfiguration> tls = Credentials::tls(config);
        QVERIFY(!tls);
        QVERIFY(tls.error().message().contains(QStringLiteral("no PEM certificate or RSA/EC key found")));
        config.tlsKey = dir.filePath(QStringLiteral("missing.pem"));
        QVERIFY(Credentials::tls(config).error().message().startsWith(QStringLiteral("cannot read the TLS key")));
    }
};

QTEST_GUILESS_MAIN(CredentialsTest)
#include "tst_credentials.moc"
