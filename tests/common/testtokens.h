#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

typedef struct evp_pkey_st EVP_PKEY;

/// Keys and tokens for the auth tests: two RSA keys (one published in jwks() as "key-1"),
/// an HS256 secret, and a token of every kind that must be refused.
class TestTokens
{
public:
    static const QByteArray Secret;
    static const QString Issuer;
    static const QString Audience;

    TestTokens();
    ~TestTokens();
    TestTokens(const TestTokens &) = delete;
    TestTokens &operator=(const TestTokens &) = delete;

    /// {"keys": [key-1, and an encryption key that must be skipped]}.
    QByteArray jwks() const;
    QByteArray publicKeyPem() const;

    /// Claims of a valid token at `now`, with `extra` merged in (a null value removes a claim).
    static QJsonObject claims(qint64 now, const QJsonObject &extra = {});
    QByteArray rs256(
        const QJsonObject &payload, bool otherKey = false, const QString &kid = QStringLiteral("key-1")) const;
    static QByteArray hs256(const QJsonObject &payload, const QByteArray &secret = Secret);

    struct Refusal
    {
        QByteArray name;
        QByteArray token;
        QString reason; ///< part of the error message
    };
    /// Every way a token must fail, at `now`.
    QList<Refusal> refusals(qint64 now) const;

    static QByteArray b64(const QByteArray &data);
    static QByteArray json(const QJsonObject &object);

private:
    EVP_PKEY *m_rsa = nullptr;
    EVP_PKEY *m_otherRsa = nullptr;
};
