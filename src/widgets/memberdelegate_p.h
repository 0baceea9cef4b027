#pragma once

// Not part of the installed API.

#include <QStyledItemDelegate>

namespace Presence {

/// A row of the full member list: a small avatar, the name, and "Online now" or
/// "Last seen ..." under it.
class MemberDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    static constexpr int AvatarSize = 28;

    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace Presence
