#pragma once

#include "error.h"

#include <QByteArray>

namespace Presence {

class HttpRequest;
class IncomingConnection;
class Server;

/// presence-server's plain HTTP: `POST /disconnect` (the beacon), `GET /healthz` and
/// `GET /metrics` on the public port, and `/metrics` and `/healthz` on --metrics-listen.
/// `/ws` is the Server's own (the upgrade), not a route here.
class HttpRoutes
{
public:
    explicit HttpRoutes(Server *server);

    /// The bearer token /metrics asks for; empty: none.
    void setMetricsToken(const QByteArray &token) { m_metricsToken = token; }
    /// /metrics has a port of its own: the public port no longer serves it.
    void setMetricsOnOwnPort(bool own) { m_metricsOnOwnPort = own; }

    /// Answers a request to the public port other than the /ws upgrade.
    void answer(IncomingConnection *incoming, const HttpRequest &request);
    /// Answers a request to the --metrics-listen port.
    void answerOnMetricsPort(IncomingConnection *incoming, const HttpRequest &request);

    /// An error as a JSON body: `{"error":{"code":…,"message":…}}`.
    static QByteArray errorBody(const Error &error);

private:
    void serveMetrics(IncomingConnection *incoming, const HttpRequest &request);
    void beacon(IncomingConnection *incoming, const HttpRequest &request);

    Server *m_server;
    QByteArray m_metricsToken;
    bool m_metricsOnOwnPort = false;
};

} // namespace Presence
