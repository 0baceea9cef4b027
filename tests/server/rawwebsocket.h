#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QTcpSocket>

/// A WebSocket client written out byte by byte, for the adversarial tests: it sends exactly
/// the frames it is told to (pings, fragments, bad heads), and it can stop reading.
class RawWebSocket
{
public:
    enum Opcode { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

    /// Connects to 127.0.0.1:port, from `from` when given. A non-zero receiveBuffer shrinks
    /// the kernel's receive buffer (a reader that is slow to begin with).
    bool connectTo(quint16 port, const QHostAddress &from = {}, int receiveBuffer = 0);
    /// The upgrade request's head, with `Authorization: Bearer token` when a token is given.
    static QByteArray upgradeHead(const QByteArray &token = {}, const QByteArray &lineEnd = "\r\n");
    /// Sends the upgrade head and waits for the answer's status line; returns the status.
    int upgrade(const QByteArray &token = {}, int timeoutMs = 5000);
    /// Waits for the answer's status line (to a head already sent); returns the status.
    int readStatus(int timeoutMs = 5000);

    /// A masked client frame.
    static QByteArray frame(Opcode opcode, const QByteArray &payload, bool fin = true);
    /// Writes all of `bytes`; false if the socket closed or `timeoutMs` passed first.
    bool writeAll(const QByteArray &bytes, int timeoutMs = 5000);
    bool sendText(const QByteArray &json) { return writeAll(frame(Text, json)); }

    /// The next text frame's payload, reading as needed; empty on timeout or close.
    QByteArray readText(int timeoutMs = 5000);
    /// The next frame of any kind: its opcode and payload; opcode -1 on timeout or close.
    QPair<int, QByteArray> readFrame(int timeoutMs = 5000);

    /// Reads nothing more from the kernel: what the server sends piles up on its side.
    void stopReading();
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    /// Reads (and drops) everything again until the server closes or cuts the socket.
    bool waitForDisconnected(int timeoutMs);
    QTcpSocket &socket() { return m_socket; }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
};
