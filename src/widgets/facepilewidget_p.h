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
    // With the ring, 15 % leaves the middle of each disc, where the initials are, clear of the
    // avatar in front: at 28 %, a pile of 30 px cut every initial but the first.
    static constexpr qreal DefaultOverlapRatio = 0.15;
    // How far the hovered avatar, or the one the arrow keys are on, rises; the gap before "+N".
    static constexpr qreal LiftRatio = 0.12;
    static constexpr qreal ChipGapRatio = 0.12;

    explicit FacepileWidgetPrivate(FacepileWidget *q);
    static FacepileWidgetPrivate *get(const FacepileWidget *q) { return q->d.get(); }

    int shown() const;
    int overflow() const;
    int effectiveOverlap() const;
    int lift() const;
    int chipGap() const;
    QColor effectiveRing() const;
    /// Where avatar `i` (0 = first, on top) is drawn when it rests.
    QRect avatarRect(int i) const;
    /// The avatar drawn above the others, risen: the hovered one, else the keyboard's; -1: none.
    int lifted() const;
    /// Where avatar `i` is drawn now: risen when lifted.
    QRect drawnRect(int i) const;
    /// The shown avatar under `position`, the topmost one where they overlap; -1 if none.
    int avatarAt(const QPoint &position) const;
    QString toolTipFor(int row) const;
    /// A summary for assistive technology: who is here, and how many more.
    QString accessibleSummary() const;

    void modelChanged();
    void relayout();
    void showToolTipFor(int row);
    void setHovered(int avatar);
    /// Tells assistive technology that the keyboard is on avatar `current`.
    void announceCurrent();

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
    int hovered = -1; // the avatar under the mouse
    bool keyboardFocus = false; // focus came from the keyboard: show where it is
    QTimer clock; // "Last seen 3 min ago" keeps telling the truth
    OverflowButton *more = nullptr;
    MemberListPopup *popup = nullptr;
};

} // namespace Presence
