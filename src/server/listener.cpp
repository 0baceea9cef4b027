#include "listener.h"

#include <QLoggingCategory>
#include <QSslSocket>

namespace Presence {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

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
    if (!isTls()) {
        QTcpServer::incomingConnection(descriptor);
        return;
    }
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    socket->setSslConfiguration(m_tls);
    connect(socket, &QSslSocket::sslErrors, socket, [socket](const QList<QSslError> &errors) {
        qCDebug(lcServer) << "TLS handshake failed:" << errors;
        socket->abort();
    });
    socket->startServerEncryption();
    addPendingConnection(socket);
}

} // namespace Presence
