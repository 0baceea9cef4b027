#pragma once

#include "result.h"
#include "user.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QStringList>

namespace Presence {

/// One organization's users table held in memory: how a presence userId gets a name and an image.
///
/// Rows are keyed by workosId, or by email for rows without one. A userId resolves to
/// its workosId row; fields it lacks come from the row found by email (the row's own
/// email, or the userId itself when it is an email address). Only imported rows are found
/// by email, and only imports make rows without a workosId: what a token claims about its
/// email never changes how anyone else is shown. Emails compare case-insensitively.
class UserDirectory
{
public:
    static constexpr int MaxIdLength = 256;
    static constexpr int MaxEmailLength = 320;
    static constexpr int MaxNameLength = 256;
    static constexpr int MaxImageLength = 2048;

    void clear();
    void load(const QList<User> &users);

    /// Merges `user` into its row: fields that are empty in `user` are kept.
    /// Returns true and the merged row in `stored` when the row changed.
    bool merge(const User &user, User *stored);
    /// True when merge(user) would change something (cheap: for every heartbeat).
    bool wouldChange(const User &user) const;

    /// The name and image to show for a userId (workosId and email fields left empty).
    User profileFor(const QString &userId) const;
    /// The userIds whose profile may change when `user` is merged.
    QStringList affectedBy(const User &user) const;

    int count() const { return int(m_byWorkosId.size() + m_byEmailOnly.size()); }
    /// The workosIds of rows that came from tokens' claims only (none of it imported).
    QStringList claimedRows() const;
    /// Removes the row of `workosId`.
    void remove(const QString &workosId);

    /// Checks a user row for the size limits above and the presence of a key.
    static Error validate(const User &user);
    /// Parses a JSON users file: an array of users, or an object with a "users" or "data"
    /// array. Each user has "workosId" (or "workos_id", or WorkOS's "id"), "email",
    /// "name" (or WorkOS's "first_name"/"last_name") and "image" (or "picture",
    /// "profile_picture_url"). Every entry must have a workosId or an email.
    static Result<QList<User>> parseJson(const QByteArray &json);
    static QString normalizedEmail(const QString &email);

private:
    const User *byEmail(const QString &email) const;

    QHash<QString, User> m_byWorkosId;
    QHash<QString, User> m_byEmailOnly; ///< rows without a workosId, by normalized email
    QMultiHash<QString, QString> m_workosIdsByEmail;
};

} // namespace Presence
