#include "incomingconnection.h"

#include "socketbudget.h"

#include <QTcpSocket>

namespace Presence {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 426:
        return "Upgrade Required";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

// A peer that does not read our answer must not hold the socket forever.
constexpr int LingerMs = 5000;

} // namespace

IncomingConnection::IncomingConnection(QTcpSocket *socket, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
{
    m_socket->setParent(this);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_done)
            m_socket->abort();
        else
            respond(408, "text/plain", "no complete request in time\n");
    });
    m_timer.start(timeoutMs);
    // Nothing past what a request may need is taken from the kernel while it is read here.
    m_socket->setReadBufferSize(MaxRequestSize + 1);
    connect(m_socket, &QTcpSocket::readyRead, this, &IncomingConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &IncomingConnection::onReadyRead, Qt::QueuedConnection);
}

IncomingConnection::~IncomingConnection() = default;

QTcpSocket *IncomingConnection::takeSocket()
{
    QTcpSocket *socket = m_socket;
    disconnect(socket, nullptr, this, nullptr);
    socket->setReadBufferSize(0);
    socket->setParent(nullptr);
    m_socket = nullptr;
    m_done = true;
    m_timer.stop();
    deleteLater();
    return socket;
}

QTcpSocket *IncomingConnection::takeUpgradeSocket()
{
    QByteArray head = "GET " + m_request.url() + " HTTP/1.1\r\n";
    for (const char *name : {"Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
             "Sec-WebSocket-Protocol", "Origin"}) {
        const QByteArray value = m_request.header(name);
        if (!value.isEmpty())
            head += name + QByteArray(": ") + value + "\r\n";
    }
    head += "\r\n";
    // Put back in reverse: what came after the head, then the rebuilt head before it.
    const QByteArray back = head + m_afterHead;
    for (qsizetype i = back.size(); i-- > 0;)
        m_socket->ungetChar(back.at(i));
    if (SocketBudget *budget = SocketBudget::of(m_socket))
        budget->checkAfterRead(); // counted when it arrived
    return takeSocket();
}

void IncomingConnection::onReadyRead()
{
    // Once the request is whole (an upgrade may wait for keys), what follows is not read here:
    // it stays in the socket for the WebSocket, within the read buffer's bound.
    if (m_done || !m_socket || m_request.state() != HttpRequest::State::Incomplete)
        return;
    // Whatever the framing, a request never needs more than this: no buffering past it.
    constexpr qint64 MaxRequest = MaxRequestSize;
    if (m_received + m_socket->bytesAvailable() > MaxRequest) {
        respond(413, "text/plain", "request larger than " + QByteArray::number(MaxRequest) + " bytes\n");
        return;
    }
    const QByteArray piece = m_socket->read(MaxRequest + 1 - m_received);
    if (SocketBudget *budget = SocketBudget::of(m_socket))
        budget->checkAfterRead();
    const qint64 before = m_received;
    m_received += piece.size();
    switch (m_request.feed(piece.constData(), piece.size())) {
    case HttpRequest::State::Incomplete:
        return;
    case HttpRequest::State::Invalid:
        respond(m_request.status(), "text/plain", m_request.error() + '\n');
        return;
    case HttpRequest::State::Complete:
        if (m_request.isUpgrade())
            m_afterHead = piece.mid(m_request.headSize() - before);
        Q_EMIT requestReceived(this, m_request);
        return;
    }
}

void IncomingConnection::respond(
    int status, const QByteArray &contentType, const QByteArray &body, const QByteArray &headers)
{
    if (m_done || !m_socket)
        return;
    m_done = true;
    m_socket->readAll(); // unread bytes would make the close a reset that can eat the answer
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    if (!body.isEmpty())
        response += "Content-Type: " + contentType + "\r\n";
    if (status != 204)
        response += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    response += "Connection: close\r\n";
    response += "Cache-Control: no-store\r\n" + headers + "\r\n" + body;
    m_socket->write(response);
    m_socket->disconnectFromHost();
    m_timer.start(LingerMs);
}

} // namespace Presence
