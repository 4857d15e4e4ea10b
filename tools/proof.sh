#!/bin/sh
# proof.sh - the handouts as a reader sees them: `make proof`.
#
# Renders, into OUT_DIR:
#   NAME-screen.png       the HTML handout's first screen in headless
#                         Chromium (1280 px wide, as on a laptop)
#   NAME-phone.png        the same page 400 px wide (a phone)
#   NAME-fig-ID.png       the screen scrolled to each figure (#fig:ID),
#   NAME-tbl-ID.png       and to each table (#tbl:ID)
#   NAME-page-N.png       every page of the PDF (pdftoppm, 70 dpi)
# so that a person can look at them: code that runs off the page, a figure
# too small to read, a table split across pages, a heading alone at the
# bottom of a page. Chromium is optional (a maintainer's tool, not a
# student's: apt-get install chromium); without it only the PDF pages are
# rendered.
#
# Usage: tools/proof.sh HANDOUT_DIR OUT_DIR
set -u

in=$1
out=$2
rm -rf "$out"
mkdir -p "$out"

browser=""
for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then
        browser=$b
        break
    fi
done
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT INT TERM

# shot URL FILE WIDTH HEIGHT
shot() {
    sandbox=""
    [ "$(id -u)" = 0 ] && sandbox="--no-sandbox" # root cannot use the sandbox
    "$browser" --headless $sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update \
        --disable-sync --hide-scrollbars --user-data-dir="$profile" \
        --window-size="$3,$4" --screenshot="$2" "$1" >/dev/null 2>&1
}

n=0
for html in "$in"/*.html; do
    [ -e "$html" ] || continue
    name=$(basename "$html" .html)
    url="file://$(cd "$(dirname "$html")" && pwd)/$name.html"
    if [ -n "$browser" ]; then
        shot "$url" "$out/$name-screen.png" 1280 1000
        shot "$url" "$out/$name-phone.png" 400 900
        # headless Chromium does not scroll to a #fragment before its
        # screenshot, but a frame scrolls to its own: shoot a page that
        # frames the handout at the figure or table
        for id in $(sed -n 's/.*<img[^>]* id="\([ft][ib][gl]:[^"]*\)".*/\1/p;
                    s/.*<table[^>]* id="\([ft][ib][gl]:[^"]*\)".*/\1/p' "$html"); do
            frame=$profile/frame.html
            printf '<!DOCTYPE html><body style="margin:0"><iframe src="%s#%s" style="width:1280px;height:1000px;border:0"></iframe></body>\n' \
                "$url" "$id" >"$frame"
            shot "file://$frame" "$out/$name-$(echo "$id" | tr ':' '-').png" 1280 1000
        done
    fi
    pdf=$in/$name.pdf
    [ -e "$pdf" ] && pdftoppm -png -r 70 "$pdf" "$out/$name-page"
    n=$((n + 1))
done
[ -n "$browser" ] || echo "proof: no chromium: only the PDF pages (apt-get install chromium)"
echo "proof: $n handouts rendered into $out/ ($(ls "$out" | wc -l) images)"
