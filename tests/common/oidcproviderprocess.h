#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QString>

/// tests/auth/jwks-provider: an OpenID Connect provider on loopback (oauth2-mock-server, from
/// npm), driven by one-line commands: it signs RS256 tokens, rotates its keys, and runs the
/// authorization code flow (see its README for the commands).
class OidcProviderProcess
{
public:
    ~OidcProviderProcess();

    /// Starts `node provider.mjs` and waits for its issuer URL.
    bool start();
    /// Whether `scripts/bootstrap` installed the provider's npm modules.
    static bool isInstalled();
    QString issuer() const { return m_issuer; }
    QString jwksUrl() const { return m_issuer + QStringLiteral("/jwks"); }
    /// Sends one command and returns its one-line answer.
    QByteArray command(const QByteArray &line);
    /// A token of `user` in `organization`, with `extra` claims.
    QByteArray token(const QString &user, const QString &organization, const QJsonObject &extra = {});
    /// How many times the JWKS was fetched.
    int hits();

private:
    QByteArray readLine(int timeoutMs);

    QProcess m_process;
    QString m_issuer;
};
