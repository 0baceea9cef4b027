// What an identity provider sends SignIn, from untrusted bytes: its discovery document, and the
// ID token of its token answer (raw, or claims of the fuzzer's wrapped into a token). The first
// byte says which. A reader may refuse anything; what it accepts must hold to its promises.
#include "idtokenclaims_p.h"
#include "openidconfiguration_p.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <cstddef>
#include <cstdint>

using namespace Presence;

namespace {

const QUrl Issuer(QStringLiteral("https://auth.example.com"));

void checkIdToken(const QString &token)
{
    const qint64 now = 1'800'000'000'000;
    for (const QString &userId : {QString(), QStringLiteral("alice")}) {
        IdTokenClaims::Expected expected {OpenIdConfiguration::issuerText(Issuer), QStringLiteral("presence-desktop"),
            now, userId.isEmpty() ? QStringLiteral("n0nce") : QString(), userId};
        const IdTokenClaims claims = IdTokenClaims::check(token, expected);
        if (claims.isValid() && (claims.userId.isEmpty() || (!userId.isEmpty() && claims.userId != userId)))
            __builtin_trap(); // accepted nobody, or someone else on a refresh
        if (!claims.isValid() && !claims.userId.isEmpty())
            __builtin_trap(); // refused, yet says who
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1 << 20)
        return 0;
    const QByteArray input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    switch (data[0] % 3) {
    case 0: {
        const OpenIdConfiguration configuration = OpenIdConfiguration::parse(input, Issuer);
        if (configuration.isValid()
            && (!OpenIdConfiguration::isSafeEndpoint(configuration.authorizationEndpoint)
                || !OpenIdConfiguration::isSafeEndpoint(configuration.tokenEndpoint)))
            __builtin_trap(); // an endpoint a browser or a token could be sent to unsafely
        if (!configuration.revocationEndpoint.isEmpty()
            && !OpenIdConfiguration::isSafeEndpoint(configuration.revocationEndpoint))
            __builtin_trap();
        break;
    }
    case 1:
        checkIdToken(QString::fromUtf8(input));
        break;
    default:
        checkIdToken(QStringLiteral("eyJhbGciOiJSUzI1NiJ9.")
            + QString::fromLatin1(input.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))
            + QStringLiteral(".c2ln"));
        break;
    }
    return 0;
}
