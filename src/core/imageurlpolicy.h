#pragma once

#include <QString>

class QUrl;

namespace Presence {

/// Which avatar image URLs may be shown. A URL comes from someone else's token or from an
/// import, and every viewer's app fetches it, so it may not name anything near the viewer:
/// `file:///dev/zero`, a printer or router on the LAN, a service on the viewer's own machine.
/// Accepted: `https:` to a host name or a public address; `http:` and `https:` to a loopback
/// host only where the caller allows it (development); `qrc:` (the app's own resources) only
/// where the caller allows it. Host names that resolve to private addresses cannot be told
/// apart here: only literal addresses are checked.
class ImageUrlPolicy
{
public:
    enum Option {
        Strict = 0,
        AllowLoopback = 1, ///< http: and https: to localhost, 127.0.0.0/8 and ::1 (development)
        AllowResources = 2, ///< qrc: (the app's own resources)
    };

    /// Empty when `url` may be loaded, else why not. `options` is a combination of Option.
    static QString refusal(const QUrl &url, int options = Strict);
    static QString refusal(const QString &url, int options = Strict);
    static bool isAllowed(const QString &url, int options = Strict) { return refusal(url, options).isEmpty(); }
};

} // namespace Presence
