#pragma once

// Not part of the installed API.

#include <QObject>
#include <QPointer>

class QWindow;

namespace Presence {

/// Notices the user's input (keys, clicks, wheel, mouse moves, touch) to one window, or to any
/// window of the application: what tells a Room its window is not idle.
class InputWatcher : public QObject
{
    Q_OBJECT
public:
    explicit InputWatcher(QObject *parent = nullptr);
    ~InputWatcher() override;

    /// Only input to this window counts; none: input to any window.
    void setWindow(QWindow *window) { m_window = window; }

Q_SIGNALS:
    void input();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QPointer<QWindow> m_window;
};

} // namespace Presence
