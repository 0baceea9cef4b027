#pragma once

#include <QString>

namespace Presence {

/// Who is calling, as verified by the transport (a JWT, or the embedding app itself).
/// userId and organization are required; the optional claims feed the users table.
struct Identity
{
    QString userId;
    QString organization;
    QString email;
    QString name;
    QString picture;
    qint64 validUntil = 0; ///< ms since the epoch after which the credential is expired; 0: never
    /// May administer the organization's rooms (Engine::kick(), Engine::removeRoom()): the
    /// token carries the server's admin claim.
    bool admin = false;

    bool hasProfileClaims() const { return !email.isEmpty() || !name.isEmpty() || !picture.isEmpty(); }
};

} // namespace Presence
