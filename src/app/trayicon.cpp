#include "trayicon.h"

#include "onlineusers.h"

#include <QAction>
#include <QMenu>
#include <QPainter>
#include <QSystemTrayIcon>

namespace Presence {

TrayIcon::TrayIcon(QObject *parent)
    : QObject(parent)
    , m_tray(new QSystemTrayIcon(appIcon(), this))
    , m_menu(new QMenu)
    , m_notifications(m_menu->addAction(tr("&Notify Me When Someone Opens My Documents")))
    , m_online(new OnlineUsers(this))
{
    m_notifications->setCheckable(true);
    connect(m_notifications, &QAction::toggled, this, &TrayIcon::notificationsToggled);
    m_menu->addSeparator();
    connect(m_menu->addAction(tr("&Quit")), &QAction::triggered, this, &TrayIcon::quitRequested);
    m_tray->setContextMenu(m_menu);
    // Who is online: the tooltip follows the organization's list.
    connect(m_online, &QAbstractItemModel::modelReset, this, &TrayIcon::updateToolTip);
    connect(m_online, &QAbstractItemModel::rowsInserted, this, &TrayIcon::updateToolTip);
    connect(m_online, &QAbstractItemModel::rowsRemoved, this, &TrayIcon::updateToolTip);
    connect(m_online, &QAbstractItemModel::dataChanged, this, &TrayIcon::updateToolTip);
    updateToolTip();
    m_tray->show();
}

TrayIcon::~TrayIcon()
{
    delete m_menu;
}

QIcon TrayIcon::appIcon()
{
    // resources/icons/presence-desktop.svg, drawn at the sizes trays and title bars ask for.
    QIcon icon;
    for (const int size : {16, 22, 24, 32, 48, 64, 128}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.scale(size / 128.0, size / 128.0);
        const QColor frame(0x1f, 0x29, 0x37);
        painter.setPen(Qt::NoPen);
        painter.setBrush(frame);
        painter.drawRoundedRect(QRectF(8, 8, 112, 112), 26, 26);
        const auto face = [&](qreal x, const QColor &disc, const QColor &person) {
            painter.setPen(QPen(frame, 6));
            painter.setBrush(disc);
            painter.drawEllipse(QPointF(x, 64), 28, 28);
            painter.setPen(Qt::NoPen);
            painter.setBrush(person);
            painter.drawEllipse(QPointF(x, 57), 9, 9);
            painter.drawChord(QRectF(x - 17, 69, 34, 26), 0, 180 * 16);
        };
        face(88, QColor(0x00, 0x83, 0x8f), QColor(0xe0, 0xf7, 0xfa));
        face(52, QColor(0xf5, 0x7c, 0x00), QColor(0xff, 0xf3, 0xe0));
        painter.setPen(QPen(frame, 4));
        painter.setBrush(QColor(0x2e, 0x9d, 0x48));
        painter.drawEllipse(QPointF(72, 86), 8, 8);
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

void TrayIcon::setClient(Client *client)
{
    m_online->setClient(client);
}

void TrayIcon::setNotificationsEnabled(bool enabled)
{
    const QSignalBlocker blocker(m_notifications);
    m_notifications->setChecked(enabled);
}

void TrayIcon::notify(const QString &title, const QString &message)
{
    m_tray->showMessage(title, message, appIcon(), 8000);
}

QString TrayIcon::toolTip() const
{
    return m_tray->toolTip();
}

bool TrayIcon::isVisible() const
{
    return m_tray->isVisible() && QSystemTrayIcon::isSystemTrayAvailable();
}

void TrayIcon::updateToolTip()
{
    // The first ten by name; a tooltip is no place for an organization of thousands.
    constexpr int Named = 10;
    const int count = m_online->rowCount();
    QStringList names;
    for (int row = 0; row < std::min(count, Named); ++row)
        names.append(m_online->index(row).data(Qt::DisplayRole).toString());
    if (count > Named)
        names.append(tr("and %n more", nullptr, count - Named));
    const QString who = count == 0 ? tr("Nobody is online")
                                   : tr("%n online: %1", nullptr, count).arg(names.join(QStringLiteral(", ")));
    m_tray->setToolTip(QStringLiteral("Presence\n") + who);
}

} // namespace Presence
