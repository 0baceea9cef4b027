#include "memberlistpopup_p.h"

#include "memberdelegate_p.h"

#include <QEvent>
#include <QLabel>
#include <QListView>
#include <QScreen>
#include <QVBoxLayout>

namespace Presence {

MemberListPopup::MemberListPopup(QWidget *parent)
    : QFrame(parent, Qt::Popup)
    , m_view(new QListView(this))
    , m_notListed(new QLabel(this))
{
    setFrameShape(QFrame::StyledPanel);
    // A click on "+N" while the list is open closes it; replayed to the button, it would open
    // it again at once.
    setAttribute(Qt::WA_NoMouseReplay);
    setAccessibleName(tr("Everyone here"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_view);
    // The room lists its first members (Room::limit); the rest are counted, not named.
    m_notListed->setObjectName(QStringLiteral("notListed"));
    m_notListed->setContentsMargins(8, 4, 8, 4);
    m_notListed->setForegroundRole(QPalette::PlaceholderText);
    m_notListed->hide();
    layout->addWidget(m_notListed);
    m_view->setObjectName(QStringLiteral("everyoneList"));
    m_view->setItemDelegate(new MemberDelegate(m_view));
    m_view->setFrameShape(QFrame::NoFrame);
    // Not uniform: the first row of each section carries its heading.
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // the rows elide to fit
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
}

void MemberListPopup::setModel(QAbstractItemModel *model)
{
    m_view->setModel(model);
    updateNotListed();
}

void MemberListPopup::setTotal(int total)
{
    m_total = total;
    updateNotListed();
}

void MemberListPopup::updateNotListed()
{
    const int rest = m_total - (m_view->model() ? m_view->model()->rowCount() : 0);
    m_notListed->setText(tr("and %n more", nullptr, rest));
    m_notListed->setVisible(rest > 0);
}

void MemberListPopup::openUnder(QWidget *anchor)
{
    updateNotListed();
    const int rows = m_view->model() ? m_view->model()->rowCount() : 0;
    int content = 0;
    for (int row = 0; row < rows && content < MaxHeight; ++row) // at most a screenful is measured
        content += m_view->sizeHintForRow(row);
    const int footer = m_notListed->isVisibleTo(this) ? m_notListed->sizeHint().height() : 0;
    const int height = std::min(MaxHeight, content + footer + 2 * m_view->frameWidth() + 8 + 2 * frameWidth());
    resize(Width, std::max(height, std::max(1, m_view->sizeHintForRow(0)) + 8));
    QPoint at = anchor->mapToGlobal(QPoint(0, anchor->height() + 4));
    if (const QScreen *screen = anchor->screen()) {
        const QRect available = screen->availableGeometry();
        if (at.x() + width() > available.right())
            at.setX(anchor->mapToGlobal(QPoint(anchor->width(), 0)).x() - width());
        if (at.y() + this->height() > available.bottom())
            at.setY(anchor->mapToGlobal(QPoint(0, 0)).y() - this->height() - 4);
    }
    move(at);
    show();
    m_view->setFocus();
    if (rows > 0 && !m_view->currentIndex().isValid())
        m_view->setCurrentIndex(m_view->model()->index(0, 0));
}

void MemberListPopup::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::LanguageChange) {
        setAccessibleName(tr("Everyone here"));
        updateNotListed();
        m_view->viewport()->update(); // the headings
    }
}

void MemberListPopup::hideEvent(QHideEvent *event)
{
    QFrame::hideEvent(event);
    Q_EMIT closed();
}

} // namespace Presence
