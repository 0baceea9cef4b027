// RedisWire: what the functions publish and answer, read back; the malformed left out whole.
#include "rediswire.h"

#include <QTest>

using namespace Presence;

namespace {

RedisReply string(const QByteArray &s)
{
    return RedisReply {RedisReply::String, s, 0, {}};
}

RedisReply integer(qint64 n)
{
    return RedisReply {RedisReply::Integer, {}, n, {}};
}

} // namespace

class RedisWireTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsAMemberAsTheFunctionsWriteIt()
    {
        // Some JSON here is in plain strings: moc (6.4) loses its way in a raw string holding "[.
        const auto w
            = RedisWire::member("{\"u\":\"ada\",\"o\":1,\"ld\":1764800000123,\"j\":7,\"a\":1,"
                                "\"d\":\"{\\\"status\\\":\\\"écrit\\\"}\",\"n\":\"Ada\",\"i\":\"https://a/x.png\"}");
        QVERIFY(w);
        QCOMPARE(w->member.userId, QStringLiteral("ada"));
        QVERIFY(w->member.online);
        QCOMPARE(w->member.lastDisconnected, 1764800000123);
        QCOMPARE(w->member.joinOrder, 7);
        QVERIFY(w->member.away);
        QCOMPARE(w->member.data.value(QLatin1String("status")).toString(), QStringLiteral("écrit"));
        QCOMPARE(w->name, QStringLiteral("Ada"));
        QCOMPARE(w->image, QStringLiteral("https://a/x.png"));
    }

    void aMemberWithoutAUserOrWithNumbersNoIntegerIsNone()
    {
        for (const QByteArray &json :
            {R"({"o":1,"ld":0,"j":1})"_qba, R"({"u":"","ld":0,"j":1})"_qba, R"({"u":"a","ld":1e300,"j":1})"_qba,
                R"({"u":"a","ld":-1e300,"j":1})"_qba, R"({"u":"a","ld":0,"j":1.5})"_qba,
                R"({"u":"a","ld":"0","j":1})"_qba, R"({"u":"a","j":1})"_qba, R"({"u":"a","ld":-5,"j":1})"_qba,
                R"({"u":"a","ld":0,"j":9007199254740993e3})"_qba, "[1]"_qba, "not json"_qba, ""_qba}) {
            QVERIFY2(!RedisWire::member(json), json.constData());
        }
        // Data that is not an object is no data, not a dropped member.
        const auto w = RedisWire::member("{\"u\":\"a\",\"ld\":0,\"j\":1,\"d\":\"[1,2\"}");
        QVERIFY(w);
        QVERIFY(w->member.data.isEmpty());
    }

    void readsARoomAndLeavesOutItsMalformedMembers()
    {
        const RedisReply reply {RedisReply::Array, {}, 0,
            {string("H.token"), integer(12), string("org_a"), string("doc"), string("ada"),
                string(R"({"u":"ada","o":1,"ld":0,"j":1})"), string("bob"), string(R"({"u":"bob","ld":1e300,"j":2})"),
                string("cy"), string(R"({"u":"cy","o":0,"ld":1764800000000,"j":3})"), string("dangling")}};
        const auto room = RedisWire::room(reply);
        QVERIFY(room);
        QCOMPARE(room->token, QStringLiteral("H.token"));
        QCOMPARE(room->version, 12);
        QCOMPARE(room->organization, QStringLiteral("org_a"));
        QCOMPARE(room->roomId, QStringLiteral("doc"));
        QCOMPARE(room->members.size(), 2);
        QCOMPARE(room->members[1].member.userId, QStringLiteral("cy"));

        QVERIFY(!RedisWire::room(string("nope")));
        QVERIFY(!RedisWire::room(RedisReply {RedisReply::Array, {}, 0, {string("t"), integer(1), string("o")}}));
        QVERIFY(!RedisWire::room(
            RedisReply {RedisReply::Array, {}, 0, {string("t"), string("x"), string("o"), string("r")}}));
    }

    void readsEventsAndRefusesVersionsThatAreNot()
    {
        const auto joined = RedisWire::event(R"({"v":3,"m":{"u":"ada","o":1,"ld":0,"j":4}})");
        QVERIFY(joined && joined->member && !joined->roomRemoved && !joined->member->forgotten);
        QCOMPARE(joined->version, 3);
        const auto forgotten = RedisWire::event(R"({"v":4,"m":{"u":"ada","o":0,"ld":5,"j":4},"x":1})");
        QVERIFY(forgotten && forgotten->member->forgotten);
        const auto removed = RedisWire::event(R"({"v":9,"r":1})");
        QVERIFY(removed && removed->roomRemoved && !removed->member);
        for (const QByteArray &payload : {R"({"v":0,"m":{"u":"a","ld":0,"j":1}})"_qba, R"({"v":-1,"r":1})"_qba,
                 R"({"v":1e300,"r":1})"_qba, R"({"v":2.5,"r":1})"_qba, R"({"m":{"u":"a","ld":0,"j":1}})"_qba,
                 R"({"v":1})"_qba, R"({"v":1,"m":{"ld":0}})"_qba, R"({"v":1,"m":[]})"_qba, "{"_qba}) {
            QVERIFY2(!RedisWire::event(payload), payload.constData());
        }
    }

    void readsKicks()
    {
        const auto kick = RedisWire::kick(R"({"t":"H.abc","r":"doc"})");
        QVERIFY(kick);
        QCOMPARE(kick->token, QStringLiteral("H.abc"));
        QCOMPARE(kick->roomId, QStringLiteral("doc"));
        QVERIFY(!RedisWire::kick(R"({"r":"doc"})"));
        QVERIFY(!RedisWire::kick(R"({"t":5})"));
    }

    void namesChannelsByWhatFollowsTheirPartition()
    {
        QCOMPARE(RedisWire::channelKind("p:{p3}:kick"), QByteArrayView("kick"));
        QCOMPARE(RedisWire::channelKind("p:{pf}:users"), QByteArrayView("users"));
        QCOMPARE(RedisWire::roomOfChannel("p:{p3}:e:3abc"), QStringLiteral("3abc"));
        QVERIFY(RedisWire::roomOfChannel("p:{p3}:kick").isEmpty());
        for (const QByteArray &channel : {"p:{p3}:"_qba, "p:{p33}:kick"_qba, "x:{p3}:kick"_qba, ""_qba})
            QVERIFY2(RedisWire::channelKind(channel).isEmpty(), channel.constData());
    }
};

QTEST_GUILESS_MAIN(RedisWireTest)
#include "tst_rediswire.moc"
