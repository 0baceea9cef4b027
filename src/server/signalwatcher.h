#pragma once

#include <QObject>

class QSocketNotifier;

namespace Presence {

/// Turns SIGTERM, SIGINT and SIGHUP into a Qt signal on the event loop (self-pipe: the
/// handler only writes a byte, which is all a signal handler may safely do).
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(const QList<int> &signalNumbers, QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void received(int signal);

private:
    static void handler(int signal);
    static int s_fds[2];
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Presence
