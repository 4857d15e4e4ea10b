#!/bin/sh
# compare.sh - run the kernel's benchmarks and the BEAM's twins side by side
# on this machine, and print a Markdown table of medians and ratios.
#
#   sh bench/compare.sh              3 runs of each workload (RUNS=5 for more)
#   sh bench/compare.sh sup_restart  only the rows whose workload names one
#                                    of the words (gen_server_call, ring...)
#
# The kernel's workloads run in build/rel/bench/bench, those of the OTP
# layers (gen_server calls, supervisor restarts, the to-do servers) in
# build/rel/bench/bench_otp, which links the reference code of chapters 1-6
# and the kit's to-do code. The to-do row is the servers without disk (the
# memory-only mode: the twin keeps its lists in memory); `make bench` also
# prints the persisted mode, which has no twin.
#
# Each side runs the way its own suite runs it: the kernel as `make bench`
# does (pinned to CPU 0: it is one thread), the BEAM as its run_all.sh does
# (+S 1:1, one scheduler, the like-for-like comparison; not pinned, since its
# helper threads would then share that CPU). PIN=0 leaves the kernel
# unpinned too; PIN=2 pins both.
# Needs Erlang/OTP (Debian: apt-get install erlang-base).
set -eu
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
command -v erl >/dev/null || { echo "compare.sh: needs erl (apt-get install erlang-base)" >&2; exit 1; }
make -s build/rel/bench/bench build/rel/bench/bench_otp >/dev/null
out=build/bench; mkdir -p "$out/ebin"
erlc -o "$out/ebin" bench/beam/*.erl
pin_lc=""; pin_beam=""
if command -v taskset >/dev/null; then
    [ "${PIN:-1}" != 0 ] && pin_lc="taskset -c 0"
    [ "${PIN:-1}" = 2 ] && pin_beam="taskset -c 0"
fi
export ERL_CRASH_DUMP="$out/erl_crash.dump"
ERL="erl -noinput +P 5000000 +S 1:1 -pa $out/ebin"

: > "$out/lines.txt"
for r in $(seq 1 "$RUNS"); do
    while IFS='|' read -r ours beam; do
        if [ $# -gt 0 ]; then
            hit=0
            for w in "$@"; do case "$ours" in *" $w "*) hit=1 ;; esac; done
            [ $hit = 1 ] || continue
        fi
        # shellcheck disable=SC2086
        $pin_lc build/rel/bench/$ours | sed 's/^/lc /' >> "$out/lines.txt"
        # shellcheck disable=SC2086
        $pin_beam $ERL -run $beam | sed 's/^/beam /' >> "$out/lines.txt"
    done <<'LIST'
bench spawn_seq 1000000|bench_spawn main seq 1000000
bench spawn_batch 1000000|bench_spawn main batch 1000000
bench ring 1000 1000|bench_ring main 1000 1000
bench ring 100000 10|bench_ring main 100000 10
bench pingpong 1000000|bench_pingpong main 1000000
bench memory 100000|bench_memory main 100000
bench memory 1000000|bench_memory main 1000000
bench_otp gen_server_call 1 1000000|bench_gs main 1 1000000
bench_otp gen_server_call 100 10000|bench_gs main 100 10000
bench_otp sup_restart notify 100000 100000|bench_sup main notify 100000 100000
bench_otp sup_restart notify 100000 100|bench_sup main notify 100000 100
bench_otp todo 1000 1000000 100000 memory|bench_todo main 1000 1000000 100000
LIST
done

# Median per (side, workload configuration) of ns_per_op, bytes_per_proc and
# rss_mib_after; then one table row per configuration.
awk '
function key(line,   k, i, n, f) {
    n = split(line, f, " "); k = ""
    for (i = 2; i <= n; i++) {
        if (f[i] ~ /^(seconds|sched|mqd)=/) { if (f[i] ~ /^seconds=/) break; continue }
        k = k (k == "" ? "" : " ") f[i]
    }
    return k
}
function field(line, name,   m) { if (match(line, " " name "=[^ ]+")) return substr(line, RSTART + length(name) + 2, RLENGTH - length(name) - 2); return "" }
function median(list,   a, n, i, j, t) {
    n = split(list, a, ","); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
    side = $1; k = key($0)
    if (!(k in seen)) { seen[k] = 1; order[++nk] = k }
    v[side, k, "ns"] = v[side, k, "ns"] (v[side, k, "ns"] == "" ? "" : ",") field($0, "ns_per_op")
    b = field($0, "bytes_per_proc"); if (b != "") v[side, k, "b"] = v[side, k, "b"] (v[side, k, "b"] == "" ? "" : ",") b
    m = field($0, "rss_mib_after"); if (m != "") v[side, k, "m"] = v[side, k, "m"] (v[side, k, "m"] == "" ? "" : ",") m
}
END {
    print "| workload | kernel ns/op | BEAM +S 1:1 ns/op | BEAM / kernel |"
    print "|---|---:|---:|---:|"
    for (i = 1; i <= nk; i++) {
        k = order[i]; a = median(v["lc", k, "ns"]); b = median(v["beam", k, "ns"])
        printf "| %s | %.1f | %.1f | %.1fx |\n", k, a, b, (a > 0 ? b / a : 0)
    }
    head = 0
    for (i = 1; i <= nk; i++) {
        k = order[i]; if (v["lc", k, "b"] == "") continue
        if (!head++) {
            print ""
            print "| memory_idle | kernel bytes/proc | BEAM bytes/proc | kernel RSS MiB | BEAM RSS MiB |"
            print "|---|---:|---:|---:|---:|"
        }
        printf "| %s | %.0f | %.0f | %.0f | %.0f |\n", k, median(v["lc", k, "b"]), median(v["beam", k, "b"]), median(v["lc", k, "m"]), median(v["beam", k, "m"])
    }
}' "$out/lines.txt"
echo
echo "($RUNS run(s) each; raw lines in $out/lines.txt)"
