// RedisReplyReader: Redis's protocol in, RedisReply values out; nothing from a lying count.
#include "redisreplyreader.h"

#include <QTest>

using namespace Presence;

namespace {

QList<RedisReply> readAll(RedisReplyReader &reader, RedisReplyReader::Status *last = nullptr)
{
    QList<RedisReply> replies;
    RedisReply reply;
    RedisReplyReader::Status status;
    while ((status = reader.next(&reply)) == RedisReplyReader::Reply)
        replies.append(reply);
    if (last)
        *last = status;
    return replies;
}

} // namespace

class RedisReplyReaderTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsEveryKindOfReplyInOrder()
    {
        RedisReplyReader reader;
        const QByteArray bytes = "+OK\r\n-ERR wrong\r\n:-42\r\n$5\r\nhe\0lo\r\n$-1\r\n*0\r\n*-1\r\n"
                                 "*3\r\n$1\r\na\r\n*2\r\n:1\r\n*1\r\n$0\r\n\r\n+done\r\n"_qba;
        reader.feed(bytes.constData(), bytes.size());
        RedisReplyReader::Status last;
        const QList<RedisReply> r = readAll(reader, &last);
        QCOMPARE(last, RedisReplyReader::NeedMore);
        QCOMPARE(r.size(), 8);
        QCOMPARE(r[0].type, RedisReply::Status);
        QCOMPARE(r[0].string, "OK");
        QCOMPARE(r[1].type, RedisReply::Error);
        QCOMPARE(r[1].string, "ERR wrong");
        QCOMPARE(r[2].type, RedisReply::Integer);
        QCOMPARE(r[2].integer, -42);
        QCOMPARE(r[3].type, RedisReply::String);
        QCOMPARE(r[3].string, QByteArray("he\0lo", 5));
        QCOMPARE(r[4].type, RedisReply::Nil);
        QCOMPARE(r[5].type, RedisReply::Array);
        QVERIFY(r[5].elements.isEmpty());
        QCOMPARE(r[6].type, RedisReply::Nil);
        // [a, [1, [""]], done]
        const RedisReply &nested = r[7];
        QCOMPARE(nested.type, RedisReply::Array);
        QCOMPARE(nested.elements.size(), 3);
        QCOMPARE(nested.elements[0].string, "a");
        QCOMPARE(nested.elements[1].elements.size(), 2);
        QCOMPARE(nested.elements[1].elements[0].integer, 1);
        QCOMPARE(nested.elements[1].elements[1].elements.size(), 1);
        QCOMPARE(nested.elements[1].elements[1].elements[0].type, RedisReply::String);
        QVERIFY(nested.elements[1].elements[1].elements[0].string.isEmpty());
        QCOMPARE(nested.elements[2].type, RedisReply::Status);
        QCOMPARE(nested.elements[2].string, "done");
    }

    void aReplyCutAnywhereReadsTheSame()
    {
        // Large arrays with arrays inside: their lists grow as elements come.
        QByteArray bytes = "*300\r\n";
        for (int i = 0; i < 300; ++i)
            bytes += "*2\r\n$" + QByteArray::number(QByteArray::number(i).size()) + "\r\n" + QByteArray::number(i)
                + "\r\n:" + QByteArray::number(i * 7) + "\r\n";
        RedisReplyReader reader;
        QList<RedisReply> replies;
        for (char c : bytes) {
            reader.feed(&c, 1);
            replies += readAll(reader);
        }
        QCOMPARE(replies.size(), 1);
        QCOMPARE(replies[0].elements.size(), 300);
        for (int i = 0; i < 300; ++i) {
            QCOMPARE(replies[0].elements[i].elements[0].string, QByteArray::number(i));
            QCOMPARE(replies[0].elements[i].elements[1].integer, i * 7);
        }
    }

    void aCountMakesNoRoomBeforeItsElementsCome()
    {
        // Under ASan, reserving what the count claims would show; the reply simply waits.
        RedisReplyReader reader;
        const QByteArray bytes = "*" + QByteArray::number(RedisReplyReader::MaxElements) + "\r\n:1\r\n";
        reader.feed(bytes.constData(), bytes.size());
        RedisReplyReader::Status last;
        QVERIFY(readAll(reader, &last).isEmpty());
        QCOMPARE(last, RedisReplyReader::NeedMore);
    }

    void aCountBeyondAnyRedisSendsIsAnError()
    {
        RedisReplyReader reader;
        const QByteArray bytes = "*" + QByteArray::number(RedisReplyReader::MaxElements + 1) + "\r\n";
        reader.feed(bytes.constData(), bytes.size());
        RedisReplyReader::Status last;
        QVERIFY(readAll(reader, &last).isEmpty());
        QCOMPARE(last, RedisReplyReader::Failed);
        QCOMPARE(reader.error(), QStringLiteral("a reply from Redis larger than any it sends"));
    }

    void lengthsThatOverflowAreNeverRead()
    {
        for (const QByteArray &bytes : {"$9223372036854775807\r\nabc\r\n"_qba, "$9223372036854775806\r\n\r\n"_qba,
                 "$18446744073709551615\r\nx\r\n"_qba, "*2147483648\r\n"_qba, "*-2\r\n"_qba}) {
            RedisReplyReader reader;
            reader.feed(bytes.constData(), bytes.size());
            RedisReplyReader::Status last;
            QVERIFY2(readAll(reader, &last).isEmpty(), bytes.constData());
            QVERIFY2(last != RedisReplyReader::Reply, bytes.constData());
        }
    }

    void bytesThatAreNotRedisProtocolFailForGood()
    {
        RedisReplyReader reader;
        const QByteArray bytes = "HTTP/1.1 400 Bad Request\r\n";
        reader.feed(bytes.constData(), bytes.size());
        RedisReply reply;
        QCOMPARE(reader.next(&reply), RedisReplyReader::Failed);
        QVERIFY2(reader.error().startsWith(QLatin1String("malformed reply from Redis")), qPrintable(reader.error()));
        reader.feed("+OK\r\n", 5);
        QCOMPARE(reader.next(&reply), RedisReplyReader::Failed);
    }

    void nestingDeeperThanRedisSendsIsAnError()
    {
        RedisReplyReader reader;
        const QByteArray bytes = QByteArray("*1\r\n").repeated(12) + ":1\r\n";
        reader.feed(bytes.constData(), bytes.size());
        RedisReply reply;
        QCOMPARE(reader.next(&reply), RedisReplyReader::Failed);
    }
};

QTEST_GUILESS_MAIN(RedisReplyReaderTest)
#include "tst_redisreplyreader.moc"
