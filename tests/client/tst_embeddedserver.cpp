// EmbeddedServer: the engine inside the app, one process per database, and tokens for the
// loopback endpoint another process publishes.
#include "embeddedserver.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Presence;

class EmbeddedServerTest : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

private Q_SLOTS:
    void opensAndCreatesTheDatabase()
    {
        const QString path = dir.filePath(QStringLiteral("a/b/presence.db"));
        EmbeddedServer server;
        QVERIFY(!server.isOpen());
        QVERIFY2(server.open(path), qPrintable(server.errorString()));
        QVERIFY(server.isOpen());
        QCOMPARE(server.databasePath(), path);
        QVERIFY(QFile::exists(path));
        QVERIFY(server.open(path)); // again: already open
    }

    void aSecondServerOnTheSameDatabaseIsRefusedUntilTheFirstGoes()
    {
        const QString path = dir.filePath(QStringLiteral("shared.db"));
        auto first = std::make_unique<EmbeddedServer>();
        QVERIFY(first->open(path));
        EmbeddedServer second;
        QVERIFY(!second.open(path));
        QVERIFY2(second.errorString().contains(QStringLiteral("in use by another presence process")),
            qPrintable(second.errorString()));
        first.reset();
        EmbeddedServer third;
        QVERIFY2(third.open(path), qPrintable(third.errorString()));
    }

    void noEndpointWithoutAListener()
    {
        const EmbeddedServer::Endpoint endpoint
            = EmbeddedServer::localEndpoint(dir.filePath(QStringLiteral("nobody.db")));
        QVERIFY(!endpoint.isValid());
        QCOMPARE(EmbeddedServer::mintToken(endpoint, QStringLiteral("ada"), QStringLiteral("org")), QString());
    }

    void mintsTokensForAPublishedEndpoint()
    {
        const QString path = dir.filePath(QStringLiteral("published.db"));
        QFile file(path + QStringLiteral(".endpoint"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            QJsonDocument(QJsonObject {{QStringLiteral("url"), QStringLiteral("ws://127.0.0.1:4242/ws")},
                              {QStringLiteral("secret"), QStringLiteral("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0")}})
                .toJson());
        file.close();
        const EmbeddedServer::Endpoint endpoint = EmbeddedServer::localEndpoint(path);
        QVERIFY(endpoint.isValid());
        QCOMPARE(endpoint.url, QUrl(QStringLiteral("ws://127.0.0.1:4242/ws")));
        const QString token = EmbeddedServer::mintToken(endpoint, QStringLiteral("ada"), QStringLiteral("org_1"),
            QStringLiteral("Ada Lovelace"), QStringLiteral("qrc:/ada.png"), 60);
        const QStringList parts = token.split(QLatin1Char('.'));
        QCOMPARE(parts.size(), 3);
        const QJsonObject claims
            = QJsonDocument::fromJson(QByteArray::fromBase64(parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding))
                  .object();
        QCOMPARE(claims.value(QLatin1String("sub")).toString(), QStringLiteral("ada"));
        QCOMPARE(claims.value(QLatin1String("org_id")).toString(), QStringLiteral("org_1"));
        QCOMPARE(claims.value(QLatin1String("name")).toString(), QStringLiteral("Ada Lovelace"));
        QCOMPARE(claims.value(QLatin1String("picture")).toString(), QStringLiteral("qrc:/ada.png"));
        QCOMPARE(
            qint64(claims.value(QLatin1String("exp")).toDouble() - claims.value(QLatin1String("iat")).toDouble()), 60);
    }

    void aBrokenEndpointFileIsNoEndpoint()
    {
        const QString path = dir.filePath(QStringLiteral("broken.db"));
        QFile file(path + QStringLiteral(".endpoint"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"url\": 5, ");
        file.close();
        QVERIFY(!EmbeddedServer::localEndpoint(path).isValid());
    }
};

QTEST_GUILESS_MAIN(EmbeddedServerTest)
#include "tst_embeddedserver.moc"
