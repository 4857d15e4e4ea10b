#!/bin/sh
# arrange.sh - lay a handed-in submission out as the grader reads it.
#
# A platform hands the grader whatever the student uploaded: loose files
# (links.c, names.c ...), an exercises/ folder, or NN-slug/ folders. This
# copies each file a rubric names (files = ...) into OUT/NN-slug/FILE,
# preferring a copy inside a folder named after its chapter. A file the
# student did not hand in is taken from the kit's untouched exercises/, so
# its chapter builds and scores 0 instead of failing the whole submission;
# the script says which files those were.
#
# Usage: sh arrange.sh KIT SUBMISSION OUT
set -eu
kit=$1 sub=$2 out=$3
mkdir -p "$out"
missing=""
for rubric in "$kit"/grader/rubric/*.rubric; do
    slug=$(basename "$rubric" .rubric)
    mkdir -p "$out/$slug"
    for f in $(sed -n 's/^files *= *//p' "$rubric" | tr ',' ' '); do
        src=$(find "$sub" -type f -name "$f" -path "*$slug*" 2>/dev/null | head -1)
        [ -n "$src" ] || src=$(find "$sub" -type f -name "$f" 2>/dev/null | head -1)
        if [ -n "$src" ]; then
            cp "$src" "$out/$slug/$f"
        else
            cp "$kit/exercises/$slug/$f" "$out/$slug/$f"
            missing="$missing $slug/$f"
        fi
    done
done
[ -z "$missing" ] || echo "not handed in (graded as the untouched exercise):$missing"
