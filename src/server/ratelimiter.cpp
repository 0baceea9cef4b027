#include "ratelimiter.h"

#include <algorithm>

namespace Presence {

RateLimiter::RateLimiter(int rate, int burst)
    : m_rate(rate / 1000.0)
    , m_burst(burst)
    , m_tokens(burst)
{
}

bool RateLimiter::tryTake(qint64 now)
{
    if (m_last >= 0)
        m_tokens = std::min(m_burst, m_tokens + double(now - m_last) * m_rate);
    m_last = now;
    if (m_tokens < 1.0)
        return false;
    m_tokens -= 1.0;
    return true;
}

} // namespace Presence
