#include "embeddedserver.h"

#include "engine.h"
#include "jwtverifier.h"
#include "server.h"
#include "sqlitestore.h"
#include "systemclock.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QStandardPaths>

namespace Presence {

class EmbeddedServerPrivate
{
public:
    SystemClock clock;
    SqliteStore store;
    std::unique_ptr<Engine> engine;
    std::unique_ptr<Server> server;
    QByteArray secret;
    QString path;
    QString error;
    int closeGrace = 5000;

    QString endpointFile() const { return path + QStringLiteral(".endpoint"); }
};

namespace {

QString tokenFor(const QByteArray &secret, const QString &userId, const QString &organization, const QString &name,
    const QString &image, int lifetimeSeconds)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QJsonObject claims {{QStringLiteral("sub"), userId}, {QStringLiteral("org_id"), organization},
        {QStringLiteral("iat"), now}, {QStringLiteral("exp"), now + lifetimeSeconds}};
    if (!name.isEmpty())
        claims.insert(QStringLiteral("name"), name);
    if (!image.isEmpty())
        claims.insert(QStringLiteral("picture"), image);
    return QString::fromLatin1(JwtVerifier::signHs256(claims, secret));
}

} // namespace

EmbeddedServer::EmbeddedServer(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<EmbeddedServerPrivate>())
{
}

EmbeddedServer::~EmbeddedServer()
{
    if (d->server) {
        QFile::remove(d->endpointFile());
        d->server.reset();
    }
    d->engine.reset(); // flushes exact deadlines into the store
    d->store.close();
}

QString EmbeddedServer::defaultDatabasePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/presence.db");
}

bool EmbeddedServer::open(const QString &databasePath)
{
    if (d->engine)
        return true;
    d->path = databasePath.isEmpty() ? defaultDatabasePath() : databasePath;
    const Result<bool> opened = d->store.open(d->path, SqliteStore::Exclusive);
    if (!opened) {
        d->error = opened.error().message();
        return false;
    }
    d->engine = std::make_unique<Engine>(&d->clock, &d->store);
    d->engine->setDeadlineWriteFactor(1.25);
    if (const Result<bool> ok = d->engine->open(); !ok) {
        d->error = ok.error().message();
        d->engine.reset();
        d->store.close();
        return false;
    }
    return true;
}

bool EmbeddedServer::isOpen() const
{
    return d->engine != nullptr;
}

QString EmbeddedServer::databasePath() const
{
    return d->path;
}

QString EmbeddedServer::errorString() const
{
    return d->error;
}

Engine *EmbeddedServer::engine() const
{
    return d->engine.get();
}

void EmbeddedServer::setCloseGrace(int ms)
{
    d->closeGrace = ms;
}

bool EmbeddedServer::listen(quint16 port)
{
    if (!d->engine) {
        d->error = QStringLiteral("open() the embedded server first");
        return false;
    }
    if (d->server)
        return true;
    // A fresh secret per run: tokens from an earlier run stop working with it.
    d->secret = QByteArray(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(d->secret.begin(), d->secret.end());
    d->secret = d->secret.toBase64();

    ServerConfig config;
    config.address = QHostAddress::LocalHost;
    config.port = port;
    config.closeGrace = d->closeGrace;
    config.maxConnections = 256;
    config.allowResourceImages = true; // the app's people may be drawn by the app (qrc:)
    auto server = std::make_unique<Server>(config, d->engine.get());
    if (const Result<bool> started = server->start(); !started) {
        d->error = started.error().message();
        return false;
    }
    if (const Result<bool> keyed = server->setHs256Secret(d->secret); !keyed) {
        d->error = keyed.error().message();
        return false;
    }
    d->server = std::move(server);

    QSaveFile file(d->endpointFile());
    if (file.open(QIODevice::WriteOnly)) {
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        file.write(QJsonDocument(QJsonObject {{QStringLiteral("url"), url().toString()},
                                     {QStringLiteral("secret"), QString::fromLatin1(d->secret)}})
                       .toJson(QJsonDocument::Compact));
        file.commit();
    }
    Q_EMIT urlChanged();
    return true;
}

QUrl EmbeddedServer::url() const
{
    if (!d->server)
        return {};
    QUrl url;
    url.setScheme(QStringLiteral("ws"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(d->server->port());
    url.setPath(QStringLiteral("/ws"));
    return url;
}

QString EmbeddedServer::mintToken(const QString &userId, const QString &organization, const QString &name,
    const QString &image, int lifetimeSeconds) const
{
    if (d->secret.isEmpty())
        return {};
    return tokenFor(d->secret, userId, organization, name, image, lifetimeSeconds);
}

EmbeddedServer::Endpoint EmbeddedServer::localEndpoint(const QString &databasePath)
{
    QFile file((databasePath.isEmpty() ? defaultDatabasePath() : databasePath) + QStringLiteral(".endpoint"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
    return {QUrl(o.value(QLatin1String("url")).toString()), o.value(QLatin1String("secret")).toString().toLatin1()};
}

QString EmbeddedServer::mintToken(const Endpoint &endpoint, const QString &userId, const QString &organization,
    const QString &name, const QString &image, int lifetimeSeconds)
{
    if (!endpoint.isValid())
        return {};
    return tokenFor(endpoint.secret, userId, organization, name, image, lifetimeSeconds);
}

} // namespace Presence
