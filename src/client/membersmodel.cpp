#include "membersmodel.h"

#include "membersmodel_p.h"

#include <QDateTime>
#include <QHash>

#include <algorithm>

namespace Presence {

namespace {

QList<int> changedRoles(const Member &a, const Member &b)
{
    QList<int> roles;
    if (a.name != b.name)
        roles << Qt::DisplayRole << MembersModel::NameRole << MembersModel::InitialsRole;
    if (a.image != b.image)
        roles << MembersModel::ImageRole;
    if (a.online != b.online)
        roles << MembersModel::OnlineRole;
    if (a.lastDisconnected != b.lastDisconnected)
        roles << MembersModel::LastDisconnectedRole;
    if (a.away != b.away)
        roles << MembersModel::AwayRole;
    if (a.data != b.data) {
        roles << MembersModel::PresenceDataRole;
        if (a.data.value(QLatin1String("status")) != b.data.value(QLatin1String("status")))
            roles << MembersModel::StatusRole;
    }
    if (!roles.isEmpty())
        roles << MembersModel::DataRole;
    return roles;
}

qsizetype indexOf(const QList<Member> &list, const QString &userId)
{
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (list.at(i).userId == userId)
            return i;
    }
    return -1;
}

// Offline members: most recently gone first, ties by userId.
bool offlineBefore(const Member &a, const Member &b)
{
    if (a.lastDisconnected != b.lastDisconnected)
        return a.lastDisconnected > b.lastDisconnected;
    return a.userId < b.userId;
}

// Indices (into `sequence`) of one longest increasing subsequence.
QList<qsizetype> longestIncreasing(const QList<qsizetype> &sequence)
{
    QList<qsizetype> tails; // index of the smallest tail of each length
    QList<qsizetype> previous(sequence.size(), -1);
    for (qsizetype i = 0; i < sequence.size(); ++i) {
        const auto pos = std::lower_bound(tails.begin(), tails.end(), sequence[i],
            [&](qsizetype index, qsizetype value) { return sequence[index] < value; });
        if (pos != tails.begin())
            previous[i] = *(pos - 1);
        if (pos == tails.end())
            tails.append(i);
        else
            *pos = i;
    }
    QList<qsizetype> result;
    for (qsizetype i = tails.isEmpty() ? -1 : tails.last(); i >= 0; i = previous[i])
        result.prepend(i);
    return result;
}

} // namespace

QList<Member> MembersModelPrivate::applied(QList<Member> list, const MemberDiff &diff)
{
    for (const QString &userId : diff.removed) {
        const qsizetype i = indexOf(list, userId);
        if (i >= 0)
            list.removeAt(i);
    }
    for (const Member &m : diff.upserted) {
        const qsizetype i = indexOf(list, m.userId);
        if (i >= 0 && list.at(i).online && m.online) {
            list[i] = m; // stays online: keeps its place
            continue;
        }
        if (i >= 0)
            list.removeAt(i);
        qsizetype at = 0;
        while (at < list.size() && list.at(at).online)
            ++at; // online newcomers go after everyone online
        if (!m.online) {
            while (at < list.size() && offlineBefore(list.at(at), m))
                ++at;
        }
        list.insert(at, m);
    }
    return list;
}

QList<Member> MembersModelPrivate::display() const
{
    QList<Member> list = server;
    if (selfFirst && !self.isEmpty()) {
        const qsizetype i = indexOf(list, self);
        if (i > 0)
            list.move(i, 0);
    }
    return list;
}

void MembersModelPrivate::setMembers(const QList<Member> &members)
{
    server = members;
    if (!loaded) {
        const int oldCount = int(rows.size());
        const int oldOnline = q->onlineCount();
        q->beginResetModel();
        rows = display();
        loaded = true;
        q->endResetModel();
        notifyCounts(oldCount, oldOnline);
        Q_EMIT q->loadedChanged();
        return;
    }
    sync(display());
}

void MembersModelPrivate::applyDiff(const MemberDiff &diff)
{
    if (diff.isEmpty())
        return;
    server = applied(server, diff);
    sync(display());
}

void MembersModelPrivate::clear()
{
    const int oldCount = int(rows.size());
    const int oldOnline = q->onlineCount();
    q->beginResetModel();
    server.clear();
    rows.clear();
    q->endResetModel();
    notifyCounts(oldCount, oldOnline);
    if (loaded) {
        loaded = false;
        Q_EMIT q->loadedChanged();
    }
}

void MembersModelPrivate::sync(const QList<Member> &target)
{
    const int oldCount = int(rows.size());
    const int oldOnline = q->onlineCount();

    // 1. Rows that are gone.
    QHash<QString, qsizetype> targetIndex;
    for (qsizetype i = 0; i < target.size(); ++i)
        targetIndex.insert(target.at(i).userId, i);
    for (qsizetype i = rows.size() - 1; i >= 0; --i) {
        if (!targetIndex.contains(rows.at(i).userId)) {
            q->beginRemoveRows(QModelIndex(), int(i), int(i));
            rows.removeAt(i);
            q->endRemoveRows();
        }
    }

    // 2. Moves: rows on a longest run already in order stay; each other one moves once,
    //    in target order, to just after its predecessor.
    QList<qsizetype> order;
    for (const Member &m : std::as_const(rows))
        order.append(targetIndex.value(m.userId));
    const QList<qsizetype> keep = longestIncreasing(order);
    QSet<QString> placed;
    for (qsizetype k : keep)
        placed.insert(rows.at(k).userId);
    QList<QString> toMove;
    for (const Member &m : std::as_const(rows)) {
        if (!placed.contains(m.userId))
            toMove.append(m.userId);
    }
    std::sort(toMove.begin(), toMove.end(),
        [&](const QString &a, const QString &b) { return targetIndex.value(a) < targetIndex.value(b); });
    for (const QString &userId : std::as_const(toMove)) {
        const qsizetype from = indexOf(rows, userId);
        // Its predecessor: the nearest member before it in the target that is already placed.
        qsizetype to = 0;
        for (qsizetype t = targetIndex.value(userId) - 1; t >= 0; --t) {
            if (placed.contains(target.at(t).userId)) {
                to = indexOf(rows, target.at(t).userId) + 1;
                break;
            }
        }
        if (to != from && to != from + 1) {
            q->beginMoveRows(QModelIndex(), int(from), int(from), QModelIndex(), int(to));
            rows.move(from, to > from ? to - 1 : to);
            q->endMoveRows();
        }
        placed.insert(userId);
    }

    // 3. New rows, then 4. changed fields.
    for (qsizetype i = 0; i < target.size(); ++i) {
        if (i < rows.size() && rows.at(i).userId == target.at(i).userId)
            continue;
        q->beginInsertRows(QModelIndex(), int(i), int(i));
        rows.insert(i, target.at(i));
        q->endInsertRows();
    }
    for (qsizetype i = 0; i < target.size(); ++i) {
        const QList<int> roles = changedRoles(rows.at(i), target.at(i));
        if (roles.isEmpty())
            continue;
        rows[i] = target.at(i);
        const QModelIndex index = q->index(int(i));
        Q_EMIT q->dataChanged(index, index, roles);
    }
    notifyCounts(oldCount, oldOnline);
}

void MembersModelPrivate::notifyCounts(int oldCount, int oldOnline)
{
    if (rows.size() != oldCount)
        Q_EMIT q->countChanged();
    if (q->onlineCount() != oldOnline)
        Q_EMIT q->onlineCountChanged();
}

MembersModel::MembersModel(QObject *parent)
    : QAbstractListModel(parent)
    , d(std::make_unique<MembersModelPrivate>(this))
{
}

MembersModel::~MembersModel() = default;

int MembersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(d->rows.size());
}

int MembersModel::onlineCount() const
{
    return int(std::count_if(d->rows.cbegin(), d->rows.cend(), [](const Member &m) { return m.online; }));
}

bool MembersModel::isLoaded() const
{
    return d->loaded;
}

QVariant MembersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Member &m = d->rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return m.name.isEmpty() ? m.userId : m.name;
    case UserIdRole:
        return m.userId;
    case NameRole:
        return m.name;
    case ImageRole:
        return m.image;
    case OnlineRole:
        return m.online;
    case LastDisconnectedRole:
        return m.lastDisconnected > 0 ? QDateTime::fromMSecsSinceEpoch(m.lastDisconnected) : QDateTime();
    case InitialsRole:
        return initialsFor(m.name, m.userId);
    case ColorRole:
        return colorFor(m.userId);
    case IsSelfRole:
        return !d->self.isEmpty() && m.userId == d->self;
    case AwayRole:
        return m.away;
    case DataRole:
        return get(index.row());
    case PresenceDataRole:
        return m.data.toVariantMap();
    case StatusRole:
        return m.data.value(QLatin1String("status")).toString();
    }
    return {};
}

QHash<int, QByteArray> MembersModel::roleNames() const
{
    return {{UserIdRole, "userId"}, {NameRole, "name"}, {ImageRole, "image"}, {OnlineRole, "online"},
        {LastDisconnectedRole, "lastDisconnected"}, {InitialsRole, "initials"}, {ColorRole, "color"},
        {IsSelfRole, "isSelf"}, {AwayRole, "away"}, {DataRole, "memberData"}, {PresenceDataRole, "presenceData"},
        {StatusRole, "status"}, {Qt::DisplayRole, "display"}};
}

QVariantMap MembersModel::get(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    QVariantMap map;
    const QModelIndex i = index(row);
    const QHash<int, QByteArray> names = roleNames();
    for (auto it = names.cbegin(); it != names.cend(); ++it) {
        if (it.key() != DataRole && it.key() != Qt::DisplayRole)
            map.insert(QString::fromLatin1(it.value()), data(i, it.key()));
    }
    return map;
}

QString MembersModel::selfUserId() const
{
    return d->self;
}

void MembersModel::setSelfUserId(const QString &userId)
{
    if (d->self == userId)
        return;
    const QString old = d->self;
    d->self = userId;
    Q_EMIT selfUserIdChanged();
    for (const QString &id : {old, userId}) {
        const qsizetype row = indexOf(d->rows, id);
        if (row >= 0)
            Q_EMIT dataChanged(index(int(row)), index(int(row)), {IsSelfRole, DataRole});
    }
    if (d->loaded && d->selfFirst)
        d->sync(d->display());
}

bool MembersModel::selfFirst() const
{
    return d->selfFirst;
}

void MembersModel::setSelfFirst(bool selfFirst)
{
    if (d->selfFirst == selfFirst)
        return;
    d->selfFirst = selfFirst;
    Q_EMIT selfFirstChanged();
    if (d->loaded)
        d->sync(d->display());
}

QString MembersModel::initialsFor(const QString &name, const QString &userId)
{
    const QStringList words = name.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QString initials;
    if (!words.isEmpty()) {
        initials += words.first().at(0);
        if (words.size() > 1)
            initials += words.last().at(0);
        return initials.toUpper();
    }
    for (const QChar c : userId) {
        if (c.isLetterOrNumber())
            return QString(c).toUpper();
    }
    return QStringLiteral("?");
}

QColor MembersModel::colorFor(const QString &userId)
{
    // Saturated mid-tone colours that carry white initials in light and dark themes.
    static const QRgb palette[] = {0xd32f2f, 0xc2185b, 0x7b1fa2, 0x512da8, 0x303f9f, 0x1976d2, 0x0288d1, 0x00796b,
        0x388e3c, 0x689f38, 0xf57c00, 0xe64a19, 0x5d4037, 0x455a64};
    // FNV-1a: the same colour in every process and on every run, unlike qHash.
    quint32 hash = 2166136261u;
    for (const QChar c : userId) {
        hash ^= c.unicode();
        hash *= 16777619u;
    }
    return QColor(palette[hash % (sizeof palette / sizeof *palette)]);
}

} // namespace Presence
