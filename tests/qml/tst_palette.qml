import QtQuick
import QtQuick.Controls
import QtTest
import Presence

// The facepile follows the palette: the ring between avatars is the window colour, so a
// dark theme gets dark rings.
Control {
    id: scene
    width: 200
    height: 80
    palette.window: "#1e1f22"

    contentItem: Avatar {
        id: avatar
        size: 40
        userId: "d"
        name: "Dee"
        image: ""
        online: true
        away: false
        lastDisconnected: new Date(NaN)
        initials: "D"
        color: "#388e3c"
    }

    TestCase {
        name: "Palette"
        when: windowShown

        function test_ringFollowsThePalette() {
            verify(Qt.colorEqual(avatar.ringColor, "#1e1f22"), avatar.ringColor)
            scene.palette.window = "#fafafa"
            verify(Qt.colorEqual(avatar.ringColor, "#fafafa"), avatar.ringColor)
        }
    }
}
