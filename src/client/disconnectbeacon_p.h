#pragma once

// Not part of the installed API.

#include <QObject>
#include <QUrl>

class QNetworkAccessManager;

namespace Presence {

/// Ends sessions over HTTP when the WebSocket is down: `POST /disconnect` on the server's
/// host and port (the beacon of docs/protocol.md), so others see the user leave now rather
/// than after the server's close grace.
class DisconnectBeacon : public QObject
{
    Q_OBJECT
public:
    /// `webSocketUrl`: the server's ws:// or wss:// URL; the beacon goes to its http(s) twin.
    explicit DisconnectBeacon(const QUrl &webSocketUrl, QObject *parent = nullptr);

    void send(const QString &sessionToken);
    /// Beacons not answered yet.
    int inFlight() const { return m_inFlight; }

private:
    QUrl m_url;
    QNetworkAccessManager *m_network = nullptr;
    int m_inFlight = 0;
};

} // namespace Presence
