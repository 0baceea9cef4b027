#include "databasecommands.h"

#include "engine.h"
#include "imageurlpolicy.h"
#include "redisaddress.h"
#include "redisusers.h"
#include "serverconfig.h"
#include "sqlitestore.h"
#include "systemclock.h"
#include "userdirectory.h"

#include <QCommandLineParser>
#include <QFile>
#include <QHash>
#include <QProcessEnvironment>
#include <QTextStream>

#include <map>

namespace Presence {

namespace {

int fail(const QString &message)
{
    QTextStream(stderr) << "presence-server: " << message << Qt::endl;
    return 1;
}

QCommandLineOption databaseOption()
{
    return QCommandLineOption({QStringLiteral("database")},
        QStringLiteral("The server's database. [env: PRESENCE_DATABASE]"), QStringLiteral("path"));
}

QCommandLineOption organizationOption()
{
    return QCommandLineOption({QStringLiteral("org")},
        QStringLiteral("The organization (org_id) whose rooms or users these are."), QStringLiteral("id"));
}

QString databaseFrom(const QCommandLineParser &parser, const QCommandLineOption &option)
{
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QString given = parser.value(option);
    return given.isEmpty()
        ? environment.value(QStringLiteral("PRESENCE_DATABASE"), ServerConfig::defaultDatabase(environment))
        : given;
}

// Runs `change` on an engine that owns the database for the time being: refused, with what to
// do instead, while a server runs on it (its memory would not see the change).
int withEngine(const QString &path, const std::function<int(Engine &)> &change)
{
    SqliteStore store;
    if (const Result<bool> opened = store.open(path, SqliteStore::Exclusive); !opened) {
        return fail(opened.error().message()
            + QStringLiteral(". While a server runs, an administrator does this over /ws (kick, removeRoom: see "
                             "docs/protocol.md)"));
    }
    SystemClock clock;
    Engine engine(&clock, &store);
    if (const Result<bool> recovered = engine.open(); !recovered)
        return fail(recovered.error().message());
    const int status = change(engine);
    engine.flush();
    return status;
}

/// The operator, as an administrator of `organization`.
Identity operatorOf(const QString &organization)
{
    Identity identity {QStringLiteral("presence-server"), organization, {}, {}, {}};
    identity.admin = true;
    return identity;
}

} // namespace

int DatabaseCommands::importUsers(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Adds or updates users (names and avatars) from a JSON file: [{\"workosId\", \"email\", \"name\", "
        "\"image\"}…], or WorkOS's list format {\"data\": [{\"id\", \"email\", \"first_name\", \"last_name\", "
        "\"profile_picture_url\"}…]}. A running server picks the change up within --users-poll ms."));
    parser.addHelpOption();
    const QCommandLineOption database = databaseOption();
    const QCommandLineOption organization({QStringLiteral("org")},
        QStringLiteral("The organization (org_id) these users belong to: each organization has its own users."),
        QStringLiteral("id"));
    const QCommandLineOption redis({QStringLiteral("redis")},
        QStringLiteral("Write to the users table of the cluster on this Redis (the nodes' --redis) instead of a "
                       "database; the nodes pick the change up at once. [env: PRESENCE_REDIS]"),
        QStringLiteral("url"));
    parser.addOptions({database, organization, redis});
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("The JSON users file (- for stdin)."));
    parser.process(arguments);
    if (parser.positionalArguments().size() != 1)
        return fail(QStringLiteral("users import takes one FILE (see --help)"));
    const QString org = parser.value(organization);
    if (org.isEmpty())
        return fail(QStringLiteral("users import needs --org: the organization the users belong to"));

    const QString path = parser.positionalArguments().constFirst();
    QFile file;
    const bool opened = path == QLatin1String("-") ? file.open(stdin, QIODevice::ReadOnly)
                                                   : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    if (!opened)
        return fail(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    Result<QList<User>> parsed = UserDirectory::parseJson(file.readAll());
    if (!parsed)
        return fail(QStringLiteral("%1: %2").arg(path, parsed.error().message()));
    QList<User> users = parsed.value();
    for (qsizetype i = 0; i < users.size(); ++i) {
        users[i].organization = org;
        if (const QString refusal = ImageUrlPolicy::refusal(users.at(i).image, ImageUrlPolicy::AllowLoopback);
            !users.at(i).image.isEmpty() && !refusal.isEmpty()) {
            return fail(QStringLiteral("%1: users[%2].image: %3").arg(path).arg(i).arg(refusal));
        }
    }

    const QString redisUrl = parser.isSet(redis)
        ? parser.value(redis)
        : QProcessEnvironment::systemEnvironment().value(QStringLiteral("PRESENCE_REDIS"));
    if (!redisUrl.isEmpty()) {
        const Result<RedisAddress> address = RedisAddress::parse(redisUrl);
        if (!address)
            return fail(QStringLiteral("--redis: %1").arg(address.error().message()));
        const Result<int> changed = RedisUsers::import(address.value(), org, users);
        if (!changed)
            return fail(changed.error().message());
        QTextStream(stdout) << "imported " << users.size() << " users of " << org << " into "
                            << address.value().display() << ": " << changed.value() << " changed" << Qt::endl;
        return 0;
    }

    const QString databasePath = databaseFrom(parser, database);

    // Only the users table is touched, so this is safe while a server runs on the database.
    SqliteStore store;
    if (const Result<bool> ok = store.open(databasePath); !ok)
        return fail(ok.error().message());
    const Result<QList<User>> existing = store.loadUsers();
    if (!existing)
        return fail(existing.error().message());
    UserDirectory directory;
    QList<User> ours;
    for (const User &user : existing.value()) {
        if (user.organization == org)
            ours.append(user);
    }
    directory.load(ours);
    int changed = 0;
    for (const User &user : std::as_const(users)) {
        User stored;
        if (directory.merge(user, &stored)) {
            ++changed;
            if (!store.writeUser(stored))
                return fail(store.lastError());
        }
    }
    if (!store.commit())
        return fail(store.lastError());
    QTextStream(stdout) << "imported " << users.size() << " users of " << org << " into " << databasePath << ": "
                        << changed << " changed" << Qt::endl;
    return 0;
}

int DatabaseCommands::listRooms(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Lists an organization's rooms: roomId, members online, members in all. Safe while a server runs."));
    parser.addHelpOption();
    const QCommandLineOption database = databaseOption();
    const QCommandLineOption organization = organizationOption();
    parser.addOptions({database, organization});
    parser.process(arguments);
    const QString org = parser.value(organization);
    if (org.isEmpty())
        return fail(QStringLiteral("rooms list needs --org"));
    SqliteStore store;
    if (const Result<bool> opened = store.open(databaseFrom(parser, database)); !opened)
        return fail(opened.error().message());
    const Result<StoreSnapshot> snapshot = store.load();
    if (!snapshot)
        return fail(snapshot.error().message());
    // Rooms are keyed by organization, U+001F, roomId (the organization is stored apart too).
    std::map<QString, RoomCounts> rooms;
    QHash<QString, QString> roomIdOfKey;
    for (const StoreSnapshot::RoomTokenRow &row : snapshot.value().roomTokens) {
        if (row.organization != org)
            continue;
        const QString roomId = row.roomId.mid(org.size() + 1);
        roomIdOfKey.insert(row.roomId, roomId);
        rooms[roomId];
    }
    for (const StoreSnapshot::PresenceRow &row : snapshot.value().presence) {
        const auto key = roomIdOfKey.constFind(row.roomId);
        if (key == roomIdOfKey.cend())
            continue;
        RoomCounts &counts = rooms[*key];
        ++counts.total;
        counts.online += row.online ? 1 : 0;
    }
    QTextStream out(stdout);
    out << "roomId\tonline\ttotal" << Qt::endl;
    for (const auto &[roomId, counts] : rooms)
        out << roomId << '\t' << counts.online << '\t' << counts.total << Qt::endl;
    return 0;
}

int DatabaseCommands::removeRoom(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Removes a room of an organization: its members, its sessions and its token. The server must be stopped; "
        "while it runs an administrator sends removeRoom over /ws."));
    parser.addHelpOption();
    const QCommandLineOption database = databaseOption();
    const QCommandLineOption organization = organizationOption();
    parser.addOptions({database, organization});
    parser.addPositionalArgument(QStringLiteral("roomId"), QStringLiteral("The room."));
    parser.process(arguments);
    const QString org = parser.value(organization);
    if (org.isEmpty() || parser.positionalArguments().size() != 1)
        return fail(QStringLiteral("usage: presence-server rooms remove --org ORG ROOMID"));
    const QString roomId = parser.positionalArguments().constFirst();
    return withEngine(databaseFrom(parser, database), [&](Engine &engine) {
        const int before = engine.roomCount();
        const Result<int> ended = engine.removeRoom(operatorOf(org), roomId);
        if (!ended)
            return fail(ended.error().message());
        if (engine.roomCount() == before)
            return fail(QStringLiteral("%1 has no room \"%2\"").arg(org, roomId));
        QTextStream(stdout) << "removed room " << roomId << " of " << org << " (" << ended.value()
                            << " live sessions ended)" << Qt::endl;
        return 0;
    });
}

int DatabaseCommands::removeUser(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Removes a user of an organization from every room (sessions, memberships) and from its users. The server "
        "must be stopped."));
    parser.addHelpOption();
    const QCommandLineOption database = databaseOption();
    const QCommandLineOption organization = organizationOption();
    parser.addOptions({database, organization});
    parser.addPositionalArgument(QStringLiteral("userId"), QStringLiteral("The user."));
    parser.process(arguments);
    const QString org = parser.value(organization);
    if (org.isEmpty() || parser.positionalArguments().size() != 1)
        return fail(QStringLiteral("usage: presence-server users remove --org ORG USERID"));
    const QString userId = parser.positionalArguments().constFirst();
    return withEngine(databaseFrom(parser, database), [&](Engine &engine) {
        const Result<int> rooms = engine.removeUser(org, userId);
        if (!rooms)
            return fail(rooms.error().message());
        QTextStream(stdout) << "removed " << userId << " of " << org << " from " << rooms.value() << " rooms"
                            << Qt::endl;
        return 0;
    });
}

} // namespace Presence
