#include "listener.h"

#include "budgetedsocket.h"

#include <QLoggingCategory>
#include <QSslSocket>
#include <QTcpSocket>

#include <QtCore/private/qiodevice_p.h>

#include <cstring>

namespace Presence {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

namespace {

// Once a socket has read or written anything, Qt keeps a 16 KiB read block and a 32 KiB write
// block for its whole life, and with presence's small frames about a page of each stays
// resident: most of a connection's memory. Blocks of this size are kept instead; a larger
// message gets a block of its own that is freed once it is read or sent.
constexpr int SocketChunkSize = 512;

// QIODevicePrivate is private API, so its layout is only trusted on the Qt it was compiled for.
const bool CanShrinkBuffers = std::strcmp(qVersion(), QT_VERSION_STR) == 0;

void shrinkBuffers(QIODevice *device)
{
    if (!CanShrinkBuffers || !device->isOpen())
        return;
    auto *d = static_cast<QIODevicePrivate *>(QObjectPrivate::get(device));
    if (d->readChannelCount > 0)
        d->buffer.setChunkSize(SocketChunkSize);
    if (d->writeChannelCount > 0)
        d->writeBuffer.setChunkSize(SocketChunkSize);
}

} // namespace

Listener::Listener(QObject *parent)
    : QTcpServer(parent)
{
}

void Listener::setTlsConfiguration(const QSslConfiguration &configuration)
{
    m_tls = configuration;
}

void Listener::incomingConnection(qintptr descriptor)
{
    QSslSocket *tls = isTls() ? new BudgetedSslSocket(this) : nullptr;
    QTcpSocket *socket = tls ? static_cast<QTcpSocket *>(tls) : new BudgetedTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    shrinkBuffers(socket);
    // Every frame is written whole and at once: Nagle would only hold a second frame (a push
    // right after an answer) until the client's delayed ACK, up to 40 ms.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (tls) {
        tls->setSslConfiguration(m_tls);
        connect(tls, &QSslSocket::sslErrors, tls, [tls](const QList<QSslError> &errors) {
            qCDebug(lcServer) << "TLS handshake failed:" << errors;
            tls->abort();
        });
        tls->startServerEncryption();
    }
    addPendingConnection(socket);
}

} // namespace Presence
