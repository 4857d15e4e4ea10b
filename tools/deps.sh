#!/bin/sh
# deps.sh - make sure the Debian packages the kit needs are installed.
#
# Installs what is missing when it can (as root, or through sudo without a
# password); otherwise prints the one apt-get line to run and fails, so that
# nobody meets an obscure compiler or linker error instead.
#
#   check            the unit-test framework of the graded tests (libcheck)
#   pkg-config       finds Check's compiler and linker flags
#   graphviz         dot: renders the figures
#   libgraphviz-dev  cgraph, Graphviz's graph library: make picture reads the
#                    figures' DOT with it
#   pandoc           turns the chapters into handouts
#   weasyprint       HTML -> PDF for the handouts (python3-munkres keeps it
#                    from pulling SciPy in: 95 MB instead of 330 MB)
#   poppler-utils    pdftoppm/pdfinfo: the handout checks look at the PDFs
#   libedit-dev      line editing and history for the shell, lcsh
#   python3          validates the grader's JSON and XML in the kit's tests
#   zlib1g-dev       CRC-32 of the to-do system's list files
#   bubblewrap       the grader runs each test in namespaces of its own
#   libjansson-dev   the grader writes its JSON reports with jansson
#   libxml2-dev      ... and its JUnit XML with libxml2's writer
#   libseccomp-dev   ... and refuses tests the system calls they must not make
#   libxml2-utils    xmllint: the kit's tests read the JUnit XML back
#   libmicrohttpd-dev  the HTTP server of the live view (view/view.c)
#   clang-format     `make test` checks that the sources keep the kit's style
set -eu

PACKAGES="build-essential pkg-config check graphviz libgraphviz-dev pandoc weasyprint python3-munkres poppler-utils python3 zlib1g-dev libedit-dev bubblewrap libjansson-dev libxml2-dev libseccomp-dev libmicrohttpd-dev libxml2-utils clang-format"
# `deps.sh grading`: what grading alone needs (the autograders of
# tools/platforms/ build only the kernel, the systems, the harness and the
# grader). `deps.sh student`: the student edition, which comes with its
# handouts built (no pandoc, WeasyPrint or Poppler).
GRADING="build-essential pkg-config check zlib1g-dev bubblewrap libjansson-dev libxml2-dev libseccomp-dev"
case "${1:-}" in
grading) PACKAGES="$GRADING" ;;
student) PACKAGES="$GRADING graphviz libgraphviz-dev libedit-dev libmicrohttpd-dev python3" ;;
esac

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

line="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo"
else
    echo "The kit needs packages that are not installed. Run, as root:" >&2
    echo "    apt-get update && $line" >&2
    exit 1
fi

echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
if ! { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q --no-install-recommends $missing >/dev/null; }; then
    echo "Installing the packages failed. Run, as root:" >&2
    echo "    apt-get update && $line" >&2
    exit 1
fi
echo "Installed:$missing"
