// ImageUrlPolicy: which avatar URLs any viewer's app may be made to fetch.
#include "imageurlpolicy.h"

#include <QTest>

using Presence::ImageUrlPolicy;

class ImageUrlPolicyTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void onlyFarAwayHttpsByDefault_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("strict");
        QTest::addColumn<bool>("development"); // AllowLoopback | AllowResources
        QTest::newRow("https name") << "https://cdn.example.com/a.png" << true << true;
        QTest::newRow("https public address") << "https://93.184.216.34/a.png" << true << true;
        QTest::newRow("HTTPS upper case") << "HTTPS://CDN.EXAMPLE.COM/a.png" << true << true;
        QTest::newRow("http name") << "http://cdn.example.com/a.png" << false << false;
        QTest::newRow("http loopback") << "http://127.0.0.1:8080/a.png" << false << true;
        QTest::newRow("http localhost") << "http://localhost/a.png" << false << true;
        QTest::newRow("https loopback") << "https://127.0.0.2:8443/a.png" << false << true;
        QTest::newRow("http ipv6 loopback") << "http://[::1]/a.png" << false << true;
        QTest::newRow("userinfo trick") << "http://localhost@evil.example.com/a.png" << false << false;
        QTest::newRow("https private 10") << "https://10.1.2.3/a.png" << false << false;
        QTest::newRow("https private 192.168") << "https://192.168.1.1/a.png" << false << false;
        QTest::newRow("https private 172.16") << "https://172.20.0.1/a.png" << false << false;
        QTest::newRow("https link-local") << "https://169.254.169.254/latest/meta-data" << false << false;
        QTest::newRow("https ipv6 unique local") << "https://[fd00::1]/a.png" << false << false;
        QTest::newRow("https ipv6 link-local") << "https://[fe80::1]/a.png" << false << false;
        QTest::newRow("https mapped private") << "https://[::ffff:10.0.0.1]/a.png" << false << false;
        QTest::newRow("file") << "file:///dev/zero" << false << false;
        QTest::newRow("qrc") << "qrc:/avatars/ada.png" << false << true;
        QTest::newRow("data") << "data:image/png;base64,AAAA" << false << false;
        QTest::newRow("ftp") << "ftp://example.com/a.png" << false << false;
        QTest::newRow("relative") << "/a.png" << false << false;
        QTest::newRow("no host") << "https:///a.png" << false << false;
    }
    void onlyFarAwayHttpsByDefault()
    {
        QFETCH(QString, url);
        QFETCH(bool, strict);
        QFETCH(bool, development);
        QCOMPARE(ImageUrlPolicy::isAllowed(url), strict);
        QCOMPARE(ImageUrlPolicy::isAllowed(url, ImageUrlPolicy::AllowLoopback | ImageUrlPolicy::AllowResources),
            development);
    }

    void refusalsSayWhy()
    {
        QVERIFY(ImageUrlPolicy::refusal(QStringLiteral("file:///etc/passwd")).contains(QLatin1String("file:")));
        QVERIFY(ImageUrlPolicy::refusal(QStringLiteral("https://10.0.0.1/")).contains(QLatin1String("private")));
        QVERIFY(ImageUrlPolicy::refusal(QStringLiteral("http://127.0.0.1/")).contains(QLatin1String("development")));
    }
};

QTEST_GUILESS_MAIN(ImageUrlPolicyTest)
#include "tst_imageurlpolicy.moc"
