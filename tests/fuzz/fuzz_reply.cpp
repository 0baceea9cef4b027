// libFuzzer target: one frame from a server (or whoever answers at its URL) as the client
// library's WebSocket transport reads it: the reply parser, then the decoders its callbacks use.
#include "protocol.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Presence;
    const QByteArray frame(reinterpret_cast<const char *>(data), qsizetype(size));
    const Reply reply = Protocol::parseReply(frame);
    switch (reply.kind) {
    case Reply::Result:
        (void)Protocol::heartbeatResultFrom(reply.result);
        (void)Protocol::membersFrom(reply.result);
        if (const auto counted = Protocol::membersWithCountsFrom(reply.result)) {
            if (counted->second.online < 0 || counted->second.total < counted->second.online)
                __builtin_trap();
        }
        if (const auto page = Protocol::onlinePageFrom(reply.result)) {
            for (const OnlineUser &user : page->users) {
                if (user.userId.isEmpty())
                    __builtin_trap();
            }
        }
        (void)Protocol::roomsFrom(reply.result);
        break;
    case Reply::Kicked:
        if (reply.roomId.isEmpty())
            __builtin_trap();
        break;
    case Reply::Diff:
        // What the model applies: every member checked, every removal a non-empty id.
        for (const Member &member : reply.diff.upserted) {
            if (member.userId.isEmpty())
                __builtin_trap();
        }
        for (const QString &userId : reply.diff.removed) {
            if (userId.isEmpty())
                __builtin_trap();
        }
        if (reply.diff.counts
            && (reply.diff.counts->online < 0 || reply.diff.counts->total < reply.diff.counts->online))
            __builtin_trap();
        break;
    case Reply::Error:
    case Reply::Invalid:
        if (reply.error.code() == Error::None)
            __builtin_trap();
        break;
    }
    return 0;
}
