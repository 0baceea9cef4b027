#include "disconnectbeacon_p.h"

#include "protocol.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace Presence {

DisconnectBeacon::DisconnectBeacon(const QUrl &webSocketUrl, QObject *parent)
    : QObject(parent)
    , m_url(webSocketUrl)
{
    m_url.setScheme(webSocketUrl.scheme() == QLatin1String("wss") ? QStringLiteral("https") : QStringLiteral("http"));
    m_url.setPath(QStringLiteral("/disconnect"));
    m_url.setQuery(QString());
}

void DisconnectBeacon::send(const QString &sessionToken)
{
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    QNetworkRequest request(m_url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(3000);
    QNetworkReply *reply = m_network->post(request, Protocol::beaconBody(sessionToken));
    ++m_inFlight;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        --m_inFlight;
        reply->deleteLater();
    });
}

} // namespace Presence
