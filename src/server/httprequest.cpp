#include "httprequest.h"

#include <http_parser.h>

#include <algorithm>
#include <climits>

namespace Presence {

struct HttpRequestCallbacks
{
    static HttpRequest *self(http_parser *parser) { return static_cast<HttpRequest *>(parser->data); }

    static int onUrl(http_parser *parser, const char *at, size_t length)
    {
        self(parser)->m_url.append(at, qsizetype(length));
        return 0;
    }
    static int onHeaderField(http_parser *parser, const char *at, size_t length)
    {
        HttpRequest *r = self(parser);
        if (r->m_lastWasValue)
            r->m_headers.append(QPair<QByteArray, QByteArray>());
        r->m_headers.last().first.append(at, qsizetype(length));
        r->m_lastWasValue = false;
        return 0;
    }
    static int onHeaderValue(http_parser *parser, const char *at, size_t length)
    {
        HttpRequest *r = self(parser);
        if (r->m_headers.isEmpty())
            return 1;
        r->m_headers.last().second.append(at, qsizetype(length));
        r->m_lastWasValue = true;
        return 0;
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
            // (1 here would mean "no body follows", not an error: parse() checks m_error)
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
        return 0;
    }
};

HttpRequest::State HttpRequest::parse(const QByteArray &data)
{
    *this = HttpRequest();
    http_parser_settings settings;
    http_parser_settings_init(&settings);
    settings.on_url = &HttpRequestCallbacks::onUrl;
    settings.on_header_field = &HttpRequestCallbacks::onHeaderField;
    settings.on_header_value = &HttpRequestCallbacks::onHeaderValue;
    settings.on_headers_complete = &HttpRequestCallbacks::onHeadersComplete;
    settings.on_body = &HttpRequestCallbacks::onBody;
    settings.on_message_complete = &HttpRequestCallbacks::onMessageComplete;

    http_parser parser;
    http_parser_init(&parser, HTTP_REQUEST);
    parser.data = this;
    http_parser_execute(&parser, &settings, data.constData(), size_t(data.size()));

    const http_errno error = HTTP_PARSER_ERRNO(&parser);
    if (!m_error.isEmpty())
        return State::Invalid;
    if (error != HPE_OK) {
        if (m_error.isEmpty())
            m_error = QByteArray("malformed HTTP request: ") + http_errno_description(error);
        return State::Invalid;
    }
    if (!m_headComplete) {
        if (data.size() > MaxHeadSize) {
            m_status = 431;
            m_error = "request head larger than " + QByteArray::number(MaxHeadSize) + " bytes";
            return State::Invalid;
        }
        return State::Incomplete;
    }

    const qsizetype crlf = data.indexOf("\r\n\r\n");
    const qsizetype lf = data.indexOf("\n\n");
    const qsizetype headEnd = crlf < 0 ? lf : lf < 0 ? crlf : std::min(crlf, lf);
    if (headEnd > MaxHeadSize) {
        m_status = 431;
        m_error = "request head larger than " + QByteArray::number(MaxHeadSize) + " bytes";
        return State::Invalid;
    }

    http_parser_url url;
    http_parser_url_init(&url);
    if (http_parser_parse_url(m_url.constData(), size_t(m_url.size()), 0, &url) != 0) {
        m_error = "malformed request target";
        return State::Invalid;
    }
    if (url.field_set & (1 << UF_PATH))
        m_path = m_url.mid(url.field_data[UF_PATH].off, url.field_data[UF_PATH].len);
    m_upgrade = parser.upgrade;
    return m_upgrade || m_complete ? State::Complete : State::Incomplete;
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
