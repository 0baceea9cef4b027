#pragma once

#include "membersmodel.h" // members() is for use, so its type comes with it
#include "presenceclient_export.h"

#include <QObject>
#include <QWindow>

#include <memory>

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
///
/// \code
/// auto *room = new Presence::Room(documentWindow);
/// room->setRoomId(QStringLiteral("doc-1"));
/// room->setWindow(documentWindow->windowHandle()); // minimised or hidden: away
/// facepile->setModel(room->members());
/// \endcode
class PRESENCECLIENT_EXPORT Room : public QObject
{
    Q_OBJECT
    /// The client it heartbeats through (default: Client::defaultClient()).
    Q_PROPERTY(Presence::Client *client READ client WRITE setClient NOTIFY clientChanged)
    /// The room, e.g. a document's id, within the user's organization. Empty: in no room.
    Q_PROPERTY(QString roomId READ roomId WRITE setRoomId NOTIFY roomIdChanged)
    /// Milliseconds between heartbeats, 1 000 to 600 000 (default 10 000). The server
    /// counts the session gone 2.5 intervals after its last heartbeat.
    Q_PROPERTY(int interval READ interval WRITE setInterval NOTIFY intervalChanged)
    /// At most this many members are listed (default 104, online ones first).
    Q_PROPERTY(int limit READ limit WRITE setLimit NOTIFY limitChanged)
    /// False: away, whatever the window does (default true).
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    /// The window that shows this room: hidden or minimised means away.
    Q_PROPERTY(QWindow *window READ window WRITE setWindow NOTIFY windowChanged)
    /// Away while the application is hidden or suspended (default true).
    Q_PROPERTY(bool followApplicationState READ followApplicationState WRITE setFollowApplicationState NOTIFY
            followApplicationStateChanged)
    /// Whether the user is in the room now (heartbeating) rather than gone.
    Q_PROPERTY(bool present READ isPresent NOTIFY presentChanged)
    /// Idle: the window (or, without one, the application) has had no input for awayAfter.
    /// Others see the user dimmed with a clock, not gone; input brings them back at once.
    Q_PROPERTY(bool away READ isAway NOTIFY awayChanged)
    /// Milliseconds without input before the room counts as away (default 300 000: five
    /// minutes); 0 never.
    Q_PROPERTY(int awayAfter READ awayAfter WRITE setAwayAfter NOTIFY awayAfterChanged)
    /// What the user shows others beside their avatar in this room, e.g. {"status": "Reviewing"}
    /// (the facepiles show `status` in their tooltips and lists): a JSON object of at most 1 KiB
    /// (the server's max-data-size) once serialized. Sent at once; watchers see it within the
    /// server's data-coalesce (50 ms) however often it changes. It lasts while the user is in
    /// the room and is sent again for every new session; an empty map clears it. One user has
    /// one value per room: two windows of theirs in one room share it, the last set winning.
    Q_PROPERTY(QVariantMap data READ data WRITE setData NOTIFY dataChanged)
    /// Who is in the room: online first in the order they came, then the most recently gone.
    Q_PROPERTY(Presence::MembersModel *members READ members CONSTANT)
    /// Members online in the whole room, whatever the limit (from servers before 0.2: those
    /// in members).
    Q_PROPERTY(int onlineCount READ onlineCount NOTIFY countsChanged)
    /// Every member of the room, online or not yet forgotten, whatever the limit: what "+N"
    /// counts (from servers before 0.2: those in members).
    Q_PROPERTY(int totalCount READ totalCount NOTIFY countsChanged)
    /// An administrator removed the user from the room (kick, removeRoom): the room stays out,
    /// not present, until rejoin() or another roomId or client. errorCode says
    /// "permission_denied" meanwhile.
    Q_PROPERTY(bool kicked READ isKicked NOTIFY kickedChanged)
    /// A UUID for this room instance (a new one when roomId changes): the seed's sessionId.
    Q_PROPERTY(QString sessionId READ sessionId NOTIFY sessionIdChanged)
    /// The server's error code ("unauthenticated", ...) of the last failed call; empty after a success.
    Q_PROPERTY(QString errorCode READ errorCode NOTIFY errorChanged)
    /// The last failed call's message, for people; empty after a success.
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorChanged)

public:
    /// The interval property's default, in milliseconds.
    static constexpr int DefaultInterval = 10'000;
    /// The limit property's default.
    static constexpr int DefaultLimit = 104;
    /// The awayAfter property's default, in milliseconds.
    static constexpr int DefaultAwayAfter = 5 * 60 * 1000;

    /// A room with no roomId yet; it uses Client::defaultClient() until setClient() is called.
    explicit Room(QObject *parent = nullptr);
    /// Leaves: disconnects its session at once.
    ~Room() override;

    ///@{
    /// The client property; nullptr sets Client::defaultClient().
    Client *client() const;
    void setClient(Client *client);
    ///@}
    ///@{
    /// The roomId property. A new room is a new session: the old one is left at once.
    QString roomId() const;
    void setRoomId(const QString &roomId);
    ///@}
    ///@{
    /// The interval property.
    int interval() const;
    void setInterval(int ms);
    ///@}
    ///@{
    /// The limit property.
    int limit() const;
    void setLimit(int limit);
    ///@}
    ///@{
    /// The active property.
    bool isActive() const;
    void setActive(bool active);
    ///@}
    ///@{
    /// The window property.
    QWindow *window() const;
    void setWindow(QWindow *window);
    ///@}
    ///@{
    /// The followApplicationState property.
    bool followApplicationState() const;
    void setFollowApplicationState(bool follow);
    ///@}

    /// The present property.
    bool isPresent() const;
    /// The away property.
    bool isAway() const;
    ///@{
    /// The awayAfter property.
    int awayAfter() const;
    void setAwayAfter(int ms);
    ///@}
    ///@{
    /// The data property.
    QVariantMap data() const;
    void setData(const QVariantMap &data);
    ///@}
    /// The members property: owned by the room, alive as long as it is.
    MembersModel *members() const;
    /// The onlineCount property.
    int onlineCount() const;
    /// The totalCount property.
    int totalCount() const;
    /// The kicked property.
    bool isKicked() const;
    /// The sessionId property.
    QString sessionId() const;
    /// The errorCode property.
    QString errorCode() const;
    /// The errorString property.
    QString errorString() const;

public Q_SLOTS:
    /// Heartbeats now, if present and none is in flight.
    void heartbeat();
    /// Ends this room's session now (it starts again with the next heartbeat).
    void leave();
    /// Comes back after an administrator removed the user (kicked); nothing otherwise.
    void rejoin();

Q_SIGNALS:
    ///@{
    /// A property of the same name changed (errorChanged: errorCode and errorString,
    /// countsChanged: onlineCount and totalCount).
    void clientChanged();
    void roomIdChanged();
    void intervalChanged();
    void limitChanged();
    void activeChanged();
    void windowChanged();
    void followApplicationStateChanged();
    void presentChanged();
    void countsChanged();
    void awayChanged();
    void awayAfterChanged();
    void kickedChanged();
    void dataChanged();
    void sessionIdChanged();
    void errorChanged();
    ///@}

private:
    friend class RoomPrivate;
    std::unique_ptr<RoomPrivate> d;
};

} // namespace Presence
