#pragma once

#include <QJsonArray>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <map>
#include <memory>

#include "client.h"
#include "signin.h"

#include <QQuickWindow>

namespace Presence {

class EmbeddedServer;
class JoinNotifier;
class TrayIcon;

/// presence-desktop's side of things: where presence lives (embedded, another local
/// instance's embedded server, or a remote presence-server), the demo people and documents,
/// and a client per person so each window can be someone else.
class AppController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("created by presence-desktop")
    Q_PROPERTY(QVariantList people READ people CONSTANT)
    Q_PROPERTY(QVariantList documents READ documents CONSTANT)
    Q_PROPERTY(QString where READ where CONSTANT)
    Q_PROPERTY(int firstPerson READ firstPerson CONSTANT)
    /// Whether windows act as the demo people (embedded, or another instance's embedded server);
    /// false on a team's presence-server, where every window is the user of the token.
    Q_PROPERTY(bool demoPeople READ demoPeople CONSTANT)
    /// On a team's server without --token: the sign-in at the organization's identity
    /// provider; null otherwise.
    Q_PROPERTY(Presence::SignIn *signIn READ signIn CONSTANT)
    /// Desktop notifications when someone opens a document the user has open (off by default,
    /// remembered in QSettings).
    Q_PROPERTY(bool notificationsEnabled READ notificationsEnabled WRITE setNotificationsEnabled NOTIFY
            notificationsEnabledChanged)

public:
    struct Options
    {
        QUrl server; ///< remote presence-server; empty: embedded
        QString token; ///< for the remote server; empty: sign in at `issuer`
        QUrl issuer; ///< the identity provider to sign in at; empty: the one remembered
        QString clientId; ///< this app's client id there; empty: the one remembered
        QString database; ///< embedded database; empty: the default place
        int person = -1; ///< demo person of the first window; -1: the first free one
    };

    explicit AppController(const Options &options, QObject *parent = nullptr);
    ~AppController() override;

    /// Opens the embedded server, or finds the one another instance serves on loopback.
    bool start(QString *error);

    QVariantList people() const;
    QVariantList documents() const;
    QString where() const { return m_where; }
    int firstPerson() const { return m_firstPerson; }
    bool demoPeople() const { return !isRemote(); }
    SignIn *signIn() const { return m_signIn; }
    /// Remembers the identity provider and client id (QSettings) and signs in there.
    Q_INVOKABLE void signInAt(const QUrl &issuer, const QString &clientId);

    /// The client acting as demo person `person` (made on first use, kept for the app's life);
    /// on a team's server, the one client of the token's user whatever `person` says.
    Q_INVOKABLE Presence::Client *clientFor(int person);
    /// Windows report themselves so automation can find their facepiles, and notifications
    /// watch their rooms.
    Q_INVOKABLE void registerWindow(QQuickWindow *window, QObject *presence, int person);

    bool notificationsEnabled() const;
    void setNotificationsEnabled(bool enabled);
    /// Puts the app in the system tray (who is online; notifications go through it).
    void enableTray();

    /// Reads commands from stdin (new-window, state, minimize N, restore N, sign-out, quit) and answers
    /// on stdout: for end-to-end tests.
    void enableAutomation();

Q_SIGNALS:
    void newWindowRequested();
    void notificationsEnabledChanged();

private:
    bool isRemote() const { return !m_options.server.isEmpty(); }
    void startSignIn();
    void command(const QByteArray &line);
    QJsonArray state() const;

    Options m_options;
    std::unique_ptr<EmbeddedServer> m_embedded;
    QUrl m_loopback; // another instance's embedded server
    QByteArray m_loopbackSecret;
    QString m_where;
    int m_firstPerson = 0;
    std::map<int, std::unique_ptr<Client>> m_clients;
    struct Window
    {
        QPointer<QQuickWindow> window;
        QPointer<QObject> presence;
        int person;
    };
    QList<Window> m_windows;
    SignIn *m_signIn = nullptr;
    JoinNotifier *m_notifier = nullptr;
    TrayIcon *m_tray = nullptr;
    QStringList m_notified; // the last notifications, for automation
};

} // namespace Presence
