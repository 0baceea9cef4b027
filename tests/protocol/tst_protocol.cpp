// Protocol: both sides of the wire, byte for byte as docs/protocol.md shows them.
#include "protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
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
                R"({"sub":2,"type":"diff","upsert":[{"away":false,"lastDisconnected":0,"name":"Ada","online":true,"userId":"u1"}]})"));
        MemberDiff removal;
        removal.removed.append(QStringLiteral("u2"));
        QCOMPARE(Protocol::diff(2, removal), QByteArray(R"({"remove":["u2"],"sub":2,"type":"diff"})"));
    }

    void writesRequestsTheServerParses()
    {
        QCOMPARE(Protocol::heartbeatRequest(7, QStringLiteral("doc-1"), QStringLiteral("s1"), 10000),
            QByteArray(
                R"({"compact":true,"id":7,"interval":10000,"roomId":"doc-1","sessionId":"s1","type":"heartbeat"})"));
        QCOMPARE(Protocol::authRequest(std::nullopt, QStringLiteral("a.b.c")),
            QByteArray(R"({"token":"a.b.c","type":"auth"})"));
        const QList<std::pair<QByteArray, Request::Type>> frames {
            {Protocol::authRequest(1, QStringLiteral("t")), Request::Auth},
            {Protocol::heartbeatRequest(2, QStringLiteral("r"), QStringLiteral("s"), 1000, false), Request::Heartbeat},
            {Protocol::listRequest(3, QStringLiteral("rt"), 5), Request::List},
            {Protocol::subscribeRequest(4, QStringLiteral("rt"), 5), Request::Subscribe},
            {Protocol::unsubscribeRequest(5, 4), Request::Unsubscribe},
            {Protocol::disconnectRequest(6, QStringLiteral("st")), Request::Disconnect},
            {Protocol::updateRequest(7, QStringLiteral("st"), {{QStringLiteral("status"), QStringLiteral("Busy")}}),
                Request::Update},
        };
        qint64 id = 0;
        for (const auto &[frame, type] : frames) {
            const Request request = Protocol::parseRequest(frame);
            QCOMPARE(request.type, type);
            QCOMPARE(request.id, std::optional<qint64>(++id));
        }
        QCOMPARE(Protocol::beaconBody(QStringLiteral("st")), QByteArray(R"({"sessionToken":"st"})"));
        QCOMPARE(Protocol::updateRequest(8, QStringLiteral("st"), {}),
            QByteArray(R"({"data":{},"id":8,"sessionToken":"st","type":"update"})"));
    }

    void dataIsAnObjectOrNull()
    {
        const auto field
            = [](const QByteArray &json) { return Protocol::object(QJsonDocument::fromJson(json).object(), "data"); };
        QCOMPARE(field(R"({"data":{"a":1}})").value(), (QJsonObject {{QStringLiteral("a"), 1}}));
        QCOMPARE(field(R"({"data":null})").value(), QJsonObject());
        QCOMPARE(field(R"({})").error().message(), QStringLiteral("data is required"));
        QCOMPARE(field(R"({"data":[1]})").error().code(), Error::InvalidArgument);
        QCOMPARE(field(R"({"data":"busy"})").error().message(), QStringLiteral("data must be a JSON object or null"));
    }

    void onlinePagesAndRoomsTravel()
    {
        const OnlinePage page {{{QStringLiteral("ada"), QStringLiteral("Ada"), {}, true, {QStringLiteral("doc-1")}},
                                   {QStringLiteral("bob"), {}, {}, false, {}}},
            QStringLiteral("Ym9i")};
        const QJsonObject json = Protocol::onlinePage(page);
        QVERIFY(!json.value(QLatin1String("users")).toArray().at(1).toObject().contains(QLatin1String("name")));
        const std::optional<OnlinePage> back = Protocol::onlinePageFrom(json);
        QVERIFY(back);
        QCOMPARE(back->users, page.users);
        QCOMPARE(back->cursor, page.cursor);
        QVERIFY(
            !Protocol::onlinePageFrom(QJsonDocument::fromJson(R"({"users":[{"userId":"a","rooms":[]}]})").object()));
        QVERIFY(!Protocol::onlinePageFrom(
            QJsonDocument::fromJson(R"({"users":[{"userId":"a","away":false,"rooms":[3]}]})").object()));
        QCOMPARE(Protocol::roomsFrom(QJsonDocument::fromJson(R"({"rooms":["a","b"]})").object()),
            std::optional<QStringList>({QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(Protocol::parseRequest(Protocol::onlineRequest(3, 10, QStringLiteral("Ym9i"))).type, Request::Online);
        QCOMPARE(Protocol::parseRequest(Protocol::whereisRequest(4, QStringLiteral("bob"))).type, Request::WhereIs);
    }

    void membersCarryDataOnlyWhenTheyHaveSome()
    {
        Member ada {QStringLiteral("ada"), true, 0, {}, {}};
        QVERIFY(!Protocol::member(ada).contains(QLatin1String("data")));
        ada.data = QJsonObject {{QStringLiteral("status"), QStringLiteral("Busy")}};
        QCOMPARE(Protocol::member(ada).value(QLatin1String("data")).toObject(), ada.data);
        QCOMPARE(Protocol::memberFrom(Protocol::member(ada)), std::optional<Member>(ada));
    }

    void readsWhatTheServerWrites()
    {
        const Member ada {
            QStringLiteral("ada"), false, 1700000000123, QStringLiteral("Ada"), QStringLiteral("https://x/a.png")};
        const Reply list = Protocol::parseReply(Protocol::result(3, Protocol::members({ada})));
        QCOMPARE(list.kind, Reply::Result);
        QCOMPARE(list.id, std::optional<qint64>(3));
        QCOMPARE(Protocol::membersFrom(list.result), std::optional<QList<Member>>(QList<Member> {ada}));

        MemberDiff change;
        change.upserted.append(ada);
        change.removed.append(QStringLiteral("bob"));
        const Reply diff = Protocol::parseReply(Protocol::diff(9, change));
        QCOMPARE(diff.kind, Reply::Diff);
        QCOMPARE(diff.subscription, 9);
        QCOMPARE(diff.diff.upserted, change.upserted);
        QCOMPARE(diff.diff.removed, change.removed);

        const Reply refused
            = Protocol::parseReply(Protocol::error(4, Error(Error::PermissionDenied, QStringLiteral("no"))));
        QCOMPARE(refused.kind, Reply::Error);
        QCOMPARE(refused.id, std::optional<qint64>(4));
        QCOMPARE(refused.error.code(), Error::PermissionDenied);
        QCOMPARE(refused.error.message(), QStringLiteral("no"));

        const Reply compact = Protocol::parseReply(Protocol::compactResult(5));
        QCOMPARE(compact.kind, Reply::Result);
        QVERIFY(compact.result.isUndefined());
    }

    void countsTravelWithListsAndDiffs()
    {
        const Member ada {QStringLiteral("ada"), true, 0, {}, {}, false};
        const QJsonObject answer = Protocol::membersWithCounts({ada}, RoomCounts {3, 500});
        const auto read = Protocol::membersWithCountsFrom(answer);
        QVERIFY(read);
        QCOMPARE(read->first.size(), 1);
        QCOMPARE(read->second, (RoomCounts {3, 500}));
        QVERIFY(!Protocol::membersWithCountsFrom(Protocol::members({ada}))); // the plain shape is not it

        MemberDiff change;
        change.counts = RoomCounts {4, 501};
        QCOMPARE(Protocol::diff(1, change), QByteArray(R"({"online":4,"sub":1,"total":501,"type":"diff"})"));
        const Reply reply = Protocol::parseReply(Protocol::diff(1, change));
        QCOMPARE(reply.kind, Reply::Diff);
        QCOMPARE(reply.diff.counts, std::optional<RoomCounts>(RoomCounts {4, 501}));
        QCOMPARE(Protocol::parseReply(R"({"type":"diff","sub":1,"online":5,"total":4})").kind, Reply::Invalid);
        QCOMPARE(Protocol::parseRequest(Protocol::subscribeRequest(2, QStringLiteral("t"), 5, true))
                     .fields.value(QLatin1String("counts")),
            QJsonValue(true));
    }

    void anUnknownErrorCodeIsInternal()
    {
        const Reply reply
            = Protocol::parseReply(R"({"id":1,"type":"error","error":{"code":"brand_new","message":"m"}})");
        QCOMPARE(reply.kind, Reply::Error);
        QCOMPARE(reply.error.code(), Error::Internal);
    }

    void framesThatDoNotFitAreInvalidNeverData_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<bool>("keepsId");
        QTest::newRow("not json") << QByteArray("{") << false;
        QTest::newRow("an array") << QByteArray("[]") << false;
        QTest::newRow("unknown type") << QByteArray(R"({"id":1,"type":"surprise"})") << true;
        QTest::newRow("result without id") << QByteArray(R"({"type":"result","result":1})") << false;
        QTest::newRow("fractional id") << QByteArray(R"({"id":1.5,"type":"result"})") << false;
        QTest::newRow("error without code") << QByteArray(R"({"id":2,"type":"error","error":{}})") << true;
        QTest::newRow("diff without sub") << QByteArray(R"({"type":"diff","upsert":[]})") << false;
        QTest::newRow("member without userId")
            << QByteArray(R"({"type":"diff","sub":1,"upsert":[{"online":true,"lastDisconnected":0}]})") << false;
        QTest::newRow("member with a string time")
            << QByteArray(R"({"type":"diff","sub":1,"upsert":[{"userId":"a","online":true,"lastDisconnected":"0"}]})")
            << false;
        QTest::newRow("member with a numeric name") << QByteArray(
            R"({"type":"diff","sub":1,"upsert":[{"userId":"a","online":true,"lastDisconnected":0,"name":5}]})")
                                                    << false;
        QTest::newRow("member with data that is not an object") << QByteArray(
            R"({"type":"diff","sub":1,"upsert":[{"userId":"a","online":true,"lastDisconnected":0,"data":"x"}]})")
                                                                << false;
        QTest::newRow("empty removal") << QByteArray(R"({"type":"diff","sub":1,"remove":[""]})") << false;
        QTest::newRow("removal not a list") << QByteArray(R"({"type":"diff","sub":1,"remove":"a"})") << false;
    }

    void framesThatDoNotFitAreInvalidNeverData()
    {
        QFETCH(QByteArray, frame);
        QFETCH(bool, keepsId);
        const Reply reply = Protocol::parseReply(frame);
        QCOMPARE(reply.kind, Reply::Invalid);
        QCOMPARE(reply.error.code(), Error::Internal);
        QVERIFY(reply.error.message().startsWith(QStringLiteral("malformed reply from the server")));
        QCOMPARE(reply.id.has_value(), keepsId);
    }

    void heartbeatTokensMustBeThereAndShort()
    {
        QVERIFY(Protocol::heartbeatResultFrom(QJsonObject {{QStringLiteral("roomToken"), QStringLiteral("r")},
            {QStringLiteral("sessionToken"), QStringLiteral("s")}}));
        QVERIFY(!Protocol::heartbeatResultFrom(QJsonObject {{QStringLiteral("roomToken"), QStringLiteral("r")}}));
        QVERIFY(
            !Protocol::heartbeatResultFrom(QJsonObject {{QStringLiteral("roomToken"), QString(200, QLatin1Char('x'))},
                {QStringLiteral("sessionToken"), QStringLiteral("s")}}));
    }
};

QTEST_GUILESS_MAIN(ProtocolTest)
#include "tst_protocol.moc"
