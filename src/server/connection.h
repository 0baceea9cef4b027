#pragma once

#include "identity.h"
#include "ratelimiter.h"
#include "request.h"

#include <QObject>
#include <QWebSocketProtocol>

#include <utility>
#include <vector>

class QWebSocket;

namespace Presence {

class Server;
class Subscription;

/// One client on /ws: its identity, its subscriptions and the sessions it heartbeats.
///
/// Every frame gets exactly one reply (result or error) carrying its id; a frame too broken
/// to have an id gets an error without one. Bad input never closes the connection; only
/// abuse does (a flood, a message over 4 × the size limit, a reader that stops reading).
class Connection : public QObject
{
    Q_OBJECT
public:
    /// Takes ownership of `socket`. `identity` is set when the upgrade request carried a
    /// valid Authorization header.
    Connection(QWebSocket *socket, Server *server, const std::optional<Identity> &identity, QObject *parent = nullptr);
    ~Connection() override;

    QWebSocket *socket() const { return m_socket; }
    int subscriptionCount() const { return int(m_subscriptions.size()); }
    /// Tokens of the sessions last heartbeated through this connection.
    const std::vector<QString> &sessions() const { return m_sessions; }
    void forgetSession(const QString &sessionToken);

    /// Closes with `code`, counting `reason` in the metrics.
    void close(QWebSocketProtocol::CloseCode code, const QString &message, const QByteArray &reason);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void stopAuthTimer();
    void onText(const QString &message);
    void onBinary(const QByteArray &message);
    /// Takes a request from the rate budget; false (and maybe a flood close) when it is spent.
    bool admit();
    void handle(const Request &request);
    void authenticate(const Request &request);
    void heartbeat(const Request &request);
    void list(const Request &request);
    void subscribe(const Request &request);
    void unsubscribe(const Request &request);
    void disconnectSession(const Request &request);
    /// The caller's identity if it is valid now, else replies unauthenticated and returns false.
    bool checkIdentity(const Request &request);

    void replyError(std::optional<qint64> id, const Error &error);
    void send(const QByteArray &frame);

    QWebSocket *m_socket;
    Server *m_server;
    Identity m_identity;
    bool m_authenticated = false;
    RateLimiter m_limiter;
    int m_refusedInARow = 0;
    bool m_closing = false;
    int m_authTimer = 0; // until the first auth frame, when the upgrade carried no token
    // Usually one or two entries each (capped by the config): vectors, because Qt's hashes
    // start with room for 48 and these exist once per connection.
    std::vector<std::pair<qint64, Subscription *>> m_subscriptions;
    std::vector<QString> m_sessions;
};

} // namespace Presence
