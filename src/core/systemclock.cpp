#include "systemclock.h"

#include <QDateTime>

#include <algorithm>
#include <limits>

namespace Presence {

SystemClock::SystemClock(QObject *parent)
    : Clock(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Clock::timeout);
}

qint64 SystemClock::now() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

void SystemClock::wakeAt(qint64 at)
{
    if (at < 0) {
        m_timer.stop();
        return;
    }
    // Re-armed on every wake, so a long delay is simply capped; the engine re-checks.
    const qint64 delay = std::clamp<qint64>(at - now(), 0, std::numeric_limits<int>::max());
    m_timer.start(int(delay));
}

} // namespace Presence
