#pragma once

#include <QImage>
#include <QQuickPaintedItem>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace Presence {

/// An image cropped to a circle (the centre square of it, scaled to fill), with an
/// antialiased edge and transparent corners, painted at the screen's pixel density.
/// Qt 6.4 has no circular clipping in plain Qt Quick without Qt5Compat; this is it.
class CircleImage : public QQuickPaintedItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QUrl source READ source WRITE setSource NOTIFY sourceChanged)
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)

public:
    enum Status {
        Null,
        Loading,
        Ready,
        Error,
    };
    Q_ENUM(Status)

    explicit CircleImage(QQuickItem *parent = nullptr);

    QUrl source() const { return m_source; }
    void setSource(const QUrl &source);
    Status status() const { return m_status; }

    void paint(QPainter *painter) override;

Q_SIGNALS:
    void sourceChanged();
    void statusChanged();

private:
    void load();
    void setStatus(Status status);

    QUrl m_source;
    QImage m_image;
    Status m_status = Null;
};

} // namespace Presence
