#pragma once

#include "presenceclient_export.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <memory>

namespace Presence {

class ClientPrivate;
class EmbeddedServer;
class Room;
class Transport;

/// Where presence lives for this app: an EmbeddedServer in this process, or a remote
/// presence-server. Rooms (Room) use it to heartbeat and to watch their members.
///
/// Remote: holds the access token and asks for a new one (tokenRequested()) before it
/// expires; reconnects with exponential backoff and jitter; after a reconnect every live
/// room heartbeats its same session at once and subscribes again, so nobody sees a flap.
/// After sleep (a wall-clock jump) or when the network comes back it reconnects at once.
///
/// \code
/// Presence::Client client;
/// client.setServerUrl(QUrl(QStringLiteral("wss://presence.example.com/ws")));
/// client.setToken(accessToken);
/// QObject::connect(&client, &Presence::Client::tokenRequested, [&] { client.setToken(refreshedToken()); });
/// Presence::Client::setDefaultClient(&client); // for QML's Presence and new Rooms
/// \endcode
class PRESENCECLIENT_EXPORT Client : public QObject
{
    Q_OBJECT
    /// The remote presence-server, e.g. `ws://presence.example.com:7390/ws` (`wss://` for TLS);
    /// empty while the client is embedded or not set up.
    Q_PROPERTY(QUrl serverUrl READ serverUrl WRITE setServerUrl NOTIFY serverUrlChanged)
    /// The JWT access token the remote server checks; see tokenRequested().
    Q_PROPERTY(QString token READ token WRITE setToken NOTIFY tokenChanged)
    /// Whether the client can reach presence now.
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    /// The user this client acts as: given for embedded, learned from the token for remote.
    Q_PROPERTY(QString userId READ userId NOTIFY userIdChanged)
    /// The user's name as others see it: given for embedded, the token's `name` claim for
    /// remote; empty when there is none (show userId then).
    Q_PROPERTY(QString name READ name NOTIFY nameChanged)
    /// The user's picture as others see it (a URL); empty when there is none, or when the
    /// server refused the token's `picture` claim.
    Q_PROPERTY(QString image READ image NOTIFY imageChanged)
    /// The message of the last error, for people; empty if none.
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorOccurred)

public:
    /// How far the client is from presence.
    enum State {
        Disconnected, ///< nothing set up, or the connection is down (a reconnect is planned)
        Connecting, ///< connecting, or waiting for the server to accept the token
        Connected, ///< rooms heartbeat and receive their members
    };
    Q_ENUM(State)

    /// A client with nowhere to go yet: call setEmbeddedServer() or setServerUrl().
    explicit Client(QObject *parent = nullptr);
    /// Disconnects the rooms' sessions first (bounded wait), so others see this user leave.
    ~Client() override;

    /// Presence in this process, as this user (the app vouches for who it is).
    void setEmbeddedServer(EmbeddedServer *server, const QString &userId, const QString &organization,
        const QString &name = QString(), const QString &image = QString());
    /// Changes the embedded user's name or avatar; rooms pass it on with their next heartbeat.
    void setProfile(const QString &name, const QString &image);

    ///@{
    /// The serverUrl property. Setting it connects (again) to that server.
    QUrl serverUrl() const;
    void setServerUrl(const QUrl &url);
    ///@}
    ///@{
    /// The token property. A new token on a live connection authenticates it again. An empty
    /// one signs out: the rooms leave, the connection ends, and tokenRequested() asks for a
    /// new one, which connects again.
    QString token() const;
    void setToken(const QString &token);
    ///@}

    /// The state property.
    State state() const;
    /// The userId property.
    QString userId() const;
    /// The name property.
    QString name() const;
    /// The image property.
    QString image() const;
    /// The errorString property.
    QString errorString() const;

    ///@{
    /// The client QML and Room use when none is given; set it once at start-up.
    static Client *defaultClient();
    static void setDefaultClient(Client *client);
    ///@}

    /// Disconnects every live room now and waits (at most `timeoutMs`) until that is sent:
    /// done for you on QCoreApplication::aboutToQuit.
    void disconnectAll(int timeoutMs = 300);

Q_SIGNALS:
    ///@{
    /// A property of the same name changed.
    void serverUrlChanged();
    void tokenChanged();
    void stateChanged();
    void userIdChanged();
    void nameChanged();
    void imageChanged();
    ///@}
    /// The token expires soon or has expired: call setToken() with a fresh one.
    void tokenRequested();
    /// A call failed: `code` is the server's error code ("unauthenticated", "rate_limited", ...;
    /// docs/protocol.md), `message` says it for people.
    void errorOccurred(const QString &code, const QString &message);
    /// Connected (again): rooms heartbeat now.
    void ready();

private:
    friend class ClientPrivate;
    std::unique_ptr<ClientPrivate> d;
};

} // namespace Presence
