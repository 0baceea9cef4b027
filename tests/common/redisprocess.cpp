#include "redisprocess.h"

#include <QDeadlineTimer>
#include <QTcpServer>

#include <csignal>

RedisProcess::RedisProcess() = default;

RedisProcess::~RedisProcess()
{
    if (m_process.state() != QProcess::NotRunning)
        kill();
}

bool RedisProcess::start(const QStringList &arguments)
{
    // A port the system gives now; redis-server takes it a moment later.
    QTcpServer probe;
    if (!m_dir.isValid() || !probe.listen(QHostAddress::LocalHost, 0))
        return false;
    m_port = probe.serverPort();
    probe.close();
    m_arguments = arguments;
    return launch();
}

bool RedisProcess::launch()
{
    m_errors.clear();
    QStringList all {QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
        QStringLiteral("127.0.0.1"), QStringLiteral("--unixsocket"), socketPath(), QStringLiteral("--unixsocketperm"),
        QStringLiteral("700"), QStringLiteral("--dir"), m_dir.path(), QStringLiteral("--save"), QString(),
        QStringLiteral("--daemonize"), QStringLiteral("no"), QStringLiteral("--logfile"), QString()};
    if (!m_arguments.contains(QStringLiteral("--appendonly")))
        all << QStringLiteral("--appendonly") << QStringLiteral("no");
    all += m_arguments;
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(QStringLiteral("redis-server"), all);
    if (!m_process.waitForStarted(5000)) {
        m_errors = m_process.errorString().toUtf8();
        return false;
    }
    QByteArray out;
    QDeadlineTimer deadline(10'000);
    while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
        m_process.waitForReadyRead(100);
        out += m_process.readAll();
        if (out.contains("Ready to accept connections"))
            return true;
    }
    m_errors = out;
    return false;
}

bool RedisProcess::restart()
{
    kill();
    return launch();
}

void RedisProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    resume();
    m_process.kill();
    m_process.waitForFinished(5000);
}

void RedisProcess::pause()
{
    ::kill(pid_t(m_process.processId()), SIGSTOP);
}

void RedisProcess::resume()
{
    ::kill(pid_t(m_process.processId()), SIGCONT);
}

QString RedisProcess::url() const
{
    return QStringLiteral("redis://127.0.0.1:%1").arg(m_port);
}

QString RedisProcess::unixUrl() const
{
    return QStringLiteral("unix://") + socketPath();
}

QString RedisProcess::socketPath() const
{
    return m_dir.filePath(QStringLiteral("redis.sock"));
}

QByteArray RedisProcess::cli(const QStringList &arguments) const
{
    QProcess process;
    process.start(QStringLiteral("redis-cli"), QStringList {QStringLiteral("-s"), socketPath()} + arguments);
    process.waitForFinished(10'000);
    return process.readAllStandardOutput().trimmed();
}
