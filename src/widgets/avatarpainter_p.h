#pragma once

// Not part of the installed API.

#include <QColor>
#include <QDateTime>
#include <QModelIndex>
#include <QUrl>

class QPainter;
class QRectF;

namespace Presence {

/// One member as an avatar shows it, read from any model with MembersModel's role names.
struct AvatarData
{
    QString userId;
    QString name;
    QUrl image;
    bool online = false;
    bool away = false;
    QDateTime lastDisconnected;
    QString initials;
    QColor color;
    QString status; ///< what they set for themselves (the "status" role); empty when nothing

    static AvatarData fromIndex(const QModelIndex &index);
    /// The "online" role alone, without reading the others.
    static bool isOnline(const QModelIndex &index);
    QString displayName() const { return name.isEmpty() ? userId : name; }
    /// "Online now", "Away", "Last seen 5 min ago"... at `now`.
    QString statusText(const QDateTime &now) const;
    /// statusText() and their own status, for one line: "Online now · Reviewing".
    QString statusLine(const QDateTime &now) const;
};

/// Paints avatars as the QML Avatar does: a ring in the background colour, the picture in a
/// circle or the initials on the member's colour, dimmed when offline, half dimmed when away,
/// a green dot online or an amber clock away.
class AvatarPainter
{
public:
    static constexpr qreal OfflineOpacity = 0.4;
    static constexpr qreal AwayOpacity = 0.7;
    static const QColor OnlineColor;
    static const QColor AwayColor;

    /// `loadedImage` is the picture if it is loaded (null: initials).
    static void paint(QPainter *painter, const QRectF &rect, const AvatarData &member, const QImage &loadedImage,
        const QColor &ring, bool showStatus);
    /// The picture's loaded image (starting the download if it is not), or null.
    static QImage imageFor(const QUrl &url);
};

} // namespace Presence
