#!/bin/sh
# Installs the Debian/Ubuntu packages Counter needs when they are missing and we can
# (root, or passwordless sudo); otherwise prints the exact apt-get line and carries on.
#   scripts/system-deps.sh venv   only what creating a virtual environment needs
#   scripts/system-deps.sh        everything the tests use: Qt's libraries, X11 for a real
#                                 window (Xvfb, xdotool, ImageMagick), fonts, the AT-SPI bus
#                                 and pyatspi,
#                                 LibreOffice Calc (opens exports), PostgreSQL (the hub's tests)
#   scripts/system-deps.sh screenshots   poppler-utils: pdftoppm renders the report's pages
set -eu

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: not a Debian/Ubuntu system; install Qt 6's runtime libraries yourself." >&2
    exit 0
fi

PY_MINOR=$(${PYTHON:-python3} -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")' 2>/dev/null || echo 3)
VENV_PKGS="python3-venv python${PY_MINOR}-venv"
QT_PKGS="libgl1 libegl1 libx11-6 libxkbcommon0 libglib2.0-0 libfreetype6 libfontconfig1 libdbus-1-3"
X11_PKGS="libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0"
FONT_PKGS="fonts-noto-core fonts-dejavu-core"
# A real X display and keys typed at it; screenshots; the accessibility bus and a client of it
# (pyatspi, for the system python3: tests/ui/test_atspi_walk.py walks the tree as Orca does).
DISPLAY_PKGS="xvfb xdotool imagemagick at-spi2-core python3-pyatspi"
# Tests open exported files in the program people open them with.
OFFICE_PKGS="libreoffice-calc-nogui"
# The hub's tests start a throw-away cluster of their own (initdb/pg_ctl); never a system one.
HUB_PKGS="postgresql"

SHOT_PKGS="poppler-utils"

if [ "${1:-all}" = "venv" ]; then
    WANTED=$VENV_PKGS
elif [ "${1:-all}" = "screenshots" ]; then
    WANTED=$SHOT_PKGS
else
    WANTED="$QT_PKGS $X11_PKGS $FONT_PKGS $DISPLAY_PKGS $OFFICE_PKGS $HUB_PKGS"
fi

missing=""
for pkg in $WANTED; do
    # pythonX.Y-venv does not exist on every release; only ask for packages apt knows.
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        if apt-cache show "$pkg" >/dev/null 2>&1 || [ "$pkg" = "python3-venv" ]; then
            missing="$missing $pkg"
        fi
    fi
done

if [ -z "$missing" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "Counter needs these system packages. Please run:" >&2
    echo "    sudo apt-get install -y$missing" >&2
    exit 0
fi

echo "Installing system packages:$missing"
export DEBIAN_FRONTEND=noninteractive
# Debian's postgresql package creates and starts a system cluster unless told not to; Counter's
# tests start their own, and a machine's system cluster is not ours to make.
case " $missing " in
    *" postgresql "*)
        if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
            $SUDO mkdir -p /etc/postgresql-common/createcluster.d
            echo "create_main_cluster = false" |
                $SUDO tee /etc/postgresql-common/createcluster.d/counter-no-main.conf >/dev/null
        fi
        ;;
esac
$SUDO apt-get update -qq || true
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
