#pragma once

// Not part of the installed API.

#include <QStyledItemDelegate>

namespace Presence {

/// A row of the full member list: a small avatar, the name, and "Online now" or
/// "Last seen ..." under it. The first row of the online and of the gone carries its heading
/// above it, "Here now" or "Recently here" (the model lists the online first).
class MemberDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    static constexpr int AvatarSize = 28;

    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    /// The heading above the row at `index`, or empty when it continues the one above it.
    static QString headingFor(const QModelIndex &index);
};

} // namespace Presence
