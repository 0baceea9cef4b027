#pragma once

// Not part of the installed API.

#include "error.h"
#include "presenceclient_export.h"
#include "result.h"

#include <QHash>
#include <QJsonValue>
#include <QPointer>

#include <functional>

namespace Presence {

/// Requests sent on a connection and not answered yet, by id: who waits for each, and since
/// when. Each answer goes to its waiter once, and only while the waiter's context lives.
class PRESENCECLIENT_AUTOTEST_EXPORT PendingRequests
{
public:
    using Done = std::function<void(const Result<QJsonValue> &)>;

    void add(qint64 id, QObject *context, Done done, qint64 now);
    bool contains(qint64 id) const { return m_pending.contains(id); }
    /// Someone still waits for `id`: it is pending and its context lives.
    bool isWaiting(qint64 id) const
    {
        const auto it = m_pending.constFind(id);
        return it != m_pending.cend() && it->done && it->context;
    }
    bool isEmpty() const { return m_pending.isEmpty(); }

    /// The answer to `id`: a result or an error. Unknown ids are ignored.
    void answer(qint64 id, const Result<QJsonValue> &answer);
    /// An error the server could not tie to an id answers the oldest request: replies come in
    /// request order. False if nothing was waiting.
    bool answerOldest(const Error &error);
    /// The connection is gone: every waiter hears `error`.
    void failAll(const Error &error);
    /// How long the oldest request has waited at `now`; 0 when none waits.
    qint64 oldestAge(qint64 now) const;

private:
    struct Pending
    {
        QPointer<QObject> context;
        Done done;
        qint64 sentAt = 0; // monotonic ms
    };
    QHash<qint64, Pending> m_pending;
};

} // namespace Presence
