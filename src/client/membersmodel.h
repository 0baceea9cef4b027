#pragma once

#include "presenceclient_export.h"

#include <QAbstractListModel>
#include <QColor>

#include <memory>

namespace Presence {

class MembersModelPrivate;

/// The members of a room, in the server's order: online first in the order they came, then
/// the most recently gone. The first load is one reset; afterwards every change is the
/// smallest set of row insertions, removals, moves and dataChanged() calls, and a heartbeat
/// or push that changes nothing emits nothing at all.
class PRESENCECLIENT_EXPORT MembersModel : public QAbstractListModel
{
    Q_OBJECT
    /// Members in the model (rowCount()).
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    /// Members online now.
    Q_PROPERTY(int onlineCount READ onlineCount NOTIFY onlineCountChanged)
    /// The client's own user, marked by IsSelfRole (a Room sets it from its client).
    Q_PROPERTY(QString selfUserId READ selfUserId WRITE setSelfUserId NOTIFY selfUserIdChanged)
    /// Shows the client's own user first, whatever the server's order (default false).
    Q_PROPERTY(bool selfFirst READ selfFirst WRITE setSelfFirst NOTIFY selfFirstChanged)
    /// The first list has arrived: an empty model now means an empty room.
    Q_PROPERTY(bool loaded READ isLoaded NOTIFY loadedChanged)

public:
    /// The roles of data(); their names (roleNames()) are the QML delegates' property names.
    enum Role {
        UserIdRole = Qt::UserRole + 1, ///< "userId": the user's id in their organization
        NameRole, ///< "name": the users table's name; empty when unknown
        ImageRole, ///< "image": avatar URL; empty when unknown
        OnlineRole, ///< "online": whether any of their sessions lives
        LastDisconnectedRole, ///< "lastDisconnected": QDateTime; invalid if never disconnected
        InitialsRole, ///< "initials": one or two letters for an avatar without an image
        ColorRole, ///< "color": a colour that stays the same for a user everywhere
        IsSelfRole, ///< "isSelf": the client's own user
        AwayRole, ///< "away": online, and every window of theirs in the room is idle
        DataRole, ///< "memberData": all the other roles as a QVariantMap
        /// "presenceData": what the member set for themselves in the room (Room::data), a
        /// QVariantMap; empty when they set nothing. Not "data": QML's Item has a property of that name.
        PresenceDataRole,
        StatusRole, ///< "status": the "status" text of their presenceData; empty without one
    };
    Q_ENUM(Role)

    /// An empty model; a Room fills it.
    explicit MembersModel(QObject *parent = nullptr);
    ~MembersModel() override;

    /// The members (a flat list: no children).
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    /// A member's `role` (Role); Qt::DisplayRole is the name, or the user id without one.
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    /// Role's names, as the comments of Role give them.
    QHash<int, QByteArray> roleNames() const override;

    /// The onlineCount property.
    int onlineCount() const;
    /// The loaded property.
    bool isLoaded() const;
    /// The member at `row` as a map of role names to values (for QML).
    Q_INVOKABLE QVariantMap get(int row) const;

    ///@{
    /// The selfUserId property.
    QString selfUserId() const;
    void setSelfUserId(const QString &userId);
    ///@}
    ///@{
    /// The selfFirst property.
    bool selfFirst() const;
    void setSelfFirst(bool selfFirst);
    ///@}

    /// One or two letters for an avatar without a picture: the initials of the first and
    /// last words of the name, or the first letter of the user id.
    static QString initialsFor(const QString &name, const QString &userId);
    /// A saturated mid-tone colour from the user id, the same everywhere, that carries white
    /// initials in light and dark themes.
    static QColor colorFor(const QString &userId);

Q_SIGNALS:
    ///@{
    /// A property of the same name changed.
    void countChanged();
    void onlineCountChanged();
    void selfUserIdChanged();
    void selfFirstChanged();
    void loadedChanged();
    ///@}

private:
    friend class MembersModelPrivate;
    std::unique_ptr<MembersModelPrivate> d;
};

} // namespace Presence
