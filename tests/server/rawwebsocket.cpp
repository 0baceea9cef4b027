#include "rawwebsocket.h"

#include <QDeadlineTimer>
#include <QRandomGenerator>

#include <algorithm>

bool RawWebSocket::connectTo(quint16 port, const QHostAddress &from, int receiveBuffer)
{
    if (!from.isNull() && !m_socket.bind(from))
        return false;
    if (receiveBuffer > 0)
        m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, receiveBuffer);
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    return m_socket.waitForConnected(3000);
}

QByteArray RawWebSocket::upgradeHead(const QByteArray &token, const QByteArray &lineEnd)
{
    QByteArray head = "GET /ws HTTP/1.1" + lineEnd + "Host: 127.0.0.1" + lineEnd + "Upgrade: websocket" + lineEnd
        + "Connection: Upgrade" + lineEnd + "Sec-WebSocket-Version: 13" + lineEnd
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==" + lineEnd;
    if (!token.isEmpty())
        head += "Authorization: Bearer " + token + lineEnd;
    return head + lineEnd;
}

int RawWebSocket::upgrade(const QByteArray &token, int timeoutMs)
{
    if (!writeAll(upgradeHead(token), timeoutMs))
        return -1;
    return readStatus(timeoutMs);
}

int RawWebSocket::readStatus(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!m_buffer.contains("\r\n\r\n") && !deadline.hasExpired()) {
        if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(int(deadline.remainingTime())))
            break;
        m_buffer += m_socket.readAll();
    }
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return -1;
    const int status = m_buffer.mid(9, 3).toInt();
    m_buffer.remove(0, end + 4);
    return status;
}

QByteArray RawWebSocket::frame(Opcode opcode, const QByteArray &payload, bool fin)
{
    QByteArray out;
    out += char((fin ? 0x80 : 0) | opcode);
    const qsizetype n = payload.size();
    if (n < 126) {
        out += char(0x80 | n);
    } else if (n < 65536) {
        out += char(0x80 | 126);
        out += char(n >> 8);
        out += char(n & 0xff);
    } else {
        out += char(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8)
            out += char((quint64(n) >> shift) & 0xff);
    }
    const quint32 mask = QRandomGenerator::global()->generate();
    const char key[4] = {char(mask >> 24), char(mask >> 16), char(mask >> 8), char(mask)};
    out.append(key, 4);
    for (qsizetype i = 0; i < n; ++i)
        out += char(payload.at(i) ^ key[i % 4]);
    return out;
}

bool RawWebSocket::writeAll(const QByteArray &bytes, int timeoutMs)
{
    if (!isConnected())
        return false;
    m_socket.write(bytes);
    QDeadlineTimer deadline(timeoutMs);
    while (m_socket.bytesToWrite() > 0) {
        if (!isConnected() || deadline.hasExpired())
            return false;
        m_socket.waitForBytesWritten(int(std::min<qint64>(100, deadline.remainingTime())));
    }
    return isConnected();
}

QPair<int, QByteArray> RawWebSocket::readFrame(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        if (m_buffer.size() >= 2) {
            const int opcode = quint8(m_buffer.at(0)) & 0x0f;
            qint64 length = quint8(m_buffer.at(1)) & 0x7f;
            qsizetype header = 2;
            if (length == 126 && m_buffer.size() >= 4) {
                length = (qint64(quint8(m_buffer.at(2))) << 8) | quint8(m_buffer.at(3));
                header = 4;
            } else if (length == 127 && m_buffer.size() >= 10) {
                length = 0;
                for (int i = 2; i < 10; ++i)
                    length = (length << 8) | quint8(m_buffer.at(i));
                header = 10;
            }
            if (length < 126 || header > 2) {
                if (m_buffer.size() >= header + length) {
                    const QByteArray payload = m_buffer.mid(header, length);
                    m_buffer.remove(0, header + length);
                    return {opcode, payload};
                }
            }
        }
        if (deadline.hasExpired())
            return {-1, {}};
        if (m_socket.bytesAvailable() == 0
            && !m_socket.waitForReadyRead(int(std::min<qint64>(100, deadline.remainingTime())))) {
            if (!isConnected() && m_socket.bytesAvailable() == 0)
                return {-1, {}};
            continue;
        }
        m_buffer += m_socket.readAll();
    }
}

QByteArray RawWebSocket::readText(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const auto [opcode, payload] = readFrame(int(deadline.remainingTime()));
        if (opcode == Text)
            return payload;
        if (opcode < 0)
            break;
    }
    return {};
}

void RawWebSocket::stopReading()
{
    // Qt reads from the kernel whenever it waits: with a one-byte buffer it stops at once.
    m_socket.setReadBufferSize(1);
}

bool RawWebSocket::waitForDisconnected(int timeoutMs)
{
    // Reading again (and dropping what was sent) is how a reset or a close is noticed.
    m_socket.setReadBufferSize(0);
    QDeadlineTimer deadline(timeoutMs);
    while (isConnected() && !deadline.hasExpired()) {
        m_socket.waitForReadyRead(int(std::min<qint64>(50, deadline.remainingTime())));
        m_socket.readAll();
    }
    return !isConnected();
}
