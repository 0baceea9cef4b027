// TokenSigner: HS256 tokens any JWT library accepts, made with Qt Core alone.
#include "tokensigner.h"

#include <QJsonDocument>
#include <QTest>

using namespace Presence;

class TokenSignerTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signsLikeEveryOtherHs256Implementation()
    {
        // Made independently (Python's hmac and base64) from the same compact JSON.
        const QJsonObject claims {{QStringLiteral("sub"), QStringLiteral("ada")},
            {QStringLiteral("org_id"), QStringLiteral("org_1")}, {QStringLiteral("exp"), 1900000000}};
        QCOMPARE(TokenSigner::signHs256(claims, "0123456789abcdef0123456789abcdef"),
            QByteArray(
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE5MDAwMDAwMDAsIm9yZ19pZCI6Im9yZ18xIiwic3ViIjoiYWRh"
                "In0.t332Bu2USapLVPQ8DAn7qK80WzRvMrOOXl3T7Uas7U8"));
    }

    void theSecretChangesTheSignatureOnly()
    {
        const QJsonObject claims {{QStringLiteral("sub"), QStringLiteral("ada")}};
        const QList<QByteArray> a = TokenSigner::signHs256(claims, "secret-a-secret-a-secret-a-secret").split('.');
        const QList<QByteArray> b = TokenSigner::signHs256(claims, "secret-b-secret-b-secret-b-secret").split('.');
        QCOMPARE(a.size(), 3);
        QCOMPARE(a.at(0), b.at(0));
        QCOMPARE(a.at(1), b.at(1));
        QVERIFY(a.at(2) != b.at(2));
        QCOMPARE(a.at(2).size(), 43); // 32 bytes, base64url without padding
    }

    void claimsComeBackFromThePayload()
    {
        const QJsonObject claims {
            {QStringLiteral("sub"), QStringLiteral("grace")}, {QStringLiteral("name"), QStringLiteral("Grace Hopper")}};
        const QByteArray payload = TokenSigner::signHs256(claims, "k").split('.').at(1);
        const QByteArray json = QByteArray::fromBase64(payload, QByteArray::Base64UrlEncoding);
        QCOMPARE(QJsonDocument::fromJson(json).object(), claims);
    }
};

QTEST_GUILESS_MAIN(TokenSignerTest)
#include "tst_tokensigner.moc"
