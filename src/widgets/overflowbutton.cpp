#include "overflowbutton_p.h"

#include <QPainter>
#include <QStyleOptionFocusRect>

namespace Presence {

OverflowButton::OverflowButton(QWidget *parent)
    : QAbstractButton(parent)
{
    setObjectName(QStringLiteral("more"));
    setFocusPolicy(Qt::TabFocus);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Show everyone"));
}

void OverflowButton::setCount(int count)
{
    m_count = count;
    setText(QStringLiteral("+%1").arg(count));
    setAccessibleName(tr("%n more people", nullptr, count));
    update();
}

void OverflowButton::setDiameter(int diameter)
{
    m_diameter = diameter;
    setFixedSize(diameter, diameter);
    updateGeometry();
}

QSize OverflowButton::sizeHint() const
{
    return {m_diameter, m_diameter};
}

void OverflowButton::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF circle = QRectF(rect()).adjusted(1, 1, -1, -1);
    QColor fill = palette().color(QPalette::Button);
    if (isDown())
        fill = fill.darker(115);
    else if (underMouse())
        fill = fill.lighter(105);
    painter.setPen(QPen(palette().color(QPalette::Mid), 1));
    painter.setBrush(fill);
    painter.drawEllipse(circle);
    if (hasFocus()) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(circle.adjusted(1, 1, -1, -1));
    }
    QFont f = font();
    f.setPixelSize(std::max(1, qRound((m_diameter - 4) * 0.36)));
    painter.setFont(f);
    painter.setPen(palette().color(QPalette::ButtonText));
    painter.drawText(rect(), Qt::AlignCenter, text());
}

} // namespace Presence
