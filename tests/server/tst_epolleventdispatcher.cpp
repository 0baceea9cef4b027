// EpollEventDispatcher: Qt's event loop contract (timers, socket notifiers, posted events,
// deferred deletes, nested loops, quitting) on epoll.
#include "epolleventdispatcher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTest>
#include <QTimer>

#include <thread>

#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

using Presence::EpollEventDispatcher;

namespace {

class TimerCounter : public QObject
{
public:
    int fired = 0;
    QList<int> ids;

protected:
    void timerEvent(QTimerEvent *event) override
    {
        ++fired;
        ids.append(event->timerId());
    }
};

struct SocketPair
{
    int fds[2] = {-1, -1};
    SocketPair() { ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds); }
    ~SocketPair()
    {
        ::close(fds[0]);
        ::close(fds[1]);
    }
};

} // namespace

class EpollEventDispatcherTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isTheDispatcher() { QVERIFY(qobject_cast<EpollEventDispatcher *>(QCoreApplication::eventDispatcher())); }

    void timersRepeatOnTheirInterval()
    {
        TimerCounter counter;
        QElapsedTimer clock;
        clock.start();
        const int id = counter.startTimer(20);
        QTRY_VERIFY_WITH_TIMEOUT(counter.fired >= 5, 2000);
        QVERIFY2(clock.elapsed() >= 95, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(counter.ids.first(), id);
        const auto timers = QCoreApplication::eventDispatcher()->registeredTimers(&counter);
        QCOMPARE(timers.size(), 1);
        QCOMPARE(timers.first().interval, 20);
        const int remaining = QCoreApplication::eventDispatcher()->remainingTime(id);
        QVERIFY(remaining >= 0 && remaining <= 20);
        counter.killTimer(id);
        const int fired = counter.fired;
        QTest::qWait(60);
        QCOMPARE(counter.fired, fired);
        QCOMPARE(QCoreApplication::eventDispatcher()->remainingTime(id), -1);
    }

    void singleShotsAndZeroTimers()
    {
        int order = 0;
        int zero = 0;
        int later = 0;
        QTimer::singleShot(30, this, [&] { later = ++order; });
        QTimer::singleShot(0, this, [&] { zero = ++order; });
        QTRY_VERIFY_WITH_TIMEOUT(later > 0, 2000);
        QCOMPARE(zero, 1);
        QCOMPARE(later, 2);
    }

    void timersOfADeletedObjectAreGone()
    {
        auto *counter = new TimerCounter;
        counter->startTimer(5);
        counter->startTimer(7);
        QVERIFY(QCoreApplication::eventDispatcher()->unregisterTimers(counter));
        QVERIFY(!QCoreApplication::eventDispatcher()->unregisterTimers(counter));
        counter->startTimer(5);
        delete counter; // must not be delivered to afterwards
        QTest::qWait(30);
    }

    void socketNotifiersFireWhenReadable()
    {
        SocketPair pair;
        QSocketNotifier notifier(pair.fds[1], QSocketNotifier::Read);
        QByteArray received;
        int activations = 0;
        connect(&notifier, &QSocketNotifier::activated, this, [&] {
            ++activations;
            char buffer[16];
            const auto n = ::read(pair.fds[1], buffer, sizeof buffer);
            if (n > 0)
                received.append(buffer, n);
        });
        QTest::qWait(20);
        QCOMPARE(activations, 0);
        QCOMPARE(::write(pair.fds[0], "x", 1), 1);
        QTRY_COMPARE_WITH_TIMEOUT(received, QByteArray("x"), 2000);
        QTest::qWait(20);
        QCOMPARE(activations, 1); // level-triggered, and quiet once drained

        notifier.setEnabled(false);
        QCOMPARE(::write(pair.fds[0], "y", 1), 1);
        QTest::qWait(20);
        QCOMPARE(activations, 1);
        notifier.setEnabled(true);
        QTRY_COMPARE_WITH_TIMEOUT(received, QByteArray("xy"), 2000);
        QCOMPARE(activations, 2);
    }

    void readAndWriteNotifiersShareASocket()
    {
        SocketPair pair;
        QSocketNotifier reader(pair.fds[0], QSocketNotifier::Read);
        QSocketNotifier writer(pair.fds[0], QSocketNotifier::Write);
        int readable = 0;
        int writable = 0;
        connect(&writer, &QSocketNotifier::activated, this, [&] {
            ++writable;
            writer.setEnabled(false); // an empty socket is writable: once is enough
        });
        connect(&reader, &QSocketNotifier::activated, this, [&] {
            ++readable;
            char byte;
            QCOMPARE(::read(pair.fds[0], &byte, 1), 1);
        });
        QTRY_COMPARE_WITH_TIMEOUT(writable, 1, 2000);
        QCOMPARE(readable, 0);
        QCOMPARE(::write(pair.fds[1], "z", 1), 1);
        QTRY_COMPARE_WITH_TIMEOUT(readable, 1, 2000);
        QTest::qWait(20);
        QCOMPARE(writable, 1);
        QCOMPARE(readable, 1);
    }

    // Toggling a write notifier within one pass of the loop (what a socket does when it queues
    // bytes and flushes them) is coalesced; the watched set must still end up right.
    void writeNotifierToggledWithinAPassEndsUpRight()
    {
        SocketPair pair;
        QSocketNotifier reader(pair.fds[0], QSocketNotifier::Read);
        QSocketNotifier writer(pair.fds[0], QSocketNotifier::Write);
        int readable = 0;
        int writable = 0;
        connect(&reader, &QSocketNotifier::activated, this, [&] {
            ++readable;
            char byte;
            QCOMPARE(::read(pair.fds[0], &byte, 1), 1);
            for (int i = 0; i < 5; ++i) { // on and off: nothing to watch afterwards
                writer.setEnabled(true);
                writer.setEnabled(false);
            }
        });
        connect(&writer, &QSocketNotifier::activated, this, [&] {
            ++writable;
            writer.setEnabled(false);
        });
        writer.setEnabled(false);
        QCOMPARE(::write(pair.fds[1], "a", 1), 1);
        QTRY_COMPARE_WITH_TIMEOUT(readable, 1, 2000);
        QTest::qWait(30);
        QCOMPARE(writable, 0); // off in the end, although the socket is writable

        // Off and on within a pass: watched in the end, so it fires.
        writer.setEnabled(true);
        writer.setEnabled(false);
        writer.setEnabled(true);
        QTRY_COMPARE_WITH_TIMEOUT(writable, 1, 2000);
        QCOMPARE(::write(pair.fds[1], "b", 1), 1);
        QTRY_COMPARE_WITH_TIMEOUT(readable, 2, 2000); // reading still works throughout
    }

    void hangUpWakesTheReader()
    {
        SocketPair pair;
        QSocketNotifier reader(pair.fds[0], QSocketNotifier::Read);
        int readable = 0;
        connect(&reader, &QSocketNotifier::activated, this, [&] {
            ++readable;
            reader.setEnabled(false); // what a socket does on end of stream
        });
        ::shutdown(pair.fds[1], SHUT_RDWR);
        QTRY_COMPARE_WITH_TIMEOUT(readable, 1, 2000);
    }

    void aNotifierDeletedByAnotherSlotIsNotDelivered()
    {
        SocketPair a;
        SocketPair b;
        QPointer<QSocketNotifier> first = new QSocketNotifier(a.fds[1], QSocketNotifier::Read);
        QPointer<QSocketNotifier> second = new QSocketNotifier(b.fds[1], QSocketNotifier::Read);
        int delivered = 0;
        auto killOther = [&](QSocketNotifier *self) {
            ++delivered;
            delete (self == first ? second.data() : first.data());
            self->setEnabled(false);
        };
        connect(first, &QSocketNotifier::activated, this, [&] { killOther(first); });
        connect(second, &QSocketNotifier::activated, this, [&] { killOther(second); });
        QCOMPARE(::write(a.fds[0], "1", 1), 1);
        QCOMPARE(::write(b.fds[0], "2", 1), 1);
        QTRY_COMPARE_WITH_TIMEOUT(delivered, 1, 2000);
        QTest::qWait(20);
        QCOMPARE(delivered, 1);
        QVERIFY(first.isNull() != second.isNull());
        delete first.data();
        delete second.data();
    }

    void aNestedLoopInsideATimerDoesNotSpin()
    {
        // The timer's own slot runs a loop for longer than its interval: it is overdue but
        // must not be fired again, nor make the nested loop poll without sleeping.
        int fired = 0;
        double cpu = 0;
        QTimer timer;
        timer.setInterval(5);
        connect(&timer, &QTimer::timeout, this, [&] {
            if (++fired > 1)
                return;
            timespec before;
            timespec after;
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &before);
            QEventLoop inner;
            QTimer::singleShot(200, &inner, &QEventLoop::quit);
            inner.exec();
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &after);
            cpu = double(after.tv_sec - before.tv_sec) + double(after.tv_nsec - before.tv_nsec) / 1e9;
            timer.stop();
        });
        timer.start();
        QTRY_VERIFY_WITH_TIMEOUT(cpu > 0, 3000);
        QCOMPARE(fired, 1);
        QVERIFY2(cpu < 0.1, qPrintable(QString::number(cpu))); // a spinning loop burns ~0.2 s
    }

    void postedEventsAndDeferredDeletes()
    {
        QPointer<QObject> doomed = new QObject;
        doomed->deleteLater();
        bool invoked = false;
        QMetaObject::invokeMethod(
            this, [&] { invoked = true; }, Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(invoked && doomed.isNull(), 2000);
    }

    void postsFromAnotherThreadWakeTheLoop()
    {
        bool delivered = false;
        QElapsedTimer clock;
        clock.start();
        std::thread poster([this, &delivered] {
            ::usleep(50'000);
            QMetaObject::invokeMethod(
                this, [&delivered] { delivered = true; }, Qt::QueuedConnection);
        });
        QEventLoop loop;
        QTimer::singleShot(5000, &loop, &QEventLoop::quit); // the loop would otherwise sleep 5 s
        QTimer check;
        connect(&check, &QTimer::timeout, &loop, [&] {
            if (delivered)
                loop.quit();
        });
        check.start(1);
        loop.exec();
        poster.join();
        QVERIFY(delivered);
        QVERIFY(clock.elapsed() < 2000);
    }

    void nestedLoopsAndQuit()
    {
        TimerCounter outerTicks;
        outerTicks.startTimer(5);
        int nestedRan = 0;
        QEventLoop outer;
        QTimer::singleShot(10, &outer, [&] {
            QEventLoop inner;
            QTimer::singleShot(30, &inner, &QEventLoop::quit);
            inner.exec(); // timers keep firing in the nested loop
            nestedRan = outerTicks.fired;
            outer.quit();
        });
        outer.exec();
        QVERIFY2(nestedRan >= 3, qPrintable(QString::number(nestedRan)));
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    EpollEventDispatcherTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolleventdispatcher.moc"
