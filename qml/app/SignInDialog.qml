import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Presence

// Signing in at the organization's identity provider: where, as which app, and what became of
// the last try. The sign-in itself happens in the browser.
Dialog {
    id: dialog

    required property var signIn
    /// Called with the issuer and client id when the user asks to sign in.
    signal signInRequested(url issuer, string clientId)

    title: qsTr("Sign in")
    modal: true
    closePolicy: Popup.CloseOnEscape
    anchors.centerIn: parent
    width: Math.min(parent ? parent.width - 48 : 440, 440)

    readonly property bool waiting: signIn && signIn.state === PresenceSignIn.SigningIn

    onOpened: {
        issuerField.text = signIn.issuer.toString()
        clientIdField.text = signIn.clientId
        issuerField.forceActiveFocus()
    }

    contentItem: ColumnLayout {
        spacing: 8
        Label {
            text: qsTr("Your organization's sign-in page opens in your web browser.")
            wrapMode: Label.WordWrap
            Layout.fillWidth: true
        }
        Label { text: qsTr("Identity provider") }
        TextField {
            id: issuerField
            objectName: "issuer"
            placeholderText: "https://auth.example.com"
            enabled: !dialog.waiting
            inputMethodHints: Qt.ImhUrlCharactersOnly
            Layout.fillWidth: true
            onAccepted: signInButton.clicked()
        }
        Label { text: qsTr("Client ID") }
        TextField {
            id: clientIdField
            objectName: "clientId"
            enabled: !dialog.waiting
            Layout.fillWidth: true
            onAccepted: signInButton.clicked()
        }
        Label {
            objectName: "signInStatus"
            Layout.fillWidth: true
            wrapMode: Label.WordWrap
            visible: text !== ""
            color: dialog.waiting ? palette.windowText : "#c62828"
            text: dialog.waiting ? qsTr("Continue in your browser…") : dialog.signIn ? dialog.signIn.errorString : ""
        }
    }

    footer: DialogButtonBox {
        Button {
            id: signInButton
            objectName: "signInButton"
            text: qsTr("Sign In")
            enabled: !dialog.waiting && issuerField.text.trim() !== "" && clientIdField.text.trim() !== ""
            DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
            onClicked: dialog.signInRequested(issuerField.text.trim(), clientIdField.text.trim())
        }
        Button {
            text: dialog.waiting ? qsTr("Cancel Sign-In") : qsTr("Close")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            onClicked: dialog.waiting ? dialog.signIn.cancel() : dialog.close()
        }
    }

    // Signed in: nothing left to ask.
    Connections {
        target: dialog.signIn
        function onStateChanged() {
            if (dialog.signIn.state === PresenceSignIn.SignedIn)
                dialog.close()
        }
    }
}
