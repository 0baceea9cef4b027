// libFuzzer target: one WebSocket text frame as presence-server parses it, and every field
// accessor the handlers use on what came out.
#include "engine.h"
#include "protocol.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Presence;
    const QByteArray frame(reinterpret_cast<const char *>(data), qsizetype(size));
    const Request request = Protocol::parseRequest(frame);
    if (request.type == Request::Invalid) {
        (void)Protocol::error(request.id, request.error);
        return 0;
    }
    (void)Protocol::string(request.fields, "roomId", Engine::MaxRoomIdLength);
    (void)Protocol::string(request.fields, "sessionId", Engine::MaxSessionIdLength);
    (void)Protocol::string(request.fields, "roomToken", Engine::MaxTokenLength);
    (void)Protocol::integer(
        request.fields, "interval", Engine::DefaultInterval, Engine::MinInterval, Engine::MaxInterval);
    (void)Protocol::integer(request.fields, "limit", Engine::DefaultLimit, 1, Engine::MaxLimit);
    (void)Protocol::integerValue(request.fields.value(QLatin1String("sub")));
    (void)Protocol::boolean(request.fields, "away", false);
    (void)Protocol::boolean(request.fields, "counts", false);
    if (request.id)
        (void)Protocol::result(*request.id, request.fields);
    return 0;
}
