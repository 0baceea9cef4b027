#pragma once

#include <QObject>

namespace Presence {

/// The engine's notion of time, injectable so tests run in virtual time.
///
/// now() is milliseconds since the epoch. The engine asks to be woken at its next
/// session deadline with wakeAt(); the clock emits timeout() once that time is reached.
class Clock : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual qint64 now() const = 0;

    /// Requests one timeout() at or after `at`, replacing any earlier request;
    /// a negative value cancels.
    virtual void wakeAt(qint64 at) = 0;

Q_SIGNALS:
    void timeout();
};

} // namespace Presence
