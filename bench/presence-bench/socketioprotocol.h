// Socket.IO presence as its users write it (bench/peers/socketio.mjs): Engine.IO v4 over a
// WebSocket, join/leave events, the room's list broadcast on change, heartbeat events.
#pragma once

#include "benchprotocol.h"

namespace Presence::Bench {

class SocketIoProtocol : public BenchProtocol
{
public:
    using BenchProtocol::BenchProtocol;

    QNetworkRequest request(const BenchClient &client, const QUrl &base) const override;
    void opened(BenchClient &client) override;
    void join(BenchClient &client) override;
    bool renew(BenchClient &client) override;
    void leave(BenchClient &client) override;
    void received(BenchClient &client, const QByteArray &message) override;
    void closed(BenchClient &client) override;
    QString describe() const override;

private:
    void emitEvent(BenchClient &client, const char *name, bool withUser);
};

} // namespace Presence::Bench
