import QtQuick
import QtQuick.Controls
import Presence

// Eight people in a facepile of five, for tst_facepile's look through the accessibility interface.
Pane {
    width: 360
    height: 420

    ListModel {
        id: people
        Component.onCompleted: {
            var names = ["Ada Lovelace", "Grace Hopper", "Katherine Johnson", "Alan Turing", "Margaret Hamilton",
                         "Mary Wilkes", "Barbara Liskov", "Edsger Dijkstra"]
            for (var i = 0; i < names.length; ++i) {
                append({ userId: "u" + i, name: names[i], image: "", online: i < 6, away: i === 1,
                         lastDisconnected: i < 6 ? new Date(NaN) : new Date(Date.now() - 5 * 60000 - 5000),
                         initials: names[i].split(" ").map(function(w) { return w[0] }).join(""),
                         color: "#1976d2", status: i === 0 ? "Reviewing" : "" })
            }
        }
    }

    Button {
        objectName: "before"
        text: "Before"
    }

    Facepile {
        objectName: "facepile"
        y: 48
        model: people
    }
}
