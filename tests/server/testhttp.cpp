#include "testhttp.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTcpSocket>

QByteArray http(quint16 port, const QByteArray &request, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(request);
    QByteArray response;
    QElapsedTimer timer;
    timer.start();
    while (socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < timeoutMs) {
        socket.waitForReadyRead(50);
        response += socket.readAll();
    }
    return response + socket.readAll();
}

int status(const QByteArray &response)
{
    return response.mid(9, 3).toInt();
}

quint64 metric(const QByteArray &metrics, const QString &name)
{
    const QRegularExpression line(QLatin1Char('^') + QRegularExpression::escape(name) + QStringLiteral(" (\\d+)$"),
        QRegularExpression::MultilineOption);
    return line.match(QString::fromUtf8(metrics)).captured(1).toULongLong();
}

qint64 residentKiB(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/status").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QRegularExpression rss(QStringLiteral("^VmRSS:\\s+(\\d+) kB$"), QRegularExpression::MultilineOption);
    return rss.match(QString::fromLatin1(file.readAll())).captured(1).toLongLong();
}
