#pragma once

// Not part of the installed API.

#include <QAccessibleWidget>
#include <QHash>

namespace Presence {

class FacepileWidget;

/// What assistive technology sees of a FacepileWidget: a list named after who is here, whose
/// items are its avatars (AvatarAccessible, one per place in the pile), then the "+N" button.
class FacepileAccessible : public QAccessibleWidget
{
public:
    explicit FacepileAccessible(FacepileWidget *pile);
    ~FacepileAccessible() override;

    /// The factory for QAccessible::installFactory.
    static QAccessibleInterface *create(const QString &key, QObject *object);

    int childCount() const override;
    QAccessibleInterface *child(int index) const override;
    int indexOfChild(const QAccessibleInterface *child) const override;
    QAccessibleInterface *focusChild() const override;
    QAccessibleInterface *childAt(int x, int y) const override;

private:
    FacepileWidget *pile() const;
    int shown() const;

    mutable QHash<int, QAccessible::Id> m_avatars; // place in the pile → its registered interface
};

} // namespace Presence
