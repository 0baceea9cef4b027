#pragma once

// Not part of the installed API: how a Room feeds its members model. Exported for the
// model's unit test only (PRESENCECLIENT_AUTOTEST_EXPORT).

#include "member.h"
#include "memberdiff.h"
#include "membersmodel.h"

#include <QList>
#include <QString>

namespace Presence {

class PRESENCECLIENT_AUTOTEST_EXPORT MembersModelPrivate
{
public:
    explicit MembersModelPrivate(MembersModel *q)
        : q(q)
    {
    }

    static MembersModelPrivate *get(MembersModel *model) { return model->d.get(); }

    /// A whole list from the server: a reset the first time, the minimal changes after.
    void setMembers(const QList<Member> &members);
    /// A push: applied by the server's ordering rules, then shown with the minimal changes.
    void applyDiff(const MemberDiff &diff);
    /// Forgets everything (another room): one reset.
    void clear();

    /// The server's list after `diff` (docs/protocol.md, Diffs).
    static QList<Member> applied(QList<Member> list, const MemberDiff &diff);

    MembersModel *q;
    QList<Member> server; // the server's order
    QList<Member> rows; // what the view shows
    QString self;
    bool selfFirst = false;
    bool loaded = false;

    QList<Member> display() const;
    void sync(const QList<Member> &target);
    void notifyCounts(int oldCount, int oldOnline);
};

} // namespace Presence
