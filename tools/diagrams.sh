#!/bin/sh
# diagrams.sh - draw every figure of the course from live runs: `make diagrams`.
#
# Each example program (examples/NN-slug/NAME.c, reference build) runs with
# LC_FIGURE_DIR set; every ex_figure() call in it writes NN-slug-WHAT.dot.
# The .dot files are copied into diagrams/ only when their bytes changed (so
# that make sees nothing new when nothing is), and dot renders each changed
# one as SVG (the handouts) and PNG (150 dpi: readable on a screen and in a
# Markdown preview). The same run gives the same bytes: the figures can be
# committed and reviewed as diffs. A figure that no example draws any more is
# removed.
#
# Rules checked here, each failing the build with one line:
#   - an example that fails (non-zero status) draws nothing trustworthy;
#   - a figure is named after the chapter of the example that draws it
#     (examples/02-links/*.c draws 02-links-*);
#   - two examples may not draw the same figure.
#
# STAMP is touched when a figure changed (or is missing): the handouts
# depend on it, so they are rebuilt when, and only when, a figure changes.
#
# Usage (the Makefile passes the build directory, the stamp, the example
# sources, and figures that tools drew, as .dot files):
#     tools/diagrams.sh BUILD_DIR STAMP examples/NN-slug/NAME.c... [FIG.dot...]
set -u

B=$1
stamp=$2
shift 2
# a directory of this run's own: two makes at once must not mix their figures
mkdir -p build diagrams
tmp=$(mktemp -d build/figures.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/all"

status=0
for src in "$@"; do
    case $src in
        *.dot) # a figure drawn by a tool rather than by an example
            cp "$src" "$tmp/all/$(basename "$src")"
            continue
            ;;
    esac
    rel=${src#examples/}
    chapter=${rel%%/*}
    bin=$B/examples/${rel%.c}
    dir=$tmp/${rel%.c}
    mkdir -p "$dir"
    if ! LC_FIGURE_DIR=$dir timeout 60 "$bin" >/dev/null 2>"$dir.err"; then
        echo "diagrams: $bin failed: $(head -n 1 "$dir.err")" >&2
        status=1
        continue
    fi
    for f in "$dir"/*.dot; do
        [ -e "$f" ] || continue
        name=$(basename "$f")
        case $name in
            "$chapter"-*) ;;
            *)
                echo "diagrams: $src draws $name: a figure of $chapter must be named $chapter-WHAT" >&2
                status=1
                continue
                ;;
        esac
        if [ -e "$tmp/all/$name" ]; then
            echo "diagrams: two examples draw ${name%.dot} (the second is $src)" >&2
            status=1
            continue
        fi
        cp "$f" "$tmp/all/$name"
    done
done
[ $status = 0 ] || exit $status

drawn=0
for f in "$tmp"/all/*.dot; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .dot)
    d=diagrams/$name
    cmp -s "$f" "$d.dot" || cp "$f" "$d.dot"
    if [ ! -e "$d.svg" ] || [ "$d.dot" -nt "$d.svg" ] ||
        [ ! -e "$d.png" ] || [ "$d.dot" -nt "$d.png" ]; then
        dot -Tsvg "$d.dot" -o "$d.svg" &&
            dot -Tpng -Gdpi=150 "$d.dot" -o "$d.png" || exit 1
        drawn=$((drawn + 1))
    fi
done

# A figure no example draws any more is stale.
for d in diagrams/*.dot; do
    [ -e "$d" ] || continue
    name=$(basename "$d" .dot)
    if [ ! -e "$tmp/all/$name.dot" ]; then
        rm -f "diagrams/$name.dot" "diagrams/$name.svg" "diagrams/$name.png"
        echo "diagrams: removed $name (no example draws it any more)"
        drawn=$((drawn + 1))
    fi
done
if [ $drawn -gt 0 ] || [ ! -e "$stamp" ]; then
    touch "$stamp"
fi
echo "diagrams: $(ls "$tmp"/all | wc -l) figures in diagrams/ ($drawn redrawn)"
