#include "redisclusterprocess.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QThread>

#include <algorithm>

namespace {
const QStringList ClusterArguments {QStringLiteral("--cluster-enabled"), QStringLiteral("yes"),
    QStringLiteral("--cluster-config-file"), QStringLiteral("nodes.conf"), QStringLiteral("--cluster-node-timeout"),
    QStringLiteral("1000"), QStringLiteral("--repl-diskless-sync-delay"), QStringLiteral("0")};
}

bool RedisClusterProcess::start(int primaries, int replicas)
{
    for (int i = 0; i < primaries + replicas; ++i) {
        m_nodes.push_back(std::make_unique<RedisProcess>());
        if (!m_nodes.back()->start(ClusterArguments)) {
            m_errors = m_nodes.back()->errors();
            return false;
        }
    }
    QStringList create {QStringLiteral("--cluster"), QStringLiteral("create")};
    for (int i = 0; i < primaries; ++i)
        create << QStringLiteral("127.0.0.1:%1").arg(node(i).port());
    create << QStringLiteral("--cluster-replicas") << QStringLiteral("0") << QStringLiteral("--cluster-yes");
    QProcess cli;
    cli.start(QStringLiteral("redis-cli"), create);
    if (!cli.waitForFinished(30'000) || cli.exitCode() != 0) {
        m_errors = cli.readAll();
        return false;
    }
    for (int r = 0; r < replicas; ++r) {
        RedisProcess &replica = node(primaries + r);
        replica.cli({QStringLiteral("CLUSTER"), QStringLiteral("MEET"), QStringLiteral("127.0.0.1"),
            QString::number(node(0).port())});
    }
    for (int r = 0; r < replicas; ++r) {
        // A replica can follow its primary once it has heard of it through the cluster bus.
        const QByteArray primary = idOf(r % primaries);
        QDeadlineTimer deadline(10'000);
        while (node(primaries + r)
                   .cli({QStringLiteral("CLUSTER"), QStringLiteral("REPLICATE"), QString::fromLatin1(primary)})
            != "OK") {
            if (deadline.hasExpired()) {
                m_errors = "a replica did not learn of its primary";
                return false;
            }
            QThread::msleep(100);
        }
    }
    return waitUntilOk();
}

bool RedisClusterProcess::waitUntilOk(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        bool ok = true;
        QByteArray agreed;
        for (const auto &node : m_nodes) {
            ok = ok && node->cli({QStringLiteral("CLUSTER"), QStringLiteral("INFO")}).contains("cluster_state:ok");
            // Agreement: every node's view of the slots' owners is the same.
            QByteArray owners;
            for (const QByteArray &line : node->cli({QStringLiteral("CLUSTER"), QStringLiteral("NODES")}).split('\n')) {
                const QList<QByteArray> fields = line.split(' ');
                if (fields.size() > 8 && fields.at(2).contains("master"))
                    owners += fields.at(1).split('@').first() + fields.mid(8).join(' ') + ';';
            }
            QList<QByteArray> sorted = owners.split(';');
            std::sort(sorted.begin(), sorted.end());
            const QByteArray mine = sorted.join(';');
            ok = ok && (agreed.isEmpty() || agreed == mine);
            agreed = mine;
        }
        if (ok)
            return true;
        QThread::msleep(100);
    }
    m_errors = "the cluster did not settle";
    return false;
}

QString RedisClusterProcess::url() const
{
    return m_nodes.front()->url();
}

QByteArray RedisClusterProcess::idOf(int i)
{
    return node(i).cli({QStringLiteral("CLUSTER"), QStringLiteral("MYID")});
}

int RedisClusterProcess::ownerOf(int slot)
{
    // CLUSTER NODES: "<id> <ip:port@bus> <flags> <primary> <ping> <pong> <epoch> <link> <slots>…"
    for (const QByteArray &line : node(0).cli({QStringLiteral("CLUSTER"), QStringLiteral("NODES")}).split('\n')) {
        const QList<QByteArray> fields = line.split(' ');
        if (fields.size() < 9 || !fields.at(2).contains("master"))
            continue;
        for (const QByteArray &range : fields.mid(8)) {
            if (range.startsWith('['))
                continue; // a slot being migrated
            const QList<QByteArray> ends = range.split('-');
            const int first = ends.at(0).toInt();
            const int last = ends.size() > 1 ? ends.at(1).toInt() : first;
            if (slot < first || slot > last)
                continue;
            const quint16 port = fields.at(1).split('@').first().split(':').last().toUShort();
            for (int i = 0; i < size(); ++i) {
                if (node(i).port() == port)
                    return i;
            }
        }
    }
    return -1;
}

void RedisClusterProcess::flushAll()
{
    for (const auto &node : m_nodes) {
        if (node->cli({QStringLiteral("ROLE")}).startsWith("master"))
            node->cli({QStringLiteral("FLUSHALL")});
    }
}

bool RedisClusterProcess::moveSlot(int slot, int to)
{
    const int from = ownerOf(slot);
    if (from < 0 || from == to)
        return false;
    const QString s = QString::number(slot);
    const QString fromId = QString::fromLatin1(idOf(from));
    const QString toId = QString::fromLatin1(idOf(to));
    const QString setslot = QStringLiteral("SETSLOT");
    const QString cluster = QStringLiteral("CLUSTER");
    if (node(to).cli({cluster, setslot, s, QStringLiteral("IMPORTING"), fromId}) != "OK"
        || node(from).cli({cluster, setslot, s, QStringLiteral("MIGRATING"), toId}) != "OK")
        return false;
    for (;;) {
        const QByteArray keys = node(from).cli({cluster, QStringLiteral("GETKEYSINSLOT"), s, QStringLiteral("100")});
        if (keys.isEmpty())
            break;
        QStringList migrate {QStringLiteral("MIGRATE"), QStringLiteral("127.0.0.1"), QString::number(node(to).port()),
            QString(), QStringLiteral("0"), QStringLiteral("5000"), QStringLiteral("KEYS")};
        for (const QByteArray &key : keys.split('\n'))
            migrate << QString::fromUtf8(key);
        if (node(from).cli(migrate) != "OK")
            return false;
    }
    for (int i = 0; i < size(); ++i)
        node(i).cli({cluster, setslot, s, QStringLiteral("NODE"), toId});
    return waitUntilOk();
}
