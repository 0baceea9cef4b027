#pragma once

// Not part of the installed API.

#include <QAbstractButton>

namespace Presence {

/// The round "+N" after the avatars: a real button (focus, keyboard, accessibility) drawn
/// as the QML facepile's chip.
class OverflowButton : public QAbstractButton
{
    Q_OBJECT
public:
    explicit OverflowButton(QWidget *parent);

    void setCount(int count);
    int count() const { return m_count; }
    void setDiameter(int diameter);

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int m_count = 0;
    int m_diameter = 36;
};

} // namespace Presence
