#pragma once

#include "result.h"
#include "user.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace Presence {

struct RedisAddress;

/// The users table of a cluster (names and avatars that `users import` loads), kept in Redis
/// per organization: a hash of rows, keyed by workosId (or "@" and the email for rows without
/// one), each a compact JSON object {w, e, n, i}. Nodes load an organization's rows when they
/// first serve it and again whenever an import announces a change.
class RedisUsers
{
public:
    /// The hash field of `user`'s row.
    static QByteArray field(const User &user);
    static QByteArray encode(const User &user);
    /// A row read back (every row in Redis was imported); nothing for one that is not a row.
    static std::optional<User> decode(const QString &organization, const QByteArray &value);

    /// For the `users import` command: merges `users` of `organization` into its table in
    /// Redis (fields left empty are kept) and tells the nodes. Blocks, up to `timeoutMs` per
    /// step; returns how many rows changed.
    static Result<int> import(
        const RedisAddress &address, const QString &organization, const QList<User> &users, int timeoutMs = 5000);
};

} // namespace Presence
