#include "jwksfetcher.h"

#include "jwtverifier.h"

#include <QEventLoop>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QRegularExpression>

#include <algorithm>

namespace Presence {

Q_LOGGING_CATEGORY(lcJwks, "presence.jwks", QtInfoMsg)

namespace {
constexpr int FirstBackoffMs = 5'000;
constexpr int MaxBackoffMs = 300'000;
} // namespace

JwksFetcher::JwksFetcher(const QUrl &url, JwtVerifier *verifier, QObject *parent)
    : QObject(parent)
    , m_url(url)
    , m_verifier(verifier)
{
    m_network.setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &JwksFetcher::fetch);
}

QString JwksFetcher::refusal(const QUrl &url)
{
    if (!url.isValid() || url.isRelative() || url.host().isEmpty())
        return QStringLiteral("not an absolute URL");
    if (url.scheme() == QLatin1String("https"))
        return {};
    if (url.scheme() == QLatin1String("http")) {
        const QHostAddress address(url.host());
        if (url.host() == QLatin1String("localhost") || (!address.isNull() && address.isLoopback()))
            return {};
        return QStringLiteral("http: is accepted for loopback addresses only; keys must come over https:");
    }
    return QStringLiteral("the %1: scheme is not accepted; use https:").arg(url.scheme());
}

int JwksFetcher::maxAgeOf(const QByteArray &cacheControl)
{
    static const QRegularExpression maxAge(
        QStringLiteral("(?:^|[,\\s])max-age\\s*=\\s*\"?(\\d+)"), QRegularExpression::CaseInsensitiveOption);
    const QString value = QString::fromLatin1(cacheControl);
    if (value.contains(QLatin1String("no-store"), Qt::CaseInsensitive)
        || value.contains(QLatin1String("no-cache"), Qt::CaseInsensitive)) {
        return MinMaxAgeSeconds;
    }
    const QRegularExpressionMatch match = maxAge.match(value);
    if (!match.hasMatch())
        return DefaultMaxAgeSeconds;
    bool ok = false;
    const qint64 seconds = match.captured(1).left(9).toLongLong(&ok);
    return ok ? int(std::clamp<qint64>(seconds, MinMaxAgeSeconds, MaxMaxAgeSeconds)) : DefaultMaxAgeSeconds;
}

void JwksFetcher::fetch()
{
    if (m_reply)
        return;
    m_timer.stop();
    m_lastStart.start();
    ++m_fetches;
    QNetworkRequest request(m_url);
    request.setTransferTimeout(10'000);
    request.setRawHeader("Accept", "application/json");
    m_reply = m_network.get(request);
    connect(m_reply, &QNetworkReply::downloadProgress, m_reply, [reply = m_reply](qint64 received, qint64) {
        if (received > MaxBytes)
            reply->abort();
    });
    connect(m_reply, &QNetworkReply::finished, this, &JwksFetcher::onFinished);
}

void JwksFetcher::refetchForUnknownKey()
{
    if (m_reply)
        return;
    const qint64 wait = m_lastStart.isValid() ? m_refetchInterval - m_lastStart.elapsed() : 0;
    if (wait <= 0 && !(m_backoffMs > 0 && m_timer.isActive())) {
        qCInfo(lcJwks) << "a token names a key id that is not loaded: fetching" << m_url.toString();
        fetch();
        return;
    }
    // Fetched a moment ago: once more when the interval is over, however many ask meanwhile;
    // after a failure, not before the backoff is over either.
    if (m_backoffMs > 0 && m_timer.isActive())
        return;
    if (!m_timer.isActive() || m_timer.remainingTime() > wait)
        m_timer.start(int(wait));
}

bool JwksFetcher::fetchAndWait(int timeoutMs)
{
    QEventLoop loop;
    bool result = false;
    connect(this, &JwksFetcher::finished, &loop, [&](bool ok) {
        result = ok;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    fetch();
    loop.exec();
    return result;
}

void JwksFetcher::onFinished()
{
    QNetworkReply *reply = std::exchange(m_reply, nullptr);
    reply->deleteLater();
    QString error;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() != QNetworkReply::NoError) {
        error = reply->errorString();
    } else if (status != 200) {
        error = QStringLiteral("HTTP %1").arg(status);
    } else {
        const Result<int> loaded = m_verifier->loadJwks(reply->readAll());
        if (!loaded)
            error = loaded.error().message(); // and the keys we had stay
        else
            m_keyCount = loaded.value();
    }
    if (error.isEmpty()) {
        m_maxAge = maxAgeOf(reply->rawHeader("Cache-Control"));
        m_backoffMs = 0;
        m_lastError.clear();
        qCInfo(lcJwks) << "loaded" << m_keyCount << "RSA keys from" << m_url.toString() << "- fresh for" << m_maxAge
                       << "s";
        m_timer.start(m_maxAge * 1000);
        Q_EMIT finished(true);
        return;
    }
    ++m_failures;
    m_lastError = error;
    m_backoffMs = m_backoffMs == 0 ? FirstBackoffMs : std::min(MaxBackoffMs, m_backoffMs * 2);
    qCWarning(lcJwks) << "cannot fetch the keys from" << m_url.toString() << "-" << error << "- keeping the"
                      << m_keyCount << "keys we have; trying again in" << m_backoffMs / 1000 << "s";
    m_timer.start(m_backoffMs);
    Q_EMIT finished(false);
}

} // namespace Presence
