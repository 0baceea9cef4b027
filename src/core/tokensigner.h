#pragma once

#include <QByteArray>
#include <QJsonObject>

namespace Presence {

/// Signs JSON Web Tokens with HS256 (HMAC-SHA256 over a shared secret), in Qt Core alone: what
/// an embedded server hands to its loopback clients, and what development setups and tests
/// give a presence-server configured with the same secret. Verifying stays with JwtVerifier.
class TokenSigner
{
public:
    /// `header.payload.signature`, each part base64url without padding.
    static QByteArray signHs256(const QJsonObject &claims, const QByteArray &secret);
};

} // namespace Presence
