#include "stdinreader.h"

#include <QFile>
#include <QMetaObject>

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
        // Descriptor 0 without the C library's FILE: a thread blocked in fgets() holds stdin's
        // lock, and some C libraries take every FILE lock in exit(), which would never return.
        QFile input;
        if (!input.open(0, QIODevice::ReadOnly | QIODevice::Unbuffered, QFileDevice::DontCloseHandle)) {
            post(QByteArray(), true);
            return;
        }
        // A byte at a time: asked for more, Qt's read of a descriptor waits until it has them
        // all (or the end), and a command is a few bytes on a pipe that stays open.
        QByteArray line;
        char c;
        while (input.read(&c, 1) == 1) {
            if (c != '\n') {
                line.append(c);
                continue;
            }
            if (!post(line, false))
                return;
            line.clear();
        }
        post(QByteArray(), true);
    }).detach();
}

} // namespace Presence
