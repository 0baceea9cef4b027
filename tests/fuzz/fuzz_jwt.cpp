// libFuzzer target: JwtVerifier::verify on any bytes, with an RSA key and an HS256 secret
// loaded, as presence-server runs it on every Authorization header and auth frame.
#include "jwtverifier.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>

namespace {

// One RSA public key (kid "key-1"), as a JWKS publishes it.
const char Jwks[] = R"({"keys":[{"kty":"RSA","kid":"key-1","use":"sig","alg":"RS256","e":"AQAB","n":")"
                    R"(z6JRrW8AfGbwhCbcKjjhmYubLjwBdqyRPvBNS2fmQ_tyFfWDF7EEUc-tFYgbLyh6E1j0rUxUWvg2qJQQSajmQUKt)"
                    R"(WEgZutp0StjBHpkZetXc_C4c0kSKTxhgWelnUzC4xePiAMbJ3olU8Q1b7wg61t9BbokFOzx4XjhKDf1w8mZJ_Tce)"
                    R"(0UqxWixfTdGv4JVpBnV3Y6KwpNyklWEVceEtOdcpoMgSxIpG3Py7DCstd9y6h5t3n9b9ToVkwGXBz0mke-Nks1At)"
                    R"(ujaLpr0QfyIujfPbKc8WHovDe3cNmZm1HHASMmmAKYZg0KlHn9uYuwmeRAS151iw5HECITFmQXfC2w)"
                    R"("}]})";

Presence::JwtVerifier &verifier()
{
    static Presence::JwtVerifier *v = [] {
        auto *v = new Presence::JwtVerifier;
        v->loadJwks(Jwks);
        v->setHs256Secret(QByteArray(40, 's'));
        return v;
    }();
    return *v;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray token(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto identity = verifier().verify(token, 1'700'000'000);
    if (identity && identity.value().validUntil < 0)
        __builtin_trap(); // dates are range-checked before any arithmetic
    (void)Presence::JwtVerifier::keyId(token);
    return 0;
}
