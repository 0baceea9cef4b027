#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

#include <memory>

struct http_parser;

namespace Presence {

/// One HTTP/1.x request, parsed with the http-parser library as its bytes arrive.
///
/// feed() takes each new piece once and keeps the parser's state between pieces, so a head
/// trickled a byte at a time costs no more than one sent whole. An upgrade is complete at the
/// end of its head: headSize() says where that was, so what follows can be handed on.
class HttpRequest
{
public:
    enum class State {
        Incomplete, ///< more bytes are needed
        Complete, ///< the head, and the body unless it is an upgrade, are all there
        Invalid, ///< not HTTP, or over a size limit: see status() and error()
    };
    static constexpr int MaxHeadSize = 8192;
    static constexpr int MaxBodySize = 4096;

    HttpRequest();
    ~HttpRequest();
    HttpRequest(const HttpRequest &other);
    HttpRequest &operator=(const HttpRequest &other);

    /// Parses the next `size` bytes of the connection. Once Complete or Invalid, the state
    /// stays and further bytes are not looked at.
    State feed(const char *data, qsizetype size);
    /// Starts over and parses `data` from its first byte.
    State parse(const QByteArray &data);
    State state() const { return m_state; }

    QByteArray method() const { return m_method; }
    QByteArray url() const { return m_url; } ///< the request target as sent
    QByteArray path() const { return m_path; } ///< without the query
    QByteArray body() const { return m_body; }
    bool isUpgrade() const { return m_upgrade; }
    /// The value of a header (case-insensitive name), or empty.
    QByteArray header(const QByteArray &name) const;
    /// For a complete upgrade: how many bytes the head took, from the connection's first.
    qint64 headSize() const { return m_headSize; }

    int status() const { return m_status; } ///< the HTTP status to answer an Invalid request with
    QByteArray error() const { return m_error; }

private:
    friend struct HttpRequestCallbacks;
    State finish(qint64 parsed, qsizetype size);

    std::unique_ptr<http_parser> m_parser;
    State m_state = State::Incomplete;
    qint64 m_fed = 0; ///< bytes fed before the current piece
    const char *m_piece = nullptr; ///< the current piece, while feed() runs
    QByteArray m_tail; ///< the last bytes fed before the current piece (at most 4)
    qint64 m_headSeen = 0; ///< where the last byte of the head seen so far ends
    qint64 m_headSize = 0;
    QByteArray m_method;
    QByteArray m_url;
    QByteArray m_path;
    QByteArray m_body;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    bool m_upgrade = false;
    bool m_headComplete = false;
    bool m_complete = false;
    bool m_lastWasValue = true;
    int m_status = 400;
    QByteArray m_error;
};

} // namespace Presence
