#include "error.h"

namespace Presence {

Error::Error(Code code, const QString &message)
    : m_code(code)
    , m_message(message)
{
}

QString Error::codeName(Code code)
{
    switch (code) {
    case None:
        return QStringLiteral("ok");
    case InvalidArgument:
        return QStringLiteral("invalid_argument");
    case NotFound:
        return QStringLiteral("not_found");
    case PermissionDenied:
        return QStringLiteral("permission_denied");
    case Unauthenticated:
        return QStringLiteral("unauthenticated");
    case RateLimited:
        return QStringLiteral("rate_limited");
    case TooLarge:
        return QStringLiteral("too_large");
    case ResourceExhausted:
        return QStringLiteral("resource_exhausted");
    case Unavailable:
        return QStringLiteral("unavailable");
    case Internal:
        return QStringLiteral("internal");
    }
    return QStringLiteral("internal");
}

Error::Code Error::codeFromName(const QString &name)
{
    for (int code = InvalidArgument; code <= Internal; ++code) {
        if (codeName(Code(code)) == name)
            return Code(code);
    }
    return Internal;
}

} // namespace Presence
