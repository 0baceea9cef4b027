import QtQuick
import QtQuick.Controls
import Presence

// One person: their picture in a circle, or their initials on their colour when there is
// no picture or it fails to load. Dimmed when offline, with a green dot when online.
Control {
    id: root

    property string userId
    property string name
    property url image
    property color color: "#607d8b"
    property string initials: "?"
    property bool online: true
    property bool showStatus: true
    property real size: 32
    /// The ring that separates overlapping avatars: the background they sit on.
    property color ringColor: palette.window
    property string statusText

    readonly property bool showsImage: picture.status === CircleImage.Ready

    implicitWidth: size
    implicitHeight: size
    padding: 0
    focusPolicy: Qt.TabFocus
    hoverEnabled: true

    Accessible.role: Accessible.Graphic
    Accessible.name: name !== "" ? name : userId
    Accessible.description: statusText

    ToolTip.visible: (hovered || visualFocus) && ToolTip.text !== ""
    ToolTip.delay: 300
    ToolTip.text: statusText !== "" ? (root.Accessible.name + "\n" + statusText) : root.Accessible.name

    contentItem: Item {
        opacity: root.online ? 1 : 0.4
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
            Text {
                objectName: "initials"
                anchors.centerIn: parent
                text: root.initials
                color: "white"
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
        visible: root.online && root.showStatus
        width: Math.max(6, Math.round(root.size * 0.28))
        height: width
        radius: width / 2
        x: root.width - width * 0.9
        y: root.height - height * 0.9
        color: "#2e9d48"
        border.color: root.ringColor
        border.width: Math.max(1, Math.round(root.size / 20))
    }

    Rectangle {
        objectName: "focusRing"
        visible: root.visualFocus
        anchors.fill: parent
        anchors.margins: -3
        radius: width / 2
        color: "transparent"
        border.color: root.palette.highlight
        border.width: 2
    }
}
