#pragma once

#include "presenceclient_export.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace Presence {

class EmbeddedServerPrivate;

/// The presence engine inside the app: SQLite in the app's data directory, no network. A
/// Client given this server (Client::setEmbeddedServer()) heartbeats and watches rooms in
/// this process.
///
/// Other processes on this machine may join the same rooms when the app also listens on
/// loopback (the optional EmbeddedListener of presence-desktop). It publishes its endpoint
/// beside the database; localEndpoint() finds it and mintToken() makes tokens for it.
class PRESENCECLIENT_EXPORT EmbeddedServer : public QObject
{
    Q_OBJECT

public:
    /// Nothing opened yet: call open().
    explicit EmbeddedServer(QObject *parent = nullptr);
    /// Writes what is left (exact deadlines) to the database and closes it.
    ~EmbeddedServer() override;

    /// Opens or creates the database; by default `presence.db` in
    /// QStandardPaths::AppLocalDataLocation. False (see errorString()) if it cannot, e.g.
    /// because another process has it open.
    bool open(const QString &databasePath = QString());
    /// Whether open() succeeded.
    bool isOpen() const;
    /// The database open() opened.
    QString databasePath() const;
    /// Why open() failed.
    QString errorString() const;

    /// Where a process serving this database on loopback can be reached, and the secret
    /// that signs tokens for it.
    struct Endpoint
    {
        QUrl url; ///< ws://127.0.0.1:PORT/ws
        QByteArray secret; ///< signs the tokens this endpoint accepts (HS256)
        /// Both are there.
        bool isValid() const { return url.isValid() && !secret.isEmpty(); }
    };
    /// The endpoint another process published for `databasePath` (default path as open()).
    static Endpoint localEndpoint(const QString &databasePath = QString());
    /// A token for an endpoint found with localEndpoint(), acting as this user.
    static QString mintToken(const Endpoint &endpoint, const QString &userId, const QString &organization,
        const QString &name = QString(), const QString &image = QString(), int lifetimeSeconds = 24 * 3600);

    /// `presence.db` in QStandardPaths::AppLocalDataLocation.
    static QString defaultDatabasePath();

private:
    friend class EmbeddedServerPrivate;
    std::unique_ptr<EmbeddedServerPrivate> d;
};

} // namespace Presence
