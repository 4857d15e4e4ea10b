/*
 * check_determinism.c - the same program gives the same run.
 *
 * A small society of processes -- a server with selective receive and
 * timeouts, clients that call it by reference, timers, a kill, a fault,
 * short-lived children, edges, notes -- runs under the tracer, and every
 * event line is hashed. The same seed (or FIFO, with no seed) must give the
 * same hash every time, whatever the heap and the stack arena look like;
 * different chaos seeds must give different runs. This is what lets a
 * failing test print its seed and be replayed with LC_SEED=<seed>.
 */
#include "ktest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    CALL = 1,
    REPLY = 2,
    CHATTER = 3,
    STRAY = 4,
    TICK = 5
};
enum {
    CLIENTS = 8,
    CALLS = 5
};

static lc_pid server, clients[CLIENTS];

static bool is_call(const struct lc_msg *m, const void *ctx)
{
    (void)ctx;
    return m->tag == CALL;
}

static void server_fn(void *arg)
{
    (void)arg;
    int idle = 0;
    while (idle < 3) {
        struct lc_msg *m = lc_receive_match(is_call, NULL, 50);
        if (m == NULL) {
            idle++;
            lc_trace_note(lc_self(), LC_NOPID, "idle");
            continue;
        }
        idle = 0;
        int x;
        memcpy(&x, m->data, sizeof x);
        x *= 2;
        lc_send_ref(m->from, REPLY, m->ref, &x, sizeof x);
        lc_msg_free(m);
    }
    lc_proc_set_detail(lc_self(), "done");
}

static void client_fn(void *arg)
{
    int i = (int)(intptr_t)arg;
    lc_edge_add(LC_EDGE_MONITOR, lc_self(), server, NULL, 0);
    lc_send_after(7 * i + 1, lc_self(), TICK, &i, sizeof i);
    for (int k = 0; k < CALLS; k++) {
        uint64_t ref = lc_ref_make();
        int x = i * 100 + k;
        lc_send_ref(server, CALL, ref, &x, sizeof x);
        struct lc_msg *m = lc_receive_ref(ref, 30);
        if (m == NULL) {
            lc_trace_note(lc_self(), server, "no reply");
        }
        lc_msg_free(m);
        lc_send(clients[(i + k) % CLIENTS], CHATTER, &k, sizeof k);
        lc_sleep(i % 3 + k);
        lc_msg_free(lc_receive(0));
    }
    lc_edge_remove(LC_EDGE_MONITOR, lc_self(), server);
    lc_msg_free(lc_receive_tag(TICK, 100));
}

static void child_fn(void *arg)
{
    lc_send(server, STRAY, NULL, 0);
    if ((intptr_t)arg % 2) {
        lc_yield();
    }
}

static void spawner_fn(void *arg)
{
    (void)arg;
    for (int i = 0; i < 5; i++) {
        lc_spawn(child_fn, (void *)(intptr_t)i);
        lc_yield();
    }
}

static void killer_fn(void *arg)
{
    (void)arg;
    lc_sleep(20);
    lc_kill(clients[3], lc_reason_with(LC_A_SHUTDOWN, lc_int(3)));
}

static void faulter_fn(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        lc_yield();
    }
    kt_divide_by_zero();
}

/* --- Running it under the tracer ---------------------------------------- */

static uint64_t hash;
static size_t nevents;

static void hash_event(const struct lc_event *ev, void *ctx)
{
    (void)ctx;
    char line[320];
    int n = lc_event_format(line, sizeof line, ev);
    hash = kt_fnv(hash, line, (size_t)n < sizeof line ? (size_t)n : 0);
    hash = kt_fnv(hash, "\n", 1);
    nevents++;
}

struct run {
    uint64_t hash;
    size_t events;
    uint64_t seed;
    size_t left;
};

/* Run the society once in a fresh runtime configured by 'cfg'. */
static struct run society(const struct lc_config *cfg)
{
    hash = KT_FNV_INIT;
    nevents = 0;
    kt_init(cfg);
    lc_trace_set(hash_event, NULL);
    server = lc_spawn(server_fn, NULL);
    for (int i = 0; i < CLIENTS; i++) {
        clients[i] = lc_spawn(client_fn, (void *)(intptr_t)i);
    }
    lc_spawn(spawner_fn, NULL);
    lc_spawn(killer_fn, NULL);
    lc_spawn(faulter_fn, NULL);
    struct run r = { .left = lc_run(), .seed = lc_seed() };
    lc_trace_set(NULL, NULL);
    lc_fini();
    r.hash = hash;
    r.events = nevents;
    return r;
}

static struct run chaos(uint64_t seed)
{
    struct lc_config cfg = { .chaos = true, .seed = seed };
    return society(&cfg);
}

START_TEST(fifo_runs_are_identical)
{
    struct run a = society(NULL);
    /* Disturb the heap and the stack arena between the runs. */
    void *junk[32];
    for (int i = 0; i < 32; i++) {
        junk[i] = malloc((size_t)1 << (i % 18));
    }
    struct lc_config big = { .stack_size = 1 << 20 };
    struct run b = society(&big);
    struct run c = society(NULL);
    for (int i = 0; i < 32; i++) {
        free(junk[i]);
    }
    ck_assert_uint_eq(a.seed, 0);
    ck_assert_uint_eq(a.left, 0);
    ck_assert_uint_ge(a.events, 200);
    ck_assert_msg(a.hash == c.hash && a.events == c.events,
                  "two FIFO runs differ: %zu events (%016llx), then %zu "
                  "(%016llx)",
                  a.events, (unsigned long long)a.hash, c.events,
                  (unsigned long long)c.hash);
    ck_assert_msg(a.hash == b.hash, "the stack size changed the run");
}
END_TEST

START_TEST(the_same_seed_gives_the_same_trace)
{
    static const uint64_t seeds[] = { 1, 42, 0xdeadbeefcafe };
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        struct run a = chaos(seeds[i]);
        struct run b = chaos(seeds[i]);
        ck_assert_uint_eq(a.seed, seeds[i]);
        ck_assert_uint_eq(a.left, 0);
        ck_assert_msg(a.hash == b.hash && a.events == b.events,
                      "seed %llu did not replay: %zu events (%016llx), "
                      "then %zu (%016llx)",
                      (unsigned long long)seeds[i], a.events,
                      (unsigned long long)a.hash, b.events,
                      (unsigned long long)b.hash);
    }
}
END_TEST

START_TEST(different_seeds_give_different_traces)
{
    enum {
        N = 8
    };
    struct run fifo = society(NULL);
    uint64_t h[N];
    for (int i = 0; i < N; i++) {
        struct run r = chaos((uint64_t)i + 1);
        h[i] = r.hash;
        ck_assert_msg(h[i] != fifo.hash, "seed %d ran as FIFO", i + 1);
        for (int j = 0; j < i; j++) {
            ck_assert_msg(h[i] != h[j], "seeds %d and %d gave the same run",
                          j + 1, i + 1);
        }
    }
}
END_TEST

START_TEST(lc_seed_replays_a_run)
{
    struct run want = chaos(4242);
    setenv("LC_SEED", "4242", 1);
    struct run got = society(NULL);
    unsetenv("LC_SEED");
    ck_assert_uint_eq(got.seed, 4242);
    ck_assert_msg(got.hash == want.hash, "LC_SEED=4242 did not replay seed "
                                         "4242");
}
END_TEST

Suite *determinism_suite(void)
{
    Suite *s = suite_create("determinism");
    TCase *tc = kt_tcase("trace", 30);
    tcase_add_test(tc, fifo_runs_are_identical);
    tcase_add_test(tc, the_same_seed_gives_the_same_trace);
    tcase_add_test(tc, different_seeds_give_different_traces);
    tcase_add_test(tc, lc_seed_replays_a_run);
    suite_add_tcase(s, tc);
    return s;
}
