/*
 * 03-monitors.c - graded tests of chapter 3: monitors and calls
 * (lc/otp/monitors.h).
 *
 * Each test runs a small system on the virtual clock: a driver process
 * makes monitors or calls, writes what it observed into 'seen', and the
 * test checks 'seen' after lc_run() has returned. The processes being
 * watched end through the kernel (lc_proc_exit, lc_kill), never through
 * the code under test, and the tests learn how a process ended from an
 * exit hook of their own, so that a test fails for the one rule it is
 * about.
 */
#include "harness.h"

#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"

enum {
    REQ = 5,
    REQ_STOP = 6,
    NOTE = 7,
    GO = 8
};

#define MAXM 8

static struct {
    uint64_t ref[4];               /* monitors made */
    int n;                         /* messages recorded */
    int tag[MAXM];                 /* their tags ... */
    uint64_t mref[MAXM];           /* ... their refs ... */
    struct lc_down_msg down[MAXM]; /* ... and DOWN payloads */
    int64_t at[MAXM];              /* ... and when they came */
    struct lc_reason why;          /* a caught exception's reason */
    int64_t t0, t1;                /* times */
    bool ok[8];                    /* yes/no observations */
    size_t count[4];               /* counts */
    char text[32];                 /* a reply's bytes */
    lc_pid pid[4];                 /* processes of interest */
    struct lc_reason why_dead;     /* call_dead: the first call's reason */
} seen;

static void reset(void)
{
    memset(&seen, 0, sizeof seen);
}

/* Record message 'm' (any tag) in seen, and free it. */
static void record(struct lc_msg *m)
{
    if (m == NULL || seen.n == MAXM) {
        lc_msg_free(m);
        return;
    }
    seen.tag[seen.n] = m->tag;
    seen.mref[seen.n] = m->ref;
    if (m->tag == LC_TAG_DOWN && m->size == sizeof(struct lc_down_msg)) {
        memcpy(&seen.down[seen.n], m->data, sizeof(struct lc_down_msg));
    }
    seen.at[seen.n] = lc_now();
    seen.n++;
    lc_msg_free(m);
}

/* Record every message that arrives within 'ms'. */
static void record_all(int64_t ms)
{
    struct lc_msg *m;
    while ((m = lc_receive(ms)) != NULL) {
        record(m);
    }
}

static bool is_down(int i, uint64_t ref)
{
    return seen.tag[i] == LC_TAG_DOWN && seen.mref[i] == ref &&
           seen.down[i].ref == ref;
}

/* --- Processes the tests watch ----------------------------------------- */

/* Lives 100 ms, then returns: ends `normal`. */
static void lives_100ms(void *arg)
{
    (void)arg;
    lc_sleep(100);
}

/* Lives 50 ms, then ends with the reason *arg. */
static void ends_with(void *arg)
{
    struct lc_reason r = *(const struct lc_reason *)arg;
    lc_sleep(50);
    lc_proc_exit(r);
}

/* Returns at once. */
static void short_lived(void *arg)
{
    (void)arg;
}

/* Waits for messages forever, and keeps them. */
static void hoarder(void *arg)
{
    (void)arg;
    for (;;) {
        lc_receive_tag(GO, LC_INFINITY);
    }
}

static struct lc_reason boom(void)
{
    return lc_reason_with(lc_atom_intern("boom"), lc_int(7));
}

static size_t count_monitor_edges(lc_pid from, lc_pid to);

/* --- DOWN messages -------------------------------------------------------- */

static void down_on_normal_exit(void *arg)
{
    (void)arg;
    seen.pid[0] = lc_spawn(lives_100ms, NULL);
    seen.ref[0] = lc_monitor(seen.pid[0]);
    record(lc_receive(1000));
    record_all(50);
}

GR_TEST(down_reports_normal_exit)
{
    reset();
    gr_run(down_on_normal_exit, NULL);
    ck_assert_msg(seen.ref[0] != 0, "lc_monitor() returned 0");
    ck_assert_msg(seen.n == 1, "%d message(s) came for one monitor", seen.n);
    ck_assert_msg(is_down(0, seen.ref[0]),
                  "the message is no DOWN of the "
                  "monitor (tag %d, ref %llu)",
                  seen.tag[0], (unsigned long long)seen.mref[0]);
    ck_assert_msg(seen.down[0].pid == seen.pid[0],
                  "the DOWN names the wrong process");
    ck_assert_msg(gr_reason_is(&seen.down[0].reason, LC_A_NORMAL),
                  "the DOWN says %s instead of normal",
                  gr_reason_str(&seen.down[0].reason));
    ck_assert_msg(seen.at[0] == 100,
                  "the DOWN came at %lld ms, the process "
                  "ended at 100 ms",
                  (long long)seen.at[0]);
}

static void down_with_reasons(void *arg)
{
    (void)arg;
    static struct lc_reason r;
    r = boom();
    lc_pid a = lc_spawn(ends_with, &r);
    lc_pid b = lc_spawn(hoarder, NULL);
    seen.ref[0] = lc_monitor(a);
    seen.ref[1] = lc_monitor(b);
    lc_sleep(70);
    lc_kill(b, lc_reason(LC_A_KILLED));
    record_all(50);
}

GR_TEST(down_carries_exit_reason)
{
    reset();
    gr_run(down_with_reasons, NULL);
    struct lc_reason want = boom();
    ck_assert_msg(seen.n == 2, "%d message(s) for two monitors", seen.n);
    ck_assert_msg(is_down(0, seen.ref[0]) && is_down(1, seen.ref[1]),
                  "the two DOWNs do not carry their monitors' refs");
    ck_assert_msg(lc_reason_eq(&seen.down[0].reason, &want),
                  "a process that ended with {boom, 7}: the DOWN says %s",
                  gr_reason_str(&seen.down[0].reason));
    ck_assert_msg(gr_reason_is(&seen.down[1].reason, LC_A_KILLED),
                  "a killed process: the DOWN says %s",
                  gr_reason_str(&seen.down[1].reason));
}

static void monitor_the_dead(void *arg)
{
    (void)arg;
    lc_pid gone = lc_spawn(short_lived, NULL);
    lc_sleep(10);
    seen.pid[0] = gone;
    seen.t0 = lc_now();
    seen.ref[0] = lc_monitor(gone);
    record(lc_receive_ref(seen.ref[0], 0)); /* there already */
    seen.ref[1] = lc_monitor(LC_NOPID);
    record(lc_receive_ref(seen.ref[1], 0));
    seen.t1 = lc_now();
    seen.count[0] = count_monitor_edges(lc_self(), gone);
}

GR_TEST(monitor_dead_process_gives_noproc_at_once)
{
    reset();
    gr_run(monitor_the_dead, NULL);
    ck_assert_msg(seen.ref[0] != 0 && seen.ref[1] != 0 &&
                          seen.ref[0] != seen.ref[1],
                  "monitors of dead processes need fresh refs too");
    ck_assert_msg(seen.n == 2,
                  "%d of 2 DOWNs were in the mailbox as soon "
                  "as lc_monitor() returned",
                  seen.n);
    ck_assert_msg(is_down(0, seen.ref[0]) && is_down(1, seen.ref[1]),
                  "the messages are not the DOWNs of the two monitors");
    ck_assert_msg(gr_reason_is(&seen.down[0].reason, LC_A_NOPROC),
                  "monitoring a dead process: the DOWN says %s, not noproc",
                  gr_reason_str(&seen.down[0].reason));
    ck_assert_msg(gr_reason_is(&seen.down[1].reason, LC_A_NOPROC),
                  "monitoring pid 0: the DOWN says %s, not noproc",
                  gr_reason_str(&seen.down[1].reason));
    ck_assert_msg(seen.down[0].pid == seen.pid[0],
                  "the noproc DOWN names the wrong process");
    gr_expect_int(seen.t1 - seen.t0, 0,
                  "ms between lc_monitor() of a dead pid and its noproc DOWN");
    ck_assert_msg(seen.count[0] == 0, "a monitor edge to a dead process");
}

/* --- One way, and never fatal -------------------------------------------- */

static void watch_then_crash(void *arg)
{
    lc_monitor(*(lc_pid *)arg);
    lc_sleep(20);
    lc_proc_exit(boom());
}

static void one_way(void *arg)
{
    (void)arg;
    static lc_pid target;
    target = lc_spawn(hoarder, NULL);
    lc_pid watcher = lc_spawn(watch_then_crash, &target);
    seen.ref[0] = lc_monitor(watcher);
    record(lc_receive_ref(seen.ref[0], 1000));
    lc_sleep(50);
    seen.ok[0] = lc_alive(target);
    struct lc_info in;
    if (lc_proc_info(target, &in) == 0) {
        seen.count[0] = in.mailbox_len;
    }
}

GR_TEST(monitor_is_one_way)
{
    reset();
    gr_run(one_way, NULL);
    struct lc_reason want = boom();
    ck_assert_msg(seen.n == 1 && is_down(0, seen.ref[0]) &&
                          lc_reason_eq(&seen.down[0].reason, &want),
                  "no DOWN {boom, 7} for the watcher that crashed");
    ck_assert_msg(seen.ok[0], "the watched process died when its watcher "
                              "crashed: a monitor is not a link");
    ck_assert_msg(seen.count[0] == 0,
                  "the watched process got %zu "
                  "message(s) when its watcher ended: only the watcher is "
                  "told",
                  seen.count[0]);
}

static void survive_down(void *arg)
{
    (void)arg;
    static struct lc_reason r;
    r = boom();
    lc_pid target = lc_spawn(ends_with, &r);
    seen.ref[0] = lc_monitor(target);
    lc_sleep(100); /* the DOWN waits in the mailbox meanwhile */
    seen.ok[0] = true;
    record(lc_receive_ref(seen.ref[0], 0));
    seen.ok[1] = lc_traps_exit(lc_self());
}

GR_TEST(down_never_kills_watcher)
{
    reset();
    struct lc_reason why = gr_run(survive_down, NULL);
    ck_assert_msg(seen.ok[0], "the watcher died when the watched process "
                              "crashed");
    ck_assert_msg(seen.n == 1 && is_down(0, seen.ref[0]),
                  "the DOWN was not waiting in the watcher's mailbox");
    ck_assert_msg(!seen.ok[1], "lc_monitor() must not make the watcher "
                               "trap exits");
    ck_assert_msg(gr_reason_is(&why, LC_A_NORMAL), "the watcher ended with %s",
                  gr_reason_str(&why));
}

/* --- Several monitors --------------------------------------------------- */

static void second_watcher(void *arg)
{
    lc_pid target = *(lc_pid *)arg;
    uint64_t ref = lc_monitor(target);
    struct lc_msg *m = lc_receive_ref(ref, 1000);
    if (m != NULL && m->tag == LC_TAG_DOWN) {
        lc_send(seen.pid[1], NOTE, m->data, m->size);
        seen.ref[2] = ref;
    }
    lc_msg_free(m);
}

static void several(void *arg)
{
    (void)arg;
    static struct lc_reason r;
    static lc_pid target;
    r = boom();
    seen.pid[1] = lc_self();
    target = lc_spawn(ends_with, &r);
    seen.ref[0] = lc_monitor(target);
    seen.ref[1] = lc_monitor(target);
    lc_spawn(second_watcher, &target);
    record_all(200);
}

GR_TEST(several_monitors_each_fire_once)
{
    reset();
    gr_run(several, NULL);
    ck_assert_msg(seen.ref[0] != 0 && seen.ref[0] != seen.ref[1],
                  "two monitors of the same process need two refs");
    int downs[2] = { 0, 0 }, notes = 0;
    for (int i = 0; i < seen.n; i++) {
        downs[0] += is_down(i, seen.ref[0]);
        downs[1] += is_down(i, seen.ref[1]);
        notes += seen.tag[i] == NOTE;
    }
    ck_assert_msg(downs[0] == 1 && downs[1] == 1,
                  "DOWNs per monitor: %d "
                  "and %d, each should fire once",
                  downs[0], downs[1]);
    ck_assert_msg(is_down(0, seen.ref[0]) && is_down(1, seen.ref[1]),
                  "the DOWNs must come in the order the monitors were made");
    ck_assert_msg(notes == 1 && seen.ref[2] != 0,
                  "the other watcher got no DOWN of its own");
    ck_assert_msg(seen.n == 3,
                  "%d messages: 2 DOWNs and the other "
                  "watcher's note were expected",
                  seen.n);
}

/* --- demonitor ---------------------------------------------------------- */

static void cancel(void *arg)
{
    (void)arg;
    lc_pid target = lc_spawn(lives_100ms, NULL);
    seen.ref[0] = lc_monitor(target);
    seen.ref[1] = lc_monitor(target);
    seen.ok[0] = lc_demonitor(seen.ref[0], 0);
    record_all(300);
}

GR_TEST(demonitor_cancels_only_that_monitor)
{
    reset();
    gr_run(cancel, NULL);
    ck_assert_msg(seen.ok[0], "lc_demonitor() returned false");
    ck_assert_msg(seen.n == 1,
                  "%d message(s): exactly one DOWN (of the "
                  "monitor that stayed) was expected",
                  seen.n);
    ck_assert_msg(is_down(0, seen.ref[1]), "the DOWN that came is not the "
                                           "one of the monitor that stayed");
}

static void keep_queued(void *arg)
{
    (void)arg;
    lc_pid target = lc_spawn(short_lived, NULL);
    seen.ref[0] = lc_monitor(target);
    lc_sleep(50); /* the DOWN is queued now */
    seen.ok[0] = lc_demonitor(seen.ref[0], 0);
    record_all(0);
}

GR_TEST(demonitor_leaves_queued_down)
{
    reset();
    gr_run(keep_queued, NULL);
    ck_assert_msg(seen.ok[0], "lc_demonitor() without flags must return "
                              "true");
    ck_assert_msg(seen.n == 1 && is_down(0, seen.ref[0]),
                  "a DOWN already in the mailbox must stay there unless "
                  "LC_DEMONITOR_FLUSH is given");
}

static void flush(void *arg)
{
    (void)arg;
    lc_send(lc_self(), 91, NULL, 0);
    lc_send(lc_self(), 92, NULL, 0);
    lc_pid a = lc_spawn(lives_100ms, NULL);
    lc_pid b = lc_spawn(short_lived, NULL);
    seen.ref[0] = lc_monitor(a);
    seen.ref[1] = lc_monitor(b);
    lc_sleep(200); /* b's DOWN comes first, then a's */
    lc_send(lc_self(), 93, NULL, 0);
    seen.ok[0] = lc_demonitor(seen.ref[0], LC_DEMONITOR_FLUSH);
    record_all(0);
}

GR_TEST(demonitor_flush_removes_down)
{
    reset();
    gr_run(flush, NULL);
    ck_assert_msg(seen.ok[0], "lc_demonitor(ref, FLUSH) must return true");
    ck_assert_msg(seen.n == 4,
                  "%d messages left: 91, 92, the other DOWN "
                  "and 93 were expected",
                  seen.n);
    gr_expect_int(seen.tag[0], 91,
                  "the first message left after the DOWN was taken (its tag)");
    gr_expect_int(seen.tag[1], 92,
                  "the second message left after the DOWN was taken (its tag)");
    ck_assert_msg(is_down(2, seen.ref[1]), "the DOWN of the other monitor "
                                           "must stay");
    gr_expect_int(seen.tag[3], 93,
                  "the fourth message left after the DOWN was taken (its tag)");
}

static void info(void *arg)
{
    (void)arg;
    lc_pid live = lc_spawn(hoarder, NULL);
    lc_pid dead = lc_spawn(short_lived, NULL);
    uint64_t active = lc_monitor(live);
    uint64_t fired = lc_monitor(dead);
    uint64_t fired2 = lc_monitor(dead);
    lc_sleep(10);
    seen.ok[0] = lc_demonitor(active, LC_DEMONITOR_INFO);
    seen.ok[1] = lc_demonitor(fired, LC_DEMONITOR_INFO);
    seen.ok[2] = lc_receive_ref(fired, 0) != NULL; /* still there */
    seen.ok[3] = lc_demonitor(fired2, LC_DEMONITOR_INFO | LC_DEMONITOR_FLUSH);
    seen.ok[4] = lc_receive_ref(fired2, 0) != NULL;       /* flushed */
    seen.ok[5] = lc_demonitor(active, LC_DEMONITOR_INFO); /* again */
    seen.ok[6] = lc_demonitor(fired, 0);
}

GR_TEST(demonitor_info_tells_if_active)
{
    reset();
    gr_run(info, NULL);
    ck_assert_msg(seen.ok[0], "INFO on an active monitor must return true");
    ck_assert_msg(!seen.ok[1], "INFO on a monitor that fired must return "
                               "false");
    ck_assert_msg(seen.ok[2], "INFO alone must not flush the DOWN");
    ck_assert_msg(!seen.ok[3], "FLUSH|INFO on a monitor that fired must "
                               "return false");
    ck_assert_msg(!seen.ok[4], "FLUSH|INFO must remove the DOWN");
    ck_assert_msg(!seen.ok[5], "INFO on a monitor already removed must "
                               "return false");
    ck_assert_msg(seen.ok[6], "without INFO, lc_demonitor() returns true");
}

/* --- Edges and bookkeeping ---------------------------------------------- */

struct edge_count {
    lc_pid from, to;
    size_t n, reverse;
};

static void count_edge(const struct lc_edge *e, void *ctx)
{
    struct edge_count *c = ctx;
    if (e->kind == LC_EDGE_MONITOR && e->from == c->from && e->to == c->to) {
        c->n++;
    }
    if (e->kind == LC_EDGE_MONITOR && e->from == c->to && e->to == c->from) {
        c->reverse++;
    }
}

/* Monitor edges from 'from' to 'to'; one the wrong way counts 100. */
static size_t count_monitor_edges(lc_pid from, lc_pid to)
{
    struct edge_count c = { from, to, 0, 0 };
    lc_edges(count_edge, &c);
    return c.n + 100 * c.reverse;
}

static void ignore_edge(const struct lc_edge *e, void *ctx)
{
    (void)e;
    (void)ctx;
}

static void edges(void *arg)
{
    (void)arg;
    lc_pid self = lc_self();
    lc_pid target = lc_spawn(hoarder, NULL);
    uint64_t r1 = lc_monitor(target);
    uint64_t r2 = lc_monitor(target);
    seen.count[0] = count_monitor_edges(self, target);
    lc_demonitor(r1, 0);
    seen.count[1] = count_monitor_edges(self, target);
    lc_demonitor(r2, 0);
    seen.count[2] = count_monitor_edges(self, target);
    seen.ref[0] = lc_monitor(target);
    lc_kill(target, lc_reason(LC_A_KILLED));
    record(lc_receive_ref(seen.ref[0], 100));
    seen.count[3] = lc_edges(ignore_edge, NULL);
}

GR_TEST(monitor_edges_in_edge_table)
{
    reset();
    gr_run(edges, NULL);
    ck_assert_msg(seen.count[0] == 1,
                  "two monitors of one process: %zu "
                  "edge(s) watcher->watched (100 = one the wrong way), "
                  "expected 1",
                  seen.count[0]);
    ck_assert_msg(seen.count[1] == 1,
                  "after removing one of two monitors "
                  "the edge must stay (found %zu)",
                  seen.count[1]);
    ck_assert_msg(seen.count[2] == 0,
                  "after removing both monitors %zu "
                  "edge(s) remain",
                  seen.count[2]);
    ck_assert_msg(seen.n == 1 && is_down(0, seen.ref[0]),
                  "no DOWN for the killed process");
    ck_assert_msg(seen.count[3] == 0,
                  "%zu edge(s) left after the watched "
                  "process died",
                  seen.count[3]);
}

static int downs_sent_to_dead;
static lc_pid dead_watcher;

static void count_downs(const struct lc_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind == LC_EV_SEND && ev->tag == LC_TAG_DOWN &&
        ev->other == dead_watcher && !lc_alive(dead_watcher)) {
        downs_sent_to_dead++;
    }
}

static void watch_and_leave(void *arg)
{
    lc_monitor(*(lc_pid *)arg);
    lc_monitor(*(lc_pid *)arg);
}

static void forgotten(void *arg)
{
    (void)arg;
    static lc_pid target;
    target = lc_spawn(lives_100ms, NULL);
    dead_watcher = lc_spawn(watch_and_leave, &target);
    seen.ref[0] = lc_monitor(target);
    record_all(300);
}

GR_TEST(dead_watcher_is_forgotten)
{
    reset();
    downs_sent_to_dead = 0;
    dead_watcher = LC_NOPID;
    lc_init(NULL);
    lc_trace_set(count_downs, NULL);
    gr_run(forgotten, NULL);
    ck_assert_msg(seen.n == 1 && is_down(0, seen.ref[0]),
                  "the live watcher got %d message(s), expected its DOWN",
                  seen.n);
    ck_assert_msg(downs_sent_to_dead == 0,
                  "%d DOWN(s) were sent to a watcher that had ended: its "
                  "monitors must be withdrawn when it ends",
                  downs_sent_to_dead);
}

/* --- Calls -------------------------------------------------------------- */

/* A server: REQ answers "re:" + the bytes; REQ_STOP answers, then ends. */
static void answering(void *arg)
{
    (void)arg;
    for (;;) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        char out[32];
        int n = snprintf(out, sizeof out, "re:%.*s", (int)m->size,
                         (const char *)m->data);
        if (m->tag == REQ || m->tag == REQ_STOP) {
            lc_reply(m, out, (size_t)n + 1);
        }
        int tag = m->tag;
        lc_msg_free(m);
        if (tag == REQ_STOP) {
            return;
        }
    }
}

/* Takes requests and never answers. */
static void silent(void *arg)
{
    (void)arg;
    for (;;) {
        lc_msg_free(lc_receive(LC_INFINITY));
    }
}

/* Takes one request, and 50 ms later ends with {boom, 7}. */
static void dies_in_call(void *arg)
{
    (void)arg;
    lc_msg_free(lc_receive(LC_INFINITY));
    lc_sleep(50);
    lc_proc_exit(boom());
}

static void call_ok(void *arg)
{
    (void)arg;
    lc_pid server = lc_spawn(answering, NULL);
    lc_send(lc_self(), 91, NULL, 0);
    struct lc_msg *r = lc_call(server, REQ, "hi", 2, 1000);
    if (r != NULL && r->tag == LC_TAG_REPLY) {
        snprintf(seen.text, sizeof seen.text, "%s", (const char *)r->data);
    }
    lc_msg_free(r);
    r = lc_call(server, REQ_STOP, "bye", 3, 1000); /* it ends right after */
    seen.ok[0] = r != NULL && r->tag == LC_TAG_REPLY;
    lc_msg_free(r);
    lc_sleep(10);
    seen.count[0] = count_monitor_edges(lc_self(), server);
    seen.ok[1] = !lc_alive(server);
    lc_send(lc_self(), 92, NULL, 0);
    record_all(0);
}

GR_TEST(call_returns_reply)
{
    reset();
    gr_run(call_ok, NULL);
    gr_expect_str(seen.text, "re:hi", "the reply lc_call(server, \"hi\") got");
    ck_assert_msg(seen.ok[0], "the second call got no reply");
    ck_assert_msg(seen.ok[1], "the server should have ended");
    ck_assert_msg(seen.n == 2 && seen.tag[0] == 91 && seen.tag[1] == 92,
                  "after the calls the mailbox held %d message(s) instead of "
                  "91 and 92 (a leftover DOWN or reply?)",
                  seen.n);
    ck_assert_msg(seen.count[0] == 0, "the call's monitor is still there "
                                      "after it returned");
}

/* Two callers at once: the server answers the second first. */
static void reverse_server(void *arg)
{
    (void)arg;
    struct lc_msg *a = lc_receive_tag(REQ, LC_INFINITY);
    struct lc_msg *b = lc_receive_tag(REQ, LC_INFINITY);
    lc_reply(b, b->data, b->size);
    lc_reply(a, a->data, a->size);
    lc_msg_free(a);
    lc_msg_free(b);
}

static void caller(void *arg)
{
    const char *word = arg;
    struct lc_msg *r = lc_call(seen.pid[0], REQ, word, strlen(word) + 1, 500);
    if (r != NULL && strcmp((const char *)r->data, word) == 0) {
        seen.count[0]++;
    }
    lc_msg_free(r);
}

static void two_callers(void *arg)
{
    (void)arg;
    seen.pid[0] = lc_spawn(reverse_server, NULL);
    lc_spawn(caller, "alpha");
    lc_spawn(caller, "omega");
}

GR_TEST(reply_reaches_its_caller)
{
    reset();
    gr_run(two_callers, NULL);
    ck_assert_msg(seen.count[0] == 2,
                  "%zu of 2 callers got their own "
                  "answer: lc_reply() answers req->from with req->ref",
                  seen.count[0]);
}

/* Call 'server' and catch the failure: record its reason and the time. */
static void try_call(lc_pid server, int64_t timeout)
{
    seen.t0 = lc_now();
    LC_TRY
    {
        lc_msg_free(lc_call(server, REQ, "x", 1, timeout));
        seen.ok[0] = true; /* returned: no failure */
    }
    LC_CATCH(LC_CLASS_EXIT, e)
    {
        seen.why = e->reason;
    }
    LC_END_TRY;
    seen.t1 = lc_now();
}

static void call_timeout(void *arg)
{
    (void)arg;
    lc_pid server = lc_spawn(silent, NULL);
    try_call(server, 250);
    seen.count[0] = count_monitor_edges(lc_self(), server);
    seen.count[1] = lc_mailbox_len();
}

GR_TEST(call_times_out)
{
    reset();
    gr_run(call_timeout, NULL);
    ck_assert_msg(!seen.ok[0], "lc_call() returned without a reply");
    ck_assert_msg(seen.why.kind == LC_A_TIMEOUT && seen.why.via == LC_A_CALL,
                  "the caller exited with %s, expected {timeout, {call}}",
                  gr_reason_str(&seen.why));
    ck_assert_msg(seen.t1 - seen.t0 == 250,
                  "the call gave up after %lld ms "
                  "instead of 250",
                  (long long)(seen.t1 - seen.t0));
    ck_assert_msg(seen.count[0] == 0, "the monitor of a call that timed out "
                                      "is still there");
    ck_assert_msg(seen.count[1] == 0,
                  "%zu message(s) left in the caller's "
                  "mailbox",
                  seen.count[1]);
}

static void call_dying(void *arg)
{
    (void)arg;
    try_call(lc_spawn(dies_in_call, NULL), 5000);
}

GR_TEST(call_exits_when_server_dies)
{
    reset();
    gr_run(call_dying, NULL);
    struct lc_reason want = boom();
    want.via = LC_A_CALL;
    ck_assert_msg(!seen.ok[0], "lc_call() returned without a reply");
    ck_assert_msg(lc_reason_eq(&seen.why, &want),
                  "the caller exited with "
                  "%s, expected {boom, 7} through the call ({{boom, 7}, "
                  "{call}})",
                  gr_reason_str(&seen.why));
    ck_assert_msg(seen.t1 - seen.t0 == 50,
                  "the call failed after %lld ms: "
                  "it must fail when the server dies (50 ms), not wait for "
                  "the timeout",
                  (long long)(seen.t1 - seen.t0));
}

static void call_dead(void *arg)
{
    (void)arg;
    lc_pid gone = lc_spawn(short_lived, NULL);
    lc_sleep(10);
    try_call(gone, 1000);
    seen.why_dead = seen.why;
    seen.count[0] = (size_t)(seen.t1 - seen.t0);
    seen.ok[1] = seen.ok[0];
    seen.ok[0] = false;
    try_call(LC_NOPID, 1000); /* what lc_whereis() gives for no name */
    seen.count[1] = lc_mailbox_len();
}

GR_TEST(call_to_dead_process_is_noproc)
{
    reset();
    gr_run(call_dead, NULL);
    ck_assert_msg(!seen.ok[1] && !seen.ok[0], "lc_call() returned for a "
                                              "process that does not exist");
    ck_assert_msg(seen.why_dead.kind == LC_A_NOPROC &&
                          seen.why_dead.via == LC_A_CALL,
                  "calling a dead pid: the caller exited with %s, expected "
                  "{noproc, {call}}",
                  gr_reason_str(&seen.why_dead));
    ck_assert_msg(seen.count[0] == 0,
                  "calling a dead pid failed after %zu "
                  "ms: it must fail at once",
                  seen.count[0]);
    ck_assert_msg(seen.why.kind == LC_A_NOPROC && seen.why.via == LC_A_CALL,
                  "calling pid 0: the caller exited with %s, expected "
                  "{noproc, {call}}",
                  gr_reason_str(&seen.why));
    gr_expect_int(seen.t1 - seen.t0, 0, "ms a call to pid 0 took to fail");
    ck_assert_msg(seen.count[1] == 0, "%zu message(s) left behind",
                  seen.count[1]);
}

static void call_myself(void *arg)
{
    (void)arg;
    try_call(lc_self(), 1000);
}

GR_TEST(call_to_self_fails)
{
    reset();
    gr_run(call_myself, NULL);
    ck_assert_msg(!seen.ok[0], "lc_call() to oneself returned");
    ck_assert_msg(seen.why.kind == LC_A_CALLING_SELF &&
                          seen.why.via == LC_A_CALL,
                  "the caller exited with %s, expected {calling_self, "
                  "{call}}",
                  gr_reason_str(&seen.why));
    ck_assert_msg(seen.t1 - seen.t0 == 0,
                  "calling oneself failed after "
                  "%lld ms: it must fail at once",
                  (long long)(seen.t1 - seen.t0));
}

static void plain_caller(void *arg)
{
    lc_msg_free(lc_call(*(lc_pid *)arg, REQ, "x", 1, 5000));
    seen.ok[0] = true; /* never reached */
}

static void exit_travels(void *arg)
{
    (void)arg;
    static lc_pid server;
    server = lc_spawn(dies_in_call, NULL);
    seen.pid[1] = lc_spawn(plain_caller, &server);
    seen.pid[2] = lc_spawn(hoarder, NULL); /* bystander */
    lc_sleep(200);
    seen.ok[1] = lc_alive(seen.pid[2]);
}

GR_TEST(call_failure_ends_caller)
{
    reset();
    gr_record_exits();
    gr_run(exit_travels, NULL);
    struct lc_reason want = boom();
    want.via = LC_A_CALL;
    ck_assert_msg(!seen.ok[0], "lc_call() returned though the server died");
    ck_assert_msg(lc_reason_eq(gr_end(seen.pid[1]), &want),
                  "the caller ended with "
                  "%s, expected {{boom, 7}, {call}}",
                  gr_reason_str(gr_end(seen.pid[1])));
    ck_assert_msg(seen.ok[1], "a process that made no call was hurt");
}
