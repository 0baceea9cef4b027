#pragma once

// Not part of the installed API.

#include "presenceclient_export.h"

#include <QString>

namespace Presence {

/// Who an ID token says signed in, and whether what it claims fits this sign-in. It comes
/// straight from the token endpoint over a connection the app opened, so its signature need not
/// be checked (OpenID Connect Core 3.1.3.7); its claims must fit.
struct PRESENCECLIENT_AUTOTEST_EXPORT IdTokenClaims
{
    enum Error {
        NoError,
        Unreadable, ///< not three dot-separated parts, or the middle one is not base64url JSON
        OtherIssuer,
        OtherAudience,
        Expired,
        WrongNonce,
        Nobody, ///< no "sub"
        SomeoneElse, ///< a refresh for another "sub" than the one signed in
    };

    /// What the token must say.
    struct Expected
    {
        QString issuer; ///< as OpenIdConfiguration::issuerText writes it
        QString clientId;
        qint64 nowMs = 0;
        QString nonce; ///< empty: not checked (a refresh)
        QString userId; ///< empty: anyone (a new sign-in); else the one signed in
    };

    Error error = Unreadable;
    QString userId;
    QString name;
    QString picture;
    QString email;

    bool isValid() const { return error == NoError; }

    static IdTokenClaims check(const QString &idToken, const Expected &expected);
};

} // namespace Presence
