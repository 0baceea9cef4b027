#pragma once

#include "result.h"

#include <QByteArray>
#include <QSslConfiguration>

namespace Presence {

class JwtVerifier;
struct ServerConfig;

/// The secrets a configuration names, read from their files: token keys (a JWKS file, an
/// HS256 secret file), the TLS certificate and key, the metrics bearer token. Every file is
/// read and checked before anything is replaced, so a bad one leaves things as they were.
class Credentials
{
public:
    /// Loads the token options and keys of `config` into `verifier`. `reload`: a missing
    /// --hs256-secret-file turns HS256 off (at start it was never on).
    static Result<bool> loadKeys(const ServerConfig &config, JwtVerifier *verifier, bool reload);
    /// The TLS configuration of --tls-cert and --tls-key (a PEM chain, an RSA or EC key).
    static Result<QSslConfiguration> tls(const ServerConfig &config);
    /// The bearer token /metrics asks for (16 bytes or more), from --metrics-token-file.
    static Result<QByteArray> metricsToken(const QString &path);

    /// A file's contents, or an error naming `what` it was meant to be.
    static Result<QByteArray> readFile(const QString &path, const char *what);
};

} // namespace Presence
