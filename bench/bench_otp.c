/*
 * bench_otp.c - the benchmarks of the OTP layers, side by side with the
 * BEAM's: generic server calls, supervisor restarts, the registry, and the
 * start and shutdown of a dynamic supervisor's children.
 *
 * bench.c measures the kernel alone; these workloads need the layers of
 * chapters 1-5, so they are a program of their own, linked with the
 * reference code of those chapters (the Makefile's bench section). Each is
 * the C twin of a workload of the BEAM suite, with the same name and
 * parameters, and prints one line in the same form:
 *
 *     name=gen_server_call clients=1 calls_per_client=1000000 calls=1000000
 *     sched=1 seconds=0.12 ns_per_op=120
 *
 * (one line). The kernel is single-threaded, so it is always "sched=1":
 * compare with the BEAM on one scheduler (+S 1:1). The runtime runs on the
 * real clock; times come from CLOCK_MONOTONIC, memory from VmRSS.
 *
 * Usage: bench_otp WORKLOAD [ARGS...]   (see usage() below)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lc/lc.h"
#include "lc/otp/dynamic_supervisor.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/application.h"
#include "lc/otp/names.h"
#include "lc/otp/registry.h"
#include "lc/otp/supervisor.h"
#include "lc/systems/kv.h"
#include "lc/systems/todo.h"

/* --- Measuring --------------------------------------------------------------
 */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double rss_bytes(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = 0;
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kb = strtod(line + 6, NULL);
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    return kb * 1024;
}

/* CPU time of the process (user + system), in seconds: the machine may be
   busy with other work, and wall time then counts the waits too. */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static _Noreturn void die(const char *what, int err)
{
    fprintf(stderr, "bench_otp: %s: %s\n", what, lc_strerror(err));
    exit(1);
}

/* Run 'body' as the first process of a runtime on the real clock, to the
   end. */
static void run_main(lc_proc_fn *body, void *arg)
{
    struct lc_config cfg = { .clock = LC_CLOCK_REAL };
    int err = lc_init(&cfg);
    if (err < 0) {
        die("lc_init", err);
    }
    if (lc_spawn(body, arg) == LC_NOPID) {
        die("spawn", LC_ENOMEM);
    }
    lc_run();
    lc_fini();
}

enum {
    PING = 1,    /* call: count one, reply nothing */
    COUNT = 2,   /* call: reply the count */
    DONE = 3,    /* a client has made all its calls */
    STARTED = 4, /* a restarted child is up: its pid */
    NOTIFY = 5   /* to itself, first message after init */
};

/* --- gen_server_call: C clients, K calls each, to one server ---------------
 */

static int counter_init(void *arg, void **state, struct lc_reason *stop)
{
    (void)arg, (void)stop;
    *state = lc_zalloc(sizeof(long));
    return LC_GS_CONTINUE;
}

static int counter_call(void *state, int tag, const void *data, size_t size,
                        struct lc_gs_from from, struct lc_reason *stop)
{
    (void)data, (void)size, (void)stop;
    long *n = state;
    if (tag == PING) {
        ++*n;
        lc_gs_reply(from, NULL, 0);
    } else {
        lc_gs_reply(from, n, sizeof *n);
    }
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops counter = {
    .init = counter_init,
    .handle_call = counter_call,
};

struct gs_args {
    long clients, calls;
    lc_pid server, main;
    double t0, t1;
    long count;
};

static void calls(lc_pid server, long k)
{
    for (long i = 0; i < k; i++) {
        lc_msg_free(lc_gs_call(server, PING, NULL, 0, LC_INFINITY));
    }
}

static void gs_client(void *arg)
{
    struct gs_args *a = arg;
    calls(a->server, a->calls);
    lc_send(a->main, DONE, NULL, 0);
}

static void gs_main(void *arg)
{
    struct gs_args *a = arg;
    int err = lc_gs_start(&counter, NULL, NULL, &a->server, NULL);
    if (err < 0) {
        die("gen_server start", err);
    }
    a->main = lc_self();
    a->t0 = now_s();
    if (a->clients == 1) {
        calls(a->server, a->calls);
    } else {
        for (long i = 0; i < a->clients; i++) {
            lc_spawn(gs_client, a);
        }
        for (long i = 0; i < a->clients; i++) {
            lc_msg_free(lc_receive_tag(DONE, LC_INFINITY));
        }
    }
    a->t1 = now_s();
    struct lc_msg *r = lc_gs_call(a->server, COUNT, NULL, 0, LC_INFINITY);
    memcpy(&a->count, r->data, sizeof a->count);
    lc_msg_free(r);
    lc_gs_stop(a->server, lc_reason(LC_A_NORMAL), LC_INFINITY);
}

static void bench_gen_server_call(long c, long k)
{
    struct gs_args a = { .clients = c, .calls = k };
    run_main(gs_main, &a);
    if (a.count != c * k) {
        fprintf(stderr, "bench_otp: the server counted %ld calls, not %ld\n",
                a.count, c * k);
        exit(1);
    }
    double s = a.t1 - a.t0;
    printf("name=gen_server_call clients=%ld calls_per_client=%ld calls=%ld "
           "sched=1 seconds=%.6f ns_per_op=%.1f\n",
           c, k, c * k, s, s * 1e9 / (double)(c * k));
}

/* --- sup_restart: kill the only child of a supervisor, wait for the new one --
 */

/*
 * The child is a generic server registered as "bench_child", as in the
 * BEAM version. It tells the benchmark it is up from its first message
 * after init (the BEAM version uses handle_continue): at that point init
 * has returned and the supervisor has its ACK.
 */
static lc_pid notify_to;

static int child_init(void *arg, void **state, struct lc_reason *stop)
{
    (void)arg, (void)state, (void)stop;
    lc_send(lc_self(), NOTIFY, NULL, 0);
    return LC_GS_CONTINUE;
}

static int child_info(void *state, const struct lc_msg *msg,
                      struct lc_reason *stop)
{
    (void)state, (void)stop;
    if (msg->tag == NOTIFY) {
        lc_pid me = lc_self();
        lc_send(notify_to, STARTED, &me, sizeof me);
    }
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops child_ops = {
    .init = child_init,
    .handle_info = child_info,
};

static int child_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    (void)arg;
    struct lc_gs_opts o = { .name = "bench_child" };
    return lc_gs_start_link(&child_ops, NULL, &o, pid, why);
}

static const struct lc_child_spec bench_children[] = {
    { .id = "bench_child", .start = child_start, .shutdown = 5000 },
};

/* one_for_one, at most 1,000,000 restarts in 1 s: the BEAM version's flags */
static const struct lc_sup_spec bench_sup = {
    .flags = { .strategy = LC_ONE_FOR_ONE,
               .max_restarts = 1000000,
               .max_seconds = 1 },
    .children = bench_children,
    .nchildren = 1,
};

/* The memory check restarts a million times in about a second, and a
   window of 1 s holds up to two whole seconds of restarts: the limit is
   raised so that the supervisor never gives up. */
static const struct lc_sup_spec memory_sup = {
    .flags = { .strategy = LC_ONE_FOR_ONE,
               .max_restarts = 1000000000,
               .max_seconds = 1 },
    .children = bench_children,
    .nchildren = 1,
};

/* Wait for the new child, as the BEAM version does: without a timeout (a
   timer armed and cancelled at each restart is not part of a restart). If
   the supervisor gave up, nothing is left to run and lc_run() returns with
   the loop unfinished: bench_sup_restart() says so. */
static lc_pid wait_started(void)
{
    struct lc_msg *m = lc_receive_tag(STARTED, LC_INFINITY);
    lc_pid p;
    memcpy(&p, m->data, sizeof p);
    lc_msg_free(m);
    return p;
}

struct sup_args {
    const struct lc_sup_spec *spec;
    long n, chunk;
    double seconds; /* time in the restart loops */
    double rss_10k, rss_end;
    bool finished; /* every restart was seen */
};

/* Kill the child and wait for the new one, n times; returns the last. */
static lc_pid restarts(lc_pid child, long n, struct sup_args *a, long done)
{
    for (long i = 0; i < n; i++) {
        lc_exit_signal(child, lc_reason(LC_A_KILL));
        child = wait_started();
        if (done + i + 1 == 10000) {
            a->rss_10k = rss_bytes();
        }
    }
    return child;
}

static void sup_main(void *arg)
{
    struct sup_args *a = arg;
    lc_trap_exit(true);
    notify_to = lc_self();
    for (long done = 0; done < a->n; done += a->chunk) {
        lc_pid sup;
        struct lc_sup_error err;
        int rc = lc_sup_start_link(a->spec, NULL, &sup, &err);
        if (rc < 0) {
            die("supervisor start", rc);
        }
        lc_pid first = wait_started();
        if (first != lc_whereis("bench_child")) {
            die("the child is not registered", LC_ENOENT);
        }
        double t0 = now_s();
        lc_pid last = restarts(first, a->chunk, a, done);
        a->seconds += now_s() - t0;
        if (!lc_alive(last) || last != lc_whereis("bench_child")) {
            die("the last child is not the registered one", LC_ENOENT);
        }
        lc_sup_stop(sup);
        lc_msg_free(lc_receive_tag(LC_TAG_EXIT, LC_INFINITY));
    }
    a->rss_end = rss_bytes();
    a->finished = true;
}

/* Run the restart loops of 'a' to the end, or die. */
static void run_restarts(struct sup_args *a)
{
    run_main(sup_main, a);
    if (!a->finished) {
        die("a child was not restarted (did the supervisor give up?)",
            LC_ESTART);
    }
}

static void bench_sup_restart(const char *mode, long n, long chunk)
{
    if (strcmp(mode, "notify") != 0 || chunk <= 0 || n % chunk != 0) {
        fprintf(stderr, "bench_otp: sup_restart notify N [CHUNK], CHUNK "
                        "dividing N\n");
        exit(2);
    }
    struct sup_args a = { .spec = &bench_sup, .n = n, .chunk = chunk };
    run_restarts(&a);
    printf("name=sup_restart mode=%s restarts=%ld chunk=%ld sched=1 "
           "seconds=%.6f ns_per_op=%.1f us_per_op=%.3f\n",
           mode, n, chunk, a.seconds, a.seconds * 1e9 / (double)n,
           a.seconds * 1e6 / (double)n);
}

/* --- sup_memory: a million crash-restart cycles under one supervisor --------
 */

static void bench_sup_memory(long n)
{
    if (n < 20000) {
        fprintf(stderr, "bench_otp: sup_memory needs N >= 20000\n");
        exit(2);
    }
    struct sup_args a = { .spec = &memory_sup, .n = n, .chunk = n };
    run_restarts(&a);
    double growth = (a.rss_end - a.rss_10k) * 100 / a.rss_10k;
    printf("name=sup_restart_memory restarts=%ld sched=1 seconds=%.6f "
           "ns_per_op=%.1f rss_mib_10k=%.2f rss_mib_end=%.2f "
           "rss_growth_pct=%.2f flat=%s\n",
           n, a.seconds, a.seconds * 1e9 / (double)n, a.rss_10k / 1048576,
           a.rss_end / 1048576, growth, growth <= 5.0 ? "yes" : "no");
}

/* --- registry: register, lookup, via call, direct call ----------------------
 */

/*
 * The twin of registry.exs: N generic servers (started beforehand,
 * untimed) are each told by a cast to register themselves under their own
 * key (the number i as a string) and to answer; then L lookups from one
 * process, keys cycling; then C calls by key (via), then the same C calls
 * by pid. Each line also gives the CPU time per operation (cpu_ns_per_op).
 */
enum {
    REG_GO = 10,
    REG_ACK = 11
};

/* The key of server i: its number in decimal (the BEAM's key is the
   integer itself; snprintf would cost more than the lookup). */
static const char *num_key(char buf[24], long i)
{
    char *p = buf + 23;
    *p = '\0';
    do {
        *--p = (char)('0' + i % 10);
        i /= 10;
    } while (i > 0);
    return p;
}

static lc_pid reg_bench, reg_main;

static int rs_init(void *arg, void **state, struct lc_reason *stop)
{
    *state = arg; /* its number */
    return LC_GS_CONTINUE;
}

static int rs_cast(void *state, int tag, const void *data, size_t size,
                   struct lc_reason *stop)
{
    char key[24];
    double t0 = now_s();
    int err = lc_reg_register(reg_bench, num_key(key, (long)(intptr_t)state),
                              lc_none(), NULL);
    double dt = now_s() - t0;
    if (err < 0) {
        die("lc_reg_register", err);
    }
    lc_send(reg_main, REG_ACK, &dt, sizeof dt);
    return LC_GS_CONTINUE;
}

static int rs_call(void *state, int tag, const void *data, size_t size,
                   struct lc_gs_from from, struct lc_reason *stop)
{
    lc_gs_reply(from, NULL, 0); /* :pong */
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops rs_ops = {
    .init = rs_init,
    .handle_call = rs_call,
    .handle_cast = rs_cast,
};

struct reg_args {
    long n, lookups, calls;
    double wall[4], cpu[4], reg_call_sum;
};

static void reg_report(const char *name, const char *params, double wall,
                       double cpu, long ops, const char *extra)
{
    printf("name=%s %s sched=1 seconds=%.6f ns_per_op=%.1f "
           "cpu_ns_per_op=%.1f%s\n",
           name, params, wall, wall * 1e9 / (double)ops,
           cpu * 1e9 / (double)ops, extra);
}

static void reg_main_fn(void *arg)
{
    struct reg_args *a = arg;
    reg_main = lc_self();
    int err = lc_reg_start_link(NULL, &reg_bench, NULL);
    if (err < 0) {
        die("lc_reg_start_link", err);
    }
    lc_pid *pids = malloc((size_t)a->n * sizeof *pids);
    struct lc_gs_opts o = { .stack_size = LC_STACK_MIN };
    for (long i = 0; i < a->n; i++) {
        err = lc_gs_start(&rs_ops, (void *)(intptr_t)(i + 1), &o, &pids[i],
                          NULL);
        if (err < 0) {
            die("lc_gs_start", err);
        }
    }
    double w0 = now_s(), c0 = cpu_s();
    for (long i = 0; i < a->n; i++) {
        lc_gs_cast(pids[i], REG_GO, NULL, 0);
    }
    for (long i = 0; i < a->n; i++) {
        struct lc_msg *m = lc_receive_tag(REG_ACK, LC_INFINITY);
        double dt;
        memcpy(&dt, m->data, sizeof dt);
        a->reg_call_sum += dt;
        lc_msg_free(m);
    }
    a->wall[0] = now_s() - w0, a->cpu[0] = cpu_s() - c0;
    if (lc_reg_count(reg_bench) != (size_t)a->n) {
        die("count", LC_EINVAL);
    }
    char key[24];
    w0 = now_s(), c0 = cpu_s();
    for (long k = 0; k < a->lookups; k++) {
        struct lc_reg_entry e;
        if (lc_reg_lookup(reg_bench, num_key(key, k % a->n + 1), &e, 1) != 1) {
            die("lookup", LC_ENOENT);
        }
    }
    a->wall[1] = now_s() - w0, a->cpu[1] = cpu_s() - c0;
    w0 = now_s(), c0 = cpu_s();
    for (long k = 0; k < a->calls; k++) {
        lc_msg_free(lc_reg_via_call(reg_bench, num_key(key, k % a->n + 1), PING,
                                    NULL, 0, LC_INFINITY));
    }
    a->wall[2] = now_s() - w0, a->cpu[2] = cpu_s() - c0;
    w0 = now_s(), c0 = cpu_s();
    for (long k = 0; k < a->calls; k++) {
        lc_msg_free(lc_gs_call(pids[k % a->n], PING, NULL, 0, LC_INFINITY));
    }
    a->wall[3] = now_s() - w0, a->cpu[3] = cpu_s() - c0;
    for (long i = 0; i < a->n; i++) {
        lc_exit_signal(pids[i], lc_reason(LC_A_KILL));
    }
    free(pids);
}

static void bench_registry(long n, long l, long c)
{
    struct reg_args a = { .n = n, .lookups = l, .calls = c };
    run_main(reg_main_fn, &a);
    char p[96], x[64];
    snprintf(p, sizeof p, "keys=%ld", n);
    snprintf(x, sizeof x, " register_call_ns=%.1f", a.reg_call_sum * 1e9 / n);
    reg_report("registry_register", p, a.wall[0], a.cpu[0], n, x);
    snprintf(p, sizeof p, "keys=%ld lookups=%ld", n, l);
    reg_report("registry_lookup", p, a.wall[1], a.cpu[1], l, "");
    snprintf(p, sizeof p, "keys=%ld calls=%ld", n, c);
    reg_report("registry_via_call", p, a.wall[2], a.cpu[2], c, "");
    snprintf(p, sizeof p, "servers=%ld calls=%ld", n, c);
    reg_report("direct_call", p, a.wall[3], a.cpu[3], c, "");
}

/* --- registry_memory: a million keys alive at once --------------------------
 */

/* 1000 processes register n/1000 keys each, and wait; the growth of RSS
   from before the first key to after the last, per key, is the table's
   cost (the processes were spawned, and their stacks touched, before). */
struct mem_args {
    long n;
    double rss0, rss1, wall, cpu;
    size_t count;
};

static lc_pid mem_reg;

static void mem_holder(void *arg)
{
    long from = (long)(intptr_t)arg & 0xffffffff, k = (long)(intptr_t)arg >> 32;
    lc_msg_free(lc_receive(LC_INFINITY)); /* go */
    char key[24];
    for (long i = from; i < from + k; i++) {
        if (lc_reg_register(mem_reg, num_key(key, i), lc_int(i), NULL) < 0) {
            die("lc_reg_register", LC_ENOMEM);
        }
    }
    lc_send(reg_main, REG_ACK, NULL, 0);
    lc_msg_free(lc_receive(LC_INFINITY));
}

static void mem_main(void *arg)
{
    struct mem_args *a = arg;
    reg_main = lc_self();
    lc_reg_start_link(NULL, &mem_reg, NULL);
    enum {
        HOLDERS = 1000
    };
    long k = a->n / HOLDERS;
    lc_pid pids[HOLDERS];
    for (long i = 0; i < HOLDERS; i++) {
        pids[i] = lc_spawn(mem_holder, (void *)(intptr_t)((k << 32) | (i * k)));
    }
    lc_yield(); /* every holder has run to its receive */
    a->rss0 = rss_bytes();
    double w0 = now_s(), c0 = cpu_s();
    for (long i = 0; i < HOLDERS; i++) {
        lc_send(pids[i], REG_GO, NULL, 0);
    }
    for (long i = 0; i < HOLDERS; i++) {
        lc_msg_free(lc_receive_tag(REG_ACK, LC_INFINITY));
    }
    a->wall = now_s() - w0, a->cpu = cpu_s() - c0;
    a->rss1 = rss_bytes();
    a->count = lc_reg_count(mem_reg);
    for (long i = 0; i < HOLDERS; i++) {
        lc_exit_signal(pids[i], lc_reason(LC_A_KILL));
    }
}

static void bench_registry_memory(long n)
{
    struct mem_args a = { .n = n - n % 1000 };
    run_main(mem_main, &a);
    printf("name=registry_memory keys=%zu sched=1 seconds=%.6f "
           "ns_per_op=%.1f cpu_ns_per_op=%.1f rss_mib=%.1f "
           "bytes_per_key=%.0f\n",
           a.count, a.wall, a.wall * 1e9 / (double)a.count,
           a.cpu * 1e9 / (double)a.count, (a.rss1 - a.rss0) / 1048576,
           (a.rss1 - a.rss0) / (double)a.count);
}

/* --- dynsup: N children started one by one, then all shut down ------------
 *
 * The twin of bench_dynsup (Erlang, simple_one_for_one) and dynsup.exs
 * (Elixir, DynamicSupervisor): N temporary generic servers started with
 * start_child one after another, then the supervisor stopped with
 * `shutdown` and the shutdown of all N timed. Two lines, as the twins
 * print them (their names without _erl / _ex), with the CPU time beside
 * the wall time.
 */

struct dyn_args {
    long n;
    double start_s, start_cpu, stop_s, stop_cpu;
};

static int dyn_child_init(void *arg, void **state, struct lc_reason *stop)
{
    (void)arg, (void)state, (void)stop;
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops dyn_child_ops = { .init = dyn_child_init };

static int dyn_child_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return lc_gs_start_link(&dyn_child_ops, arg, NULL, pid, why);
}

static void dyn_main(void *arg)
{
    struct dyn_args *a = arg;
    struct lc_dynsup_flags flags = { .max_restarts = 1000, .max_seconds = 1 };
    lc_pid sup;
    int err = lc_dynsup_start_link(&flags, NULL, &sup, NULL);
    if (err < 0) {
        die("lc_dynsup_start_link", err);
    }
    lc_unlink(sup);
    struct lc_dynsup_child spec = { .start = dyn_child_start,
                                    .shutdown = 5000 };
    double t0 = now_s(), c0 = cpu_s();
    for (long i = 0; i < a->n; i++) {
        err = lc_dynsup_start_child(sup, &spec, NULL, NULL);
        if (err < 0) {
            die("lc_dynsup_start_child", err);
        }
    }
    double t1 = now_s(), c1 = cpu_s();
    if (lc_dynsup_count_children(sup).active != (size_t)a->n) {
        die("count_children", LC_EINVAL);
    }
    double t2 = now_s(), c2 = cpu_s();
    lc_gs_stop(sup, lc_reason(LC_A_SHUTDOWN), LC_INFINITY);
    double t3 = now_s(), c3 = cpu_s();
    a->start_s = t1 - t0;
    a->start_cpu = c1 - c0;
    a->stop_s = t3 - t2;
    a->stop_cpu = c3 - c2;
}

static void bench_dynsup(long n)
{
    if (n <= 0) {
        fprintf(stderr, "bench_otp: dynsup N, N > 0\n");
        exit(2);
    }
    struct dyn_args a = { .n = n };
    run_main(dyn_main, &a);
    printf("name=dynsup_start_child children=%ld sched=1 seconds=%.6f "
           "ns_per_op=%.1f cpu_seconds=%.6f cpu_ns_per_op=%.1f\n",
           n, a.start_s, a.start_s * 1e9 / (double)n, a.start_cpu,
           a.start_cpu * 1e9 / (double)n);
    printf("name=dynsup_shutdown children=%ld sched=1 seconds=%.6f "
           "ns_per_op=%.1f cpu_seconds=%.6f cpu_ns_per_op=%.1f\n",
           n, a.stop_s, a.stop_s * 1e9 / (double)n, a.stop_cpu,
           a.stop_cpu * 1e9 / (double)n);
}

/* --- kv_app and kv_bucket: the KV store of chapter 10 ------------------------
 *
 * kv_app N: start and stop the kv application N times (the master, kv_sup,
 * the bucket supervisor and the registry; no buckets), timed separately.
 * kv_bucket B K: create B buckets, then K puts and K gets, each one a
 * lookup in the registry and a call to the bucket, round robin over the
 * buckets. One line per measurement, with CPU time beside wall time.
 */

struct kv_args {
    long n, b, k;
    double t[4], c[4]; /* start/put, stop/get: wall and CPU seconds */
};

static void kv_app_main(void *arg)
{
    struct kv_args *a = arg;
    lc_app_load(&kv_app);
    for (long i = 0; i < a->n; i++) {
        double t0 = now_s(), c0 = cpu_s();
        int err = lc_app_start("kv", LC_APP_TEMPORARY, NULL);
        double t1 = now_s(), c1 = cpu_s();
        if (err < 0) {
            die("lc_app_start", err);
        }
        lc_app_stop("kv");
        double t2 = now_s(), c2 = cpu_s();
        a->t[0] += t1 - t0, a->c[0] += c1 - c0;
        a->t[1] += t2 - t1, a->c[1] += c2 - c1;
    }
}

static void kv_bucket_main(void *arg)
{
    struct kv_args *a = arg;
    lc_app_load(&kv_app);
    lc_app_start("kv", LC_APP_TEMPORARY, NULL);
    char name[16], value[KV_VALUE_MAX];
    for (long i = 0; i < a->b; i++) {
        snprintf(name, sizeof name, "b%ld", i);
        kv_create(name, NULL);
    }
    for (int phase = 0; phase < 2; phase++) {
        double t0 = now_s(), c0 = cpu_s();
        for (long i = 0; i < a->k; i++) {
            snprintf(name, sizeof name, "b%ld", i % a->b);
            lc_pid b = kv_lookup(name);
            int err = phase == 0 ? kv_bucket_put(b, "key", "value")
                                 : kv_bucket_get(b, "key", value, sizeof value);
            if (err < 0) {
                die("kv put/get", err);
            }
        }
        a->t[phase] = now_s() - t0, a->c[phase] = cpu_s() - c0;
    }
    lc_app_stop("kv");
}

static void kv_line(const char *name, const char *params, long ops, double t,
                    double c)
{
    printf("name=%s %s sched=1 seconds=%.6f ns_per_op=%.1f cpu_seconds=%.6f "
           "cpu_ns_per_op=%.1f\n",
           name, params, t, t * 1e9 / (double)ops, c, c * 1e9 / (double)ops);
}

static void bench_kv_app(long n)
{
    struct kv_args a = { .n = n > 0 ? n : 1 };
    run_main(kv_app_main, &a);
    char p[32];
    snprintf(p, sizeof p, "cycles=%ld", a.n);
    kv_line("kv_app_start", p, a.n, a.t[0], a.c[0]);
    kv_line("kv_app_stop", p, a.n, a.t[1], a.c[1]);
}

static void bench_kv_bucket(long b, long k)
{
    struct kv_args a = { .b = b > 0 ? b : 1, .k = k > 0 ? k : 1 };
    run_main(kv_bucket_main, &a);
    char p[48];
    snprintf(p, sizeof p, "buckets=%ld ops=%ld", a.b, a.k);
    kv_line("kv_put", p, a.k, a.t[0], a.c[0]);
    kv_line("kv_get", p, a.k, a.t[1], a.c[1]);
}

/* --- main
 * --------------------------------------------------------------------- */

static long arg(int argc, char **argv, int i, long dflt)
{
    return argc > i ? strtol(argv[i], NULL, 10) : dflt;
}

/* --- todo: the to-do servers (chapter 9), twin of bench_todo.erl ---------
 *
 * L to-do servers (todo_server_ops); A adds spread round-robin over them,
 * each with one of 30 dates; then E entries(Date) calls, round-robin. One
 * client makes every request. Two modes, printed in the line:
 *
 *   memory  the BEAM twin's setting: no disk. The servers' hooks restore
 *           (an empty list) and commit (the change applied in place, no
 *           save) are replaced by memory-only ones: what is measured is
 *           the servers, the calls and the lists.
 *   disk    the kit's own hooks: every add is saved (write aside, fsync,
 *           rename, fsync of the folder) through a database of 3 workers
 *           in $TMPDIR (or /tmp) before it is answered.
 *
 * In memory mode the adds are casts, as the twin's (todo_server_add_cast),
 * and a call per list ends the phase; in disk mode they are the kit's
 * acknowledged adds (calls answered once the file is on disk).
 */

static int memory_restore(const char *list, struct todo_list **out,
                          struct lc_reason *stop)
{
    (void)list, (void)stop;
    *out = todo_list_new();
    return *out != NULL ? 0 : 1;
}

static int memory_commit(const char *list, const struct todo_list *cur,
                         const struct todo_change *c, struct todo_list **next,
                         uint32_t *id, struct lc_reason *stop)
{
    (void)list, (void)stop;
    /* Memory-only: nothing can fail after the change, so there is no
       copy to roll back to -- the server's own list is changed. */
    struct todo_list *l = (struct todo_list *)cur;
    *next = l; /* never freed by the server: it is its own list */
    return todo_change_apply(l, c, id);
}

struct todo_args {
    long lists, adds, calls;
    bool disk;
    char folder[256];
    bool finished; /* the body ran to its end (a crash prints nothing) */
};

static struct todo_date todo_day(long k)
{
    return todo_date(2026, 11, (int)(k % 30) + 1);
}

static void todo_body(void *arg)
{
    const struct todo_args *a = arg;
    lc_pid *srv = malloc((size_t)a->lists * sizeof *srv);
    struct todo_config cfg;
    lc_pid db;
    if (a->disk && (todo_config_init(&cfg, a->folder) < 0 ||
                    todo_database_start(&cfg, &db) < 0)) {
        die("the database", LC_EINVAL);
    }
    for (long i = 0; i < a->lists; i++) {
        char name[32];
        snprintf(name, sizeof name, "list %ld", i);
        if (srv == NULL || todo_server_start(name, &srv[i]) < 0) {
            die("todo_server_start", LC_ENOMEM);
        }
    }
    const char *mode = a->disk ? "disk" : "memory";
    double t0 = now_s(), c0 = cpu_s();
    for (long k = 0; k < a->adds; k++) {
        lc_pid to = srv[k % a->lists];
        struct todo_date d = todo_day(k / a->lists);
        int rc = a->disk ? todo_server_add(to, d, "Dentist", NULL)
                         : todo_server_add_cast(to, d, "Dentist");
        if (rc < 0) {
            die("todo_server_add", rc);
        }
    }
    /* A call per list ends the phase: every cast before it is done. */
    for (long i = 0; !a->disk && i < a->lists; i++) {
        struct todo_entry e;
        todo_server_entries(srv[i], todo_day(0), &e, 1);
    }
    double t1 = now_s(), c1 = cpu_s();
    printf("name=todo_add lists=%ld casts=%ld sched=1 seconds=%.6f "
           "ns_per_op=%.0f mode=%s cpu_seconds=%.6f\n",
           a->lists, a->adds, t1 - t0, (t1 - t0) * 1e9 / a->adds, mode,
           c1 - c0);
    struct todo_entry out[64];
    long got = 0;
    for (long k = 0; k < a->calls; k++) {
        int n = todo_server_entries(srv[k % a->lists], todo_day(k / a->lists),
                                    out, 64);
        got += n > 0 ? n : 0;
    }
    double t2 = now_s(), c2 = cpu_s();
    printf("name=todo_entries lists=%ld entries_per_list=%ld calls=%ld "
           "sched=1 seconds=%.6f ns_per_op=%.0f mode=%s cpu_seconds=%.6f "
           "entries_per_call=%.1f\n",
           a->lists, a->adds / a->lists, a->calls, t2 - t1,
           (t2 - t1) * 1e9 / a->calls, mode, c2 - c1, (double)got / a->calls);
    free(srv);
    ((struct todo_args *)arg)->finished = true;
}

static void bench_todo(long lists, long adds, long calls, const char *mode)
{
    struct todo_args a = { lists, adds, calls, strcmp(mode, "disk") == 0,
                           "",    false };
    if (a.disk) {
        const char *t = getenv("TMPDIR");
        snprintf(a.folder, sizeof a.folder, "%s/lc-bench-todo.XXXXXX",
                 t != NULL && *t ? t : "/tmp");
        if (mkdtemp(a.folder) == NULL) {
            die("mkdtemp", LC_EINVAL);
        }
    }
    struct lc_config cfg = { .clock = LC_CLOCK_REAL };
    if (lc_init(&cfg) < 0 || lc_spawn(todo_body, &a) == LC_NOPID) {
        die("lc_init", LC_ENOMEM);
    }
    if (!a.disk) { /* the memory-only mode: see above */
        todo_hooks_set(&(struct todo_hooks){ .restore = memory_restore,
                                             .commit = memory_commit });
    }
    lc_run();
    lc_fini();
    if (!a.finished) {
        fprintf(stderr, "bench_otp: the to-do workload ended early (a "
                        "server or the client crashed)\n");
    }
    if (a.disk) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", a.folder);
        if (system(cmd) != 0) {
            fprintf(stderr, "bench_otp: could not remove %s\n", a.folder);
        }
    }
    if (!a.finished) {
        exit(1);
    }
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_otp gen_server_call [CLIENTS CALLS] | "
                    "sup_restart notify [N [CHUNK]] | sup_memory [N] | "
                    "registry [N LOOKUPS CALLS] | registry_memory [N] | "
                    "dynsup [N] | kv_app [N] | kv_bucket [BUCKETS OPS] | "
                    "todo LISTS ADDS CALLS memory|disk\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        return usage();
    }
    const char *w = argv[1];
    if (strcmp(w, "gen_server_call") == 0) {
        bench_gen_server_call(arg(argc, argv, 2, 1),
                              arg(argc, argv, 3, 1000000));
    } else if (strcmp(w, "sup_restart") == 0) {
        long n = arg(argc, argv, 3, 100000);
        bench_sup_restart(argc > 2 ? argv[2] : "notify", n,
                          arg(argc, argv, 4, n));
    } else if (strcmp(w, "registry") == 0) {
        bench_registry(arg(argc, argv, 2, 100000), arg(argc, argv, 3, 1000000),
                       arg(argc, argv, 4, 1000000));
    } else if (strcmp(w, "registry_memory") == 0) {
        bench_registry_memory(arg(argc, argv, 2, 1000000));
    } else if (strcmp(w, "dynsup") == 0) {
        bench_dynsup(arg(argc, argv, 2, 100000));
    } else if (strcmp(w, "kv_app") == 0) {
        bench_kv_app(arg(argc, argv, 2, 10000));
    } else if (strcmp(w, "kv_bucket") == 0) {
        bench_kv_bucket(arg(argc, argv, 2, 100), arg(argc, argv, 3, 1000000));
    } else if (strcmp(w, "sup_memory") == 0) {
        bench_sup_memory(arg(argc, argv, 2, 1000000));
    } else if (strcmp(w, "todo") == 0) {
        bench_todo(arg(argc, argv, 2, 1000), arg(argc, argv, 3, 1000000),
                   arg(argc, argv, 4, 100000), argc > 5 ? argv[5] : "memory");
    } else {
        return usage();
    }
    return 0;
}
