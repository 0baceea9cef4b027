#pragma once

#include <QByteArray>
#include <QObject>

#include <memory>

namespace Presence {

/// Lines from standard input, delivered on the event loop: presence-desktop's automation hook
/// for end-to-end tests. A thread of the C++ library blocks on the read, so it works wherever
/// the app does, not only where stdin can be polled like a socket.
class StdinReader : public QObject
{
    Q_OBJECT
public:
    explicit StdinReader(QObject *parent = nullptr);
    ~StdinReader() override;

    /// Starts reading; lineRead() for each line, then finished() at the end of input.
    void start();

Q_SIGNALS:
    void lineRead(const QByteArray &line);
    void finished();

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;
};

} // namespace Presence
