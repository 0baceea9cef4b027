#pragma once

#include "membersmodel.h"
#include "presenceclient_export.h"

#include <QObject>

#include <memory>

namespace Presence {

class Client;
class PeekPrivate;

/// Who is in a room, watched by its id without joining it: for a list of documents that shows
/// who is in each. The user does not appear in the room and nobody sees them watching. A room
/// nobody has opened yet is empty and fills when someone joins it.
///
/// \code
/// auto *peek = new Presence::Peek(documentList);
/// peek->setRoomId(QStringLiteral("doc-1"));
/// peek->setLimit(3);                    // three avatars...
/// facepile->setModel(peek->members());
/// facepile->setTotalCount(peek->totalCount()); // ...and "+N" for the rest (countsChanged)
/// \endcode
class PRESENCECLIENT_EXPORT Peek : public QObject
{
    Q_OBJECT
    /// The client it watches through (default: Client::defaultClient()).
    Q_PROPERTY(Presence::Client *client READ client WRITE setClient NOTIFY clientChanged)
    /// The room, within the user's organization. Empty: watches nothing.
    Q_PROPERTY(QString roomId READ roomId WRITE setRoomId NOTIFY roomIdChanged)
    /// At most this many members are listed (default 104, online ones first); the counts are
    /// the whole room's whatever the limit.
    Q_PROPERTY(int limit READ limit WRITE setLimit NOTIFY limitChanged)
    /// False: watches nothing and keeps no subscription on the server (default true).
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    /// Who is in the room: online first in the order they came, then the most recently gone.
    Q_PROPERTY(Presence::MembersModel *members READ members CONSTANT)
    /// Members online in the whole room.
    Q_PROPERTY(int onlineCount READ onlineCount NOTIFY countsChanged)
    /// Every member of the room, online or not yet forgotten: what "+N" counts.
    Q_PROPERTY(int totalCount READ totalCount NOTIFY countsChanged)
    /// The server's error code ("resource_exhausted", ...) of the last failure; empty after a success.
    Q_PROPERTY(QString errorCode READ errorCode NOTIFY errorChanged)
    /// The last failure's message, for people; empty after a success.
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorChanged)

public:
    /// Watches nothing until setRoomId(); uses Client::defaultClient() until setClient().
    explicit Peek(QObject *parent = nullptr);
    ~Peek() override;

    ///@{
    /// The client property; nullptr sets Client::defaultClient().
    Client *client() const;
    void setClient(Client *client);
    ///@}
    ///@{
    /// The roomId property.
    QString roomId() const;
    void setRoomId(const QString &roomId);
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
    /// The members property: owned by the peek, alive as long as it is.
    MembersModel *members() const;
    /// The onlineCount property.
    int onlineCount() const;
    /// The totalCount property.
    int totalCount() const;
    /// The errorCode property.
    QString errorCode() const;
    /// The errorString property.
    QString errorString() const;

Q_SIGNALS:
    ///@{
    /// A property of the same name changed (errorChanged: errorCode and errorString,
    /// countsChanged: onlineCount and totalCount).
    void clientChanged();
    void roomIdChanged();
    void limitChanged();
    void activeChanged();
    void countsChanged();
    void errorChanged();
    ///@}

private:
    std::unique_ptr<PeekPrivate> d;
};

} // namespace Presence
