import QtQuick
import QtQuick.Controls
import QtQuick.Window
import QtTest
import Presence

// The facepile at 1, 3, 6, 13 and 150 members, in a light and a dark palette, as one picture
// for the README (docs/images/facepile-gallery@1x.png, and @2x under QT_SCALE_FACTOR=2); and
// the list it opens, with its two sections. Checked by pixels: in both palettes the ring is the
// window's colour and every shown initial is drawn whole, white on its disc.
Item {
    id: scene
    width: 720
    height: gallery.height + 300

    readonly property var sizes: [1, 3, 6, 13, 150]
    readonly property var people: [
        ["ada", "Ada Lovelace", "qrc:/avatars/ada.png"], ["grace", "Grace Hopper", "qrc:/avatars/grace.png"],
        ["katherine", "Katherine Johnson", ""], ["alan", "Alan Turing", "qrc:/avatars/alan.png"],
        ["margaret", "Margaret Hamilton", ""], ["mary", "Mary Wilkes", ""], ["barbara", "Barbara Liskov", ""],
        ["edsger", "Edsger Dijkstra", ""], ["frances", "Frances Allen", ""], ["donald", "Donald Knuth", ""],
        ["radia", "Radia Perlman", ""], ["ken", "Ken Thompson", ""], ["hedy", "Hedy Lamarr", ""]
    ]
    readonly property var colors: ["#d32f2f", "#c2185b", "#7b1fa2", "#512da8", "#303f9f", "#1976d2", "#0288d1",
                                   "#00796b", "#388e3c", "#689f38", "#f57c00", "#e64a19", "#5d4037", "#455a64"]

    // Member i of a room of n: the first half online (one away), the rest gone a while ago.
    function member(i, n) {
        var who = people[i % people.length]
        var name = i < people.length ? who[1] : "Guest " + (i - people.length + 1)
        var online = i < Math.max(1, Math.ceil(n / 2))
        return {
            userId: who[0] + i, name: name, image: i < people.length ? who[2] : "",
            online: online, away: online && i === 1,
            lastDisconnected: online ? new Date(NaN) : new Date(Date.now() - (i * 7 + 3) * 60000),
            initials: name.split(" ").map(function(w) { return w[0] }).join(""),
            color: colors[(i * 5) % colors.length], status: ""
        }
    }

    // A room lists its first 104 members (Room.limit) and counts the rest.
    function modelFor(n) {
        var model = Qt.createQmlObject("import QtQml.Models; ListModel { }", scene)
        for (var i = 0; i < Math.min(n, 104); ++i)
            model.append(member(i, n))
        return model
    }

    Component {
        id: cell
        Pane {
            id: pane
            required property int index
            readonly property int members: scene.sizes[Math.floor(index / 2)]
            readonly property bool dark: index % 2 === 1
            width: 340
            height: 64
            padding: 12
            palette.window: dark ? "#1f2023" : "#f6f6f6"
            palette.windowText: dark ? "#e8e8ea" : "#202124"
            palette.button: dark ? "#34363b" : "#e6e7e9"
            palette.buttonText: dark ? "#e8e8ea" : "#202124"
            palette.mid: dark ? "#55575d" : "#b9bbbf"
            palette.base: dark ? "#26272b" : "#ffffff"
            palette.text: dark ? "#e8e8ea" : "#202124"
            palette.highlight: "#2f7bd8"
            background: Rectangle { color: pane.palette.window }
            Row {
                spacing: 12
                anchors.verticalCenter: parent.verticalCenter
                Label {
                    width: 96
                    anchors.verticalCenter: parent.verticalCenter
                    text: pane.members === 1 ? "1 member" : pane.members + " members"
                    color: pane.palette.windowText
                    opacity: 0.75
                }
                Facepile {
                    objectName: "facepile"
                    anchors.verticalCenter: parent.verticalCenter
                    model: scene.modelFor(pane.members)
                    totalCount: pane.members
                }
            }
        }
    }

    Grid {
        id: gallery
        columns: 2
        Repeater {
            model: scene.sizes.length * 2
            delegate: cell
        }
    }

    // The list "+N" opens, on a room of 13.
    Pane {
        id: listScene
        y: gallery.height
        width: 360
        height: 440
        padding: 12
        Facepile {
            id: thirteen
            objectName: "thirteen"
            model: scene.modelFor(13)
        }
    }

    function near(colour, expected) {
        var a = Qt.color(colour)
        var b = Qt.color(expected)
        return Math.abs(a.r - b.r) < 0.03 && Math.abs(a.g - b.g) < 0.03 && Math.abs(a.b - b.b) < 0.03
    }

    TestCase {
        name: "Gallery"
        when: windowShown

        function facepiles() {
            var found = []
            for (var i = 0; i < gallery.children.length; ++i) {
                var pane = gallery.children[i]
                if (pane.members !== undefined)
                    found.push({ pile: findChild(pane, "facepile"), dark: pane.dark, members: pane.members })
            }
            return found
        }

        function allSettled() {
            var piles = facepiles()
            if (piles.length !== 10)
                return false
            for (var p = 0; p < piles.length; ++p) {
                var list = findChild(piles[p].pile, "pile")
                for (var i = 0; i < piles[p].pile.shown; ++i) {
                    var avatar = list.itemAtIndex(i)
                    if (!avatar || avatar.scale !== 1 || avatar.opacity !== 1 || avatar.contentItem.opacity < 0.39)
                        return false
                    if (avatar.image.toString() !== "" && !avatar.showsImage)
                        return false
                }
            }
            return true
        }

        function test_theGalleryInLightAndDark() {
            tryVerify(allSettled, 5000, "every facepile drawn, its pictures loaded")
            wait(300) // the dimming of those gone
            waitForRendering(gallery)
            var name = "facepile-gallery@" + Math.round(Screen.devicePixelRatio) + "x.png"
            verify(camera.shoot(gallery, screenshotDir + "/" + name))
            if (docsImageDir !== "")
                verify(camera.shoot(gallery, docsImageDir + "/" + name))
            compare(camera.width(), Math.round(gallery.width * Screen.devicePixelRatio))
            var piles = facepiles()
            for (var p = 0; p < piles.length; ++p) {
                var pile = piles[p].pile
                var list = findChild(pile, "pile")
                compare(findChild(pile, "more").visible, piles[p].members > 5)
                for (var i = 0; i < pile.shown; ++i) {
                    var avatar = list.itemAtIndex(i)
                    var ring = findChild(avatar, "ring")
                    // The ring, left of the disc at its middle: the palette's window colour.
                    var r = ring.mapToItem(gallery, 0.6, ring.height / 2)
                    var ringColour = camera.pixel(r.x, r.y)
                    if (i === 0)
                        verify(near(ringColour, piles[p].dark ? "#1f2023" : "#f6f6f6"),
                               "ring of " + piles[p].members + (piles[p].dark ? " dark" : " light") + ": " + ringColour)
                    if (avatar.showsImage)
                        continue
                    // The initials drawn whole: in the letters' left and right thirds, a pixel
                    // clearly lighter than the disc beside them as drawn (dimmed or not).
                    var text = findChild(avatar, "initials")
                    var left = (text.width - text.contentWidth) / 2
                    var discAt = avatar.mapToItem(gallery, avatar.width * 0.12, avatar.height / 2)
                    var disc = camera.pixel(discAt.x, discAt.y)
                    var found = [false, false]
                    for (var side = 0; side < 2; ++side) {
                        for (var x = 0; x < text.contentWidth / 3 && !found[side]; x += 1 / camera.ratio()) {
                            for (var y = 0; y < text.contentHeight && !found[side]; y += 1 / camera.ratio()) {
                                var at = text.mapToItem(gallery, side === 0 ? left + x : left + text.contentWidth - x,
                                                        (text.height - text.contentHeight) / 2 + y)
                                var c = camera.pixel(at.x, at.y)
                                if (c.hslLightness > disc.hslLightness + 0.1)
                                    found[side] = true
                            }
                        }
                    }
                    verify(found[0] && found[1], avatar.name + " in the pile of " + piles[p].members
                           + ": initials drawn at left " + found[0] + ", right " + found[1])
                }
            }
        }

        function test_theListWithItsSections() {
            var more = findChild(thirteen, "more")
            tryVerify(function() { return more.visible })
            mouseClick(more)
            tryCompare(thirteen.popup, "opened", true)
            var list = findChild(thirteen.popup.contentItem, "everyoneList")
            tryVerify(function() { return list.itemAtIndex(0) !== null && list.itemAtIndex(0).width > 0 })
            // The window as a person sees it, the list over the facepile, without the gallery.
            var window = scene.Window.window
            gallery.visible = false
            listScene.y = 0
            window.width = listScene.width
            window.height = listScene.height
            wait(300)
            waitForRendering(scene.Window.contentItem)
            var name = "facepile-list@" + Math.round(Screen.devicePixelRatio) + "x.png"
            verify(camera.shoot(scene.Window.contentItem, screenshotDir + "/" + name))
            if (docsImageDir !== "")
                verify(camera.shoot(scene.Window.contentItem, docsImageDir + "/" + name))
            gallery.visible = true
            listScene.y = Qt.binding(function() { return gallery.height })
            window.width = scene.width
            window.height = scene.height
            // The picture holds the list: its first heading is inside it.
            var heading = null
            for (var i = 0; i < list.contentItem.children.length; ++i) {
                if (list.contentItem.children[i].objectName === "sectionHeading") {
                    heading = list.contentItem.children[i]
                    break
                }
            }
            verify(heading !== null)
            compare(heading.text, "Here now")
            keyClick(Qt.Key_Escape)
            tryCompare(thirteen.popup, "opened", false)
        }
    }
}
