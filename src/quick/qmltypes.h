#pragma once

// The client library's types, made QML types of the Presence module without making the
// library itself depend on QML.

#include "client.h"
#include "membersmodel.h"
#include "onlineusers.h"
#include "peek.h"
#include "room.h"
#include "signin.h"

#include <QtQml/qqmlregistration.h>

namespace Presence {

struct ClientForeign
{
    Q_GADGET
    QML_FOREIGN(Presence::Client)
    QML_NAMED_ELEMENT(PresenceClient)
};

struct RoomForeign
{
    Q_GADGET
    QML_FOREIGN(Presence::Room)
    QML_NAMED_ELEMENT(PresenceRoom)
};

struct PeekForeign
{
    Q_GADGET
    QML_FOREIGN(Presence::Peek)
    QML_NAMED_ELEMENT(PresencePeek)
};

struct OnlineUsersForeign
{
    Q_GADGET
    QML_FOREIGN(Presence::OnlineUsers)
    QML_NAMED_ELEMENT(OnlineUsers)
};

struct SignInForeign
{
    Q_GADGET
    QML_FOREIGN(Presence::SignIn)
    QML_NAMED_ELEMENT(PresenceSignIn)
};

struct MembersModelForeign
{
    Q_GADGET
    QML_FOREIGN(Presence::MembersModel)
    QML_NAMED_ELEMENT(MembersModel)
    QML_UNCREATABLE("a room's members come from PresenceRoom.members")
};

} // namespace Presence
