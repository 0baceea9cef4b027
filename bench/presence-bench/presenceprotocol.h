// presence-server's own protocol (docs/protocol.md): a heartbeat renews, the first heartbeat of
// a session joins, a subscribe watches the room, disconnect leaves.
#pragma once

#include "benchprotocol.h"

namespace Presence::Bench {

class PresenceProtocol : public BenchProtocol
{
public:
    PresenceProtocol(BenchEvents *events, const QByteArray &secret, int interval);

    QNetworkRequest request(const BenchClient &client, const QUrl &base) const override;
    void opened(BenchClient &client) override;
    void join(BenchClient &client) override;
    bool renew(BenchClient &client) override;
    void leave(BenchClient &client) override;
    void received(BenchClient &client, const QByteArray &message) override;
    void closed(BenchClient &client) override;
    QString describe() const override;

private:
    void heartbeat(BenchClient &client);

    QByteArray m_secret;
    int m_interval;
    quint64 m_sessions = 0;
};

} // namespace Presence::Bench
