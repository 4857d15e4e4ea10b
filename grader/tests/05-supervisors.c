/*
 * 05-supervisors.c - graded tests of chapter 5: supervisors -- child specs,
 * ordered start, one_for_one, restart intensity and the management API
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
#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/names.h"
#include "lc/otp/supervisor.h"

/* The reason {kind, v} with an atom v. */
static struct lc_reason reason_atom(lc_atom kind, const char *v)
{
    return lc_reason_with(kind, lc_atom_term(lc_atom_intern(v)));
}

/* --- Starting ------------------------------------------------------------- */

/* Wrong: start returns before the children are up (spawns them from a
   process of its own), or starts them in another order. */
static void ordered(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = {
        CHILD("a", .init_sleep = 100),
        CHILD("b", .init_sleep = 100),
        CHILD("c", .init_sleep = 100),
    };
    lc_pid sup = LC_NOPID;
    seen.t[0] = lc_now();
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.t[1] = lc_now();
    seen.ok[0] = lc_alive(ctl[0].pid) && lc_alive(ctl[1].pid) &&
                 lc_alive(ctl[2].pid);
    seen.ok[1] = ctl[0].sup == sup && ctl[2].sup == sup;
    seen.n[0] = kids(sup, seen.kids[0]);
    lc_pid out[8];
    seen.n[1] = lc_links(ctl[1].pid, out, 8);
    seen.pid[0] = seen.n[1] == 1 ? out[0] : LC_NOPID;
}

GR_TEST(start_children_in_order_then_return)
{
    reset();
    run(ordered, NULL);
    ck_assert_msg(seen.rc[0] == 0, "start returned %s",
                  lc_err_name(seen.rc[0]));
    ck_assert_str_eq(log_from(0), "init a, init b, init c");
    ck_assert_msg(events[0].t == 100 && events[1].t == 200 &&
                          events[2].t == 300,
                  "the children must start one after the other: inits "
                  "ended at %lld, %lld, %lld ms",
                  (long long)events[0].t, (long long)events[1].t,
                  (long long)events[2].t);
    ck_assert_msg(seen.t[1] - seen.t[0] == 300,
                  "start returned after %lld ms; the children took 300",
                  (long long)(seen.t[1] - seen.t[0]));
    ck_assert_msg(seen.ok[0], "a child was not alive when start returned");
    ck_assert_msg(seen.ok[1], "the start functions must run in the "
                              "supervisor process");
    ck_assert_msg(seen.n[0] == 3, "which_children gave %zu children",
                  seen.n[0]);
    ck_assert_msg(seen.pid[0] == seen.sup,
                  "a child must be linked to its supervisor (and only to it)");
}

/* Wrong: ids are not compared (two children "a"), or compared only with
   the running ones. */
static void duplicates(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    struct lc_child_spec c[] = { CHILD("a"), CHILD("b"), CHILD("a") };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.why[0] = seen.err.reason;
    lc_sleep(10);
    seen.n[0] = lc_proc_list(NULL, 0);
}

GR_TEST(duplicate_ids_refused)
{
    reset();
    run(duplicates, NULL);
    ck_assert_msg(seen.rc[0] == LC_EINVAL,
                  "start returned %s, expected "
                  "LC_EINVAL",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(seen.why[0].kind == lc_atom_intern("duplicate_child_name"),
                  "err->reason is %s, expected {duplicate_child_name, a}",
                  gr_reason_str(&seen.why[0]));
    ck_assert_msg(reason_is(&seen.why[0], reason_atom(seen.why[0].kind, "a")),
                  "err->reason is %s, expected {duplicate_child_name, a}",
                  gr_reason_str(&seen.why[0]));
    ck_assert_msg(ctl[0].starts == 0 && ctl[1].starts == 0,
                  "children were started before the specs were checked");
    ck_assert_msg(seen.n[0] == 1,
                  "%zu processes left (the supervisor "
                  "must be gone)",
                  seen.n[0]);
}

/* Wrong: a spec is checked only when its child is started (so a is
   started before the bad spec is seen), or a bad value is accepted. */
static void bad_specs(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    char longid[LC_CHILD_ID_MAX + 1];
    memset(longid, 'x', LC_CHILD_ID_MAX);
    longid[LC_CHILD_ID_MAX] = '\0';
    struct lc_child_spec good = CHILD("a");
    struct lc_child_spec b = CHILD("b");
    struct lc_child_spec bad[7];
    for (int i = 0; i < 7; i++) {
        bad[i] = b;
    }
    bad[0].start = NULL;
    bad[1].id = "";
    bad[2].id = longid;
    bad[3].shutdown = -5;
    bad[4].restart = (enum lc_restart)9;
    bad[5].type = (enum lc_child_type)7;
    bad[6].arg = NULL; /* arg_size stays: bytes to copy from nowhere */
    for (int i = 0; i < 7; i++) {
        struct lc_child_spec c[] = { good, bad[i] };
        lc_pid sup = LC_NOPID;
        seen.rc[i < 6 ? i : 8] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, 2, &sup);
        if (i == 0) {
            seen.why[0] = seen.err.reason;
        }
    }
    struct lc_child_spec c[] = { good };
    lc_pid sup = LC_NOPID;
    seen.rc[6] = start_sup((enum lc_strategy)9, 3, 5, c, 1, &sup);
    seen.why[1] = seen.err.reason;
    seen.rc[7] = start_sup(LC_ONE_FOR_ONE, -1, 5, c, 1, &sup);
    lc_sleep(10);
    seen.n[0] = lc_proc_list(NULL, 0);
}

GR_TEST(invalid_specs_refused)
{
    reset();
    run(bad_specs, NULL);
    static const char *what[] = {
        "no start function", "an empty id", "an id of LC_CHILD_ID_MAX bytes",
        "shutdown -5",       "restart 9",   "type 7"
    };
    ck_assert_msg(seen.rc[8] == LC_EINVAL,
                  "a child spec with arg_size but no arg: start returned %s, "
                  "expected LC_EINVAL",
                  lc_err_name(seen.rc[8]));
    for (int i = 0; i < 6; i++) {
        ck_assert_msg(seen.rc[i] == LC_EINVAL,
                      "a child spec with %s: start returned %s, expected "
                      "LC_EINVAL",
                      what[i], lc_err_name(seen.rc[i]));
    }
    ck_assert_msg(seen.why[0].kind == lc_atom_intern("invalid_child_spec"),
                  "err->reason is %s, expected {invalid_child_spec, b}",
                  gr_reason_str(&seen.why[0]));
    ck_assert_msg(seen.rc[6] == LC_EINVAL && seen.rc[7] == LC_EINVAL,
                  "bad flags (strategy 9; max_restarts -1) gave %s and %s, "
                  "expected LC_EINVAL",
                  lc_err_name(seen.rc[6]), lc_err_name(seen.rc[7]));
    ck_assert_msg(seen.why[1].kind == lc_atom_intern("invalid_flags"),
                  "err->reason is %s, expected {invalid_flags, _}",
                  gr_reason_str(&seen.why[1]));
    ck_assert_msg(ctl[0].starts == 0,
                  "the good child before the bad spec was started %d "
                  "time(s): check every spec before starting any",
                  ctl[0].starts);
    ck_assert_msg(seen.n[0] == 1, "%zu processes left", seen.n[0]);
}

/* Wrong: the started children are left running, stopped in start order,
   or c is started anyway; the reason is not OTP's. */
static void start_fails(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    ctl[2].fail_from = 1;
    struct lc_child_spec c[] = {
        CHILD("a", .trap = true),
        CHILD("b", .trap = true),
        CHILD("c", .trap = true),
        CHILD("d", .trap = true),
    };
    lc_pid sup = 99;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.pid[0] = ctl[0].sup;
    seen.pid[1] = ctl[0].pid;
    seen.pid[2] = ctl[1].pid;
    lc_sleep(10);
    seen.n[0] = lc_mailbox_len();
    seen.n[1] = lc_proc_list(NULL, 0);
}

GR_TEST(child_start_failure_stops_started_children_in_reverse)
{
    reset();
    run(start_fails, NULL);
    ck_assert_msg(seen.rc[0] == LC_ESTART,
                  "start returned %s, expected "
                  "LC_ESTART",
                  lc_err_name(seen.rc[0]));
    ck_assert_str_eq(log_from(0), "init a, init b, fail c, term b shutdown, "
                                  "term a shutdown");
    ck_assert_msg(ctl[3].starts == 0, "d was started after c failed");
    ck_assert_str_eq(seen.err.child, "c");
    ck_assert_msg(reason_is(&seen.err.child_reason, reason2("nope", 2)),
                  "err->child_reason is %s, expected the start function's "
                  "{nope, 2}",
                  gr_reason_str(&seen.err.child_reason));
    struct lc_reason want = lc_reason_with(
            LC_A_SHUTDOWN, lc_atom_term(LC_A_FAILED_TO_START_CHILD));
    ck_assert_msg(reason_is(&seen.err.reason, want),
                  "err->reason is %s, expected "
                  "{shutdown, failed_to_start_child}",
                  gr_reason_str(&seen.err.reason));
    ck_assert_msg(reason_is(gr_end(seen.pid[0]), want),
                  "the supervisor ended with %s, expected "
                  "{shutdown, failed_to_start_child}",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[1]), LC_A_SHUTDOWN) &&
                          gr_reason_is(gr_end(seen.pid[2]), LC_A_SHUTDOWN),
                  "the started children ended with %s and %s, expected "
                  "shutdown",
                  gr_reason_str(gr_end(seen.pid[1])),
                  gr_reason_str(gr_end(seen.pid[2])));
    ck_assert_msg(seen.n[0] == 0,
                  "the trapping caller found %zu message(s) "
                  "(the supervisor's EXIT?) after the start",
                  seen.n[0]);
    ck_assert_msg(seen.n[1] == 1, "%zu processes left", seen.n[1]);
}

/* Wrong: a raise in the start function kills the supervisor with the
   raise's reason, or is not caught at all. */
static void start_raises(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    ctl[1].fail_from = 1;
    ctl[1].how = FAIL_RAISE;
    struct lc_child_spec c[] = { CHILD("a", .trap = true), CHILD("b") };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.pid[0] = ctl[0].sup;
}

GR_TEST(child_start_raise_is_a_start_failure)
{
    reset();
    run(start_raises, NULL);
    ck_assert_msg(seen.rc[0] == LC_ESTART,
                  "start returned %s, expected "
                  "LC_ESTART",
                  lc_err_name(seen.rc[0]));
    ck_assert_str_eq(seen.err.child, "b");
    ck_assert_msg(reason_is(&seen.err.child_reason, reason2("bang", 7)),
                  "err->child_reason is %s, expected the raise's {bang, 7}",
                  gr_reason_str(&seen.err.child_reason));
    ck_assert_str_eq(log_from(0), "init a, fail b, term a shutdown");
    struct lc_reason want = lc_reason_with(
            LC_A_SHUTDOWN, lc_atom_term(LC_A_FAILED_TO_START_CHILD));
    ck_assert_msg(reason_is(gr_end(seen.pid[0]), want),
                  "the supervisor ended with %s",
                  gr_reason_str(gr_end(seen.pid[0])));
}

/* Wrong: the start returns LC_ESTART to a caller that does not trap exits
   (the supervisor unlinked before exiting, or exited normally). */
static void nontrapping_starter(void *arg)
{
    (void)arg;
    ctl[1].fail_from = 1;
    struct lc_child_spec c[] = { CHILD("a"), CHILD("b") };
    lc_pid sup = LC_NOPID;
    seen.pid[1] = lc_self();
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.ok[0] = true; /* must not get here */
}

static void starter_parent(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    lc_pid p = lc_spawn_link(nontrapping_starter, NULL);
    struct lc_msg *m = lc_receive_tag(LC_TAG_EXIT, 1000);
    seen.ok[1] = m != NULL && ((struct lc_exit_msg *)m->data)->from == p;
    lc_msg_free(m);
}

GR_TEST(start_failure_kills_nontrapping_caller)
{
    reset();
    run(starter_parent, NULL);
    ck_assert_msg(!seen.ok[0],
                  "start returned (%s) to a caller that does "
                  "not trap exits",
                  lc_err_name(seen.rc[0]));
    struct lc_reason want = lc_reason_with(
            LC_A_SHUTDOWN, lc_atom_term(LC_A_FAILED_TO_START_CHILD));
    ck_assert_msg(reason_is(gr_end(seen.pid[1]), want),
                  "the caller ended with %s, expected the supervisor's "
                  "{shutdown, failed_to_start_child}",
                  gr_reason_str(gr_end(seen.pid[1])));
    ck_assert_msg(seen.ok[1], "no EXIT from the caller");
}

/* Wrong: an ignored child is dropped (or counted as running); a temporary
   one is kept. */
static void ignored(void *arg)
{
    (void)arg;
    ctl[1].fail_from = 1;
    ctl[1].how = FAIL_IGNORE;
    ctl[2].fail_from = 1;
    ctl[2].how = FAIL_IGNORE;
    struct lc_child_spec c[] = { CHILD("a"), CHILD("b"), CHILD("c"),
                                 CHILD("d") };
    c[2].restart = LC_TEMPORARY;
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.n[0] = kids(sup, seen.kids[0]);
    seen.counts[0] = lc_sup_count_children(sup);
    seen.n[1] = (size_t)ctl[3].starts;
}

GR_TEST(ignore_keeps_spec_without_process)
{
    reset();
    run(ignored, NULL);
    ck_assert_msg(seen.rc[0] == 0,
                  "start returned %s: an ignored child is "
                  "not a failure",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(seen.n[1] == 1, "d was not started after b ignored");
    ck_assert_msg(seen.n[0] == 3,
                  "which_children lists %zu children (%s), "
                  "expected d b a: the ignored permanent child keeps its "
                  "spec, the temporary one does not",
                  seen.n[0], ids_str(seen.kids[0], seen.n[0]));
    ck_assert_str_eq(ids_str(seen.kids[0], 3), "d b a");
    ck_assert_msg(seen.kids[0][1].pid == LC_NOPID &&
                          !seen.kids[0][1].restarting,
                  "the ignored child must have no pid");
    ck_assert_msg(seen.counts[0].specs == 3 && seen.counts[0].active == 2,
                  "count_children: specs %zu active %zu, expected 3 and 2",
                  seen.counts[0].specs, seen.counts[0].active);
}

/* --- one_for_one and restart counts --------------------------------------- */

/* Wrong: the child is restarted under its old pid (not restarted at all),
   the siblings are restarted too, or the count is not kept. */
static void one_for_one(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a"), CHILD("b"), CHILD("c") };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.pid[0] = pid_of(sup, "a");
    seen.pid[1] = pid_of(sup, "b");
    seen.pid[2] = pid_of(sup, "c");
    kill_child(seen.pid[1]);
    seen.pid[3] = pid_of(sup, "b");
    kill_child(seen.pid[3]);
    seen.pid[4] = pid_of(sup, "b");
    seen.ok[0] =
            pid_of(sup, "a") == seen.pid[0] && pid_of(sup, "c") == seen.pid[2];
    struct lc_info in;
    seen.rc[1] = lc_proc_info(seen.pid[4], &in);
    seen.n[0] = in.restarts;
    seen.rc[2] = lc_proc_info(seen.pid[0], &in);
    seen.n[1] = in.restarts;
    seen.ok[1] = lc_alive(sup);
    lc_pid out[2];
    seen.ok[2] = lc_links(seen.pid[4], out, 2) == 1 && out[0] == sup;
    seen.ok[3] = lc_alive(seen.pid[4]);
}

GR_TEST(one_for_one_restarts_only_the_child)
{
    reset();
    run(one_for_one, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.pid[3] != LC_NOPID && seen.pid[3] != seen.pid[1] &&
                          seen.ok[3],
                  "b was not restarted with a new pid");
    ck_assert_msg(seen.pid[4] != seen.pid[3], "b was not restarted again");
    ck_assert_msg(ctl[0].starts == 1 && ctl[2].starts == 1 && seen.ok[0],
                  "siblings of b were restarted under one_for_one");
    ck_assert_msg(ctl[1].starts == 3, "b started %d times, expected 3",
                  ctl[1].starts);
    ck_assert_msg(seen.ok[2], "the new b is not linked to the supervisor");
    ck_assert_msg(seen.ok[1], "the supervisor died after 2 restarts of 3");
    ck_assert_msg(seen.rc[1] == 0 && seen.n[0] == 2,
                  "lc_proc_info(b).restarts is %zu, expected 2: call "
                  "lc_proc_set_restarts() on the new process",
                  seen.n[0]);
    ck_assert_msg(seen.rc[2] == 0 && seen.n[1] == 0,
                  "a was never restarted but shows %zu restarts", seen.n[1]);
}

/* Wrong: permanent is not restarted when it ends normally (treated like
   transient). */
static void permanent_normal(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a") };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.pid[0] = pid_of(sup, "a");
    stop_child(seen.pid[0], lc_reason(LC_A_NORMAL));
    seen.pid[1] = pid_of(sup, "a");
}

GR_TEST(permanent_restarted_after_normal_exit)
{
    reset();
    run(permanent_normal, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_NORMAL),
                  "a ended with %s", gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_msg(seen.pid[1] != LC_NOPID && seen.pid[1] != seen.pid[0],
                  "a permanent child that ends normally must be restarted");
}

/* Wrong: the name is looked up once (the old pid kept), or the new server
   cannot register because the old name is not free yet. */
static void named_restart(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a", .name = "cache") };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.pid[0] = lc_whereis("cache");
    kill_child(seen.pid[0]);
    seen.pid[1] = lc_whereis("cache");
    seen.pid[2] = pid_of(sup, "a");
    struct lc_msg *r = lc_gs_call(lc_whereis("cache"), W_LABEL, NULL, 0, 1000);
    seen.ok[0] = r != NULL && r->size == 1 && r->data[0] == 'a';
    lc_msg_free(r);
}

GR_TEST(restarted_named_server_found_by_name)
{
    reset();
    run(named_restart, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.pid[0] != LC_NOPID, "the child is not registered");
    ck_assert_msg(seen.pid[1] != LC_NOPID && seen.pid[1] != seen.pid[0] &&
                          seen.pid[1] == seen.pid[2],
                  "after the restart the name does not lead to the new child");
    ck_assert_msg(seen.ok[0], "a call by name to the restarted server failed");
}

/* --- Restart intensity -----------------------------------------------------
 */

static lc_pid intensity_sup(int maxr, int maxt)
{
    struct lc_child_spec c[] = { CHILD("a", .trap = true), CHILD("b"),
                                 CHILD("c", .trap = true) };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, maxr, maxt, c, N(c), &sup);
    return sup;
}

/* Wrong: the comparison is < instead of <= (dies at restart MaxR), or
   the supervisor exits with another reason, kills its children, or stops
   them in start order. */
static void intensity(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    lc_pid sup = intensity_sup(3, 5);
    for (int i = 0; i < 3; i++) {
        kill_child(pid_of(sup, "b"));
        lc_sleep(100);
    }
    seen.ok[0] = lc_alive(sup);
    seen.pid[0] = ctl[0].pid;
    seen.pid[2] = ctl[2].pid;
    seen.mark[0] = nevents;
    kill_child(pid_of(sup, "b"));
    seen.ok[1] = !lc_alive(sup);
    seen.pid[1] = sup;
    seen.n[0] = lc_proc_list(NULL, 0);
    struct lc_msg *m = lc_receive_tag(LC_TAG_EXIT, 0);
    seen.ok[2] = m != NULL && ((struct lc_exit_msg *)m->data)->from == sup;
    lc_msg_free(m);
}

GR_TEST(intensity_allows_maxr_then_gives_up)
{
    reset();
    run(intensity, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.ok[0], "3 restarts within 5 s with max_restarts 3 "
                              "killed the supervisor: MaxR restarts are "
                              "allowed (length =< MaxR)");
    ck_assert_msg(seen.ok[1], "the 4th restart within 5 s did not stop the "
                              "supervisor");
    ck_assert_msg(ctl[1].starts == 4,
                  "b started %d times, expected 4 "
                  "(the 4th crash is not restarted)",
                  ctl[1].starts);
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[1]), LC_A_SHUTDOWN),
                  "the supervisor ended with %s, expected shutdown",
                  gr_reason_str(gr_end(seen.pid[1])));
    ck_assert_str_eq(log_from(seen.mark[0]),
                     "term c shutdown, term a shutdown");
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_SHUTDOWN) &&
                          gr_reason_is(gr_end(seen.pid[2]), LC_A_SHUTDOWN),
                  "the other children must be stopped with shutdown");
    ck_assert_msg(seen.ok[2], "the parent did not get the supervisor's EXIT");
    ck_assert_msg(seen.n[0] == 1, "%zu processes left", seen.n[0]);
}

/* Wrong: the window never slides (every restart ever counts), or counts
   restarts within MaxT since the first one only. */
static void sliding(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    lc_pid sup = intensity_sup(2, 5);
    /* restarts at 0 s, 3 s, 6 s, 9 s, 12 s: never more than 2 within 5 s */
    for (int i = 0; i < 5; i++) {
        kill_child(pid_of(sup, "b"));
        lc_sleep(3000 - 1);
    }
    seen.ok[0] = lc_alive(sup);
    /* 15 s and 16 s: with 12 s that makes 3 within 5 s */
    kill_child(pid_of(sup, "b"));
    seen.ok[1] = lc_alive(sup);
    lc_sleep(1000 - 1);
    kill_child(pid_of(sup, "b"));
    seen.ok[2] = !lc_alive(sup);
}

GR_TEST(intensity_window_slides)
{
    reset();
    run(sliding, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.ok[0], "5 restarts 3 s apart killed a supervisor "
                              "allowing 2 in 5 s: forget restarts older than "
                              "MaxT");
    ck_assert_msg(seen.ok[1], "restarts at 9, 12 and 15 s killed a "
                              "supervisor allowing 2 in 5 s");
    ck_assert_msg(seen.ok[2], "restarts at 12, 15 and 16 s did not kill a "
                              "supervisor allowing 2 in 5 s");
}

/* Wrong: the window is measured in milliseconds (0.9 s and 5.95 s are 5.05 s
   apart, yet OTP counts whole seconds: 0 and 5), or it is exclusive. */
static void boundary(void *arg)
{
    int which = *(int *)arg;
    lc_trap_exit(true);
    lc_pid sup = intensity_sup(1, 5);
    if (which == 0) {
        lc_sleep(900);
        kill_child(pid_of(sup, "b")); /* at 0.9 s: second 0 */
        lc_sleep(5950 - 901);
        kill_child(pid_of(sup, "b")); /* at 5.95 s: second 5 */
    } else {
        kill_child(pid_of(sup, "b")); /* at 0 s */
        lc_sleep(6000 - 1);
        kill_child(pid_of(sup, "b")); /* at 6 s */
    }
    seen.ok[which] = lc_alive(sup);
}

GR_TEST(intensity_window_whole_seconds_inclusive)
{
    reset();
    int which = 0;
    run(boundary, &which);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(!seen.ok[0], "restarts at 0.9 s and 5.95 s (seconds 0 and "
                               "5) did not kill a supervisor allowing 1 in "
                               "5 s: the window is inclusive, in whole "
                               "seconds of lc_now() / 1000");
    lc_fini();
    reset();
    which = 1;
    run(boundary, &which);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.ok[1], "restarts at 0 s and 6 s killed a supervisor "
                              "allowing 1 in 5 s");
}

/* Wrong: flags 0/0 taken literally (no restart allowed), or Erlang's 1/5. */
static void defaults(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    lc_pid sup = intensity_sup(0, 0);
    for (int i = 0; i < 3; i++) {
        kill_child(pid_of(sup, "b"));
    }
    seen.ok[0] = lc_alive(sup);
    kill_child(pid_of(sup, "b"));
    seen.ok[1] = !lc_alive(sup);
    seen.pid[0] = sup;
}

GR_TEST(default_intensity_three_in_five)
{
    reset();
    run(defaults, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.ok[0], "with the default flags 3 restarts must be "
                              "allowed");
    ck_assert_msg(seen.ok[1], "with the default flags the 4th restart "
                              "within 5 s must stop the supervisor");
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_SHUTDOWN),
                  "the supervisor ended with %s",
                  gr_reason_str(gr_end(seen.pid[0])));
}

/* Wrong: max_restarts 0 read as "the default", or one restart allowed. */
static void intensity_zero(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    lc_pid sup = intensity_sup(0, 5);
    seen.ok[0] = lc_alive(sup);
    seen.mark[0] = nevents;
    kill_child(pid_of(sup, "b"));
    seen.ok[1] = !lc_alive(sup);
    seen.pid[0] = sup;
}

GR_TEST(intensity_zero_first_crash_is_fatal)
{
    reset();
    run(intensity_zero, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.ok[1], "with max_restarts 0 the first crash must "
                              "stop the supervisor");
    ck_assert_msg(ctl[1].starts == 1, "b was restarted");
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_SHUTDOWN),
                  "the supervisor ended with %s",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_str_eq(log_from(seen.mark[0]),
                     "term c shutdown, term a shutdown");
}

/* Wrong: a failed restart gives up at once (or kills the supervisor), is
   retried without counting, or is retried after a delay. */
static void failed_restart(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    ctl[1].fail_from = 2;
    lc_pid sup = intensity_sup(3, 5);
    seen.pid[0] = sup;
    seen.t[0] = lc_now();
    kill_child(pid_of(sup, "b"));
    seen.ok[0] = !lc_alive(sup);
    seen.t[1] = lc_now();
}

GR_TEST(failed_restart_retried_and_counted)
{
    reset();
    run(failed_restart, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(ctl[1].starts == 4,
                  "b's start ran %d times after the crash, expected 3 "
                  "failed attempts (intensity 3): retry at once, and count "
                  "each attempt as a restart",
                  ctl[1].starts - 1);
    ck_assert_msg(seen.ok[0], "the supervisor survived a child that can "
                              "never restart");
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_SHUTDOWN),
                  "the supervisor ended with %s",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_msg(seen.t[1] - seen.t[0] == 1,
                  "the retries took %lld ms: "
                  "there is no back-off",
                  (long long)(seen.t[1] - seen.t[0]));
}

/* Wrong: a child whose restart failed is shown with its old pid or as not
   running, or counted active. */
static void shown_restarting(void *arg)
{
    (void)arg;
    lc_pid sup = intensity_sup(1000000, 5);
    ctl[1].fail_hold = true;
    lc_exit_signal(pid_of(sup, "b"), lc_reason(LC_A_KILL));
    /* the retries go on while we look (bounded: a supervisor that does
       not retry must fail the test, not hang it) */
    for (long k = 0; k < 1000000 && ctl[1].starts < 3; k++) {
        lc_yield();
    }
    seen.ok[7] = ctl[1].starts >= 3;
    seen.n[0] = kids(sup, seen.kids[0]);
    seen.counts[0] = lc_sup_count_children(sup);
    ctl[1].fail_hold = false;
    lc_sleep(1);
    seen.pid[0] = pid_of(sup, "b");
    seen.ok[0] = lc_alive(sup);
}

GR_TEST(failed_restart_shown_as_restarting)
{
    reset();
    run(shown_restarting, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.ok[7], "a failed restart was not retried");
    ck_assert_msg(seen.n[0] == 3, "which_children gave %zu", seen.n[0]);
    ck_assert_msg(seen.kids[0][1].restarting && seen.kids[0][1].pid == LC_NOPID,
                  "b, whose restart is being retried, must be shown "
                  "restarting with no pid");
    ck_assert_msg(seen.counts[0].active == 2 && seen.counts[0].specs == 3,
                  "count_children: active %zu specs %zu, expected 2 and 3",
                  seen.counts[0].active, seen.counts[0].specs);
    ck_assert_msg(seen.ok[0] && seen.pid[0] != LC_NOPID,
                  "b did not restart once its start succeeded again");
}

/* Wrong: each child has its own restart counter (OTP keeps one history
   per supervisor), so four different children crashing once each go
   unnoticed. */
static void shared_history(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    lc_pid sup = intensity_sup(3, 5);
    seen.pid[0] = sup;
    kill_child(pid_of(sup, "a"));
    kill_child(pid_of(sup, "b"));
    kill_child(pid_of(sup, "c"));
    seen.ok[0] = lc_alive(sup);
    kill_child(pid_of(sup, "a"));
    seen.ok[1] = !lc_alive(sup);
}

GR_TEST(intensity_counts_every_child)
{
    reset();
    run(shared_history, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.ok[0], "three restarts of three children killed a "
                              "supervisor allowing 3");
    ck_assert_msg(seen.ok[1], "the 4th restart within 5 s (a, b, c, a) did "
                              "not stop the supervisor: keep one history of "
                              "restart times per supervisor, not one per "
                              "child");
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_SHUTDOWN),
                  "the supervisor ended with %s",
                  gr_reason_str(gr_end(seen.pid[0])));
}

/* Wrong: a restart that returns LC_EIGNORE is taken as a failure (retried
   until the intensity is spent) or the spec is dropped. */
static void restart_ignored(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    ctl[1].fail_from = 2;
    ctl[1].how = FAIL_IGNORE;
    lc_pid sup = intensity_sup(1, 5);
    kill_child(pid_of(sup, "b"));
    seen.ok[0] = lc_alive(sup);
    seen.n[0] = kids(sup, seen.kids[0]);
    seen.counts[0] = lc_sup_count_children(sup);
}

GR_TEST(restart_returning_ignore_leaves_no_process)
{
    reset();
    run(restart_ignored, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(ctl[1].starts == 2,
                  "b's start ran %d times: a restart "
                  "that is ignored is not retried",
                  ctl[1].starts);
    ck_assert_msg(seen.ok[0], "the supervisor died");
    ck_assert_msg(seen.n[0] == 3 && seen.kids[0][1].pid == LC_NOPID &&
                          !seen.kids[0][1].restarting,
                  "b must stay listed, with no pid and not restarting");
    ck_assert_msg(seen.counts[0].active == 2, "active is %zu, expected 2",
                  seen.counts[0].active);
}

/* Wrong: a restart is counted only once its start has worked, so one that
   is ignored costs nothing. OTP counts the restart before it starts the
   child (add_restart, then the start): with max_restarts 1, b's ignored
   restart and then a's make two, and the supervisor gives up. */
static void ignored_restart_counts(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    ctl[1].fail_from = 2;
    ctl[1].how = FAIL_IGNORE;
    lc_pid sup = intensity_sup(1, 5);
    seen.pid[0] = sup;
    kill_child(pid_of(sup, "b"));
    seen.ok[0] = lc_alive(sup) && pid_of(sup, "b") == LC_NOPID;
    seen.mark[0] = nevents;
    kill_child(pid_of(sup, "a"));
    seen.ok[1] = !lc_alive(sup);
}

GR_TEST(ignored_restart_still_counts)
{
    reset();
    run(ignored_restart_counts, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.ok[0], "after b's ignored restart the supervisor "
                              "must run on, with b listed without a pid");
    ck_assert_msg(seen.ok[1] && ctl[0].starts == 1,
                  "max_restarts 1: b's ignored restart counted, so a's "
                  "crash is the second restart and the supervisor must "
                  "give up without starting a again (a started %d times)",
                  ctl[0].starts);
    ck_assert_str_eq(log_from(seen.mark[0]), "term c shutdown");
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_SHUTDOWN),
                  "the supervisor ended with %s",
                  gr_reason_str(gr_end(seen.pid[0])));
}

/* Wrong: the supervisor does not trap exits (a linked stranger's crash
   kills it), or takes any EXIT for a child's and restarts something. */
static void stranger(void *arg)
{
    (void)arg;
    lc_sleep(1);
    lc_link(seen.sup);
    lc_sleep(10);
    lc_proc_exit(reason2("boom", 1));
}

static void strangers_exit(void *arg)
{
    (void)arg;
    lc_pid sup = intensity_sup(0, 5);
    seen.ok[2] = lc_traps_exit(sup);
    seen.pid[0] = lc_spawn(stranger, NULL);
    lc_sleep(100);
    seen.ok[0] = lc_alive(sup);
    seen.n[0] = kids(sup, seen.kids[0]);
    seen.ok[1] = ctl[0].starts == 1 && ctl[1].starts == 1 && ctl[2].starts == 1;
}

GR_TEST(exit_of_a_stranger_is_not_a_crash)
{
    reset();
    run(strangers_exit, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.ok[2], "the supervisor must trap exits");
    ck_assert_msg(reason_is(gr_end(seen.pid[0]), reason2("boom", 1)),
                  "the stranger ended with %s",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_msg(seen.ok[0], "an EXIT from a process that is not a child "
                              "(nor the parent) killed the supervisor");
    ck_assert_msg(seen.ok[1] && seen.n[0] == 3, "an EXIT from a stranger "
                                                "restarted a child");
}

/* Wrong: the name is registered after the children start (or not at all),
   or a taken name is not reported with its holder. */
static void named_sup(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    struct lc_child_spec c[] = { CHILD("a") };
    struct lc_sup_spec spec = { .children = c, .nchildren = 1 };
    struct lc_sup_opts o = { .name = "top" };
    lc_pid sup = LC_NOPID, other = LC_NOPID;
    seen.rc[0] = lc_sup_start_link(&spec, &o, &sup, NULL);
    seen.pid[0] = sup;
    seen.pid[1] = lc_whereis("top");
    seen.n[0] = lc_sup_which_children(lc_whereis("top"), seen.kids[0], 8);
    seen.rc[1] = lc_sup_start_link(&spec, &o, &other, NULL);
    seen.pid[2] = other;
    seen.n[1] = (size_t)ctl[0].starts;
}

GR_TEST(named_supervisor)
{
    reset();
    run(named_sup, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.pid[1] == seen.pid[0] && seen.pid[0] != LC_NOPID,
                  "the supervisor is not registered under its name");
    ck_assert_msg(seen.n[0] == 1, "which_children by name gave %zu", seen.n[0]);
    ck_assert_msg(seen.rc[1] == LC_EALREADY && seen.pid[2] == seen.pid[0],
                  "a second supervisor under a taken name gave %s, "
                  "expected LC_EALREADY with the holder",
                  lc_err_name(seen.rc[1]));
    ck_assert_msg(seen.n[1] == 1, "the second supervisor started its "
                                  "children");
}

/* --- The management API of chapter 5 ---------------------------------------
 */

/* Wrong: which_children in start order, or only running children. */
static void which(void *arg)
{
    (void)arg;
    ctl[1].fail_from = 1;
    ctl[1].how = FAIL_IGNORE;
    struct lc_child_spec c[] = { CHILD("a"), CHILD("b"), CHILD("c") };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.n[0] = kids(sup, seen.kids[0]);
    seen.ok[0] = seen.kids[0][0].pid == ctl[2].pid &&
                 seen.kids[0][2].pid == ctl[0].pid &&
                 seen.kids[0][1].pid == LC_NOPID &&
                 seen.kids[0][0].type == LC_CHILD_WORKER;
    seen.n[1] = lc_sup_which_children(sup, seen.kids[1], 1);
    kill_child(ctl[0].pid);
    seen.n[2] = kids(sup, seen.kids[2]);
}

GR_TEST(which_children_newest_first)
{
    reset();
    run(which, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.n[0] == 3, "which_children gave %zu, expected 3",
                  seen.n[0]);
    ck_assert_str_eq(ids_str(seen.kids[0], 3), "c b a");
    ck_assert_msg(seen.ok[0], "the pids (or types) listed are wrong");
    ck_assert_msg(seen.n[1] == 3 && strcmp(seen.kids[1][0].id, "c") == 0,
                  "with max 1, which_children must fill one and return 3");
    ck_assert_str_eq(ids_str(seen.kids[2], seen.n[2]), "c b a");
}

static const struct wcfg cfg_e = { .label = 'e' }, cfg_f = { .label = 'f' },
                         cfg_h = { .label = 'h' };
static const struct lc_child_spec inner[] = {
    { .id = "h", .start = w_start, .arg = &cfg_h, .arg_size = sizeof cfg_h },
};
static const struct lc_sup_spec inner_spec = { .children = inner,
                                               .nchildren = 1 };

/* Wrong: supervisors/workers count running children only, or active counts
   the ignored one. */
static void counts(void *arg)
{
    (void)arg;
    ctl[1].fail_from = 1;
    ctl[1].how = FAIL_IGNORE;
    struct lc_child_spec c[] = {
        CHILD("a"),
        CHILD("b"),
        { .id = "sub",
          .start = nested_start,
          .arg = (void *)&inner_spec,
          .type = LC_CHILD_SUPERVISOR },
    };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.counts[0] = lc_sup_count_children(sup);
}

GR_TEST(count_children_fields)
{
    reset();
    run(counts, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    struct lc_sup_counts k = seen.counts[0];
    ck_assert_msg(k.specs == 3 && k.active == 2 && k.supervisors == 1 &&
                          k.workers == 2,
                  "count_children gave specs %zu active %zu supervisors %zu "
                  "workers %zu; expected 3 2 1 2 (types count specs, running "
                  "or not)",
                  k.specs, k.active, k.supervisors, k.workers);
}

/* Wrong: start_child puts the new child first in start order, refuses an
   id that is not running the wrong way, or keeps a failed spec. */
static void start_child(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    ctl[1].fail_from = 1;
    ctl[1].how = FAIL_IGNORE;
    struct lc_child_spec c[] = { CHILD("a", .trap = true),
                                 CHILD("b", .trap = true) };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    struct lc_child_spec d = CHILD("d", .trap = true);
    lc_pid pid = LC_NOPID;
    seen.rc[1] = lc_sup_start_child(sup, &d, &pid, NULL);
    seen.pid[0] = pid;
    seen.ok[0] = pid != LC_NOPID && pid == ctl[3].pid;
    seen.n[0] = kids(sup, seen.kids[0]);
    /* d again, while it runs: already_started with its pid */
    pid = LC_NOPID;
    seen.rc[2] = lc_sup_start_child(sup, &d, &pid, NULL);
    seen.pid[1] = pid;
    /* b exists (ignored) but does not run: already_present */
    struct lc_child_spec b = CHILD("b");
    seen.rc[3] = lc_sup_start_child(sup, &b, &pid, NULL);
    /* a start that fails: the spec is not kept */
    ctl[4].fail_from = 1;
    struct lc_child_spec e = CHILD("e");
    struct lc_reason why = lc_reason(LC_A_NONE);
    seen.rc[4] = lc_sup_start_child(sup, &e, &pid, &why);
    seen.why[0] = why;
    struct lc_child_spec bad = CHILD("f");
    bad.start = NULL;
    seen.rc[5] = lc_sup_start_child(sup, &bad, &pid, NULL);
    seen.n[1] = kids(sup, seen.kids[1]);
    seen.mark[0] = nevents;
    lc_sup_stop(sup);
}

GR_TEST(start_child_appends_and_refuses)
{
    reset();
    run(start_child, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.rc[1] == 0 && seen.ok[0],
                  "start_child returned %s without the new child's pid",
                  lc_err_name(seen.rc[1]));
    ck_assert_str_eq(ids_str(seen.kids[0], seen.n[0]), "d b a");
    ck_assert_msg(seen.rc[2] == LC_EALREADY && seen.pid[1] == seen.pid[0],
                  "starting a running id gave %s, expected LC_EALREADY "
                  "with its pid",
                  lc_err_name(seen.rc[2]));
    ck_assert_msg(seen.rc[3] == LC_EEXIST,
                  "starting an id that exists but "
                  "does not run gave %s, expected LC_EEXIST "
                  "(already_present)",
                  lc_err_name(seen.rc[3]));
    ck_assert_msg(seen.rc[4] == LC_ESTART &&
                          reason_is(&seen.why[0], reason2("nope", 4)),
                  "a failing start gave %s with %s, expected LC_ESTART "
                  "and {nope, 4}",
                  lc_err_name(seen.rc[4]), gr_reason_str(&seen.why[0]));
    ck_assert_msg(seen.rc[5] == LC_EINVAL,
                  "a spec without a start function "
                  "gave %s",
                  lc_err_name(seen.rc[5]));
    ck_assert_str_eq(ids_str(seen.kids[1], seen.n[1]), "d b a");
    ck_assert_str_eq(log_from(seen.mark[0]),
                     "term d shutdown, term a shutdown");
}

/* Wrong: a start function's LC_EALREADY (its named server runs already,
   started by someone else) is taken as a success and the spec kept with
   that process, or as a plain failure without the holder's pid. */
static void already_named(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a") };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    struct wcfg cfg = { .label = 'b', .name = "taken" };
    lc_pid holder = LC_NOPID;
    seen.rc[1] =
            lc_gs_start(&worker, &cfg, &(struct lc_gs_opts){ .name = "taken" },
                        &holder, NULL);
    seen.pid[0] = holder;
    struct lc_child_spec b = CHILD("b", .name = "taken");
    lc_pid pid = LC_NOPID;
    seen.rc[2] = lc_sup_start_child(sup, &b, &pid, NULL);
    seen.pid[1] = pid;
    seen.n[0] = kids(sup, seen.kids[0]);
    seen.ok[0] = lc_alive(holder) && lc_alive(sup);
}

GR_TEST(start_child_already_started_by_start_function)
{
    reset();
    run(already_named, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_msg(seen.rc[2] == LC_EALREADY && seen.pid[1] == seen.pid[0],
                  "start_child whose start function found its server "
                  "running returned %s, expected LC_EALREADY with the "
                  "holder's pid",
                  lc_err_name(seen.rc[2]));
    ck_assert_str_eq(ids_str(seen.kids[0], seen.n[0]), "a");
    ck_assert_msg(seen.ok[0], "the holder or the supervisor died");
}

/* --- Forms of supervisors --------------------------------------------------
 */

static const struct wcfg cfg_a = { .label = 'a' }, cfg_b = { .label = 'b' };
static const struct lc_child_spec mod_children[] = {
    { .id = "a", .start = w_start, .arg = &cfg_a, .arg_size = sizeof cfg_a },
    { .id = "b", .start = w_start, .arg = &cfg_b, .arg_size = sizeof cfg_b },
};

static int mod_init(void *arg, struct lc_sup_spec *spec)
{
    int mode = *(int *)arg;
    ctl[7].sup = lc_self();
    ctl[7].starts++;
    if (mode == 1) {
        return LC_EIGNORE;
    }
    spec->flags = (struct lc_sup_flags){ .strategy = LC_ONE_FOR_ONE,
                                         .max_restarts = 1,
                                         .max_seconds = 5 };
    spec->children = mod_children;
    spec->nchildren = 2;
    return 0;
}

static const struct lc_sup_ops mod_ops = { .init = mod_init };

/* Wrong: init does not run in the supervisor, the flags it gives are not
   used, or LC_EIGNORE is not handled. */
static void callback_form(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    int mode = 0;
    lc_pid sup = LC_NOPID;
    seen.rc[0] = lc_sup_start_link_mod(&mod_ops, &mode, NULL, &sup, NULL);
    seen.pid[0] = sup;
    seen.ok[0] = ctl[7].sup == sup;
    seen.n[0] = kids(sup, seen.kids[0]);
    kill_child(pid_of(sup, "a"));
    seen.ok[1] = lc_alive(sup) && ctl[0].starts == 2;
    kill_child(pid_of(sup, "a"));
    seen.ok[2] = !lc_alive(sup); /* max_restarts 1 from init */
    mode = 1;
    lc_pid sup2 = 5;
    seen.rc[1] = lc_sup_start_link_mod(&mod_ops, &mode, NULL, &sup2, NULL);
    seen.pid[1] = ctl[7].sup;
}

GR_TEST(callback_module_form)
{
    reset();
    run(callback_form, NULL);
    ck_assert_msg(seen.rc[0] == 0, "start returned %s",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(seen.ok[0], "init must run in the supervisor process");
    ck_assert_str_eq(ids_str(seen.kids[0], seen.n[0]), "b a");
    ck_assert_msg(seen.ok[1], "a was not restarted");
    ck_assert_msg(seen.ok[2], "the flags init gave (1 restart in 5 s) were "
                              "not used");
    ck_assert_msg(seen.rc[1] == LC_EIGNORE,
                  "init returning LC_EIGNORE gave "
                  "%s",
                  lc_err_name(seen.rc[1]));
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[1]), LC_A_NORMAL),
                  "an ignoring supervisor ended with %s, expected normal",
                  gr_reason_str(gr_end(seen.pid[1])));
}

/* A supervisor wrapped in a module of its own: the module knows its
   children and says how it is started (the child_spec convention). */
static int pool_init(void *arg, struct lc_sup_spec *spec)
{
    (void)arg;
    static const struct lc_child_spec c[] = {
        { .id = "e",
          .start = w_start,
          .arg = &cfg_e,
          .arg_size = sizeof cfg_e },
        { .id = "f",
          .start = w_start,
          .arg = &cfg_f,
          .arg_size = sizeof cfg_f },
    };
    spec->flags.strategy = LC_ONE_FOR_ONE;
    spec->children = c;
    spec->nchildren = 2;
    return 0;
}

static int pool_start_link(void *arg, lc_pid *pid, struct lc_reason *why)
{
    static const struct lc_sup_ops ops = { .init = pool_init };
    struct lc_sup_error err;
    int rc = lc_sup_start_link_mod(&ops, arg, NULL, pid, &err);
    if (rc < 0 && why != NULL) {
        *why = err.reason;
    }
    return rc;
}

static struct lc_child_spec pool_child_spec(const void *arg)
{
    return (struct lc_child_spec){ .id = "pool",
                                   .start = pool_start_link,
                                   .arg = arg,
                                   .type = LC_CHILD_SUPERVISOR };
}

static lc_child_spec_fn *const pool_spec_fn = pool_child_spec;

struct edge_seen {
    lc_pid from;
    int n;
    char labels[4][16];
    lc_pid to[4];
};

static void collect_edges(const struct lc_edge *e, void *ctx)
{
    struct edge_seen *s = ctx;
    if (e->kind == LC_EDGE_SUPERVISES && e->from == s->from && s->n < 4) {
        snprintf(s->labels[s->n], sizeof s->labels[0], "%s",
                 e->label ? e->label : "(none)");
        s->to[s->n] = e->to;
        s->n++;
    }
}

static struct edge_seen top_edges, pool_edges;
static struct lc_info sup_info, pool_info;
static char sup_detail[32], pool_detail[32];

/* Wrong: the role or detail is not set (the figure draws the supervisor as
   a worker), or the edges carry no id. */
static void wrapped(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a"), pool_spec_fn(NULL) };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.n[0] = kids(sup, seen.kids[0]);
    lc_pid pool = pid_of(sup, "pool");
    seen.pid[0] = pool;
    seen.n[1] = pool != LC_NOPID ? kids(pool, seen.kids[1]) : 0;
    seen.counts[0] = lc_sup_count_children(sup);
    seen.rc[1] = lc_proc_info(sup, &sup_info);
    snprintf(sup_detail, sizeof sup_detail, "%s",
             sup_info.detail ? sup_info.detail : "(none)");
    seen.rc[2] = lc_proc_info(pool, &pool_info);
    snprintf(pool_detail, sizeof pool_detail, "%s",
             pool_info.detail ? pool_info.detail : "(none)");
    top_edges.from = sup;
    pool_edges.from = pool;
    lc_edges(collect_edges, &top_edges);
    lc_edges(collect_edges, &pool_edges);
    seen.pid[1] = ctl[0].pid;
}

GR_TEST(supervisor_module_as_child_drawn_as_supervisor)
{
    reset();
    memset(&top_edges, 0, sizeof top_edges);
    memset(&pool_edges, 0, sizeof pool_edges);
    run(wrapped, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_str_eq(ids_str(seen.kids[0], seen.n[0]), "pool a");
    ck_assert_msg(seen.kids[0][0].type == LC_CHILD_SUPERVISOR,
                  "the pool is not listed as a supervisor");
    ck_assert_str_eq(ids_str(seen.kids[1], seen.n[1]), "f e");
    ck_assert_msg(seen.counts[0].supervisors == 1 &&
                          seen.counts[0].workers == 1,
                  "count_children: supervisors %zu workers %zu",
                  seen.counts[0].supervisors, seen.counts[0].workers);
    ck_assert_msg(seen.rc[1] == 0 && sup_info.role == LC_ROLE_SUPERVISOR &&
                          seen.rc[2] == 0 &&
                          pool_info.role == LC_ROLE_SUPERVISOR,
                  "supervisors must have the role LC_ROLE_SUPERVISOR");
    ck_assert_str_eq(sup_detail, "one_for_one 3/5s");
    ck_assert_str_eq(pool_detail, "one_for_one 3/5s");
    ck_assert_msg(top_edges.n == 2,
                  "the supervisor has %d supervises "
                  "edge(s), expected 2",
                  top_edges.n);
    ck_assert_msg((strcmp(top_edges.labels[0], "a") == 0 &&
                   top_edges.to[0] == seen.pid[1] &&
                   strcmp(top_edges.labels[1], "pool") == 0 &&
                   top_edges.to[1] == seen.pid[0]),
                  "supervises edges: %s, %s; expected a, pool (in start "
                  "order, labelled by id)",
                  top_edges.labels[0], top_edges.labels[1]);
    ck_assert_msg(pool_edges.n == 2 && strcmp(pool_edges.labels[0], "e") == 0,
                  "the pool's supervises edges are missing");
}

/* Wrong: the edge is not moved to the new child on restart, or the
   restart count is drawn on the wrong process. */
static void edge_after_restart(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a"), CHILD("b") };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    kill_child(pid_of(sup, "a"));
    top_edges.from = sup;
    lc_edges(collect_edges, &top_edges);
    seen.pid[0] = pid_of(sup, "a");
    seen.pid[1] = pid_of(sup, "b");
}

GR_TEST(restart_keeps_supervises_edge_in_place)
{
    reset();
    memset(&top_edges, 0, sizeof top_edges);
    run(edge_after_restart, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(top_edges.n == 2 && strcmp(top_edges.labels[0], "a") == 0 &&
                          top_edges.to[0] == seen.pid[0] &&
                          strcmp(top_edges.labels[1], "b") == 0 &&
                          top_edges.to[1] == seen.pid[1],
                  "after a's restart the edges are %d: %s, %s; expected a "
                  "(to the new a) then b: use lc_edge_move()",
                  top_edges.n, top_edges.labels[0], top_edges.labels[1]);
}

/* Wrong: lc_sup_stop() leaves children running, or stops them in start
   order, or the supervisor exits with another reason. */
static void stop_all(void *arg)
{
    (void)arg;
    struct lc_child_spec c[] = { CHILD("a", .trap = true), CHILD("b"),
                                 CHILD("c", .trap = true), pool_spec_fn(NULL) };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = start_sup(LC_ONE_FOR_ONE, 3, 5, c, N(c), &sup);
    seen.pid[0] = sup;
    seen.pid[1] = ctl[1].pid;
    seen.pid[2] = ctl[4].pid;
    seen.n[0] = lc_proc_list(NULL, 0);
    seen.mark[0] = nevents;
    seen.rc[1] = lc_sup_stop(sup);
    seen.ok[5] = true; /* the caller, its parent, lives on */
    seen.n[1] = lc_proc_list(NULL, 0);
}

GR_TEST(stop_leaves_no_process_behind)
{
    reset();
    run(stop_all, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.n[0] == 8,
                  "%zu processes after the start, expected "
                  "8",
                  seen.n[0]);
    ck_assert_msg(seen.ok[5], "lc_sup_stop() killed its caller, the "
                              "supervisor's parent: stop with normal");
    ck_assert_msg(seen.rc[1] == 0, "lc_sup_stop returned %s",
                  lc_err_name(seen.rc[1]));
    ck_assert_msg(seen.n[1] == 1,
                  "%zu processes left after lc_sup_stop(): "
                  "every child and grandchild must be gone when it returns",
                  seen.n[1]);
    ck_assert_str_eq(log_from(seen.mark[0]),
                     "term c shutdown, term a shutdown");
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_NORMAL) &&
                          gr_reason_is(gr_end(seen.pid[1]), LC_A_SHUTDOWN) &&
                          gr_reason_is(gr_end(seen.pid[2]), LC_A_SHUTDOWN),
                  "the supervisor, a child and a grandchild ended with %s, "
                  "%s, %s; expected normal, shutdown, shutdown",
                  gr_reason_str(gr_end(seen.pid[0])),
                  gr_reason_str(gr_end(seen.pid[1])),
                  gr_reason_str(gr_end(seen.pid[2])));
}

/* --- Under the chaos scheduler ----------------------------------------------
 */

static void chaos_restarts(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    lc_pid sup = intensity_sup(3, 5);
    seen.pid[0] = sup;
    for (int i = 0; i < 3; i++) {
        lc_exit_signal(pid_of(sup, "b"), lc_reason(LC_A_KILL));
        lc_sleep(10);
    }
    seen.ok[0] = lc_alive(sup);
    seen.n[0] = kids(sup, seen.kids[0]);
    seen.mark[0] = nevents;
    lc_exit_signal(pid_of(sup, "b"), lc_reason(LC_A_KILL));
    struct lc_msg *m = lc_receive_tag(LC_TAG_EXIT, 1000);
    seen.ok[1] = m != NULL && ((struct lc_exit_msg *)m->data)->from == sup;
    lc_msg_free(m);
    seen.n[1] = lc_proc_list(NULL, 0);
}

static void chaos_restarts_check(void)
{
    ck_assert_msg(seen.rc[0] == 0 && seen.ok[0] && ctl[1].starts == 4,
                  "seed %llu: b started %d times, supervisor alive %d",
                  (unsigned long long)cur_seed, ctl[1].starts, seen.ok[0]);
    ck_assert_msg(strcmp(ids_str(seen.kids[0], seen.n[0]), "c b a") == 0,
                  "seed %llu: which_children %s", (unsigned long long)cur_seed,
                  ids_str(seen.kids[0], seen.n[0]));
    ck_assert_msg(
            seen.ok[1] && gr_reason_is(gr_end(seen.pid[0]), LC_A_SHUTDOWN),
            "seed %llu: the supervisor ended with %s",
            (unsigned long long)cur_seed, gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_msg(strcmp(log_from(seen.mark[0]),
                         "term c shutdown, term a shutdown") == 0 &&
                          seen.n[1] == 1,
                  "seed %llu: after giving up: %s (%zu processes left)",
                  (unsigned long long)cur_seed, log_from(seen.mark[0]),
                  seen.n[1]);
}

GR_TEST(restarts_and_give_up_same_under_any_schedule)
{
    over_seeds(chaos_restarts, chaos_restarts_check, 60);
}

/* ==========================================================================
 * ==== The to-do system's stages (tests below this line are written with
 * the to-do system) ====
 * Tests of the supervisor layer itself stay above this block.
 * ========================================================================== */

/* The to-do system: helpers, and the record 'td' (todo_tests.h). */
#include "todo_tests.h"

/* --- Stage supervised_todo_cache ------------------------------------------ */

static void td_serves(void *arg)
{
    lc_pid sup = td_start();
    if (sup == LC_NOPID) {
        return;
    }
    td.pid[0] = sup;
    td.pid[1] = lc_whereis(TODO_SYSTEM_NAME);
    td.pid[2] = lc_whereis(TODO_CACHE_NAME);
    struct lc_child_info kids[4];
    td.n[0] = lc_sup_which_children(sup, kids, 4);
    td.pid[3] = kids[0].pid;
    td.ok[0] = strcmp(kids[0].id, TODO_CACHE_NAME) == 0;
    uint32_t a = 0, b = 0;
    td.rc[1] = todo_add("Bob's list", td_day, "Dentist", &a);
    td.rc[2] = todo_add("Bob's list", td_day, "Movies", &b);
    td.rc[3] = todo_add("Alice's list", todo_date(2026, 12, 20), "Piano", NULL);
    td.count[0] = (int)(a * 10 + b);
    td.count[1] = td_entries("Bob's list");
    td.count[2] = td_entries("Alice's list");
}

GR_TEST(todo_system_starts_and_serves)
{
    td_reset();
    gr_run(td_serves, NULL);
    TD_STARTED();
    ck_assert_msg(td.pid[1] == td.pid[0],
                  "the system supervisor is not registered as todo_system");
    ck_assert_msg(td.n[0] == 1 && td.ok[0],
                  "the system supervisor should have one child, todo_cache "
                  "(it has %zu)",
                  td.n[0]);
    ck_assert_msg(td.pid[2] != LC_NOPID && td.pid[2] == td.pid[3],
                  "the child todo_cache is not the process named todo_cache");
    ck_assert_int_eq(td.rc[1], 0);
    ck_assert_int_eq(td.rc[2], 0);
    ck_assert_int_eq(td.rc[3], 0);
    ck_assert_int_eq(td.count[0], 12); /* ids 1 and 2 */
    ck_assert_int_eq(td.count[1], 2);
    ck_assert_str_eq(td.e[0].title, "Dentist");
    ck_assert_int_eq(td.count[2], 0); /* Alice's entry is on another day */
}

static void td_cache_restart(void *arg)
{
    lc_pid sup = td_start();
    if (sup == LC_NOPID) {
        return;
    }
    td.pid[0] = lc_whereis(TODO_CACHE_NAME);
    td.rc[1] = todo_add("Bob's list", td_day, "Dentist", NULL);
    td_kill(td.pid[0]);
    td.pid[1] = lc_whereis(TODO_CACHE_NAME);
    td.ok[0] = lc_alive(sup);
    td.rc[2] = todo_add("Bob's list", td_day, "Movies", NULL);
    td.count[0] = td_entries("Bob's list");
}

GR_TEST(todo_cache_restarted_under_its_name)
{
    td_reset();
    gr_run(td_cache_restart, NULL);
    TD_STARTED();
    ck_assert_msg(td.ok[0], "the system supervisor ended when the cache was "
                            "killed");
    ck_assert_msg(td.pid[1] != LC_NOPID && td.pid[1] != td.pid[0],
                  "after a kill, todo_cache should be a new process");
    ck_assert_int_eq(td.rc[2], 0);
    ck_assert_int_eq(td.count[0], 2);
}

static void td_survive(void *arg)
{
    lc_pid sup = td_start();
    if (sup == LC_NOPID) {
        return;
    }
    todo_add("Bob's list", td_day, "Dentist", NULL);
    todo_add("Bob's list", td_day, "Movies", NULL);
    todo_delete("Bob's list", 1);
    todo_update("Bob's list", 2, td_day, "Theatre");
    td.pid[0] = td_server("Bob's list");
    td_kill(lc_whereis(TODO_CACHE_NAME));
    td.pid[1] = td_server("Bob's list");
    td.count[0] = td_entries("Bob's list");
    uint32_t id = 0;
    todo_add("Bob's list", td_day, "Dinner", &id);
    td.count[1] = (int)id;
}

GR_TEST(todo_entries_survive_cache_restart)
{
    td_reset();
    gr_run(td_survive, NULL);
    TD_STARTED();
    ck_assert_msg(td.pid[1] != LC_NOPID && td.pid[1] != td.pid[0],
                  "after the cache's restart, Bob's list should have a new "
                  "server");
    ck_assert_int_eq(td.count[0], 1);
    ck_assert_uint_eq(td.e[0].id, 2);
    ck_assert_str_eq(td.e[0].title, "Theatre");
    ck_assert_int_eq(td.count[1], 3); /* ids are not reused after a reload */
}

/* --- Stage todo_links ----------------------------------------------------- */

static void td_links(void *arg)
{
    lc_pid sup = td_start();
    if (sup == LC_NOPID) {
        return;
    }
    lc_pid cache = lc_whereis(TODO_CACHE_NAME);
    lc_pid db = lc_whereis(TODO_DATABASE_NAME);
    lc_pid bob = td_server("Bob's list");
    lc_pid w[8];
    size_t nw = td_workers(db, cache, w);
    td.ok[0] = td_linked(bob, cache);
    td.ok[1] = db != LC_NOPID && td_linked(db, cache);
    td.n[0] = nw;
    td.ok[2] = true;
    for (size_t i = 0; i < nw; i++) {
        td.ok[2] = td.ok[2] && lc_links(w[i], NULL, 0) == 1;
    }
}

GR_TEST(todo_links_every_process_linked_to_its_starter)
{
    td_reset();
    gr_run(td_links, NULL);
    TD_STARTED();
    ck_assert_msg(td.ok[0], "a to-do server is not linked to the cache that "
                            "started it (start_server)");
    ck_assert_msg(td.ok[1], "the database is not linked to the cache that "
                            "started it (start_database)");
    ck_assert_msg(td.n[0] == 3 && td.ok[2],
                  "the database should be linked to its 3 workers, each "
                  "linked to it alone (%zu linked; start_worker)",
                  td.n[0]);
}

static void td_dangle(void *arg)
{
    lc_pid sup = td_start();
    if (sup == LC_NOPID) {
        return;
    }
    lc_pid cache = lc_whereis(TODO_CACHE_NAME);
    todo_add("Bob's list", td_day, "Dentist", NULL);
    todo_add("Alice's list", td_day, "Piano", NULL);
    td.pid[0] = td_server("Bob's list");
    td.pid[1] = td_server("Alice's list");
    td.pid[2] = lc_whereis(TODO_DATABASE_NAME);
    td_workers(td.pid[2], cache, &td.pid[3]); /* pid[3..5] */
    td.n[0] = lc_proc_list(NULL, 0);
    td_kill(cache);
    td.count[0] = td_entries("Bob's list");
    td_entries("Alice's list");
    td.n[1] = lc_proc_list(NULL, 0);
    for (int i = 0; i < 6; i++) {
        td.ok[0] = td.ok[0] || lc_alive(td.pid[i]);
    }
}

GR_TEST(todo_links_nothing_dangles)
{
    td_reset();
    gr_run(td_dangle, NULL);
    TD_STARTED();
    ck_assert_msg(!td.ok[0], "after the cache was killed, an old server, the "
                             "old database or an old worker still runs");
    ck_assert_msg(td.n[1] == td.n[0],
                  "processes before the kill: %zu; after the restart and "
                  "the same requests: %zu",
                  td.n[0], td.n[1]);
    ck_assert_int_eq(td.count[0], 1);
}

static void td_server_crash(void *arg)
{
    lc_pid sup = td_start();
    if (sup == LC_NOPID) {
        return;
    }
    todo_add("Bob's list", td_day, "Dentist", NULL);
    td.pid[0] = td_server("Bob's list");
    td.pid[1] = lc_whereis(TODO_CACHE_NAME);
    td_kill(td.pid[0]);
    td.pid[2] = lc_whereis(TODO_CACHE_NAME);
    td.pid[3] = td_server("Bob's list");
    td.count[0] = td_entries("Bob's list");
}

GR_TEST(todo_server_crash_takes_cache_and_reloads)
{
    td_reset();
    gr_run(td_server_crash, NULL);
    TD_STARTED();
    ck_assert_msg(td.pid[2] != td.pid[1] && td.pid[2] != LC_NOPID,
                  "a server's crash should take its linked cache down (and "
                  "the supervisor restart it)");
    ck_assert_msg(td.pid[3] != td.pid[0], "Bob's list kept its dead server");
    ck_assert_int_eq(td.count[0], 1);
    ck_assert_str_eq(td.e[0].title, "Dentist");
}

static void td_corrupt_run(void *arg)
{
    lc_pid sup = td_start();
    if (sup == LC_NOPID) {
        return;
    }
    todo_add("Alice's list", td_day, "Piano", NULL);
    td_corrupt("Bob's list");
    td.rc[1] = td_try_add("Bob's list", "Movies");
    lc_sleep(10);
    td.ok[0] = lc_alive(sup);
    td.rc[2] = todo_add("Alice's list", td_day, "Violin", NULL);
    td.count[0] = td_entries("Alice's list");
    struct lc_reason first = td.why;
    td.rc[3] = td_try_add("Bob's list", "Again");
    td.why = first;
}

GR_TEST(todo_corrupt_file_named_others_work)
{
    td_reset();
    gr_run(td_corrupt_run, NULL);
    TD_STARTED();
    char name[TODO_FILE_NAME_MAX];
    todo_file_name("Bob's list", name);
    ck_assert_msg(td.rc[1] == 1, "adding to a list whose file is corrupt "
                                 "should fail the call");
    ck_assert_str_eq(lc_atom_name(td.why.kind), "bad_checksum");
    ck_assert_msg(td.why.value.type == LC_T_ATOM &&
                          td.why.value.u.atom == lc_atom_intern(name),
                  "the reason should name the file %s: %s", name,
                  gr_reason_str(&td.why));
    ck_assert_msg(td.ok[0], "the system supervisor ended");
    ck_assert_int_eq(td.rc[2], 0);
    ck_assert_int_eq(td.count[0], 2);
    ck_assert_msg(td.rc[3] == 1, "a corrupt file must fail every time, "
                                 "never be read as a list");
}

static void td_bad_input(void *arg)
{
    lc_pid sup = td_start();
    if (sup == LC_NOPID) {
        return;
    }
    char name[TODO_NAME_MAX + 2], title[TODO_TITLE_MAX + 2];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    memset(title, 't', sizeof title - 1);
    title[sizeof title - 1] = '\0';
    todo_add("Bob's list", td_day, "Dentist", NULL);
    td.rc[1] = todo_add(name, td_day, "x", NULL);
    td.rc[2] = todo_add("Bob's list", td_day, title, NULL);
    td.rc[3] = todo_add("Bob's list", todo_date(2026, 2, 30), "x", NULL);
    td.rc[4] = todo_update("Bob's list", 7, td_day, "x");
    td.rc[5] = todo_delete("Bob's list", 7);
    td.rc[6] = todo_add("", td_day, "x", NULL);
    td.count[0] = td_entries("Bob's list");
    td.ok[0] = lc_alive(td_server("Bob's list"));
}

GR_TEST(todo_bad_input_refused_nothing_lost)
{
    td_reset();
    gr_run(td_bad_input, NULL);
    TD_STARTED();
    ck_assert_int_eq(td.rc[1], LC_ERANGE);
    ck_assert_int_eq(td.rc[2], LC_ERANGE);
    ck_assert_int_eq(td.rc[3], LC_EINVAL);
    ck_assert_int_eq(td.rc[4], LC_ENOENT);
    ck_assert_int_eq(td.rc[5], LC_ENOENT);
    ck_assert_int_eq(td.rc[6], LC_EINVAL);
    ck_assert_int_eq(td.count[0], 1);
    ck_assert(td.ok[0]);
}

/* The same kill under any schedule: the chaos scheduler, many seeds. */
GR_TEST(todo_links_same_under_any_schedule)
{
    for (uint64_t seed = 1; seed <= 30; seed++) {
        struct lc_config cfg = { .chaos = true, .seed = seed };
        ck_assert_int_eq(lc_init(&cfg), 0);
        td_reset();
        gr_run(td_dangle, NULL);
        TD_STARTED();
        ck_assert_msg(!td.ok[0] && td.n[1] == td.n[0] && td.count[0] == 1,
                      "seed %llu: after killing the cache: old processes "
                      "%s, %zu processes before and %zu after, %d entries",
                      (unsigned long long)seed, td.ok[0] ? "still run" : "gone",
                      td.n[0], td.n[1], td.count[0]);
        lc_fini();
    }
}

/* The book's experiment on restart frequency, on the to-do system: the
   cache killed four times, half a second apart. */
static void td_give_up(void *arg)
{
    lc_trap_exit(true); /* the supervisor's `shutdown` is not our end */
    lc_pid sup = td_start();
    if (sup == LC_NOPID) {
        return;
    }
    td.pid[0] = sup;
    todo_add("Bob's list", td_day, "Dentist", NULL);
    for (int i = 0; i < 4; i++) {
        td.ok[i] = lc_whereis(TODO_CACHE_NAME) != LC_NOPID;
        lc_exit_signal(lc_whereis(TODO_CACHE_NAME), lc_reason(LC_A_KILL));
        lc_sleep(500);
    }
    td.ok[4] = lc_alive(sup);
    td.n[0] = lc_proc_list(NULL, 0);
    /* Start again: the entries are on disk. */
    lc_pid again = td_start();
    td.count[0] = again != LC_NOPID ? td_entries("Bob's list") : -1;
}

GR_TEST(todo_system_gives_up_after_four_quick_kills)
{
    td_reset();
    gr_run(td_give_up, NULL);
    TD_STARTED();
    ck_assert_msg(td.ok[0] && td.ok[1] && td.ok[2] && td.ok[3],
                  "the cache should be restarted after each of the first "
                  "three kills");
    ck_assert_msg(!td.ok[4] && gr_reason_is(gr_end(td.pid[0]), LC_A_SHUTDOWN),
                  "the fourth kill within 5 s should end todo_system with "
                  "shutdown (it ended with %s)",
                  gr_reason_str(gr_end(td.pid[0])));
    ck_assert_msg(td.n[0] == 1, "%zu processes are left besides the caller",
                  td.n[0] - 1);
    ck_assert_int_eq(td.count[0], 1);
}
