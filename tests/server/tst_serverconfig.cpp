// ServerConfig: flags over environment over config file over defaults.
#include "serverconfig.h"

#include <QCommandLineParser>
#include <QTemporaryDir>
#include <QTest>

using Presence::ServerConfig;

class ServerConfigTest : public QObject
{
    Q_OBJECT

    Presence::Result<ServerConfig> parse(const QStringList &flags, const QProcessEnvironment &environment = {})
    {
        QCommandLineParser parser;
        ServerConfig::addOptions(&parser);
        if (!parser.parse(QStringList {QStringLiteral("presence-server")} + flags))
            return Presence::Error(Presence::Error::InvalidArgument, parser.errorText());
        return ServerConfig::fromParser(parser, environment);
    }

private Q_SLOTS:
    void defaults()
    {
        const auto config = parse({QStringLiteral("--hs256-secret-file"), QStringLiteral("s")});
        QVERIFY(config);
        QCOMPARE(config.value().address, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(config.value().port, 7390);
        QCOMPARE(config.value().closeGrace, 5000);
        QCOMPARE(config.value().maxMessageSize, 16384);
        QVERIFY(config.value().database.endsWith(QLatin1String("/presence.db")));
    }

    void stateDirectoryHoldsTheDatabase()
    {
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("STATE_DIRECTORY"), QStringLiteral("/var/lib/presence-server"));
        QCOMPARE(ServerConfig::defaultDatabase(environment), QStringLiteral("/var/lib/presence-server/presence.db"));
    }

    void precedence()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("presence.conf"));
        QFile config(file);
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("jwks = /etc/keys.json\nclose-grace = 1000\nmax-connections = 10\nrate-limit = 7\n");
        config.close();
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("PRESENCE_CLOSE_GRACE"), QStringLiteral("2000"));
        environment.insert(QStringLiteral("PRESENCE_MAX_CONNECTIONS"), QStringLiteral("20"));
        const auto parsed = parse({QStringLiteral("--config"), file, QStringLiteral("--max-connections"),
                                      QStringLiteral("30"), QStringLiteral("--listen"), QStringLiteral("[::1]:0")},
            environment);
        QVERIFY2(parsed, qPrintable(parsed.error().message()));
        const ServerConfig &c = parsed.value();
        QCOMPARE(c.jwksFile, QStringLiteral("/etc/keys.json")); // file
        QCOMPARE(c.requestsPerSecond, 7); // file
        QCOMPARE(c.closeGrace, 2000); // environment over file
        QCOMPARE(c.maxConnections, 30); // flag over both
        QCOMPARE(c.address, QHostAddress(QHostAddress::LocalHostIPv6));
        QCOMPARE(c.port, 0);
    }

    void securityDefaultsAndLimits()
    {
        const auto config = parse({QStringLiteral("--jwks-url=https://idp.example.com/jwks"),
            QStringLiteral("--metrics-listen=[::1]:9390"), QStringLiteral("--max-rooms-per-user=7")});
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message())); // a JWKS URL alone is enough
        QCOMPARE(config.value().metricsAddress, QHostAddress(QStringLiteral("::1")));
        QCOMPARE(config.value().metricsPort, quint16(9390));
        QCOMPARE(config.value().handshakeTimeout, 5000);
        QCOMPARE(config.value().authTimeout, 5000);
        QCOMPARE(config.value().maxConnectionsPerIp, 256);
        QCOMPARE(config.value().maxUnauthenticated, 1024);
        QCOMPARE(config.value().engineLimits().roomsPerUser, 7);
        QCOMPARE(config.value().engineLimits().offlineRetention, 30LL * 24 * 3600 * 1000);
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QString>("message");
        const QString secret = QStringLiteral("--hs256-secret-file=s");
        QTest::newRow("no port") << QStringList {secret, QStringLiteral("--listen=127.0.0.1")} << "--listen";
        QTest::newRow("port too big") << QStringList {secret, QStringLiteral("--listen=127.0.0.1:70000")} << "--listen";
        QTest::newRow("host name") << QStringList {secret, QStringLiteral("--listen=localhost:1")} << "--listen";
        QTest::newRow("grace out of range")
            << QStringList {secret, QStringLiteral("--close-grace=-1")} << "an integer from 0 to 600000";
        QTest::newRow("factor") << QStringList {secret, QStringLiteral("--deadline-write-factor=3")}
                                << "a number from 0 to 2.5";
        QTest::newRow("no keys") << QStringList {} << "no way to verify tokens";
        QTest::newRow("key without cert") << QStringList {secret, QStringLiteral("--tls-key=k")} << "go together";
        QTest::newRow("jwks file and url")
            << QStringList {QStringLiteral("--jwks=k.json"), QStringLiteral("--jwks-url=https://idp.example.com/jwks")}
            << "exclude each other";
        QTest::newRow("metrics-listen") << QStringList {secret, QStringLiteral("--metrics-listen=anywhere")}
                                        << "--metrics-listen";
        QTest::newRow("input rate too low")
            << QStringList {secret, QStringLiteral("--max-input-rate=100")} << "--max-input-rate";
        QTest::newRow("retention zero") << QStringList {secret, QStringLiteral("--offline-retention=0")}
                                        << "--offline-retention";
        QTest::newRow("missing config") << QStringList {secret, QStringLiteral("--config=/nonexistent/presence.conf")}
                                        << "cannot read the config file";
    }
    void errors()
    {
        QFETCH(QStringList, flags);
        QFETCH(QString, message);
        const auto config = parse(flags);
        QVERIFY(!config);
        QVERIFY2(config.error().message().contains(message), qPrintable(config.error().message()));
    }
};

QTEST_GUILESS_MAIN(ServerConfigTest)
#include "tst_serverconfig.moc"
