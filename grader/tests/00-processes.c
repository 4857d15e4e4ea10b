/*
 * 00-processes.c - graded tests of chapter 0, the warm-up (lc/systems/echo.h).
 *
 * Each test runs a small system on the virtual clock: a driver process
 * plays the client, writes what it observed into 'seen', and the test checks
 * 'seen' after lc_run() has returned.
 */
#include "harness.h"

#include <string.h>

#include "lc/systems/echo.h"

static struct {
    int n;
    char text[64];
    int64_t t0, t1;
    int64_t values[4];
    int tags[8];
    int ntags;
    size_t mailbox;
    struct lc_reason why;
    lc_pid pid;
} seen;

static void reset(void)
{
    memset(&seen, 0, sizeof seen);
}

/* Remember how process seen.pid ended. */
static void watch_exit(lc_pid pid, const struct lc_reason *why)
{
    if (pid == seen.pid && pid != LC_NOPID) {
        seen.why = *why;
        seen.pid = LC_NOPID;
    }
}

/* --- echo --------------------------------------------------------------- */

static void echo_once(void *arg)
{
    (void)arg;
    lc_pid server = lc_spawn(echo_server, NULL);
    seen.n = echo_call(server, "hello", 5, seen.text, sizeof seen.text, 1000);
    lc_send(server, ECHO_STOP, NULL, 0);
}

GR_TEST(echo_replies_with_same_bytes)
{
    reset();
    gr_run(echo_once, NULL);
    gr_expect_int(seen.n, 5,
                  "echo_call(server, \"hello\", 5 bytes) returned (the reply's "
                  "size)");
    gr_expect_str(seen.text, "hello",
                  "the reply echo_call(server, \"hello\") copied out");
}

static lc_pid shared_server;

static void echo_client(void *arg)
{
    const char *word = arg;
    char out[16] = { 0 };
    int n = echo_call(shared_server, word, strlen(word) + 1, out, sizeof out,
                      1000);
    if (n > 0 && strcmp(out, word) == 0) {
        seen.n++;
    }
}

static void two_clients(void *arg)
{
    (void)arg;
    shared_server = lc_spawn(echo_server, NULL);
    lc_spawn(echo_client, "alpha");
    lc_spawn(echo_client, "omega");
    lc_sleep(100);
    lc_send(shared_server, ECHO_STOP, NULL, 0);
}

GR_TEST(echo_answers_each_sender)
{
    reset();
    gr_run(two_clients, NULL);
    ck_assert_msg(seen.n == 2,
                  "%d of 2 clients got their own text back; the reply must "
                  "go to m->from",
                  seen.n);
}

static void noisy_mailbox(void *arg)
{
    (void)arg;
    lc_pid server = lc_spawn(echo_server, NULL);
    for (int i = 1; i <= 3; i++) {
        lc_send(lc_self(), 90 + i, NULL, 0); /* unrelated messages */
    }
    seen.n = echo_call(server, "x", 1, seen.text, sizeof seen.text, 1000);
    struct lc_msg *m;
    while ((m = lc_receive(0)) != NULL && seen.ntags < 8) {
        seen.tags[seen.ntags++] = m->tag;
        lc_msg_free(m);
    }
    lc_send(server, ECHO_STOP, NULL, 0);
}

GR_TEST(echo_call_leaves_other_messages)
{
    reset();
    gr_run(noisy_mailbox, NULL);
    gr_expect_int(
            seen.n, 1,
            "echo_call(server, \"x\") with 3 other messages waiting returned");
    ck_assert_msg(seen.ntags == 3,
                  "the caller's mailbox held %d of its 3 "
                  "other messages after the call",
                  seen.ntags);
    gr_expect_int(
            seen.tags[0], 91,
            "the first other message left in the caller's mailbox (its tag)");
    gr_expect_int(
            seen.tags[1], 92,
            "the second other message left in the caller's mailbox (its tag)");
    gr_expect_int(
            seen.tags[2], 93,
            "the third other message left in the caller's mailbox (its tag)");
}

static void black_hole(void *arg)
{
    (void)arg;
    for (;;) {
        lc_msg_free(lc_receive(LC_INFINITY));
    }
}

static void call_silent(void *arg)
{
    (void)arg;
    lc_pid hole = lc_spawn(black_hole, NULL);
    seen.t0 = lc_now();
    seen.n = echo_call(hole, "x", 1, seen.text, sizeof seen.text, 250);
    seen.t1 = lc_now();
    lc_kill(hole, lc_reason(LC_A_KILL));
}

GR_TEST(echo_call_times_out)
{
    reset();
    gr_run(call_silent, NULL);
    gr_expect_err(seen.n, LC_ETIMEDOUT,
                  "echo_call() to a process that never answers, timeout 250 "
                  "ms, returned");
    ck_assert_msg(seen.t1 - seen.t0 == 250,
                  "the call gave up after %lld ms instead of 250",
                  (long long)(seen.t1 - seen.t0));
}

static void call_dead(void *arg)
{
    (void)arg;
    lc_pid server = lc_spawn(echo_server, NULL);
    lc_send(server, ECHO_STOP, NULL, 0);
    lc_sleep(10); /* the server has stopped by now */
    seen.t0 = lc_now();
    seen.n = echo_call(server, "x", 1, seen.text, sizeof seen.text, 500);
    seen.t1 = lc_now();
}

GR_TEST(echo_call_to_dead_server_times_out)
{
    reset();
    gr_run(call_dead, NULL);
    gr_expect_err(seen.n, LC_ETIMEDOUT,
                  "echo_call() to a dead server, timeout 500 ms, returned");
    gr_expect_int(seen.t1 - seen.t0, 500,
                  "ms that echo_call() to a dead server with a 500 ms timeout "
                  "waited");
}

static void stop_server(void *arg)
{
    (void)arg;
    seen.pid = lc_spawn(echo_server, NULL);
    seen.n = echo_call(seen.pid, "x", 1, seen.text, sizeof seen.text, 100);
    lc_send(seen.pid, ECHO_STOP, NULL, 0);
}

GR_TEST(echo_stop_ends_server_normally)
{
    reset();
    lc_exit_hook_add(watch_exit);
    gr_run(stop_server, NULL);
    gr_expect_int(seen.n, 1, "echo_call() before ECHO_STOP returned");
    ck_assert_msg(seen.pid == LC_NOPID, "the server is still alive after "
                                        "ECHO_STOP");
    ck_assert_msg(gr_reason_is(&seen.why, LC_A_NORMAL),
                  "the server ended with %s instead of normal",
                  gr_reason_str(&seen.why));
}

static void unknown_tag(void *arg)
{
    (void)arg;
    lc_pid server = lc_spawn(echo_server, NULL);
    lc_send(server, 77, "junk", 4);
    seen.n = echo_call(server, "ok", 2, seen.text, sizeof seen.text, 100);
    struct lc_info in;
    if (lc_proc_info(server, &in) == 0) {
        seen.mailbox = in.mailbox_len;
    }
    seen.ntags = (int)lc_mailbox_len();
    lc_send(server, ECHO_STOP, NULL, 0);
}

GR_TEST(echo_drops_unknown_messages)
{
    reset();
    gr_run(unknown_tag, NULL);
    gr_expect_int(seen.n, 2,
                  "echo_call(server, \"ok\") after a message of an unknown tag "
                  "returned");
    gr_expect_str(seen.text, "ok",
                  "the reply to echo_call(server, \"ok\") after a message of "
                  "an unknown tag");
    ck_assert_msg(seen.mailbox == 0,
                  "the server kept %zu unknown "
                  "message(s) in its mailbox",
                  seen.mailbox);
    ck_assert_msg(seen.ntags == 0,
                  "the client got %d unexpected "
                  "message(s)",
                  seen.ntags);
}

/* --- counters ----------------------------------------------------------- */

static void two_counters(void *arg)
{
    (void)arg;
    int64_t ten = 10, hundred = 100;
    lc_pid a = lc_spawn(counter_server, &ten);
    lc_pid b = lc_spawn(counter_server, &hundred);
    counter_add(a, 5);
    counter_add(a, -2);
    seen.n = counter_get(a, &seen.values[0], 100);
    seen.n |= counter_get(b, &seen.values[1], 100);
    lc_kill(a, lc_reason(LC_A_KILL));
    lc_kill(b, lc_reason(LC_A_KILL));
}

GR_TEST(counters_keep_their_own_state)
{
    reset();
    gr_run(two_counters, NULL);
    gr_expect_err(seen.n, 0, "counter_get() of counter a returned");
    ck_assert_msg(seen.values[0] == 13, "counter a (10, +5, -2) reads %lld",
                  (long long)seen.values[0]);
    ck_assert_msg(seen.values[1] == 100,
                  "counter b (100, untouched) reads "
                  "%lld",
                  (long long)seen.values[1]);
}

static void counter_after_caller_changes(void *arg)
{
    (void)arg;
    int64_t start = 7;
    lc_pid c = lc_spawn(counter_server, &start);
    int64_t first;
    /* Once it has answered, the counter has read its argument, under any
       schedule (a yield would not say so when turns are shuffled). */
    counter_get(c, &first, 100);
    start = 1000; /* our copy, not the counter's */
    counter_add(c, 1);
    seen.n = counter_get(c, &seen.values[0], 100);
    lc_kill(c, lc_reason(LC_A_KILL));
}

GR_TEST(counter_state_is_private)
{
    reset();
    gr_run(counter_after_caller_changes, NULL);
    gr_expect_err(
            seen.n, 0,
            "counter_get() after the caller changed its own copy returned");
    ck_assert_msg(seen.values[0] == 8,
                  "the counter reads %lld: it must keep "
                  "its state in its own variable, not in the caller's",
                  (long long)seen.values[0]);
}

/* --- ping-pong ---------------------------------------------------------- */

static int pings, pongs;

static void count_messages(const struct lc_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind == LC_EV_SEND && ev->tag == PING) {
        pings++;
    } else if (ev->kind == LC_EV_SEND && ev->tag == PONG) {
        pongs++;
    }
}

static void play(void *arg)
{
    int rounds = *(int *)arg;
    if (pingpong_start(lc_self(), rounds) == LC_NOPID) {
        return;
    }
    struct lc_msg *m = lc_receive_tag(PINGPONG_DONE, 1000);
    if (m != NULL) {
        memcpy(&seen.n, m->data, sizeof seen.n);
        lc_msg_free(m);
    }
}

GR_TEST(pingpong_plays_all_rounds)
{
    reset();
    pings = pongs = 0;
    int rounds = 1000;
    lc_init(NULL);
    lc_trace_set(count_messages, NULL);
    gr_run(play, &rounds);
    gr_expect_int(seen.n, 1000, "PING messages the server got for 1000 rounds");
    ck_assert_msg(pongs == 1000, "%d PONG messages for 1000 rounds", pongs);
    ck_assert_msg(pings == 1001,
                  "%d PING messages: 1000 rounds and one to "
                  "stop",
                  pings);
}

GR_TEST(pingpong_players_end)
{
    reset();
    int rounds = 3;
    gr_run(play, &rounds);
    gr_expect_int(seen.n, 3, "rounds the players played (3 asked)");
    size_t alive = lc_proc_list(NULL, 0);
    ck_assert_msg(alive == 0, "%zu process(es) still alive after the game",
                  alive);
}

/* --- selective receive -------------------------------------------------- */

static void urgent_order(void *arg)
{
    (void)arg;
    lc_send(lc_self(), MSG_NORMAL, "a", 1);
    lc_send(lc_self(), MSG_NORMAL, "b", 1);
    lc_send(lc_self(), MSG_URGENT, "c", 1);
    lc_send(lc_self(), MSG_NORMAL, "d", 1);
    lc_send(lc_self(), MSG_URGENT, "e", 1);
    struct lc_msg *m;
    while (seen.n < 5 && (m = receive_urgent_first(0)) != NULL) {
        seen.text[seen.n++] = (char)m->data[0];
        lc_msg_free(m);
    }
}

GR_TEST(urgent_messages_first)
{
    reset();
    gr_run(urgent_order, NULL);
    gr_expect_str(seen.text, "ceabd",
                  "the order receive_urgent_first() took a, b, c (urgent), d, "
                  "e (urgent) in");
}

static void late_sender(void *arg)
{
    lc_pid to = *(lc_pid *)arg;
    lc_sleep(300);
    lc_send(to, MSG_NORMAL, "z", 1);
}

static void urgent_wait(void *arg)
{
    (void)arg;
    static lc_pid me;
    me = lc_self();
    seen.t0 = lc_now();
    struct lc_msg *m = receive_urgent_first(100);
    seen.values[0] = m == NULL;
    lc_msg_free(m);
    seen.t1 = lc_now();
    lc_spawn(late_sender, &me);
    m = receive_urgent_first(1000);
    if (m != NULL) {
        seen.text[0] = (char)m->data[0];
        seen.values[1] = lc_now();
    }
    lc_msg_free(m);
}

GR_TEST(urgent_receive_waits_and_times_out)
{
    reset();
    gr_run(urgent_wait, NULL);
    ck_assert_msg(seen.values[0] == 1, "an empty mailbox must give NULL");
    gr_expect_int(seen.t1 - seen.t0, 100,
                  "ms receive_urgent_first(100) waited on an empty mailbox");
    gr_expect_str(seen.text, "z",
                  "the message receive_urgent_first() took when \"z\" arrived");
    gr_expect_int(seen.values[1], 400,
                  "the time (ms) at which the late message was taken");
}
