#pragma once

// Not part of the installed API.

#include "presenceclient_export.h"

#include <QByteArray>
#include <QUrl>

namespace Presence {

/// An identity provider's discovery document (/.well-known/openid-configuration), read from
/// untrusted bytes: usable only if it names the issuer it was read from (OpenID Connect
/// Discovery 4.3) and its endpoints are https, or http on loopback.
struct PRESENCECLIENT_AUTOTEST_EXPORT OpenIdConfiguration
{
    enum Error {
        NoError,
        OtherIssuer, ///< not JSON, or it names another issuer, or none
        UnsafeEndpoints, ///< no authorization or token endpoint that is https or loopback
    };

    Error error = OtherIssuer;
    QUrl authorizationEndpoint;
    QUrl tokenEndpoint;
    QUrl revocationEndpoint; ///< empty when absent or unsafe: sign-out then only forgets

    bool isValid() const { return error == NoError; }

    static OpenIdConfiguration parse(const QByteArray &json, const QUrl &issuer);
    /// The issuer as tokens and discovery documents write it: no trailing slash.
    static QString issuerText(const QUrl &issuer);
    /// https, or http on loopback (a provider on this machine, as in development).
    static bool isSafeEndpoint(const QUrl &url);
};

} // namespace Presence
