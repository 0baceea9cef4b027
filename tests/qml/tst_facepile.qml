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
            away: false,
            lastDisconnected: online ? new Date(NaN) : new Date(Date.now() - minutesAgo * 60000),
            initials: i % 2 ? "P" + (i % 10) : "U",
            color: "#1976d2",
            status: ""
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

        // Every avatar delegate that exists, shown or not: the facepile makes only those it shows.
        function madeAvatars() {
            var list = findChild(pile, "pile")
            var made = 0
            for (var i = 0; i < list.contentItem.children.length; ++i) {
                var child = list.contentItem.children[i]
                if (child.objectName === "avatar")
                    ++made
            }
            return made
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
            tryVerify(function() { return madeAvatars() === data.shown }, 1000, "made " + madeAvatars())
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

        function test_ownStatusInTheTooltipAndTheList() {
            fill(7)
            people.setProperty(0, "status", "Reviewing the budget")
            waitForRendering(pile)
            var list = findChild(pile, "pile")
            var first = list.itemAtIndex(0)
            tryCompare(first, "note", "Reviewing the budget")
            compare(first.ToolTip.text, "user_0\nReviewing the budget\nOnline now")
            compare(first.Accessible.description, "Online now, Reviewing the budget")
            compare(list.itemAtIndex(1).ToolTip.text, "Person Number1\nOnline now") // none set: no empty line
            pile.popup.open()
            tryCompare(pile.popup, "opened", true)
            var everyone = findChild(pile.popup.contentItem, "everyoneList")
            tryVerify(function() { return everyone.itemAtIndex(0) !== null })
            compare(findChild(everyone.itemAtIndex(0), "statusLine").text, "Online now · Reviewing the budget")
            compare(findChild(everyone.itemAtIndex(1), "statusLine").text, "Online now")
            // As a person sees it: the list's second line carries the status, elided to fit.
            var popupItem = pile.popup.contentItem.parent
            waitForRendering(popupItem)
            grabImage(popupItem).save(screenshotDir + "/facepile-list-with-status.png")
            people.setProperty(0, "status", "")
            tryCompare(first, "note", "")
        }

        function test_aNewcomerAtTheFrontPushesTheLastShownOut() {
            fill(5)
            tryVerify(function() { return madeAvatars() === 5 })
            people.insert(0, person(42, true, 0))
            tryCompare(pile, "overflow", 1)
            var list = findChild(pile, "pile")
            // The view applies model changes when it next lays out.
            var at = function(i) { var item = list.itemAtIndex(i); return item ? item.userId : "" }
            tryCompare(list, "count", 5)
            tryVerify(function() { return at(0) === "user_42" && at(4) === "user_3" }, 1000, at(0) + " " + at(4))
            people.remove(0)
            tryCompare(list, "count", 5)
            tryVerify(function() { return at(0) === "user_0" && at(4) === "user_4" }, 1000, at(0) + " " + at(4))
            pile.maxVisible = 2
            tryCompare(list, "count", 2)
            tryVerify(function() { return madeAvatars() === 2 })
            pile.maxVisible = 5
        }

        function test_accessibleAsAListOfWhoIsHere() {
            fill(7)
            waitForRendering(pile)
            compare(pile.Accessible.role, Accessible.List)
            tryVerify(function() { return pile.Accessible.name.startsWith("user_0, Online now; Person Number1, Online now") })
            verify(pile.Accessible.name.endsWith("; and 2 more"), pile.Accessible.name)
            people.clear()
            tryCompare(pile.Accessible, "name", "Nobody here")
        }

        function test_sizeOverlapRingAndFontAreProperties() {
            fill(3)
            compare(pile.maxVisible, 5)
            compare(pile.avatarSize, 32)
            compare(pile.overlap, 9) // 28 % of the size
            verify(Qt.colorEqual(pile.ringColor, pile.palette.window))
            var list = findChild(pile, "pile")
            var avatar = list.itemAtIndex(0)
            verify(Qt.colorEqual(avatar.ringColor, pile.ringColor))
            pile.ringColor = "#ff00ff"
            verify(Qt.colorEqual(avatar.ringColor, "#ff00ff"))
            pile.avatarSize = 48
            compare(pile.overlap, 13)
            compare(avatar.size, 48)
            pile.font.family = "DejaVu Serif"
            compare(findChild(avatar, "initials").font.family, "DejaVu Serif")
            pile.avatarSize = 32
            pile.ringColor = Qt.binding(function() { return pile.palette.window })
            pile.font.family = Qt.application.font.family
        }

        function test_plusNCountsTheWholeRoom() {
            fill(7)
            pile.totalCount = 500
            compare(pile.count, 500)
            compare(findChild(pile, "more").text, "+495")
            tryVerify(function() { return madeAvatars() === 5 })
            pile.totalCount = -1
            compare(findChild(pile, "more").text, "+2")
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
