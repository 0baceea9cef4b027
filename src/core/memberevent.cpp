#include "memberevent.h"

namespace Presence {

QString MemberEvent::typeName(Type type)
{
    switch (type) {
    case Joined:
        return QStringLiteral("member.joined");
    case Left:
        return QStringLiteral("member.left");
    case Away:
        return QStringLiteral("member.away");
    case Active:
        return QStringLiteral("member.active");
    case Updated:
        return QStringLiteral("member.updated");
    }
    return {};
}

} // namespace Presence
