#pragma once

#include <QProcess>
#include <QStringList>
#include <QUrl>

/// The real presence-server binary, started on an ephemeral loopback port.
class ServerProcess
{
public:
    ServerProcess() = default;
    ~ServerProcess();

    /// Starts `presence-server --listen 127.0.0.1:0 --database DATABASE ARGS…` and waits for
    /// its "listening on" line. Returns false (see errors()) if it did not come up.
    bool start(const QString &database, const QStringList &arguments, quint16 port = 0);
    quint16 port() const { return m_port; }
    /// The port of --metrics-listen, when given.
    quint16 metricsPort() const { return m_metricsPort; }
    QUrl url(const QString &path = QStringLiteral("/ws")) const;
    qint64 pid() const { return m_process.processId(); }

    /// SIGTERM, then waits for a clean exit; returns the exit code (-1 on timeout or crash).
    int terminate(int timeoutMs = 5000);
    /// SIGKILL: nothing is flushed.
    void kill();
    QByteArray errors();
    QProcess &process() { return m_process; }

    static QString binary();
    /// A command the server is started under, e.g. {"prlimit", "--nofile=48", "--"}.
    void setWrapper(const QStringList &wrapper) { m_wrapper = wrapper; }

private:
    QProcess m_process;
    quint16 m_port = 0;
    quint16 m_metricsPort = 0;
    bool m_tls = false;
    QStringList m_wrapper;
    QByteArray m_stderr;
};
