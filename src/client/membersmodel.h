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
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(int onlineCount READ onlineCount NOTIFY onlineCountChanged)
    Q_PROPERTY(QString selfUserId READ selfUserId WRITE setSelfUserId NOTIFY selfUserIdChanged)
    Q_PROPERTY(bool selfFirst READ selfFirst WRITE setSelfFirst NOTIFY selfFirstChanged)
    Q_PROPERTY(bool loaded READ isLoaded NOTIFY loadedChanged)

public:
    enum Role {
        UserIdRole = Qt::UserRole + 1,
        NameRole, ///< the users table's name; empty when unknown
        ImageRole, ///< avatar URL; empty when unknown
        OnlineRole,
        LastDisconnectedRole, ///< QDateTime; invalid if never disconnected
        InitialsRole, ///< one or two letters for an avatar without an image
        ColorRole, ///< a colour that stays the same for a user everywhere
        IsSelfRole, ///< the client's own user
        DataRole, ///< all of the above as a QVariantMap
    };
    Q_ENUM(Role)

    explicit MembersModel(QObject *parent = nullptr);
    ~MembersModel() override;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int onlineCount() const;
    bool isLoaded() const;
    /// The member at `row` as a map of role names to values (for QML).
    Q_INVOKABLE QVariantMap get(int row) const;

    QString selfUserId() const;
    void setSelfUserId(const QString &userId);
    /// Shows the client's own user first, whatever the server's order.
    bool selfFirst() const;
    void setSelfFirst(bool selfFirst);

    static QString initialsFor(const QString &name, const QString &userId);
    static QColor colorFor(const QString &userId);

Q_SIGNALS:
    void countChanged();
    void onlineCountChanged();
    void selfUserIdChanged();
    void selfFirstChanged();
    void loadedChanged();

private:
    friend class MembersModelPrivate;
    std::unique_ptr<MembersModelPrivate> d;
};

} // namespace Presence
