#!/usr/bin/env bash
# System packages the tests need that pip cannot provide: poppler-utils (pdftoppm, pdftotext,
# pdfinfo, pdffonts: render and read the poster PDF) and a TrueType font with Latin, Arabic
# and Persian glyphs (DejaVu Sans, fonts-dejavu-core). Idempotent: does nothing when present.
set -euo pipefail

missing=()
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_system_packages: please install ${missing[*]} (no apt-get here)" >&2
    exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing ${missing[*]} …" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
