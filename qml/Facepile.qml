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
    /// How far each avatar slides under the one before it (default 15 % of avatarSize, rounded
    /// down). With the ring, that leaves the middle of each disc, where the initials are, clear
    /// of the avatar in front: at 28 %, a pile of 30 px cut every initial but the first.
    property real overlap: Math.floor(avatarSize * 0.15)
    /// How far the hovered avatar, or the one the arrow keys are on, rises (default 12 %).
    property real lift: Math.round(avatarSize * 0.12)
    /// The space between the last avatar and the "+N" chip (default 12 %, at least 4).
    property real chipGap: Math.max(4, Math.round(avatarSize * 0.12))
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
    // Qt 6.4 reports a Control's role as its C++ one whatever QML sets: the content speaks
    // for the facepile (below), with this name.
    Accessible.ignored: true
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
        Accessible.role: Accessible.List
        Accessible.name: root.Accessible.name
        Row {
            id: row
            anchors.verticalCenter: parent.verticalCenter
            // "+N" stands apart from the avatars: a chip, not one more face.
            spacing: root.chipGap

            ListView {
                id: pile
                objectName: "pile"
                orientation: ListView.Horizontal
                interactive: false
                // One Tab stop for the whole pile; the arrow keys walk it, Enter opens the list.
                activeFocusOnTab: true
                keyNavigationEnabled: true
                Keys.onReturnPressed: root.openList()
                Keys.onEnterPressed: root.openList()
                Keys.onSpacePressed: root.openList()
                spacing: -root.overlap
                width: root.shown > 0 ? root.shown * (root.avatarSize - root.overlap) + root.overlap : 0
                height: root.avatarSize
                model: firstMembers
                cacheBuffer: 0
                // The first avatar on top, like a stack of cards; the hovered or current one
                // rises above them all, whole.
                delegate: Avatar {
                    id: face
                    objectName: "avatar"
                    required property int index
                    required property var model
                    readonly property bool lifted: hovered || keyboardFocused
                    z: lifted ? 2000 : 1000 - index
                    focus: ListView.isCurrentItem
                    focusPolicy: Qt.NoFocus
                    highlighted: keyboardFocused
                    accessibleRole: Accessible.ListItem
                    // Optional: a model without the status role still works.
                    note: model && model.status !== undefined ? model.status : ""
                    size: root.avatarSize
                    ringColor: root.ringColor
                    statusText: root.statusText(online, lastDisconnected, away)
                    transform: Translate {
                        y: face.lifted ? -root.lift : 0
                        Behavior on y { NumberAnimation { duration: 120; easing.type: Easing.OutCubic } }
                    }
                }
                add: Transition {
                    NumberAnimation { property: "opacity"; from: 0; to: 1; duration: 200 }
                    NumberAnimation { property: "scale"; from: 0.6; to: 1; duration: 200; easing.type: Easing.OutBack }
                }
                remove: Transition {
                    NumberAnimation { property: "opacity"; to: 0; duration: 150 }
                }
                // An add transition that a later change interrupts leaves its avatar half grown
                // and faded (a pile filled in one go showed avatars at 77 %): these finish it.
                displaced: Transition {
                    NumberAnimation { property: "x"; duration: 200; easing.type: Easing.OutCubic }
                    NumberAnimation { properties: "opacity,scale"; to: 1; duration: 200 }
                }
                move: Transition {
                    NumberAnimation { property: "x"; duration: 200; easing.type: Easing.OutCubic }
                    NumberAnimation { properties: "opacity,scale"; to: 1; duration: 200 }
                }
            }

            // A pill as tall as an avatar, as wide as its count needs ("+145").
            AbstractButton {
                id: more
                objectName: "more"
                visible: root.overflow > 0
                anchors.verticalCenter: pile.verticalCenter
                height: root.avatarSize
                width: Math.max(height, label.implicitWidth + height * 0.5)
                padding: 0
                focusPolicy: Qt.TabFocus
                hoverEnabled: true
                text: "+" + root.overflow
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("%n more people", "", root.overflow)
                Accessible.description: qsTr("Show everyone")
                Accessible.onPressAction: more.clicked()
                Keys.onReturnPressed: more.clicked()
                Keys.onEnterPressed: more.clicked()
                ToolTip.visible: hovered || visualFocus
                ToolTip.delay: 300
                ToolTip.text: qsTr("Show everyone")
                onClicked: popup.opened ? popup.close() : root.openList()
                background: Rectangle {
                    objectName: "chip"
                    radius: height / 2
                    color: more.down ? Qt.darker(root.palette.button, 1.12)
                                     : more.hovered ? Qt.lighter(root.palette.button, 1.06) : root.palette.button
                    border.width: more.visualFocus ? 2 : 1
                    border.color: more.visualFocus ? root.palette.highlight : root.palette.mid
                }
                contentItem: Text {
                    id: label
                    objectName: "chipLabel"
                    text: more.text
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                    color: root.palette.buttonText
                    font.family: root.font.family
                    font.pixelSize: Math.round(root.avatarSize * 0.38)
                    font.weight: Font.DemiBold
                }
            }
        }
    }

    /// Opens the list of everyone, with the keyboard in it; Escape closes it and gives the
    /// keyboard back.
    function openList() {
        popup.returnFocusTo = root.Window.activeFocusItem
        popup.open()
    }

    Popup {
        id: popup
        objectName: "everyone"
        property Item returnFocusTo: null
        y: root.height + 4
        x: Math.min(0, root.width - width)
        width: 260
        height: Math.min(list.contentHeight + topPadding + bottomPadding, 360)
        padding: 4
        focus: true
        // The "+N" chip is inside our parent: a click on it toggles rather than reopens.
        closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutsideParent
        onOpened: {
            list.currentIndex = 0
            list.keyboardUsed = false
            list.forceActiveFocus()
        }
        onClosed: {
            if (returnFocusTo)
                returnFocusTo.forceActiveFocus()
            returnFocusTo = null
        }

        ListView {
            id: list
            objectName: "everyoneList"
            anchors.fill: parent
            clip: true
            model: root.model
            boundsBehavior: Flickable.StopAtBounds
            keyNavigationEnabled: true
            // The current row is marked once the keyboard moves in the list, not on a click.
            property bool keyboardUsed: false
            Keys.onPressed: keyboardUsed = true
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Everyone here")
            ScrollBar.vertical: ScrollBar { }
            // Online people come first, so each heading is said once.
            section.property: "online"
            section.delegate: Item {
                objectName: "sectionHeading"
                required property string section
                readonly property alias text: heading.text
                width: ListView.view.width
                height: heading.implicitHeight
                // A Text reports itself as StaticText whatever QML sets (Qt 6.4): this item is the heading.
                Accessible.role: Accessible.Heading
                Accessible.name: heading.text
                Label {
                    id: heading
                    width: parent.width
                    text: parent.section === "true" ? qsTr("Here now") : qsTr("Recently here")
                    Accessible.ignored: true
                    font.weight: Font.DemiBold
                    font.pixelSize: 11
                    font.capitalization: Font.AllUppercase
                    opacity: 0.65
                    topPadding: 8
                    bottomPadding: 4
                    leftPadding: 8
                }
            }
            // The room lists its first members (Room.limit); the rest are counted, not named.
            footer: Item {
                readonly property int rest: root.count - list.count
                width: ListView.view.width
                height: rest > 0 ? notListed.implicitHeight : 0
                Label {
                    id: notListed
                    objectName: "notListed"
                    visible: parent.rest > 0
                    Accessible.ignored: !visible
                    width: parent.width
                    text: qsTr("and %n more", "", parent.rest)
                    opacity: 0.65
                    padding: 8
                }
            }
            delegate: ItemDelegate {
                id: entry
                required property var model
                required property int index
                readonly property string displayName: model.name !== "" ? model.name : model.userId
                readonly property string status: root.statusText(model.online, model.lastDisconnected, model.away)
                // Their own status after whether they are here: "Online now · Reviewing".
                readonly property string statusLine: model && model.status ? status + " · " + model.status : status
                width: ListView.view.width
                highlighted: ListView.isCurrentItem && list.activeFocus && list.keyboardUsed
                focusPolicy: Qt.NoFocus
                Accessible.role: Accessible.ListItem
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
                        accessibleRole: Accessible.NoRole // the row names them
                    }
                    Column {
                        anchors.verticalCenter: parent.verticalCenter
                        width: entry.availableWidth - 38
                        Label {
                            width: parent.width
                            Accessible.ignored: true
                            color: entry.highlighted ? root.palette.highlightedText : root.palette.text
                            text: entry.displayName
                            font.weight: Font.DemiBold
                            elide: Text.ElideRight
                        }
                        Label {
                            objectName: "statusLine"
                            width: parent.width
                            Accessible.ignored: true
                            color: entry.highlighted ? root.palette.highlightedText : root.palette.text
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
