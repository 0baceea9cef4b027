#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QMap>
#include <QObject>
#include <QTcpServer>

#include <functional>

/// A webhook receiver on loopback for the tests: a real HTTP/1.1 server that records every
/// request (headers and body) and answers with the status `answer` gives (200 by default).
/// It can go down (stop listening: connections are refused) and come back on the same port.
class WebhookReceiver : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QByteArray method;
        QByteArray path;
        QMap<QByteArray, QByteArray> headers; ///< names in lower case
        QByteArray body;
        qint64 arrivedAt = 0; ///< ms on a monotonic clock
    };

    explicit WebhookReceiver(QObject *parent = nullptr);

    bool listen(quint16 port = 0);
    void down() { m_server.close(); }
    quint16 port() const { return m_port; }
    QByteArray url() const { return "http://127.0.0.1:" + QByteArray::number(m_port) + "/hook"; }

    /// The status for the next request (called per request).
    std::function<int(const Request &)> answer = [](const Request &) { return 200; };
    /// Every request, in the order they arrived, whatever was answered.
    QList<Request> requests;

private:
    QTcpServer m_server;
    QElapsedTimer m_clock;
    quint16 m_port = 0;
};
