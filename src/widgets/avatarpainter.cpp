#include "avatarpainter_p.h"

#include "avatarloader_p.h"
#include "facepilewidget.h"
#include "membersmodel.h"

#include <QAbstractItemModel>
#include <QCoreApplication>
#include <QPainter>
#include <QPainterPath>
#include <QtMath>

namespace Presence {

const QColor AvatarPainter::OnlineColor(0x2e, 0x9d, 0x48);
const QColor AvatarPainter::AwayColor(0xe0, 0xa1, 0x00);

namespace {

QVariant role(const QModelIndex &index, const QByteArray &name)
{
    const QHash<int, QByteArray> names = index.model()->roleNames();
    for (auto it = names.cbegin(); it != names.cend(); ++it) {
        if (it.value() == name)
            return index.data(it.key());
    }
    return {};
}

} // namespace

AvatarData AvatarData::fromIndex(const QModelIndex &index)
{
    AvatarData m;
    if (!index.isValid() || !index.model())
        return m;
    m.userId = role(index, "userId").toString();
    m.name = role(index, "name").toString();
    m.image = role(index, "image").toUrl();
    m.online = role(index, "online").toBool();
    m.away = role(index, "away").toBool();
    m.lastDisconnected = role(index, "lastDisconnected").toDateTime();
    const QVariant initials = role(index, "initials");
    m.initials = initials.isValid() ? initials.toString() : MembersModel::initialsFor(m.name, m.userId);
    const QVariant color = role(index, "color");
    m.color = color.isValid() ? color.value<QColor>() : MembersModel::colorFor(m.userId);
    m.status = role(index, "status").toString();
    return m;
}

bool AvatarData::isOnline(const QModelIndex &index)
{
    return index.isValid() && index.model() && role(index, "online").toBool();
}

QString AvatarData::statusText(const QDateTime &now) const
{
    if (online)
        return away ? FacepileWidget::tr("Away") : FacepileWidget::tr("Online now");
    if (!lastDisconnected.isValid())
        return FacepileWidget::tr("Offline");
    const qint64 minutes = lastDisconnected.msecsTo(now) / 60000;
    if (minutes < 1)
        return FacepileWidget::tr("Last seen just now");
    if (minutes < 60)
        return FacepileWidget::tr("Last seen %n min ago", nullptr, int(minutes));
    const qint64 hours = minutes / 60;
    if (hours < 24)
        return FacepileWidget::tr("Last seen %n hour(s) ago", nullptr, int(hours));
    return FacepileWidget::tr("Last seen %n day(s) ago", nullptr, int(hours / 24));
}

QString AvatarData::statusLine(const QDateTime &now) const
{
    return status.isEmpty() ? statusText(now) : statusText(now) + QStringLiteral(" · ") + status;
}

QImage AvatarPainter::imageFor(const QUrl &url)
{
    if (url.isEmpty())
        return {};
    bool failed = false;
    return AvatarLoader::instance()->image(url, &failed);
}

void AvatarPainter::paint(QPainter *painter, const QRectF &rect, const AvatarData &member, const QImage &loadedImage,
    const QColor &ring, bool showStatus)
{
    const qreal size = rect.width();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::SmoothPixmapTransform);
    painter->setPen(Qt::NoPen);

    // The picture, its ring and the initials fade together when the member is offline.
    painter->setOpacity(!member.online ? OfflineOpacity : member.away ? AwayOpacity : 1.0);
    const qreal ringWidth = std::max<qreal>(1, size / 16);
    painter->setBrush(ring);
    painter->drawEllipse(rect.adjusted(-ringWidth, -ringWidth, ringWidth, ringWidth));
    if (!loadedImage.isNull()) {
        // The centre square of the picture, scaled to fill the circle.
        const int side = std::min(loadedImage.width(), loadedImage.height());
        const QRect square((loadedImage.width() - side) / 2, (loadedImage.height() - side) / 2, side, side);
        QPainterPath circle;
        circle.addEllipse(rect);
        painter->setClipPath(circle, Qt::IntersectClip);
        painter->drawImage(rect, loadedImage, square);
        painter->setClipping(false);
    } else {
        painter->setBrush(member.color.isValid() ? member.color : QColor(0x60, 0x7d, 0x8b));
        painter->drawEllipse(rect);
        // Below 24 px two letters cannot be read: the first says enough.
        QString initials = member.initials.isEmpty() ? QStringLiteral("?") : member.initials;
        if (size < 24 && initials.size() > 1)
            initials.truncate(initials.at(0).isHighSurrogate() ? 2 : 1);
        QFont font = painter->font();
        font.setPixelSize(std::max(1, qRound(size * 0.4)));
        font.setWeight(QFont::DemiBold);
        // The middle 56 % of the disc: a facepile overlaps less than the rest, so wide initials
        // ("MW") shrink rather than slide under the avatar in front.
        const qreal room = size * 0.56;
        const qreal width = QFontMetricsF(font).horizontalAdvance(initials);
        if (width > room)
            font.setPixelSize(std::max(std::max(6, qRound(size * 0.24)), qFloor(font.pixelSize() * room / width)));
        painter->setFont(font);
        painter->setPen(Qt::white);
        painter->drawText(rect, Qt::AlignCenter, initials);
        painter->setPen(Qt::NoPen);
    }

    if (member.online && showStatus) {
        painter->setOpacity(1.0);
        // As the QML Avatar draws them: the border inside the dot, the clock a little larger.
        const qreal dot
            = member.away ? std::max<qreal>(8, qRound(size * 0.34)) : std::max<qreal>(6, qRound(size * 0.28));
        const QRectF dotRect(rect.right() - dot * 0.9, rect.bottom() - dot * 0.9, dot, dot);
        const qreal border = std::max<qreal>(1, qRound(size / 20));
        painter->setBrush(ring);
        painter->drawEllipse(dotRect);
        painter->setBrush(member.away ? AwayColor : OnlineColor);
        painter->drawEllipse(dotRect.adjusted(border, border, -border, -border));
        if (member.away) {
            // The hands: noon and three o'clock, from the centre.
            const qreal hand = std::max<qreal>(1, qRound(dot / 9));
            const QPointF centre = dotRect.center();
            painter->setBrush(Qt::white);
            painter->drawRect(QRectF(centre.x() - hand / 2, centre.y() - dot * 0.32, hand, dot * 0.32));
            painter->drawRect(QRectF(centre.x(), centre.y() - hand / 2, dot * 0.26, hand));
        }
    }
    painter->restore();
}

} // namespace Presence
