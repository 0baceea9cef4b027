#pragma once

#include <QSslConfiguration>
#include <QTcpServer>

namespace Presence {

/// The listening socket. With a TLS configuration every accepted socket is a QSslSocket
/// that starts the server handshake at once; readers see decrypted bytes only.
class Listener : public QTcpServer
{
    Q_OBJECT
public:
    explicit Listener(QObject *parent = nullptr);

    void setTlsConfiguration(const QSslConfiguration &configuration);
    bool isTls() const { return !m_tls.isNull(); }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    QSslConfiguration m_tls;
};

} // namespace Presence
