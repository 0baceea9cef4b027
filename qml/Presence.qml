import QtQuick
import Presence

// The one-line facepile: `Presence { roomId: "doc-1" }` joins the room (as the window it
// is in: hidden or minimised means away) and shows who is there.
Item {
    id: root

    property string roomId
    /// null: the application's default client (Client::setDefaultClient in C++).
    property PresenceClient client: null
    property alias interval: room.interval
    property alias active: room.active
    property alias maxVisible: pile.maxVisible
    property alias avatarSize: pile.avatarSize
    property alias overlap: pile.overlap
    property alias ringColor: pile.ringColor
    readonly property alias room: room
    readonly property alias members: room.members

    implicitWidth: pile.implicitWidth
    implicitHeight: pile.implicitHeight

    PresenceRoom {
        id: room
        client: root.client
        roomId: root.roomId
        window: root.Window.window
    }

    Facepile {
        id: pile
        anchors.fill: parent
        model: room.members
        totalCount: room.totalCount
    }
}
