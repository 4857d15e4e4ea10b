/*
 * 06-supervision-trees.c - graded tests of chapter 6: supervision trees --
 * one_for_all and rest_for_one, restart types, the shutdown protocol, nested
 * supervisors, terminate_child, restart_child and delete_child
 * (lc/otp/supervisor.h).
 *
 * Every test drives one kind of child, a generic server (sup_tests.h)
 * whose init and terminate write into a log ("init a", "term a shutdown",
 * with the time), and whose start function does what the test asks through
 * ctl[]: count its calls, fail, raise or ignore. A driver process plays the
 * supervisor's parent; the test asserts after the run, on the log, on what
 * the driver saw, and on how processes ended as the harness recorded it
 * (gr_end), never as the code under test reports it. The log closes when
 * the driver returns: what follows is the teardown of its links.
 *
 * Everything runs on the virtual clock: "four crashes within five seconds"
 * take microseconds, and a restart at 5.95 s is exactly that. The tests
 * whose names end in _under_any_schedule run their scenario under 60
 * seeds of the chaos scheduler and want the same outcome every time.
 *
 * Each test says above it which plausible wrong implementation it catches;
 * its rubric line names the rule of OTP it holds (S1..S12 of the kit's
 * OTP reference) and the chapter's section to re-read.
 */
#include "harness.h"
#include "sup_tests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/names.h"
#include "lc/otp/supervisor.h"

/* The log from entry 'from' on, with each time relative to t0, as
   "term c shutdown @0, term b shutdown @100". */
static const char *timed_log(int from, int64_t t0)
{
    static char buf[1024];
    buf[0] = '\0';
    size_t len = 0;
    for (int i = from; i < nevents && len < sizeof buf - 64; i++) {
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s @%lld",
                                i > from ? ", " : "", events[i].text,
                                (long long)(events[i].t - t0));
    }
    return buf;
}

/* --- one_for_all and rest_for_one ------------------------------------------
 */

static void strategy_run(enum lc_strategy st, const char *victim)
{
    struct lc_child_spec c[] = { CHILD("a", .trap = true),
                                 CHILD("b", .trap = true),
                                 CHILD("c", .trap = true),
                                 CHILD("d", .trap = true) };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(st, 3, 5, c, N(c), &sup);
    for (int i = 0; i < 4; i++) {
        seen.pid[i] = ctl[i].pid;
    }
    seen.mark[0] = nevents;
    kill_child(pid_of(sup, victim));
    seen.n[0] = kids(sup, seen.kids[0]);
    for (int i = 0; i < 4; i++) {
        seen.ok[i] = ctl[i].pid != seen.pid[i] && lc_alive(ctl[i].pid);
    }
    seen.ok[4] = lc_alive(sup);
}

static void one_for_all(void *arg)
{
    (void)arg;
    strategy_run(LC_ONE_FOR_ALL, "b");
}

/* Wrong: the siblings are stopped in start order, or all at once, or the
   failed child is restarted before the others are stopped; the restart is
   in another order. */
GR_TEST(one_for_all_stops_all_in_reverse_restarts_in_order)
{
    reset();
    run(one_for_all, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_str_eq(log_from(seen.mark[0]),
                     "term d shutdown, term c shutdown, term a shutdown, "
                     "init a, init b, init c, init d");
    ck_assert_msg(seen.ok[0] && seen.ok[1] && seen.ok[2] && seen.ok[3],
                  "every child must run under a new pid");
    ck_assert_str_eq(ids_str(seen.kids[0], seen.n[0]), "d c b a");
    ck_assert_msg(seen.ok[4], "the supervisor died");
}

static void rest_for_one(void *arg)
{
    (void)arg;
    strategy_run(LC_REST_FOR_ONE, "b");
}

/* Wrong: the children before the failed one are stopped too, or the ones
   after it are not; the order is wrong. */
GR_TEST(rest_for_one_stops_later_children_only)
{
    reset();
    run(rest_for_one, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_str_eq(log_from(seen.mark[0]),
                     "term d shutdown, term c shutdown, init b, init c, "
                     "init d");
    ck_assert_msg(!seen.ok[0] && ctl[0].starts == 1,
                  "a, started before b, must be left alone");
    ck_assert_msg(seen.ok[1] && seen.ok[2] && seen.ok[3],
                  "b, c and d must run under new pids");
    ck_assert_str_eq(ids_str(seen.kids[0], seen.n[0]), "d c b a");
}

static void rest_for_one_last(void *arg)
{
    (void)arg;
    strategy_run(LC_REST_FOR_ONE, "d");
}

/* Wrong: "the rest" counted from the wrong end (the children before it). */
GR_TEST(rest_for_one_last_child_restarts_alone)
{
    reset();
    run(rest_for_one_last, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_str_eq(log_from(seen.mark[0]), "init d");
    ck_assert_msg(ctl[0].starts == 1 && ctl[1].starts == 1 &&
                          ctl[2].starts == 1 && ctl[3].starts == 2,
                  "only d must be restarted");
}

/* Wrong: a temporary sibling stopped by one_for_all is restarted with the
   others (or kept as a spec). */
static void ofa_temporary(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a", .trap = true),
                                 CHILD("b", .trap = true),
                                 CHILD("c", .trap = true) };
    c[1].restart = LC_TEMPORARY;
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ALL, 3, 5, c, N(c), &sup);
    seen.mark[0] = nevents;
    kill_child(pid_of(sup, "c"));
    seen.n[0] = kids(sup, seen.kids[0]);
}

GR_TEST(one_for_all_drops_temporary_siblings)
{
    reset();
    run(ofa_temporary, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_str_eq(log_from(seen.mark[0]),
                     "term b shutdown, term a shutdown, init a, init c");
    ck_assert_str_eq(ids_str(seen.kids[0], seen.n[0]), "c a");
}

/* Wrong: the EXITs of the siblings the supervisor stopped itself are taken
   for crashes (restarted again, or counted against the intensity). */
static void group_counts_once(void *arg)
{
    enum lc_strategy st = *(enum lc_strategy *)arg;
    lc_trap_exit(true);
    struct lc_child_spec c[] = { CHILD("a", .trap = true), CHILD("b"),
                                 CHILD("c", .trap = true) };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(st, 1, 5, c, N(c), &sup);
    kill_child(pid_of(sup, "a"));
    lc_sleep(100);
    seen.ok[0] = lc_alive(sup);
    seen.n[0] = kids(sup, seen.kids[0]);
    seen.ok[1] = seen.n[0] == 3 && seen.kids[0][0].pid != LC_NOPID &&
                 seen.kids[0][1].pid != LC_NOPID &&
                 seen.kids[0][2].pid != LC_NOPID;
}

GR_TEST(group_restart_uses_one_restart)
{
    static const char *names[] = { "one_for_all", "rest_for_one" };
    enum lc_strategy sts[] = { LC_ONE_FOR_ALL, LC_REST_FOR_ONE };
    for (int i = 0; i < 2; i++) {
        reset();
        run(group_counts_once, &sts[i]);
        ck_assert_int_eq(seen.rc[0], 0);
        ck_assert_msg(seen.ok[0],
                      "%s with max_restarts 1: one crash "
                      "killed the supervisor; the siblings it stopped "
                      "itself are not crashes",
                      names[i]);
        ck_assert_msg(ctl[0].starts == 2 && ctl[1].starts == 2 &&
                              ctl[2].starts == 2 && seen.ok[1],
                      "%s: starts a %d b %d c %d, expected 2 each", names[i],
                      ctl[0].starts, ctl[1].starts, ctl[2].starts);
        lc_fini();
    }
}

/* Wrong: a group restart starts again only the siblings that were running
   when the crash came. OTP stops the group and then starts every child of
   it that is not temporary, in start order: one that ended cleanly
   (transient) and one stopped by terminate_child come back too. */
static void group_stopped_siblings(void *arg)
{
    enum lc_strategy st = *(enum lc_strategy *)arg;
    struct lc_child_spec c[] = { CHILD("a", .trap = true),
                                 CHILD("b", .trap = true),
                                 CHILD("c", .trap = true),
                                 CHILD("d", .trap = true) };
    c[2].restart = LC_TRANSIENT;
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(st, 3, 5, c, N(c), &sup);
    seen.mark[0] = nevents;
    stop_child(ctl[2].pid, lc_reason(LC_A_NORMAL));
    seen.rc[1] = lc_sup_terminate_child(sup, "d");
    seen.mark[1] = nevents;
    kill_child(ctl[1].pid);
    seen.n[0] = kids(sup, seen.kids[0]);
    seen.ok[0] = seen.n[0] == 4;
    for (size_t i = 0; i < seen.n[0] && i < 4; i++) {
        seen.ok[0] = seen.ok[0] && seen.kids[0][i].pid != LC_NOPID;
    }
}

GR_TEST(group_restart_starts_stopped_siblings)
{
    static const char *names[] = { "one_for_all", "rest_for_one" };
    static const char *want[] = { "term a shutdown, init a, init b, init c, "
                                  "init d",
                                  "init b, init c, init d" };
    enum lc_strategy sts[] = { LC_ONE_FOR_ALL, LC_REST_FOR_ONE };
    for (int i = 0; i < 2; i++) {
        reset();
        run(group_stopped_siblings, &sts[i]);
        ck_assert_int_eq(seen.rc[0], 0);
        ck_assert_int_eq(seen.rc[1], 0);
        ck_assert_msg(seen.mark[1] == seen.mark[0] + 2 &&
                              strcmp(events[seen.mark[0]].text,
                                     "term c normal") == 0 &&
                              strcmp(events[seen.mark[0] + 1].text,
                                     "term d shutdown") == 0,
                      "%s: c's clean end and d's terminate_child must "
                      "stop them and nothing else (log: %s)",
                      names[i], log_from(seen.mark[0]));
        ck_assert_msg(strcmp(log_from(seen.mark[1]), want[i]) == 0,
                      "%s, c ended normal (transient), d stopped by "
                      "terminate_child, then b killed: got \"%s\", "
                      "expected \"%s\"",
                      names[i], log_from(seen.mark[1]), want[i]);
        ck_assert_msg(seen.ok[0],
                      "%s: every child must run after the group restart "
                      "(listed: %s)",
                      names[i], ids_str(seen.kids[0], seen.n[0]));
        lc_fini();
    }
}

/* Wrong: the strategy is applied before the restart type is asked, so a
   transient child's clean end or a temporary child's crash stops and
   restarts its siblings under one_for_all. A child that needs no restart
   restarts nobody. */
static void group_clean_end(void *arg)
{
    enum lc_restart r = *(enum lc_restart *)arg;
    struct lc_child_spec c[] = { CHILD("a", .trap = true),
                                 CHILD("b", .trap = true),
                                 CHILD("c", .trap = true) };
    c[1].restart = r;
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ALL, 3, 5, c, N(c), &sup);
    seen.mark[0] = nevents;
    if (r == LC_TRANSIENT) {
        stop_child(ctl[1].pid, lc_reason(LC_A_NORMAL));
    } else {
        kill_child(ctl[1].pid);
    }
    seen.n[0] = kids(sup, seen.kids[0]);
}

GR_TEST(group_strategy_spares_siblings_of_a_clean_end)
{
    enum lc_restart rs[] = { LC_TRANSIENT, LC_TEMPORARY };
    static const char *want_log[] = { "term b normal", "" };
    static const char *want_ids[] = { "c b a", "c a" };
    for (int i = 0; i < 2; i++) {
        reset();
        run(group_clean_end, &rs[i]);
        ck_assert_int_eq(seen.rc[0], 0);
        ck_assert_msg(strcmp(log_from(seen.mark[0]), want_log[i]) == 0,
                      "one_for_all, %s b %s: got \"%s\", expected \"%s\"",
                      i == 0 ? "transient" : "temporary",
                      i == 0 ? "ended normal" : "killed",
                      log_from(seen.mark[0]), want_log[i]);
        ck_assert_msg(ctl[0].starts == 1 && ctl[1].starts == 1 &&
                              ctl[2].starts == 1,
                      "no child may be started again (starts a %d b %d "
                      "c %d)",
                      ctl[0].starts, ctl[1].starts, ctl[2].starts);
        ck_assert_str_eq(ids_str(seen.kids[0], seen.n[0]), want_ids[i]);
        lc_fini();
    }
}

/* --- Restart types -----------------------------------------------------------
 */

/* Wrong: transient restarted on normal or {shutdown, _} (only `normal`
   checked), a clean exit counted against the intensity (1 here: with d's
   restart that would make 2), or transient never restarted. */
static void transient_clean(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    struct lc_child_spec c[] = { CHILD("a"), CHILD("b"), CHILD("c"),
                                 CHILD("d") };
    for (int i = 0; i < 4; i++) {
        c[i].restart = LC_TRANSIENT;
    }
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 1, 5, c, N(c), &sup);
    seen.pid[2] = ctl[2].pid;
    stop_child(ctl[0].pid, lc_reason(LC_A_NORMAL));
    stop_child(ctl[1].pid, lc_reason(LC_A_SHUTDOWN));
    stop_child(ctl[2].pid, reason2("shutdown", 1));
    stop_child(ctl[3].pid, reason2("boom", 1));
    lc_sleep(10);
    seen.ok[0] = lc_alive(sup);
    seen.n[0] = kids(sup, seen.kids[0]);
    seen.counts[0] = lc_sup_count_children(sup);
}

GR_TEST(transient_not_restarted_after_clean_exit)
{
    reset();
    run(transient_clean, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(reason_is(gr_end(seen.pid[2]), reason2("shutdown", 1)),
                  "c ended with %s", gr_reason_str(gr_end(seen.pid[2])));
    ck_assert_msg(ctl[0].starts == 1, "a transient child that ended normal "
                                      "was restarted");
    ck_assert_msg(ctl[1].starts == 1, "a transient child that ended "
                                      "shutdown was restarted");
    ck_assert_msg(ctl[2].starts == 1, "a transient child that ended "
                                      "{shutdown, 1} was restarted");
    ck_assert_msg(ctl[3].starts == 2, "a transient child that ended "
                                      "{boom, 1} was not restarted");
    ck_assert_msg(seen.ok[0], "clean exits of transient children used "
                              "restart intensity (max_restarts 1, one "
                              "restart)");
    ck_assert_msg(seen.n[0] == 4 && seen.kids[0][0].pid != LC_NOPID &&
                          seen.kids[0][1].pid == LC_NOPID &&
                          seen.kids[0][2].pid == LC_NOPID &&
                          seen.kids[0][3].pid == LC_NOPID,
                  "the ended transient children must keep their specs, "
                  "with no pid (listed: %s)",
                  ids_str(seen.kids[0], seen.n[0]));
    ck_assert_msg(seen.counts[0].specs == 4 && seen.counts[0].active == 1,
                  "count_children: specs %zu active %zu, expected 4 and 1",
                  seen.counts[0].specs, seen.counts[0].active);
}

/* Wrong: transient never restarted (treated as temporary), or `killed` or
   {boom, 1} taken as clean. */
static void transient_crash(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a"), CHILD("b") };
    c[0].restart = LC_TRANSIENT;
    c[1].restart = LC_TRANSIENT;
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    stop_child(ctl[0].pid, reason2("boom", 1));
    kill_child(ctl[1].pid);
    seen.pid[0] = pid_of(sup, "a");
    seen.pid[1] = pid_of(sup, "b");
}

GR_TEST(transient_restarted_after_crash)
{
    reset();
    run(transient_crash, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(ctl[0].starts == 2 && seen.pid[0] != LC_NOPID,
                  "a transient child that ended {boom, 1} must be restarted");
    ck_assert_msg(ctl[1].starts == 2 && seen.pid[1] != LC_NOPID,
                  "a transient child that was killed must be restarted");
}

/* Wrong: temporary restarted, its spec kept (listed with no pid), or its
   end counted against the intensity. */
static void temporary_end(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a"), CHILD("b"), CHILD("c") };
    c[0].restart = LC_TEMPORARY;
    c[1].restart = LC_TEMPORARY;
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 0, 5, c, N(c), &sup);
    kill_child(ctl[0].pid);
    stop_child(ctl[1].pid, lc_reason(LC_A_NORMAL));
    seen.ok[0] = lc_alive(sup);
    seen.n[0] = kids(sup, seen.kids[0]);
    seen.rc[1] = lc_sup_restart_child(sup, "a", NULL, NULL);
    seen.rc[2] = lc_sup_delete_child(sup, "b");
    seen.counts[0] = lc_sup_count_children(sup);
}

GR_TEST(temporary_never_restarted_and_forgotten)
{
    reset();
    run(temporary_end, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(ctl[0].starts == 1 && ctl[1].starts == 1,
                  "a temporary child was restarted");
    ck_assert_msg(seen.ok[0], "the end of a temporary child used restart "
                              "intensity (max_restarts 0)");
    ck_assert_str_eq(ids_str(seen.kids[0], seen.n[0]), "c");
    ck_assert_msg(seen.rc[1] == LC_ENOENT && seen.rc[2] == LC_ENOENT,
                  "restart_child and delete_child of an ended temporary "
                  "child gave %s and %s, expected LC_ENOENT",
                  lc_err_name(seen.rc[1]), lc_err_name(seen.rc[2]));
    ck_assert_msg(seen.counts[0].specs == 1, "count_children: specs %zu",
                  seen.counts[0].specs);
}

/* --- The shutdown protocol
 * ----------------------------------------------------
 */

/* terminate_child of one worker 'a' with the given shutdown, trapping,
   whose terminate takes term_sleep ms; how long the call took. */
static void shut_one(int64_t shutdown, bool trap, int64_t term_sleep)
{
    struct lc_child_spec c[] = { CHILD("a", .trap = trap,
                                       .term_sleep = term_sleep) };
    c[0].shutdown = shutdown;
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 0, 5, c, N(c), &sup);
    seen.pid[0] = ctl[0].pid;
    seen.t[0] = lc_now();
    seen.rc[1] = lc_sup_terminate_child(sup, "a");
    seen.t[1] = lc_now() - seen.t[0];
    seen.ok[0] = !lc_alive(seen.pid[0]);
    lc_sleep(100);
    seen.ok[1] = lc_alive(sup) && pid_of(sup, "a") == LC_NOPID;
}

static void brutal(void *arg)
{
    (void)arg;
    shut_one(LC_SHUTDOWN_BRUTAL_KILL, true, 0);
}

/* Wrong: brutal_kill sends `shutdown` (terminate runs), or the supervisor
   does not wait for the child to be gone. */
GR_TEST(brutal_kill_kills_without_terminate)
{
    reset();
    run(brutal, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.rc[1] == 0, "terminate_child returned %s",
                  lc_err_name(seen.rc[1]));
    ck_assert_msg(seen.ok[0], "the child was alive when terminate_child "
                              "returned");
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_KILLED),
                  "the child ended with %s, expected killed",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_str_eq(log_from(0), "init a");
    ck_assert_msg(seen.ok[1], "the killed child was restarted (or the "
                              "supervisor died)");
}

static void timeout_kill(void *arg)
{
    (void)arg;
    shut_one(200, true, 10000);
}

/* Wrong: the timeout is not enforced (waits for terminate), or the child
   is killed at once without `shutdown` first. */
GR_TEST(shutdown_timeout_escalates_to_kill)
{
    reset();
    run(timeout_kill, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_str_eq(log_from(0), "init a, term a shutdown");
    ck_assert_msg(seen.t[1] == 200,
                  "terminate_child took %lld ms; the "
                  "child's shutdown is 200 ms",
                  (long long)seen.t[1]);
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_KILLED),
                  "the child ended with %s, expected killed after the "
                  "timeout",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_msg(seen.ok[1], "the killed child was restarted (or the "
                              "supervisor died)");
}

static void timeout_in_time(void *arg)
{
    (void)arg;
    shut_one(500, true, 100);
}

/* Wrong: the supervisor always waits the whole timeout (a sleep instead of
   a receive with a timeout), or kills anyway. */
GR_TEST(shutdown_timeout_ends_when_child_does)
{
    reset();
    run(timeout_in_time, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.t[1] == 100,
                  "terminate_child took %lld ms; the "
                  "child was gone after 100",
                  (long long)seen.t[1]);
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_SHUTDOWN),
                  "the child ended with %s, expected shutdown",
                  gr_reason_str(gr_end(seen.pid[0])));
}

static void infinity_wait(void *arg)
{
    (void)arg;
    shut_one(LC_INFINITY, true, 30000);
}

/* Wrong: infinity taken as a number (or as the default 5000). */
GR_TEST(shutdown_infinity_waits)
{
    reset();
    run(infinity_wait, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.t[1] == 30000,
                  "terminate_child took %lld ms; the "
                  "child's terminate took 30000 and its shutdown is "
                  "infinity",
                  (long long)seen.t[1]);
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_SHUTDOWN),
                  "the child ended with %s, expected shutdown",
                  gr_reason_str(gr_end(seen.pid[0])));
}

static void default_worker(void *arg)
{
    (void)arg;
    shut_one(LC_SHUTDOWN_DEFAULT, true, 10000);
}

/* Wrong: the default worker shutdown is not 5000 ms (0, infinity, or
   brutal_kill). */
GR_TEST(worker_default_shutdown_is_5000)
{
    reset();
    run(default_worker, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.t[1] == 5000,
                  "terminate_child took %lld ms: a "
                  "worker's default shutdown is 5000 ms",
                  (long long)seen.t[1]);
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_KILLED),
                  "the child ended with %s, expected killed",
                  gr_reason_str(gr_end(seen.pid[0])));
}

/* Wrong: the supervisor calls terminate itself, or a non-trapping child's
   terminate runs (the shutdown signal is sent as a message). */
static void trap_or_not(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a", .trap = true), CHILD("b") };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.pid[0] = ctl[0].pid;
    seen.pid[1] = ctl[1].pid;
    seen.mark[0] = nevents;
    seen.rc[1] = lc_sup_terminate_child(sup, "b");
    seen.rc[2] = lc_sup_terminate_child(sup, "a");
}

GR_TEST(terminate_runs_only_in_trapping_children)
{
    reset();
    run(trap_or_not, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.rc[1] == 0 && seen.rc[2] == 0,
                  "terminate_child returned %s, %s", lc_err_name(seen.rc[1]),
                  lc_err_name(seen.rc[2]));
    ck_assert_str_eq(log_from(seen.mark[0]), "term a shutdown");
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_SHUTDOWN) &&
                          gr_reason_is(gr_end(seen.pid[1]), LC_A_SHUTDOWN),
                  "the children ended with %s and %s, expected shutdown",
                  gr_reason_str(gr_end(seen.pid[0])),
                  gr_reason_str(gr_end(seen.pid[1])));
}

/* Wrong: the EXIT of a child the supervisor stopped is not flushed, so it
   is handled as a crash: restarted, or counted (max_restarts 0 here). */
static void shutdown_not_crash(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a"), CHILD("b", .trap = true) };
    c[1].shutdown = LC_SHUTDOWN_BRUTAL_KILL;
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 0, 5, c, N(c), &sup);
    seen.rc[1] = lc_sup_terminate_child(sup, "a");
    seen.rc[2] = lc_sup_terminate_child(sup, "b");
    lc_sleep(100);
    seen.ok[0] = lc_alive(sup);
    seen.n[0] = kids(sup, seen.kids[0]);
    seen.n[1] = lc_mailbox_len();
}

GR_TEST(shutdown_exit_is_not_a_crash)
{
    reset();
    run(shutdown_not_crash, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.rc[1] == 0 && seen.rc[2] == 0,
                  "terminate_child returned %s, %s", lc_err_name(seen.rc[1]),
                  lc_err_name(seen.rc[2]));
    ck_assert_msg(seen.ok[0], "stopping children with terminate_child "
                              "killed a supervisor with max_restarts 0: "
                              "their EXITs were taken for crashes");
    ck_assert_msg(ctl[0].starts == 1 && ctl[1].starts == 1,
                  "a child stopped by terminate_child was restarted");
    ck_assert_msg(seen.n[0] == 2 && seen.kids[0][0].pid == LC_NOPID &&
                          seen.kids[0][1].pid == LC_NOPID,
                  "the stopped children must stay listed with no pid");
}

/* --- Trees
 * ---------------------------------------------------------------------
 */

static const struct wcfg
        cfg_x = { .label = 'e', .trap = true, .term_sleep = 100 },
        cfg_y = { .label = 'f', .trap = true, .term_sleep = 100 },
        cfg_slow = { .label = 'g', .trap = true, .term_sleep = 8000 },
        cfg_w = { .label = 'h' };

static const struct lc_child_spec sub_children[] = {
    { .id = "e", .start = w_start, .arg = &cfg_x, .arg_size = sizeof cfg_x },
    { .id = "f", .start = w_start, .arg = &cfg_y, .arg_size = sizeof cfg_y },
};
static const struct lc_sup_spec sub_spec = {
    .flags = { .strategy = LC_ONE_FOR_ONE },
    .children = sub_children,
    .nchildren = 2,
};

/* Wrong: children of a tree stopped in parallel (all exit signals sent
   first), or in start order, or the subtree not waited for. */
static void tree_stop(void *arg)
{
    (void)arg;
    lc_trap_exit(true); /* the supervisor exits `shutdown` */
    struct lc_child_spec c[] = {
        CHILD("a", .trap = true, .term_sleep = 100),
        { .id = "sub",
          .start = nested_start,
          .arg = (void *)&sub_spec,
          .type = LC_CHILD_SUPERVISOR },
        CHILD("c", .trap = true, .term_sleep = 100),
    };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.pid[0] = pid_of(sup, "sub");
    seen.mark[0] = nevents;
    seen.t[0] = lc_now();
    seen.rc[1] = lc_sup_stop(sup);
    seen.t[1] = lc_now() - seen.t[0];
    seen.n[0] = lc_proc_list(NULL, 0);
}

GR_TEST(tree_stops_in_reverse_one_at_a_time)
{
    reset();
    run(tree_stop, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_str_eq(timed_log(seen.mark[0], seen.t[0]),
                     "term c shutdown @0, term f shutdown @100, "
                     "term e shutdown @200, term a shutdown @300");
    ck_assert_msg(seen.t[1] == 400,
                  "lc_sup_stop took %lld ms, expected "
                  "400 (four terminates of 100 ms, one after the other)",
                  (long long)seen.t[1]);
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_SHUTDOWN),
                  "the nested supervisor ended with %s, expected shutdown",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_msg(seen.n[0] == 1, "%zu processes left", seen.n[0]);
}

static const struct lc_child_spec slow_children[] = {
    { .id = "g",
      .start = w_start,
      .arg = &cfg_slow,
      .arg_size = sizeof cfg_slow,
      .shutdown = 10000 },
};
static const struct lc_sup_spec slow_spec = {
    .children = slow_children,
    .nchildren = 1,
};

/* Wrong: a supervisor child gets the worker default 5000 ms, so it is
   killed while its own children are still being stopped. */
static void sup_default_infinity(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = {
        { .id = "sub",
          .start = nested_start,
          .arg = (void *)&slow_spec,
          .type = LC_CHILD_SUPERVISOR },
    };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.pid[0] = pid_of(sup, "sub");
    seen.pid[1] = ctl[6].pid;
    seen.t[0] = lc_now();
    seen.rc[1] = lc_sup_terminate_child(sup, "sub");
    seen.t[1] = lc_now() - seen.t[0];
}

GR_TEST(supervisor_child_default_shutdown_infinity)
{
    reset();
    run(sup_default_infinity, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.rc[1] == 0, "terminate_child returned %s",
                  lc_err_name(seen.rc[1]));
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_SHUTDOWN),
                  "the nested supervisor ended with %s, expected shutdown "
                  "(a supervisor child's default shutdown is infinity)",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[1]), LC_A_SHUTDOWN),
                  "the grandchild ended with %s",
                  gr_reason_str(gr_end(seen.pid[1])));
    ck_assert_msg(seen.t[1] == 8000,
                  "stopping the subtree took %lld ms, "
                  "expected 8000",
                  (long long)seen.t[1]);
}

static const struct lc_child_spec w_children[] = {
    { .id = "h", .start = w_start, .arg = &cfg_w, .arg_size = sizeof cfg_w },
};
static const struct lc_sup_spec w_spec_1 = {
    .flags = { .strategy = LC_ONE_FOR_ONE,
               .max_restarts = 1,
               .max_seconds = 5 },
    .children = w_children,
    .nchildren = 1,
};

/* Wrong: a supervisor that gives up exits with a reason its parent takes
   for clean (normal), or the parent does not restart it. */
static void escalate(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = {
        CHILD("a"),
        { .id = "sub",
          .start = nested_start,
          .arg = (void *)&w_spec_1,
          .type = LC_CHILD_SUPERVISOR },
    };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.pid[0] = pid_of(sup, "sub");
    seen.pid[1] = ctl[0].pid;
    kill_child(ctl[7].pid);
    seen.ok[0] = pid_of(sup, "sub") == seen.pid[0];
    kill_child(ctl[7].pid);
    seen.pid[2] = pid_of(sup, "sub");
    seen.ok[1] = lc_alive(sup) && lc_alive(seen.pid[2]);
    seen.ok[2] = ctl[0].pid == seen.pid[1] && ctl[0].starts == 1;
    struct lc_info in;
    seen.rc[1] = lc_proc_info(seen.pid[2], &in);
    seen.n[0] = in.restarts;
}

GR_TEST(intensity_escalates_to_parent)
{
    reset();
    run(escalate, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.ok[0], "the nested supervisor died after one "
                              "restart of its child (max_restarts 1)");
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_SHUTDOWN),
                  "the nested supervisor ended with %s, expected shutdown",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_msg(seen.pid[2] != LC_NOPID && seen.pid[2] != seen.pid[0] &&
                          seen.ok[1],
                  "the parent did not restart the nested supervisor");
    ck_assert_msg(ctl[7].starts == 3,
                  "the grandchild started %d times, "
                  "expected 3 (again with its new supervisor)",
                  ctl[7].starts);
    ck_assert_msg(seen.ok[2], "the parent's other child was restarted");
    ck_assert_msg(seen.rc[1] == 0 && seen.n[0] == 1,
                  "the new nested supervisor shows %zu restarts, expected 1",
                  seen.n[0]);
}

static void escalate_top(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    struct lc_child_spec c[] = {
        CHILD("a", .trap = true),
        { .id = "sub",
          .start = nested_start,
          .arg = (void *)&w_spec_1,
          .type = LC_CHILD_SUPERVISOR },
    };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 1, 5, c, N(c), &sup);
    seen.pid[0] = sup;
    for (int i = 0; i < 3; i++) {
        kill_child(ctl[7].pid);
    }
    seen.ok[0] = lc_alive(sup);
    seen.mark[0] = nevents;
    kill_child(ctl[7].pid);
    seen.ok[1] = !lc_alive(sup);
    seen.n[0] = lc_proc_list(NULL, 0);
}

/* Wrong: the failure stops one level up (the top supervisor restarts the
   subtree forever), or the top ends with another reason. */
GR_TEST(intensity_escalates_to_the_top)
{
    reset();
    run(escalate_top, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.ok[0], "the top supervisor died too early");
    ck_assert_msg(seen.ok[1], "4 crashes below two supervisors allowing 1 "
                              "restart each did not reach the top");
    ck_assert_msg(ctl[7].starts == 4,
                  "the grandchild started %d times, "
                  "expected 4",
                  ctl[7].starts);
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_SHUTDOWN),
                  "the top supervisor ended with %s, expected shutdown",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_str_eq(log_from(seen.mark[0]), "term a shutdown");
    ck_assert_msg(seen.n[0] == 1, "%zu processes left", seen.n[0]);
}

/* Wrong: the supervisor's exit reason when it gives up is not `shutdown`,
   so a transient parent spec restarts it. */
static void transient_sub(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = {
        { .id = "sub",
          .start = nested_start,
          .arg = (void *)&w_spec_1,
          .type = LC_CHILD_SUPERVISOR,
          .restart = LC_TRANSIENT },
    };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.pid[0] = pid_of(sup, "sub");
    kill_child(ctl[7].pid);
    kill_child(ctl[7].pid);
    seen.pid[1] = pid_of(sup, "sub");
    seen.n[0] = kids(sup, seen.kids[0]);
    seen.ok[0] = lc_alive(sup);
}

GR_TEST(gave_up_supervisor_is_clean_for_transient)
{
    reset();
    run(transient_sub, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_SHUTDOWN),
                  "the nested supervisor ended with %s, expected shutdown",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_msg(seen.ok[0] && seen.n[0] == 1 && seen.pid[1] == LC_NOPID,
                  "a transient supervisor that gave up (shutdown) must not "
                  "be restarted");
    ck_assert_msg(ctl[7].starts == 2, "the grandchild started %d times",
                  ctl[7].starts);
}

/* Wrong: terminate_child of a supervisor child kills it (its children are
   orphaned), or its children are not stopped in reverse. */
static void terminate_subtree(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = {
        { .id = "sub",
          .start = nested_start,
          .arg = (void *)&sub_spec,
          .type = LC_CHILD_SUPERVISOR },
        CHILD("a"),
    };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.pid[0] = pid_of(sup, "sub");
    seen.pid[1] = ctl[4].pid;
    seen.mark[0] = nevents;
    seen.rc[1] = lc_sup_terminate_child(sup, "sub");
    seen.n[0] = lc_proc_list(NULL, 0);
    seen.ok[0] = pid_of(sup, "sub") == LC_NOPID;
}

GR_TEST(terminate_child_stops_a_subtree)
{
    reset();
    run(terminate_subtree, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_str_eq(log_from(seen.mark[0]),
                     "term f shutdown, term e shutdown");
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_SHUTDOWN) &&
                          gr_reason_is(gr_end(seen.pid[1]), LC_A_SHUTDOWN),
                  "the subtree ended with %s, %s; expected shutdown",
                  gr_reason_str(gr_end(seen.pid[0])),
                  gr_reason_str(gr_end(seen.pid[1])));
    ck_assert_msg(seen.n[0] == 3 && seen.ok[0],
                  "%zu processes left, "
                  "expected 3 (driver, supervisor, a)",
                  seen.n[0]);
}

/* Wrong: a supervisor does not stop with its parent (it ignores the
   parent's EXIT, or only a non-normal one). */
static void sup_parent(void *arg)
{
    int k = *(int *)arg;
    struct lc_child_spec c[] = { CHILD("a", .trap = true),
                                 CHILD("b", .trap = true),
                                 CHILD("c", .trap = true),
                                 CHILD("d", .trap = true) };
    lc_pid sup = LC_NOPID;
    seen.rc[k] = start_sup(LC_ONE_FOR_ONE, 3, 5, c + 2 * k, 2, &sup);
    seen.pid[k] = sup;
    lc_sleep(10);
    if (k == 1) {
        lc_proc_exit(reason2("boom", 1));
    }
}

static void two_parents(void *arg)
{
    (void)arg;
    static int k0 = 0, k1 = 1;
    lc_spawn(sup_parent, &k0);
    lc_sleep(100);
    seen.mark[0] = nevents;
    lc_spawn(sup_parent, &k1);
    lc_sleep(100);
    seen.n[0] = lc_proc_list(NULL, 0);
}

GR_TEST(supervisor_ends_with_its_parent)
{
    reset();
    run(two_parents, NULL);
    ck_assert_msg(seen.rc[0] == 0 && seen.rc[1] == 0, "start failed");
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_NORMAL),
                  "a supervisor whose parent ended normal ended with %s, "
                  "expected normal",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_msg(reason_is(gr_end(seen.pid[1]), reason2("boom", 1)),
                  "a supervisor whose parent ended {boom, 1} ended with %s",
                  gr_reason_str(gr_end(seen.pid[1])));
    ck_assert_str_eq(log_from(0), "init a, init b, term b shutdown, "
                                  "term a shutdown, init c, init d, "
                                  "term d shutdown, term c shutdown");
    ck_assert_msg(seen.n[0] == 1, "%zu processes left", seen.n[0]);
}

/* --- terminate_child, restart_child, delete_child
 * ------------------------------ */

/* Wrong: a second terminate_child of a stopped child is an error, an
   unknown id is not LC_ENOENT, or the spec goes. */
static void terminate_api(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a"), CHILD("b") };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.rc[1] = lc_sup_terminate_child(sup, "a");
    seen.rc[2] = lc_sup_terminate_child(sup, "a");
    seen.rc[3] = lc_sup_terminate_child(sup, "zz");
    seen.n[0] = kids(sup, seen.kids[0]);
    seen.counts[0] = lc_sup_count_children(sup);
}

GR_TEST(terminate_child_results)
{
    reset();
    run(terminate_api, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.rc[1] == 0, "terminate_child returned %s",
                  lc_err_name(seen.rc[1]));
    ck_assert_msg(seen.rc[2] == 0,
                  "terminate_child of a child that is "
                  "already stopped returned %s, expected 0 (OTP's ok)",
                  lc_err_name(seen.rc[2]));
    ck_assert_msg(seen.rc[3] == LC_ENOENT,
                  "terminate_child of an unknown id "
                  "returned %s",
                  lc_err_name(seen.rc[3]));
    ck_assert_str_eq(ids_str(seen.kids[0], seen.n[0]), "b a");
    ck_assert_msg(seen.kids[0][1].pid == LC_NOPID, "a still has a pid");
    ck_assert_msg(seen.counts[0].specs == 2 && seen.counts[0].active == 1,
                  "count_children: specs %zu active %zu", seen.counts[0].specs,
                  seen.counts[0].active);
}

/* Wrong: restart_child of a running child restarts it, a failed restart
   is not reported (or retried like a crash), an ignored one is an error,
   or restart_child counts against the intensity (0 here). */
static void restart_api(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a"), CHILD("b"), CHILD("c") };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 0, 5, c, N(c), &sup);
    lc_pid pid = LC_NOPID;
    seen.rc[1] = lc_sup_restart_child(sup, "a", &pid, NULL);
    lc_sup_terminate_child(sup, "a");
    lc_sup_terminate_child(sup, "b");
    lc_sup_terminate_child(sup, "c");
    seen.rc[2] = lc_sup_restart_child(sup, "a", &pid, NULL);
    seen.pid[0] = pid;
    seen.ok[0] = pid != LC_NOPID && pid == pid_of(sup, "a");
    ctl[1].fail_from = 2;
    struct lc_reason why = lc_reason(LC_A_NONE);
    seen.rc[3] = lc_sup_restart_child(sup, "b", &pid, &why);
    seen.why[0] = why;
    ctl[2].fail_from = 2;
    ctl[2].how = FAIL_IGNORE;
    pid = 77;
    seen.rc[4] = lc_sup_restart_child(sup, "c", &pid, NULL);
    seen.pid[1] = pid;
    seen.rc[5] = lc_sup_restart_child(sup, "zz", &pid, NULL);
    seen.n[0] = kids(sup, seen.kids[0]);
    seen.ok[1] = lc_alive(sup);
}

GR_TEST(restart_child_results)
{
    reset();
    run(restart_api, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.rc[1] == LC_ERUNNING,
                  "restart_child of a running "
                  "child returned %s, expected LC_ERUNNING",
                  lc_err_name(seen.rc[1]));
    ck_assert_msg(seen.rc[2] == 0 && seen.ok[0],
                  "restart_child of a "
                  "stopped child returned %s (or not its pid)",
                  lc_err_name(seen.rc[2]));
    ck_assert_msg(seen.rc[3] == LC_ESTART &&
                          reason_is(&seen.why[0], reason2("nope", 1)),
                  "a restart_child whose start fails returned %s with %s, "
                  "expected LC_ESTART with {nope, 1}",
                  lc_err_name(seen.rc[3]), gr_reason_str(&seen.why[0]));
    ck_assert_msg(seen.rc[4] == 0 && seen.pid[1] == LC_NOPID,
                  "a restart_child whose start is ignored returned %s, "
                  "expected 0 with no pid",
                  lc_err_name(seen.rc[4]));
    ck_assert_msg(seen.rc[5] == LC_ENOENT,
                  "restart_child of an unknown id "
                  "returned %s",
                  lc_err_name(seen.rc[5]));
    ck_assert_str_eq(ids_str(seen.kids[0], seen.n[0]), "c b a");
    ck_assert_msg(seen.kids[0][1].pid == LC_NOPID &&
                          !seen.kids[0][1].restarting && ctl[1].starts == 2,
                  "after a failed restart_child, b must be stopped (not "
                  "restarting, not retried)");
    ck_assert_msg(seen.ok[1], "the supervisor died: restart_child does not "
                              "count against the intensity");
}

/* Wrong: delete_child of a running child succeeds, or the id can then not
   be used again. */
static void delete_api(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a"), CHILD("b") };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.rc[1] = lc_sup_delete_child(sup, "a");
    lc_sup_terminate_child(sup, "a");
    seen.rc[2] = lc_sup_delete_child(sup, "a");
    seen.rc[3] = lc_sup_delete_child(sup, "a");
    seen.rc[4] = lc_sup_restart_child(sup, "a", NULL, NULL);
    seen.n[0] = kids(sup, seen.kids[0]);
    seen.counts[0] = lc_sup_count_children(sup);
    struct lc_child_spec again = CHILD("a");
    lc_pid pid = LC_NOPID;
    seen.rc[5] = lc_sup_start_child(sup, &again, &pid, NULL);
    seen.n[1] = kids(sup, seen.kids[1]);
}

GR_TEST(delete_child_results)
{
    reset();
    run(delete_api, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.rc[1] == LC_ERUNNING,
                  "delete_child of a running "
                  "child returned %s, expected LC_ERUNNING",
                  lc_err_name(seen.rc[1]));
    ck_assert_msg(seen.rc[2] == 0,
                  "delete_child of a stopped child "
                  "returned %s",
                  lc_err_name(seen.rc[2]));
    ck_assert_msg(seen.rc[3] == LC_ENOENT && seen.rc[4] == LC_ENOENT,
                  "after delete_child the id must be unknown (delete gave "
                  "%s, restart %s)",
                  lc_err_name(seen.rc[3]), lc_err_name(seen.rc[4]));
    ck_assert_str_eq(ids_str(seen.kids[0], seen.n[0]), "b");
    ck_assert_msg(seen.counts[0].specs == 1, "count_children: specs %zu",
                  seen.counts[0].specs);
    ck_assert_msg(seen.rc[5] == 0, "start_child of a deleted id returned %s",
                  lc_err_name(seen.rc[5]));
    ck_assert_str_eq(ids_str(seen.kids[1], seen.n[1]), "a b");
}

/* Wrong: a child being restarted is taken as stopped (restart_child starts
   a second one) or deleted while the supervisor retries it. */
static void restarting_api(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a"), CHILD("b") };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 1000000, 5, c, N(c), &sup);
    ctl[1].fail_hold = true;
    lc_exit_signal(ctl[1].pid, lc_reason(LC_A_KILL));
    /* the retries go on while we look (bounded: a supervisor that does
       not retry must fail the test, not hang it) */
    for (long k = 0; k < 1000000 && ctl[1].starts < 3; k++) {
        lc_yield();
    }
    seen.ok[7] = ctl[1].starts >= 3;
    seen.rc[1] = lc_sup_restart_child(sup, "b", NULL, NULL);
    seen.rc[2] = lc_sup_delete_child(sup, "b");
    seen.rc[3] = lc_sup_terminate_child(sup, "b");
    ctl[1].fail_hold = false;
    lc_sleep(1);
    seen.n[0] = kids(sup, seen.kids[0]);
    seen.ok[0] = lc_alive(sup);
}

GR_TEST(restarting_child_refuses_restart_and_delete)
{
    reset();
    run(restarting_api, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.ok[7], "a failed restart was not retried");
    ck_assert_msg(seen.rc[1] == LC_ERESTARTING,
                  "restart_child of a child "
                  "being restarted returned %s, expected LC_ERESTARTING",
                  lc_err_name(seen.rc[1]));
    ck_assert_msg(seen.rc[2] == LC_ERESTARTING,
                  "delete_child of a child "
                  "being restarted returned %s, expected LC_ERESTARTING",
                  lc_err_name(seen.rc[2]));
    ck_assert_msg(seen.rc[3] == 0,
                  "terminate_child of a child being "
                  "restarted returned %s, expected 0",
                  lc_err_name(seen.rc[3]));
    ck_assert_msg(seen.ok[0] && seen.n[0] == 2 &&
                          seen.kids[0][0].pid == LC_NOPID &&
                          !seen.kids[0][0].restarting,
                  "after terminate_child the child must be stopped, not "
                  "restarting");
}

/* Wrong: terminate_child of a temporary child keeps its spec. */
static void temporary_terminate(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a"), CHILD("b") };
    c[0].restart = LC_TEMPORARY;
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.rc[1] = lc_sup_terminate_child(sup, "a");
    seen.rc[2] = lc_sup_restart_child(sup, "a", NULL, NULL);
    seen.rc[3] = lc_sup_terminate_child(sup, "a");
    seen.n[0] = kids(sup, seen.kids[0]);
}

GR_TEST(terminated_temporary_child_is_forgotten)
{
    reset();
    run(temporary_terminate, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_msg(seen.rc[2] == LC_ENOENT && seen.rc[3] == LC_ENOENT,
                  "after terminate_child a temporary child's id must be "
                  "unknown (restart %s, terminate %s)",
                  lc_err_name(seen.rc[2]), lc_err_name(seen.rc[3]));
    ck_assert_str_eq(ids_str(seen.kids[0], seen.n[0]), "b");
}

/* --- Failures while a group restarts
 * ------------------------------------------- */

/* Wrong: a failed start in the middle of a one_for_all restart leaves the
   group half started, or retries only the failed child. */
static void group_fail(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a", .trap = true),
                                 CHILD("b", .trap = true),
                                 CHILD("c", .trap = true) };
    ctl[1].fail_from = 2;
    ctl[1].fail_until = 3;
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ALL, 3, 5, c, N(c), &sup);
    seen.mark[0] = nevents;
    kill_child(ctl[0].pid);
    seen.n[0] = kids(sup, seen.kids[0]);
    seen.ok[0] = lc_alive(sup) && seen.n[0] == 3 &&
                 seen.kids[0][0].pid != LC_NOPID &&
                 seen.kids[0][1].pid != LC_NOPID &&
                 seen.kids[0][2].pid != LC_NOPID;
}

GR_TEST(one_for_all_failed_restart_restarts_the_group)
{
    reset();
    run(group_fail, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_str_eq(log_from(seen.mark[0]),
                     "term c shutdown, term b shutdown, init a, fail b, "
                     "term a shutdown, init a, init b, init c");
    ck_assert_msg(seen.ok[0], "after the retry every child must run");
}

/* --- Under the chaos scheduler
 * ----------------------------------------------------
 */

static void chaos_strategies(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a", .trap = true),
                                 CHILD("b", .trap = true),
                                 CHILD("c", .trap = true),
                                 CHILD("d", .trap = true) };
    lc_pid s1 = LC_NOPID, s2 = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ALL, 3, 5, c, 2, &s1);
    seen.rc[1] = start_sup(LC_REST_FOR_ONE, 3, 5, c + 2, 2, &s2);
    seen.mark[0] = nevents;
    /* both at once: the two supervisors work side by side */
    lc_exit_signal(ctl[1].pid, lc_reason(LC_A_KILL));
    lc_exit_signal(ctl[2].pid, lc_reason(LC_A_KILL));
    lc_sleep(10);
    seen.n[0] = kids(s1, seen.kids[0]);
    seen.n[1] = kids(s2, seen.kids[1]);
}

/* The log of one supervisor's children only (labels in 'which'). */
static const char *log_of(int from, const char *which)
{
    static char bufs[2][512];
    static int k;
    k = (k + 1) % 2;
    char *buf = bufs[k];
    buf[0] = '\0';
    size_t len = 0;
    for (int i = from; i < nevents && len < sizeof bufs[0] - 64; i++) {
        if (strchr(which, events[i].text[5]) != NULL) {
            len += (size_t)snprintf(buf + len, sizeof bufs[0] - len, "%s%s",
                                    len > 0 ? ", " : "", events[i].text);
        }
    }
    return buf;
}

static void chaos_strategies_check(void)
{
    ck_assert_msg(seen.rc[0] == 0 && seen.rc[1] == 0, "seed %llu: start",
                  (unsigned long long)cur_seed);
    const char *l1 = log_of(seen.mark[0], "ab");
    const char *l2 = log_of(seen.mark[0], "cd");
    ck_assert_msg(strcmp(l1, "term a shutdown, init a, init b") == 0,
                  "seed %llu: one_for_all did %s", (unsigned long long)cur_seed,
                  l1);
    ck_assert_msg(strcmp(l2, "term d shutdown, init c, init d") == 0,
                  "seed %llu: rest_for_one did %s",
                  (unsigned long long)cur_seed, l2);
    ck_assert_msg(seen.n[0] == 2 && seen.n[1] == 2 &&
                          seen.kids[0][0].pid == ctl[1].pid &&
                          seen.kids[1][1].pid == ctl[2].pid,
                  "seed %llu: which_children after the restarts",
                  (unsigned long long)cur_seed);
}

GR_TEST(strategies_same_under_any_schedule)
{
    over_seeds(chaos_strategies, chaos_strategies_check, 60);
}

static void chaos_tree(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    struct lc_child_spec c[] = {
        CHILD("a", .trap = true, .term_sleep = 100),
        { .id = "sub",
          .start = nested_start,
          .arg = (void *)&sub_spec,
          .type = LC_CHILD_SUPERVISOR },
        CHILD("c", .trap = true, .term_sleep = 100),
    };
    c[0].shutdown = 50; /* a is killed halfway through its terminate */
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.pid[0] = ctl[0].pid;
    seen.mark[0] = nevents;
    seen.t[0] = lc_now();
    lc_sup_stop(sup);
    seen.t[1] = lc_now() - seen.t[0];
    seen.n[0] = lc_proc_list(NULL, 0);
}

static void chaos_tree_check(void)
{
    const char *l = timed_log(seen.mark[0], seen.t[0]);
    ck_assert_msg(strcmp(l, "term c shutdown @0, term f shutdown @100, "
                            "term e shutdown @200, "
                            "term a shutdown @300") == 0,
                  "seed %llu: the tree stopped as %s",
                  (unsigned long long)cur_seed, l);
    ck_assert_msg(seen.t[1] == 350 && seen.n[0] == 1 &&
                          gr_reason_is(gr_end(seen.pid[0]), LC_A_KILLED),
                  "seed %llu: stop took %lld ms, %zu processes left, a "
                  "ended %s",
                  (unsigned long long)cur_seed, (long long)seen.t[1], seen.n[0],
                  gr_reason_str(gr_end(seen.pid[0])));
}

GR_TEST(tree_shutdown_same_under_any_schedule)
{
    over_seeds(chaos_tree, chaos_tree_check, 60);
}

/* ==========================================================================
 * ==== The to-do system's stages (tests below this line are written with
 * the to-do system) ====
 * Tests of the supervisor layer itself stay above this block.
 * ========================================================================== */

/* The to-do system: helpers, and the record 'td' (todo_tests.h). */
#include "todo_tests.h"

/* --- Stage supervise_database --------------------------------------------- */

/* Start the system and note the usual suspects: pid[0] the supervisor,
   [1] the database, [2] the cache, [3] Bob's server (after one entry). */
static bool td_up(void)
{
    lc_pid sup = td_start();
    if (sup == LC_NOPID) {
        return false;
    }
    td.pid[0] = sup;
    td.pid[1] = lc_whereis(TODO_DATABASE_NAME);
    td.pid[2] = lc_whereis(TODO_CACHE_NAME);
    todo_add("Bob's list", td_day, "Dentist", NULL);
    td.pid[3] = td_server("Bob's list");
    return true;
}

static void td_order(void *arg)
{
    if (!td_up()) {
        return;
    }
    struct lc_child_info kids[4];
    td.n[0] = lc_sup_which_children(td.pid[0], kids, 4);
    /* which_children: the newest first */
    td.ok[0] = td.n[0] == 2 && strcmp(kids[1].id, TODO_DATABASE_NAME) == 0 &&
               strcmp(kids[0].id, TODO_CACHE_NAME) == 0;
    td.ok[1] = td.n[0] == 2 && kids[1].pid == td.pid[1] &&
               kids[0].pid == td.pid[2];
    td.ok[2] =
            td_linked(td.pid[1], td.pid[0]) && !td_linked(td.pid[1], td.pid[2]);
}

GR_TEST(todo_database_child_before_cache)
{
    td_reset();
    gr_run(td_order, NULL);
    TD_STARTED();
    ck_assert_msg(td.ok[0],
                  "todo_system should have two children, todo_database "
                  "then todo_cache (it has %zu)",
                  td.n[0]);
    ck_assert_msg(td.ok[1], "the children are not the processes registered "
                            "as todo_database and todo_cache");
    ck_assert_msg(td.ok[2], "the database should be linked to the system "
                            "supervisor, not to the cache");
}

static void td_db_crash(void *arg)
{
    if (!td_up()) {
        return;
    }
    td_kill(td.pid[1]);
    td.pid[4] = lc_whereis(TODO_DATABASE_NAME);
    td.pid[5] = lc_whereis(TODO_CACHE_NAME);
    td.pid[6] = td_server("Bob's list");
    td.rc[1] = todo_add("Bob's list", td_day, "Movies", NULL);
    td.count[0] = td_entries("Bob's list");
    td_kill(td.pid[5]); /* and from disk: */
    td.count[1] = td_entries("Bob's list");
}

GR_TEST(todo_database_crash_leaves_cache_alone)
{
    td_reset();
    gr_run(td_db_crash, NULL);
    TD_STARTED();
    ck_assert_msg(td.pid[4] != LC_NOPID && td.pid[4] != td.pid[1],
                  "the killed database should be restarted under its name");
    ck_assert_msg(td.pid[5] == td.pid[2] && td.pid[6] == td.pid[3],
                  "killing the database should leave the cache and its "
                  "servers alone");
    ck_assert_int_eq(td.rc[1], 0);
    ck_assert_int_eq(td.count[0], 2);
    ck_assert_int_eq(td.count[1], 2);
}

static void td_cache_crash(void *arg)
{
    if (!td_up()) {
        return;
    }
    td_kill(td.pid[2]);
    td.pid[4] = lc_whereis(TODO_DATABASE_NAME);
    td.pid[5] = lc_whereis(TODO_CACHE_NAME);
    td.ok[0] = lc_alive(td.pid[3]);
    td.count[0] = td_entries("Bob's list");
}

GR_TEST(todo_cache_crash_leaves_database_alone)
{
    td_reset();
    gr_run(td_cache_crash, NULL);
    TD_STARTED();
    ck_assert_msg(td.pid[4] == td.pid[1],
                  "killing the cache should leave the database alone");
    ck_assert_msg(td.pid[5] != td.pid[2] && td.pid[5] != LC_NOPID,
                  "the cache should be restarted");
    ck_assert_msg(!td.ok[0], "the cache's old server still runs");
    ck_assert_int_eq(td.count[0], 1);
}

static void td_workers_die(void *arg)
{
    if (!td_up()) {
        return;
    }
    lc_pid w[8];
    size_t nw = td_workers(td.pid[1], td.pid[0], w);
    td.n[0] = nw;
    td.n[1] = lc_proc_list(NULL, 0);
    td_kill(td.pid[1]);
    td.n[2] = lc_proc_list(NULL, 0);
    for (size_t i = 0; i < nw; i++) {
        td.ok[0] = td.ok[0] || lc_alive(w[i]);
    }
    td.pid[5] = lc_whereis(TODO_CACHE_NAME);
    td.count[0] = td_entries("Bob's list");
}

GR_TEST(todo_database_workers_go_with_it)
{
    td_reset();
    gr_run(td_workers_die, NULL);
    TD_STARTED();
    ck_assert_msg(td.n[0] == 3,
                  "the database should be linked to its 3 "
                  "workers (it has %zu)",
                  td.n[0]);
    ck_assert_msg(!td.ok[0], "an old worker outlived its database");
    ck_assert_msg(td.n[2] == td.n[1],
                  "processes before killing the database: %zu, after its "
                  "restart: %zu",
                  td.n[1], td.n[2]);
    ck_assert_msg(td.pid[5] == td.pid[2], "the cache should not notice");
    ck_assert_int_eq(td.count[0], 1);
}

static void td_worker_crash(void *arg)
{
    if (!td_up()) {
        return;
    }
    lc_pid w = todo_hooks()->worker_of("Bob's list");
    td_kill(w);
    td.pid[4] = lc_whereis(TODO_DATABASE_NAME);
    td.pid[5] = lc_whereis(TODO_CACHE_NAME);
    td.pid[6] = td_server("Bob's list");
    td.rc[1] = todo_add("Bob's list", td_day, "Movies", NULL);
}

GR_TEST(todo_worker_crash_restarts_database_only)
{
    td_reset();
    gr_run(td_worker_crash, NULL);
    TD_STARTED();
    ck_assert_msg(td.pid[4] != td.pid[1] && td.pid[4] != LC_NOPID,
                  "a worker's crash should take its linked database down, "
                  "and the supervisor restart it");
    ck_assert_msg(td.pid[5] == td.pid[2] && td.pid[6] == td.pid[3],
                  "a worker's crash should not reach the cache");
    ck_assert_int_eq(td.rc[1], 0);
}

static void td_corrupt_db(void *arg)
{
    if (!td_up()) {
        return;
    }
    td_corrupt("Alice's list");
    td.rc[1] = td_try_add("Alice's list", "Piano");
    lc_sleep(10);
    td.pid[4] = lc_whereis(TODO_DATABASE_NAME);
    td.rc[2] = todo_add("Bob's list", td_day, "Movies", NULL);
    td.count[0] = td_entries("Bob's list");
}

GR_TEST(todo_corrupt_file_database_untouched)
{
    td_reset();
    gr_run(td_corrupt_db, NULL);
    TD_STARTED();
    char name[TODO_FILE_NAME_MAX];
    todo_file_name("Alice's list", name);
    ck_assert_msg(td.rc[1] == 1 &&
                          td.why.kind == lc_atom_intern("bad_checksum") &&
                          td.why.value.type == LC_T_ATOM &&
                          td.why.value.u.atom == lc_atom_intern(name),
                  "a corrupt file should fail the call with {bad_checksum, "
                  "'%s'}: got %s",
                  name, gr_reason_str(&td.why));
    ck_assert_msg(td.pid[4] == td.pid[1],
                  "a corrupt list file should not restart the database");
    ck_assert_int_eq(td.rc[2], 0);
    ck_assert_int_eq(td.count[0], 2);
}

static void td_stop(void *arg)
{
    if (!td_up()) {
        return;
    }
    struct lc_child_info kids[4];
    td.n[0] = lc_sup_which_children(td.pid[0], kids, 4);
    lc_trap_exit(true); /* the supervisor's `shutdown` is not our end */
    td.recording = true;
    lc_sup_stop(td.pid[0]);
    td.recording = false;
}

static int td_index(lc_pid pid)
{
    for (int i = 0; i < td.norder; i++) {
        if (td.order[i] == pid) {
            return i;
        }
    }
    return -1;
}

GR_TEST(todo_system_stops_cache_before_database)
{
    /* The supervisor waits for the cache's end before it stops the
       database, under any schedule; the servers linked to the cache end
       when they next run, which only the kernel's FIFO schedule puts
       before the database's stop (a shuffled one, LC_SEED, may not, as
       the BEAM may not): this test keeps FIFO. */
    unsetenv("LC_SEED");
    td_reset();
    gr_run(td_stop, NULL);
    TD_STARTED();
    ck_assert_msg(td.n[0] == 2, "todo_system should have two children");
    int db = td_index(td.pid[1]), cache = td_index(td.pid[2]),
        bob = td_index(td.pid[3]);
    ck_assert_msg(db >= 0 && cache >= 0 && bob >= 0,
                  "stopping the system should end the database, the cache "
                  "and its servers");
    ck_assert_msg(cache < db && bob < db,
                  "the cache and its servers should end before the "
                  "database (reverse start order)");
}
