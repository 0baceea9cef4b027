#pragma once

#include <QDateTime>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>
#include <QUrl>

namespace Presence {

class JwtVerifier;

/// Keeps a JwtVerifier's RSA keys in step with an identity provider's JWKS URL (WorkOS and
/// every OpenID Connect provider publish theirs and rotate them).
///
/// The key set is fetched at start, again when its Cache-Control max-age runs out (10 minutes
/// without one; from 30 s to a day), and on demand when a token names a key id that is not
/// loaded, at most once per refetch interval (3 s: shorter than the 5 s a token may wait in an
/// upgrade or auth frame) so that made-up key ids cannot make us hammer the provider, and not
/// before the backoff after a failure is over. A failed fetch keeps the last good key set and is retried with backoff.
class JwksFetcher : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultMaxAgeSeconds = 600;
    static constexpr int MinMaxAgeSeconds = 30;
    static constexpr int MaxMaxAgeSeconds = 24 * 3600;
    static constexpr int DefaultRefetchIntervalMs = 3'000;
    static constexpr int MaxBytes = 1024 * 1024;

    JwksFetcher(const QUrl &url, JwtVerifier *verifier, QObject *parent = nullptr);

    /// Empty when `url` may serve keys: https:, or http: to a loopback address (development).
    static QString refusal(const QUrl &url);

    QUrl url() const { return m_url; }
    /// Fetches now unless a fetch is in flight; finished() tells how it went.
    void fetch();
    /// A token named a kid we lack: fetches now, or when the refetch interval since the last
    /// fetch is over (one fetch however many ask). finished() tells when it is done.
    void refetchForUnknownKey();
    bool isFetching() const { return m_reply != nullptr; }
    /// The least time between two fetches asked for by unknown key ids.
    void setRefetchInterval(int ms) { m_refetchInterval = ms; }
    /// Fetches and waits (running the event loop) at most `timeoutMs`: for start-up.
    bool fetchAndWait(int timeoutMs);

    quint64 fetches() const { return m_fetches; }
    quint64 failures() const { return m_failures; }
    QString lastError() const { return m_lastError; }
    int keyCount() const { return m_keyCount; }
    /// Seconds the current key set is fresh for, as the last good answer said.
    int maxAge() const { return m_maxAge; }

    /// The max-age a Cache-Control value gives, clamped; DefaultMaxAgeSeconds without one.
    static int maxAgeOf(const QByteArray &cacheControl);

Q_SIGNALS:
    void finished(bool ok);

private:
    void onFinished();

    QUrl m_url;
    JwtVerifier *m_verifier;
    QNetworkAccessManager m_network;
    QNetworkReply *m_reply = nullptr;
    QTimer m_timer;
    QElapsedTimer m_lastStart;
    int m_backoffMs = 0;
    int m_refetchInterval = DefaultRefetchIntervalMs;
    int m_maxAge = DefaultMaxAgeSeconds;
    int m_keyCount = 0;
    quint64 m_fetches = 0;
    quint64 m_failures = 0;
    QString m_lastError;
};

} // namespace Presence
