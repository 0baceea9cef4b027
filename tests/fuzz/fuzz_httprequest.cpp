// libFuzzer target: HttpRequest, fed the way a socket feeds it: in pieces whose sizes the
// input chooses (its first byte), so that every state of the incremental parser is cut;
// and the same bytes at once.
#include "httprequest.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const size_t piece = 1 + data[0] % 64;
    const char *bytes = reinterpret_cast<const char *>(data + 1);
    const size_t length = size - 1;
    Presence::HttpRequest incremental;
    for (size_t at = 0; at < length; at += piece) {
        if (incremental.feed(bytes + at, qsizetype(std::min(piece, length - at)))
            != Presence::HttpRequest::State::Incomplete)
            break;
    }
    // What is handed on after an upgrade's head must be past the head's blank line, within
    // what was fed. (On malformed heads http-parser may end a head at another blank line when
    // fed in other pieces; the server acts on the pieces it got and rebuilds the head.)
    if (incremental.state() == Presence::HttpRequest::State::Complete && incremental.isUpgrade()) {
        const qint64 head = incremental.headSize();
        if (head < 2 || head > qint64(length))
            __builtin_trap();
        const QByteArray end = QByteArray(bytes, qsizetype(head)).right(3);
        if (!end.endsWith("\n\n") && !end.endsWith("\n\r\n"))
            __builtin_trap();
    }
    Presence::HttpRequest whole;
    (void)whole.parse(QByteArray(bytes, qsizetype(length)));
    (void)whole.header("authorization");
    return 0;
}
