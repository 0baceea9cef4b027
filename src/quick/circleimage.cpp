#include "circleimage.h"

#include "avatarloader_p.h"

#include <QPainter>

namespace Presence {

CircleImage::CircleImage(QQuickItem *parent)
    : QQuickPaintedItem(parent)
{
    setAntialiasing(true);
    connect(AvatarLoader::instance(), &AvatarLoader::finished, this, [this](const QUrl &url) {
        if (url == m_source)
            load();
    });
}

void CircleImage::setSource(const QUrl &source)
{
    if (m_source == source)
        return;
    m_source = source;
    Q_EMIT sourceChanged();
    load();
}

void CircleImage::load()
{
    if (m_source.isEmpty()) {
        m_image = QImage();
        setStatus(Null);
        update();
        return;
    }
    bool failed = false;
    m_image = AvatarLoader::instance()->image(m_source, &failed);
    setStatus(failed ? Error : m_image.isNull() ? Loading : Ready);
    update();
}

void CircleImage::setStatus(Status status)
{
    if (m_status == status)
        return;
    m_status = status;
    Q_EMIT statusChanged();
}

void CircleImage::paint(QPainter *painter)
{
    if (m_image.isNull())
        return;
    const QRectF target = boundingRect();
    // The centre square of the image, scaled to the circle (like PreserveAspectCrop).
    const qreal side = std::min(m_image.width(), m_image.height());
    const QRectF source((m_image.width() - side) / 2, (m_image.height() - side) / 2, side, side);
    QTransform transform;
    transform.translate(target.x(), target.y());
    transform.scale(target.width() / side, target.height() / side);
    transform.translate(-source.x(), -source.y());
    QBrush brush(m_image);
    brush.setTransform(transform);
    painter->setRenderHints(QPainter::Antialiasing | QPainter::SmoothPixmapTransform);
    painter->setPen(Qt::NoPen);
    painter->setBrush(brush);
    painter->drawEllipse(target);
}

} // namespace Presence
