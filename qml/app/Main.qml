import QtQuick
import PresenceDesktop

// The app: the first document window, and more windows as other people.
QtObject {
    id: main

    required property AppController app

    property Component windowComponent: Component {
        DocumentWindow { }
    }
    property list<QtObject> windows

    function openWindow(person, documentIndex, x, y) {
        // Parented, so that the garbage collector never takes a window the list still shows
        // (a list<QtObject> does not keep its entries alive).
        var window = windowComponent.createObject(main, {
            app: main.app,
            person: person,
            documentIndex: documentIndex,
            x: x,
            y: y
        })
        window.newWindowRequested.connect(function(from) {
            main.openWindow(from.person + 1, from.documentIndex, from.x + 60, from.y + 60)
        })
        main.windows.push(window)
        window.show()
        return window
    }

    property Connections automation: Connections {
        target: main.app
        function onNewWindowRequested() {
            var last = main.windows[main.windows.length - 1]
            main.openWindow(last.person + 1, last.documentIndex, last.x + 60, last.y + 60)
        }
    }

    Component.onCompleted: openWindow(app.firstPerson, 0, 80, 60)
}
