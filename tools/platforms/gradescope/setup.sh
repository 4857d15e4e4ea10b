#!/bin/sh
# setup.sh - Gradescope's image build for the Let It Crash autograder.
#
# Gradescope unpacks the autograder zip into /autograder/source and runs
# this once, as root, on its Ubuntu/Debian image. It installs what grading
# needs (a C compiler, pkg-config and Check: tools/deps.sh grading),
# unpacks the kit into /autograder/kit, builds the kernel, the harness and
# the grader, and makes an unprivileged user, lcgrade, that run_autograder
# runs the grader as.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kit=/autograder/kit
export DEBIAN_FRONTEND=noninteractive
rm -rf "$kit" && mkdir -p "$kit"
tar -xzf "$here/kit.tar.gz" -C "$kit" --strip-components=1
sh "$kit/tools/deps.sh" grading
# The grading packages are in; the rest of the kit's list (pandoc, ...) is
# for handouts and figures, which grading does not build.
mkdir -p "$kit/build" && touch "$kit/build/.deps-ok"
make -C "$kit" -s gradable
id lcgrade >/dev/null 2>&1 ||
    useradd --system --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin lcgrade
chown -R lcgrade "$kit/build"
cp "$here/run_autograder" /autograder/run_autograder
chmod 755 /autograder/run_autograder
echo "Let It Crash autograder: ready ($(cat "$kit/VERSION" 2>/dev/null || echo kit))"
