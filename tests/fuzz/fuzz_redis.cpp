// libFuzzer target: bytes from Redis as a node reads them. Redis holds what clients sent (names,
// data) and what every other node wrote, so its replies are read as untrusted: the protocol
// reader (cut where the first byte says, as a socket would cut it), then every reader of what
// the functions answer and publish, of a Redis Cluster's map and redirections, and of the
// users table.
#include "rediscluster.h"
#include "redisreplyreader.h"
#include "redisusers.h"
#include "rediswire.h"

#include <cstddef>
#include <cstdint>

namespace {

using namespace Presence;

void readString(const QByteArray &s)
{
    if (const auto member = RedisWire::member(s); member && member->member.userId.isEmpty())
        __builtin_trap();
    if (const auto event = RedisWire::event(s)) {
        if (event->version <= 0 || (!event->roomRemoved && !event->member))
            __builtin_trap();
    }
    if (const auto kick = RedisWire::kick(s); kick && kick->token.isEmpty())
        __builtin_trap();
    if (const auto r = RedisCluster::redirection(s); r && (r->slot < 0 || r->slot > 16383 || r->port == 0))
        __builtin_trap();
    (void)RedisUsers::decode(QStringLiteral("org"), s);
    (void)RedisWire::roomOfChannel(s);
}

void read(const RedisReply &reply, int depth)
{
    readString(reply.string);
    (void)reply.toInteger();
    if (const auto room = RedisWire::room(reply); room && room->version < 0)
        __builtin_trap();
    for (const RedisCluster::SlotRange &range : RedisCluster::slotRanges(reply)) {
        if (range.first < 0 || range.last > 16383 || range.first > range.last || range.port == 0)
            __builtin_trap();
    }
    if (depth < 3) {
        for (const RedisReply &element : reply.elements)
            read(element, depth + 1);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype chunk = qsizetype(data[0]) + 1;
    const char *bytes = reinterpret_cast<const char *>(data + 1);
    const qsizetype total = qsizetype(size - 1);
    RedisReplyReader reader;
    for (qsizetype at = 0; at < total; at += chunk) {
        reader.feed(bytes + at, std::min(chunk, total - at));
        RedisReply reply;
        RedisReplyReader::Status status;
        while ((status = reader.next(&reply)) == RedisReplyReader::Reply)
            read(reply, 0);
        if (status == RedisReplyReader::Failed) {
            if (reader.error().isEmpty())
                __builtin_trap();
            return 0;
        }
    }
    return 0;
}
