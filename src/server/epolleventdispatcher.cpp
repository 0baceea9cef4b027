#include "epolleventdispatcher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSocketNotifier>

#include <cerrno>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <vector>

namespace Presence {

namespace {

qint64 monotonicMs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

// Which epoll events wake which notifier: as Qt's own UNIX dispatcher does with poll().
constexpr quint32 Wakes[3] = {
    EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP, // Read
    EPOLLOUT | EPOLLHUP | EPOLLERR, // Write
    EPOLLPRI | EPOLLHUP | EPOLLERR, // Exception
};
constexpr quint32 Watches[3] = {EPOLLIN | EPOLLRDHUP, EPOLLOUT, EPOLLPRI};

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , m_events(new epoll_event[MaxEvents])
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epoll < 0 || m_wakeFd < 0)
        qFatal("EpollEventDispatcher: cannot create epoll or eventfd: %s", qPrintable(qt_error_string(errno)));
    epoll_event event = {};
    event.events = EPOLLIN;
    event.data.fd = m_wakeFd;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &event);
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(m_wakeFd);
    ::close(m_epoll);
    delete[] m_events;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Socket &socket = m_sockets[fd];
    socket.notifiers[notifier->type()] = notifier;
    updateSocket(fd, socket);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const auto it = m_sockets.find(fd);
    if (it == m_sockets.end() || it->second.notifiers[notifier->type()] != notifier)
        return;
    it->second.notifiers[notifier->type()] = nullptr;
    updateSocket(fd, it->second);
    if (it->second.events == 0 && it->second.wanted == 0)
        m_sockets.erase(it);
}

void EpollEventDispatcher::updateSocket(int fd, Socket &socket)
{
    quint32 events = 0;
    for (int type = 0; type < 3; ++type) {
        if (socket.notifiers[type])
            events |= Watches[type];
    }
    socket.wanted = events;
    // A socket that writes enables its write notifier and, once flushed, disables it again within
    // one pass of the loop: changes between two watched sets wait until just before epoll_wait, so
    // that pair costs no system call. Adding and removing happen at once, because a descriptor
    // may be closed and its number reused right after.
    if (events != 0 && socket.events != 0) {
        if (events != socket.events && !socket.dirty) {
            socket.dirty = true;
            m_dirty.push_back(fd);
        }
        return;
    }
    applySocket(fd, socket);
}

void EpollEventDispatcher::applySocket(int fd, Socket &socket)
{
    const quint32 events = socket.wanted;
    if (events == socket.events)
        return;
    epoll_event event = {};
    event.events = events;
    event.data.fd = fd;
    const int op = socket.events == 0 ? EPOLL_CTL_ADD : events == 0 ? EPOLL_CTL_DEL : EPOLL_CTL_MOD;
    if (epoll_ctl(m_epoll, op, fd, &event) != 0 && op != EPOLL_CTL_DEL) {
        // A descriptor closed and reused before its notifier went: start over for it.
        if (errno == EEXIST)
            epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
        else if (errno == ENOENT)
            epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event);
        else
            qWarning("EpollEventDispatcher: epoll_ctl on socket %d: %s", fd, qPrintable(qt_error_string(errno)));
    }
    socket.events = events;
}

void EpollEventDispatcher::applyDirtySockets()
{
    for (const int fd : m_dirty) {
        const auto it = m_sockets.find(fd);
        if (it == m_sockets.end() || !it->second.dirty)
            continue; // gone meanwhile
        it->second.dirty = false;
        applySocket(fd, it->second);
    }
    m_dirty.clear();
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    const qint64 deadline = monotonicMs() + interval;
    Timer timer {interval, timerType, object, deadline, m_deadlines.emplace(deadline, timerId), false};
    m_timers.insert_or_assign(timerId, timer);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_deadlines.erase(it->second.queued);
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->second.object == object) {
            m_deadlines.erase(it->second.queued);
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> list;
    for (const auto &[id, timer] : m_timers) {
        if (timer.object == object)
            list.append(TimerInfo(id, int(timer.interval), timer.type));
    }
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return -1;
    return int(std::max<qint64>(0, it->second.deadline - monotonicMs()));
}

void EpollEventDispatcher::wakeUp()
{
    // Thread-safe, and one write however many events are posted before the loop runs.
    if (m_wakeUps.testAndSetAcquire(0, 1)) {
        const quint64 one = 1;
        [[maybe_unused]] const auto written = ::write(m_wakeFd, &one, sizeof one);
    }
}

void EpollEventDispatcher::drainWakeUps()
{
    quint64 count;
    [[maybe_unused]] const auto read = ::read(m_wakeFd, &count, sizeof count);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupt.storeRelaxed(1);
    wakeUp();
}

int EpollEventDispatcher::waitTime(bool canWait) const
{
    if (!canWait)
        return 0;
    // A timer being delivered further up the stack (a nested loop) is not due again yet.
    for (const auto &[deadline, id] : m_deadlines) {
        if (m_timers.at(id).active)
            continue;
        return int(std::clamp<qint64>(deadline - monotonicMs(), 0, 24 * 3600 * 1000));
    }
    return -1;
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupt.storeRelaxed(0);
    Q_EMIT awake();
    // Clear the wake-up before delivering, so anything posted from now on wakes the wait below.
    if (m_wakeUps.fetchAndStoreAcquire(0))
        drainWakeUps();
    QCoreApplication::sendPostedEvents();
    if (m_interrupt.loadRelaxed())
        return false; // exit() or quit() from a posted event: the loop is to return now

    applyDirtySockets();
    const bool canWait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupt.loadRelaxed();
    const int timeout = waitTime(canWait);
    if (timeout != 0)
        Q_EMIT aboutToBlock();
    int ready = epoll_wait(m_epoll, m_events, MaxEvents, timeout);
    if (ready < 0) {
        if (errno != EINTR)
            qWarning("EpollEventDispatcher: epoll_wait: %s", qPrintable(qt_error_string(errno)));
        ready = 0;
    }
    if (timeout != 0)
        Q_EMIT awake();

    int activated = 0;
    if (!(flags & QEventLoop::ExcludeSocketNotifiers))
        activated += activateSockets(ready);
    if (!(flags & QEventLoop::X11ExcludeTimers) && !m_interrupt.loadRelaxed())
        activated += activateTimers();
    return activated > 0;
}

int EpollEventDispatcher::activateSockets(int ready)
{
    // First decide who is woken, then deliver: a slot may unregister or delete any notifier.
    struct Pending
    {
        int fd;
        int type;
        QSocketNotifier *notifier;
    };
    std::vector<Pending> pending;
    pending.reserve(size_t(ready));
    for (int i = 0; i < ready; ++i) {
        const int fd = m_events[i].data.fd;
        if (fd == m_wakeFd) {
            // Normally drained above; this catches a write that landed after that read.
            drainWakeUps();
            continue;
        }
        const auto it = m_sockets.find(fd);
        if (it == m_sockets.end())
            continue;
        for (int type = 0; type < 3; ++type) {
            if (it->second.notifiers[type] && (m_events[i].events & Wakes[type]))
                pending.push_back({fd, type, it->second.notifiers[type]});
        }
    }
    int activated = 0;
    for (const Pending &p : pending) {
        if (m_interrupt.loadRelaxed())
            break; // exit() from a slot: the rest stays ready for the next loop (level-triggered)
        const auto it = m_sockets.find(p.fd);
        if (it == m_sockets.end() || it->second.notifiers[p.type] != p.notifier)
            continue; // unregistered meanwhile
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(p.notifier, &event);
        ++activated;
    }
    return activated;
}

int EpollEventDispatcher::activateTimers()
{
    const qint64 now = monotonicMs();
    std::vector<int> due;
    for (auto it = m_deadlines.begin(); it != m_deadlines.end() && it->first <= now; ++it)
        due.push_back(it->second);
    int activated = 0;
    for (int id : due) {
        auto it = m_timers.find(id);
        if (it == m_timers.end() || it->second.active || it->second.deadline > now)
            continue; // gone, being delivered further up the stack, or restarted
        Timer &timer = it->second;
        // Next deadline: on the interval's grid, or an interval from now if we fell behind.
        qint64 next = timer.deadline + timer.interval;
        if (next <= now)
            next = now + timer.interval;
        m_deadlines.erase(timer.queued);
        timer.deadline = next;
        timer.queued = m_deadlines.emplace(next, id);
        timer.active = true;
        QObject *object = timer.object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++activated;
        it = m_timers.find(id); // the slot may have killed or restarted it
        if (it != m_timers.end())
            it->second.active = false;
    }
    return activated;
}

} // namespace Presence
