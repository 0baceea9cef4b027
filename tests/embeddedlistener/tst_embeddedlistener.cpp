// EmbeddedListener: an embedded server's rooms on loopback for other processes, with tokens
// only this run's secret signs, and nothing left behind when it goes.
#include "embeddedlistener.h"
#include "embeddedserver.h"
#include "protocol.h"
#include "tokensigner.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace Presence;

class EmbeddedListenerTest : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

    /// The first frame a WebSocket with `token` gets back for a heartbeat, or "" if it closes.
    static QByteArray heartbeatWith(const QUrl &url, const QString &token)
    {
        QWebSocket socket;
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
        QByteArray answer;
        QObject::connect(
            &socket, &QWebSocket::textMessageReceived, &socket, [&](const QString &text) { answer = text.toUtf8(); });
        QObject::connect(&socket, &QWebSocket::connected, &socket, [&] {
            socket.sendTextMessage(QString::fromUtf8(
                Protocol::heartbeatRequest(1, QStringLiteral("doc-1"), QStringLiteral("s-1"), 10000)));
        });
        socket.open(request);
        if (!QTest::qWaitFor(
                [&] { return !answer.isEmpty() || socket.state() == QAbstractSocket::UnconnectedState; }, 5000))
            return {};
        return answer;
    }

private Q_SLOTS:
    void listeningNeedsAnOpenServer()
    {
        EmbeddedServer server;
        auto *listener = new EmbeddedListener(&server);
        QVERIFY(!listener->listen());
        QCOMPARE(listener->errorString(), QStringLiteral("open() the embedded server first"));
        QVERIFY(!listener->isListening());
        QVERIFY(listener->url().isEmpty());
        QCOMPARE(listener->mintToken(QStringLiteral("ada"), QStringLiteral("org")), QString());
    }

    void publishesAnEndpointOtherProcessesJoinWith()
    {
        const QString path = dir.filePath(QStringLiteral("listen.db"));
        EmbeddedServer server;
        QVERIFY(server.open(path));
        auto *listener = new EmbeddedListener(&server);
        QSignalSpy urlChanged(listener, &EmbeddedListener::urlChanged);
        QVERIFY2(listener->listen(), qPrintable(listener->errorString()));
        QCOMPARE(urlChanged.count(), 1);
        QCOMPARE(listener->url().host(), QStringLiteral("127.0.0.1"));
        QVERIFY(listener->url().port() > 0);

        // What another process reads: the URL, and a secret only this user may read.
        const EmbeddedServer::Endpoint endpoint = EmbeddedServer::localEndpoint(path);
        QVERIFY(endpoint.isValid());
        QCOMPARE(endpoint.url, listener->url());
        QCOMPARE(QFile::permissions(path + QStringLiteral(".endpoint")) & 0x0077, QFileDevice::Permissions());

        const Reply joined = Protocol::parseReply(heartbeatWith(
            endpoint.url, EmbeddedServer::mintToken(endpoint, QStringLiteral("peer"), QStringLiteral("org"))));
        QCOMPARE(joined.kind, Reply::Result);
        QVERIFY(Protocol::heartbeatResultFrom(joined.result));
    }

    void aTokenSignedWithAnotherSecretIsRefused()
    {
        EmbeddedServer server;
        QVERIFY(server.open(dir.filePath(QStringLiteral("refuse.db"))));
        auto *listener = new EmbeddedListener(&server);
        QVERIFY(listener->listen());
        const QJsonObject claims {{QStringLiteral("sub"), QStringLiteral("mallory")},
            {QStringLiteral("org_id"), QStringLiteral("org")},
            {QStringLiteral("exp"), QDateTime::currentSecsSinceEpoch() + 60}};
        const QString forged
            = QString::fromLatin1(TokenSigner::signHs256(claims, "not-this-runs-secret-not-this-runs"));
        QCOMPARE(heartbeatWith(listener->url(), forged), QByteArray()); // the upgrade is refused
    }

    void theEndpointGoesWithTheListener()
    {
        const QString path = dir.filePath(QStringLiteral("gone.db"));
        EmbeddedServer server;
        QVERIFY(server.open(path));
        auto *listener = new EmbeddedListener(&server);
        QVERIFY(listener->listen());
        QVERIFY(QFile::exists(path + QStringLiteral(".endpoint")));
        delete listener;
        QVERIFY(!QFile::exists(path + QStringLiteral(".endpoint")));
        QVERIFY(!EmbeddedServer::localEndpoint(path).isValid());
    }

    void theServerGoesWithAClientConnected()
    {
        // The listener holds the engine: it is deleted before the engine is, with a client on it.
        const QString path = dir.filePath(QStringLiteral("teardown.db"));
        auto server = std::make_unique<EmbeddedServer>();
        QVERIFY(server->open(path));
        auto *listener = new EmbeddedListener(server.get());
        QVERIFY(listener->listen());
        QWebSocket socket;
        QNetworkRequest request(listener->url());
        request.setRawHeader(
            "Authorization", "Bearer " + listener->mintToken(QStringLiteral("peer"), QStringLiteral("org")).toLatin1());
        socket.open(request);
        QTRY_COMPARE(socket.state(), QAbstractSocket::ConnectedState);
        server.reset();
        QTRY_COMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        QVERIFY(!QFile::exists(path + QStringLiteral(".endpoint")));
    }
};

QTEST_GUILESS_MAIN(EmbeddedListenerTest)
#include "tst_embeddedlistener.moc"
