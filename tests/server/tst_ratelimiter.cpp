// RateLimiter: a token bucket in virtual time.
#include "ratelimiter.h"

#include <QTest>

using Presence::RateLimiter;

class RateLimiterTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void burstThenSteadyRate()
    {
        RateLimiter limiter(10, 20);
        int taken = 0;
        for (int i = 0; i < 100; ++i)
            taken += limiter.tryTake(0);
        QCOMPARE(taken, 20);
        QVERIFY(!limiter.tryTake(50)); // half a token
        QVERIFY(limiter.tryTake(100));
        taken = 0;
        for (qint64 t = 100; t <= 10'100; t += 10)
            taken += limiter.tryTake(t);
        QCOMPARE(taken, 100); // 10 per second for 10 seconds
    }

    void idleTimeRefillsUpToTheBurstOnly()
    {
        RateLimiter limiter(10, 5);
        QVERIFY(limiter.tryTake(0));
        int taken = 0;
        for (int i = 0; i < 50; ++i)
            taken += limiter.tryTake(3'600'000);
        QCOMPARE(taken, 5);
    }
};

QTEST_GUILESS_MAIN(RateLimiterTest)
#include "tst_ratelimiter.moc"
