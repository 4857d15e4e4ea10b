#!/bin/sh
# package.sh - the autograders for Gradescope and Autolab (make gradescope,
# make autolab).
#
#   build/gradescope/autograder.zip   setup.sh, run_autograder, kit.tar.gz:
#                                     upload as the assignment's autograder
#   build/autolab/autograde-Makefile  and build/autolab/autograde.tar (kit/):
#                                     the two files of an Autolab lab
#
# The kit inside is the whole kit as git knows it (reference included: the
# hidden tests and --catch-up need it), without build/ and CI, with a
# VERSION file. Students never see it.
#
# Usage: sh tools/platforms/package.sh gradescope|autolab VERSION
set -eu
what=$1 version=$2
stage=build/platforms/$what
rm -rf "$stage" && mkdir -p "$stage/kit"
{ git ls-files -co --exclude-standard 2>/dev/null ||
  find . -path ./build -prune -o -path ./.git -prune -o -type f -print; } |
  sed 's|^\./||' | grep -v -E '^(build/|\.ci/)' |
  grep -v -E '\.orig-[0-9]{8}-[0-9]{6}(-[0-9]+)?$' |
  while read -r f; do [ -f "$f" ] && echo "$f"; done |
  tar -cf - -T - | tar -xf - -C "$stage/kit"
echo "$version" > "$stage/kit/VERSION"
here=tools/platforms
case $what in
gradescope)
    tar -czf "$stage/kit.tar.gz" -C "$stage" kit
    cp "$here/gradescope/setup.sh" "$here/gradescope/run_autograder" "$stage/"
    mkdir -p build/gradescope
    rm -f build/gradescope/autograder.zip
    (cd "$stage" && python3 -m zipfile -c ../../gradescope/autograder.zip \
        setup.sh run_autograder kit.tar.gz)
    echo "gradescope: build/gradescope/autograder.zip (upload it as the autograder)"
    ;;
autolab)
    mkdir -p build/autolab
    tar -cf build/autolab/autograde.tar -C "$stage" kit
    cp "$here/autolab/autograde-Makefile" build/autolab/autograde-Makefile
    echo "autolab: build/autolab/autograde-Makefile and build/autolab/autograde.tar"
    echo "         (students hand in a .tar, .tar.gz or .zip of their exercises/)"
    ;;
*)
    echo "usage: package.sh gradescope|autolab VERSION" >&2
    exit 2
    ;;
esac
