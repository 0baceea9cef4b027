#include "desktopservices.h"

#include <QDBusConnection>

QStringList StatusNotifierWatcher::items() const
{
    return m_items;
}

void StatusNotifierWatcher::RegisterStatusNotifierItem(const QString &service)
{
    m_items.append(service);
    Q_EMIT StatusNotifierItemRegistered(service);
}

QStringList NotificationService::summaries() const
{
    return m_summaries;
}

QStringList NotificationService::bodies() const
{
    return m_bodies;
}

uint NotificationService::Notify(const QString &, uint, const QString &, const QString &summary, const QString &body,
    const QStringList &, const QVariantMap &, int)
{
    m_summaries.append(summary);
    m_bodies.append(body);
    return uint(m_summaries.size());
}

QString NotificationService::GetServerInformation(QString &vendor, QString &version, QString &specVersion)
{
    vendor = QStringLiteral("Presence tests");
    version = QStringLiteral("1");
    specVersion = QStringLiteral("1.2");
    return QStringLiteral("tst_desktop");
}

DesktopServices::DesktopServices(const QString &address)
    : m_connection(QStringLiteral("desktop-services"))
{
    QDBusConnection bus = QDBusConnection::connectToBus(address, m_connection);
    const auto everything = QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllProperties;
    m_registered = bus.isConnected()
        && bus.registerObject(QStringLiteral("/StatusNotifierWatcher"), &watcher, everything)
        && bus.registerService(QStringLiteral("org.kde.StatusNotifierWatcher"))
        && bus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), &notifications, everything)
        && bus.registerService(QStringLiteral("org.freedesktop.Notifications"));
}

DesktopServices::~DesktopServices()
{
    QDBusConnection::disconnectFromBus(m_connection);
}
