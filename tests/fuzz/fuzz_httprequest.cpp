// libFuzzer target: HttpRequest, fed the way a socket feeds it: in pieces whose sizes the
// input chooses (its first byte), so that every state of the incremental parser is cut.
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
    // The same bytes at once must reach the same verdict.
    Presence::HttpRequest whole;
    const auto state = whole.parse(QByteArray(bytes, qsizetype(length)));
    if (state == Presence::HttpRequest::State::Complete
        && incremental.state() == Presence::HttpRequest::State::Complete) {
        if (whole.isUpgrade() != incremental.isUpgrade() || whole.path() != incremental.path()
            || whole.headSize() != incremental.headSize())
            __builtin_trap();
    }
    (void)whole.header("authorization");
    return 0;
}
