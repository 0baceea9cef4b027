#pragma once

#include <QHostAddress>
#include <QtGlobal>

#include <functional>
#include <memory>

class QAbstractSocket;

namespace Presence {

class ConnectionCounts;

/// What one accepted socket may cost the server, whoever reads or writes it: bytes read per
/// second (WebSocket control frames included, which QtWebSockets answers on its own) and
/// bytes queued unsent (pongs, close frames and HTTP answers included).
///
/// Bytes read are counted around every readyRead: the budget's own slot runs first (it is
/// the socket's first connection) and sees what arrived; checkAfterRead(), called from a slot
/// connected after the reader's, sees what is left. Overrunning either limit stops reading
/// at once and calls the handler from the event loop, never from inside the read or write
/// that overran, so nothing above is cut off in the middle of its work.
class SocketBudget
{
public:
    enum Overrun {
        InputFlood, ///< read faster than the input rate allows
        SlowReader, ///< more unsent bytes queued than the send cap
    };
    using Handler = std::function<void(Overrun)>;

    /// `rate` bytes per second on average, bursts of `burst` bytes; 0 for no limit.
    void setInputRate(qint64 rate, qint64 burst);
    void setSendCap(qint64 bytes) { m_sendCap = bytes; }
    qint64 sendCap() const { return m_sendCap; }
    /// Called once, queued, on the first overrun. Without one the socket is aborted.
    void setOverrunHandler(Handler handler) { m_handler = std::move(handler); }

    /// After the socket's reader ran: counts nothing, remembers what is left to read, and
    /// checks the unsent bytes (a reader may have answered, as a pong does).
    void checkAfterRead();
    /// Checks the unsent bytes against the cap; true when within it.
    bool checkSendCap();
    bool overrun() const { return m_overrun; }
    QAbstractSocket *socket() const { return m_socket; }
    quint64 bytesRead() const { return m_bytesRead; }

    /// Counts this socket in `counts` (under its peer's address, as not authenticated) until
    /// it is destroyed.
    void countIn(std::shared_ptr<ConnectionCounts> counts);
    /// The socket's peer authenticated: it no longer counts against the budget for strangers.
    void setAuthenticated();

    /// The budget of a socket made by the Listener, or nullptr.
    static SocketBudget *of(QAbstractSocket *socket);

protected:
    explicit SocketBudget(QAbstractSocket *socket);
    virtual ~SocketBudget();
    /// Connected first to readyRead.
    void beforeRead();

private:
    void exceed(Overrun what);
    qint64 now() const;

    QAbstractSocket *m_socket;
    Handler m_handler;
    std::shared_ptr<ConnectionCounts> m_counts;
    QHostAddress m_peer;
    qint64 m_left = 0; ///< bytes the reader left unread last time
    quint64 m_bytesRead = 0;
    qint64 m_sendCap = 0;
    // A token bucket of bytes; in bytes × 1000 so that refilling by the millisecond is exact.
    qint64 m_rate = 0; ///< bytes per second; 0: no limit
    qint64 m_burst = 0;
    qint64 m_tokens = 0;
    qint64 m_last = -1;
    bool m_overrun = false;
    bool m_authenticated = false;
};

} // namespace Presence
