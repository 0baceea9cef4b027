#pragma once

#include <QString>

namespace Presence {

/// A row of the users table: how a userId gets a name and an avatar.
/// Found by workosId (= the presence userId) and otherwise by email.
struct User
{
    QString workosId;
    QString email;
    QString name;
    QString image;

    friend bool operator==(const User &a, const User &b)
    {
        return a.workosId == b.workosId && a.email == b.email && a.name == b.name && a.image == b.image;
    }
    friend bool operator!=(const User &a, const User &b) { return !(a == b); }
};

} // namespace Presence
