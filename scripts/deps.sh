#!/usr/bin/env bash
# Checks the system libraries figpipe builds against (pkg-config cairo,
# libzstd and zlib, and the DejaVu fonts the figures use) and installs what is missing
# with apt-get. Run by `make figures`, `make test` and CI.
set -euo pipefail

packages=(libcairo2-dev libfreetype-dev libzstd-dev zlib1g-dev libssl-dev fonts-dejavu-core pkg-config)
missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if command -v pkg-config >/dev/null 2>&1; then
    pkg-config --exists cairo || missing+=(cairo)
    pkg-config --exists freetype2 || missing+=(freetype2)
    pkg-config --exists libzstd || missing+=(libzstd)
    pkg-config --exists zlib || missing+=(zlib)
    pkg-config --exists libcrypto || missing+=(libcrypto)
fi
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "deps: missing ${missing[*]}; installing ${packages[*]}" >&2
if ! command -v apt-get >/dev/null 2>&1; then
    echo "deps: no apt-get here; install cairo and zstd development files and the DejaVu fonts, then retry" >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
        echo "deps: need root to run: apt-get install -y ${packages[*]}" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
pkg-config --exists cairo freetype2 libzstd libcrypto || { echo "deps: cairo/libzstd still not found by pkg-config" >&2; exit 1; }
echo "deps: installed" >&2
