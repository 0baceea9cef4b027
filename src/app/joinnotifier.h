#pragma once

#include <QDeadlineTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

namespace Presence {

class Room;

/// Tells when someone opens a document the user has open: for each room it watches, a person
/// who comes online there (not the user, not those already there when the room was joined or
/// changed documents) makes one joined() signal: "Grace Hopper opened Roadmap 2027". Two
/// windows on one document tell it once. Off until enabled: notifications are opt-in.
class JoinNotifier : public QObject
{
    Q_OBJECT

public:
    /// One person's arrival is told once per room in this time, however many windows watch it.
    static constexpr int RepeatAfterMs = 30'000;

    explicit JoinNotifier(QObject *parent = nullptr);
    ~JoinNotifier() override;

    /// Watches `room` for as long as it lives, whatever document it is on.
    void watch(Room *room);

    bool isEnabled() const { return m_enabled; }
    void setEnabled(bool enabled);

Q_SIGNALS:
    /// `name` (their user id without one) opened the document of `roomId`; `status` is their
    /// own, if they set one.
    void joined(const QString &roomId, const QString &userId, const QString &name, const QString &status);

private:
    struct Watched
    {
        QPointer<Room> room;
        QSet<QString> online; // who was online in it at the last look, the user left out
    };
    void look(Watched &watched, bool tell);

    QList<Watched *> m_watched;
    QHash<QString, QDeadlineTimer> m_told; // "roomId\nuserId" → when it may be told again
    bool m_enabled = false;
};

} // namespace Presence
