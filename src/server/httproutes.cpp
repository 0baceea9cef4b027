#include "httproutes.h"

#include "backend.h"
#include "engine.h"
#include "httprequest.h"
#include "incomingconnection.h"
#include "metrics.h"
#include "server.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

namespace Presence {

QByteArray HttpRoutes::errorBody(const Error &error)
{
    return QJsonDocument(QJsonObject {{QStringLiteral("error"),
                             QJsonObject {{QStringLiteral("code"), error.codeName()},
                                 {QStringLiteral("message"), error.message()}}}})
               .toJson(QJsonDocument::Compact)
        + '\n';
}

HttpRoutes::HttpRoutes(Server *server)
    : m_server(server)
{
}

void HttpRoutes::answer(IncomingConnection *incoming, const HttpRequest &request)
{
    const QByteArray method = request.method();
    const QByteArray path = request.path();
    ++m_server->metrics().httpRequests;
    if (path == "/healthz") {
        if (method != "GET" && method != "HEAD")
            return incoming->respond(405, "text/plain", "use GET\n", "Allow: GET, HEAD\r\n");
        if (m_server->isStopping())
            return incoming->respond(503, "text/plain", "stopping\n");
        return incoming->respond(200, "text/plain", method == "HEAD" ? QByteArray() : QByteArray("ok\n"));
    }
    if (path == "/metrics") {
        // On the public port only for loopback peers, and not at all with a listener of its own:
        // the counts tell anyone how busy the server is and with how many people.
        // A proxy on this host forwards everyone from loopback: its requests say so.
        const bool forwarded = !request.header("forwarded").isEmpty() || !request.header("x-forwarded-for").isEmpty()
            || !request.header("x-real-ip").isEmpty();
        if (!m_metricsOnOwnPort && incoming->socket()->peerAddress().isLoopback()
            && (!forwarded || !m_metricsToken.isEmpty()))
            return serveMetrics(incoming, request);
        return incoming->respond(404, "text/plain", "not found\n");
    }
    if (path == "/disconnect") {
        if (method != "POST")
            return incoming->respond(405, "text/plain", "use POST\n", "Allow: POST\r\n");
        return beacon(incoming, request);
    }
    incoming->respond(404, "text/plain", "not found; presence-server serves /ws, /disconnect, /healthz and /metrics\n");
}

void HttpRoutes::answerOnMetricsPort(IncomingConnection *incoming, const HttpRequest &request)
{
    if (request.path() == "/metrics")
        return serveMetrics(incoming, request);
    if (request.path() == "/healthz") {
        const bool stopping = m_server->isStopping();
        return incoming->respond(stopping ? 503 : 200, "text/plain", stopping ? "stopping\n" : "ok\n");
    }
    incoming->respond(404, "text/plain", "not found; this port serves /metrics and /healthz\n");
}

void HttpRoutes::serveMetrics(IncomingConnection *incoming, const HttpRequest &request)
{
    if (request.method() != "GET")
        return incoming->respond(405, "text/plain", "use GET\n", "Allow: GET\r\n");
    if (!m_metricsToken.isEmpty()) {
        // Compared as digests: the time taken says nothing about how much of it matched.
        const QByteArray given = request.header("authorization");
        const QByteArray expected = "Bearer " + m_metricsToken;
        if (QCryptographicHash::hash(given, QCryptographicHash::Sha256)
            != QCryptographicHash::hash(expected, QCryptographicHash::Sha256)) {
            return incoming->respond(
                401, "text/plain", "/metrics needs its bearer token\n", "WWW-Authenticate: Bearer\r\n");
        }
    }
    incoming->respond(200, "text/plain; version=0.0.4; charset=utf-8", m_server->renderMetrics());
}

void HttpRoutes::beacon(IncomingConnection *incoming, const HttpRequest &request)
{
    if (m_server->isStopping())
        return incoming->respond(503, "text/plain", "shutting down\n", "Retry-After: 1\r\n");
    Metrics &metrics = m_server->metrics();
    ++metrics.beacons;
    auto refuse = [&](int status, const Error &error) {
        metrics.countError(error.code());
        incoming->respond(status, "application/json", errorBody(error));
    };
    const QJsonDocument body = QJsonDocument::fromJson(request.body());
    const QJsonValue token = body.object().value(QLatin1String("sessionToken"));
    if (!body.isObject() || !token.isString())
        return refuse(400, Error(Error::InvalidArgument, QStringLiteral("the body must be {\"sessionToken\":\"…\"}")));
    m_server->backend().disconnect(
        token.toString(), incoming, [this, incoming, token = token.toString()](const Result<bool> &done) {
            if (!done) {
                m_server->metrics().countError(done.error().code());
                const int status = done.error().code() == Error::Unavailable ? 503 : 400;
                return incoming->respond(status, "application/json", errorBody(done.error()));
            }
            m_server->releaseSession(token);
            incoming->respond(204, {}, {});
        });
}

} // namespace Presence
