#pragma once

#include "membersmodel.h" // members() is for use, so its type comes with it
#include "presenceclient_export.h"

#include <QObject>

#include <memory>

#include <QWindow>

namespace Presence {

class Client;
class RoomPrivate;

/// Being in a room, as the seed's usePresence hook: heartbeat at once and every `interval`
/// (at most one in flight), and a live `members` model that changes only when someone
/// joins, leaves or changes.
///
/// A room is present while it is `active`, its `window` (if any) is shown and not
/// minimised, and the application is not hidden or suspended (if `followApplicationState`).
/// When it stops being present it disconnects at once, so others see the user leave now;
/// when it is present again it heartbeats at once. Destroying it disconnects too.
class PRESENCECLIENT_EXPORT Room : public QObject
{
    Q_OBJECT
    Q_PROPERTY(Presence::Client *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(QString roomId READ roomId WRITE setRoomId NOTIFY roomIdChanged)
    Q_PROPERTY(int interval READ interval WRITE setInterval NOTIFY intervalChanged)
    Q_PROPERTY(int limit READ limit WRITE setLimit NOTIFY limitChanged)
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(QWindow *window READ window WRITE setWindow NOTIFY windowChanged)
    Q_PROPERTY(bool followApplicationState READ followApplicationState WRITE setFollowApplicationState NOTIFY
            followApplicationStateChanged)
    Q_PROPERTY(bool present READ isPresent NOTIFY presentChanged)
    Q_PROPERTY(Presence::MembersModel *members READ members CONSTANT)
    Q_PROPERTY(QString sessionId READ sessionId NOTIFY sessionIdChanged)
    Q_PROPERTY(QString errorCode READ errorCode NOTIFY errorChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorChanged)

public:
    static constexpr int DefaultInterval = 10'000;
    static constexpr int DefaultLimit = 104;

    /// Uses Client::defaultClient() until setClient() is called.
    explicit Room(QObject *parent = nullptr);
    ~Room() override;

    Client *client() const;
    /// nullptr: Client::defaultClient().
    void setClient(Client *client);
    QString roomId() const;
    void setRoomId(const QString &roomId);
    int interval() const;
    void setInterval(int ms);
    int limit() const;
    void setLimit(int limit);
    bool isActive() const;
    void setActive(bool active);
    /// The window that shows this room: hidden or minimised means away.
    QWindow *window() const;
    void setWindow(QWindow *window);
    bool followApplicationState() const;
    void setFollowApplicationState(bool follow);

    bool isPresent() const;
    MembersModel *members() const;
    /// A UUID for this room instance (a new one if roomId changes).
    QString sessionId() const;
    /// The server's error code ("unauthenticated", …) of the last failed call; empty after a success.
    QString errorCode() const;
    QString errorString() const;

public Q_SLOTS:
    /// Heartbeats now, if present and none is in flight.
    void heartbeat();
    /// Ends this room's session now (it starts again with the next heartbeat).
    void leave();

Q_SIGNALS:
    void clientChanged();
    void roomIdChanged();
    void intervalChanged();
    void limitChanged();
    void activeChanged();
    void windowChanged();
    void followApplicationStateChanged();
    void presentChanged();
    void sessionIdChanged();
    void errorChanged();

private:
    friend class RoomPrivate;
    std::unique_ptr<RoomPrivate> d;
};

} // namespace Presence
