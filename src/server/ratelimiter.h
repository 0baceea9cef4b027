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
    double m_rate;
    double m_burst;
    double m_tokens;
    qint64 m_last = -1;
};

} // namespace Presence
