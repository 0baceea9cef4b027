#include "testclient.h"

#include <QJsonDocument>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>

TestClient::TestClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
        m_frames.append(frame);
    });
}

bool TestClient::open(const QUrl &url, const QByteArray &token, bool ignoreTlsErrors)
{
    QNetworkRequest request(url);
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    if (ignoreTlsErrors)
        connect(&m_socket, &QWebSocket::sslErrors, &m_socket, [this] { m_socket.ignoreSslErrors(); });
    QSignalSpy connected(&m_socket, &QWebSocket::connected);
    QSignalSpy disconnected(&m_socket, &QWebSocket::disconnected);
    m_socket.open(request);
    for (int i = 0; i < 100 && connected.isEmpty() && disconnected.isEmpty(); ++i)
        QTest::qWait(50);
    return !connected.isEmpty();
}

QJsonObject TestClient::request(QJsonObject request, int timeoutMs)
{
    if (!request.contains(QLatin1String("id")))
        request.insert(QStringLiteral("id"), m_nextId++);
    const qint64 id = qint64(request.value(QLatin1String("id")).toDouble());
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(request).toJson(QJsonDocument::Compact)));
    QJsonObject reply;
    (void)QTest::qWaitFor(
        [&] {
            for (qsizetype i = 0; i < m_frames.size(); ++i) {
                const QJsonObject frame = m_frames.at(i);
                if (frame.contains(QLatin1String("id")) && qint64(frame.value(QLatin1String("id")).toDouble()) == id) {
                    // Frames before the reply that belong to nobody are pushes.
                    for (qsizetype j = 0; j < i; ++j)
                        m_unsolicited.append(m_frames.at(j));
                    m_frames.remove(0, i + 1);
                    reply = frame;
                    return true;
                }
            }
            return m_socket.state() != QAbstractSocket::ConnectedState;
        },
        timeoutMs);
    return reply;
}

QJsonObject TestClient::sendRaw(const QString &text, int timeoutMs)
{
    m_unsolicited.append(m_frames);
    m_frames.clear();
    m_socket.sendTextMessage(text);
    (void)QTest::qWaitFor(
        [&] { return !m_frames.isEmpty() || m_socket.state() != QAbstractSocket::ConnectedState; }, timeoutMs);
    return m_frames.isEmpty() ? QJsonObject() : m_frames.takeFirst();
}

void TestClient::sendBinary(const QByteArray &data)
{
    m_unsolicited.append(m_frames);
    m_frames.clear();
    m_socket.sendBinaryMessage(data);
}

QJsonObject TestClient::waitForUnsolicited(int timeoutMs)
{
    (void)QTest::qWaitFor(
        [&] {
            m_unsolicited.append(m_frames);
            m_frames.clear();
            return !m_unsolicited.isEmpty();
        },
        timeoutMs);
    return m_unsolicited.isEmpty() ? QJsonObject() : m_unsolicited.takeFirst();
}

bool TestClient::waitForClosed(int timeoutMs)
{
    return QTest::qWaitFor([&] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
}

QJsonObject TestClient::auth(const QByteArray &token)
{
    return request(
        {{QStringLiteral("type"), QStringLiteral("auth")}, {QStringLiteral("token"), QString::fromLatin1(token)}});
}

QJsonObject TestClient::heartbeat(const QString &roomId, const QString &sessionId, int interval)
{
    return request({{QStringLiteral("type"), QStringLiteral("heartbeat")}, {QStringLiteral("roomId"), roomId},
        {QStringLiteral("sessionId"), sessionId}, {QStringLiteral("interval"), interval}});
}

QJsonObject TestClient::list(const QString &roomToken, int limit)
{
    return request({{QStringLiteral("type"), QStringLiteral("list")}, {QStringLiteral("roomToken"), roomToken},
        {QStringLiteral("limit"), limit}});
}

QJsonObject TestClient::subscribe(const QString &roomToken, int limit)
{
    return request({{QStringLiteral("type"), QStringLiteral("subscribe")}, {QStringLiteral("roomToken"), roomToken},
        {QStringLiteral("limit"), limit}});
}
