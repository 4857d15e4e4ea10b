#!/bin/sh
# test-quiet-build.sh - make prints little (make test-quiet-build).
#
# In a scratch copy of the Makefile, the reference and the graded tests,
# with chapter 1's code broken, `make -k ref-tests` must print the compile
# error once (chapters 2-4 use chapter 1's object, not its source again),
# one short line per file, and no compiler command lines (V=1 shows them).
# Usage: sh tools/test-quiet-build.sh KERNEL_LIB HARNESS_OBJ
set -eu
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
klib=$(abs "$1") hobj=$(abs "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test-quiet-build: FAIL: $*"; exit 1; }
mkdir -p "$tmp/tools" "$tmp/grader"
cp -r Makefile solutions include "$tmp/"
cp -r grader/tests grader/rubric grader/*.h "$tmp/grader/"
cp tools/deps.sh "$tmp/tools/"
echo "int broken_on_purpose(void) { return undeclared_name; }" >> "$tmp/solutions/01-errors/exceptions.c"
# (not the caller's make -s: the short lines are part of the test)
MAKEFLAGS= MAKELEVEL= make -k -j2 -C "$tmp" --no-print-directory ref-tests KERNEL_LIB="$klib" HARNESS_OBJ="$hobj" \
    > "$tmp/make.log" 2>&1 && fail "a broken chapter 1 built"
n=$(grep -c "error: .undeclared_name. undeclared" "$tmp/make.log" || true)
[ "$n" = 1 ] || fail "the compile error is printed $n times: $(cat "$tmp/make.log")"
! grep -q -E '^(cc|gcc|clang) ' "$tmp/make.log" || fail "make prints compiler commands"
grep -q '^  CC    solutions/02-links/links.c' "$tmp/make.log" || fail "no short CC lines: $(head -5 "$tmp/make.log")"
echo "build: short lines; a compile error in chapter 1 is printed once"
