#pragma once

// Not part of the installed API.

#include "facepilewidget.h"

#include <QPointer>
#include <QTimer>

class QAbstractItemModel;

namespace Presence {

class MemberListPopup;
class OverflowButton;

class FacepileWidgetPrivate
{
public:
    static constexpr int Margin = 2; // room for the ring around the avatars
    static constexpr qreal DefaultOverlapRatio = 0.28;

    explicit FacepileWidgetPrivate(FacepileWidget *q);

    int shown() const;
    int overflow() const;
    int effectiveOverlap() const;
    QColor effectiveRing() const;
    /// Where avatar `i` (0 = first, on top) is drawn.
    QRect avatarRect(int i) const;
    /// The shown avatar under `position`, the topmost one where they overlap; -1 if none.
    int avatarAt(const QPoint &position) const;
    QString toolTipFor(int row) const;
    /// A summary for assistive technology: who is here, and how many more.
    QString accessibleSummary() const;

    void modelChanged();
    void relayout();
    void showToolTipFor(int row);

    FacepileWidget *q;
    QPointer<QAbstractItemModel> model;
    QList<QMetaObject::Connection> connections;
    int avatarSize = 32;
    int overlap = -1; // -1: DefaultOverlapRatio of the size
    int maxVisible = 5;
    QColor ringColor; // invalid: the palette's window colour
    int rows = 0; // in the model
    int totalCount = -1;
    int count = 0; // in the room: rows, or totalCount when more
    int current = 0; // the avatar the arrow keys are on
    bool keyboardFocus = false; // focus came from the keyboard: show where it is
    QTimer clock; // "Last seen 3 min ago" keeps telling the truth
    OverflowButton *more = nullptr;
    MemberListPopup *popup = nullptr;
};

} // namespace Presence
