#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace Presence {

/// One HTTP/1.x request, parsed with the http-parser library from the bytes received so far.
///
/// The server peeks at a new socket's bytes and parses them again as more arrive, so a
/// WebSocket upgrade can be handed on untouched while plain requests are answered here.
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

    /// Parses `data` from its first byte.
    State parse(const QByteArray &data);

    QByteArray method() const { return m_method; }
    QByteArray url() const { return m_url; } ///< the request target as sent
    QByteArray path() const { return m_path; } ///< without the query
    QByteArray body() const { return m_body; }
    bool isUpgrade() const { return m_upgrade; }
    /// The value of a header (case-insensitive name), or empty.
    QByteArray header(const QByteArray &name) const;

    int status() const { return m_status; } ///< the HTTP status to answer an Invalid request with
    QByteArray error() const { return m_error; }

private:
    friend struct HttpRequestCallbacks;
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
