#include "socketbudget.h"

#include "connectioncounts.h"

#include <QAbstractSocket>
#include <QDeadlineTimer>
#include <QPointer>

#include <algorithm>

namespace Presence {

SocketBudget::SocketBudget(QAbstractSocket *socket)
    : m_socket(socket)
{
}

SocketBudget::~SocketBudget()
{
    if (m_counts)
        m_counts->remove(m_peer, m_authenticated);
}

void SocketBudget::countIn(std::shared_ptr<ConnectionCounts> counts)
{
    if (m_counts)
        return;
    m_counts = std::move(counts);
    m_peer = ConnectionCounts::peerOf(m_socket->peerAddress());
    m_counts->add(m_peer);
}

void SocketBudget::setAuthenticated()
{
    if (std::exchange(m_authenticated, true) || !m_counts)
        return;
    m_counts->authenticated(m_peer);
}

SocketBudget *SocketBudget::of(QAbstractSocket *socket)
{
    return dynamic_cast<SocketBudget *>(socket);
}

void SocketBudget::setInputRate(qint64 rate, qint64 burst)
{
    m_rate = std::max<qint64>(0, rate);
    m_burst = std::max(m_rate, burst) * 1000;
    m_tokens = m_burst;
    m_last = -1;
}

qint64 SocketBudget::now() const
{
    return QDeadlineTimer::current().deadline(); // monotonic ms
}

void SocketBudget::beforeRead()
{
    if (m_overrun)
        return;
    const qint64 available = m_socket->bytesAvailable();
    const qint64 arrived = std::max<qint64>(0, available - m_left);
    m_left = available;
    m_bytesRead += quint64(arrived);
    if (m_rate == 0 || arrived == 0)
        return;
    const qint64 t = now();
    if (m_last >= 0)
        m_tokens = std::min(m_burst, m_tokens + (t - m_last) * m_rate);
    m_last = t;
    m_tokens -= arrived * 1000;
    if (m_tokens < 0)
        exceed(InputFlood);
}

void SocketBudget::checkAfterRead()
{
    m_left = m_socket->bytesAvailable();
    checkSendCap();
}

bool SocketBudget::checkSendCap()
{
    if (m_overrun)
        return false;
    if (m_sendCap <= 0 || m_socket->bytesToWrite() <= m_sendCap)
        return true;
    // The kernel may take more than Qt thinks: write what it will before judging.
    m_socket->flush();
    if (m_socket->bytesToWrite() <= m_sendCap)
        return true;
    exceed(SlowReader);
    return false;
}

void SocketBudget::exceed(Overrun what)
{
    m_overrun = true;
    // Read nothing more: the kernel's buffer fills and TCP holds the peer back.
    m_socket->setReadBufferSize(1);
    QPointer<QAbstractSocket> socket = m_socket;
    QMetaObject::invokeMethod(
        m_socket,
        [this, socket, what] {
            if (!socket)
                return;
            if (m_handler)
                m_handler(what);
            else
                socket->abort();
        },
        Qt::QueuedConnection);
}

} // namespace Presence
