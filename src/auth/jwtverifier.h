#pragma once

#include "identity.h"
#include "result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <memory>

namespace Presence {

class JwtVerifierPrivate;

/// Verifies JSON Web Tokens and turns their claims into an Identity.
///
/// RS256 with public keys from a JWKS document, chosen by the token's `kid` (WorkOS access
/// tokens), and HS256 with a shared secret for development. The algorithm is pinned to the
/// key: an RS256 token is checked only against an RSA key, an HS256 token only against the
/// configured secret, so a token "signed" with the RSA public key as an HMAC secret, or with
/// `alg: none`, is refused. `exp` and `nbf` are checked with a leeway; `iss` and `aud` when
/// configured. Signatures are verified with OpenSSL 3.
class JwtVerifier
{
public:
    struct Options
    {
        QString issuer; ///< required `iss`, if set
        QString audience; ///< required in `aud` (a string or an array), if set
        QString userClaim = QStringLiteral("sub");
        QString organizationClaim = QStringLiteral("org_id");
        /// The claim that makes a caller an administrator (Identity::admin): "name" wants
        /// `"name": true`; "name=value" wants that string, or an array holding it (WorkOS's
        /// "role=admin", "permissions=presence:admin"). Empty: nobody is.
        QString adminClaim = QStringLiteral("presence_admin");
        int leewaySeconds = 30;
    };

    JwtVerifier();
    ~JwtVerifier();
    JwtVerifier(const JwtVerifier &) = delete;
    JwtVerifier &operator=(const JwtVerifier &) = delete;

    void setOptions(const Options &options);
    Options options() const;

    /// Replaces the RSA keys with those of a JWKS document ({"keys": [{kty, kid, n, e}…]}).
    /// Keys of other types or uses are skipped; returns how many RSA keys were loaded. A
    /// document without one RSA signing key is an error and replaces nothing.
    Result<int> loadJwks(const QByteArray &json);
    /// Enables HS256 with this secret (at least 32 bytes).
    Result<bool> setHs256Secret(const QByteArray &secret);
    /// Turns HS256 off.
    void clearHs256Secret();

    /// The identity of a valid token, or Unauthenticated with the reason.
    /// `now` is seconds since the epoch.
    Result<Identity> verify(const QByteArray &token, qint64 now) const;

    /// Whether an RSA key with this kid is loaded.
    bool hasKey(const QString &kid) const;
    /// The `kid` of a token's header, or empty (no kid, or not a token at all).
    static QString keyId(const QByteArray &token);

private:
    std::unique_ptr<JwtVerifierPrivate> d;
};

} // namespace Presence
