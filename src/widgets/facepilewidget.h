#pragma once

#include "presencewidgets_export.h"

#include <QAbstractItemModel>
#include <QColor>
#include <QWidget>

#include <memory>

namespace Presence {

class FacepileWidgetPrivate;

/// Who is here, for QtWidgets apps: the QML Facepile's look and behaviour in a QWidget.
///
/// Up to maxVisible() overlapping circular avatars, the first on top: the person's picture,
/// or their initials on their colour while it loads or when there is none. Online people
/// have a green dot, away ones an amber dot, offline ones are dimmed. A "+N" button after
/// them opens the full list. Hovering an avatar (or moving to it with the arrow keys) shows
/// the name and "Online now" or "Last seen 5 min ago".
///
/// The model is a room's MembersModel (Room::members()) or any list model with the same
/// role names: userId, name, image, online, lastDisconnected, and optionally initials,
/// color and away.
///
/// \code
/// auto *room = new Presence::Room(QStringLiteral("doc-1"), window);
/// auto *pile = new Presence::FacepileWidget(toolbar);
/// pile->setModel(room->members());
/// \endcode
class PRESENCEWIDGETS_EXPORT FacepileWidget : public QWidget
{
    Q_OBJECT
    /// The members shown: a Room's MembersModel or a model with its role names. Not owned;
    /// the widget lets go of a model that is destroyed.
    Q_PROPERTY(QAbstractItemModel *model READ model WRITE setModel NOTIFY modelChanged)
    /// The diameter of an avatar in device-independent pixels (default 32).
    Q_PROPERTY(int avatarSize READ avatarSize WRITE setAvatarSize NOTIFY avatarSizeChanged)
    /// How far each avatar slides under the one before it (default 15 % of avatarSize, rounded
    /// down: the initials in the middle of each disc stay clear of the avatar in front).
    Q_PROPERTY(int overlap READ overlap WRITE setOverlap RESET resetOverlap NOTIFY overlapChanged)
    /// How many avatars are shown before "+N" (default 5).
    Q_PROPERTY(int maxVisible READ maxVisible WRITE setMaxVisible NOTIFY maxVisibleChanged)
    /// The ring that separates overlapping avatars (default: the palette's window colour, so
    /// it follows the app's theme).
    Q_PROPERTY(QColor ringColor READ ringColor WRITE setRingColor RESET resetRingColor NOTIFY ringColorChanged)
    /// Everyone in the room when more than the model lists: a Room's totalCount (-1, the
    /// default: the model's count).
    Q_PROPERTY(int totalCount READ totalCount WRITE setTotalCount RESET resetTotalCount NOTIFY totalCountChanged)
    /// Members in the room, shown or not: the model's, or totalCount when that is more.
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    /// Whether the full list ("+N") is open.
    Q_PROPERTY(bool listOpen READ isListOpen NOTIFY listOpenChanged)

public:
    /// An empty facepile: give it a model.
    explicit FacepileWidget(QWidget *parent = nullptr);
    ~FacepileWidget() override;

    ///@{
    /// The model property.
    QAbstractItemModel *model() const;
    void setModel(QAbstractItemModel *model);
    ///@}
    ///@{
    /// The avatarSize property (at least 8).
    int avatarSize() const;
    void setAvatarSize(int size);
    ///@}
    ///@{
    /// The overlap property; reset, it follows avatarSize again.
    int overlap() const;
    void setOverlap(int overlap);
    void resetOverlap();
    ///@}
    ///@{
    /// The maxVisible property (at least 1).
    int maxVisible() const;
    void setMaxVisible(int count);
    ///@}
    ///@{
    /// The ringColor property; reset, it follows the palette again.
    QColor ringColor() const;
    void setRingColor(const QColor &color);
    void resetRingColor();
    ///@}

    ///@{
    /// The totalCount property; reset, the model's count is used.
    int totalCount() const;
    void setTotalCount(int total);
    void resetTotalCount();
    ///@}

    /// The count property.
    int count() const;

    ///@{
    /// The listOpen property: the full list under the facepile, as "+N" opens it.
    bool isListOpen() const;
    void openList();
    void closeList();
    ///@}

    /// What the tooltip of the avatar at `position` says; empty where there is none.
    QString toolTipAt(const QPoint &position) const;

    ///@{
    /// The shown avatars and "+N", overlapping: the widget does not stretch.
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    ///@}

Q_SIGNALS:
    ///@{
    /// A property of the same name changed.
    void modelChanged();
    void avatarSizeChanged();
    void overlapChanged();
    void maxVisibleChanged();
    void ringColorChanged();
    void countChanged();
    void totalCountChanged();
    void listOpenChanged();
    ///@}

protected:
    /// \cond INTERNAL
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    void changeEvent(QEvent *event) override;
    /// \endcond

private:
    friend class FacepileWidgetPrivate;
    std::unique_ptr<FacepileWidgetPrivate> d;
};

} // namespace Presence
