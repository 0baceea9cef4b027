#pragma once

// Not part of the installed API: where a sign-in's refresh token is kept between runs.

#include <QObject>

#include <functional>

namespace Presence {

/// The refresh token of one identity provider and application, in the operating system's
/// keychain (QtKeychain: the Secret Service on Linux, the Keychain on macOS, the Credential
/// Store on Windows). Never in a file of the app's: without a keychain, nothing is kept, and
/// the user signs in in the browser next time.
class RefreshTokenStore : public QObject
{
    Q_OBJECT

public:
    explicit RefreshTokenStore(QObject *parent = nullptr);

    /// The keychain entry of `issuer` and `clientId`.
    void setAccount(const QString &issuer, const QString &clientId);

    /// Reads the token: `done(token, error)`, with an empty token and error when none is kept.
    void read(std::function<void(const QString &token, const QString &error)> done);
    /// Keeps `token`, replacing the one kept.
    void write(const QString &token);
    /// Forgets the token kept.
    void remove();

private:
    QString m_key;
};

} // namespace Presence
