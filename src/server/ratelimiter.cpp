#include "ratelimiter.h"

#include <algorithm>

namespace Presence {

RateLimiter::RateLimiter(int rate, int burst)
    : m_rate(rate)
    , m_burst(qint64(burst) * 1000)
    , m_tokens(m_burst)
{
}

bool RateLimiter::tryTake(qint64 now)
{
    if (m_last >= 0)
        m_tokens = std::min(m_burst, m_tokens + std::max<qint64>(0, now - m_last) * m_rate);
    m_last = now;
    if (m_tokens < 1000)
        return false;
    m_tokens -= 1000;
    return true;
}

} // namespace Presence
