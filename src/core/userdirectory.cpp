#include "userdirectory.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace Presence {

namespace {

User normalized(User user)
{
    user.email = UserDirectory::normalizedEmail(user.email);
    return user;
}

// Fields of `update` that are set replace those of `base`, except that a token's claims
// never change the email of an imported row: the email decides whose fallback a row is.
User merged(User base, const User &update)
{
    if (!update.workosId.isEmpty())
        base.workosId = update.workosId;
    if (!update.email.isEmpty() && (update.imported || !base.imported))
        base.email = update.email;
    if (!update.name.isEmpty())
        base.name = update.name;
    if (!update.image.isEmpty())
        base.image = update.image;
    if (!update.organization.isEmpty())
        base.organization = update.organization;
    base.imported = base.imported || update.imported;
    return base;
}

} // namespace

QString UserDirectory::normalizedEmail(const QString &email)
{
    return email.trimmed().toLower();
}

void UserDirectory::clear()
{
    m_byWorkosId.clear();
    m_byEmailOnly.clear();
    m_workosIdsByEmail.clear();
}

void UserDirectory::load(const QList<User> &users)
{
    clear();
    for (const User &user : users) {
        User ignored;
        merge(user, &ignored);
    }
}

bool UserDirectory::wouldChange(const User &update) const
{
    const User user = normalized(update);
    if (!user.workosId.isEmpty()) {
        const auto it = m_byWorkosId.constFind(user.workosId);
        return it == m_byWorkosId.cend() || merged(*it, user) != *it;
    }
    if (user.email.isEmpty() || !user.imported)
        return false;
    const auto it = m_byEmailOnly.constFind(user.email);
    return it == m_byEmailOnly.cend() || merged(*it, user) != *it;
}

bool UserDirectory::merge(const User &update, User *stored)
{
    const User user = normalized(update);
    if (!user.workosId.isEmpty()) {
        const auto it = m_byWorkosId.constFind(user.workosId);
        const User current
            = it == m_byWorkosId.cend() ? User {user.workosId, {}, {}, {}, user.organization, false} : *it;
        const User next = merged(current, user);
        if (it != m_byWorkosId.cend() && next == current)
            return false;
        // Only imported rows are found by email.
        if (next.email != current.email || next.imported != current.imported) {
            if (current.imported)
                m_workosIdsByEmail.remove(current.email, current.workosId);
            if (next.imported && !next.email.isEmpty())
                m_workosIdsByEmail.insert(next.email, next.workosId);
        }
        m_byWorkosId.insert(next.workosId, next);
        *stored = next;
        return true;
    }
    if (user.email.isEmpty() || !user.imported)
        return false; // rows keyed by email alone come from imports only
    const auto it = m_byEmailOnly.constFind(user.email);
    const User current = it == m_byEmailOnly.cend() ? User {{}, user.email, {}, {}, user.organization, false} : *it;
    const User next = merged(current, user);
    if (it != m_byEmailOnly.cend() && next == current)
        return false;
    m_byEmailOnly.insert(next.email, next);
    *stored = next;
    return true;
}

QStringList UserDirectory::claimedRows() const
{
    QStringList ids;
    for (auto it = m_byWorkosId.cbegin(); it != m_byWorkosId.cend(); ++it) {
        if (!it->imported)
            ids.append(it.key());
    }
    return ids;
}

void UserDirectory::remove(const QString &workosId)
{
    const auto it = m_byWorkosId.constFind(workosId);
    if (it == m_byWorkosId.cend())
        return;
    if (it->imported)
        m_workosIdsByEmail.remove(it->email, workosId);
    m_byWorkosId.erase(it);
}

const User *UserDirectory::byEmail(const QString &email) const
{
    const auto it = m_byEmailOnly.constFind(email);
    if (it != m_byEmailOnly.cend())
        return &*it;
    const auto id = m_workosIdsByEmail.constFind(email);
    if (id != m_workosIdsByEmail.cend()) {
        const auto row = m_byWorkosId.constFind(*id);
        if (row != m_byWorkosId.cend())
            return &*row;
    }
    return nullptr;
}

User UserDirectory::profileFor(const QString &userId) const
{
    User profile;
    QString email;
    const auto it = m_byWorkosId.constFind(userId);
    if (it != m_byWorkosId.cend()) {
        profile.name = it->name;
        profile.image = it->image;
        // The identity provider signs a token's email as it signs its sub: the user's own
        // email finds their imported row (the seed's rule). What a token cannot do is become
        // anyone else's fallback: only imported rows are found by email.
        email = it->email;
    } else if (userId.contains(QLatin1Char('@'))) {
        email = normalizedEmail(userId);
    }
    if ((profile.name.isEmpty() || profile.image.isEmpty()) && !email.isEmpty()) {
        if (const User *fallback = byEmail(email)) {
            if (profile.name.isEmpty())
                profile.name = fallback->name;
            if (profile.image.isEmpty())
                profile.image = fallback->image;
        }
    }
    return profile;
}

QStringList UserDirectory::affectedBy(const User &update) const
{
    const User user = normalized(update);
    QStringList ids;
    QStringList emails;
    if (!user.workosId.isEmpty()) {
        ids << user.workosId;
        const auto it = m_byWorkosId.constFind(user.workosId);
        if (it != m_byWorkosId.cend() && it->imported && !it->email.isEmpty())
            emails << it->email;
    }
    if (!user.email.isEmpty() && user.imported)
        emails << user.email;
    for (const QString &email : std::as_const(emails)) {
        ids << email; // a userId that is an email address falls back to it
        ids << m_workosIdsByEmail.values(email);
    }
    ids.removeDuplicates();
    return ids;
}

Error UserDirectory::validate(const User &user)
{
    if (user.workosId.isEmpty() && user.email.trimmed().isEmpty())
        return Error(Error::InvalidArgument, QStringLiteral("a user needs a workosId or an email"));
    if (user.workosId.size() > MaxIdLength)
        return Error(Error::InvalidArgument, QStringLiteral("workosId is longer than %1 characters").arg(MaxIdLength));
    if (user.email.size() > MaxEmailLength)
        return Error(Error::InvalidArgument, QStringLiteral("email is longer than %1 characters").arg(MaxEmailLength));
    if (user.name.size() > MaxNameLength)
        return Error(Error::InvalidArgument, QStringLiteral("name is longer than %1 characters").arg(MaxNameLength));
    if (user.image.size() > MaxImageLength)
        return Error(Error::InvalidArgument, QStringLiteral("image is longer than %1 characters").arg(MaxImageLength));
    return {};
}

Result<QList<User>> UserDirectory::parseJson(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return Error(Error::InvalidArgument,
            QStringLiteral("users file is not valid JSON at offset %1: %2")
                .arg(parseError.offset)
                .arg(parseError.errorString()));
    }
    QJsonArray entries;
    if (doc.isArray()) {
        entries = doc.array();
    } else if (doc.object().value(QLatin1String("users")).isArray()) {
        entries = doc.object().value(QLatin1String("users")).toArray();
    } else if (doc.object().value(QLatin1String("data")).isArray()) {
        entries = doc.object().value(QLatin1String("data")).toArray();
    } else {
        return Error(Error::InvalidArgument,
            QStringLiteral("users file must be an array of users, or an object with a \"users\" array"));
    }

    QList<User> users;
    users.reserve(entries.size());
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QString where = QStringLiteral("users[%1]").arg(i);
        if (!entries.at(i).isObject())
            return Error(Error::InvalidArgument, where + QStringLiteral(": expected an object"));
        const QJsonObject entry = entries.at(i).toObject();

        QString badField;
        // The first of `keys` that is present; it must be a string (or null).
        auto field = [&](std::initializer_list<const char *> keys) -> QString {
            for (const char *key : keys) {
                const QJsonValue value = entry.value(QLatin1String(key));
                if (value.isUndefined() || value.isNull())
                    continue;
                if (!value.isString()) {
                    badField = QLatin1String(key);
                    return {};
                }
                return value.toString().trimmed();
            }
            return {};
        };

        User user;
        user.workosId = field({"workosId", "workos_id", "id"});
        user.email = field({"email"});
        user.name = field({"name"});
        if (user.name.isEmpty()) {
            const QString first = field({"first_name", "firstName"});
            const QString last = field({"last_name", "lastName"});
            user.name = (first + QLatin1Char(' ') + last).trimmed();
        }
        user.image = field({"image", "picture", "profile_picture_url", "profilePictureUrl"});
        user.imported = true;
        if (!badField.isEmpty())
            return Error(Error::InvalidArgument, where + QStringLiteral(".%1: expected a string").arg(badField));
        const Error error = validate(user);
        if (error.isError())
            return Error(Error::InvalidArgument, where + QStringLiteral(": ") + error.message());
        users << user;
    }
    return users;
}

} // namespace Presence
