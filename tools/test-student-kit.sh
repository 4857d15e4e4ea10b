#!/bin/sh
# test-student-kit.sh - the student edition stands alone (make test-student-kit).
#
# Builds the student edition, unpacks its tarball into a scratch folder (as
# a student would: no solutions/, no build/ of ours) and checks that
#   - it holds no reference, and its README is the student's (no solutions/,
#     no catch-up from the reference) with the handouts in doc/;
#   - its own `make` and `make test` pass on the untouched exercises, and
#     print short lines (no compiler commands; V=1 shows them);
#   - `make exercises` there leaves an edited exercise alone, and `make
#     test` still passes with it.
# Usage: sh tools/test-student-kit.sh   (from the kit's top folder)
set -eu
# The student's own make, not the caller's (make -s would hide its output).
unset MAKEFLAGS MAKELEVEL MFLAGS
work=build/test-student-kit
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
fail() { echo "test-student-kit: FAIL: $*"; exit 1; }

make -s student-kit STUDENT_KIT="$work/made" > "$work/student-kit.log" 2>&1 ||
    fail "make student-kit: $(cat "$work/student-kit.log")"
mkdir "$work/unpacked"
tar -xzf "$work/made.tar.gz" -C "$work/unpacked"
kit=$work/unpacked/made

[ ! -e "$kit/solutions" ] || fail "the student edition holds solutions/"
[ -f "$kit/doc/book.html" ] || fail "no doc/book.html"
for md in chapters/[0-9][0-9]-*.md; do
    c=$(basename "$md" .md)
    [ -f "$kit/doc/$c.html" ] && [ -f "$kit/doc/$c.pdf" ] || fail "no handout doc/$c.html or .pdf"
done
! grep -n -E 'solutions/|--catch-up|--solutions' "$kit/README.md" ||
    fail "the student README speaks of the reference"
[ -s "$kit/examples/standalone.list" ] || fail "no example can run without chapter code"

(cd "$kit" && make -j2 > "$work/make.log" 2>&1) ||
    { tail -30 "$work/make.log"; fail "make in the student edition"; }
(cd "$kit" && make test > "$work/test.log" 2>&1) ||
    { tail -30 "$work/test.log"; fail "make test in the student edition"; }
grep -q "make test: all passed" "$work/test.log" || fail "make test said no summary"
# make prints little: short lines, no compiler commands, Check's suite list
# on one line.
long=$(awk 'length > 160' "$work/make.log" "$work/test.log" | head -3)
[ -z "$long" ] || fail "make prints long lines: $long"
! grep -q -E '^(cc|gcc|clang) ' "$work/make.log" || fail "make prints compiler commands"
! grep -q -E '^ [a-z_]+$' "$work/test.log" || fail "Check's suite list is one word per line"

ex=$(ls "$kit"/exercises/*/*.c | head -1)
echo "/* my own work */" >> "$ex"
(cd "$kit" && make exercises > "$work/exercises.log" 2>&1) || fail "make exercises"
grep -q "my own work" "$ex" || fail "make exercises in the student edition changed $ex"
(cd "$kit" && make test > "$work/test2.log" 2>&1) ||
    { tail -30 "$work/test2.log"; fail "make test after an edit"; }
grep -q "my own work" "$ex" || fail "make test changed $ex"

# A chapter that does not compile yet stops neither make nor make test: the
# grade says "does not build".
echo "int broken_on_purpose(void) { return undeclared_name; }" >> "$kit/exercises/01-errors/exceptions.c"
(cd "$kit" && make > "$work/make3.log" 2>&1 && make test > "$work/test3.log" 2>&1) ||
    { tail -30 "$work/make3.log" "$work/test3.log"; fail "make or make test with a chapter that does not compile"; }
grep -q "does not build" "$work/make3.log" || fail "the grade does not say that chapter 1 does not build"

echo "student edition: unpacked, its make and make test pass; an edit survives"
rm -rf "$work"
