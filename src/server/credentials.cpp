#include "credentials.h"

#include "jwtverifier.h"
#include "serverconfig.h"

#include <QFile>
#include <QLoggingCategory>
#include <QSslCertificate>
#include <QSslKey>

namespace Presence {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

Result<QByteArray> Credentials::readFile(const QString &path, const char *what)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return Error(Error::InvalidArgument,
            QStringLiteral("cannot read the %1 %2: %3").arg(QLatin1String(what), path, file.errorString()));
    }
    return file.readAll();
}

Result<bool> Credentials::loadKeys(const ServerConfig &config, JwtVerifier *verifier, bool reload)
{
    JwtVerifier::Options options;
    options.issuer = config.issuer;
    options.audience = config.audience;
    options.userClaim = config.userClaim;
    options.organizationClaim = config.organizationClaim;
    options.adminClaim = config.adminClaim;
    options.leewaySeconds = config.leewaySeconds;
    // Everything is read before anything is replaced: a bad file leaves the keys as they were.
    std::optional<QByteArray> jwks;
    std::optional<QByteArray> secret;
    if (!config.jwksFile.isEmpty()) {
        const Result<QByteArray> file = readFile(config.jwksFile, "JWKS file");
        if (!file)
            return file.error();
        JwtVerifier probe;
        if (const Result<int> keys = probe.loadJwks(file.value()); !keys)
            return Error(Error::InvalidArgument, config.jwksFile + QStringLiteral(": ") + keys.error().message());
        jwks = file.value();
    }
    if (!config.hs256SecretFile.isEmpty()) {
        const Result<QByteArray> file = readFile(config.hs256SecretFile, "HS256 secret file");
        if (!file)
            return file.error();
        JwtVerifier probe;
        if (const Result<bool> ok = probe.setHs256Secret(file.value().trimmed()); !ok)
            return Error(Error::InvalidArgument, config.hs256SecretFile + QStringLiteral(": ") + ok.error().message());
        secret = file.value().trimmed();
    }
    verifier->setOptions(options);
    if (jwks) {
        const int keys = verifier->loadJwks(*jwks).value();
        qCInfo(lcServer) << "loaded" << keys << "RSA keys from" << config.jwksFile;
    }
    if (secret)
        verifier->setHs256Secret(*secret);
    else if (reload)
        verifier->clearHs256Secret(); // a reload without the option turns HS256 off
    if ((!config.jwksFile.isEmpty() || !config.jwksUrl.isEmpty()) && !config.hs256SecretFile.isEmpty()) {
        qCWarning(lcServer) << "HS256 tokens are accepted beside the identity provider's keys: anyone with the "
                               "secret file can sign in as anyone; use --hs256-secret-file for development only";
    }
    if ((!config.jwksFile.isEmpty() || !config.jwksUrl.isEmpty()) && config.issuer.isEmpty()) {
        qCWarning(lcServer) << "keys come from a JWKS but no --issuer is required: tokens of every issuer that "
                               "shares those keys are accepted";
    }
    return true;
}

Result<QSslConfiguration> Credentials::tls(const ServerConfig &config)
{
    const Result<QByteArray> pem = readFile(config.tlsCertificate, "TLS certificate");
    if (!pem)
        return pem.error();
    const Result<QByteArray> keyPem = readFile(config.tlsKey, "TLS key");
    if (!keyPem)
        return keyPem.error();
    const QList<QSslCertificate> chain = QSslCertificate::fromData(pem.value(), QSsl::Pem);
    QSslKey key(keyPem.value(), QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyPem.value(), QSsl::Ec, QSsl::Pem);
    if (chain.isEmpty() || key.isNull()) {
        return Error(Error::InvalidArgument,
            QStringLiteral("%1 / %2: no PEM certificate or RSA/EC key found")
                .arg(config.tlsCertificate, config.tlsKey));
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    return tls;
}

Result<QByteArray> Credentials::metricsToken(const QString &path)
{
    const Result<QByteArray> token = readFile(path, "metrics token file");
    if (!token)
        return token.error();
    const QByteArray trimmed = token.value().trimmed();
    if (trimmed.size() < 16)
        return Error(Error::InvalidArgument, path + QStringLiteral(": a token needs 16 bytes or more"));
    return trimmed;
}

} // namespace Presence
