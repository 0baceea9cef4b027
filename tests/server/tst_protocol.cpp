// Protocol: parsing frames and writing replies, byte for byte as docs/protocol.md shows them.
#include "protocol.h"

#include <QJsonArray>
#include <QTest>

using namespace Presence;

class ProtocolTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesARequest()
    {
        const Request r = Protocol::parseRequest(R"({"id":7,"type":"heartbeat","roomId":"doc-1","sessionId":"s"})");
        QCOMPARE(r.type, Request::Heartbeat);
        QCOMPARE(r.id.value(), 7);
        QVERIFY(!r.error.isError());
        QCOMPARE(Protocol::string(r.fields, "roomId", 256).value(), QStringLiteral("doc-1"));
        QCOMPARE(Protocol::integer(r.fields, "interval", 10000, 1000, 600000).value(), 10000);
    }

    void authMayGoWithoutAnId()
    {
        const Request r = Protocol::parseRequest(R"({"type":"auth","token":"t"})");
        QCOMPARE(r.type, Request::Auth);
        QVERIFY(!r.id);
    }

    void largestExactIdIsAccepted()
    {
        QCOMPARE(Protocol::parseRequest(R"({"id":9007199254740991,"type":"list"})").id.value(), Protocol::MaxId);
        QVERIFY(!Protocol::parseRequest(R"({"id":-1,"type":"list"})").error.isError());
        QVERIFY(Protocol::parseRequest(R"({"id":9007199254740993,"type":"list"})").error.isError());
    }

    void fieldErrorsNameTheField()
    {
        const QJsonObject fields {{QStringLiteral("n"), 1.5}, {QStringLiteral("s"), 3}};
        QCOMPARE(Protocol::integer(fields, "n", 0, 0, 10).error().message(),
            QStringLiteral("n must be an integer from 0 to 10"));
        QCOMPARE(Protocol::string(fields, "s", 10).error().message(), QStringLiteral("s must be a string"));
        QCOMPARE(Protocol::string(fields, "absent", 10).error().message(), QStringLiteral("absent is required"));
    }

    void writesReplies()
    {
        QCOMPARE(Protocol::result(3, true), QByteArray(R"({"id":3,"result":true,"type":"result"})"));
        QCOMPARE(Protocol::error(std::nullopt, Error(Error::TooLarge, QStringLiteral("big"))),
            QByteArray(R"({"error":{"code":"too_large","message":"big"},"type":"error"})"));
        QCOMPARE(Protocol::error(4, Error(Error::RateLimited, QStringLiteral("slow"))),
            QByteArray(R"({"error":{"code":"rate_limited","message":"slow"},"id":4,"type":"error"})"));
    }

    void diffsLeaveOutEmptyParts()
    {
        MemberDiff diff;
        diff.upserted.append(Member {QStringLiteral("u1"), true, 0, QStringLiteral("Ada"), {}});
        QCOMPARE(Protocol::diff(2, diff),
            QByteArray(
                R"({"sub":2,"type":"diff","upsert":[{"lastDisconnected":0,"name":"Ada","online":true,"userId":"u1"}]})"));
        MemberDiff removal;
        removal.removed.append(QStringLiteral("u2"));
        QCOMPARE(Protocol::diff(2, removal), QByteArray(R"({"remove":["u2"],"sub":2,"type":"diff"})"));
    }
};

QTEST_GUILESS_MAIN(ProtocolTest)
#include "tst_protocol.moc"
