import QtQuick
import QtQuick.Controls
import QtTest
import Presence

Item {
    id: scene
    width: 400
    height: 200

    ListModel { id: people }

    Facepile {
        id: pile
        x: 10
        y: 10
        model: people
    }

    function person(i, online, minutesAgo) {
        return {
            userId: "user_" + i,
            name: i % 2 ? "Person Number" + i : "",
            image: "",
            online: online,
            lastDisconnected: online ? new Date(NaN) : new Date(Date.now() - minutesAgo * 60000),
            initials: i % 2 ? "P" + (i % 10) : "U",
            color: "#1976d2"
        }
    }
    function fill(count) {
        people.clear()
        for (var i = 0; i < count; ++i)
            people.append(person(i, i < count - 1, 5))
    }

    TestCase {
        name: "Facepile"
        when: windowShown

        function init() { pile.popup.close() }

        function visibleAvatars() {
            var list = findChild(pile, "pile")
            var shown = 0
            for (var i = 0; i < list.contentItem.children.length; ++i) {
                var child = list.contentItem.children[i]
                if (child.objectName === "avatar" && child.visible)
                    ++shown
            }
            return shown
        }

        function test_counts_data() {
            return [
                { tag: "3", count: 3, shown: 3, more: "" },
                { tag: "5", count: 5, shown: 5, more: "" },
                { tag: "6", count: 6, shown: 5, more: "+1" },
                { tag: "100", count: 100, shown: 5, more: "+95" },
            ]
        }
        function test_counts(data) {
            fill(data.count)
            tryCompare(pile, "count", data.count)
            waitForRendering(pile)
            tryVerify(function() { return visibleAvatars() === data.shown })
            var more = findChild(pile, "more")
            compare(more.visible, data.more !== "")
            if (data.more !== "")
                compare(more.text, data.more)
            // Overlapping: narrower than the avatars side by side.
            verify(pile.implicitWidth < data.shown * pile.avatarSize + (data.more ? pile.avatarSize + 4 : 0))
        }

        function test_orderFollowsTheModel() {
            fill(3)
            waitForRendering(pile)
            var list = findChild(pile, "pile")
            list.currentIndex = 0
            var first = list.itemAtIndex(0)
            var second = list.itemAtIndex(1)
            compare(first.userId, "user_0")
            compare(second.userId, "user_1")
            verify(first.x < second.x)
            verify(first.z > second.z) // the first lies on top
        }

        function test_offlineIsDimmed() {
            fill(3)
            waitForRendering(pile)
            var list = findChild(pile, "pile")
            var online = list.itemAtIndex(0)
            var offline = list.itemAtIndex(2)
            tryCompare(online.contentItem, "opacity", 1)
            tryCompare(offline.contentItem, "opacity", 0.4)
            verify(findChild(online, "onlineDot").visible)
            verify(!findChild(offline, "onlineDot").visible)
        }

        function test_tooltipText() {
            fill(3)
            compare(pile.statusText(true, new Date(NaN)), "Online now")
            compare(pile.statusText(false, new Date(pile.now.getTime() - 5 * 60000)), "Last seen 5 min ago")
            compare(pile.statusText(false, new Date(pile.now.getTime() - 20000)), "Last seen just now")
            compare(pile.statusText(false, new Date(pile.now.getTime() - 3 * 3600000)), "Last seen 3 hour(s) ago")
            pile.now = new Date() // what the facepile's 30 s timer does
            waitForRendering(pile)
            var list = findChild(pile, "pile")
            var offline = list.itemAtIndex(2)
            tryCompare(offline, "statusText", "Last seen 5 min ago")
            compare(offline.ToolTip.text, "user_2\nLast seen 5 min ago")
            compare(offline.Accessible.name, "user_2")
            compare(list.itemAtIndex(1).Accessible.name, "Person Number1")
        }

        function test_popupListsEveryone() {
            fill(100)
            waitForRendering(pile)
            var more = findChild(pile, "more")
            mouseClick(more)
            tryCompare(pile.popup, "opened", true)
            var list = findChild(pile.popup.contentItem, "everyoneList")
            compare(list.count, 100)
            list.positionViewAtEnd()
            waitForRendering(list)
            verify(list.itemAtIndex(99) !== null)
            mouseClick(more)
            tryCompare(pile.popup, "opened", false)
        }

        function test_keyboardReachesEveryAvatar() {
            fill(3)
            waitForRendering(pile)
            var list = findChild(pile, "pile")
            list.itemAtIndex(0).forceActiveFocus(Qt.TabFocusReason)
            verify(list.itemAtIndex(0).visualFocus)
            keyClick(Qt.Key_Tab)
            verify(list.itemAtIndex(1).activeFocus)
        }
    }
}
