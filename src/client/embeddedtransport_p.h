#pragma once

#include "identity.h"
#include "transport_p.h"

#include <QHash>

namespace Presence {

class EmbeddedServer;
class Engine;
class Subscription;

/// Rooms talk to an Engine in this process: no network, no serialisation.
class EmbeddedTransport : public Transport
{
    Q_OBJECT
public:
    /// The server's engine is looked up on each call, so it may be opened after this.
    EmbeddedTransport(EmbeddedServer *server, const Identity &identity, QObject *parent = nullptr);
    ~EmbeddedTransport() override;

    void setIdentity(const Identity &identity) { m_identity = identity; }

    State state() const override { return m_started ? Connected : Disconnected; }
    void start() override;
    void reconnectNow() override;
    void heartbeat(const QString &roomId, const QString &sessionId, int interval, bool away, QObject *context,
        HeartbeatDone done) override;
    int subscribe(const QString &roomToken, int limit, QObject *context, ListDone list, DiffHandler diff) override;
    int watch(const QString &roomId, int limit, QObject *context, ListDone list, DiffHandler diff) override;
    void unsubscribe(int handle) override;
    void online(int limit, const QString &cursor, QObject *context, OnlineDone done) override;
    void update(const QString &sessionToken, const QJsonObject &data, QObject *context, UpdateDone done) override;
    void disconnectSession(const QString &sessionToken) override;
    void flush(int) override { }

private:
    void watchKicks();
    int adopt(Result<Subscription *> subscription, QObject *context, ListDone list, DiffHandler diff);
    Engine *engine() const;
    QPointer<EmbeddedServer> m_server;
    QPointer<Engine> m_watched; // whose kicked() this transport passes on
    Identity m_identity;
    bool m_started = false;
    int m_nextHandle = 1;
    QHash<int, Subscription *> m_subscriptions;
};

} // namespace Presence
