#pragma once

#include <QIcon>
#include <QObject>
#include <QPointer>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace Presence {

class Client;
class OnlineUsers;

/// presence-desktop in the system tray: who is online in its tooltip ("2 online: Ada Lovelace,
/// Grace Hopper"), a menu to turn notifications on or off and to quit, and the desktop's
/// notifications ("Grace Hopper opened Roadmap 2027"), which Qt sends to the desktop's
/// notification service (org.freedesktop.Notifications on Linux).
class TrayIcon : public QObject
{
    Q_OBJECT

public:
    explicit TrayIcon(QObject *parent = nullptr);
    ~TrayIcon() override;

    /// The app's icon, drawn (two overlapping faces and a green dot) so that it needs no SVG
    /// plugin: for the tray and the windows.
    static QIcon appIcon();

    /// Who is online comes from this client's organization.
    void setClient(Client *client);
    /// The check in the menu; toggling it emits notificationsToggled.
    void setNotificationsEnabled(bool enabled);
    /// Shows a notification through the tray (nothing without a notification service).
    void notify(const QString &title, const QString &message);

    QString toolTip() const;
    bool isVisible() const;

Q_SIGNALS:
    void notificationsToggled(bool enabled);
    void quitRequested();

private:
    void updateToolTip();

    QSystemTrayIcon *m_tray;
    QMenu *m_menu;
    QAction *m_notifications;
    OnlineUsers *m_online;
};

} // namespace Presence
