import QtQuick
import QtQuick.Controls
import Presence

// One person: their picture in a circle, or their initials on their colour when there is
// no picture or it fails to load. Dimmed when offline, with a green dot when online, half
// dimmed with a clock badge when away (online, idle).
//
// Its required properties are MembersModel's role names, so it is a delegate as it is:
//     ListView { model: room.members; delegate: Avatar { } }
// Used on its own, give it each of them.
Control {
    id: root

    required property string userId
    /// Empty: the user id names them.
    required property string name
    /// Empty, or failing to load: the initials.
    required property url image
    required property bool online
    /// Online but idle: every window of theirs has had no input for a while.
    required property bool away
    /// When they left (invalid if they never did); statusText says it for people.
    required property date lastDisconnected
    required property string initials
    /// The disc behind the initials; MembersModel gives each user a stable one.
    required property color color

    /// The green dot for online people (default true).
    property bool showStatus: true
    /// The diameter (default 32).
    property real size: 32
    /// The ring that separates overlapping avatars (default: the palette's window colour,
    /// the background they sit on).
    property color ringColor: palette.window
    /// Under the name in the tooltip and for assistive technology, e.g. "Last seen 5 min ago".
    property string statusText
    /// What they set for themselves (the "status" role), e.g. "Reviewing": in the tooltip
    /// between the name and statusText. Not required: give it from the delegate when wanted.
    property string note
    /// Shows the focus ring and the tooltip as keyboard focus does: a facepile sets it on the
    /// avatar its arrow keys are on.
    property bool highlighted: false

    readonly property bool showsImage: picture.status === CircleImage.Ready

    implicitWidth: size
    implicitHeight: size
    padding: 0
    focusPolicy: Qt.TabFocus
    hoverEnabled: true

    /// What assistive technology calls it (default Accessible.Graphic; a facepile's are
    /// Accessible.ListItem). Accessible.NoRole hides it, where something around it names it.
    property int accessibleRole: Accessible.Graphic

    Accessible.name: name !== "" ? name : userId
    Accessible.description: [statusText, note].filter(function(part) { return part !== "" }).join(", ")
    // Qt 6.4 reports every Control's role as its own C++ one (Client here), whatever QML sets:
    // this item speaks for the avatar instead, and holds the keyboard focus the avatar is given.
    Accessible.ignored: true
    /// The keyboard is on it: on the avatar, or on the item that speaks for it.
    readonly property bool keyboardFocused: activeFocus || speaker.activeFocus
    onActiveFocusChanged: if (activeFocus) speaker.forceActiveFocus()
    Item {
        id: speaker
        objectName: "accessible"
        anchors.fill: parent
        Accessible.ignored: root.accessibleRole === Accessible.NoRole
        Accessible.role: root.accessibleRole
        Accessible.name: root.Accessible.name
        Accessible.description: root.Accessible.description
        Accessible.focusable: root.focusPolicy !== Qt.NoFocus || root.highlighted
        Accessible.focused: root.keyboardFocused
    }

    ToolTip.visible: (hovered || keyboardFocused || highlighted) && ToolTip.text !== ""
    ToolTip.delay: 300
    ToolTip.text: [root.Accessible.name, note, statusText].filter(function(line) { return line !== "" }).join("\n")

    contentItem: Item {
        opacity: !root.online ? 0.4 : root.away ? 0.7 : 1
        Behavior on opacity { NumberAnimation { duration: 250 } }

        Rectangle {
            objectName: "ring"
            anchors.fill: parent
            anchors.margins: -Math.max(1, root.size / 16)
            radius: width / 2
            color: root.ringColor
        }
        Rectangle {
            objectName: "initialsDisc"
            anchors.fill: parent
            radius: width / 2
            color: root.color
            visible: !root.showsImage
            // The middle 56 % of the disc: a facepile overlaps less than the rest, so wide
            // initials ("MW") shrink rather than slide under the avatar in front.
            Text {
                objectName: "initials"
                anchors.centerIn: parent
                width: root.size * 0.56
                height: root.size * 0.56
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
                fontSizeMode: Text.HorizontalFit
                minimumPixelSize: Math.max(6, Math.round(root.size * 0.24))
                // Below 24 px two letters cannot be read: the first says enough.
                text: root.initials === "" ? "?" : root.size < 24 ? Array.from(root.initials)[0] : root.initials
                color: "white"
                font.family: root.font.family
                font.pixelSize: Math.round(root.size * 0.4)
                font.weight: Font.DemiBold
            }
        }
        CircleImage {
            id: picture
            objectName: "picture"
            anchors.fill: parent
            source: root.image
            visible: root.showsImage
        }
    }

    Rectangle {
        objectName: "onlineDot"
        visible: root.online && !root.away && root.showStatus
        width: Math.max(6, Math.round(root.size * 0.28))
        height: width
        radius: width / 2
        x: root.width - width * 0.9
        y: root.height - height * 0.9
        color: "#2e9d48"
        border.color: root.ringColor
        border.width: Math.max(1, Math.round(root.size / 20))
    }

    // Away: an amber clock where the green dot would be.
    Rectangle {
        id: awayBadge
        objectName: "awayBadge"
        visible: root.online && root.away && root.showStatus
        width: Math.max(8, Math.round(root.size * 0.34))
        height: width
        radius: width / 2
        x: root.width - width * 0.9
        y: root.height - height * 0.9
        color: "#e0a100"
        border.color: root.ringColor
        border.width: Math.max(1, Math.round(root.size / 20))
        // The hands: noon and three o'clock, from the centre.
        Rectangle {
            width: Math.max(1, Math.round(awayBadge.width / 9))
            height: awayBadge.height * 0.32
            x: (awayBadge.width - width) / 2
            y: awayBadge.height / 2 - height
            color: "white"
        }
        Rectangle {
            width: awayBadge.width * 0.26
            height: Math.max(1, Math.round(awayBadge.width / 9))
            x: awayBadge.width / 2
            y: (awayBadge.height - height) / 2
            color: "white"
        }
    }

    Rectangle {
        objectName: "focusRing"
        visible: root.keyboardFocused || root.highlighted
        anchors.fill: parent
        anchors.margins: -3
        radius: width / 2
        color: "transparent"
        border.color: root.palette.highlight
        border.width: 2
    }
}
