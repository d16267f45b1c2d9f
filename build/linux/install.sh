#!/bin/sh
# Put a built LeadDesk bundle in the user's application menu, or take it out again.
#
#   build/linux/install.sh install [BUNDLE_DIR]   (default: build/dist/LeadDesk)
#   build/linux/install.sh uninstall
#
# Per user, no root: the bundle goes to ~/.local/share/leaddesk, the menu entry to
# ~/.local/share/applications, the icons to ~/.local/share/icons/hicolor. Uninstalling never
# touches the rep's leads (the data folder, ~/.local/share/LeadDesk).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
SHARE=${XDG_DATA_HOME:-$HOME/.local/share}
APP_DIR=$SHARE/leaddesk
DESKTOP=$SHARE/applications/leaddesk.desktop
ICONS=$SHARE/icons/hicolor
SIZES="16 24 32 48 64 128 256"

refresh_menus() {
    # Optional desktop caches; a missing tool only means the menu updates on next login.
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$SHARE/applications" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$ICONS" 2>/dev/null || true
}

install_app() {
    bundle=${1:-$HERE/../dist/LeadDesk}
    if [ ! -x "$bundle/LeadDesk" ]; then
        echo "No LeadDesk bundle at $bundle (run 'make bundle' first)." >&2
        exit 1
    fi
    bundle=$(cd "$bundle" && pwd)
    mkdir -p "$SHARE" "$SHARE/applications"
    # Copy next to the old version, then swap: a failed copy leaves the old install working.
    rm -rf "$APP_DIR.new"
    cp -a "$bundle" "$APP_DIR.new"
    rm -rf "$APP_DIR"
    mv "$APP_DIR.new" "$APP_DIR"

    icons_src=$APP_DIR/_internal/resources/icons
    for size in $SIZES; do
        mkdir -p "$ICONS/${size}x${size}/apps"
        cp "$icons_src/leaddesk-$size.png" "$ICONS/${size}x${size}/apps/leaddesk.png"
    done
    mkdir -p "$ICONS/scalable/apps"
    cp "$icons_src/leaddesk.svg" "$ICONS/scalable/apps/leaddesk.svg"

    sed "s|@EXEC@|$APP_DIR/LeadDesk|g" "$HERE/leaddesk.desktop" > "$DESKTOP.tmp"
    chmod 644 "$DESKTOP.tmp"
    mv "$DESKTOP.tmp" "$DESKTOP"
    refresh_menus
    echo "LeadDesk installed: $APP_DIR (menu entry $DESKTOP)"
}

uninstall_app() {
    rm -rf "$APP_DIR" "$APP_DIR.new"
    rm -f "$DESKTOP"
    for size in $SIZES; do
        rm -f "$ICONS/${size}x${size}/apps/leaddesk.png"
    done
    rm -f "$ICONS/scalable/apps/leaddesk.svg"
    refresh_menus
    echo "LeadDesk removed from the application menu (your leads are kept in your data folder)."
}

case "${1:-}" in
    install) shift; install_app "$@" ;;
    uninstall) uninstall_app ;;
    *) echo "usage: $0 install [BUNDLE_DIR] | uninstall" >&2; exit 2 ;;
esac
