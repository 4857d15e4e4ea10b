/*
 * check_equiv.c - the kernel's fast paths do what its plain code does.
 *
 * Chapter 0 quotes the kernel's plain code: the send that checks, copies
 * and delivers; the receive that scans with any matcher; a wait that goes
 * back to the scheduler; the context switch that ends with `ret`. What runs
 * is faster in four places, and each test here runs the same thing both ways
 * and compares what a program can see:
 *
 *   - send_fast() against send_msg(): a tracer sends every message down the
 *     plain path, so the same program runs with and without one;
 *   - lc_receive(), _tag() and _ref() (built-in matchers, the mailbox mark)
 *     against lc_receive_match() with the same condition as a predicate;
 *   - the direct hand-off against the scheduler: a pending timer and a
 *     budget of one reduction turn every hand-off off;
 *   - lc__ctx_switch() against lc__ctx_switch_plain(), mixed at random on
 *     the same two contexts (white-box: this part includes kernel.h).
 */
#include "ktest.h"

#include <fenv.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "../../kernel/kernel.h"

/* A small generator for the tests' random choices (splitmix64). */
static uint64_t next_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Assert that two long texts are equal; if not, show where they part (a
   whole text is too long for a test's message). */
static void assert_same_text(const char *a, const char *b, const char *what)
{
    size_t i = 0, line = 1, start = 0;
    for (; a[i] != '\0' && a[i] == b[i]; i++) {
        if (a[i] == '\n') {
            line++;
            start = i + 1;
        }
    }
    ck_assert_msg(a[i] == b[i],
                  "%s: they part at line %zu: \"%.60s\" / \"%.60s\"", what,
                  line, a + start, b + start);
}

/* A tracer that records nothing: its presence alone makes every send take
   the plain path. */
static void silent(const struct lc_event *ev, void *ctx)
{
    (void)ev;
    (void)ctx;
}

/* --- Sending ------------------------------------------------------------ */

enum {
    ACK = 1,
    DONE = 2,
    NSIZES = 16
};

/* Sizes on both sides of each of the fast copy's cases, up to past the
   largest small block (those go the plain way in both runs). */
static const size_t sizes[NSIZES] = { 0,  1,  2,  3,  4,  7,  8,  9,
                                      15, 16, 17, 31, 32, 95, 96, 200 };

/* The receiver writes one line per message: sender, tag, ref, size, a
   checksum of the bytes. */
static char got[4096];

static void recorder(void *arg)
{
    (void)arg;
    for (;;) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        if (m->tag == DONE) {
            lc_msg_free(m);
            return;
        }
        size_t n = strlen(got);
        snprintf(got + n, sizeof got - n, "%s %d %llu %u %llx\n",
                 kt_pid(m->from), m->tag, (unsigned long long)m->ref,
                 (unsigned)m->size,
                 (unsigned long long)kt_fnv(KT_FNV_INIT, m->data, m->size));
        lc_pid from = m->from;
        lc_msg_free(m); /* its block is what the next fast send reuses */
        lc_send(from, ACK, NULL, 0);
    }
}

static void sender(void *arg)
{
    lc_pid to = *(lc_pid *)arg;
    unsigned char data[256];
    for (size_t i = 0; i < sizeof data; i++) {
        data[i] = (unsigned char)(i * 7 + 1);
    }
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < NSIZES; i++) {
            if (i % 2 == 0) {
                lc_send(to, 10 + i, data + round, sizes[i]);
            } else {
                lc_send_ref(to, 10 + i, 1000 + (uint64_t)i, data + round,
                            sizes[i]);
            }
            lc_msg_free(lc_receive_tag(ACK, LC_INFINITY));
        }
    }
    lc_send(to, DONE, NULL, 0);
}

/* Run the exchange, with a tracer or without; returns what arrived. */
static const char *exchange(bool traced)
{
    got[0] = '\0';
    kt_init(NULL);
    if (traced) {
        lc_trace_set(silent, NULL);
    }
    static lc_pid to;
    to = lc_spawn(recorder, NULL);
    lc_spawn(sender, &to);
    ck_assert_int_eq(lc_run(), 0);
    lc_fini();
    return got;
}

START_TEST(the_fast_send_delivers_what_the_plain_send_does)
{
    char fast[sizeof got];
    snprintf(fast, sizeof fast, "%s", exchange(false));
    const char *plain = exchange(true);
    ck_assert_int_eq((int)strlen(plain) > 0, 1);
    assert_same_text(fast, plain, "fast and plain send");
}
END_TEST

/* --- Receiving ---------------------------------------------------------- */

/* What a query asks for, as the built-in matchers and as a predicate. */
struct query {
    enum lc_wait kind; /* WAIT_ANY, WAIT_TAG or WAIT_REF */
    int tag;
    uint64_t ref;
};

static bool query_matches(const struct lc_msg *m, const void *ctx)
{
    const struct query *q = ctx;
    switch (q->kind) {
        case WAIT_TAG:
            return m->tag == q->tag;
        case WAIT_REF:
            return m->ref == q->ref;
        default:
            return true;
    }
}

static bool by_predicate; /* which way the player receives */
static char taken[16384]; /* what it took, one word per receive */

static struct lc_msg *ask(const struct query *q, int64_t timeout)
{
    if (by_predicate) {
        return lc_receive_match(query_matches, q, timeout);
    }
    switch (q->kind) {
        case WAIT_TAG:
            return lc_receive_tag(q->tag, timeout);
        case WAIT_REF:
            return lc_receive_ref(q->ref, timeout);
        default:
            return lc_receive(timeout);
    }
}

static void note(const struct lc_msg *m)
{
    size_t n = strlen(taken);
    if (m == NULL) {
        snprintf(taken + n, sizeof taken - n, "- ");
    } else {
        int id;
        memcpy(&id, m->data, sizeof id);
        snprintf(taken + n, sizeof taken - n, "%d ", id);
    }
}

/* Each round the feeder sends a burst of messages, with tags 0-3 and refs
   among the player's last few, and ends with one that carries the newest
   ref: the player's blocking receive is sure to end. */
struct feed {
    uint64_t refs[4];
    uint64_t seed;
};

static void feeder(void *arg)
{
    (void)arg;
    int id = 0;
    for (;;) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        if (m->size != sizeof(struct feed)) {
            lc_msg_free(m);
            return;
        }
        struct feed f;
        memcpy(&f, m->data, sizeof f);
        lc_pid to = m->from;
        lc_msg_free(m);
        int n = (int)(next_rand(&f.seed) % 12);
        for (int i = 0; i < n; i++) {
            uint64_t r = next_rand(&f.seed);
            int tag = 100 + (int)(r % 4);
            uint64_t ref = (r >> 8) % 3 == 0 ? 0 : f.refs[(r >> 16) % 4];
            id++;
            lc_send_ref(to, tag, ref, &id, sizeof id);
            if ((r >> 24) % 3 == 0) {
                lc_yield(); /* let the player scan, wait and resume */
            }
        }
        id++;
        lc_send_ref(to, 104, f.refs[0], &id, sizeof id);
    }
}

static void player(void *arg)
{
    lc_pid feed_pid = *(lc_pid *)arg;
    uint64_t rng = 42;
    struct feed f = { .seed = 7 };
    for (int round = 0; round < 200; round++) {
        /* The newest ref marks the mailbox; older ones do not. */
        memmove(f.refs + 1, f.refs, 3 * sizeof f.refs[0]);
        f.refs[0] = lc_ref_make();
        f.seed = next_rand(&rng);
        lc_send(feed_pid, 0, &f, sizeof f);
        struct query q = { .kind = WAIT_REF, .ref = f.refs[0] };
        struct lc_msg *m = ask(&q, LC_INFINITY);
        note(m);
        lc_msg_free(m);
        for (int i = 0; i < 4; i++) {
            uint64_t r = next_rand(&rng);
            q.kind = (enum lc_wait)(r % 3);
            q.tag = 100 + (int)((r >> 8) % 5);
            q.ref = f.refs[(r >> 16) % 4];
            m = ask(&q, 0);
            note(m);
            lc_msg_free(m);
        }
    }
    lc_send(feed_pid, 1, NULL, 0);
}

static const char *play(bool predicate)
{
    by_predicate = predicate;
    taken[0] = '\0';
    kt_init(NULL);
    static lc_pid feed_pid;
    feed_pid = lc_spawn(feeder, NULL);
    lc_spawn(player, &feed_pid);
    ck_assert_int_eq(lc_run(), 0);
    lc_fini();
    return taken;
}

START_TEST(the_built_in_matchers_take_what_a_predicate_takes)
{
    static char fast[sizeof taken];
    snprintf(fast, sizeof fast, "%s", play(false));
    const char *plain = play(true);
    assert_same_text(fast, plain, "matchers and predicate");
    /* Both outcomes happened: receives that found nothing, and some that
       found a message. */
    ck_assert_ptr_nonnull(strstr(plain, "- "));
    ck_assert_int_gt((int)strlen(plain), 1000);
}
END_TEST

/* --- Hand-off ----------------------------------------------------------- */

static char trace[65536];

static void record(const struct lc_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->time > 0) {
        return; /* the far timer that turned the hand-off off */
    }
    char line[160];
    lc_event_format(line, sizeof line, ev);
    size_t n = strlen(trace);
    snprintf(trace + n, sizeof trace - n, "%s\n", line);
}

static void ring_member(void *arg)
{
    lc_pid next = *(lc_pid *)arg;
    for (;;) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        int hops;
        memcpy(&hops, m->data, sizeof hops);
        lc_msg_free(m);
        if (hops == 0) {
            return;
        }
        hops--;
        lc_send(next, 1, &hops, sizeof hops);
        if (hops % 7 == 0) {
            lc_yield();
        }
    }
}

static void short_lived(void *arg)
{
    lc_send((lc_pid)(uintptr_t)arg, 2, NULL, 0);
}

static void spawner(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20; i++) {
        lc_spawn(short_lived, (void *)(uintptr_t)lc_self());
        if (i % 3 == 0) {
            lc_msg_free(lc_receive_tag(2, LC_INFINITY));
        }
    }
    while (lc_receive_tag(2, 0) != NULL) {
    }
}

static void idle(void *arg)
{
    (void)arg;
    lc_msg_free(lc_receive(LC_INFINITY));
}

static void killer(void *arg)
{
    lc_kill(*(lc_pid *)arg, lc_reason(LC_A_KILLED));
}

/* A ring, processes that spawn others that end at once, and a kill of a
   waiting process: every way the CPU changes hands. */
static const char *workload(bool handoff)
{
    trace[0] = '\0';
    struct lc_config cfg = { .reductions = 1 };
    kt_init(&cfg);
    lc_trace_set(record, NULL);
    if (!handoff) {
        /* A pending timer, and a budget of one: handoff() says no. */
        lc_send_after(1000000, LC_NOPID, 0, NULL, 0);
    }
    static lc_pid ring[5], victim;
    for (int i = 0; i < 5; i++) {
        ring[i] = lc_spawn(ring_member, &ring[(i + 1) % 5]);
    }
    int hops = 60;
    lc_send(ring[0], 1, &hops, sizeof hops);
    lc_spawn(spawner, NULL);
    victim = lc_spawn(idle, NULL);
    lc_spawn(killer, &victim);
    ck_assert_int_eq(lc_run(), 4); /* the rest of the ring waits */
    lc_trace_set(NULL, NULL);      /* not the exits of lc_fini() */
    lc_fini();
    return trace;
}

START_TEST(a_hand_off_keeps_the_order_the_scheduler_would_give)
{
    static char direct[sizeof trace];
    snprintf(direct, sizeof direct, "%s", workload(true));
    const char *scheduled = workload(false);
    ck_assert_int_gt((int)strlen(scheduled), 2000);
    assert_same_text(direct, scheduled, "hand-off and scheduler");
}
END_TEST

/* --- The context switch ------------------------------------------------- */

#define CO_STACK (64 * 1024)

static struct lc_ctx main_ctx, co_ctx[2];
static uint64_t co_rng;
static int co_turns[2], co_wrong_rounding[2];
static uint64_t co_sum[2];

/* Switch with one switch or the other, at random. */
static void co_switch(struct lc_ctx *from, struct lc_ctx *to)
{
    if (next_rand(&co_rng) & 1) {
        lc__ctx_switch(from, to);
    } else {
        lc__ctx_switch_plain(from, to);
    }
}

/* 1/3 rounded by the running context's mode: above the nearest double
   rounding upward, equal to it to nearest, below it downward. */
static double one_third(void)
{
    volatile double one = 1.0;
    return one / 3.0;
}

/* Each coroutine keeps values live across switches (in the registers a
   switch must save, where the compiler can) and its own rounding mode (in
   MXCSR, which a switch must save too), and hands over to the other. */
static void co_body(int me)
{
    fesetround(me == 0 ? FE_UPWARD : FE_DOWNWARD);
    uint64_t a = 1 + (uint64_t)me, b = 3, c = 5, d = 7, e = 11;
    for (int i = 0; i < 1000; i++) {
        a = a * 6364136223846793005ull + b;
        b ^= a >> 7;
        c += b * d;
        d = d * 31 + e;
        e += a ^ c;
        bool up = one_third() > 0.3333333333333333;
        co_wrong_rounding[me] += up != (me == 0);
        co_turns[me]++;
        if (i < 999) {
            co_switch(&co_ctx[me], &co_ctx[1 - me]);
        }
    }
    co_sum[me] = a + b + c + d + e;
    fesetround(FE_TONEAREST); /* the x87 unit's mode is shared: reset it */
    co_switch(&co_ctx[me], &main_ctx);
}

static void co_entry0(void)
{
    co_body(0);
    lc_panic("coroutine 0 resumed after its end");
}

static void co_entry1(void)
{
    co_body(1);
    lc_panic("coroutine 1 resumed after its end");
}

/* What co_body() computes without any switch. */
static uint64_t expected_sum(int me)
{
    uint64_t a = 1 + (uint64_t)me, b = 3, c = 5, d = 7, e = 11;
    for (int i = 0; i < 1000; i++) {
        a = a * 6364136223846793005ull + b;
        b ^= a >> 7;
        c += b * d;
        d = d * 31 + e;
        e += a ^ c;
    }
    return a + b + c + d + e;
}

START_TEST(the_fast_and_the_plain_switch_resume_the_same_contexts)
{
#if defined(LC_ASAN)
    /* AddressSanitizer must hear of every stack switch; these bypass the
       kernel that tells it. The normal build runs this test. */
    return;
#endif
    size_t size = 2 * CO_STACK;
    char *mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(mem, MAP_FAILED);
    for (uint64_t seed = 1; seed <= 20; seed++) {
        co_rng = seed;
        memset(co_turns, 0, sizeof co_turns);
        memset(co_wrong_rounding, 0, sizeof co_wrong_rounding);
        memset(co_sum, 0, sizeof co_sum);
        lc__ctx_make(&co_ctx[0], mem, mem + CO_STACK, co_entry0);
        lc__ctx_make(&co_ctx[1], mem + CO_STACK, mem + size, co_entry1);
        co_switch(&main_ctx, &co_ctx[0]); /* back when 0 is done */
        co_switch(&main_ctx, &co_ctx[1]); /* back when 1 is done */
        ck_assert_msg(one_third() == 0.3333333333333333,
                      "the test's own rounding mode changed");
        ck_assert_int_eq(co_wrong_rounding[0] + co_wrong_rounding[1], 0);
        ck_assert_int_eq(co_turns[0], 1000);
        ck_assert_int_eq(co_turns[1], 1000);
        ck_assert_msg(co_sum[0] == expected_sum(0), "seed %d: coroutine 0",
                      (int)seed);
        ck_assert_msg(co_sum[1] == expected_sum(1), "seed %d: coroutine 1",
                      (int)seed);
    }
    munmap(mem, size);
}
END_TEST

Suite *equiv_suite(void)
{
    Suite *s = suite_create("equiv");
    TCase *tc = kt_tcase("fast_paths", 30);
    tcase_add_test(tc, the_fast_send_delivers_what_the_plain_send_does);
    tcase_add_test(tc, the_built_in_matchers_take_what_a_predicate_takes);
    tcase_add_test(tc, a_hand_off_keeps_the_order_the_scheduler_would_give);
    tcase_add_test(tc, the_fast_and_the_plain_switch_resume_the_same_contexts);
    suite_add_tcase(s, tc);
    return s;
}
