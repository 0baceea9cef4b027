#include "stdinreader.h"

#include <QMetaObject>

#include <cstdio>
#include <mutex>
#include <thread>

namespace Presence {

// The reading thread outlives the reader when stdin stays open: it reaches the reader only
// through this, under the lock the reader's destructor takes.
struct StdinReader::Shared
{
    std::mutex mutex;
    StdinReader *reader = nullptr;
};

StdinReader::StdinReader(QObject *parent)
    : QObject(parent)
    , m_shared(std::make_shared<Shared>())
{
    m_shared->reader = this;
}

StdinReader::~StdinReader()
{
    const std::lock_guard<std::mutex> lock(m_shared->mutex);
    m_shared->reader = nullptr;
}

void StdinReader::start()
{
    std::thread([shared = m_shared] {
        // Queued to the reader: an event still waiting when the reader goes is dropped with it.
        const auto post = [&shared](const QByteArray &line, bool end) {
            const std::lock_guard<std::mutex> lock(shared->mutex);
            StdinReader *reader = shared->reader;
            if (!reader)
                return false;
            QMetaObject::invokeMethod(
                reader, [reader, line, end] { end ? Q_EMIT reader->finished() : Q_EMIT reader->lineRead(line); },
                Qt::QueuedConnection);
            return true;
        };
        QByteArray line;
        char buffer[256];
        while (std::fgets(buffer, sizeof buffer, stdin)) {
            line.append(buffer);
            if (!line.endsWith('\n'))
                continue;
            line.chop(1);
            if (!post(line, false))
                return;
            line.clear();
        }
        post(QByteArray(), true);
    }).detach();
}

} // namespace Presence
