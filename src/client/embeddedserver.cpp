#include "embeddedserver.h"

#include "embeddedserver_p.h"
#include "tokensigner.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace Presence {

EmbeddedServer::EmbeddedServer(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<EmbeddedServerPrivate>())
{
}

EmbeddedServer::~EmbeddedServer()
{
    for (const QPointer<QObject> &serving : std::exchange(d->m_serving, {}))
        delete serving.data();
    d->m_engine.reset(); // flushes exact deadlines into the store
    d->m_store.close();
}

QString EmbeddedServer::defaultDatabasePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/presence.db");
}

bool EmbeddedServer::open(const QString &databasePath)
{
    if (d->m_engine)
        return true;
    d->m_path = databasePath.isEmpty() ? defaultDatabasePath() : databasePath;
    const Result<bool> opened = d->m_store.open(d->m_path, SqliteStore::Exclusive);
    if (!opened) {
        d->m_error = opened.error().message();
        return false;
    }
    d->m_engine = std::make_unique<Engine>(&d->m_clock, &d->m_store);
    d->m_engine->setDeadlineWriteFactor(1.25);
    if (const Result<bool> ok = d->m_engine->open(); !ok) {
        d->m_error = ok.error().message();
        d->m_engine.reset();
        d->m_store.close();
        return false;
    }
    return true;
}

bool EmbeddedServer::isOpen() const
{
    return d->m_engine != nullptr;
}

QString EmbeddedServer::databasePath() const
{
    return d->m_path;
}

QString EmbeddedServer::errorString() const
{
    return d->m_error;
}

EmbeddedServer::Endpoint EmbeddedServer::localEndpoint(const QString &databasePath)
{
    QFile file((databasePath.isEmpty() ? defaultDatabasePath() : databasePath) + QStringLiteral(".endpoint"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QJsonObject o = QJsonDocument::fromJson(file.read(4096)).object();
    return {QUrl(o.value(QLatin1String("url")).toString()), o.value(QLatin1String("secret")).toString().toLatin1()};
}

QString EmbeddedServer::mintToken(const Endpoint &endpoint, const QString &userId, const QString &organization,
    const QString &name, const QString &image, int lifetimeSeconds)
{
    if (!endpoint.isValid())
        return {};
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QJsonObject claims {{QStringLiteral("sub"), userId}, {QStringLiteral("org_id"), organization},
        {QStringLiteral("iat"), now}, {QStringLiteral("exp"), now + lifetimeSeconds}};
    if (!name.isEmpty())
        claims.insert(QStringLiteral("name"), name);
    if (!image.isEmpty())
        claims.insert(QStringLiteral("picture"), image);
    return QString::fromLatin1(TokenSigner::signHs256(claims, endpoint.secret));
}

} // namespace Presence
