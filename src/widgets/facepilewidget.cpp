#include "facepilewidget.h"

#include "avatarloader_p.h"
#include "avatarpainter_p.h"
#include "facepileaccessible_p.h"
#include "facepilewidget_p.h"
#include "memberlistpopup_p.h"
#include "overflowbutton_p.h"

#include <QAbstractItemModel>
#include <QAccessible>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QToolTip>
#include <QtMath>

namespace Presence {

FacepileWidgetPrivate::FacepileWidgetPrivate(FacepileWidget *q)
    : q(q)
{
}

int FacepileWidgetPrivate::shown() const
{
    return std::min(rows, std::max(0, maxVisible));
}

int FacepileWidgetPrivate::overflow() const
{
    return std::max(0, count - shown());
}

int FacepileWidgetPrivate::effectiveOverlap() const
{
    return overlap >= 0 ? std::min(overlap, avatarSize - 1) : qFloor(avatarSize * DefaultOverlapRatio);
}

int FacepileWidgetPrivate::lift() const
{
    return qRound(avatarSize * LiftRatio);
}

int FacepileWidgetPrivate::chipGap() const
{
    return std::max(4, qRound(avatarSize * ChipGapRatio));
}

QColor FacepileWidgetPrivate::effectiveRing() const
{
    return ringColor.isValid() ? ringColor : q->palette().color(QPalette::Window);
}

QRect FacepileWidgetPrivate::avatarRect(int i) const
{
    return {Margin + i * (avatarSize - effectiveOverlap()), Margin + lift(), avatarSize, avatarSize};
}

int FacepileWidgetPrivate::lifted() const
{
    if (hovered >= 0 && hovered < shown())
        return hovered;
    return q->hasFocus() && keyboardFocus && current < shown() ? current : -1;
}

QRect FacepileWidgetPrivate::drawnRect(int i) const
{
    return i == lifted() ? avatarRect(i).translated(0, -lift()) : avatarRect(i);
}

int FacepileWidgetPrivate::avatarAt(const QPoint &position) const
{
    const auto under = [&](int i) {
        const QRect r = drawnRect(i);
        const QPointF offset = QPointF(position) - QRectF(r).center();
        return offset.x() * offset.x() + offset.y() * offset.y() <= (r.width() / 2.0) * (r.width() / 2.0);
    };
    if (lifted() >= 0 && under(lifted())) // above them all
        return lifted();
    for (int i = 0; i < shown(); ++i) { // the first is on top
        if (under(i))
            return i;
    }
    return -1;
}

void FacepileWidgetPrivate::setHovered(int avatar)
{
    if (hovered == avatar)
        return;
    hovered = avatar;
    q->update();
}

void FacepileWidgetPrivate::announceCurrent()
{
    if (current >= shown())
        return;
    // The pile and the place in it, as item views tell of their items.
    QAccessibleEvent focus(q, QAccessible::Focus);
    focus.setChild(current);
    QAccessible::updateAccessibility(&focus);
}

QString FacepileWidgetPrivate::toolTipFor(int row) const
{
    if (!model || row < 0 || row >= rows)
        return {};
    const AvatarData member = AvatarData::fromIndex(model->index(row, 0));
    // Their own status on a line of its own, between their name and whether they are here.
    const QString status = member.status.isEmpty() ? QString() : member.status + QLatin1Char('\n');
    return member.displayName() + QLatin1Char('\n') + status + member.statusText(QDateTime::currentDateTime());
}

QString FacepileWidgetPrivate::accessibleSummary() const
{
    if (count == 0)
        return FacepileWidget::tr("Nobody here");
    QStringList people;
    for (int i = 0; i < shown(); ++i) {
        const AvatarData member = AvatarData::fromIndex(model->index(i, 0));
        people.append(member.displayName() + QStringLiteral(", ") + member.statusLine(QDateTime::currentDateTime()));
    }
    QString summary = people.join(QStringLiteral("; "));
    if (overflow() > 0)
        summary += QStringLiteral("; ") + FacepileWidget::tr("and %n more", nullptr, overflow());
    return summary;
}

void FacepileWidgetPrivate::relayout()
{
    more->setCount(overflow());
    more->setHeight(avatarSize);
    const int pile = shown() > 0 ? shown() * (avatarSize - effectiveOverlap()) + effectiveOverlap() : 0;
    more->move(Margin + pile + chipGap(), Margin + lift());
    more->setVisible(overflow() > 0);
    q->updateGeometry();
    q->update();
}

void FacepileWidgetPrivate::modelChanged()
{
    rows = model ? model->rowCount() : 0;
    const int next = std::max(rows, totalCount);
    const bool changed = next != count;
    count = next;
    current = std::clamp(current, 0, std::max(0, shown() - 1));
    relayout();
    q->setAccessibleName(accessibleSummary());
    if (popup)
        popup->setTotal(count);
    if (changed)
        Q_EMIT q->countChanged();
}

void FacepileWidgetPrivate::showToolTipFor(int row)
{
    const QRect r = drawnRect(row);
    QToolTip::showText(q->mapToGlobal(QPoint(r.center().x(), r.bottom() + 4)), toolTipFor(row), q, r);
}

FacepileWidget::FacepileWidget(QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<FacepileWidgetPrivate>(this))
{
    static const bool accessibleInstalled = (QAccessible::installFactory(FacepileAccessible::create), true);
    Q_UNUSED(accessibleInstalled);
    setFocusPolicy(Qt::TabFocus);
    setAttribute(Qt::WA_Hover);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    d->more = new OverflowButton(this);
    d->more->hide();
    connect(d->more, &QAbstractButton::clicked, this, [this] { isListOpen() ? closeList() : openList(); });
    d->clock.setInterval(30000);
    connect(&d->clock, &QTimer::timeout, this, [this] {
        setAccessibleName(d->accessibleSummary());
        update();
    });
    d->clock.start();
    connect(AvatarLoader::instance(), &AvatarLoader::finished, this, qOverload<>(&QWidget::update));
    d->modelChanged();
}

FacepileWidget::~FacepileWidget() = default;

QAbstractItemModel *FacepileWidget::model() const
{
    return d->model;
}

void FacepileWidget::setModel(QAbstractItemModel *model)
{
    if (d->model == model)
        return;
    for (const QMetaObject::Connection &c : std::as_const(d->connections))
        disconnect(c);
    d->connections.clear();
    d->model = model;
    if (model) {
        const auto changed = [this] { d->modelChanged(); };
        d->connections = {
            connect(model, &QAbstractItemModel::rowsInserted, this, changed),
            connect(model, &QAbstractItemModel::rowsRemoved, this, changed),
            connect(model, &QAbstractItemModel::rowsMoved, this, changed),
            connect(model, &QAbstractItemModel::modelReset, this, changed),
            connect(model, &QAbstractItemModel::layoutChanged, this, changed),
            connect(model, &QAbstractItemModel::dataChanged, this, changed),
            connect(model, &QObject::destroyed, this,
                [this] {
                    d->connections.clear();
                    d->modelChanged(); // the guarded pointer is null already
                    Q_EMIT modelChanged();
                }),
        };
    }
    if (d->popup)
        d->popup->setModel(model);
    d->modelChanged();
    Q_EMIT modelChanged();
}

int FacepileWidget::avatarSize() const
{
    return d->avatarSize;
}

void FacepileWidget::setAvatarSize(int size)
{
    size = std::max(8, size);
    if (d->avatarSize == size)
        return;
    d->avatarSize = size;
    d->relayout();
    Q_EMIT avatarSizeChanged();
    if (d->overlap < 0)
        Q_EMIT overlapChanged();
}

int FacepileWidget::overlap() const
{
    return d->effectiveOverlap();
}

void FacepileWidget::setOverlap(int overlap)
{
    overlap = std::max(0, overlap);
    if (d->overlap == overlap)
        return;
    d->overlap = overlap;
    d->relayout();
    Q_EMIT overlapChanged();
}

void FacepileWidget::resetOverlap()
{
    if (d->overlap < 0)
        return;
    d->overlap = -1;
    d->relayout();
    Q_EMIT overlapChanged();
}

int FacepileWidget::maxVisible() const
{
    return d->maxVisible;
}

void FacepileWidget::setMaxVisible(int count)
{
    count = std::max(1, count);
    if (d->maxVisible == count)
        return;
    d->maxVisible = count;
    d->modelChanged();
    Q_EMIT maxVisibleChanged();
}

QColor FacepileWidget::ringColor() const
{
    return d->effectiveRing();
}

void FacepileWidget::setRingColor(const QColor &color)
{
    if (d->ringColor == color)
        return;
    d->ringColor = color;
    update();
    Q_EMIT ringColorChanged();
}

void FacepileWidget::resetRingColor()
{
    setRingColor(QColor());
}

int FacepileWidget::count() const
{
    return d->count;
}

int FacepileWidget::totalCount() const
{
    return d->totalCount;
}

void FacepileWidget::setTotalCount(int total)
{
    total = std::max(-1, total);
    if (d->totalCount == total)
        return;
    d->totalCount = total;
    d->modelChanged();
    Q_EMIT totalCountChanged();
}

void FacepileWidget::resetTotalCount()
{
    setTotalCount(-1);
}

bool FacepileWidget::isListOpen() const
{
    return d->popup && d->popup->isVisible();
}

void FacepileWidget::openList()
{
    if (isListOpen())
        return;
    if (!d->popup) {
        d->popup = new MemberListPopup(this);
        d->popup->setObjectName(QStringLiteral("everyone"));
        d->popup->setModel(d->model);
        d->popup->setTotal(d->count);
        connect(d->popup, &MemberListPopup::closed, this, &FacepileWidget::listOpenChanged);
    }
    d->popup->openUnder(this);
    Q_EMIT listOpenChanged();
}

void FacepileWidget::closeList()
{
    if (isListOpen())
        d->popup->hide(); // emits listOpenChanged
}

QString FacepileWidget::toolTipAt(const QPoint &position) const
{
    return d->toolTipFor(d->avatarAt(position));
}

QSize FacepileWidget::sizeHint() const
{
    const int pile = d->shown() > 0 ? d->shown() * (d->avatarSize - d->effectiveOverlap()) + d->effectiveOverlap() : 0;
    const int chip = d->overflow() > 0 ? d->chipGap() + d->more->sizeHint().width() : 0;
    return {
        2 * FacepileWidgetPrivate::Margin + pile + chip, d->avatarSize + 2 * FacepileWidgetPrivate::Margin + d->lift()};
}

QSize FacepileWidget::minimumSizeHint() const
{
    return sizeHint();
}

bool FacepileWidget::event(QEvent *event)
{
    if (event->type() == QEvent::HoverMove || event->type() == QEvent::HoverEnter)
        d->setHovered(d->avatarAt(static_cast<QHoverEvent *>(event)->position().toPoint()));
    else if (event->type() == QEvent::HoverLeave)
        d->setHovered(-1);
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const int row = d->avatarAt(help->pos());
        if (row < 0) {
            QToolTip::hideText();
            event->ignore();
        } else {
            QToolTip::showText(help->globalPos(), d->toolTipFor(row), this, d->drawnRect(row));
        }
        return true;
    }
    return QWidget::event(event);
}

void FacepileWidget::paintEvent(QPaintEvent *)
{
    if (!d->model)
        return;
    QPainter painter(this);
    const QColor ring = d->effectiveRing();
    const int lifted = d->lifted();
    const auto paintAvatar = [&](int i) {
        const AvatarData member = AvatarData::fromIndex(d->model->index(i, 0));
        AvatarPainter::paint(&painter, d->drawnRect(i), member, AvatarPainter::imageFor(member.image), ring, true);
    };
    for (int i = d->shown() - 1; i >= 0; --i) { // the first on top, like a stack of cards
        if (i != lifted)
            paintAvatar(i);
    }
    if (lifted >= 0) // whole, above them all
        paintAvatar(lifted);
    if (hasFocus() && d->keyboardFocus && d->shown() > 0) {
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(QRectF(d->drawnRect(d->current)).adjusted(-1, -1, 1, 1));
    }
}

void FacepileWidget::keyPressEvent(QKeyEvent *event)
{
    const int last = d->shown() - 1;
    int next = d->current;
    switch (event->key()) {
    case Qt::Key_Left:
        next = std::max(0, d->current - 1);
        break;
    case Qt::Key_Right:
        next = std::min(last, d->current + 1);
        break;
    case Qt::Key_Home:
        next = 0;
        break;
    case Qt::Key_End:
        next = last;
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        openList();
        return;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    if (last < 0)
        return;
    d->keyboardFocus = true;
    d->current = next;
    update();
    d->showToolTipFor(next);
    d->announceCurrent();
}

void FacepileWidget::mousePressEvent(QMouseEvent *event)
{
    const int row = d->avatarAt(event->position().toPoint());
    if (row >= 0) {
        d->current = row;
        update();
    }
    QWidget::mousePressEvent(event);
}

void FacepileWidget::focusInEvent(QFocusEvent *event)
{
    QWidget::focusInEvent(event);
    // The ring marks where the keyboard is, as QML's visualFocus does: not after a click.
    d->keyboardFocus = event->reason() == Qt::TabFocusReason || event->reason() == Qt::BacktabFocusReason
        || event->reason() == Qt::ShortcutFocusReason;
    update();
    if (d->keyboardFocus && d->shown() > 0) {
        d->showToolTipFor(d->current);
        d->announceCurrent();
    }
}

void FacepileWidget::focusOutEvent(QFocusEvent *event)
{
    QWidget::focusOutEvent(event);
    update();
}

void FacepileWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !d->ringColor.isValid())
        Q_EMIT ringColorChanged();
    if (event->type() == QEvent::LanguageChange) // a new catalog: every word again
        d->modelChanged();
}

} // namespace Presence
