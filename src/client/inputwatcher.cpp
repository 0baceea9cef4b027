#include "inputwatcher_p.h"

#include <QCoreApplication>
#include <QEvent>
#include <QWindow>

namespace Presence {

InputWatcher::InputWatcher(QObject *parent)
    : QObject(parent)
{
    if (QCoreApplication *app = QCoreApplication::instance())
        app->installEventFilter(this);
}

InputWatcher::~InputWatcher()
{
    if (QCoreApplication *app = QCoreApplication::instance())
        app->removeEventFilter(this);
}

bool InputWatcher::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
    case QEvent::TouchUpdate:
    case QEvent::TabletPress:
    case QEvent::TabletMove:
        // A window sees its input first (then its items or widgets do): counted once, there.
        if (watched->isWindowType() && (!m_window || watched == m_window))
            Q_EMIT input();
        break;
    default:
        break;
    }
    return false;
}

} // namespace Presence
