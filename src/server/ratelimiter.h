#pragma once

#include <QtGlobal>

namespace Presence {

/// A token bucket: `rate` requests per second on average, bursts of up to `burst`.
class RateLimiter
{
public:
    RateLimiter(int rate, int burst);

    /// Takes one token if there is one; `now` is a monotonic time in ms.
    bool tryTake(qint64 now);

private:
    // In thousandths of a request, so that refilling by the millisecond is exact.
    qint64 m_rate; ///< per ms
    qint64 m_burst;
    qint64 m_tokens;
    qint64 m_last = -1;
};

} // namespace Presence
