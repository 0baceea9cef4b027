import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Presence
import PresenceDesktop

// One document window: the documents on the left, the open one on the right, and in the
// header who else is in it.
ApplicationWindow {
    id: window

    required property AppController app
    property int person: 0
    property int documentIndex: 0

    readonly property var me: app.people[person % app.people.length]
    readonly property var document: app.documents[documentIndex]

    signal newWindowRequested(var from)

    width: 860
    height: 520
    minimumWidth: 560
    minimumHeight: 320
    title: document.title + " — " + me.name

    menuBar: MenuBar {
        Menu {
            title: qsTr("&File")
            Action {
                text: qsTr("&New Window as Another Person")
                shortcut: "Ctrl+Shift+N"
                onTriggered: window.newWindowRequested(window)
            }
            MenuSeparator { }
            Action {
                text: qsTr("&Close Window")
                shortcut: StandardKey.Close
                onTriggered: window.close()
            }
            Action {
                text: qsTr("&Quit")
                shortcut: StandardKey.Quit
                onTriggered: Qt.quit()
            }
        }
    }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 16
            anchors.rightMargin: 12
            spacing: 12
            Label {
                text: window.document.title
                font.pixelSize: 18
                font.weight: Font.DemiBold
                elide: Label.ElideRight
                Layout.fillWidth: true
            }
            Presence {
                id: presence
                objectName: "presence"
                client: window.app.clientFor(window.person)
                roomId: window.document.roomId
                avatarSize: 30
                Layout.alignment: Qt.AlignVCenter
            }
            ToolSeparator { }
            Avatar {
                size: 26
                userId: window.me.userId
                name: window.me.name
                image: window.me.image
                online: true
                away: false
                lastDisconnected: new Date(NaN)
                initials: window.me.name.split(" ").map(function(w) { return w[0] }).join("").slice(0, 2)
                color: "#455a64"
                showStatus: false
                statusText: qsTr("You")
            }
        }
    }

    SplitView {
        anchors.fill: parent

        ListView {
            id: sidebar
            SplitView.preferredWidth: 220
            SplitView.minimumWidth: 160
            model: window.app.documents
            currentIndex: window.documentIndex
            header: Label {
                text: qsTr("Documents")
                padding: 12
                opacity: 0.7
                font.capitalization: Font.AllUppercase
                font.pixelSize: 11
            }
            delegate: ItemDelegate {
                required property var modelData
                required property int index
                width: ListView.view.width
                text: modelData.title
                highlighted: index === window.documentIndex
                onClicked: window.documentIndex = index
            }
        }

        Pane {
            SplitView.fillWidth: true
            padding: 24
            ColumnLayout {
                anchors.fill: parent
                spacing: 12
                Label {
                    text: window.document.title
                    font.pixelSize: 24
                    font.weight: Font.Bold
                }
                Label {
                    text: qsTr("Everyone with this document open appears at the top right. Open it as someone else with File ▸ New Window as Another Person, then minimise that window and watch them go.")
                    wrapMode: Text.WordWrap
                    opacity: 0.75
                    Layout.fillWidth: true
                }
                TextArea {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    placeholderText: qsTr("Write something…")
                    wrapMode: TextArea.Wrap
                }
            }
        }
    }

    footer: Label {
        text: window.app.where
        padding: 6
        leftPadding: 12
        opacity: 0.6
        font.pixelSize: 11
        elide: Label.ElideRight
    }

    Component.onCompleted: app.registerWindow(window, presence, person)
}
