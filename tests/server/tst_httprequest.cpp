// HttpRequest: what the server learns from the first bytes of a connection.
#include "httprequest.h"

#include <QTest>

using Presence::HttpRequest;

class HttpRequestTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void upgradeIsCompleteAtTheEndOfTheHead()
    {
        HttpRequest request;
        const QByteArray head = "GET /ws?x=1 HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Authorization: Bearer abc\r\n\r\n";
        QCOMPARE(request.parse(head), HttpRequest::State::Complete);
        QVERIFY(request.isUpgrade());
        QCOMPARE(request.path(), QByteArray("/ws"));
        QCOMPARE(request.method(), QByteArray("GET"));
        QCOMPARE(request.header("authorization"), QByteArray("Bearer abc"));
        QCOMPARE(request.header("UPGRADE"), QByteArray("websocket"));
        QCOMPARE(request.header("missing"), QByteArray());
    }

    void bytesArriveInPieces()
    {
        const QByteArray whole = "POST /disconnect HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello";
        HttpRequest request;
        for (int cut = 0; cut < whole.size(); ++cut)
            QCOMPARE(request.parse(whole.left(cut)), HttpRequest::State::Incomplete);
        QCOMPARE(request.parse(whole), HttpRequest::State::Complete);
        QCOMPARE(request.body(), QByteArray("hello"));
        QVERIFY(!request.isUpgrade());
    }

    // Issue 12, item 5: each byte is parsed once, whatever the pieces.
    void aHeadFedByteByByteIsParsedAsAWhole()
    {
        const QByteArray head = "GET /ws?x=1 HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Authorization: Bearer abc\r\n\r\n";
        const QByteArray frames = "\x81\x80\x00\x00\x00\x00";
        HttpRequest request;
        const QByteArray all = head + frames;
        for (qsizetype i = 0; i < head.size() - 1; ++i)
            QCOMPARE(request.feed(all.constData() + i, 1), HttpRequest::State::Incomplete);
        QCOMPARE(request.feed(all.constData() + head.size() - 1, frames.size() + 1), HttpRequest::State::Complete);
        QCOMPARE(request.headSize(), head.size());
        QCOMPARE(request.header("authorization"), QByteArray("Bearer abc"));
        QCOMPARE(request.path(), QByteArray("/ws"));
    }

    // Found by fuzz_httprequest: fed in pieces of 8, http-parser stopped this malformed head
    // in the middle of a line, and what followed would have been handed on as frames.
    void anUpgradeHeadMustEndWithAnEmptyLine()
    {
        const QByteArray input = QByteArray::fromBase64(
            "R0VUIC93cyBIVFRQLzEuMQ0KSG9zdDogaA0KVXBncmFkZTogd2Vic29ja2V0DQpDb25uZWN0aW9uOiBVcGdyYWRlDQpTZWMtV2VzdDog"
            "aA0KVXBncmFkZTogd2Vic29ja2V0DQpDb25ja2V0LUtleTogZEdobElITmhiWA0KQ29udGVudC1MZW5ndGg6IDMzCg1ybg1hVHNmOiBC"
            "ZWFyZXIgYWJjDQoNCg==");
        HttpRequest request;
        HttpRequest::State state = HttpRequest::State::Incomplete;
        for (qsizetype at = 0; at < input.size() && state == HttpRequest::State::Incomplete; at += 8)
            state = request.feed(input.constData() + at, std::min<qsizetype>(8, input.size() - at));
        if (state == HttpRequest::State::Complete) {
            QVERIFY(request.headSize() >= 2);
            QVERIFY(
                input.left(request.headSize()).endsWith("\n\n") || input.left(request.headSize()).endsWith("\n\r\n"));
        } else {
            QCOMPARE(state, HttpRequest::State::Invalid);
            QCOMPARE(request.status(), 400);
        }
    }

    void headerValuesSplitAcrossCallbacksAreJoined()
    {
        HttpRequest request;
        QCOMPARE(request.parse("GET / HTTP/1.1\r\nX-Long: a\r\n b\r\n\r\n"), HttpRequest::State::Complete);
        QVERIFY(request.header("x-long").startsWith("a"));
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<int>("status");
        QTest::newRow("not HTTP") << QByteArray("\x16\x03\x01\x02\x00\x01", 6) << 400;
        QTest::newRow("bad method") << QByteArray("FETCH / HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("head too large, unfinished") << ("GET / HTTP/1.1\r\nX: " + QByteArray(9000, 'a')) << 431;
        QTest::newRow("head too large, finished")
            << ("GET / HTTP/1.1\r\nX: " + QByteArray(9000, 'a') + "\r\n\r\n") << 431;
        QTest::newRow("body too large") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 4097\r\n\r\n") << 413;
        QTest::newRow("chunked body") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n")
                                      << 411;
        QTest::newRow("bare LF head too large") << ("GET / HTTP/1.1\nX: " + QByteArray(9000, 'a') + "\n\n") << 431;
    }
    void refusals()
    {
        QFETCH(QByteArray, data);
        QFETCH(int, status);
        HttpRequest request;
        QCOMPARE(request.parse(data), HttpRequest::State::Invalid);
        QCOMPARE(request.status(), status);
        QVERIFY(!request.error().isEmpty());
    }
};

QTEST_GUILESS_MAIN(HttpRequestTest)
#include "tst_httprequest.moc"
