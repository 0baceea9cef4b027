#pragma once

// Not part of the installed API.

#include <QAbstractButton>

namespace Presence {

/// The "+N" chip after the avatars: a pill as tall as an avatar and as wide as its count
/// needs, a real button (focus, keyboard, accessibility) drawn as the QML facepile's chip.
class OverflowButton : public QAbstractButton
{
    Q_OBJECT
public:
    explicit OverflowButton(QWidget *parent);

    void setCount(int count);
    int count() const { return m_count; }
    void setHeight(int height);

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    int m_count = 0;
    QFont labelFont() const;

    int m_height = 32;
};

} // namespace Presence
