/*
 * check_timer.c - the clock and the timers (kernel/timer.c): the virtual
 * clock's jumps, lc_sleep(), lc_send_after() and lc_timer_cancel(), and the
 * order of timers that fall due together.
 *
 * Under the virtual clock a test that waits a million milliseconds takes no
 * time at all, so every assertion here can be about exact times.
 */
#include "ktest.h"

#include <string.h>

static struct {
    int64_t at[8];
    lc_pid from[8];
    int tag[8];
    char text[8][16];
    uint64_t tref[8];
    int rc[8];
    size_t len;
    int got;
} seen;

static void reset(void)
{
    memset(&seen, 0, sizeof seen);
}

/* --- The clock and sleep ------------------------------------------------ */

static void sleep_and_log(void *arg)
{
    int ms = (int)(intptr_t)arg;
    lc_sleep(ms);
    kt_say("%d@%lld ", ms, (long long)lc_now());
}

START_TEST(the_clock_starts_at_zero_and_jumps)
{
    kt_init(NULL);
    ck_assert_int_eq(lc_now(), 0);
    lc_spawn(sleep_and_log, (void *)(intptr_t)30);
    lc_spawn(sleep_and_log, (void *)(intptr_t)10);
    lc_spawn(sleep_and_log, (void *)(intptr_t)20);
    lc_spawn(sleep_and_log, (void *)(intptr_t)5000000);
    lc_run();
    ck_assert_str_eq(kt_said(), "10@10 20@20 30@30 5000000@5000000 ");
    ck_assert_int_eq(lc_now(), 5000000);
}
END_TEST

static void sleep_in_steps(void *arg)
{
    (void)arg;
    for (int i = 0; i < 4; i++) {
        lc_sleep(25);
        seen.at[i] = lc_now();
    }
}

START_TEST(sleeps_add_up)
{
    kt_init(NULL);
    lc_spawn(sleep_in_steps, NULL);
    lc_run();
    ck_assert_int_eq(seen.at[0], 25);
    ck_assert_int_eq(seen.at[3], 100);
}
END_TEST

static void tag_then(void *arg)
{
    kt_say("%s ", (const char *)arg);
}

static void sleep_zero(void *arg)
{
    (void)arg;
    kt_say("z1 ");
    lc_sleep(0);
    kt_say("z2 ");
    lc_sleep(-5);
    kt_say("z3 ");
}

START_TEST(sleep_zero_only_yields)
{
    kt_init(NULL);
    lc_spawn(sleep_zero, NULL);
    lc_spawn(tag_then, "other");
    lc_run();
    ck_assert_str_eq(kt_said(), "z1 other z2 z3 ");
    ck_assert_int_eq(lc_now(), 0);
}
END_TEST

static void sleep_with_mail(void *arg)
{
    (void)arg;
    lc_sleep(100);
    seen.at[0] = lc_now();
    seen.len = lc_mailbox_len();
}

static void mail_at_10(void *arg)
{
    lc_sleep(10);
    lc_send(*(lc_pid *)arg, 1, NULL, 0);
    lc_send(*(lc_pid *)arg, 2, NULL, 0);
}

START_TEST(messages_do_not_end_a_sleep)
{
    kt_init(NULL);
    static lc_pid s;
    s = lc_spawn(sleep_with_mail, NULL);
    lc_spawn(mail_at_10, &s);
    lc_run();
    ck_assert_int_eq(seen.at[0], 100);
    ck_assert_uint_eq(seen.len, 2);
}
END_TEST

/* --- Equal deadlines ---------------------------------------------------- */

static void sleep_ten_say_self(void *arg)
{
    (void)arg;
    lc_sleep(10);
    kt_say("%s ", kt_pid(lc_self()));
}

START_TEST(sleepers_with_one_deadline_wake_in_spawn_order)
{
    kt_init(NULL);
    for (int i = 0; i < 4; i++) {
        lc_spawn(sleep_ten_say_self, NULL);
    }
    lc_run();
    ck_assert_str_eq(kt_said(), "<0.1.0> <0.2.0> <0.3.0> <0.4.0> ");
}
END_TEST

static void receive_tags(void *arg)
{
    int n = (int)(intptr_t)arg;
    for (int i = 0; i < n; i++) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        kt_say("%d@%lld ", m->tag, (long long)lc_now());
        lc_msg_free(m);
    }
}

static void set_timers(void *arg)
{
    lc_pid to = *(lc_pid *)arg;
    lc_send_after(20, to, 3, NULL, 0);
    lc_send_after(10, to, 1, NULL, 0);
    lc_send_after(10, to, 2, NULL, 0);
    lc_send_after(20, to, 4, NULL, 0);
    lc_send_after(5, to, 0, NULL, 0);
}

START_TEST(send_after_orders_by_deadline_then_by_call)
{
    kt_init(NULL);
    static lc_pid r;
    r = lc_spawn(receive_tags, (void *)(intptr_t)5);
    lc_spawn(set_timers, &r);
    lc_run();
    ck_assert_str_eq(kt_said(), "0@5 1@10 2@10 3@20 4@20 ");
}
END_TEST

static lc_pid mixed_w;

static void timer_then_sleep(void *arg)
{
    (void)arg;
    lc_send_after(10, mixed_w, 1, NULL, 0);
    lc_sleep(10);
    kt_say("sleeper ");
}

static void wait_and_say(void *arg)
{
    (void)arg;
    lc_msg_free(lc_receive(LC_INFINITY));
    kt_say("receiver ");
}

/* Both timers fall due at 10; the one set first fires first, so its
   receiver is queued first. */
START_TEST(a_message_timer_and_a_sleep_due_together)
{
    kt_init(NULL);
    mixed_w = lc_spawn(wait_and_say, NULL);
    lc_spawn(timer_then_sleep, NULL);
    lc_run();
    ck_assert_str_eq(kt_said(), "receiver sleeper ");
}
END_TEST

/* --- send_after and cancel ---------------------------------------------- */

static void receive_one_record(void *arg)
{
    (void)arg;
    struct lc_msg *m = lc_receive(LC_INFINITY);
    seen.at[0] = lc_now();
    seen.from[0] = m->from;
    seen.tag[0] = m->tag;
    memcpy(seen.text[0], m->data, m->size < 16 ? m->size : 16);
    lc_msg_free(m);
}

static void send_later_from_process(void *arg)
{
    lc_pid to = *(lc_pid *)arg;
    lc_sleep(5);
    char buf[16] = "payload";
    seen.tref[0] = lc_send_after(40, to, 8, buf, 8);
    strcpy(buf, "changed");
}

START_TEST(send_after_delivers_a_copy_later)
{
    kt_init(NULL);
    static lc_pid r;
    r = lc_spawn(receive_one_record, NULL);
    lc_pid s = lc_spawn(send_later_from_process, &r);
    lc_run();
    ck_assert_uint_ne(seen.tref[0], 0);
    ck_assert_int_eq(seen.at[0], 45);
    ck_assert_uint_eq(seen.from[0], s); /* the caller, though it has ended */
    ck_assert_int_eq(seen.tag[0], 8);
    ck_assert_str_eq(seen.text[0], "payload");
}
END_TEST

START_TEST(send_after_from_outside)
{
    kt_init(NULL);
    lc_pid r = lc_spawn(receive_one_record, NULL);
    uint64_t t = lc_send_after(7, r, 2, "x", 2);
    ck_assert_uint_ne(t, 0);
    lc_run();
    ck_assert_int_eq(seen.at[0], 7);
    ck_assert_uint_eq(seen.from[0], LC_NOPID);
}
END_TEST

START_TEST(send_after_zero_is_now)
{
    kt_init(NULL);
    lc_pid r = lc_spawn(receive_tags, (void *)(intptr_t)2);
    lc_send_after(0, r, 1, NULL, 0);
    lc_send_after(-10, r, 2, NULL, 0);
    lc_run();
    ck_assert_str_eq(kt_said(), "1@0 2@0 ");
    ck_assert_int_eq(lc_now(), 0);
}
END_TEST

START_TEST(send_after_errors)
{
    kt_init(NULL);
    lc_pid r = lc_spawn(receive_tags, (void *)(intptr_t)1);
    ck_assert_uint_eq(lc_send_after(1, r, 1, NULL, 4), 0);
    static char big[(16u << 20) + 1];
    ck_assert_uint_eq(lc_send_after(1, r, 1, big, sizeof big), 0);
    ck_assert_uint_eq(lc_run(), 1); /* nothing was armed */
    ck_assert_int_eq(lc_now(), 0);
}
END_TEST

static void cancel_some(void *arg)
{
    lc_pid to = *(lc_pid *)arg;
    uint64_t a = lc_send_after(10, to, 1, NULL, 0);
    uint64_t b = lc_send_after(20, to, 2, NULL, 0);
    uint64_t c = lc_send_after(30, to, 3, "c", 2);
    seen.rc[0] = lc_timer_cancel(b);
    seen.rc[1] = lc_timer_cancel(b); /* already cancelled */
    seen.rc[2] = lc_timer_cancel(0);
    seen.rc[3] = lc_timer_cancel(c + 1000);
    lc_sleep(15);
    seen.rc[4] = lc_timer_cancel(a); /* already fired */
    seen.rc[5] = lc_timer_cancel(c);
    seen.tref[0] = a;
}

START_TEST(cancel_timer)
{
    kt_init(NULL);
    static lc_pid r;
    r = lc_spawn(receive_tags, (void *)(intptr_t)3);
    lc_spawn(cancel_some, &r);
    ck_assert_uint_eq(lc_run(), 1);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_int_eq(seen.rc[1], LC_ENOENT);
    ck_assert_int_eq(seen.rc[2], LC_ENOENT);
    ck_assert_int_eq(seen.rc[3], LC_ENOENT);
    ck_assert_int_eq(seen.rc[4], LC_ENOENT);
    ck_assert_int_eq(seen.rc[5], 0);
    ck_assert_str_eq(kt_said(), "1@10 ");
    ck_assert_int_eq(lc_now(), 15); /* cancelled timers move no clock */
}
END_TEST

static void die_at_5(void *arg)
{
    (void)arg;
    lc_sleep(5);
}

START_TEST(send_after_to_a_process_that_ended_is_dropped)
{
    kt_init(NULL);
    lc_pid d = lc_spawn(die_at_5, NULL);
    lc_send_after(50, d, 1, "lost", 5);
    lc_send_after(60, LC_NOPID, 1, "lost", 5);
    ck_assert_uint_eq(lc_run(), 0);
    ck_assert_int_eq(lc_now(), 60);
    lc_pid heir = lc_spawn(receive_one_record, NULL); /* d's entry */
    ck_assert_uint_eq((uint32_t)heir, (uint32_t)d);
    lc_send_after(10, d, 1, "lost", 5);
    ck_assert_uint_eq(lc_run(), 1);
    ck_assert_int_eq(seen.tag[0], 0); /* nothing arrived */
}
END_TEST

START_TEST(pending_timers_die_with_the_runtime)
{
    kt_init(NULL);
    lc_pid r = lc_spawn(receive_tags, (void *)(intptr_t)1);
    lc_send_after(1000, r, 1, "never", 6);
    lc_send_after(2000, r, 1, "never", 6);
    lc_run_until_idle();
    lc_fini(); /* frees them: LeakSanitizer checks under SAN=1 */
    ck_assert_str_eq(kt_said(), "");
}
END_TEST

/* --- Many timers -------------------------------------------------------- */

enum {
    NSLEEPERS = 2000,
    NTIMERS = 1000
};
static int64_t woke_at[NSLEEPERS];
static int wake_order[NSLEEPERS];
static int nwoken;
static uint64_t lcg = 12345;

static int next_rand(int n)
{
    lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
    return (int)((lcg >> 33) % (uint64_t)n);
}

static int deadline_of[NSLEEPERS];

static void sleeper(void *arg)
{
    int i = (int)(intptr_t)arg;
    lc_sleep(deadline_of[i]);
    woke_at[i] = lc_now();
    wake_order[nwoken++] = i;
}

static int timer_deadline[NTIMERS];
static bool cancelled[NTIMERS];
static int delivered[NTIMERS];
static int ndelivered;

static void collect_timers(void *arg)
{
    int n = (int)(intptr_t)arg;
    for (int k = 0; k < n; k++) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        int i;
        memcpy(&i, m->data, sizeof i);
        if (lc_now() != timer_deadline[i]) {
            i = -1 - i; /* late or early: recorded as wrong */
        }
        delivered[ndelivered++] = i;
        lc_msg_free(m);
    }
}

/* Thousands of sleeps and timers, some cancelled: each fires exactly at its
   deadline, in (deadline, order set) order. This exercises the heap. */
START_TEST(thousands_of_timers_fire_in_order)
{
    kt_init(NULL);
    nwoken = ndelivered = 0;
    for (int i = 0; i < NSLEEPERS; i++) {
        deadline_of[i] = 1 + next_rand(500);
        lc_spawn(sleeper, (void *)(intptr_t)i);
    }
    lc_run_until_idle(); /* every sleeper has armed its timer */
    static uint64_t tref[NTIMERS];
    int live = 0;
    for (int i = 0; i < NTIMERS; i++) {
        timer_deadline[i] = 1 + next_rand(500);
        cancelled[i] = next_rand(3) == 0;
        live += !cancelled[i];
    }
    lc_pid c = lc_spawn(collect_timers, (void *)(intptr_t)live);
    for (int i = 0; i < NTIMERS; i++) {
        tref[i] = lc_send_after(timer_deadline[i], c, 0, &i, sizeof i);
    }
    for (int i = 0; i < NTIMERS; i++) {
        if (cancelled[i]) {
            ck_assert_int_eq(lc_timer_cancel(tref[i]), 0);
        }
    }
    ck_assert_uint_eq(lc_run(), 0);

    ck_assert_int_eq(nwoken, NSLEEPERS);
    for (int k = 0; k < NSLEEPERS; k++) {
        int i = wake_order[k];
        ck_assert_int_eq(woke_at[i], deadline_of[i]);
        if (k > 0) {
            int j = wake_order[k - 1];
            ck_assert(deadline_of[j] < deadline_of[i] ||
                      (deadline_of[j] == deadline_of[i] && j < i));
        }
    }
    ck_assert_int_eq(ndelivered, live);
    for (int k = 0; k < ndelivered; k++) {
        int i = delivered[k];
        ck_assert_msg(i >= 0, "timer %d fired at the wrong time", -1 - i);
        ck_assert(!cancelled[i]);
        if (k > 0) {
            int j = delivered[k - 1];
            ck_assert(timer_deadline[j] < timer_deadline[i] ||
                      (timer_deadline[j] == timer_deadline[i] && j < i));
        }
    }
}
END_TEST

Suite *timer_suite(void)
{
    Suite *s = suite_create("timer");
    TCase *tc = kt_tcase("clock", 10);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_test(tc, the_clock_starts_at_zero_and_jumps);
    tcase_add_test(tc, sleeps_add_up);
    tcase_add_test(tc, sleep_zero_only_yields);
    tcase_add_test(tc, messages_do_not_end_a_sleep);
    suite_add_tcase(s, tc);

    tc = kt_tcase("ties", 10);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_test(tc, sleepers_with_one_deadline_wake_in_spawn_order);
    tcase_add_test(tc, send_after_orders_by_deadline_then_by_call);
    tcase_add_test(tc, a_message_timer_and_a_sleep_due_together);
    suite_add_tcase(s, tc);

    tc = kt_tcase("send_after", 10);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_test(tc, send_after_delivers_a_copy_later);
    tcase_add_test(tc, send_after_from_outside);
    tcase_add_test(tc, send_after_zero_is_now);
    tcase_add_test(tc, send_after_errors);
    tcase_add_test(tc, cancel_timer);
    tcase_add_test(tc, send_after_to_a_process_that_ended_is_dropped);
    tcase_add_test(tc, pending_timers_die_with_the_runtime);
    suite_add_tcase(s, tc);

    tc = kt_tcase("heap", 20);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_test(tc, thousands_of_timers_fire_in_order);
    suite_add_tcase(s, tc);
    return s;
}
