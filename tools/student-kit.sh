#!/bin/sh
# student-kit.sh - write the student edition of the kit (make student-kit).
#
# The edition is what git knows (tracked, or new and not ignored) minus the
# reference solutions, the grader's self-tests and hidden tests, the
# instructor's platform packaging and CI, plus:
#   - README.md: the student's README (tools/student-README.md), not the
#     instructor's;
#   - doc/: the handouts and the book, ready (building them needs the
#     reference);
#   - examples/standalone.list: the examples that need no chapter code (they
#     link with the kernel alone), which the edition's `make test` checks;
#     the others would only show the state of the student's exercises;
#   - VERSION.
# Its Makefile sees no solutions/ and switches to the student's targets.
#
# Usage: tools/student-kit.sh KIT_DIR VERSION HANDOUT_DIR KERNEL_LIB CC LDFLAGS
set -eu
kit=$1 version=$2 handouts=$3 kernel=$4 cc=$5 ldflags=$6

rm -rf "$kit" "$kit.tar.gz"
mkdir -p "$kit/doc"
cp "$handouts"/*.html "$handouts"/*.pdf "$kit/doc/" 2>/dev/null || true
{ git ls-files -co --exclude-standard 2>/dev/null ||
  find . -path ./build -prune -o -path ./.git -prune -o -type f -print; } |
  sed 's|^\./||' |
  grep -v -E '^(solutions/|grader/selftest/|grader/hidden/|tools/platforms/|\.ci/|build/)' |
  grep -v -E '(^|/)[^/]*\.orig-[0-9]{8}-[0-9]{6}(-[0-9]+)?$' |
  while read -r f; do [ -f "$f" ] && echo "$f"; done |
  tar -cf - -T - | tar -xf - -C "$kit"
mv "$kit/tools/student-README.md" "$kit/README.md"

# Which examples link with the kernel alone.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: > "$kit/examples/standalone.list"
for e in $(cd "$kit" && ls examples/*/*.c | grep -v '^examples/common/'); do
    if $cc -std=c11 -D_GNU_SOURCE -Iinclude -Iexamples/common -w -o "$tmp/ex" \
        "$e" examples/common/*.c "$kernel" $ldflags >/dev/null 2>&1; then
        echo "$e" >> "$kit/examples/standalone.list"
    fi
done

echo "$version (student edition)" > "$kit/VERSION"
tar -czf "$kit.tar.gz" -C "$(dirname "$kit")" "$(basename "$kit")"
echo "student kit: $kit/ and $kit.tar.gz"
