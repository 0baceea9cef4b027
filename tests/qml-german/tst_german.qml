import QtQuick
import QtQuick.Controls
import QtTest
import Presence

// The QML module in German: run with LANG=de_DE.UTF-8 (ctest qml/german), the module installs
// its German catalog as it loads. Plurals and relative times included.
Item {
    id: scene
    width: 400
    height: 400

    ListModel { id: people }

    Facepile {
        id: pile
        x: 10
        y: 10
        model: people
    }

    function fill(count) {
        people.clear()
        for (var i = 0; i < count; ++i) {
            people.append({ userId: "u" + i, name: "Person " + i, image: "", online: i < 6, away: i === 1,
                            lastDisconnected: i < 6 ? new Date(NaN) : new Date(Date.now() - 5 * 60000 - 5000),
                            initials: "P" + i, color: "#1976d2", status: "" })
        }
    }

    TestCase {
        name: "German"
        when: windowShown

        function test_whetherTheyAreHereInGerman() {
            var now = pile.now.getTime()
            compare(pile.statusText(true, new Date(NaN), false), "Jetzt online")
            compare(pile.statusText(true, new Date(NaN), true), "Abwesend")
            compare(pile.statusText(false, new Date(NaN)), "Offline")
            compare(pile.statusText(false, new Date(now - 20000)), "Zuletzt gesehen: gerade eben")
            compare(pile.statusText(false, new Date(now - 5 * 60000)), "Zuletzt gesehen vor 5 Min.")
            compare(pile.statusText(false, new Date(now - 3600000)), "Zuletzt gesehen vor 1 Stunde")
            compare(pile.statusText(false, new Date(now - 3 * 3600000)), "Zuletzt gesehen vor 3 Stunden")
            compare(pile.statusText(false, new Date(now - 26 * 3600000)), "Zuletzt gesehen vor 1 Tag")
            compare(pile.statusText(false, new Date(now - 72 * 3600000)), "Zuletzt gesehen vor 3 Tagen")
        }

        function test_thePileAndItsListInGerman() {
            people.clear()
            tryCompare(pile.Accessible, "name", "Niemand hier")
            fill(6)
            var more = findChild(pile, "more")
            tryCompare(more.Accessible, "name", "1 weitere Person")
            verify(pile.Accessible.name.endsWith("; und 1 weitere Person"), pile.Accessible.name)
            fill(8)
            tryCompare(more.Accessible, "name", "3 weitere Personen")
            compare(more.ToolTip.text, "Alle anzeigen")
            pile.popup.open()
            tryCompare(pile.popup, "opened", true)
            var list = findChild(pile.popup.contentItem, "everyoneList")
            compare(list.Accessible.name, "Alle hier")
            tryVerify(function() { return list.itemAtIndex(7) !== null })
            var headings = []
            for (var i = 0; i < list.contentItem.children.length; ++i) {
                var child = list.contentItem.children[i]
                if (child.objectName === "sectionHeading" && child.visible)
                    headings.push(child.text)
            }
            headings.sort()
            compare(headings, ["Jetzt hier", "Kürzlich hier"])
            compare(findChild(list.itemAtIndex(7), "statusLine").text, "Zuletzt gesehen vor 5 Min.")
            waitForRendering(list)
            grabImage(pile.popup.contentItem.parent).save(screenshotDir + "/facepile-list-german.png")
            pile.popup.close()
        }
    }
}
