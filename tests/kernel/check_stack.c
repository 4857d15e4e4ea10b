/*
 * check_stack.c - process stacks (kernel/stack.c): many processes each with
 * a stack of its own, the size classes, the guard page below every stack,
 * the warm pool, and a million processes alive at once.
 *
 * The million-process test is the kit's promise to the course ("processes
 * are cheap: start a million"), so it checks more than that they start: each
 * one must answer a message, and the resident memory must stay near one page
 * per process.
 */
#include "ktest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- Many processes, each with its own stack ---------------------------- */

enum {
    MANY = 20000,
    WORDS = 512
};
static int intact_count;

static void keep_a_pattern(void *arg)
{
    uint32_t seed = (uint32_t)(uintptr_t)arg * 2654435761u;
    volatile uint32_t words[WORDS];
    for (int i = 0; i < WORDS; i++) {
        words[i] = seed + (uint32_t)i;
    }
    for (int t = 0; t < 3; t++) {
        lc_yield(); /* everybody else writes their own pattern meanwhile */
    }
    bool ok = true;
    for (int i = 0; i < WORDS; i++) {
        ok &= words[i] == seed + (uint32_t)i;
    }
    intact_count += ok;
}

START_TEST(every_process_has_its_own_stack)
{
    intact_count = 0;
    kt_init(NULL);
    for (int i = 0; i < MANY; i++) {
        ck_assert_uint_ne(lc_spawn(keep_a_pattern, (void *)(intptr_t)i),
                          LC_NOPID);
    }
    ck_assert_uint_eq(lc_proc_list(NULL, 0), MANY);
    ck_assert_uint_eq(lc_run(), 0);
    ck_assert_int_eq(intact_count, MANY);
    ck_assert_uint_eq(kt_abnormal_exits(), 0);
}
END_TEST

/* --- Sizes -------------------------------------------------------------- */

static const size_t asked[] = {
    1, /* below the minimum: the smallest class */
    LC_STACK_MIN,
    0 /* the default */,
    100000,
    1u << 20,
    8u << 20,
    LC_STACK_MAX,
};
static const size_t klass[] = {
    LC_STACK_MIN, LC_STACK_MIN, LC_STACK_SIZE, 128 * 1024,
    1u << 20,     8u << 20,     LC_STACK_MAX,
};

static struct {
    size_t stack_size;
    size_t touched_before, touched_after;
    int used;
} sz;

static void use_most_of_the_stack(void *arg)
{
    size_t n = (size_t)(uintptr_t)arg;
    struct lc_info in;
    lc_proc_info(lc_self(), &in);
    sz.stack_size = in.stack_size;
    sz.touched_before = in.stack_touched;
    volatile char use[n];
    memset((char *)use, 0x5a, n);
    lc_proc_info(lc_self(), &in);
    sz.touched_after = in.stack_touched;
    sz.used = use[0] + use[n - 1];
}

START_TEST(stack_sizes_come_in_classes)
{
    size_t want = klass[_i];
    size_t use = want - 12 * 1024; /* all but room for the calls above */
    memset(&sz, 0, sizeof sz);
    kt_init(NULL);
    struct lc_spawn_opts o = { .stack_size = asked[_i] };
    lc_pid p;
    ck_assert_int_eq(
            lc_spawn_opt(&p, use_most_of_the_stack, (void *)(uintptr_t)use, &o),
            0);
    lc_run();
    kt_assert_exit(p, LC_A_NORMAL);
    /* The PCB lives at the top of the slot, so a little less is usable. */
    ck_assert_msg(sz.stack_size <= want && sz.stack_size > want - 4096,
                  "asked %zu, class %zu: stack_size %zu", asked[_i], want,
                  sz.stack_size);
    ck_assert_int_eq(sz.used, 2 * 0x5a);
    ck_assert_uint_ge(sz.touched_after, use);
    ck_assert_uint_lt(sz.touched_before, sz.touched_after);
}
END_TEST

START_TEST(the_default_stack_size_is_configurable)
{
    struct lc_config cfg = { .stack_size = 256 * 1024 };
    kt_init(&cfg);
    lc_pid p = lc_spawn(use_most_of_the_stack, (void *)(uintptr_t)200000);
    lc_run();
    kt_assert_exit(p, LC_A_NORMAL);
    ck_assert_uint_gt(sz.stack_size, 256 * 1024 - 4096);
    ck_assert_uint_le(sz.stack_size, 256 * 1024);
}
END_TEST

/* --- Guard pages -------------------------------------------------------- */

static bool neighbour_ok;

static void neighbour(void *arg)
{
    (void)arg;
    volatile uint32_t words[256];
    for (int i = 0; i < 256; i++) {
        words[i] = 0xc0ffee00u + (uint32_t)i;
    }
    struct lc_msg *m = lc_receive(LC_INFINITY);
    bool ok = m->tag == 1;
    lc_msg_free(m);
    for (int i = 0; i < 256; i++) {
        ok &= words[i] == 0xc0ffee00u + (uint32_t)i;
    }
    neighbour_ok = ok;
}

static void overflow(void *arg)
{
    if (arg != NULL) {
        kt_big_frame();
    } else {
        kt_overflow_stack();
    }
}

/* The slot below an overflowing stack holds its neighbour's PCB: without a
   guard page the overflow would overwrite it. One variant overflows frame
   by frame, the other with a single frame far larger than the guard, which
   -fstack-clash-protection must make touch the guard instead of jumping
   over it. */
START_TEST(the_guard_page_stops_an_overflow_before_the_neighbour)
{
    neighbour_ok = false;
    kt_init(NULL);
    struct lc_spawn_opts o = { .stack_size = LC_STACK_MIN };
    lc_pid n, v;
    ck_assert_int_eq(lc_spawn_opt(&n, neighbour, NULL, &o), 0);
    ck_assert_int_eq(lc_spawn_opt(&v, overflow, (void *)(intptr_t)_i, &o), 0);
    lc_run_until_idle();
    ck_assert(lc_alive(n));
    lc_send(n, 1, NULL, 0);
    ck_assert_uint_eq(lc_run(), 0);
    kt_assert_exit(v, LC_A_STACK_OVERFLOW);
    kt_assert_exit(n, LC_A_NORMAL);
    ck_assert(neighbour_ok);
}
END_TEST

/* --- The warm pool ------------------------------------------------------ */

static int chain_left;

static void spawn_next(void *arg)
{
    (void)arg;
    char buf[2048];
    memset(buf, chain_left & 0xff, sizeof buf); /* dirty the stack */
    if (--chain_left > 0 && buf[0] == buf[sizeof buf - 1]) {
        lc_spawn(spawn_next, NULL);
    }
}

/* A hundred thousand processes one after another, each spawning the next:
   slots go back to the pool and come out again, dirty, many times. */
START_TEST(stacks_are_reused)
{
    enum {
        N = 100000
    };
    chain_left = N;
    kt_init(NULL);
    lc_spawn(spawn_next, NULL);
    ck_assert_uint_eq(lc_run(), 0);
    ck_assert_int_eq(chain_left, 0);
    ck_assert_uint_eq(kt_exits(), N);
    ck_assert_uint_eq(kt_abnormal_exits(), 0);
}
END_TEST

/* --- A million processes ------------------------------------------------ */

enum {
    MILLION = 1000000
};
static lc_pid million[MILLION];
static unsigned char answered[MILLION];
static int answers;
static lc_pid collector;

static void answer_once(void *arg)
{
    int me = (int)(intptr_t)arg;
    struct lc_msg *m = lc_receive(LC_INFINITY);
    int asked_of;
    memcpy(&asked_of, m->data, sizeof asked_of);
    lc_msg_free(m);
    if (asked_of == me) {
        lc_send(collector, 1, &me, sizeof me);
    }
}

static void collect(void *arg)
{
    (void)arg;
    for (int k = 0; k < MILLION; k++) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        int who;
        memcpy(&who, m->data, sizeof who);
        lc_msg_free(m);
        if (who >= 0 && who < MILLION && !answered[who]) {
            answered[who] = 1;
            answers++;
        }
    }
}

/* Resident memory per idle process that the test accepts. One page of
   stack, the PCB, a share of page tables: about 4.3 KB. AddressSanitizer
   adds its shadow of each stack and of the heap. */
#if defined(__SANITIZE_ADDRESS__)
#define MAX_BYTES_PER_PROC (16 * 1024)
#else
#define MAX_BYTES_PER_PROC (6 * 1024)
#endif

START_TEST(a_million_processes_alive_at_once)
{
    answers = 0;
    memset(answered, 0, sizeof answered);
    kt_init(NULL);
    size_t rss_before = kt_rss_kib();
    collector = lc_spawn(collect, NULL);
    for (int i = 0; i < MILLION; i++) {
        million[i] = lc_spawn(answer_once, (void *)(intptr_t)i);
        if (million[i] == LC_NOPID) {
            ck_abort_msg("spawn %d failed", i);
        }
    }
    ck_assert_uint_eq(lc_run_until_idle(), MILLION + 1);
    ck_assert_uint_eq(lc_proc_list(NULL, 0), MILLION + 1);
    size_t rss_alive = kt_rss_kib();
    struct lc_info in;
    ck_assert_int_eq(lc_proc_info(million[MILLION / 2], &in), 0);
    ck_assert_int_eq(in.state, LC_STATE_WAITING);

    for (int i = 0; i < MILLION; i++) {
        lc_send(million[i], 0, &i, sizeof i);
    }
    ck_assert_uint_eq(lc_run(), 0);
    ck_assert_int_eq(answers, MILLION);
    ck_assert_uint_eq(kt_abnormal_exits(), 0);

    double per_proc = (double)(rss_alive - rss_before) * 1024.0 / MILLION;
    const char *v = getenv("CK_VERBOSITY");
    if (v != NULL && strcmp(v, "verbose") == 0) {
        fprintf(stderr,
                "a million processes: %.0f bytes resident per process, "
                "%zu MiB with all alive, peak %zu MiB\n",
                per_proc, rss_alive / 1024, kt_peak_rss_kib() / 1024);
    }
    ck_assert_msg(per_proc <= MAX_BYTES_PER_PROC,
                  "%.0f bytes resident per idle process (at most %d)", per_proc,
                  MAX_BYTES_PER_PROC);
}
END_TEST

Suite *stack_suite(void)
{
    Suite *s = suite_create("stack");
    TCase *tc = kt_tcase("stacks", 30);
    tcase_add_test(tc, every_process_has_its_own_stack);
    tcase_add_loop_test(tc, stack_sizes_come_in_classes, 0,
                        (int)(sizeof asked / sizeof asked[0]));
    tcase_add_test(tc, the_default_stack_size_is_configurable);
    tcase_add_loop_test(
            tc, the_guard_page_stops_an_overflow_before_the_neighbour, 0, 2);
    tcase_add_test(tc, stacks_are_reused);
    suite_add_tcase(s, tc);

    tc = kt_tcase("million", 60);
    tcase_set_tags(tc, "slow"); /* CK_EXCLUDE_TAGS=slow skips it */
    tcase_add_test(tc, a_million_processes_alive_at_once);
    suite_add_tcase(s, tc);
    return s;
}
