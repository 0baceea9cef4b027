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

        // Every shown avatar whole: grown and opaque, its add transition over.
        function settled() {
            var list = findChild(pile, "pile")
            for (var i = 0; i < pile.shown; ++i) {
                var avatar = list.itemAtIndex(i)
                if (!avatar || avatar.scale !== 1 || avatar.opacity !== 1)
                    return false
            }
            return true
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
            // Filled in one go, each add transition is cut short by the next: still, every
            // avatar ends whole (they stayed at 77 % before the displaced transition finished them).
            tryVerify(settled, 1000, "every avatar grown and opaque")
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
            // English has its plural forms (the English catalog): one hour, three hours.
            compare(pile.statusText(false, new Date(pile.now.getTime() - 3 * 3600000)), "Last seen 3 hours ago")
            compare(pile.statusText(false, new Date(pile.now.getTime() - 3600000)), "Last seen 1 hour ago")
            compare(pile.statusText(false, new Date(pile.now.getTime() - 26 * 3600000)), "Last seen 1 day ago")
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
            compare(pile.overlap, 4) // 15 % of the size, rounded down
            verify(Qt.colorEqual(pile.ringColor, pile.palette.window))
            var list = findChild(pile, "pile")
            var avatar = list.itemAtIndex(0)
            verify(Qt.colorEqual(avatar.ringColor, pile.ringColor))
            pile.ringColor = "#ff00ff"
            verify(Qt.colorEqual(avatar.ringColor, "#ff00ff"))
            pile.avatarSize = 48
            compare(pile.overlap, 7)
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

        // Where a disc covers the pile: its centre and radius, its ring included, in the scene.
        function disc(avatar) {
            var ring = findChild(avatar, "ring")
            var centre = ring.mapToItem(scene, ring.width / 2, ring.height / 2)
            return { x: centre.x, y: centre.y, r: ring.width / 2 }
        }
        function inside(point, circle) {
            var dx = point.x - circle.x
            var dy = point.y - circle.y
            return dx * dx + dy * dy < circle.r * circle.r
        }

        function test_everyInitialStaysClearOfTheAvatarInFront_data() {
            return [ { tag: "20 px", size: 20 }, { tag: "28 px", size: 28 }, { tag: "30 px", size: 30 },
                     { tag: "32 px", size: 32 }, { tag: "40 px", size: 40 }, { tag: "64 px", size: 64 } ]
        }
        function test_everyInitialStaysClearOfTheAvatarInFront(data) {
            // 13 people with the widest initials there are.
            people.clear()
            for (var i = 0; i < 13; ++i) {
                var p = person(i, true, 0)
                p.initials = "MW"
                people.append(p)
            }
            pile.avatarSize = data.size
            var list = findChild(pile, "pile")
            tryVerify(function() { return madeAvatars() === 5 })
            tryVerify(settled, 1000, "the add transitions end")
            waitForRendering(pile)
            for (var j = 1; j < 5; ++j) {
                var front = disc(list.itemAtIndex(j - 1))
                var text = findChild(list.itemAtIndex(j), "initials")
                // The letters as drawn: the text's painted box, centred in its item.
                var left = (text.width - text.contentWidth) / 2
                var top = (text.height - text.contentHeight) / 2
                var corners = [ text.mapToItem(scene, left, top),
                                text.mapToItem(scene, left, top + text.contentHeight / 2),
                                text.mapToItem(scene, left, top + text.contentHeight) ]
                for (var c = 0; c < corners.length; ++c)
                    verify(!inside(corners[c], front),
                           "avatar " + j + "'s initials under avatar " + (j - 1) + " at " + corners[c].x + "," + corners[c].y)
                verify(text.contentWidth > 0)
            }
            pile.avatarSize = 32
        }

        function test_plusNIsAChipApartFromTheLastAvatar_data() {
            return [ { tag: "+1", count: 6 }, { tag: "+95", count: 100 }, { tag: "+995", count: 1000 } ]
        }
        function test_plusNIsAChipApartFromTheLastAvatar(data) {
            fill(5)
            pile.totalCount = data.count
            var list = findChild(pile, "pile")
            tryVerify(function() { return madeAvatars() === 5 })
            waitForRendering(pile)
            var more = findChild(pile, "more")
            compare(more.text, data.tag)
            var last = disc(list.itemAtIndex(4))
            var chip = more.mapToItem(scene, 0, 0)
            // A gap between the last ring and the chip: no letter of either is covered.
            verify(chip.x >= last.x + last.r + 2, chip.x + " after " + (last.x + last.r))
            compare(more.height, pile.avatarSize)
            var label = findChild(more, "chipLabel")
            verify(label.contentWidth <= more.width - pile.avatarSize * 0.25, label.contentWidth + " in " + more.width)
            compare(findChild(more, "chip").radius, more.height / 2)
            verify(pile.implicitWidth >= more.x + more.width)
            pile.totalCount = -1
        }

        function test_hoverLiftsTheAvatarAboveTheOthers() {
            fill(5)
            var list = findChild(pile, "pile")
            tryVerify(function() { return madeAvatars() === 5 })
            waitForRendering(pile)
            tryVerify(settled, 1000, "the add transitions end")
            var second = list.itemAtIndex(1)
            var first = list.itemAtIndex(0)
            var before = second.mapToItem(scene, 0, 0).y
            // Its visible part: right of the first avatar.
            mouseMove(second, second.width * 0.8, second.height / 2)
            tryCompare(second, "hovered", true)
            verify(second.z > first.z)
            tryVerify(function() { return second.mapToItem(scene, 0, 0).y === before - pile.lift }, 1000,
                      second.mapToItem(scene, 0, 0).y + " " + before + " " + pile.lift)
            verify(pile.lift > 0)
            mouseMove(scene, scene.width - 1, scene.height - 1)
            tryCompare(second, "hovered", false)
            verify(second.z < first.z)
            tryVerify(function() { return second.mapToItem(scene, 0, 0).y === before }, 1000)
        }

        function test_theListHasHereNowAndRecentlyHere() {
            fill(8) // seven online, one gone
            pile.popup.open()
            tryCompare(pile.popup, "opened", true)
            var everyone = findChild(pile.popup.contentItem, "everyoneList")
            tryVerify(function() { return everyone.itemAtIndex(7) !== null })
            waitForRendering(everyone)
            var headings = []
            var items = everyone.contentItem.children
            for (var i = 0; i < items.length; ++i) {
                if (items[i].objectName === "sectionHeading" && items[i].visible)
                    headings.push({ text: items[i].text, y: items[i].y })
            }
            headings.sort(function(a, b) { return a.y - b.y })
            compare(headings.length, 2)
            compare(headings[0].text, "Here now")
            compare(headings[1].text, "Recently here")
            // "Recently here" heads the gone: below the last online person, above the first gone.
            verify(headings[1].y > everyone.itemAtIndex(6).y)
            verify(headings[1].y < everyone.itemAtIndex(7).y)
            verify(!findChild(everyone, "notListed").visible)
            pile.popup.close()
        }

        function test_theListCountsThoseTheRoomDoesNotName() {
            fill(8)
            pile.totalCount = 150
            pile.popup.open()
            tryCompare(pile.popup, "opened", true)
            var everyone = findChild(pile.popup.contentItem, "everyoneList")
            everyone.positionViewAtEnd()
            var footer = findChild(everyone, "notListed")
            tryVerify(function() { return footer !== null && footer.visible })
            compare(footer.text, "and 142 more")
            pile.popup.close()
            pile.totalCount = -1
        }

        function test_theKeyboardWalksThePileAndOpensTheList() {
            fill(7)
            var list = findChild(pile, "pile")
            tryVerify(function() { return madeAvatars() === 5 })
            // One Tab stop for the pile: the first avatar has the keyboard, ringed and lifted.
            list.forceActiveFocus(Qt.TabFocusReason)
            tryVerify(function() { return list.itemAtIndex(0).keyboardFocused })
            verify(list.itemAtIndex(0).highlighted)
            verify(findChild(list.itemAtIndex(0), "focusRing").visible)
            verify(list.itemAtIndex(0).ToolTip.visible || list.itemAtIndex(0).ToolTip.delay > 0)
            keyClick(Qt.Key_Right)
            keyClick(Qt.Key_Right)
            tryVerify(function() { return list.itemAtIndex(2).keyboardFocused })
            verify(list.itemAtIndex(2).lifted)
            verify(!list.itemAtIndex(0).highlighted)
            keyClick(Qt.Key_Left)
            tryVerify(function() { return list.itemAtIndex(1).keyboardFocused })
            // Enter opens the list, with the keyboard in it; Escape gives the keyboard back.
            keyClick(Qt.Key_Return)
            tryCompare(pile.popup, "opened", true)
            var everyone = findChild(pile.popup.contentItem, "everyoneList")
            tryVerify(function() { return everyone.activeFocus })
            keyClick(Qt.Key_Down)
            compare(everyone.currentIndex, 1)
            verify(everyone.currentItem.highlighted)
            keyClick(Qt.Key_Escape)
            tryCompare(pile.popup, "opened", false)
            tryVerify(function() { return list.itemAtIndex(1).keyboardFocused })
            // Tab goes on to "+N", which Enter opens too.
            keyClick(Qt.Key_Tab)
            var more = findChild(pile, "more")
            tryVerify(function() { return more.activeFocus })
            keyClick(Qt.Key_Return)
            tryCompare(pile.popup, "opened", true)
            keyClick(Qt.Key_Escape)
            tryCompare(pile.popup, "opened", false)
            tryVerify(function() { return more.activeFocus })
        }
    }
}
