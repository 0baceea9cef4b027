#include "manualclock.h"

namespace Presence {

ManualClock::ManualClock(qint64 start, QObject *parent)
    : Clock(parent)
    , m_now(start)
{
}

void ManualClock::advance(qint64 ms)
{
    setNow(m_now + ms);
}

void ManualClock::setNow(qint64 now)
{
    m_now = now;
    if (m_wakeAt >= 0 && m_wakeAt <= m_now) {
        m_wakeAt = -1;
        Q_EMIT timeout();
    }
}

} // namespace Presence
