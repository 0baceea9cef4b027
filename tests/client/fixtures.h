#pragma once

// Where presence lives for a client test: one test body, two fixtures chosen by
// PRESENCE_TEST_TRANSPORT: embedded (an EmbeddedServer in this process) or remote (the real
// presence-server binary on a loopback port).

#include "client.h"
#include "embeddedserver.h"
#include "embeddedserver_p.h"
#include "engine.h"
#include "protocol.h"
#include "serverprocess.h"
#include "tokensigner.h"
#ifdef PRESENCE_HAVE_EMBEDDED_LISTENER
#include "embeddedlistener.h"
#endif

#include <QDateTime>
#include <QFile>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QTest>
#include <QWebSocket>

#include <memory>

namespace PresenceTest {

using namespace Presence;

const QString Org = QStringLiteral("org_01");
const QByteArray Secret = QByteArrayLiteral("tst_room-secret-tst_room-secret-tst_room");
constexpr int Grace = 500;

/// Where presence lives for a test: in this process, or in a presence-server process.
class Fixture
{
public:
    virtual ~Fixture() = default;
    virtual bool start(const QString &dir) = 0;
    virtual bool remote() const = 0;
    /// A client acting as `user`.
    virtual std::unique_ptr<Client> client(const QString &user, const QString &name = QString()) = 0;
    /// Gives `client` (acting as `user`) a new name.
    virtual void rename(Client *client, const QString &user, const QString &name) = 0;
    /// For another process: a URL and a token for `user`.
    virtual QUrl url() const = 0;
    virtual QString token(const QString &user, qint64 lifetime = 3600) const = 0;
    /// An administrator of the organization kicks `user` out of `roomId`; false if it failed.
    virtual bool kick(const QString &roomId, const QString &user) = 0;
};

class EmbeddedFixture : public Fixture
{
public:
    EmbeddedServer server;

    bool start(const QString &dir) override
    {
        if (!server.open(dir + QStringLiteral("/embedded.db")))
            return false;
#ifdef PRESENCE_HAVE_EMBEDDED_LISTENER
        listener = new EmbeddedListener(&server);
        listener->setCloseGrace(Grace);
        return listener->listen();
#else
        return true;
#endif
    }
    bool remote() const override
    {
        return false;
    }
    std::unique_ptr<Client> client(const QString &user, const QString &name) override
    {
        auto c = std::make_unique<Client>();
        c->setEmbeddedServer(&server, user, Org, name);
        return c;
    }
    void rename(Client *client, const QString &, const QString &name) override
    {
        client->setProfile(name, QString());
    }
    bool kick(const QString &roomId, const QString &user) override
    {
        Identity admin {QStringLiteral("admin"), Org, {}, {}, {}};
        admin.admin = true;
        Engine *engine = EmbeddedServerPrivate::get(&server)->engine();
        return engine && engine->kick(admin, roomId, user);
    }
#ifdef PRESENCE_HAVE_EMBEDDED_LISTENER
    EmbeddedListener *listener = nullptr;
    QUrl url() const override
    {
        return listener->url();
    }
    QString token(const QString &user, qint64 lifetime) const override
    {
        return listener->mintToken(user, Org, QString(), QString(), int(lifetime));
    }
#else
    // Built without the loopback listener: no other process can join.
    QUrl url() const override
    {
        return {};
    }
    QString token(const QString &, qint64) const override
    {
        return {};
    }
#endif
};

class RemoteFixture : public Fixture
{
public:
    ServerProcess server;
    QString dir;
    quint16 port = 0;

    QStringList arguments() const
    {
        return {QStringLiteral("--hs256-secret-file"), dir + QStringLiteral("/dev.secret"), QStringLiteral("--leeway"),
            QStringLiteral("0"), QStringLiteral("--close-grace"), QString::number(Grace)};
    }
    bool start(const QString &directory) override
    {
        dir = directory;
        QFile secret(dir + QStringLiteral("/dev.secret"));
        if (!secret.open(QIODevice::WriteOnly))
            return false;
        secret.write(Secret);
        secret.close();
        if (!server.start(dir + QStringLiteral("/remote.db"), arguments()))
            return false;
        port = server.port();
        return true;
    }
    bool restart()
    {
        if (server.terminate() != 0)
            return false;
        return server.start(dir + QStringLiteral("/remote.db"), arguments(), port);
    }
    bool remote() const override { return true; }
    QString tokenFor(const QString &user, const QString &name, qint64 lifetime) const
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QJsonObject claims {
            {QStringLiteral("sub"), user}, {QStringLiteral("org_id"), Org}, {QStringLiteral("exp"), now + lifetime}};
        if (!name.isEmpty())
            claims.insert(QStringLiteral("name"), name);
        return QString::fromLatin1(TokenSigner::signHs256(claims, Secret));
    }
    std::unique_ptr<Client> client(const QString &user, const QString &name) override
    {
        auto c = std::make_unique<Client>();
        c->setToken(tokenFor(user, name, 3600));
        c->setServerUrl(server.url());
        return c;
    }
    void rename(Client *client, const QString &user, const QString &name) override
    {
        client->setToken(tokenFor(user, name, 3600));
    }
    QUrl url() const override { return server.url(); }
    bool kick(const QString &roomId, const QString &user) override
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QJsonObject claims {{QStringLiteral("sub"), QStringLiteral("admin")}, {QStringLiteral("org_id"), Org},
            {QStringLiteral("exp"), now + 60}, {QStringLiteral("presence_admin"), true}};
        QWebSocket socket;
        QNetworkRequest request(server.url());
        request.setRawHeader("Authorization", "Bearer " + TokenSigner::signHs256(claims, Secret));
        QString answer;
        QObject::connect(&socket, &QWebSocket::textMessageReceived, [&](const QString &text) { answer = text; });
        socket.open(request);
        if (!QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000))
            return false;
        socket.sendTextMessage(QString::fromUtf8(Protocol::kickRequest(1, roomId, user)));
        return QTest::qWaitFor([&] { return !answer.isEmpty(); }, 5000) && answer.contains(QLatin1String("\"result\""));
    }
    QString token(const QString &user, qint64 lifetime) const override { return tokenFor(user, QString(), lifetime); }
};

/// The fixture PRESENCE_TEST_TRANSPORT asks for.
inline std::unique_ptr<Fixture> makeFixture()
{
    if (qgetenv("PRESENCE_TEST_TRANSPORT") == "remote")
        return std::make_unique<RemoteFixture>();
    return std::make_unique<EmbeddedFixture>();
}

} // namespace PresenceTest
