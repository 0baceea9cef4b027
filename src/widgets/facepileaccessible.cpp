#include "facepileaccessible_p.h"

#include "avataraccessible_p.h"
#include "facepilewidget.h"
#include "facepilewidget_p.h"
#include "overflowbutton_p.h"

namespace Presence {

FacepileAccessible::FacepileAccessible(FacepileWidget *pile)
    : QAccessibleWidget(pile, QAccessible::List)
{
}

FacepileAccessible::~FacepileAccessible()
{
    for (const QAccessible::Id id : std::as_const(m_avatars))
        QAccessible::deleteAccessibleInterface(id);
}

QAccessibleInterface *FacepileAccessible::create(const QString &key, QObject *object)
{
    if (key == QLatin1String("Presence::FacepileWidget") && object && object->isWidgetType())
        return new FacepileAccessible(static_cast<FacepileWidget *>(object));
    return nullptr;
}

FacepileWidget *FacepileAccessible::pile() const
{
    return static_cast<FacepileWidget *>(widget());
}

int FacepileAccessible::shown() const
{
    return FacepileWidgetPrivate::get(pile())->shown();
}

int FacepileAccessible::childCount() const
{
    return shown() + (FacepileWidgetPrivate::get(pile())->more->isHidden() ? 0 : 1);
}

QAccessibleInterface *FacepileAccessible::child(int index) const
{
    if (index < 0 || index >= childCount())
        return nullptr;
    if (index == shown())
        return QAccessible::queryAccessibleInterface(FacepileWidgetPrivate::get(pile())->more);
    // One interface per place, made when first asked for: the pile paints, it has no children.
    auto it = m_avatars.constFind(index);
    if (it == m_avatars.constEnd())
        it = m_avatars.insert(index, QAccessible::registerAccessibleInterface(new AvatarAccessible(pile(), index)));
    return QAccessible::accessibleInterface(it.value());
}

int FacepileAccessible::indexOfChild(const QAccessibleInterface *child) const
{
    if (!child)
        return -1;
    if (child->object() && child->object() == FacepileWidgetPrivate::get(pile())->more)
        return childCount() > shown() ? shown() : -1;
    if (const auto *avatar = dynamic_cast<const AvatarAccessible *>(child))
        return avatar->pile() == pile() && avatar->place() < shown() ? avatar->place() : -1;
    return -1;
}

QAccessibleInterface *FacepileAccessible::focusChild() const
{
    const FacepileWidgetPrivate *d = FacepileWidgetPrivate::get(pile());
    if (pile()->hasFocus() && d->keyboardFocus && d->current < shown())
        return child(d->current);
    if (d->more->hasFocus())
        return child(shown());
    return nullptr;
}

QAccessibleInterface *FacepileAccessible::childAt(int x, int y) const
{
    const FacepileWidgetPrivate *d = FacepileWidgetPrivate::get(pile());
    const QPoint local = pile()->mapFromGlobal(QPoint(x, y));
    if (!d->more->isHidden() && d->more->geometry().contains(local))
        return child(shown());
    const int avatar = d->avatarAt(local);
    return avatar >= 0 ? child(avatar) : nullptr;
}

} // namespace Presence
