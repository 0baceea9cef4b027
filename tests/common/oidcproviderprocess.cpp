#include "oidcproviderprocess.h"

#include <QDeadlineTimer>
#include <QDebug>
#include <QFile>
#include <QJsonDocument>

OidcProviderProcess::~OidcProviderProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(3000))
            m_process.kill();
    }
}

bool OidcProviderProcess::isInstalled()
{
    return QFile::exists(QStringLiteral(PRESENCE_OIDC_PROVIDER_MODULES));
}

bool OidcProviderProcess::start()
{
    m_process.start(QStringLiteral("node"), {QStringLiteral(PRESENCE_OIDC_PROVIDER)});
    if (!m_process.waitForStarted(10000))
        return false;
    const QByteArray line = readLine(15000);
    if (!line.startsWith("ready ")) {
        qWarning() << "provider:" << line << m_process.readAllStandardError();
        return false;
    }
    m_issuer = QString::fromLatin1(line.mid(6));
    return true;
}

QByteArray OidcProviderProcess::command(const QByteArray &line)
{
    m_process.write(line + '\n');
    return readLine(10000);
}

QByteArray OidcProviderProcess::token(const QString &user, const QString &organization, const QJsonObject &extra)
{
    QJsonObject claims {{QStringLiteral("sub"), user}, {QStringLiteral("org_id"), organization}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        claims.insert(it.key(), it.value());
    const QByteArray answer = command("token " + QJsonDocument(claims).toJson(QJsonDocument::Compact));
    return answer.startsWith("token ") ? answer.mid(6) : QByteArray();
}

int OidcProviderProcess::hits()
{
    return command("jwks-hits").mid(10).toInt();
}

QByteArray OidcProviderProcess::readLine(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!m_process.canReadLine() && !deadline.hasExpired() && m_process.state() == QProcess::Running)
        m_process.waitForReadyRead(50);
    return m_process.readLine().trimmed();
}
