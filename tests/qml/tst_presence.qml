import QtQuick
import QtTest
import Presence

// The one-line facepile on a real (embedded) engine, with the application's default client.
Item {
    id: scene
    width: 300
    height: 80

    Presence {
        id: presence
        roomId: "qml-doc"
    }

    PresencePeek {
        id: peek
        roomId: "qml-doc"
        limit: 3
    }

    OnlineUsers {
        id: onlineNow
    }

    TestCase {
        name: "Presence"
        when: windowShown

        function test_joinsAndShowsTheUser() {
            tryCompare(presence.members, "count", 1, 5000)
            verify(presence.room.present)
            compare(presence.room.errorCode, "")
            var avatar = findChild(presence, "avatar")
            verify(avatar)
            compare(avatar.name, "Quinn Muller")
            compare(avatar.initials, "QM")
            verify(avatar.online)
            compare(presence.members.get(0).isSelf, true)
        }

        function test_aPeekSeesTheRoomWithoutJoiningIt() {
            tryCompare(peek, "totalCount", 1, 5000)
            compare(peek.onlineCount, 1)
            compare(peek.members.get(0).name, "Quinn Muller")
            compare(presence.members.count, 1) // the peek is not a member
        }

        function test_theRoomsDataReachesTheMembers() {
            tryCompare(presence.members, "count", 1, 5000)
            presence.room.data = { status: "Writing tests" }
            tryVerify(function() { return presence.members.get(0).status === "Writing tests" }, 5000)
            tryVerify(function() { return peek.members.get(0).presenceData.status === "Writing tests" }, 5000)
            presence.room.data = {}
            tryVerify(function() { return presence.members.get(0).status === "" }, 5000)
        }

        function test_onlineUsersListsWhoIsOnline() {
            tryCompare(onlineNow, "count", 1, 12000) // its first answer, or its next refresh
            compare(onlineNow.get(0).name, "Quinn Muller")
            compare(onlineNow.get(0).rooms, ["qml-doc"])
            compare(onlineNow.get(0).isSelf, true)
        }

        function test_inactiveGoesOffline() {
            tryCompare(presence.members, "onlineCount", 1, 5000)
            presence.active = false
            tryCompare(presence.members, "onlineCount", 0, 5000)
            presence.active = true
            tryCompare(presence.members, "onlineCount", 1, 5000)
        }
    }
}
