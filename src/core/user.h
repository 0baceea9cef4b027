#pragma once

#include <QString>

namespace Presence {

/// A row of the users table: how a userId of one organization gets a name and an avatar.
/// Found by workosId (= the presence userId) and otherwise by email; the fallback by email
/// only ever uses rows an operator imported, never what a token claimed.
struct User
{
    QString workosId;
    QString email;
    QString name;
    QString image;
    QString organization; ///< the organization the row belongs to; each has its own table
    bool imported = false; ///< written by `users import` (trusted), not from a token's claims

    friend bool operator==(const User &a, const User &b)
    {
        return a.workosId == b.workosId && a.email == b.email && a.name == b.name && a.image == b.image
            && a.organization == b.organization && a.imported == b.imported;
    }
    friend bool operator!=(const User &a, const User &b) { return !(a == b); }
};

} // namespace Presence
