import QtQuick
import QtQuick.Controls
import QtTest
import Presence

// The QML facepile with the people of the Widgets facepile's picture (tst_facepilewidget), for
// the README; and a check that the pictures, the away badge and "+N" are drawn.
Pane {
    id: scene
    width: facepile.implicitWidth + 32
    height: facepile.implicitHeight + 32
    padding: 16

    ListModel { id: people }

    Facepile {
        id: facepile
        model: people
        maxVisible: 4
        avatarSize: 40
    }

    function person(userId, name, image, online, minutesAgo, color, away) {
        return { userId: userId, name: name, image: image, online: online, away: away === true,
                 lastDisconnected: online ? new Date(NaN) : new Date(Date.now() - minutesAgo * 60000),
                 initials: name.split(" ").map(function(w) { return w[0] }).join(""), color: color }
    }

    // Within a few steps per channel: antialiasing and rounding move colours by one or two.
    function near(colour, expected) {
        var a = Qt.color(colour)
        var b = Qt.color(expected)
        return Math.abs(a.r - b.r) < 0.03 && Math.abs(a.g - b.g) < 0.03 && Math.abs(a.b - b.b) < 0.03
    }

    TestCase {
        name: "Screenshot"
        when: windowShown

        function test_theFacepileForTheReadme() {
            people.append(person("ada", "Ada Lovelace", "qrc:/avatars/ada.png", true, 0, "#607d8b"))
            people.append(person("grace", "Grace Hopper", "qrc:/avatars/grace.png", true, 0, "#607d8b", true))
            people.append(person("katherine", "Katherine Johnson", "", true, 0, "#e65100"))
            people.append(person("alan", "Alan Turing", "qrc:/avatars/alan.png", false, 5, "#607d8b"))
            for (var i = 0; i < 3; ++i)
                people.append(person("guest" + i, "Guest " + i, "", false, 60, "#2e7d32"))
            var list = findChild(facepile, "pile")
            tryVerify(function() {
                var first = list.itemAtIndex(0)
                return first && first.showsImage
            }, 5000, "the first picture loads")
            tryVerify(function() { return list.itemAtIndex(1) && list.itemAtIndex(1).showsImage })
            waitForRendering(scene)
            wait(300) // the add transitions
            var image = grabImage(scene)
            image.save(screenshotDir + "/facepile-qml.png")
            if (docsImageDir !== "")
                image.save(docsImageDir + "/facepile-qml.png")
            compare(findChild(facepile, "more").text, "+3")
            // Grace is away: her clock badge is drawn, amber below and left of its hands.
            var grace = list.itemAtIndex(1)
            var badge = findChild(grace, "awayBadge")
            verify(badge.visible)
            var b = badge.mapToItem(scene, badge.width * 0.3, badge.height * 0.7)
            verify(near(image.pixel(b.x, b.y), "#e0a100"), image.pixel(b.x, b.y))
            compare(grace.contentItem.opacity, 0.7)
            verify(!findChild(grace, "onlineDot").visible)
            compare(grace.statusText, "Away")
            // Katherine's initials disc, in her colour, clear of the letters.
            var third = list.itemAtIndex(2)
            var at = third.mapToItem(scene, third.width * 0.6, third.height * 0.15)
            verify(Qt.colorEqual(image.pixel(at.x, at.y), "#e65100"), image.pixel(at.x, at.y))
        }
    }
}
