#pragma once

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

/// A redis-server of the test's own (never the system's), on a free loopback port and a unix
/// socket in a temporary directory, without persistence unless asked for.
class RedisProcess
{
public:
    RedisProcess();
    ~RedisProcess();

    /// Starts redis-server with `arguments` added (e.g. {"--appendonly", "yes"}) and waits until
    /// it accepts connections. Returns false (see errors()) if it did not come up.
    bool start(const QStringList &arguments = {});
    /// SIGKILL, then the same server again on the same port, socket and directory (with
    /// --appendonly yes it reads its data back).
    bool restart();
    void kill();
    /// SIGSTOP / SIGCONT: a Redis that hangs.
    void pause();
    void resume();

    quint16 port() const { return m_port; }
    QString url() const;
    QString unixUrl() const;
    QString socketPath() const;
    QString directory() const { return m_dir.path(); }
    /// Runs redis-cli with `arguments` on this server and returns its output, trimmed.
    QByteArray cli(const QStringList &arguments) const;
    QByteArray errors() const { return m_errors; }

private:
    bool launch();

    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QStringList m_arguments;
    QByteArray m_errors;
};
