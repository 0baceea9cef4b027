import QtQuick
import QtTest
import Presence

Item {
    id: scene
    width: 200
    height: 100

    // A loud background: whatever an avatar does not paint stays this colour.
    Rectangle {
        anchors.fill: parent
        color: "#00ff00"
    }

    Avatar {
        id: initialsOnly
        x: 10; y: 10
        size: 64
        userId: "ada"
        name: "Ada Lovelace"
        image: ""
        online: true
        away: false
        lastDisconnected: new Date(NaN)
        initials: "AL"
        color: "#d32f2f"
        showStatus: false
        ringColor: "transparent"
    }
    Avatar {
        id: broken
        x: 100; y: 10
        size: 64
        userId: "grace"
        name: ""
        online: true
        away: false
        lastDisconnected: new Date(NaN)
        color: "#1976d2"
        initials: "GH"
        image: "file:///nonexistent/avatar.png"
        showStatus: false
        ringColor: "transparent"
    }

    // A real image, named by a scheme an avatar may not use: a token's picture could name
    // any local file (file:///dev/zero) this way.
    Avatar {
        id: localFile
        x: 100; y: 10
        size: 64
        userId: "lf"
        name: ""
        online: true
        away: false
        lastDisconnected: new Date(NaN)
        color: "#1976d2"
        initials: "LF"
        image: Qt.resolvedUrl("../../resources/avatars/ada.png")
        showStatus: false
        ringColor: "transparent"
    }

    TestCase {
        name: "Avatar"
        when: windowShown

        function test_aCircleIsACircle() {
            waitForRendering(initialsOnly)
            var image = grabImage(initialsOnly)
            var w = image.width
            var h = image.height
            verify(w >= 64 && h >= 64)
            // Corners untouched (the background shows), the centre the user's colour.
            var green = Qt.color("#00ff00")
            verify(Qt.colorEqual(image.pixel(1, 1), green), image.pixel(1, 1))
            verify(Qt.colorEqual(image.pixel(w - 2, 1), green))
            verify(Qt.colorEqual(image.pixel(1, h - 2), green))
            verify(Qt.colorEqual(image.pixel(w - 2, h - 2), green))
            var centre = image.pixel(Math.floor(w / 2), Math.floor(h / 4))
            verify(Qt.colorEqual(centre, "#d32f2f"), centre)
            // At 45°: just inside the rim is the colour, just outside the background.
            var r = w / 2
            var inside = image.pixel(Math.floor(r + (r - 3) * 0.7071), Math.floor(r + (r - 3) * 0.7071))
            var outside = image.pixel(Math.ceil(r + (r + 1) * 0.7071), Math.ceil(r + (r + 1) * 0.7071))
            verify(Qt.colorEqual(inside, "#d32f2f"), inside)
            verify(Qt.colorEqual(outside, green), outside)
        }

        function test_initialsWhenTheImageFails() {
            tryCompare(broken, "showsImage", false)
            var picture = findChild(broken, "picture")
            tryCompare(picture, "status", CircleImage.Error)
            verify(findChild(broken, "initialsDisc").visible)
            compare(findChild(broken, "initials").text, "GH")
        }

        function test_localFilesAreNotLoaded() {
            verify(String(localFile.image).startsWith("file:"))
            var picture = findChild(localFile, "picture")
            tryCompare(picture, "status", CircleImage.Error)
            compare(localFile.showsImage, false)
            verify(findChild(localFile, "initialsDisc").visible)
        }

        function test_accessibleName() {
            compare(initialsOnly.Accessible.name, "Ada Lovelace")
        }

        function test_tabbedToItShowsItsRingAndTooltip() {
            // The avatar hands its focus to the item that speaks for it: still ringed, still
            // telling who, and that item says it has the focus.
            initialsOnly.forceActiveFocus(Qt.TabFocusReason)
            tryVerify(function() { return initialsOnly.keyboardFocused })
            verify(findChild(initialsOnly, "focusRing").visible)
            verify(findChild(initialsOnly, "accessible").Accessible.focused)
            compare(findChild(initialsOnly, "accessible").Accessible.name, "Ada Lovelace")
            initialsOnly.focus = false
            findChild(initialsOnly, "accessible").focus = false
            tryVerify(function() { return !initialsOnly.keyboardFocused })
            verify(!findChild(initialsOnly, "focusRing").visible)
        }
    }
}
