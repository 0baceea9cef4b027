#pragma once

#include <QObject>
#include <QUrl>

#include <memory>

namespace Presence {

class EmbeddedServer;
class EmbeddedListenerPrivate;

/// Serves an EmbeddedServer's engine to other processes on this machine: WebSocket clients on
/// 127.0.0.1, with tokens signed by a secret made afresh for each run. The endpoint (URL and
/// secret, readable by this OS user only) is written beside the database, where
/// EmbeddedServer::localEndpoint() finds it, and removed when the listener goes.
///
/// This is presence-server's front on loopback, so it brings the server's code with it; the
/// client library does not link it, and an app that wants no listener leaves it out.
class EmbeddedListener : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QUrl url READ url NOTIFY urlChanged)

public:
    /// A child of `server`; it closes before the server's engine does.
    explicit EmbeddedListener(EmbeddedServer *server);
    ~EmbeddedListener() override;

    /// How long a dropped loopback client's sessions wait for it to come back (default 5 s).
    /// Takes effect at listen().
    void setCloseGrace(int ms);

    /// Starts listening on 127.0.0.1 (port 0: any free one). The server must be open.
    /// False (see errorString()) if it cannot.
    bool listen(quint16 port = 0);
    bool isListening() const;
    /// ws://127.0.0.1:PORT/ws while listening.
    QUrl url() const;
    QString errorString() const;

    /// A token for a loopback client acting as this user; empty before listen().
    QString mintToken(const QString &userId, const QString &organization, const QString &name = QString(),
        const QString &image = QString(), int lifetimeSeconds = 24 * 3600) const;

Q_SIGNALS:
    void urlChanged();

private:
    std::unique_ptr<EmbeddedListenerPrivate> d;
};

} // namespace Presence
