#pragma once

// Not part of the installed API: what the client library's transports and the optional
// loopback listener reach inside an EmbeddedServer.

#include "embeddedserver.h"
#include "engine.h"
#include "sqlitestore.h"
#include "systemclock.h"

#include <QPointer>

namespace Presence {

class EmbeddedServerPrivate
{
public:
    static EmbeddedServerPrivate *get(const EmbeddedServer *server) { return server ? server->d.get() : nullptr; }

    /// The engine while the database is open.
    Engine *engine() const { return m_engine.get(); }
    QString path() const { return m_path; }
    /// The file beside the database where a loopback listener publishes its endpoint.
    QString endpointFile() const { return m_path + QStringLiteral(".endpoint"); }

    /// Something serving this engine to others (a loopback listener): it goes before the
    /// engine does, since it holds the engine.
    void addServing(QObject *server) { m_serving.append(server); }

private:
    friend class EmbeddedServer;
    SystemClock m_clock;
    SqliteStore m_store;
    std::unique_ptr<Engine> m_engine;
    QList<QPointer<QObject>> m_serving;
    QString m_path;
    QString m_error;
};

} // namespace Presence
