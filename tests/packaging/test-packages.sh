#!/usr/bin/env bash
# Builds the Debian packages, checks where their files are and what lintian says, installs
# them into a staging root (the host is not touched), builds examples/embed against that root
# and runs it offscreen to a first frame with the facepile.
#   test-packages.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1
build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
# A command's output only when it fails.
quiet() { "$@" >"$work/quiet.log" 2>&1 || { cat "$work/quiet.log" >&2; return 1; }; }

echo "== cpack"
(cd "$build" && cpack -G DEB -B "$work/debs" >/dev/null)
ls -1 "$work"/debs/*.deb
version=$(grep -m1 'CMAKE_PROJECT_VERSION:' "$build/CMakeCache.txt" | cut -d= -f2)
deb() { echo "$work/debs/$1_${version}-1_$(dpkg --print-architecture).deb"; }

has() { # package, path inside it
    if ! dpkg-deb -c "$(deb "$1")" | awk '{print $6}' | grep -qx "$2"; then
        echo "FAIL: $1 lacks $2" >&2
        exit 1
    fi
}
echo "== contents"
has presence-server ./usr/bin/presence-server
has presence-server ./lib/systemd/system/presence-server.service
has presence-server ./etc/presence-server/presence-server.conf
has presence-server ./usr/share/doc/presence-server/copyright
has presence-desktop ./usr/bin/presence-desktop
has presence-desktop ./usr/share/applications/presence-desktop.desktop
has presence-desktop ./usr/share/icons/hicolor/scalable/apps/presence-desktop.svg
has presence-desktop ./usr/share/metainfo/invalid.example.presence-desktop.metainfo.xml
has libpresence1 "./usr/lib/$arch/qt6/qml/Presence/qmldir"
has libpresence1 "./usr/lib/$arch/qt6/qml/Presence/libPresenceQuickplugin.so"
has libpresence1 "./usr/lib/$arch/libPresenceClient.so.1"
has libpresence1 "./usr/lib/$arch/libPresenceWidgets.so.1"
has libpresence-dev ./usr/include/Presence/facepilewidget.h
has libpresence-dev "./usr/lib/$arch/cmake/Presence/PresenceConfigVersion.cmake"
has libpresence-dev "./usr/lib/$arch/cmake/Presence/PresenceConfig.cmake"
has libpresence-dev ./usr/include/Presence/room.h
dpkg-deb -e "$(deb presence-server)" "$work/server-control"
grep -qx /etc/presence-server/presence-server.conf "$work/server-control/conffiles" || { echo "FAIL: conffile" >&2; exit 1; }
for p in presence-server presence-desktop libpresence1 libpresence-dev; do
    dpkg-deb -I "$(deb $p)" | grep -E '^ (Package|Version|Depends):'
done

echo "== lintian"
lintian --fail-on error,warning "$work"/debs/*.deb

echo "== staging root"
stage="$work/stage"
for f in "$work"/debs/*.deb; do dpkg-deb -x "$f" "$stage"; done
# The unit as packaged, with ExecStart pointing into the staging root (verify wants it to exist).
sed "s|/usr/bin/presence-server|$stage/usr/bin/presence-server|" "$stage/lib/systemd/system/presence-server.service" \
    > "$work/presence-server.service"
systemd-analyze verify "$work/presence-server.service"
# The sandbox stays as tight as docs/operations.md says (exposure 1.1; the unit before the
# hardening of issue 12 scored 1.4): 12 is 1.2 on systemd's 0-10 scale.
systemd-analyze security --offline=true --threshold=12 "$work/presence-server.service" >/dev/null

echo "== the installed client libraries link no server code"
for lib in "$stage/usr/lib/$arch"/libPresence*.so.* "$stage/usr/lib/$arch"/qt6/qml/Presence/*.so; do
    if LD_LIBRARY_PATH="$stage/usr/lib/$arch" ldd "$lib" | grep -E 'libssl|libcrypto\.|http_parser'; then
        echo "FAIL: $lib links OpenSSL or http-parser" >&2
        exit 1
    fi
done

echo "== examples/embed against the staged packages"
quiet cmake -S "$src/examples/embed" -B "$work/embed" -G Ninja -DCMAKE_PREFIX_PATH="$stage/usr"
quiet cmake --build "$work/embed"
QT_QPA_PLATFORM=offscreen \
LD_LIBRARY_PATH="$stage/usr/lib/$arch" \
QML_IMPORT_PATH="$stage/usr/lib/$arch/qt6/qml" \
XDG_DATA_HOME="$work/data" \
    "$work/embed/embed-presence" --first-frame "$work/frame.png"
test -s "$work/frame.png"
# Something was drawn: the avatar's dark disc on the light window.
darkest=$(/usr/bin/convert "$work/frame.png" -colorspace Gray -format '%[fx:minima]' info:)
awk -v d="$darkest" 'BEGIN { exit !(d < 0.5) }' || { echo "FAIL: the first frame is blank" >&2; exit 1; }

echo "== examples/widgets against the staged packages"
quiet cmake -S "$src/examples/widgets" -B "$work/widgets" -G Ninja -DCMAKE_PREFIX_PATH="$stage/usr"
quiet cmake --build "$work/widgets"
QT_QPA_PLATFORM=offscreen \
LD_LIBRARY_PATH="$stage/usr/lib/$arch" \
XDG_DATA_HOME="$work/data-widgets" \
    "$work/widgets/widgets-presence" --first-frame "$work/widgets-frame.png"
test -s "$work/widgets-frame.png"
mkdir -p "$build/screenshots" && cp "$work/widgets-frame.png" "$build/screenshots/example-widgets.png"
# The avatar: a saturated disc among the toolbar's greys (a colour far from any grey).
saturated=$(/usr/bin/convert "$work/widgets-frame.png" -colorspace HSL -channel G -separate -format '%[fx:maxima]' info:)
awk -v s="$saturated" 'BEGIN { exit !(s > 0.5) }' || { echo "FAIL: no avatar in the widgets window" >&2; exit 1; }
echo "PASS"
