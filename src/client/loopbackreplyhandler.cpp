#include "loopbackreplyhandler_p.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>

namespace Presence {

LoopbackReplyHandler::LoopbackReplyHandler(QObject *parent)
    // Loopback only: the default would listen on every interface.
    : QOAuthHttpServerReplyHandler(QHostAddress::LocalHost, 0, parent)
{
    // A path of its own: with none, any request to the port (a browser's favicon) would be
    // taken for the redirect.
    setCallbackPath(QStringLiteral("signed-in"));
    setCallbackText(tr("You can close this page and go back to the app."));
}

void LoopbackReplyHandler::networkReplyFinished(QNetworkReply *reply)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() == QNetworkReply::NoError && status >= 200 && status < 300) {
        QOAuthHttpServerReplyHandler::networkReplyFinished(reply);
        return;
    }
    // RFC 6749 5.2: {"error": "invalid_grant", "error_description": "…"}.
    const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
    const QString code = body.value(QLatin1String("error")).toString();
    if (!code.isEmpty() && status >= 400 && status < 500) {
        const QString description = body.value(QLatin1String("error_description")).toString();
        Q_EMIT tokenRequestFailed(code,
            description.isEmpty() ? tr("the identity provider refused: %1").arg(code)
                                  : tr("the identity provider refused: %1").arg(description));
        return;
    }
    Q_EMIT tokenRequestFailed(QStringLiteral("unavailable"),
        status > 0 ? tr("the identity provider answered HTTP %1").arg(status)
                   : tr("the identity provider cannot be reached: %1").arg(reply->errorString()));
}

} // namespace Presence
