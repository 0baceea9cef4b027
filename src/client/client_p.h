#pragma once

// Not part of the installed API: a Client's state, which its rooms reach for the transport
// and to register themselves.

#include "client.h"
#include "embeddedserver.h"
#include "identity.h"
#include "transport_p.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

namespace Presence {

class ClientPrivate
{
public:
    Client *q;
    std::unique_ptr<Transport> transport;
    QPointer<EmbeddedServer> embedded;
    Identity identity;
    QUrl url;
    QString token;
    QString userId;
    QString name;
    QString image;
    QString error;
    QList<QPointer<Room>> rooms;
    QTimer wakeCheck;
    QElapsedTimer monotonic;
    qint64 lastWall = 0;

    static ClientPrivate *get(const Client *client) { return client ? client->d.get() : nullptr; }
    /// The transport a client's rooms, peeks and models go through; nullptr without a client.
    static Transport *transportOf(const Client *client) { return client ? client->d->transport.get() : nullptr; }

    /// Rooms leave through the old transport; the new one's ready() brings them back.
    void setTransport(std::unique_ptr<Transport> next);
    /// Who the transport says the user is; emits what changed.
    void setIdentity(const QString &id, const QString &newName, const QString &newImage);
    /// Sleep and resume: the wall clock jumps past the monotonic one.
    void checkWake();
};

} // namespace Presence
