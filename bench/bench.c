/*
 * bench.c - the kernel's benchmarks, side by side with the BEAM's.
 *
 * Each workload is the C twin of one in the BEAM benchmark suite, with the
 * same name and parameters, and prints one line in the same form:
 *
 *     name=ring procs=1000 rounds=1000 msgs=1000000 sched=1 seconds=0.09
 * ns_per_op=90
 *
 * so the two can be run on the same machine and compared line by line. The
 * kernel is single-threaded, so it is always "sched=1": compare it with the
 * BEAM run on one scheduler (+S 1:1).
 *
 * The runtime runs on the real clock here. Times come from CLOCK_MONOTONIC
 * and memory from the process's resident set (VmRSS). Benchmarks are never
 * tests: nothing here passes or fails.
 *
 * Usage: bench WORKLOAD [ARGS...]   (see usage() below)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lc/lc.h"

/* --- Measuring ---------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A field of /proc/self/status in bytes: "VmRSS:" (resident memory) or
   "VmPTE:" (page tables, which VmRSS does not count). */
static double status_bytes(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = 0;
    size_t n = strlen(field);
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, field, n) == 0) {
            kb = strtod(line + n, NULL);
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    return kb * 1024;
}

static void start_runtime(void)
{
    struct lc_config cfg = { .clock = LC_CLOCK_REAL };
    int err = lc_init(&cfg);
    if (err < 0) {
        fprintf(stderr, "bench: lc_init: %s\n", lc_strerror(err));
        exit(1);
    }
}

/* Run 'body' as the only process, to the end. */
static void run_main(lc_proc_fn *body, void *arg)
{
    start_runtime();
    if (lc_spawn(body, arg) == LC_NOPID) {
        fprintf(stderr, "bench: spawn failed\n");
        exit(1);
    }
    lc_run();
    lc_fini();
}

/* --- spawn_exit: spawn a process that returns at once, wait for its end --- */

/*
 * The BEAM version uses spawn_monitor and waits for the 'DOWN'. The kernel
 * has no monitors (chapter 3 builds them); its mechanism underneath is the
 * exit hook, so the child's end is reported the same way a monitor would:
 * the spawner's pid sits in the child's user slot, and an exit hook sends it
 * a DOWN message.
 */
enum {
    DOWN = 1,
    TOKEN = 2,
    DONE = 3,
    NEXT = 4,
    PING = 5,
    PONG = 6
};

static void notify_watcher(lc_pid pid, const struct lc_reason *why)
{
    void **slot = lc_local(pid, LC_LOCAL_USER);
    if (slot != NULL && *slot != NULL) {
        lc_send((lc_pid)(uintptr_t)*slot, DOWN, why, sizeof *why);
    }
}

static void child(void *arg)
{
    (void)arg;
}

static lc_pid spawn_monitor(void)
{
    lc_pid p = lc_spawn(child, NULL);
    *lc_local(p, LC_LOCAL_USER) = (void *)(uintptr_t)lc_self();
    return p;
}

struct spawn_args {
    long n;
    double t0, t1, t2;
};

static void spawn_seq(void *arg)
{
    struct spawn_args *a = arg;
    a->t0 = now_s();
    for (long i = 0; i < a->n; i++) {
        spawn_monitor();
        lc_msg_free(lc_receive_tag(DOWN, LC_INFINITY));
    }
    a->t2 = now_s();
}

static void spawn_batch(void *arg)
{
    struct spawn_args *a = arg;
    a->t0 = now_s();
    for (long i = 0; i < a->n; i++) {
        spawn_monitor();
    }
    a->t1 = now_s();
    for (long i = 0; i < a->n; i++) {
        lc_msg_free(lc_receive_tag(DOWN, LC_INFINITY));
    }
    a->t2 = now_s();
}

static void bench_spawn(const char *mode, long n)
{
    struct spawn_args a = { .n = n };
    lc_exit_hook_add(notify_watcher);
    bool seq = strcmp(mode, "seq") == 0;
    run_main(seq ? spawn_seq : spawn_batch, &a);
    double s = a.t2 - a.t0;
    if (seq) {
        printf("name=spawn_exit_seq procs=%ld sched=1 seconds=%.6f "
               "ns_per_op=%.1f\n",
               n, s, s * 1e9 / (double)n);
    } else {
        printf("name=spawn_exit_batch procs=%ld sched=1 seconds=%.6f "
               "ns_per_op=%.1f spawn_phase_seconds=%.6f\n",
               n, s, s * 1e9 / (double)n, a.t1 - a.t0);
    }
}

/* --- ring: a token passed N x M times around a ring of N processes -------- */

struct ring_args {
    long n, m;
    double t0, t1, t2;
};

static void ring_node(void *arg)
{
    lc_pid main_pid = (lc_pid)(uintptr_t)arg;
    struct lc_msg *m = lc_receive_tag(NEXT, LC_INFINITY);
    lc_pid next;
    memcpy(&next, m->data, sizeof next);
    lc_msg_free(m);
    for (;;) {
        m = lc_receive(LC_INFINITY);
        long hops;
        memcpy(&hops, m->data, sizeof hops);
        lc_msg_free(m);
        if (hops == 0) {
            lc_send(main_pid, DONE, NULL, 0);
        } else {
            hops--;
            lc_send(next, TOKEN, &hops, sizeof hops);
        }
    }
}

static void ring_main(void *arg)
{
    struct ring_args *a = arg;
    a->t0 = now_s();
    lc_pid *pids = malloc((size_t)a->n * sizeof *pids);
    void *me = (void *)(uintptr_t)lc_self();
    for (long i = 0; i < a->n; i++) {
        pids[i] = lc_spawn(ring_node, me);
    }
    for (long i = 0; i < a->n; i++) {
        lc_pid next = pids[(i + 1) % a->n];
        lc_send(pids[i], NEXT, &next, sizeof next);
    }
    a->t1 = now_s();
    long hops = a->n * a->m;
    lc_send(pids[0], TOKEN, &hops, sizeof hops);
    lc_msg_free(lc_receive_tag(DONE, LC_INFINITY));
    a->t2 = now_s();
    for (long i = 0; i < a->n; i++) {
        lc_kill(pids[i], lc_reason(LC_A_KILL));
    }
    free(pids);
}

static void bench_ring(long n, long m)
{
    struct ring_args a = { .n = n, .m = m };
    run_main(ring_main, &a);
    double s = a.t2 - a.t1;
    printf("name=ring procs=%ld rounds=%ld msgs=%ld sched=1 seconds=%.6f "
           "ns_per_op=%.1f setup_seconds=%.6f\n",
           n, m, n * m, s, s * 1e9 / (double)(n * m), a.t1 - a.t0);
}

/* --- pingpong: N round trips between two processes ----------------------- */

/* Each side waits for its own tag, as the BEAM version matches its own
   pattern ({From, ping} and pong). */

struct pp_args {
    long n;
    double t0, t1;
};

static void pong(void *arg)
{
    (void)arg;
    for (;;) {
        struct lc_msg *m = lc_receive_tag(PING, LC_INFINITY);
        lc_send(m->from, PONG, NULL, 0);
        lc_msg_free(m);
    }
}

static lc_pid pong_pid;

static void ping(void *arg)
{
    struct pp_args *a = arg;
    for (long i = 0; i < a->n; i++) {
        lc_send(pong_pid, PING, NULL, 0);
        lc_msg_free(lc_receive_tag(PONG, LC_INFINITY));
    }
    lc_send((lc_pid)(uintptr_t)*lc_local(lc_self(), LC_LOCAL_USER), DONE, NULL,
            0);
}

static void pp_main(void *arg)
{
    struct pp_args *a = arg;
    pong_pid = lc_spawn(pong, NULL);
    a->t0 = now_s();
    lc_pid p = lc_spawn(ping, a);
    *lc_local(p, LC_LOCAL_USER) = (void *)(uintptr_t)lc_self();
    lc_msg_free(lc_receive_tag(DONE, LC_INFINITY));
    a->t1 = now_s();
    lc_kill(pong_pid, lc_reason(LC_A_KILL));
}

static void bench_pingpong(long n)
{
    struct pp_args a = { .n = n };
    run_main(pp_main, &a);
    double s = a.t1 - a.t0;
    printf("name=pingpong round_trips=%ld msgs=%ld sched=1 seconds=%.6f "
           "ns_per_op=%.1f\n",
           n, 2 * n, s, s * 1e9 / (double)n);
}

/* --- memory_idle: N processes that all wait in a receive ------------------ */

static void idle(void *arg)
{
    (void)arg;
    lc_msg_free(lc_receive(LC_INFINITY));
}

static void bench_memory(long n)
{
    /* Stacks shared after the first 102,400 processes, as a program that
       wants a million asks (chapter 0, "How a million processes fit"). */
    struct lc_config cfg = { .clock = LC_CLOCK_REAL,
                             .share_after = 100u << 10 };
    if (lc_init(&cfg) < 0) {
        exit(1);
    }
    lc_pid sample = lc_spawn(idle, NULL);
    lc_run_until_idle();
    double r0 = status_bytes("VmRSS:"), pte0 = status_bytes("VmPTE:");
    double t0 = now_s();
    lc_pid mid = LC_NOPID;
    for (long i = 0; i < n; i++) {
        lc_pid pid = lc_spawn(idle, NULL);
        if (pid == LC_NOPID) {
            fprintf(stderr, "bench: spawn %ld failed\n", i);
            exit(1);
        }
        mid = i == n - n / 4 ? pid : mid;
    }
    double t1 = now_s();
    lc_run_until_idle(); /* every process runs and blocks in receive */
    double t2 = now_s();
    double r1 = status_bytes("VmRSS:"), pte1 = status_bytes("VmPTE:");
    size_t alive = lc_proc_list(NULL, 0);
    struct lc_info in = { 0 }, in_mid = { 0 };
    lc_proc_info(sample, &in);
    lc_proc_info(mid, &in_mid);
    if (alive != (size_t)n + 1) {
        fprintf(stderr, "bench: %zu processes alive, not %ld\n", alive, n + 1);
        exit(1);
    }
    /* bytes_per_proc counts everything an idle process costs the machine:
       its resident pages and its share of the page tables. stack_touched
       is the first process's stack in RAM (it has a slot of its own),
       stack_late that of one spawned three quarters of the way: beyond
       the first 102,400 processes, the bytes of its stack set aside (see
       kernel/stackshare.c). */
    printf("name=memory_idle procs=%ld sched=1 seconds=%.6f ns_per_op=%.1f "
           "ready_seconds=%.6f bytes_per_proc=%.1f rss_bytes_per_proc=%.1f "
           "rss_mib_after=%.1f stack_touched=%zu stack_late=%zu\n",
           n, t1 - t0, (t1 - t0) * 1e9 / (double)n, t2 - t0,
           (r1 - r0 + pte1 - pte0) / (double)n, (r1 - r0) / (double)n,
           r1 / 1048576, in.stack_touched, in_mid.stack_touched);
    lc_fini();
}

/* --- main --------------------------------------------------------------- */

static long arg(int argc, char **argv, int i, long dflt)
{
    return argc > i ? strtol(argv[i], NULL, 10) : dflt;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench spawn_seq [N] | spawn_batch [N] | ring [N M] "
                    "| pingpong [N] | memory [N]\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        return usage();
    }
    const char *w = argv[1];
    if (strcmp(w, "spawn_seq") == 0 || strcmp(w, "spawn_batch") == 0) {
        bench_spawn(w + 6, arg(argc, argv, 2, 1000000));
    } else if (strcmp(w, "ring") == 0) {
        bench_ring(arg(argc, argv, 2, 1000), arg(argc, argv, 3, 1000));
    } else if (strcmp(w, "pingpong") == 0) {
        bench_pingpong(arg(argc, argv, 2, 1000000));
    } else if (strcmp(w, "memory") == 0) {
        bench_memory(arg(argc, argv, 2, 100000));
    } else {
        return usage();
    }
    return 0;
}
