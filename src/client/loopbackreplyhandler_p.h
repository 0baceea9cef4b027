#pragma once

// Not part of the installed API: the loopback end of a sign-in's browser redirect.

#include <QOAuthHttpServerReplyHandler>

namespace Presence {

/// Listens on 127.0.0.1 (an ephemeral port) for the identity provider's redirect, and tells
/// a failed token request apart from a good one: Qt 6.4's handler only logs a refused or
/// unreachable token endpoint, and its flow never hears of it.
class LoopbackReplyHandler : public QOAuthHttpServerReplyHandler
{
    Q_OBJECT

public:
    explicit LoopbackReplyHandler(QObject *parent = nullptr);

    /// A token endpoint's answer: passed on when it holds tokens, tokenRequestFailed() otherwise.
    void networkReplyFinished(QNetworkReply *reply) override;

Q_SIGNALS:
    /// The token endpoint refused (`code` is its OAuth error, e.g. `invalid_grant`) or could not
    /// be reached (`unavailable`).
    void tokenRequestFailed(const QString &code, const QString &message);
};

} // namespace Presence
