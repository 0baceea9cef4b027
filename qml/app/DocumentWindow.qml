import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Presence
import PresenceDesktop

// One document window: the documents on the left (each with who is in it) above who is
// online now, the open document on the right, in the header who else is in it, and in the
// footer the user's own status.
ApplicationWindow {
    id: window

    required property AppController app
    property int person: 0
    property int documentIndex: 0

    readonly property var client: app.clientFor(person)
    // Who this window is: a demo person, or on a team's server the user of the token, named as
    // the others see them.
    readonly property var signIn: app.signIn
    readonly property bool signedIn: signIn !== null && signIn.state === PresenceSignIn.SignedIn
    // On a team's server and not (yet) signed in: nobody to show, and nothing left of the last
    // person who was.
    readonly property bool signedOut: signIn !== null && !signedIn
    readonly property var me: app.demoPeople ? app.people[person % app.people.length] : {
        "userId": signedIn ? signIn.userId : client.userId,
        "name": signedIn && signIn.name !== "" ? signIn.name : client.name !== "" ? client.name : client.userId,
        "image": signedIn && signIn.picture !== "" ? signIn.picture : client.image
    }
    readonly property var document: app.documents[documentIndex]

    signal newWindowRequested(var from)

    width: 860
    height: 520
    minimumWidth: 560
    minimumHeight: 320
    title: me.name !== "" ? document.title + " — " + me.name : document.title

    menuBar: MenuBar {
        Menu {
            title: qsTr("&File")
            Action {
                text: window.app.demoPeople ? qsTr("&New Window as Another Person") : qsTr("&New Window")
                shortcut: "Ctrl+Shift+N"
                onTriggered: window.newWindowRequested(window)
            }
            MenuItem {
                objectName: "notificationsAction"
                text: qsTr("&Notify Me When Someone Opens My Documents")
                checkable: true
                checked: window.app.notificationsEnabled
                onToggled: window.app.notificationsEnabled = checked
            }
            MenuSeparator { visible: window.signIn !== null }
            MenuItem {
                objectName: "signInAction"
                visible: window.signIn !== null && !window.signedIn
                height: visible ? implicitHeight : 0
                text: qsTr("Sign &In…")
                onTriggered: signInDialog.open()
            }
            MenuItem {
                objectName: "signOutAction"
                visible: window.signedIn
                height: visible ? implicitHeight : 0
                text: qsTr("Sign &Out %1").arg(window.me.name)
                onTriggered: window.signIn.signOut()
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
                // As tall as the facepile beside it, which is hidden when signed out.
                Layout.minimumHeight: 34
                verticalAlignment: Text.AlignVCenter
            }
            Presence {
                id: presence
                objectName: "presence"
                client: window.client
                roomId: window.document.roomId
                avatarSize: 30
                active: !window.signedOut
                visible: !window.signedOut
                Layout.alignment: Qt.AlignVCenter
            }
            ToolSeparator { visible: !window.signedOut }
            Avatar {
                visible: !window.signedOut
                size: 26
                userId: window.me.userId
                name: window.me.name
                image: window.me.image
                online: true
                away: false
                lastDisconnected: new Date(NaN)
                initials: window.me.name.split(" ").filter(function(w) { return w !== "" })
                    .map(function(w) { return w[0] }).join("").slice(0, 2).toUpperCase()
                color: "#455a64"
                showStatus: false
                statusText: qsTr("You")
            }
        }
    }

    component SectionLabel: Label {
        padding: 12
        bottomPadding: 4
        opacity: 0.7
        font.capitalization: Font.AllUppercase
        font.pixelSize: 11
    }

    function titleOf(roomId) {
        for (var i = 0; i < app.documents.length; ++i) {
            if (app.documents[i].roomId === roomId)
                return app.documents[i].title
        }
        return roomId
    }

    SplitView {
        anchors.fill: parent

        Pane {
            SplitView.preferredWidth: 250
            SplitView.minimumWidth: 180
            padding: 0
            background: Rectangle { color: window.palette.base }

            ColumnLayout {
                anchors.fill: parent
                spacing: 0

                SectionLabel { text: qsTr("Documents") }
                ListView {
                    id: sidebar
                    objectName: "documents"
                    Layout.fillWidth: true
                    Layout.preferredHeight: contentHeight
                    interactive: false
                    model: window.app.documents
                    currentIndex: window.documentIndex
                    // Each document with who is in it: watched by its id, without joining it.
                    delegate: ItemDelegate {
                        id: entry
                        required property var modelData
                        required property int index
                        width: ListView.view.width
                        highlighted: index === window.documentIndex
                        onClicked: window.documentIndex = index
                        PresencePeek {
                            id: peek
                            objectName: "peek"
                            client: window.client
                            roomId: entry.modelData.roomId
                            limit: 3
                            active: !window.signedOut
                            // Someone came to or left a document: "Online now" follows at once
                            // rather than at its next refresh.
                            onCountsChanged: onlineRefresh.restart()
                        }
                        contentItem: RowLayout {
                            spacing: 8
                            Label {
                                text: entry.modelData.title
                                elide: Label.ElideRight
                                Layout.fillWidth: true
                            }
                            Facepile {
                                model: peek.members
                                totalCount: peek.totalCount
                                maxVisible: 3
                                avatarSize: 20
                                ringColor: entry.highlighted ? window.palette.highlight : window.palette.window
                                visible: peek.totalCount > 0 && !window.signedOut
                            }
                        }
                    }
                }

                SectionLabel {
                    text: qsTr("Online now") + (onlineNow.count > 0 && !window.signedOut ? " · " + onlineNow.count : "")
                    topPadding: 16
                }
                ListView {
                    id: onlineList
                    objectName: "onlineNow"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    visible: true
                    model: window.signedOut ? null : onlineNow
                    Timer {
                        id: onlineRefresh
                        interval: 250 // several documents changing together ask once
                        onTriggered: onlineNow.refresh()
                    }
                    OnlineUsers {
                        id: onlineNow
                        client: window.client
                        refreshInterval: 5000
                        active: !window.signedOut
                    }
                    // This window's own arrival or departure shows at once, not at the next refresh.
                    Connections {
                        target: presence.room
                        function onPresentChanged() { onlineNow.refresh() }
                    }
                    delegate: ItemDelegate {
                        id: person
                        required property var model
                        width: ListView.view.width
                        topPadding: 4
                        bottomPadding: 4
                        readonly property string where: person.model.rooms.map(window.titleOf).join(", ")
                        Accessible.name: person.model.display + ", " + where
                        contentItem: RowLayout {
                            spacing: 8
                            Avatar {
                                size: 24
                                userId: person.model.userId
                                name: person.model.name
                                image: person.model.image
                                online: true
                                away: person.model.away
                                lastDisconnected: new Date(NaN)
                                initials: person.model.initials
                                color: person.model.color
                                ringColor: window.palette.window
                                focusPolicy: Qt.NoFocus
                            }
                            Column {
                                Layout.fillWidth: true
                                Label {
                                    width: parent.width
                                    text: person.model.display + (person.model.isSelf ? " " + qsTr("(you)") : "")
                                    elide: Label.ElideRight
                                }
                                Label {
                                    width: parent.width
                                    text: person.where
                                    opacity: 0.65
                                    font.pixelSize: 11
                                    elide: Label.ElideRight
                                }
                            }
                        }
                    }
                    Label {
                        anchors.centerIn: parent
                        width: parent.width - 24
                        horizontalAlignment: Text.AlignHCenter
                        wrapMode: Text.WordWrap
                        visible: window.signedOut || (onlineNow.loaded && onlineNow.count === 0)
                        text: window.signedOut ? qsTr("Sign in to see who is online") : qsTr("Nobody")
                        opacity: 0.5
                    }
                }
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
                    text: window.app.demoPeople
                        ? qsTr("Everyone with this document open appears at the top right. Open it as someone else with File ▸ New Window as Another Person, then minimise that window and watch them go.")
                        : qsTr("Everyone with this document open appears at the top right.")
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

    footer: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 8
            anchors.rightMargin: 12
            spacing: 12
            // What the others see beside this user's avatar in this document.
            TextField {
                id: status
                objectName: "status"
                placeholderText: qsTr("Set a status…")
                enabled: !window.signedOut
                Layout.preferredWidth: 240
                maximumLength: 120
                onTextChanged: presence.room.data = text.trim() === "" ? {} : { "status": text.trim() }
            }
            Label {
                objectName: "where"
                text: !window.signedOut ? window.app.where
                    : window.signIn.state === PresenceSignIn.SigningIn ? qsTr("Signing in…")
                    : qsTr("Not signed in")
                opacity: 0.6
                font.pixelSize: 11
                elide: Label.ElideRight
                Layout.fillWidth: true
            }
            Button {
                objectName: "footerSignIn"
                visible: window.signedOut && window.signIn.state === PresenceSignIn.SignedOut
                text: qsTr("Sign In…")
                onClicked: signInDialog.open()
            }
        }
    }

    SignInDialog {
        id: signInDialog
        objectName: "signInDialog"
        signIn: window.signIn
        onSignInRequested: function(issuer, clientId) { window.app.signInAt(issuer, clientId) }
    }
    // Signed out (by the user, or because the sign-in ended): ask again, saying why.
    Connections {
        target: window.signIn
        function onStateChanged() {
            if (window.signIn.state === PresenceSignIn.SignedOut)
                signInDialog.open()
        }
    }

    Component.onCompleted: {
        app.registerWindow(window, presence, person)
        // A team's server and nobody signed in yet: ask at once.
        if (signIn !== null && signIn.state === PresenceSignIn.SignedOut)
            signInDialog.open()
    }
}
