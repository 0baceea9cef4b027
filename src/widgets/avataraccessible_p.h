#pragma once

// Not part of the installed API.

#include <QAccessibleInterface>
#include <QPointer>

namespace Presence {

class FacepileWidget;

/// One avatar of a FacepileWidget for assistive technology: a list item named after the person
/// in that place of the pile, described by whether they are here ("Last seen 5 min ago") and
/// their own status. It has no QObject: the pile paints its avatars.
class AvatarAccessible : public QAccessibleInterface
{
public:
    AvatarAccessible(FacepileWidget *pile, int place);

    bool isValid() const override;
    QObject *object() const override;
    QWindow *window() const override;
    QAccessibleInterface *parent() const override;
    QAccessibleInterface *child(int index) const override;
    int childCount() const override;
    int indexOfChild(const QAccessibleInterface *child) const override;
    QAccessibleInterface *childAt(int x, int y) const override;
    QString text(QAccessible::Text t) const override;
    void setText(QAccessible::Text t, const QString &text) override;
    QRect rect() const override;
    QAccessible::Role role() const override;
    QAccessible::State state() const override;

    FacepileWidget *pile() const { return m_pile; }
    int place() const { return m_place; }

private:
    QPointer<FacepileWidget> m_pile;
    int m_place;
};

} // namespace Presence
