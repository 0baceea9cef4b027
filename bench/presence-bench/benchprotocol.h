// How one presence system is spoken: connect, join, renew, leave, and what a watcher sees.
#pragma once

#include "benchclient.h"

#include <QNetworkRequest>
#include <QSet>
#include <QUrl>

namespace Presence::Bench {

// What a protocol reports back to the worker that drives it.
class BenchEvents
{
public:
    virtual ~BenchEvents() = default;
    virtual void send(BenchClient &client, const QByteArray &message, bool binary) = 0;
    // The client is connected and in its room (as far as its protocol acknowledges it).
    virtual void ready(BenchClient &client) = 0;
    virtual void seen(BenchClient &watcher, const QString &userId, bool online) = 0;
    // The watcher's whole view was replaced, e.g. by a list or a reconnect.
    virtual void replaced(BenchClient &watcher, const QSet<QString> &online) = 0;
    virtual void renewed(BenchClient &client) = 0; // a heartbeat's answer arrived
    virtual void failed(BenchClient &client, const QByteArray &message) = 0;
};

class BenchProtocol
{
public:
    explicit BenchProtocol(BenchEvents *events)
        : m_events(events)
    {
    }
    virtual ~BenchProtocol() = default;

    virtual QNetworkRequest request(const BenchClient &client, const QUrl &base) const = 0;
    virtual void opened(BenchClient &client) = 0; // the WebSocket is open
    virtual void join(BenchClient &client) = 0;
    virtual bool renew(BenchClient &client) = 0; // false if nothing was sent
    virtual void leave(BenchClient &client) = 0;
    virtual void received(BenchClient &client, const QByteArray &message) = 0;
    // The connection dropped; a watcher's view may be cleared, as the system's client library does.
    virtual void closed(BenchClient &client) = 0;
    // What one "renew" and "join" are in this system, for the report.
    virtual QString describe() const = 0;

protected:
    BenchEvents *m_events;
};

} // namespace Presence::Bench
