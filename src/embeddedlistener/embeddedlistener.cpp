#include "embeddedlistener.h"

#include "embeddedserver_p.h"
#include "server.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QSaveFile>

namespace Presence {

class EmbeddedListenerPrivate
{
public:
    QPointer<EmbeddedServer> embedded;
    std::unique_ptr<Server> server;
    QByteArray secret;
    QString endpointFile;
    QString error;
    int closeGrace = 5000;
};

EmbeddedListener::EmbeddedListener(EmbeddedServer *server)
    : QObject(server)
    , d(std::make_unique<EmbeddedListenerPrivate>())
{
    d->embedded = server;
    if (EmbeddedServerPrivate *p = EmbeddedServerPrivate::get(server))
        p->addServing(this);
}

EmbeddedListener::~EmbeddedListener()
{
    if (d->server)
        QFile::remove(d->endpointFile);
    d->server.reset();
}

void EmbeddedListener::setCloseGrace(int ms)
{
    d->closeGrace = ms;
}

bool EmbeddedListener::listen(quint16 port)
{
    if (d->server)
        return true;
    const EmbeddedServerPrivate *embedded = EmbeddedServerPrivate::get(d->embedded);
    if (!embedded || !embedded->engine()) {
        d->error = QStringLiteral("open() the embedded server first");
        return false;
    }
    // A fresh secret per run: tokens from an earlier run stop working with it.
    QByteArray secret(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(secret.begin(), secret.end());
    secret = secret.toBase64();

    ServerConfig config;
    config.address = QHostAddress::LocalHost;
    config.port = port;
    config.closeGrace = d->closeGrace;
    config.maxConnections = 256;
    config.allowResourceImages = true; // the app's people may be drawn by the app (qrc:)
    auto server = std::make_unique<Server>(config, embedded->engine());
    if (const Result<bool> started = server->start(); !started) {
        d->error = started.error().message();
        return false;
    }
    if (const Result<bool> keyed = server->setHs256Secret(secret); !keyed) {
        d->error = keyed.error().message();
        return false;
    }
    d->server = std::move(server);
    d->secret = secret;
    d->endpointFile = embedded->endpointFile();

    QSaveFile file(d->endpointFile);
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

bool EmbeddedListener::isListening() const
{
    return d->server != nullptr;
}

QUrl EmbeddedListener::url() const
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

QString EmbeddedListener::errorString() const
{
    return d->error;
}

QString EmbeddedListener::mintToken(const QString &userId, const QString &organization, const QString &name,
    const QString &image, int lifetimeSeconds) const
{
    if (!d->server)
        return {};
    return EmbeddedServer::mintToken({url(), d->secret}, userId, organization, name, image, lifetimeSeconds);
}

} // namespace Presence
