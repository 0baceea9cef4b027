#pragma once

#include "backend.h"

namespace Presence {

/// A Backend on an Engine of the process's own (one server, or embedded): every callback runs
/// within the call.
class EngineBackend : public Backend
{
    Q_OBJECT
public:
    /// `engine` must outlive the backend.
    explicit EngineBackend(Engine *engine, QObject *parent = nullptr);

    void heartbeat(const Identity &identity, const QString &roomId, const QString &sessionId, int interval, bool away,
        const QObject *context, Done<HeartbeatResult> done) override;
    void update(const Identity &identity, const QString &sessionToken, const QJsonObject &data, const QObject *context,
        Done<bool> done) override;
    void disconnect(const QString &sessionToken, const QObject *context, Done<bool> done) override;
    void expireWithin(const QString &sessionToken, int graceMs) override;
    void list(const Identity &identity, const QString &room, bool byId, int limit, const QObject *context,
        Done<Listing> done) override;
    void subscribe(const Identity &identity, const QString &room, bool byId, int limit, bool wantsCounts,
        const QObject *context, Done<Subscription *> done) override;
    void online(const Identity &identity, int limit, const QString &cursor, const QObject *context,
        Done<OnlinePage> done) override;
    void whereis(
        const Identity &identity, const QString &userId, const QObject *context, Done<QStringList> done) override;
    void kick(const Identity &identity, const QString &roomId, const QString &userId, const QObject *context,
        Done<int> done) override;
    void removeRoom(const Identity &identity, const QString &roomId, const QObject *context, Done<int> done) override;
    bool mayHaveSession(const QString &sessionToken) const override;
    Engine &engine() override { return *m_engine; }

private:
    Engine *m_engine;
};

} // namespace Presence
