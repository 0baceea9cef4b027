#pragma once

#include "identity.h"
#include "ratelimiter.h"
#include "request.h"
#include "result.h"

#include <QObject>
#include <QWebSocketProtocol>

#include <utility>
#include <vector>

class QWebSocket;

namespace Presence {

class ConnectionHost;
class SocketBudget;
class Subscription;

/// One client on /ws: its identity, its subscriptions and the sessions it heartbeats.
///
/// Every frame gets exactly one reply (result or error) carrying its id; a frame too broken
/// to have an id gets an error without one. Bad input never closes the connection; only
/// abuse does (a flood, a message over 4 × the size limit, a reader that stops reading).
///
/// Nothing closes a connection in the middle of an engine call: a socket that must be cut is
/// cut from the event loop, and the server hears of a closed socket from the event loop too,
/// so every engine call and what follows it run against a connection that is still whole.
class Connection : public QObject
{
    Q_OBJECT
public:
    /// The close code of a connection whose identity expired and was not refreshed in time.
    static constexpr int CloseTokenExpired = 4001;

    /// Takes ownership of `socket`. `identity` is set when the upgrade request carried a
    /// valid Authorization header. `budget` is the accepted TCP socket's, when it has one.
    Connection(QWebSocket *socket, SocketBudget *budget, ConnectionHost *host, const std::optional<Identity> &identity,
        QObject *parent = nullptr);
    ~Connection() override;

    QWebSocket *socket() const { return m_socket; }
    int subscriptionCount() const { return int(m_subscriptions.size()); }
    /// Tokens of the sessions last heartbeated through this connection.
    std::vector<QString> sessions() const
    {
        std::vector<QString> tokens;
        tokens.reserve(m_sessions.size());
        for (const HeldSession &held : m_sessions)
            tokens.push_back(held.token);
        return tokens;
    }
    void forgetSession(const QString &sessionToken);
    /// An administrator ended the session in `roomId`: it is forgotten and the client told.
    void kicked(const QString &sessionToken, const QString &roomId);

    /// Closes with `code`, counting `reason` in the metrics.
    void close(QWebSocketProtocol::CloseCode code, const QString &message, const QByteArray &reason);
    /// Cuts the socket from the event loop (no close frame: it would queue behind the rest).
    void abortLater(const QByteArray &reason);
    bool isClosing() const { return m_closing; }
    bool isAuthenticated() const { return m_authenticated; }

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void stopAuthTimer();
    /// Arms the timer that closes the connection when its identity expires (plus the grace).
    void armExpiry();
    void onSocketClosed();
    void onText(const QString &message);
    void onBinary(const QByteArray &message);
    /// Takes a request from the rate budget; false (and maybe a flood close) when it is spent.
    bool admit();
    void handle(const Request &request);
    /// `mayWaitForKeys`: a token of an unknown key id may wait for one refetch of the JWKS.
    void authenticate(const Request &request, bool mayWaitForKeys = true);
    void heartbeat(const Request &request);
    void list(const Request &request);
    void subscribe(const Request &request);
    void unsubscribe(const Request &request);
    void disconnectSession(const Request &request);
    void update(const Request &request);
    void online(const Request &request);
    void whereis(const Request &request);
    void kick(const Request &request);
    void removeRoom(const Request &request);
    /// The caller's identity if it is valid now, else replies unauthenticated and returns false.
    bool checkIdentity(const Request &request);

    void replyError(std::optional<qint64> id, const Error &error);
    void replyEnded(qint64 id, const Result<int> &ended);
    void send(const QByteArray &frame);

    QWebSocket *m_socket;
    SocketBudget *m_budget;
    ConnectionHost *m_host;
    Identity m_identity;
    bool m_authenticated = false;
    RateLimiter m_limiter;
    int m_refusedInARow = 0;
    bool m_closing = false;
    int m_authTimer = 0; // until the first auth frame, when the upgrade carried no token
    int m_expiryTimer = 0; // until the identity's validUntil plus the grace
    // Usually one or two entries each (capped by the config): vectors, because Qt's hashes
    // start with room for 48 and these exist once per connection.
    std::vector<std::pair<qint64, Subscription *>> m_subscriptions;
    std::vector<qint64> m_pendingSubscriptions; // asked for, not answered yet (a cluster's shared state)
    std::vector<qint64> m_cancelledSubscriptions; // of those, unsubscribed meanwhile
    int m_startingSessions = 0; // heartbeats of sessions new to this connection, not answered yet
    struct HeldSession
    {
        QString id; // the client's sessionId
        QString token;
    };
    std::vector<HeldSession> m_sessions;
};

} // namespace Presence
