import QtQuick
import QtQuick.Controls
import Presence

// Who is here: up to maxVisible overlapping avatars, online first, then a "+N" chip that
// opens the full list (no cap). Works with a room's MembersModel or any model with the same
// roles (userId, name, image, online, away, lastDisconnected, initials, color, status). Only the avatars it
// shows are made. Its font and ring follow the app's palette and font unless set.
Control {
    id: root

    /// A room's members (Room.members) or any list model with the same roles.
    property var model
    /// How many avatars are shown before "+N" (default 5).
    property int maxVisible: 5
    /// The diameter of an avatar (default 32).
    property real avatarSize: 32
    /// How far each avatar slides under the one before it (default 28 % of avatarSize).
    property real overlap: Math.round(avatarSize * 0.28)
    /// The ring between overlapping avatars (default: the palette's window colour).
    property color ringColor: palette.window
    /// Re-evaluated every 30 s, so "Last seen 3 min ago" keeps telling the truth.
    property date now: new Date()

    /// Everyone in the room when more than the model lists (a room's totalCount); -1: the
    /// model's count.
    property int totalCount: -1
    readonly property int count: Math.max(model ? model.count : 0, totalCount)
    readonly property int shown: Math.min(model ? model.count : 0, maxVisible)
    readonly property int overflow: Math.max(0, count - shown)
    readonly property alias popup: popup

    implicitWidth: row.implicitWidth
    implicitHeight: avatarSize + 4
    padding: 0

    Accessible.role: Accessible.List
    Accessible.name: {
        if (root.count === 0)
            return qsTr("Nobody here")
        var people = []
        for (var i = 0; i < pile.count; ++i) {
            var avatar = pile.itemAtIndex(i)
            if (avatar)
                people.push(avatar.Accessible.name + ", " + avatar.statusText)
        }
        var summary = people.join("; ")
        if (root.overflow > 0)
            summary += "; " + qsTr("and %n more", "", root.overflow)
        return summary
    }

    Timer {
        interval: 30000
        running: root.visible
        repeat: true
        onTriggered: root.now = new Date()
    }

    function statusText(online, lastDisconnected, away) {
        if (online)
            return away ? qsTr("Away") : qsTr("Online now")
        if (!lastDisconnected || isNaN(lastDisconnected.getTime()))
            return qsTr("Offline")
        var minutes = Math.floor((root.now.getTime() - lastDisconnected.getTime()) / 60000)
        if (minutes < 1)
            return qsTr("Last seen just now")
        if (minutes < 60)
            return qsTr("Last seen %n min ago", "", minutes)
        var hours = Math.floor(minutes / 60)
        if (hours < 24)
            return qsTr("Last seen %n hour(s) ago", "", hours)
        return qsTr("Last seen %n day(s) ago", "", Math.floor(hours / 24))
    }

    LimitProxyModel {
        id: firstMembers
        sourceModel: root.model ? root.model : null
        limit: root.maxVisible
    }

    // Centred when the facepile is given more height than it needs.
    contentItem: Item {
        implicitWidth: row.implicitWidth
        implicitHeight: row.implicitHeight
        Row {
            id: row
            anchors.verticalCenter: parent.verticalCenter
            spacing: -root.overlap

            ListView {
                id: pile
                objectName: "pile"
                orientation: ListView.Horizontal
                interactive: false
                spacing: -root.overlap
                width: root.shown > 0 ? root.shown * (root.avatarSize - root.overlap) + root.overlap : 0
                height: root.avatarSize
                model: firstMembers
                cacheBuffer: 0
                // The first avatar on top, like a stack of cards.
                delegate: Avatar {
                    objectName: "avatar"
                    required property int index
                    required property var model
                    z: 1000 - index
                    // Optional: a model without the status role still works.
                    note: model && model.status !== undefined ? model.status : ""
                    size: root.avatarSize
                    ringColor: root.ringColor
                    statusText: root.statusText(online, lastDisconnected, away)
                }
                add: Transition {
                    NumberAnimation { property: "opacity"; from: 0; to: 1; duration: 200 }
                    NumberAnimation { property: "scale"; from: 0.6; to: 1; duration: 200; easing.type: Easing.OutBack }
                }
                remove: Transition {
                    NumberAnimation { property: "opacity"; to: 0; duration: 150 }
                }
                displaced: Transition {
                    NumberAnimation { property: "x"; duration: 200; easing.type: Easing.OutCubic }
                }
                move: Transition {
                    NumberAnimation { property: "x"; duration: 200; easing.type: Easing.OutCubic }
                }
            }

            RoundButton {
                id: more
                objectName: "more"
                visible: root.overflow > 0
                width: root.avatarSize + 4
                height: root.avatarSize + 4
                padding: 0
                text: "+" + root.overflow
                font.pixelSize: Math.round(root.avatarSize * 0.36)
                Accessible.name: qsTr("%n more people", "", root.overflow)
                ToolTip.visible: hovered || visualFocus
                ToolTip.text: qsTr("Show everyone")
                onClicked: popup.opened ? popup.close() : popup.open()
            }
        }
    }

    Popup {
        id: popup
        objectName: "everyone"
        y: root.height + 4
        x: Math.min(0, root.width - width)
        width: 260
        height: Math.min(list.contentHeight + topPadding + bottomPadding, 360)
        padding: 4
        // The "+N" chip is inside our parent: a click on it toggles rather than reopens.
        closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutsideParent

        ListView {
            id: list
            objectName: "everyoneList"
            anchors.fill: parent
            clip: true
            model: root.model
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar { }
            delegate: ItemDelegate {
                id: entry
                required property var model
                readonly property string displayName: model.name !== "" ? model.name : model.userId
                readonly property string status: root.statusText(model.online, model.lastDisconnected, model.away)
                // Their own status after whether they are here: "Online now · Reviewing".
                readonly property string statusLine: model && model.status ? status + " · " + model.status : status
                width: ListView.view.width
                Accessible.name: displayName + ", " + statusLine
                contentItem: Row {
                    spacing: 10
                    Avatar {
                        size: 28
                        userId: entry.model.userId
                        name: entry.model.name
                        image: entry.model.image
                        online: entry.model.online
                        away: entry.model.away
                        lastDisconnected: entry.model.lastDisconnected
                        initials: entry.model.initials
                        color: entry.model.color
                        ringColor: root.palette.base
                        focusPolicy: Qt.NoFocus
                        showStatus: false
                    }
                    Column {
                        anchors.verticalCenter: parent.verticalCenter
                        width: entry.availableWidth - 38
                        Label {
                            width: parent.width
                            text: entry.displayName
                            font.weight: Font.DemiBold
                            elide: Text.ElideRight
                        }
                        Label {
                            objectName: "statusLine"
                            width: parent.width
                            text: entry.statusLine
                            opacity: 0.7
                            font.pixelSize: 11
                            elide: Text.ElideRight
                        }
                    }
                }
            }
        }
    }
}
