// libFuzzer target: one WebSocket text frame as presence-server parses it, every field
// accessor the handlers use on what came out, and its data through an engine's update (the
// size check, the store's serialization and the member's JSON) in a live session.
#include "engine.h"
#include "manualclock.h"
#include "protocol.h"

#include <QJsonArray>

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
    (void)Protocol::roomRef(request.fields);
    (void)Protocol::string(request.fields, "userId", Engine::MaxUserIdLength);
    (void)Protocol::string(request.fields, "cursor", 4 * Engine::MaxUserIdLength);
    if (const Result<QJsonObject> object = Protocol::object(request.fields, "data"); object) {
        static ManualClock clock;
        static Engine engine(&clock);
        static const Identity alice {QStringLiteral("alice"), QStringLiteral("acme"), {}, {}, {}};
        static const HeartbeatResult session = [] {
            (void)engine.open();
            return engine.heartbeat(alice, QStringLiteral("doc"), QStringLiteral("s")).value();
        }();
        if (engine.update(alice, session.sessionToken, object.value())) {
            clock.advance(engine.limits().dataCoalesce); // shows what was held back
            (void)Protocol::members(engine.list(alice, session.roomToken).value());
        }
        clock.advance(1); // never near the session's timeout: a heartbeat every call keeps it
        (void)engine.heartbeat(alice, QStringLiteral("doc"), QStringLiteral("s"));
    }
    if (request.id)
        (void)Protocol::result(*request.id, request.fields);
    return 0;
}
