#pragma once

#include "presenceclient_export.h"

#include <QAbstractListModel>

#include <memory>

namespace Presence {

class Client;
class OnlineUsersPrivate;

/// Who is online in the user's organization, in any room: for an "Online now" panel. Sorted
/// by name (then user id), the user themselves included (isSelf). It asks the server again
/// every refreshInterval while active and changes by the smallest set of row insertions,
/// removals and dataChanged() calls, so a view keeps its scroll position and selection.
///
/// Its roles include those of MembersModel that an Avatar delegate needs (online is always
/// true, lastDisconnected invalid), so `Facepile` and `Avatar` show it as they are.
class PRESENCECLIENT_EXPORT OnlineUsers : public QAbstractListModel
{
    Q_OBJECT
    /// The client it asks through (default: Client::defaultClient()).
    Q_PROPERTY(Presence::Client *client READ client WRITE setClient NOTIFY clientChanged)
    /// False: asks nothing (default true).
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    /// Milliseconds between two askings, at least 1 000 (default 10 000).
    Q_PROPERTY(int refreshInterval READ refreshInterval WRITE setRefreshInterval NOTIFY refreshIntervalChanged)
    /// At most this many users are fetched, in pages of up to 1 000 (default 10 000).
    Q_PROPERTY(int maxUsers READ maxUsers WRITE setMaxUsers NOTIFY maxUsersChanged)
    /// Users in the model (rowCount()).
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    /// The first answer has arrived: an empty model now means nobody is online.
    Q_PROPERTY(bool loaded READ isLoaded NOTIFY loadedChanged)
    /// The server's error code of the last failed asking; empty after a success.
    Q_PROPERTY(QString errorCode READ errorCode NOTIFY errorChanged)
    /// The last failure's message, for people; empty after a success.
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorChanged)

public:
    /// The roles of data(); their names (roleNames()) are the QML delegates' property names.
    enum Role {
        UserIdRole = Qt::UserRole + 1, ///< "userId"
        NameRole, ///< "name": the users table's name; empty when unknown
        ImageRole, ///< "image": avatar URL; empty when unknown
        OnlineRole, ///< "online": always true (for Avatar)
        LastDisconnectedRole, ///< "lastDisconnected": always an invalid QDateTime (for Avatar)
        InitialsRole, ///< "initials"
        ColorRole, ///< "color": the same as MembersModel's for the user
        IsSelfRole, ///< "isSelf": the client's own user
        AwayRole, ///< "away": idle in every room they are in
        RoomsRole, ///< "rooms": the roomIds they are online in, a QStringList
    };
    Q_ENUM(Role)

    /// An empty model that fills once a client is connected.
    explicit OnlineUsers(QObject *parent = nullptr);
    ~OnlineUsers() override;

    /// The users (a flat list: no children).
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    /// A user's `role` (Role); Qt::DisplayRole is the name, or the user id without one.
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    /// Role's names, as the comments of Role give them.
    QHash<int, QByteArray> roleNames() const override;

    ///@{
    /// The client property; nullptr sets Client::defaultClient().
    Client *client() const;
    void setClient(Client *client);
    ///@}
    ///@{
    /// The active property.
    bool isActive() const;
    void setActive(bool active);
    ///@}
    ///@{
    /// The refreshInterval property.
    int refreshInterval() const;
    void setRefreshInterval(int ms);
    ///@}
    ///@{
    /// The maxUsers property.
    int maxUsers() const;
    void setMaxUsers(int count);
    ///@}
    /// The loaded property.
    bool isLoaded() const;
    /// The errorCode property.
    QString errorCode() const;
    /// The errorString property.
    QString errorString() const;
    /// The user at `row` as a map of role names to values (for QML).
    Q_INVOKABLE QVariantMap get(int row) const;

public Q_SLOTS:
    /// Asks now (unless an asking is under way).
    void refresh();

Q_SIGNALS:
    ///@{
    /// A property of the same name changed (errorChanged: errorCode and errorString).
    void clientChanged();
    void activeChanged();
    void refreshIntervalChanged();
    void maxUsersChanged();
    void countChanged();
    void loadedChanged();
    void errorChanged();
    ///@}

private:
    friend class OnlineUsersPrivate;
    std::unique_ptr<OnlineUsersPrivate> d;
};

} // namespace Presence
