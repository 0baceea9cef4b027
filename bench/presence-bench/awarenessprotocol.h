// Yjs awareness, as y-websocket and Hocuspocus carry it: every renewal is an awareness update
// with a higher clock that the server broadcasts to the whole room; a null state leaves.
#pragma once

#include "benchprotocol.h"

namespace Presence::Bench {

class AwarenessProtocol : public BenchProtocol
{
public:
    enum class Server { YWebsocket, Hocuspocus };

    AwarenessProtocol(BenchEvents *events, Server server);

    QNetworkRequest request(const BenchClient &client, const QUrl &base) const override;
    void opened(BenchClient &client) override;
    void join(BenchClient &client) override;
    bool renew(BenchClient &client) override;
    void leave(BenchClient &client) override;
    void received(BenchClient &client, const QByteArray &message) override;
    void closed(BenchClient &client) override;
    QString describe() const override;

private:
    QByteArray message(const BenchClient &client, quint64 type) const;
    void sendState(BenchClient &client, bool present);

    Server m_server;
};

} // namespace Presence::Bench
