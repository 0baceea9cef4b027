#include "overflowbutton_p.h"

#include <QKeyEvent>
#include <QPainter>

namespace Presence {

OverflowButton::OverflowButton(QWidget *parent)
    : QAbstractButton(parent)
{
    setObjectName(QStringLiteral("more"));
    setFocusPolicy(Qt::TabFocus);
    setCursor(Qt::PointingHandCursor);
}

void OverflowButton::setCount(int count)
{
    m_count = count;
    setText(QStringLiteral("+%1").arg(count));
    // Set with the count, so a new language (FacepileWidget's LanguageChange) reaches them too.
    setAccessibleName(tr("%n more people", nullptr, count));
    setToolTip(tr("Show everyone"));
    setFixedSize(sizeHint());
    update();
}

void OverflowButton::setHeight(int height)
{
    m_height = height;
    setFixedSize(sizeHint());
    updateGeometry();
}

QFont OverflowButton::labelFont() const
{
    QFont f = font();
    f.setPixelSize(std::max(1, qRound(m_height * 0.38)));
    f.setWeight(QFont::DemiBold);
    return f;
}

QSize OverflowButton::sizeHint() const
{
    const int label = QFontMetrics(labelFont()).horizontalAdvance(text());
    return {std::max(m_height, label + m_height / 2), m_height};
}

void OverflowButton::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF pill = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    const qreal radius = pill.height() / 2;
    QColor fill = palette().color(QPalette::Button);
    if (isDown())
        fill = fill.darker(112);
    else if (underMouse())
        fill = fill.lighter(106);
    painter.setPen(QPen(palette().color(QPalette::Mid), 1));
    painter.setBrush(fill);
    painter.drawRoundedRect(pill, radius, radius);
    if (hasFocus()) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
        painter.setBrush(Qt::NoBrush);
        const QRectF inner = pill.adjusted(0.5, 0.5, -0.5, -0.5);
        painter.drawRoundedRect(inner, inner.height() / 2, inner.height() / 2);
    }
    painter.setFont(labelFont());
    painter.setPen(palette().color(QPalette::ButtonText));
    painter.drawText(rect(), Qt::AlignCenter, text());
}

void OverflowButton::keyPressEvent(QKeyEvent *event)
{
    // Enter as well as Space, as the QML chip.
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        click();
        return;
    }
    QAbstractButton::keyPressEvent(event);
}

} // namespace Presence
