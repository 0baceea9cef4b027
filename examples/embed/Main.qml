import QtQuick
import Presence

Window {
    width: 480; height: 120; visible: true
    title: "Who is in doc-1"
    Presence { roomId: "doc-1"; anchors.centerIn: parent }
}
