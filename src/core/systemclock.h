#pragma once

#include "clock.h"

#include <QTimer>

namespace Presence {

/// Wall-clock time with a precise single-shot timer for the next deadline.
class SystemClock : public Clock
{
    Q_OBJECT
public:
    explicit SystemClock(QObject *parent = nullptr);

    qint64 now() const override;
    void wakeAt(qint64 at) override;

private:
    QTimer m_timer;
};

} // namespace Presence
