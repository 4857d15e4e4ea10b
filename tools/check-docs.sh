#!/bin/sh
# check-docs.sh - the handouts' part of `make test` (make test-docs).
#
# Checks, for every chapters/NN-slug.md, without running pandoc (fast):
#   - its handouts exist: HANDOUT_DIR/NN-slug.html and a PDF with pages,
#     and the book too;
#   - every figure it shows (](diagrams/...)) exists;
#   - every listing it includes exists: the file, and the region (exactly
#     one `region: NAME` marker line, and an `endregion` after it), and no
#     solution block inside (BEGIN SOLUTION): handouts are for students.
# The filters (handouts/include.lua, crossref.lua) enforce the same when
# the handouts are built; this says it again, one line per problem.
#
# In the student edition (--student-edition: no solutions/), the handouts
# are not built there and listings quoted from solutions/ cannot be checked:
# both checks are left out.
#
# Usage: tools/check-docs.sh [--student-edition] HANDOUT_DIR
set -u

student=no
if [ "${1:-}" = --student-edition ]; then
    student=yes
    shift
fi
dir=$1
fail=0
problem() {
    echo "test-docs: $*" >&2
    fail=1
}

# region_ok FILE NAME: the region exists once, ends, and holds no solution.
region_ok() {
    awk -v name="$2" '
        function marker(line,   m) {
            if (match(line, /^[ \t]*(\/\*|\/\/|#)[ \t]*/) == 0) return ""
            m = substr(line, RLENGTH + 1)
            sub(/[ \t]*(\*\/)?[ \t]*$/, "", m)
            return m
        }
        { m = marker($0) }
        m == "region: " name || m == "region:" name { n++; inside = 1; depth = 0; next }
        inside && m ~ /^region:/ { depth++; next }
        inside && m == "endregion" { if (depth > 0) depth--; else { inside = 0; ended++ } next }
        /BEGIN SOLUTION/ { sol = 1 }
        inside && (sol || /END SOLUTION/) { bad = NR }
        /END SOLUTION/ { sol = 0 }
        END {
            if (n == 0) { print "not found"; exit 1 }
            if (n > 1) { print "appears " n " times"; exit 1 }
            if (!ended) { print "has no endregion"; exit 1 }
            if (bad) { print "contains a solution block (line " bad ")"; exit 1 }
        }' "$1"
}

chapters=$(ls chapters/[0-9][0-9]-*.md 2>/dev/null)
found=$(mktemp)
trap 'rm -f "$found"' EXIT
nfig=0
nlist=0
for md in $chapters; do
    slug=$(basename "$md" .md)
    for ext in html pdf; do
        [ $student = yes ] || [ -s "$dir/$slug.$ext" ] ||
            problem "$md: no handout $dir/$slug.$ext (make handouts)"
    done
    if [ $student = no ] && [ -s "$dir/$slug.pdf" ]; then
        pages=$(pdfinfo "$dir/$slug.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
        [ "${pages:-0}" -gt 0 ] || problem "$md: $dir/$slug.pdf has no pages"
    fi
    for fig in $(sed -n 's/.*](\(diagrams\/[^) ]*\)).*/\1/p' "$md"); do
        nfig=$((nfig + 1))
        [ -e "$fig" ] || problem "$md: figure $fig does not exist (make diagrams; does an example call ex_figure(\"$(basename "${fig%.*}")\")?)"
    done
    # one line per include: FILE REGION (REGION empty for a whole file)
    sed -n 's/.*include="\([^"]*\)".*/\1 &/p' "$md" |
        sed 's/^\([^ ]*\) .*region="\([^"]*\)".*/\1 \2/; t; s/^\([^ ]*\) .*/\1/' |
        while read -r file region; do
            if [ $student = yes ] && [ "${file#solutions/}" != "$file" ]; then
                continue # the student edition has no solutions/
            elif [ ! -e "$file" ]; then
                echo "$md: listing $file does not exist"
            elif [ -n "$region" ]; then
                why=$(region_ok "$file" "$region") ||
                    echo "$md: region '$region' of $file $why"
            elif grep -q 'BEGIN SOLUTION' "$file"; then
                echo "$md: $file contains a solution block"
            fi
        done >"$found"
    while read -r line; do problem "$line"; done <"$found"
    nlist=$((nlist + $(grep -c 'include="' "$md")))
done
if [ -n "$chapters" ] && [ $student = no ]; then
    for ext in html pdf; do
        [ -s "$dir/book.$ext" ] || problem "no book $dir/book.$ext (make handouts)"
    done
fi
[ $fail = 0 ] || exit 1
if [ $student = yes ]; then
    echo "docs (student edition): $(echo "$chapters" | wc -w) chapters, $nfig figures and $nlist listings found"
else
    echo "docs: $(echo "$chapters" | wc -w) chapters with HTML and PDF, $nfig figures and $nlist listings found"
fi
