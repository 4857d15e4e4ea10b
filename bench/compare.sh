#!/bin/sh
# compare.sh - run the kernel's benchmarks and the BEAM's twins side by side
# on this machine, and print a Markdown table of medians and ratios.
#
#   sh bench/compare.sh              3 runs of each workload (RUNS=5 for more)
#   sh bench/compare.sh sup_restart  only the rows whose workload names one
#                                    of the words (gen_server_call, ring...)
#   DYNSUP_FULL=1 sh bench/compare.sh dynsup
#                                    also Elixir's shutdown of 100,000
#                                    dynamic children (about two minutes)
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
# Needs Erlang/OTP (Debian: apt-get install erlang-base). The registry rows
# (registry_register, registry_lookup, registry_via_call, direct_call) have
# an Elixir twin, bench/beam/registry.exs: they run only where `elixir` is
# installed (apt-get install elixir), and are left out with a note if not.
# Elixir's twin of the dynamic supervisor (bench/beam/dynsup.exs) runs
# too where `elixir` is installed.
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
        # The Erlang twins of the dynamic supervisor and of the KV store say
        # dynsup_erl_* and kv_erl_*.
        $pin_beam $ERL -run $beam | sed 's/^/beam /; s/ name=dynsup_erl_/ name=dynsup_/; s/ name=kv_erl_/ name=kv_/' >> "$out/lines.txt"
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
bench_otp dynsup 100000|bench_dynsup main 100000
bench_otp kv_app 10000|bench_kv main kv_app 10000
bench_otp kv_bucket 100 1000000|bench_kv main kv_bucket 100 1000000
bench_otp todo 1000 1000000 100000 memory|bench_todo main 1000 1000000 100000
LIST
    # The registry's twin is Elixir: one run prints its four rows.
    want=1
    if [ $# -gt 0 ]; then
        want=0
        for w in "$@"; do case "$w" in registry*|direct_call) want=1 ;; esac; done
    fi
    if [ $want = 1 ] && command -v elixir >/dev/null; then
        # shellcheck disable=SC2086
        $pin_lc build/rel/bench/bench_otp registry 100000 1000000 1000000 |
            sed 's/^/lc /' >> "$out/lines.txt"
        # shellcheck disable=SC2086
        $pin_beam elixir --erl "+P 5000000 +S 1:1" bench/beam/registry.exs \
            100000 1000000 1000000 | sed 's/^/beam /' >> "$out/lines.txt"
    elif [ $want = 1 ] && [ "$r" = 1 ]; then
        echo "compare.sh: no elixir, so no registry rows (apt-get install elixir)" >&2
    fi
    # Elixir's DynamicSupervisor (dynsup.exs), when Elixir is installed:
    # its graceful shutdown grows about quadratically with the number of
    # children, so it is timed with 10,000 (100,000 take minutes: set
    # DYNSUP_FULL=1 to time those too, once, in the first run).
    if command -v elixir >/dev/null && { [ $# -eq 0 ] || echo " $* " | grep -q " dynsup "; }; then
        # shellcheck disable=SC2086
        $pin_beam elixir --erl "+P 5000000 +S 1:1" bench/beam/dynsup.exs 100000 10000 |
            sed 's/^/ex /; s/ name=dynsup_ex_/ name=dynsup_/' >> "$out/lines.txt"
        # ... and the kernel's shutdown of 10,000 beside it.
        # shellcheck disable=SC2086
        $pin_lc build/rel/bench/bench_otp dynsup 10000 | grep dynsup_shutdown |
            sed 's/^/lc /' >> "$out/lines.txt"
        if [ "${DYNSUP_FULL:-0}" = 1 ] && [ "$r" = 1 ]; then
            echo "compare.sh: timing Elixir's shutdown of 100,000 children (minutes)" >&2
            # shellcheck disable=SC2086
            $pin_beam elixir --erl "+P 5000000 +S 1:1" bench/beam/dynsup.exs 100000 100000 |
                grep dynsup_ex_shutdown |
                sed 's/^/ex /; s/ name=dynsup_ex_/ name=dynsup_/' >> "$out/lines.txt"
        fi
    fi
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
    c = field($0, "cpu_ns_per_op"); if (c != "") v[side, k, "c"] = v[side, k, "c"] (v[side, k, "c"] == "" ? "" : ",") c
}
END {
    # kernel CPU ns/op: CPU time per operation, where the kernel line
    # gives it (a busy machine inflates wall time, not CPU time).
    print "| workload | kernel ns/op | kernel CPU ns/op | BEAM +S 1:1 ns/op | BEAM / kernel |"
    print "|---|---:|---:|---:|---:|"
    for (i = 1; i <= nk; i++) {
        k = order[i]; if (v["lc", k, "ns"] == "" || v["beam", k, "ns"] == "") continue
        a = median(v["lc", k, "ns"]); b = median(v["beam", k, "ns"])
        c = (v["lc", k, "c"] == "" ? "-" : sprintf("%.1f", median(v["lc", k, "c"])))
        printf "| %s | %.1f | %s | %.1f | %.1fx |\n", k, a, c, b, (a > 0 ? b / a : 0)
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
    head = 0
    for (i = 1; i <= nk; i++) {
        k = order[i]; if (v["ex", k, "ns"] == "") continue
        if (!head++) {
            print ""
            print "| workload | kernel ns/op | Elixir +S 1:1 ns/op | Elixir / kernel |"
            print "|---|---:|---:|---:|"
        }
        a = (v["lc", k, "ns"] == "" ? 0 : median(v["lc", k, "ns"])); b = median(v["ex", k, "ns"])
        printf "| %s | %s | %.1f | %s |\n", k, (a > 0 ? sprintf("%.1f", a) : "-"), b, (a > 0 ? sprintf("%.1fx", b / a) : "-")
    }
}' "$out/lines.txt"
echo
echo "($RUNS run(s) each; raw lines in $out/lines.txt)"
