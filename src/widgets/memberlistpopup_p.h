#pragma once

// Not part of the installed API.

#include <QFrame>

class QAbstractItemModel;
class QLabel;
class QListView;

namespace Presence {

/// Everyone in the room, in a popup under the facepile: what its "+N" opens.
class MemberListPopup : public QFrame
{
    Q_OBJECT
public:
    static constexpr int Width = 260;
    static constexpr int MaxHeight = 360;

    explicit MemberListPopup(QWidget *parent);

    void setModel(QAbstractItemModel *model);
    /// Everyone in the room: more than the model lists adds "and N more" under the list.
    void setTotal(int total);
    QListView *view() const { return m_view; }
    /// Opens under `anchor`, its right edge on the anchor's if it would leave the screen.
    void openUnder(QWidget *anchor);

Q_SIGNALS:
    void closed();

protected:
    void hideEvent(QHideEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateNotListed();

    QListView *m_view;
    QLabel *m_notListed;
    int m_total = 0;
};

} // namespace Presence
