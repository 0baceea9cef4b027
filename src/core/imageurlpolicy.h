#pragma once

#include <QString>

class QUrl;

namespace Presence {

/// Which avatar image URLs may be shown. A URL comes from someone else's token or from an
/// import, so it may name anything: `file:///dev/zero`, a printer on the LAN, a huge local
/// file. Only `https:` is accepted, `http:` only to a loopback host (development), and
/// `qrc:` (the app's own resources) where the caller allows it.
class ImageUrlPolicy
{
public:
    enum LocalResources { RefuseResources, AllowResources };

    /// Empty when `url` may be loaded, else why not.
    static QString refusal(const QUrl &url, LocalResources resources = RefuseResources);
    static QString refusal(const QString &url, LocalResources resources = RefuseResources);
    static bool isAllowed(const QString &url, LocalResources resources = RefuseResources)
    {
        return refusal(url, resources).isEmpty();
    }
};

} // namespace Presence
