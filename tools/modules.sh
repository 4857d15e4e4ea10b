#!/bin/sh
# modules.sh - the picture of the kit itself: its modules and who calls whom.
#
# The picture is drawn from what the compiler sees, so it cannot drift from
# the code: each source file is compiled on its own (-O0, so that nothing is
# inlined away), and nm lists, for each object, the functions and data it
# defines and the ones it uses from elsewhere. Module A calls module B when A
# calls a function that B defines. A module is one .c file (the kernel's
# ctx.c and ctx_*.S are one module, "ctx"); its place in the picture comes
# from where its header lives: include/lc/otp/ (the OTP layers students
# write), include/lc/systems/ (the systems built on them), or the kernel.
# Calls into libc and Check are not drawn.
#
# Usage (make diagrams calls it, with CC and CFLAGS set):
#     tools/modules.sh OUT.dot SOURCE...
# OUT.dot's basename is the figure's name (00-processes-modules.dot).
set -eu
export LC_ALL=C

out=$1
shift
tmp=$(mktemp -d "${TMPDIR:-/tmp}/modules.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# module SOURCE: the module's name.
module() {
    b=$(basename "$1")
    case $b in
        ctx.c | ctx_*.S) echo ctx ;;
        *) echo "${b%.*}" ;;
    esac
}

# part SOURCE: kernel, otp or systems.
part() {
    m=$(module "$1")
    case $1 in
        kernel/*) echo kernel ;;
        *) if [ -e "include/lc/otp/$m.h" ]; then echo otp; else echo systems; fi ;;
    esac
}

# label SOURCE: what the box says: the file, and the chapter of a layer.
label() {
    case $1 in
        kernel/ctx*) echo "ctx.c, ctx_*.S" ;;
        kernel/*) basename "$1" ;;
        *)
            ch=$(basename "$(dirname "$1")")
            printf '%s\\nchapter %s\n' "$(basename "$1")" "$(echo "${ch%%-*}" | sed 's/^0//')"
            ;;
    esac
}

: >"$tmp/defs"
: >"$tmp/uses"
: >"$tmp/nodes"
: >"$tmp/into_kernel"
for src in "$@"; do
    m=$(module "$src")
    obj=$tmp/$(echo "$src" | tr '/' '_').o
    $CC $CFLAGS -O0 -fno-lto -c "$src" -o "$obj"
    # functions defined (T, and weak W); names used (U): data, such as the
    # kernel's state K, is not a call
    nm "$obj" | awk -v m="$m" '$2 ~ /^[TW]$/ { print $3, m }' >>"$tmp/defs"
    nm "$obj" | awk -v m="$m" '$1 == "U" { print m, $2 }' >>"$tmp/uses"
    printf "%s|%s|%s\n" "$(part "$src")" "$m" "$(label "$src")" >>"$tmp/nodes"
done
sort -u "$tmp/nodes" -o "$tmp/nodes"

# Edges: (caller module, callee module, the names used), one per pair.
sort -k1,1 "$tmp/defs" >"$tmp/defs.s"
awk '{ print $2, $1 }' "$tmp/uses" | sort -k1,1 >"$tmp/uses.s"
join "$tmp/uses.s" "$tmp/defs.s" |
    awk '$2 != $3 { print $2, $3, $1 }' | sort -u |
    awk '{ k = $1 " " $2; if (k != last) { if (last != "") print last, names;
           last = k; names = $3 } else names = names "," $3 }
         END { if (last != "") print last, names }' >"$tmp/edges"

cluster() { # PART TITLE COLOUR
    echo "  subgraph cluster_$1 {"
    echo "    label=<<B>$2</B>>; labeljust=l; style=rounded; color=\"$3\"; margin=12;"
    grep "^$1|" "$tmp/nodes" | while IFS='|' read -r _ m l; do
        printf "    %s [label=\"%s\"];\n" "$m" "$l"
    done
    echo "  }"
}

{
    echo "digraph modules {"
    echo "  graph [rankdir=TB, compound=true, nodesep=0.3, ranksep=0.5, fontname=Helvetica, fontsize=12,"
    echo "         label=<Who calls whom, from the compiler's view (tools/modules.sh)>, labelloc=t];"
    echo "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f8f9fa\", color=\"#495057\","
    echo "        fontname=Helvetica, fontsize=11];"
    echo "  edge [color=\"#868e96\", arrowsize=0.6];"
    cluster systems "The systems: on the layers' headers only" "#2f9e44"
    cluster otp "The OTP layers: the chapters, written by you" "#e8590c"
    cluster kernel "The kernel: given, read in chapter 0" "#3b5b8c"
    # Inside the kernel, file to file; into the kernel from outside, one
    # arrow per caller, to the kernel as a whole.
    while read -r from to names; do
        if grep -q "^kernel|$to|" "$tmp/nodes"; then
            if grep -q "^kernel|$from|" "$tmp/nodes"; then
                printf '  %s -> %s [tooltip="%s"];\n' "$from" "$to" "$names"
            else
                echo "$from" >>"$tmp/into_kernel"
            fi
        else
            printf '  %s -> %s [tooltip="%s", color="#495057"];\n' "$from" "$to" "$names"
        fi
    done <"$tmp/edges"
    sort -u "$tmp/into_kernel" 2>/dev/null | while read -r from; do
        printf '  %s -> proc [lhead=cluster_kernel, color="#495057"];\n' "$from"
    done
    echo "}"
} >"$tmp/out.dot"
mkdir -p "$(dirname "$out")"
mv "$tmp/out.dot" "$out"
