#!/usr/bin/env bash
# Draws the demo avatars (256×256 PNG). Needs ImageMagick's convert.
# Three people told apart at 28 px by what a person notices first: hair (a dark bun, white
# curls with round glasses, short black hair), clothes and the colour behind them.
set -euo pipefail
cd "$(dirname "$0")"
# ada: dark hair with a bun and a centre parting, violet dress, on orange
/usr/bin/convert -size 256x256 radial-gradient:"#ffcc80"-"#ef6c00" \
  -fill "#3e2723" -draw "circle 128,46 128,18" -draw "ellipse 128,112 70,78 0,360" \
  -fill "#6a1b9a" -draw "ellipse 128,268 100,92 0,360" \
  -fill "#f0c2a0" -draw "rectangle 110,160 146,196" -draw "ellipse 128,118 50,60 0,360" \
  -fill "#3e2723" -draw "ellipse 128,92 54,42 180,360" -draw "polygon 128,58 96,104 76,104 84,70" -draw "polygon 128,58 160,104 180,104 172,70" \
  -fill "#2b1b17" -draw "circle 108,124 108,118" -draw "circle 148,124 148,118" \
  -stroke "#a0524a" -strokewidth 5 -fill none -draw "arc 110,138 146,162 20,160" \
  -strip "ada.png"
# grace: short white curls, dark glasses, navy uniform, on teal
/usr/bin/convert -size 256x256 radial-gradient:"#80deea"-"#00838f" \
  -fill "#1a237e" -draw "ellipse 128,268 100,92 0,360" \
  -fill "#e0ac86" -draw "rectangle 110,160 146,196" -draw "ellipse 128,120 50,58 0,360" \
  -fill "#f5f5f5" -draw "circle 88,86 88,62" -draw "circle 118,66 118,40" -draw "circle 150,68 150,42" -draw "circle 172,92 172,68" -draw "circle 80,118 80,100" -draw "circle 176,120 176,102" \
  -stroke "#111111" -strokewidth 7 -fill "rgba(255,255,255,0.25)" -draw "circle 106,124 106,104" -draw "circle 152,124 152,104" \
  -draw "line 126,122 132,122" \
  -stroke "#8d4a3a" -strokewidth 5 -fill none -draw "arc 112,146 144,166 20,160" \
  -strip "grace.png"
# alan: short dark hair parted at the side, tweed jacket and white collar, on green
/usr/bin/convert -size 256x256 radial-gradient:"#c5e1a5"-"#558b2f" \
  -fill "#795548" -draw "ellipse 128,268 100,92 0,360" \
  -fill "#ffffff" -draw "polygon 104,184 128,222 152,184" \
  -fill "#f3c9a8" -draw "rectangle 112,158 144,192" -draw "ellipse 128,118 48,60 0,360" \
  -fill "#212121" -draw "ellipse 128,100 52,50 180,360" -draw "rectangle 77,98 86,126" -draw "rectangle 170,98 179,126" -draw "polygon 84,100 104,70 150,62 178,96 150,84 120,92" \
  -fill "#212121" -draw "circle 108,124 108,119" -draw "circle 148,124 148,119" \
  -stroke "#a0524a" -strokewidth 5 -fill none -draw "line 114,152 142,152" \
  -strip "alan.png"
