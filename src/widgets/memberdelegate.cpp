#include "memberdelegate_p.h"

#include "avatarpainter_p.h"

#include <QApplication>
#include <QPainter>

namespace Presence {

namespace {
constexpr int Padding = 6;
constexpr int Spacing = 10;
} // namespace

namespace {

QFont headingFont(const QFont &font)
{
    QFont heading = font;
    heading.setWeight(QFont::DemiBold);
    heading.setCapitalization(QFont::AllUppercase);
    heading.setPointSizeF(font.pointSizeF() > 0 ? font.pointSizeF() * 0.8 : 8);
    return heading;
}

int headingHeight(const QFont &font)
{
    return QFontMetrics(headingFont(font)).height() + 12;
}

} // namespace

QString MemberDelegate::headingFor(const QModelIndex &index)
{
    if (!index.isValid())
        return {};
    const bool online = AvatarData::isOnline(index);
    if (index.row() > 0 && AvatarData::isOnline(index.siblingAtRow(index.row() - 1)) == online)
        return {};
    return online ? tr("Here now") : tr("Recently here");
}

void MemberDelegate::paint(QPainter *painter, const QStyleOptionViewItem &original, const QModelIndex &index) const
{
    QStyleOptionViewItem option = original;
    const QString heading = headingFor(index);
    if (!heading.isEmpty()) {
        const QRect headingRect(option.rect.left(), option.rect.top(), option.rect.width(), headingHeight(option.font));
        painter->save();
        painter->setFont(headingFont(option.font));
        painter->setPen(option.palette.color(QPalette::Text));
        painter->setOpacity(0.65);
        painter->drawText(headingRect.adjusted(Padding + 2, 4, -Padding, 0), Qt::AlignLeft | Qt::AlignVCenter, heading);
        painter->restore();
        option.rect.setTop(headingRect.bottom() + 1); // the row itself, selectable, below it
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    opt.icon = QIcon();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget); // the row's background

    const AvatarData member = AvatarData::fromIndex(index);
    const QRectF avatar(
        option.rect.left() + Padding, option.rect.center().y() - AvatarSize / 2.0 + 0.5, AvatarSize, AvatarSize);
    const QColor background = option.palette.color(QPalette::Base);
    AvatarPainter::paint(painter, avatar, member, AvatarPainter::imageFor(member.image), background, false);

    const bool selected = option.state & QStyle::State_Selected;
    const QColor text = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const int left = int(avatar.right()) + Spacing;
    const QRect textRect(
        left, option.rect.top() + Padding, option.rect.right() - left - Padding, option.rect.height() - 2 * Padding);
    QFont nameFont = option.font;
    nameFont.setWeight(QFont::DemiBold);
    QFont statusFont = option.font;
    statusFont.setPointSizeF(option.font.pointSizeF() > 0 ? option.font.pointSizeF() * 0.85 : 8);
    const QFontMetrics nameMetrics(nameFont);
    painter->save();
    painter->setPen(text);
    painter->setFont(nameFont);
    painter->drawText(textRect, Qt::AlignLeft | Qt::AlignTop,
        nameMetrics.elidedText(member.displayName(), Qt::ElideRight, textRect.width()));
    painter->setFont(statusFont);
    painter->setOpacity(0.7);
    painter->drawText(textRect.adjusted(0, nameMetrics.height(), 0, 0), Qt::AlignLeft | Qt::AlignTop,
        QFontMetrics(statusFont)
            .elidedText(member.statusLine(QDateTime::currentDateTime()), Qt::ElideRight, textRect.width()));
    painter->restore();
}

QSize MemberDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const int text = QFontMetrics(option.font).height() * 2;
    const int heading = headingFor(index).isEmpty() ? 0 : headingHeight(option.font);
    return {240, std::max(AvatarSize, text) + 2 * Padding + heading};
}

} // namespace Presence
