#pragma once

#include "presenceclient_export.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace Presence {

class Engine;
class EmbeddedServerPrivate;

/// The presence engine inside the app: SQLite in the app's data directory, no network.
/// Optionally it also listens on loopback, so other processes on this machine (a second
/// instance of the app) join the same rooms with tokens from mintToken().
class PRESENCECLIENT_EXPORT EmbeddedServer : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QUrl url READ url NOTIFY urlChanged)

public:
    explicit EmbeddedServer(QObject *parent = nullptr);
    ~EmbeddedServer() override;

    /// Opens or creates the database; by default `presence.db` in
    /// QStandardPaths::AppLocalDataLocation. False (see errorString()) if it cannot, e.g.
    /// because another process has it open.
    bool open(const QString &databasePath = QString());
    bool isOpen() const;
    QString databasePath() const;
    QString errorString() const;

    /// Also serves WebSocket clients on 127.0.0.1 (port 0: any free one). Writes the
    /// endpoint (URL and a per-run secret, readable by this OS user only) beside the
    /// database, where localEndpoint() finds it. Returns false on failure.
    bool listen(quint16 port = 0);
    /// ws://127.0.0.1:PORT/ws while listening.
    QUrl url() const;

    /// How long a dropped loopback client's sessions wait for it to come back (default 5 s).
    void setCloseGrace(int ms);

    /// A token for a loopback client acting as this user.
    QString mintToken(const QString &userId, const QString &organization, const QString &name = QString(),
        const QString &image = QString(), int lifetimeSeconds = 24 * 3600) const;

    struct Endpoint
    {
        QUrl url;
        QByteArray secret;
        bool isValid() const { return url.isValid() && !secret.isEmpty(); }
    };
    /// The endpoint another process published for `databasePath` (default path as open()).
    static Endpoint localEndpoint(const QString &databasePath = QString());
    /// A token for an endpoint found with localEndpoint().
    static QString mintToken(const Endpoint &endpoint, const QString &userId, const QString &organization,
        const QString &name = QString(), const QString &image = QString(), int lifetimeSeconds = 24 * 3600);

    static QString defaultDatabasePath();

    /// The engine, for code in this process (Client uses it).
    Engine *engine() const;

Q_SIGNALS:
    void urlChanged();

private:
    std::unique_ptr<EmbeddedServerPrivate> d;
};

} // namespace Presence
