// Runs the tst_*.qml files of this directory against the Presence QML module.
#include <QtQuickTest>

QUICK_TEST_MAIN(presence)
