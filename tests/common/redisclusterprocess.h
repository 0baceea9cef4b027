#pragma once

#include "redisprocess.h"

#include <memory>
#include <vector>

/// A Redis Cluster of the test's own: redis-servers (RedisProcess) on free loopback ports, with
/// cluster mode on, joined by `redis-cli --cluster create` and its slots spread evenly over the
/// primaries.
class RedisClusterProcess
{
public:
    /// Starts `primaries` (at least 3, as Redis Cluster wants) and `replicas` more nodes; replica
    /// i follows primary i. Waits until every node reports cluster_state:ok.
    bool start(int primaries = 3, int replicas = 0);
    /// Every node says cluster_state:ok and agrees on who owns each slot.
    bool waitUntilOk(int timeoutMs = 20'000);

    int size() const { return int(m_nodes.size()); }
    RedisProcess &node(int i) { return *m_nodes.at(size_t(i)); }
    /// A URL of the first node: any node leads to the whole cluster.
    QString url() const;
    /// The node (index) that owns `slot` now, or -1.
    int ownerOf(int slot);
    /// The cluster's node id of node `i`.
    QByteArray idOf(int i);
    /// FLUSHALL on every primary.
    void flushAll();
    /// Moves `slot`, with its keys, from the node that owns it to node `to`, as a resharding
    /// does (IMPORTING, MIGRATING, MIGRATE, then SETSLOT NODE on every node).
    bool moveSlot(int slot, int to);
    QByteArray errors() const { return m_errors; }

private:
    std::vector<std::unique_ptr<RedisProcess>> m_nodes;
    QByteArray m_errors;
};
