#pragma once

// Where a cluster's state sits in Redis: see redis/presence.lua for every key.

#include <QByteArray>
#include <QCryptographicHash>
#include <QString>

namespace Presence {
namespace RedisKeys {

constexpr int Partitions = 16; // {p0}..{pf}: one slot of a Redis Cluster each

/// "p:{pX}:", the prefix of partition `digit` (a hex digit).
inline QByteArray partitionBase(char digit)
{
    return "p:{p" + QByteArray(1, digit) + "}:";
}

inline QByteArray partitionBase(int partition)
{
    return partitionBase("0123456789abcdef"[partition]);
}

/// The partition of all of an organization's state: the first hex digit of SHA-256 of its name.
inline char partitionOf(const QString &organization)
{
    return QCryptographicHash::hash(organization.toUtf8(), QCryptographicHash::Sha256).toHex().at(0);
}

inline QByteArray organizationBase(const QString &organization)
{
    return partitionBase(partitionOf(organization));
}

/// The index of who is online where in an organization.
inline QByteArray onlineKey(const QString &organization)
{
    return organizationBase(organization) + "w:" + organization.toUtf8();
}

/// An organization's users table.
inline QByteArray usersKey(const QString &organization)
{
    return organizationBase(organization) + "u:" + organization.toUtf8();
}

/// Told the organization whose users table changed (a shard channel of its partition).
inline QByteArray usersChannel(int partition)
{
    return partitionBase(partition) + "users";
}

inline QByteArray usersChannel(const QString &organization)
{
    return usersChannel(QByteArray("0123456789abcdef").indexOf(partitionOf(organization)));
}

} // namespace RedisKeys
} // namespace Presence
