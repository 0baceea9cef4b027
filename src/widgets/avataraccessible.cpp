#include "avataraccessible_p.h"

#include "avatarpainter_p.h"
#include "facepilewidget.h"
#include "facepilewidget_p.h"

#include <QAbstractItemModel>
#include <QWindow>

namespace Presence {

AvatarAccessible::AvatarAccessible(FacepileWidget *pile, int place)
    : m_pile(pile)
    , m_place(place)
{
}

bool AvatarAccessible::isValid() const
{
    return m_pile && m_place < FacepileWidgetPrivate::get(m_pile)->shown();
}

QObject *AvatarAccessible::object() const
{
    return nullptr;
}

QWindow *AvatarAccessible::window() const
{
    return m_pile ? m_pile->window()->windowHandle() : nullptr;
}

QAccessibleInterface *AvatarAccessible::parent() const
{
    return m_pile ? QAccessible::queryAccessibleInterface(m_pile) : nullptr;
}

QAccessibleInterface *AvatarAccessible::child(int) const
{
    return nullptr;
}

int AvatarAccessible::childCount() const
{
    return 0;
}

int AvatarAccessible::indexOfChild(const QAccessibleInterface *) const
{
    return -1;
}

QAccessibleInterface *AvatarAccessible::childAt(int, int) const
{
    return nullptr;
}

QString AvatarAccessible::text(QAccessible::Text t) const
{
    if (!isValid())
        return {};
    const FacepileWidgetPrivate *d = FacepileWidgetPrivate::get(m_pile);
    const AvatarData member = AvatarData::fromIndex(d->model->index(m_place, 0));
    switch (t) {
    case QAccessible::Name:
        return member.displayName();
    case QAccessible::Description:
        return member.statusLine(QDateTime::currentDateTime());
    default:
        return {};
    }
}

void AvatarAccessible::setText(QAccessible::Text, const QString &) { }

QRect AvatarAccessible::rect() const
{
    if (!isValid())
        return {};
    const QRect r = FacepileWidgetPrivate::get(m_pile)->drawnRect(m_place);
    return {m_pile->mapToGlobal(r.topLeft()), r.size()};
}

QAccessible::Role AvatarAccessible::role() const
{
    return QAccessible::ListItem;
}

QAccessible::State AvatarAccessible::state() const
{
    QAccessible::State state;
    if (!isValid()) {
        state.invalid = true;
        return state;
    }
    const FacepileWidgetPrivate *d = FacepileWidgetPrivate::get(m_pile);
    state.focusable = true;
    state.selectable = true;
    state.hasPopup = true; // Enter opens the list of everyone
    state.focused = m_pile->hasFocus() && d->keyboardFocus && d->current == m_place;
    state.selected = state.focused;
    state.invisible = !m_pile->isVisible();
    return state;
}

} // namespace Presence
