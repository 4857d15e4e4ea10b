#!/bin/sh
# picture.sh - draw your running system beside the reference: `make picture CH=NN`.
#
# A chapter's figures are drawn from live runs of its example programs
# (examples/NN-slug/*.c call ex_figure("NN-slug-WHAT")), and the reference's
# drawings are kept in diagrams/NN-slug-WHAT.dot (`make diagrams`). For each
# figure, this script builds the example that draws it on your code in
# exercises/ (the chapter and the chapters its rubric `uses`), runs it with
# LC_FIGURE_DIR set, and hands your drawing and the reference's to
# build/tools/picture, which draws yours above the reference with what is
# missing or extra in red, and prints the differences. Pictures go to
# build/picture/NN-slug/<figure>.{svg,png}.
#
# Your code may be unfinished, may not compile, may crash or hang: the
# picture says which, and still shows the reference.
#
#   REF="01 02"   use the reference for these earlier chapters (to catch up;
#                 not in the student edition, which has no solutions/)
#
# Called by the Makefile, which sets B (build directory), CC, CFLAGS,
# LDFLAGS, KERNEL_LIB, SYSTEMS_LIB (the to-do code, linked before the
# kernel) and PICTURE (the tool).
set -u

case ${1:-} in
    [0-9] | [0-9][0-9]) ch=$(printf %02d "${1#0}") ;;
    *)
        echo "usage: make picture CH=NN   (for example: make picture CH=02)" >&2
        exit 2
        ;;
esac
rubric=$(ls grader/rubric/"$ch"-*.rubric 2>/dev/null | head -n 1)
if [ -z "$rubric" ]; then
    echo "picture: there is no chapter $ch (no grader/rubric/$ch-*.rubric)" >&2
    exit 2
fi
slug=$(basename "$rubric" .rubric)
uses=$(sed -n 's/^uses *= *//p' "$rubric")
figs=$(ls diagrams/"$slug"-*.dot 2>/dev/null)
if [ -z "$figs" ]; then
    echo "Chapter ${ch#0} ($slug) draws no figures: there is nothing to compare."
    exit 0
fi

if [ -n "${REF:-}" ] && [ ! -d solutions ]; then
    echo "picture: REF=\"$REF\" needs the reference (solutions/), which the student edition has not" >&2
    exit 2
fi

out=build/picture/$slug
rm -rf "$out"
mkdir -p "$out/bin" "$out/you"

# Your code: the chapter and the chapters it uses, from exercises/ unless
# REF names the chapter.
code=""
for u in $uses $ch; do
    tree=exercises
    for r in ${REF:-}; do
        [ "$(printf %02d "${r#0}")" = "$u" ] && tree=solutions
    done
    code="$code $(ls "$tree/$u"-*/*.c 2>/dev/null | tr '\n' ' ')"
done

# notes NAME STATUS: what to say about your run, one line each.
notes() {
    log=$out/you/$1.log
    case $2 in
        0) ;;
        124) echo "Your program did not end within 10 s: a loop that never ends? ($log)" ;;
        12[5-9] | 1[3-9][0-9] | 2[0-9][0-9])
            echo "Your program crashed: signal SIG$(kill -l "$(($2 - 128))" 2>/dev/null) ($log)" ;;
        *) echo "Your program ended with status $2 ($log)" ;;
    esac
    todo=$(sed -n 's/.*TODO(ch[0-9]*): \(.*\) is not written yet.*/\1/p' "$log" |
        sort -u | tr '\n' ' ' | sed 's/ $//; s/ /, /g')
    if [ -n "$todo" ]; then
        echo "Not written yet: $todo."
    fi
}

# yours SRC: build example SRC on your code and run it, once; its figures
# go to $out/you/NAME/, what to say about the run to $out/you/NAME.notes.
yours() {
    name=$(basename "$1" .c)
    [ -e "$out/you/$name.notes" ] && return 0
    mkdir -p "$out/you/$name"
    blog=$out/you/$name.build.log
    if $CC $CFLAGS -Iexamples/common -o "$out/bin/$name" "$1" \
        examples/common/*.c $code ${SYSTEMS_LIB:-} "$KERNEL_LIB" $LDFLAGS >"$blog" 2>&1; then
        LC_FIGURE_DIR=$out/you/$name timeout 10 "$out/bin/$name" \
            >"$out/you/$name.log" 2>&1 </dev/null
        notes "$name" $? >"$out/you/$name.notes"
    else
        echo "Your code does not compile ($blog): $(grep -m 1 'error' "$blog" | cut -c 1-150)" \
            >"$out/you/$name.notes"
    fi
}

status=0
for ref in $figs; do
    fig=$(basename "$ref" .dot)
    src=$(grep -l "\"$fig\"" examples/"$slug"/*.c 2>/dev/null | head -n 1)
    echo "== $fig"
    if [ -z "$src" ]; then
        echo "  $fig is drawn from the code, not from a run: nothing to compare"
        continue
    fi
    yours "$src"
    name=$(basename "$src" .c)
    cp "$out/you/$name.notes" "$out/$fig.notes"
    if [ -e "$out/bin/$name" ] && [ ! -e "$out/you/$name/$fig.dot" ]; then
        echo "Your program did not reach the point where $src draws this figure." \
            >>"$out/$fig.notes"
    fi
    sed 's/^/  note: /' "$out/$fig.notes"
    $PICTURE --title "Chapter ${ch#0}: $fig" --notes "$out/$fig.notes" \
        -o "$out/$fig.dot" "$ref" "$out/you/$name/$fig.dot"
    [ $? -le 1 ] || status=1
    if dot -Tsvg "$out/$fig.dot" -o "$out/$fig.svg" &&
        dot -Tpng -Gdpi=110 "$out/$fig.dot" -o "$out/$fig.png"; then
        echo "  picture: $out/$fig.png (and .svg)"
    else
        status=1
    fi
done
exit $status
