#include "serverprocess.h"

#include <QDeadlineTimer>
#include <QRegularExpression>

#include <csignal>

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning)
        kill();
}

QString ServerProcess::binary()
{
    // Another build's server (an older one, to see a test fail on it) can be named instead.
    const QString other = qEnvironmentVariable("PRESENCE_TEST_SERVER_BINARY");
#ifdef PRESENCE_SERVER_BINARY
    return other.isEmpty() ? QStringLiteral(PRESENCE_SERVER_BINARY) : other;
#else
    return other; // a build without the server
#endif
}

bool ServerProcess::start(const QString &database, const QStringList &arguments, quint16 port)
{
    m_port = 0;
    m_metricsPort = 0;
    m_stderr.clear();
    m_tls = arguments.contains(QStringLiteral("--tls-cert"));
    QStringList all {
        QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--database"), database};
    all += arguments;
    if (m_wrapper.isEmpty())
        m_process.start(binary(), all);
    else
        m_process.start(m_wrapper.constFirst(), m_wrapper.mid(1) + QStringList {binary()} + all);
    if (!m_process.waitForStarted(5000))
        return false;
    const QRegularExpression listening(QStringLiteral("listening on wss?://127\\.0\\.0\\.1:(\\d+)/ws"));
    QByteArray out;
    QDeadlineTimer deadline(10'000);
    while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
        m_process.waitForReadyRead(100);
        out += m_process.readAllStandardOutput();
        const auto match = listening.match(QString::fromUtf8(out));
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            if (!arguments.contains(QStringLiteral("--metrics-listen")))
                return true;
            const QRegularExpression metrics(QStringLiteral("metrics on http://[^:]+:(\\d+)/metrics"));
            const auto found = metrics.match(QString::fromUtf8(out));
            if (found.hasMatch()) {
                m_metricsPort = quint16(found.captured(1).toUInt());
                return true;
            }
        }
    }
    m_stderr += m_process.readAllStandardError();
    return false;
}

QUrl ServerProcess::url(const QString &path) const
{
    QUrl url;
    url.setScheme(m_tls ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_port);
    url.setPath(path);
    return url;
}

int ServerProcess::terminate(int timeoutMs)
{
    ::kill(pid_t(m_process.processId()), SIGTERM);
    if (!m_process.waitForFinished(timeoutMs))
        return -1;
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

void ServerProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(5000);
}

QByteArray ServerProcess::errors()
{
    m_stderr += m_process.readAllStandardError();
    return m_stderr;
}
