#include "pendingrequests_p.h"

#include <limits>

namespace Presence {

void PendingRequests::add(qint64 id, QObject *context, Done done, qint64 now)
{
    m_pending.insert(id, {context, std::move(done), now});
}

void PendingRequests::answer(qint64 id, const Result<QJsonValue> &answer)
{
    const Pending pending = m_pending.take(id);
    if (pending.done && pending.context)
        pending.done(answer);
}

bool PendingRequests::answerOldest(const Error &error)
{
    if (m_pending.isEmpty())
        return false;
    qint64 oldest = std::numeric_limits<qint64>::max();
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it)
        oldest = std::min(oldest, it.key()); // ids grow with time
    answer(oldest, error);
    return true;
}

void PendingRequests::failAll(const Error &error)
{
    const QHash<qint64, Pending> pending = std::exchange(m_pending, {});
    for (const Pending &p : pending) {
        if (p.done && p.context)
            p.done(error);
    }
}

qint64 PendingRequests::oldestAge(qint64 now) const
{
    qint64 oldest = now;
    for (const Pending &p : m_pending)
        oldest = std::min(oldest, p.sentAt);
    return now - oldest;
}

} // namespace Presence
