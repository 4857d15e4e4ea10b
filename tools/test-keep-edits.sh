#!/bin/sh
# test-keep-edits.sh - no kit command loses a student's edit of an exercise.
#
# In a scratch copy of the kit's Makefile, solutions/ and exercises/:
#   1. 'make exercises' on untouched exercises makes no copies;
#   2. after a student edits an exercise, 'make exercises' keeps the edited
#      file as FILE.orig-<time> and says so;
#   3. 'make check-exercises' names the file and says how the edit is kept,
#      never just "run make exercises";
#   4. when only the reference changes, the exercise follows it without a
#      copy (nothing of the student's to keep).
# Usage: sh tools/test-keep-edits.sh MKEXERCISE
set -eu
mk=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r Makefile solutions exercises "$tmp"/
mkdir -p "$tmp/tools" && cp tools/deps.sh "$tmp/tools/"
fail() { echo "test-keep-edits: FAIL: $*"; exit 1; }
run() { make -s -C "$tmp" MKEXERCISE="$mk" "$@" 2>&1; }

sol=$(ls "$tmp"/solutions/*/*.c | sed -n 3p)
rel=${sol#"$tmp"/solutions/}
ex=$tmp/exercises/$rel

out=$(run exercises)
[ -z "$(find "$tmp/exercises" -name '*.orig-*')" ] || fail "copies of untouched exercises: $out"

echo "int my_work_in_progress = 1;" >> "$ex"
out=$(run check-exercises) && fail "check-exercises passed with an edited exercise"
echo "$out" | grep -q "exercises/$rel" || fail "the drift message does not name the file: $out"
echo "$out" | grep -q "copies your version" || fail "the drift message does not say the edit is kept: $out"

out=$(run exercises)
copy=$(find "$tmp/exercises" -name '*.orig-*')
[ -n "$copy" ] || fail "make exercises overwrote an edited exercise without a copy"
grep -q my_work_in_progress "$copy" || fail "the copy does not hold the edit"
echo "$out" | grep -q "kept in exercises/$rel.orig-" || fail "make exercises did not say where the edit is: $out"
grep -q my_work_in_progress "$ex" && fail "the exercise was not regenerated"
rm -f "$copy"

echo "/* a newer reference */" >> "$sol"
out=$(run exercises)
grep -q "a newer reference" "$ex" || fail "the exercise did not follow the reference"
[ -z "$(find "$tmp/exercises" -name '*.orig-*')" ] || fail "a copy of an exercise nobody edited: $out"
echo "exercises: a student's edit survives make exercises (kept as .orig-<time>)"
