/*
 * check_sched.c - the scheduler (kernel/sched.c, kernel/ctx*.c): FIFO
 * order, the reduction budget, yield, the chaos mode and its replay by seed,
 * and the three ways of running a system: lc_run(), lc_run_until_idle() and
 * lc_advance().
 *
 * Order is the point of most of these tests: a course whose tests never
 * flake needs a scheduler whose every decision can be predicted.
 */
#include "ktest.h"

#include <fenv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- FIFO --------------------------------------------------------------- */

static void three_turns(void *arg)
{
    for (int i = 1; i <= 3; i++) {
        kt_say("%s%d ", (const char *)arg, i);
        lc_yield();
    }
}

START_TEST(runnable_processes_take_turns_in_order)
{
    kt_init(NULL);
    lc_spawn(three_turns, "a");
    lc_spawn(three_turns, "b");
    lc_spawn(three_turns, "c");
    lc_run();
    ck_assert_str_eq(kt_said(), "a1 b1 c1 a2 b2 c2 a3 b3 c3 ");
}
END_TEST

static void say_arg(void *arg)
{
    kt_say("%s ", (const char *)arg);
}

static void spawn_then_yield(void *arg)
{
    (void)arg;
    kt_say("a1 ");
    lc_spawn(say_arg, "x");
    lc_yield();
    kt_say("a2 ");
}

START_TEST(a_new_process_joins_the_back_of_the_queue)
{
    kt_init(NULL);
    lc_spawn(spawn_then_yield, NULL);
    lc_spawn(say_arg, "b");
    lc_run();
    ck_assert_str_eq(kt_said(), "a1 b x a2 ");
}
END_TEST

static void wait_then_say(void *arg)
{
    lc_msg_free(lc_receive(LC_INFINITY));
    kt_say("%s ", (const char *)arg);
}

static lc_pid waiters[3];

static void wake_out_of_order(void *arg)
{
    (void)arg;
    lc_send(waiters[2], 0, NULL, 0);
    lc_send(waiters[0], 0, NULL, 0);
    lc_send(waiters[1], 0, NULL, 0);
    kt_say("sent ");
}

START_TEST(woken_processes_run_in_wake_order)
{
    kt_init(NULL);
    waiters[0] = lc_spawn(wait_then_say, "w0");
    waiters[1] = lc_spawn(wait_then_say, "w1");
    waiters[2] = lc_spawn(wait_then_say, "w2");
    lc_spawn(wake_out_of_order, NULL);
    lc_run();
    ck_assert_str_eq(kt_said(), "sent w2 w0 w1 ");
}
END_TEST

/* --- Reductions --------------------------------------------------------- */

static char turns[256];
static size_t nturns;

static void send_eight(void *arg)
{
    for (int i = 0; i < 8; i++) {
        lc_send(LC_NOPID, 0, NULL, 0); /* one reduction, dropped */
        if (nturns < sizeof turns - 1) {
            turns[nturns++] = *(const char *)arg;
        }
    }
}

START_TEST(a_turn_ends_after_the_budget)
{
    nturns = 0;
    struct lc_config cfg = { .reductions = 4 };
    kt_init(&cfg);
    lc_spawn(send_eight, "a");
    lc_spawn(send_eight, "b");
    lc_run();
    turns[nturns] = '\0';
    size_t longest = 0, run = 0, switches = 0;
    for (size_t i = 0; i < nturns; i++) {
        run = i > 0 && turns[i] == turns[i - 1] ? run + 1 : 1;
        switches += i > 0 && turns[i] != turns[i - 1];
        longest = run > longest ? run : longest;
    }
    ck_assert_uint_eq(nturns, 16);
    ck_assert_msg(longest <= 4,
                  "a process made %zu calls in one turn with a "
                  "budget of 4: %s",
                  longest, turns);
    ck_assert_msg(longest >= 3, "turns end too early: %s", turns);
    ck_assert_msg(switches >= 4, "too few turns: %s", turns);
}
END_TEST

static long a_sent;
static long a_sent_seen_by_b;
static uint64_t a_reds_seen_by_b;
static lc_pid proc_a;

static void send_many(void *arg)
{
    long n = (long)(intptr_t)arg;
    for (a_sent = 0; a_sent < n;) {
        lc_send(LC_NOPID, 0, NULL, 0);
        a_sent++;
    }
}

static void look_at_a(void *arg)
{
    (void)arg;
    a_sent_seen_by_b = a_sent;
    struct lc_info in;
    if (lc_proc_info(proc_a, &in) == 0) {
        a_reds_seen_by_b = in.reductions;
    }
}

START_TEST(default_budget_is_lc_reductions)
{
    kt_init(NULL);
    proc_a = lc_spawn(send_many, (void *)(intptr_t)(3 * LC_REDUCTIONS));
    lc_spawn(look_at_a, NULL);
    lc_run();
    ck_assert_int_eq(a_sent, 3 * LC_REDUCTIONS);
    ck_assert_msg(a_sent_seen_by_b >= LC_REDUCTIONS - 2 &&
                          a_sent_seen_by_b <= LC_REDUCTIONS,
                  "the first turn made %ld sends, not about %d",
                  a_sent_seen_by_b, LC_REDUCTIONS);
    ck_assert_uint_ge(a_reds_seen_by_b, (uint64_t)a_sent_seen_by_b);
}
END_TEST

static void spawn_ten(void *arg)
{
    (void)arg;
    for (int i = 0; i < 10; i++) {
        lc_spawn(say_arg, "c");
        kt_say("s ");
    }
}

START_TEST(spawn_costs_a_reduction)
{
    struct lc_config cfg = { .reductions = 3 };
    kt_init(&cfg);
    lc_spawn(spawn_ten, NULL);
    lc_run();
    const char *log = kt_said();
    const char *first_c = strstr(log, "c ");
    const char *last_s = strrchr(log, 's');
    ck_assert_ptr_nonnull(first_c);
    ck_assert_msg(first_c < last_s, "ten spawns in one turn of 3: %s", log);
    ck_assert_msg(strstr(log, "s s s s ") == NULL,
                  "four spawns in one turn of 3: %s", log);
}
END_TEST

static void busy(void *arg)
{
    (void)arg;
    volatile long n = 0;
    for (long i = 0; i < 1000000; i++) {
        n++;
    }
    kt_say("busy ");
}

START_TEST(code_without_kernel_calls_keeps_the_cpu)
{
    kt_init(NULL);
    lc_spawn(busy, NULL);
    lc_spawn(say_arg, "other");
    lc_run();
    ck_assert_str_eq(kt_said(), "busy other ");
}
END_TEST

static void yield_alone(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++) {
        lc_yield();
    }
    kt_say("done ");
}

START_TEST(yield_with_nobody_else_returns)
{
    kt_init(NULL);
    lc_spawn(yield_alone, NULL);
    lc_run();
    ck_assert_str_eq(kt_said(), "done ");
    ck_assert_int_eq(lc_now(), 0);
}
END_TEST

/* --- Chaos -------------------------------------------------------------- */

static char order[512];
static size_t norder;

static void steps(void *arg)
{
    for (int i = 0; i < 5; i++) {
        if (norder < sizeof order - 1) {
            order[norder++] = *(const char *)arg;
        }
        lc_yield();
    }
}

/* Run ten processes of five steps each and return the order of the steps. */
static const char *order_of(const struct lc_config *cfg, uint64_t *seed)
{
    static const char *const names = "abcdefghij";
    static char copy[8][512];
    static int k;
    norder = 0;
    kt_init(cfg);
    *seed = lc_seed();
    for (int i = 0; i < 10; i++) {
        lc_spawn(steps, (void *)&names[i]);
    }
    lc_run();
    lc_fini();
    order[norder] = '\0';
    k = (k + 1) % 8;
    strcpy(copy[k], order);
    return copy[k];
}

static const char *chaos_order(uint64_t seed)
{
    struct lc_config cfg = { .chaos = true, .seed = seed };
    uint64_t got;
    const char *o = order_of(&cfg, &got);
    ck_assert_uint_eq(got, seed ? seed : 1);
    return o;
}

START_TEST(chaos_replays_by_seed)
{
    uint64_t seed;
    const char *fifo = order_of(NULL, &seed);
    ck_assert_uint_eq(seed, 0); /* lc_seed() is 0 without chaos */
    const char *a = chaos_order(5);
    const char *b = chaos_order(5);
    const char *c = chaos_order(6);
    ck_assert_str_eq(a, b);
    ck_assert_str_ne(a, c);
    ck_assert_str_ne(a, fifo);
    ck_assert_uint_eq(strlen(a), 50);
    for (const char *n = "abcdefghij"; *n; n++) {
        int count = 0;
        for (const char *p = a; *p; p++) {
            count += *p == *n;
        }
        ck_assert_int_eq(count, 5); /* every step ran, once */
    }
    ck_assert_str_eq(chaos_order(0), chaos_order(1)); /* 0 means 1 */
}
END_TEST

START_TEST(lc_seed_in_the_environment_replays)
{
    const char *want = chaos_order(77);
    setenv("LC_SEED", "77", 1);
    uint64_t seed;
    const char *got = order_of(NULL, &seed);
    setenv("LC_SEED", "0x4d", 1); /* 77, in hexadecimal */
    struct lc_config off = { .chaos = false };
    uint64_t seed2;
    const char *got2 = order_of(&off, &seed2);
    unsetenv("LC_SEED");
    ck_assert_uint_eq(seed, 77);
    ck_assert_uint_eq(seed2, 77);
    ck_assert_str_eq(got, want);
    ck_assert_str_eq(got2, want);
}
END_TEST

enum {
    SENDERS = 3,
    PER_SENDER = 50
};
static int next_expected[SENDERS];
static int out_of_order;
static int received;

static void numbered_sender(void *arg)
{
    lc_pid to = *(lc_pid *)arg;
    int me = (int)(lc_self() & 0xffffffff);
    for (int i = 0; i < PER_SENDER; i++) {
        int msg[2] = { me, i };
        lc_send(to, 1, msg, sizeof msg);
        if (i % 7 == 0) {
            lc_yield();
        }
    }
}

static void ordered_receiver(void *arg)
{
    (void)arg;
    for (int i = 0; i < SENDERS * PER_SENDER; i++) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        int msg[2];
        memcpy(msg, m->data, sizeof msg);
        int s = msg[0] - 2; /* senders are slots 2, 3, 4 */
        if (s < 0 || s >= SENDERS || msg[1] != next_expected[s]) {
            out_of_order++;
        } else {
            next_expected[s]++;
        }
        received++;
        lc_msg_free(m);
        if (i % 5 == 0) {
            lc_yield();
        }
    }
}

START_TEST(chaos_keeps_each_senders_order)
{
    for (uint64_t seed = 1; seed <= 20; seed++) {
        memset(next_expected, 0, sizeof next_expected);
        out_of_order = received = 0;
        kt_init_chaos(seed);
        static lc_pid receiver;
        receiver = lc_spawn(ordered_receiver, NULL);
        for (int s = 0; s < SENDERS; s++) {
            lc_spawn(numbered_sender, &receiver);
        }
        lc_run();
        lc_fini();
        ck_assert_msg(out_of_order == 0 && received == SENDERS * PER_SENDER,
                      "seed %llu: %d of %d messages out of order",
                      (unsigned long long)seed, out_of_order, received);
    }
}
END_TEST

/* --- Running a system --------------------------------------------------- */

static void sleep_then_say(void *arg)
{
    int ms = (int)(intptr_t)arg;
    lc_sleep(ms);
    kt_say("%d@%lld ", ms, (long long)lc_now());
}

START_TEST(run_returns_the_processes_left_waiting)
{
    kt_init(NULL);
    lc_spawn(wait_then_say, "x");
    lc_spawn(say_arg, "y");
    lc_spawn(wait_then_say, "z");
    lc_spawn(sleep_then_say, (void *)(intptr_t)5);
    ck_assert_uint_eq(lc_run(), 2);
    ck_assert_str_eq(kt_said(), "y 5@5 ");
    ck_assert_int_eq(lc_now(), 5);
    ck_assert_uint_eq(lc_run(), 2); /* nothing more to do */
}
END_TEST

START_TEST(run_until_idle_leaves_the_clock_alone)
{
    kt_init(NULL);
    lc_spawn(sleep_then_say, (void *)(intptr_t)10);
    ck_assert_uint_eq(lc_run_until_idle(), 1);
    ck_assert_int_eq(lc_now(), 0);
    ck_assert_str_eq(kt_said(), "");
    lc_advance(9);
    ck_assert_int_eq(lc_now(), 9);
    ck_assert_str_eq(kt_said(), "");
    lc_advance(1);
    ck_assert_str_eq(kt_said(), "10@10 ");
    ck_assert_uint_eq(lc_run_until_idle(), 0);
}
END_TEST

START_TEST(advance_runs_what_falls_due_in_order)
{
    kt_init(NULL);
    lc_spawn(sleep_then_say, (void *)(intptr_t)15);
    lc_spawn(sleep_then_say, (void *)(intptr_t)5);
    lc_spawn(sleep_then_say, (void *)(intptr_t)10);
    lc_advance(12);
    ck_assert_str_eq(kt_said(), "5@5 10@10 ");
    ck_assert_int_eq(lc_now(), 12);
    lc_advance(-3); /* time never goes back */
    ck_assert_int_eq(lc_now(), 12);
    lc_advance(0);
    ck_assert_int_eq(lc_now(), 12);
    lc_advance(100);
    ck_assert_str_eq(kt_said(), "5@5 10@10 15@15 ");
    ck_assert_int_eq(lc_now(), 112);
}
END_TEST

START_TEST(run_jumps_the_virtual_clock)
{
    kt_init(NULL);
    lc_spawn(sleep_then_say, (void *)(intptr_t)1000000000);
    lc_run();
    ck_assert_str_eq(kt_said(), "1000000000@1000000000 ");
}
END_TEST

/* The real clock, briefly: the only test that lets real time pass. It
   asserts only what a monotonic clock guarantees. */
static int64_t real_before, real_after, real_timeout_at;
static bool real_timed_out;

static void real_sleeper(void *arg)
{
    (void)arg;
    real_before = lc_now();
    lc_sleep(3);
    real_after = lc_now();
    real_timed_out = lc_receive(2) == NULL;
    real_timeout_at = lc_now();
}

START_TEST(real_clock_sleeps_at_least)
{
    struct lc_config cfg = { .clock = LC_CLOCK_REAL };
    kt_init(&cfg);
    lc_spawn(real_sleeper, NULL);
    lc_run();
    ck_assert_int_ge(real_after - real_before, 3);
    ck_assert(real_timed_out);
    ck_assert_int_ge(real_timeout_at - real_after, 2);
}
END_TEST

/* --- Contexts ----------------------------------------------------------- */

static char printed[64];

static void print_float(void *arg)
{
    (void)arg;
    snprintf(printed, sizeof printed, "%.3f %g", 3.14159, 2.5e-3);
}

/* A first frame with the wrong alignment crashes in printf("%f"). */
START_TEST(a_new_process_can_print_floats)
{
    kt_init(NULL);
    lc_pid p = lc_spawn(print_float, NULL);
    lc_run();
    kt_assert_exit(p, LC_A_NORMAL);
    ck_assert_str_eq(printed, "3.142 0.0025");
}
END_TEST

static double quotient[4];

/* 1/3 computed now, in the current rounding mode (SSE: MXCSR). */
static double third(void)
{
    volatile double one = 1.0, three = 3.0;
    return one / three;
}

static void round_up_then_look(void *arg)
{
    (void)arg;
    fesetround(FE_UPWARD);
    quotient[0] = third();
    lc_yield();
    quotient[2] = third();
    fesetround(FE_TONEAREST);
}

static void look_at_rounding(void *arg)
{
    (void)arg;
    quotient[1] = third();
    lc_yield();
    quotient[3] = third();
}

/* The SSE control register (rounding, exception masks) belongs to each
   process: fesetround() in one must not change another's arithmetic. (The
   x87 control word is shared on purpose: see ctx_x86_64.S.) */
START_TEST(rounding_mode_is_per_process)
{
    double nearest = third();
    kt_init(NULL);
    lc_spawn(round_up_then_look, NULL);
    lc_spawn(look_at_rounding, NULL);
    lc_run();
    ck_assert_msg(quotient[0] > nearest, "FE_UPWARD had no effect");
    ck_assert_msg(quotient[1] == nearest, "a process started with another "
                                          "process's rounding mode");
    ck_assert_msg(quotient[2] > nearest, "a process lost its rounding mode "
                                         "across a switch");
    ck_assert_msg(quotient[3] == nearest, "a process got another process's "
                                          "rounding mode across a switch");
    ck_assert(third() == nearest); /* and the scheduler kept its own */
}
END_TEST

Suite *sched_suite(void)
{
    Suite *s = suite_create("sched");
    TCase *tc = kt_tcase("fifo", 10);
    tcase_add_test(tc, runnable_processes_take_turns_in_order);
    tcase_add_test(tc, a_new_process_joins_the_back_of_the_queue);
    tcase_add_test(tc, woken_processes_run_in_wake_order);
    suite_add_tcase(s, tc);

    tc = kt_tcase("reductions", 10);
    tcase_add_test(tc, a_turn_ends_after_the_budget);
    tcase_add_test(tc, default_budget_is_lc_reductions);
    tcase_add_test(tc, spawn_costs_a_reduction);
    tcase_add_test(tc, code_without_kernel_calls_keeps_the_cpu);
    tcase_add_test(tc, yield_with_nobody_else_returns);
    suite_add_tcase(s, tc);

    tc = kt_tcase("chaos", 20);
    tcase_add_test(tc, chaos_replays_by_seed);
    tcase_add_test(tc, lc_seed_in_the_environment_replays);
    tcase_add_test(tc, chaos_keeps_each_senders_order);
    suite_add_tcase(s, tc);

    tc = kt_tcase("running", 10);
    tcase_add_test(tc, run_returns_the_processes_left_waiting);
    tcase_add_test(tc, run_until_idle_leaves_the_clock_alone);
    tcase_add_test(tc, advance_runs_what_falls_due_in_order);
    tcase_add_test(tc, run_jumps_the_virtual_clock);
    tcase_add_test(tc, real_clock_sleeps_at_least);
    suite_add_tcase(s, tc);

    tc = kt_tcase("context", 10);
    tcase_add_test(tc, a_new_process_can_print_floats);
    tcase_add_test(tc, rounding_mode_is_per_process);
    suite_add_tcase(s, tc);
    return s;
}
