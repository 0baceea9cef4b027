#pragma once

#include <QStringList>

namespace Presence {

/// presence-server's commands on a database: `users import`, `users remove`, `rooms list`
/// and `rooms remove`. Each takes its arguments as "presence-server users import" + the rest
/// and returns the process's exit status, with what went wrong on stderr.
class DatabaseCommands
{
public:
    /// Names and avatars from a JSON file; safe while a server runs (it polls the users table).
    static int importUsers(const QStringList &arguments);
    /// Ends a user's sessions and forgets them in every room of their organization; needs the
    /// database to itself (the server stopped).
    static int removeUser(const QStringList &arguments);
    /// An organization's rooms with their counts; safe while a server runs.
    static int listRooms(const QStringList &arguments);
    /// Forgets a room, its members, sessions and token; needs the database to itself.
    static int removeRoom(const QStringList &arguments);
};

} // namespace Presence
