#pragma once

#include "clock.h"

namespace Presence {

/// Virtual time for tests and benchmarks: time moves only when told to.
class ManualClock : public Clock
{
    Q_OBJECT
public:
    explicit ManualClock(qint64 start = 1'700'000'000'000, QObject *parent = nullptr);

    qint64 now() const override { return m_now; }
    void wakeAt(qint64 at) override { m_wakeAt = at; }

    /// Moves time forward by `ms` and emits timeout() if a requested wake time was reached.
    void advance(qint64 ms);
    void setNow(qint64 now);

    /// The time of the pending wake request, or -1.
    qint64 pendingWake() const { return m_wakeAt; }

private:
    qint64 m_now;
    qint64 m_wakeAt = -1;
};

} // namespace Presence
