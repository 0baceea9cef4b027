#include "httprequest.h"

#include <http_parser.h>

#include <climits>

namespace Presence {

struct HttpRequestCallbacks
{
    static HttpRequest *self(http_parser *parser) { return static_cast<HttpRequest *>(parser->data); }

    // Head bytes are counted as the parser hands them over, so an oversized head is caught
    // whatever its line ends and however it is cut into pieces.
    static int seen(HttpRequest *r, const char *at, size_t length)
    {
        r->m_headSeen = r->m_fed + qint64(at - r->m_piece) + qint64(length);
        if (r->m_headSeen > HttpRequest::MaxHeadSize) {
            r->m_status = 431;
            r->m_error = "request head larger than " + QByteArray::number(HttpRequest::MaxHeadSize) + " bytes";
            return 1;
        }
        return 0;
    }

    static int onUrl(http_parser *parser, const char *at, size_t length)
    {
        self(parser)->m_url.append(at, qsizetype(length));
        return seen(self(parser), at, length);
    }
    static int onHeaderField(http_parser *parser, const char *at, size_t length)
    {
        HttpRequest *r = self(parser);
        if (r->m_lastWasValue)
            r->m_headers.append(QPair<QByteArray, QByteArray>());
        r->m_headers.last().first.append(at, qsizetype(length));
        r->m_lastWasValue = false;
        return seen(r, at, length);
    }
    static int onHeaderValue(http_parser *parser, const char *at, size_t length)
    {
        HttpRequest *r = self(parser);
        if (r->m_headers.isEmpty())
            return 1;
        r->m_headers.last().second.append(at, qsizetype(length));
        r->m_lastWasValue = true;
        return seen(r, at, length);
    }
    static int onHeadersComplete(http_parser *parser)
    {
        HttpRequest *r = self(parser);
        r->m_headComplete = true;
        r->m_method = http_method_str(http_method(parser->method));
        if (parser->flags & F_CHUNKED) {
            r->m_status = 411;
            r->m_error = "chunked bodies are not accepted; send Content-Length";
        } else if (parser->content_length != ULLONG_MAX && parser->content_length > quint64(HttpRequest::MaxBodySize)) {
            r->m_status = 413;
            r->m_error = "request body larger than " + QByteArray::number(HttpRequest::MaxBodySize) + " bytes";
            // (1 here would mean "no body follows", not an error: finish() checks m_error)
        }
        return 0;
    }
    static int onBody(http_parser *parser, const char *at, size_t length)
    {
        HttpRequest *r = self(parser);
        if (r->m_body.size() + qsizetype(length) > HttpRequest::MaxBodySize) {
            r->m_status = 413;
            r->m_error = "request body larger than " + QByteArray::number(HttpRequest::MaxBodySize) + " bytes";
            return 1;
        }
        r->m_body.append(at, qsizetype(length));
        return 0;
    }
    static int onMessageComplete(http_parser *parser)
    {
        self(parser)->m_complete = true;
        http_parser_pause(parser, 1); // one request per connection: what follows is not parsed
        return 0;
    }

    static const http_parser_settings &settings()
    {
        static const http_parser_settings s = [] {
            http_parser_settings s;
            http_parser_settings_init(&s);
            s.on_url = &onUrl;
            s.on_header_field = &onHeaderField;
            s.on_header_value = &onHeaderValue;
            s.on_headers_complete = &onHeadersComplete;
            s.on_body = &onBody;
            s.on_message_complete = &onMessageComplete;
            return s;
        }();
        return s;
    }
};

HttpRequest::HttpRequest()
    : m_parser(std::make_unique<http_parser>())
{
    http_parser_init(m_parser.get(), HTTP_REQUEST);
    m_parser->data = this;
}

HttpRequest::~HttpRequest() = default;

HttpRequest::HttpRequest(const HttpRequest &other)
    : HttpRequest()
{
    *this = other;
}

HttpRequest &HttpRequest::operator=(const HttpRequest &other)
{
    if (this == &other)
        return *this;
    *m_parser = *other.m_parser;
    m_parser->data = this;
    m_state = other.m_state;
    m_fed = other.m_fed;
    m_piece = nullptr;
    m_tail = other.m_tail;
    m_headSeen = other.m_headSeen;
    m_headSize = other.m_headSize;
    m_method = other.m_method;
    m_url = other.m_url;
    m_path = other.m_path;
    m_body = other.m_body;
    m_headers = other.m_headers;
    m_upgrade = other.m_upgrade;
    m_headComplete = other.m_headComplete;
    m_complete = other.m_complete;
    m_lastWasValue = other.m_lastWasValue;
    m_status = other.m_status;
    m_error = other.m_error;
    return *this;
}

HttpRequest::State HttpRequest::parse(const QByteArray &data)
{
    *this = HttpRequest();
    return feed(data.constData(), data.size());
}

HttpRequest::State HttpRequest::feed(const char *data, qsizetype size)
{
    if (m_state != State::Incomplete || size <= 0)
        return m_state;
    m_piece = data;
    const size_t parsed = http_parser_execute(m_parser.get(), &HttpRequestCallbacks::settings(), data, size_t(size));
    m_state = finish(qint64(parsed), size);
    m_piece = nullptr;
    m_fed += size;
    m_tail = (m_tail + QByteArray(data, std::min<qsizetype>(size, 4))).right(4);
    if (size > 4)
        m_tail = QByteArray(data + size - 4, 4);
    return m_state;
}

HttpRequest::State HttpRequest::finish(qint64 parsed, qsizetype size)
{
    const http_errno error = HTTP_PARSER_ERRNO(m_parser.get());
    if (!m_error.isEmpty())
        return State::Invalid;
    if (error != HPE_OK && error != HPE_PAUSED) {
        m_error = QByteArray("malformed HTTP request: ") + http_errno_description(error);
        return State::Invalid;
    }
    if (!m_headComplete) {
        if (m_fed + size > MaxHeadSize) {
            m_status = 431;
            m_error = "request head larger than " + QByteArray::number(MaxHeadSize) + " bytes";
            return State::Invalid;
        }
        return State::Incomplete;
    }
    if (m_path.isEmpty()) {
        http_parser_url url;
        http_parser_url_init(&url);
        if (http_parser_parse_url(m_url.constData(), size_t(m_url.size()), 0, &url) != 0) {
            m_error = "malformed request target";
            return State::Invalid;
        }
        if (url.field_set & (1 << UF_PATH))
            m_path = m_url.mid(url.field_data[UF_PATH].off, url.field_data[UF_PATH].len);
    }
    m_upgrade = m_parser->upgrade;
    if (m_upgrade) {
        // http-parser stops right after an upgrade's head: what follows is not HTTP. What is
        // handed on after it must really be past the head's blank line (fed in pieces, some
        // malformed heads made the parser stop mid-line).
        const QByteArray end = (m_tail + QByteArray(m_piece, qsizetype(parsed))).right(4);
        if (!end.endsWith("\n\n") && !end.endsWith("\n\r\n")) {
            m_error = "malformed request head: it must end with an empty line";
            return State::Invalid;
        }
        m_headSize = m_fed + parsed;
        return State::Complete;
    }
    return m_complete ? State::Complete : State::Incomplete;
}

QByteArray HttpRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : m_headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

} // namespace Presence
