// JwksFetcher's rules that need no provider: which URLs may serve keys, and how long a key
// set stays fresh (tests/server/tst_keys runs it against a real provider).
#include "jwksfetcher.h"

#include <QTest>

using Presence::JwksFetcher;

class JwksFetcherTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keysComeOverHttpsOrFromLoopback_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("https") << "https://api.workos.com/sso/jwks/client_1" << true;
        QTest::newRow("http loopback") << "http://127.0.0.1:8080/jwks" << true;
        QTest::newRow("http localhost") << "http://localhost/jwks" << true;
        QTest::newRow("http ipv6 loopback") << "http://[::1]/jwks" << true;
        QTest::newRow("http elsewhere") << "http://10.0.0.1/jwks" << false;
        QTest::newRow("file") << "file:///etc/keys.json" << false;
        QTest::newRow("relative") << "/jwks" << false;
        QTest::newRow("no host") << "https:///jwks" << false;
    }
    void keysComeOverHttpsOrFromLoopback()
    {
        QFETCH(QString, url);
        QFETCH(bool, accepted);
        QCOMPARE(JwksFetcher::refusal(QUrl(url)).isEmpty(), accepted);
    }

    void cacheControlSetsTheFreshness_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<int>("seconds");
        QTest::newRow("none") << QByteArray() << 600;
        QTest::newRow("max-age") << QByteArray("public, max-age=3600") << 3600;
        QTest::newRow("quoted, spaced") << QByteArray("max-age = \"120\"") << 120;
        QTest::newRow("below the floor") << QByteArray("max-age=1") << 30;
        QTest::newRow("above the ceiling") << QByteArray("max-age=99999999999") << 86400;
        QTest::newRow("no-store") << QByteArray("no-store") << 30;
        QTest::newRow("no-cache") << QByteArray("no-cache, max-age=600") << 30;
        QTest::newRow("s-maxage is not max-age") << QByteArray("s-maxage=5") << 600;
        QTest::newRow("garbage") << QByteArray("max-age=abc") << 600;
    }
    void cacheControlSetsTheFreshness()
    {
        QFETCH(QByteArray, header);
        QFETCH(int, seconds);
        QCOMPARE(JwksFetcher::maxAgeOf(header), seconds);
    }
};

QTEST_GUILESS_MAIN(JwksFetcherTest)
#include "tst_jwksfetcher.moc"
