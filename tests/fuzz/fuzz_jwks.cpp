// libFuzzer target: a JWKS document as a provider (or an attacker in its place) serves it.
#include "jwtverifier.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Presence::JwtVerifier verifier;
    const auto loaded = verifier.loadJwks(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (loaded && loaded.value() > 0)
        (void)verifier.verify("eyJhbGciOiJSUzI1NiIsImtpZCI6ImtleS0xIn0.e30.c2ln", 1'700'000'000);
    return 0;
}
