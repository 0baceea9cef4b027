#pragma once

// A desktop's two D-Bus services that presence-desktop talks to, on a private session bus of the
// test's: a tray host (org.kde.StatusNotifierWatcher) and a notification service
// (org.freedesktop.Notifications). They record what the app asks of them. They answer from the
// test's event loop: the test waits for the app without blocking it (the app's calls are
// synchronous, at start).

#include <QObject>
#include <QStringList>
#include <QVariantMap>

/// The tray host: records the items (tray icons) registered.
class StatusNotifierWatcher : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.kde.StatusNotifierWatcher")
    Q_PROPERTY(bool IsStatusNotifierHostRegistered READ isHostRegistered)
    Q_PROPERTY(int ProtocolVersion READ protocolVersion)
    Q_PROPERTY(QStringList RegisteredStatusNotifierItems READ items)

public:
    bool isHostRegistered() const { return true; }
    int protocolVersion() const { return 0; }
    QStringList items() const;

public Q_SLOTS:
    void RegisterStatusNotifierItem(const QString &service);
    void RegisterStatusNotifierHost(const QString &) { }

Q_SIGNALS:
    void StatusNotifierItemRegistered(const QString &service);
    void StatusNotifierItemUnregistered(const QString &service);
    void StatusNotifierHostRegistered();

private:
    QStringList m_items;
};

/// The notification service: records every notification's summary.
class NotificationService : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    QStringList summaries() const;
    QStringList bodies() const;

public Q_SLOTS:
    uint Notify(const QString &appName, uint replacesId, const QString &appIcon, const QString &summary,
        const QString &body, const QStringList &actions, const QVariantMap &hints, int timeout);
    QStringList GetCapabilities() { return {QStringLiteral("body")}; }
    void CloseNotification(uint) { }
    QString GetServerInformation(QString &vendor, QString &version, QString &specVersion);

Q_SIGNALS:
    void NotificationClosed(uint id, uint reason);
    void ActionInvoked(uint id, const QString &action);

private:
    QStringList m_summaries;
    QStringList m_bodies;
};

/// Both, registered on the bus at `address`.
class DesktopServices
{
public:
    explicit DesktopServices(const QString &address);
    ~DesktopServices();
    bool isRegistered() const { return m_registered; }

    StatusNotifierWatcher watcher;
    NotificationService notifications;

private:
    QString m_connection;
    bool m_registered = false;
};
