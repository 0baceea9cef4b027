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
class PRESENCECLIENT_EXPORT Client : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QUrl serverUrl READ serverUrl WRITE setServerUrl NOTIFY serverUrlChanged)
    Q_PROPERTY(QString token READ token WRITE setToken NOTIFY tokenChanged)
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString userId READ userId NOTIFY userIdChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorOccurred)

public:
    enum State {
        Disconnected,
        Connecting,
        Connected,
    };
    Q_ENUM(State)

    explicit Client(QObject *parent = nullptr);
    ~Client() override;

    /// Presence in this process, as this user (the app vouches for who it is).
    void setEmbeddedServer(EmbeddedServer *server, const QString &userId, const QString &organization,
        const QString &name = QString(), const QString &image = QString());
    /// Changes the embedded user's name or avatar; rooms pass it on with their next heartbeat.
    void setProfile(const QString &name, const QString &image);

    /// A remote presence-server, e.g. ws://presence.example.com:7390/ws (wss:// for TLS).
    QUrl serverUrl() const;
    void setServerUrl(const QUrl &url);
    /// The JWT access token for the remote server.
    QString token() const;
    void setToken(const QString &token);

    State state() const;
    /// The user this client acts as: set for embedded, learned from the token for remote.
    QString userId() const;
    QString errorString() const;

    /// The client QML and Room use when none is given; set it once at start-up.
    static Client *defaultClient();
    static void setDefaultClient(Client *client);

    /// Disconnects every live room now and waits (at most `timeoutMs`) until that is sent:
    /// done for you on QCoreApplication::aboutToQuit.
    void disconnectAll(int timeoutMs = 300);

Q_SIGNALS:
    void serverUrlChanged();
    void tokenChanged();
    void stateChanged();
    void userIdChanged();
    /// The token expires soon or has expired: call setToken() with a fresh one.
    void tokenRequested();
    void errorOccurred(const QString &code, const QString &message);
    /// Connected (again): rooms heartbeat now.
    void ready();

private:
    friend class ClientPrivate;
    std::unique_ptr<ClientPrivate> d;
};

} // namespace Presence
