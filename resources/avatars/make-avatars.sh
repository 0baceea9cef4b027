#!/usr/bin/env bash
# Draws the demo avatars (256×256 PNG). Needs ImageMagick's convert.
set -euo pipefail
cd "$(dirname "$0")"
gen() { # name, gradient from, gradient to, figure colour
    /usr/bin/convert -size 256x256 radial-gradient:"$2"-"$3" \
        -fill "$4" -draw "circle 128,104 128,52" -draw "ellipse 128,262 92,86 0,360" \
        -fill "rgba(255,255,255,0.18)" -draw "circle 60,50 60,20" -strip "$1.png"
}
gen ada "#ffd54f" "#f57c00" "#5d4037"
gen grace "#80deea" "#00838f" "#263238"
gen alan "#c5e1a5" "#558b2f" "#33691e"
