/*
 * 10-applications.c - graded tests of chapter 10: applications
 * (lc/otp/application.h) and the KV store (lc/systems/kv.h).
 *
 * The applications under test are small and all alike: a start callback
 * that starts a one_for_one supervisor of two workers (generic servers
 * that trap exits), and prep_stop and stop callbacks -- each of them writes
 * into a log ("start a", "init a.1", "prep_stop a", "term a.2", "stop a"),
 * so that a test reads what happened, in order, as one string. Some
 * applications are built to fail their start: with an error, with a bad
 * return, with an exception.
 *
 * The KV tests are the Mix and OTP guide's, on the kit's KV store: a
 * bucket removed from the registry when it crashes or stops, buckets are
 * temporary, a registry crash takes the buckets down.
 *
 * A driver process plays the program. After a kill it waits for the
 * victim's end (a monitor) and for the process that must react to it
 * before it asks anything: the answer never depends on who ran first.
 * Everything runs on the virtual clock; the tests whose names end in
 * _under_any_schedule repeat their scenario under 30 seeds of the chaos
 * scheduler.
 *
 * Each rubric line names the rule it holds (A1..A5 of the kit's OTP
 * reference, section 8) or the guide's test, and the section to re-read.
 */
#include "harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lc/otp/application.h"
#include "lc/otp/dynamic_supervisor.h"
#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/names.h"
#include "lc/otp/supervisor.h"
#include "lc/systems/kv.h"

/* --- What the tests saw ---------------------------------------------------
 */

static char logbuf[2048];

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
    size_t len = strlen(logbuf);
    if (len > 0 && len < sizeof logbuf - 2) {
        strcat(logbuf, ", ");
        len += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(logbuf + len, sizeof logbuf - len, fmt, ap);
    va_end(ap);
}

static struct {
    int rc[8];
    lc_pid pid[8];
    bool ok[8];
    size_t n[8];
    struct lc_app_error err[4];
    char names[4][LC_APP_MAX][LC_APP_NAME_MAX];
    char log[4][2048]; /* snapshots of the log */
    char value[4][KV_VALUE_MAX];
} seen;

static const char *joined(char (*names)[LC_APP_NAME_MAX], size_t n)
{
    static char buf[256];
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strcat(buf, i > 0 ? " " : "");
        strcat(buf, names[i]);
    }
    return buf;
}

/* --- The test applications -------------------------------------------------
 */

enum fail {
    OK,
    FAIL_ERROR,
    FAIL_BAD_RETURN,
    FAIL_RAISE,
    DEAD_TOP /* returns 0 with a top that has already ended */
};

struct tapp {
    const char *name;
    const char *w[2]; /* its workers' labels */
    enum fail fail;
    lc_pid top; /* its top supervisor, once started */
    bool prep_saw_tree, stop_saw_tree, stop_state_ok;
    int after_prep; /* what prep_stop hands to stop */
};

#define T(n, f)                                                          \
    {                                                                    \
        .name = n, .w = { n ".1", n ".2" }, .fail = (f), .top = LC_NOPID \
    }
static struct tapp T_A = T("a", OK), T_B = T("b", OK), T_C = T("c", OK),
                   T_D = T("d", OK), T_X = T("x", OK), T_E = T("e", FAIL_ERROR),
                   T_F = T("f", FAIL_BAD_RETURN), T_G = T("g", FAIL_RAISE),
                   T_H = T("h", DEAD_TOP);

static struct tapp *const all_tapps[] = { &T_A, &T_B, &T_C, &T_D, &T_X,
                                          &T_E, &T_F, &T_G, &T_H };

static lc_pid dead_top_master; /* the master that ran T_H's callback */

static void reset(void)
{
    logbuf[0] = '\0';
    memset(&seen, 0, sizeof seen);
    for (size_t i = 0; i < sizeof all_tapps / sizeof all_tapps[0]; i++) {
        struct tapp *t = all_tapps[i];
        t->top = LC_NOPID;
        t->prep_saw_tree = t->stop_saw_tree = t->stop_state_ok = false;
    }
}

static int w_init(void *arg, void **state, struct lc_reason *stop)
{
    lc_trap_exit(true);
    *state = arg;
    logf_("init %s", (const char *)arg);
    return LC_GS_CONTINUE;
}

static void w_terminate(void *state, const struct lc_reason *why)
{
    logf_("term %s", (const char *)state);
}

static const struct lc_gs_ops worker_ops = { .init = w_init,
                                             .terminate = w_terminate };

static int worker_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return lc_gs_start_link(&worker_ops, arg, NULL, pid, why);
}

static void ends_at_once(void *arg)
{
}

/* A process that has ended, not linked to the caller. */
static lc_pid ended_process(void)
{
    lc_pid p = lc_spawn(ends_at_once, NULL);
    uint64_t ref = lc_monitor(p);
    lc_msg_free(lc_receive_ref(ref, LC_INFINITY));
    return p;
}

static int tapp_start(void *arg, lc_pid *top, void **state,
                      struct lc_reason *why)
{
    struct tapp *t = arg;
    logf_("start %s", t->name);
    switch (t->fail) {
        case FAIL_ERROR:
            *why = lc_reason_with(lc_atom_intern("nope"), lc_int(1));
            return LC_ESTART;
        case FAIL_BAD_RETURN:
            *top = LC_NOPID;
            return 0;
        case FAIL_RAISE:
            lc_exit(lc_reason_with(lc_atom_intern("bang"), lc_int(7)));
        case DEAD_TOP:
            dead_top_master = lc_self();
            *top = ended_process();
            *state = t;
            return 0;
        case OK:
            break;
    }
    struct lc_child_spec c[2] = {
        { .id = t->w[0], .start = worker_start, .arg = t->w[0] },
        { .id = t->w[1], .start = worker_start, .arg = t->w[1] },
    };
    struct lc_sup_spec s = {
        .flags = { .strategy = LC_ONE_FOR_ONE,
                   .max_restarts = 1,
                   .max_seconds = 5 },
        .children = c,
        .nchildren = 2,
    };
    int rc = lc_sup_start_link(&s, NULL, top, NULL);
    t->top = *top;
    *state = t;
    return rc;
}

static void *tapp_prep_stop(void *state)
{
    struct tapp *t = state;
    logf_("prep_stop %s", t->name);
    t->prep_saw_tree = lc_alive(t->top);
    return &t->after_prep;
}

static void tapp_stop(void *state)
{
    /* state is &t->after_prep: find t */
    for (size_t i = 0; i < sizeof all_tapps / sizeof all_tapps[0]; i++) {
        struct tapp *t = all_tapps[i];
        if (state == &t->after_prep) {
            logf_("stop %s", t->name);
            t->stop_saw_tree = lc_alive(t->top);
            t->stop_state_ok = true;
            return;
        }
    }
    logf_("stop ?");
}

static const char *const deps_a[] = { "a" };
static const char *const deps_b[] = { "b" };
static const char *const deps_ax[] = { "a", "x" };

#define TAPP(t, d, nd)                                                     \
    {                                                                      \
        .name = t##_NAME, .deps = (d), .ndeps = (nd), .start = tapp_start, \
        .arg = &t, .prep_stop = tapp_prep_stop, .stop = tapp_stop          \
    }

#define T_A_NAME "a"
#define T_B_NAME "b"
#define T_C_NAME "c"
#define T_D_NAME "d"
#define T_X_NAME "x"
#define T_E_NAME "e"
#define T_F_NAME "f"
#define T_G_NAME "g"
#define T_H_NAME "h"

static const struct lc_app_spec specs[] = {
    TAPP(T_A, NULL, 0),    TAPP(T_B, deps_a, 1), TAPP(T_C, deps_b, 1),
    TAPP(T_D, deps_ax, 2), TAPP(T_X, NULL, 0),   TAPP(T_E, deps_a, 1),
    TAPP(T_F, NULL, 0),    TAPP(T_G, NULL, 0),   TAPP(T_H, NULL, 0),
};

static void load_all(void)
{
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        lc_app_load(&specs[i]);
    }
    lc_app_load(&kv_app);
}

static void run(lc_proc_fn *fn)
{
    reset();
    gr_record_exits();
    gr_run(fn, NULL);
}

/* Kill 'pid' with 'r' and wait until it has ended. */
static void kill_wait(lc_pid pid, struct lc_reason r)
{
    uint64_t ref = lc_monitor(pid);
    lc_exit_signal(pid, r);
    lc_msg_free(lc_receive_ref(ref, LC_INFINITY));
}

/* The application master of running application 'name': the process that
   spawned its top supervisor. */
static lc_pid master_of(const char *name)
{
    struct lc_info in;
    lc_pid top = lc_app_top(name);
    if (top == LC_NOPID || lc_proc_info(top, &in) < 0) {
        return LC_NOPID;
    }
    return in.parent;
}

/* End the tree of 'name' with 'r' (not through the application) and wait
   until its master has ended too (A5). */
static void end_tree(const char *name, struct lc_reason r)
{
    lc_pid master = master_of(name);
    uint64_t ref = lc_monitor(master);
    if (r.kind == LC_A_NORMAL) {
        lc_sup_stop(lc_app_top(name));
    } else {
        lc_exit_signal(lc_app_top(name), r);
    }
    lc_msg_free(lc_receive_ref(ref, LC_INFINITY));
}

static const char *which(void)
{
    static char names[LC_APP_MAX][LC_APP_NAME_MAX];
    size_t n = lc_app_which(names, LC_APP_MAX);
    return joined(names, n);
}

static void snap(int i)
{
    snprintf(seen.log[i], sizeof seen.log[i], "%s", logbuf);
    logbuf[0] = '\0';
}

static void snap_which(int i)
{
    snprintf(seen.log[i], sizeof seen.log[i], "%s", which());
}

#define LOG_EQ(i, want)                                               \
    ck_assert_msg(strcmp(seen.log[i], (want)) == 0,                   \
                  "log %d: expected \"%s\", got \"%s\"", (i), (want), \
                  seen.log[i])

static const char *rstr(const struct lc_reason *r)
{
    return gr_reason_str(r);
}

/* --- A1: start ---------------------------------------------------------------
 */

/* Catches: a start that does not run the callback, or does not keep the
   application as running. */
static void start_basic(void *arg)
{
    load_all();
    seen.rc[0] = lc_app_start("a", LC_APP_TEMPORARY, NULL);
    snap(0);
    snap_which(1);
    seen.pid[0] = lc_app_top("a");
    seen.pid[1] = T_A.top;
    struct lc_info in;
    seen.ok[0] = lc_proc_info(master_of("a"), &in) == 0 &&
                 in.role == LC_ROLE_APPLICATION;
}

GR_TEST(start_runs_callback_and_tree)
{
    run(start_basic);
    ck_assert_int_eq(seen.rc[0], 0);
    LOG_EQ(0, "start a, init a.1, init a.2");
    LOG_EQ(1, "a");
    ck_assert_msg(seen.pid[0] != LC_NOPID && seen.pid[0] == seen.pid[1],
                  "lc_app_top() must give the top supervisor the start "
                  "callback returned");
    ck_assert_msg(seen.ok[0], "the top supervisor's parent must be the "
                              "application master, role LC_ROLE_APPLICATION");
}

/* Catches: a second start that starts a second tree. */
static void start_twice(void *arg)
{
    load_all();
    lc_app_start("a", LC_APP_TEMPORARY, NULL);
    seen.pid[0] = lc_app_top("a");
    logbuf[0] = '\0';
    seen.rc[0] = lc_app_start("a", LC_APP_TEMPORARY, &seen.err[0]);
    snap(0);
    seen.pid[1] = lc_app_top("a");
}

GR_TEST(start_running_app_is_already_started)
{
    run(start_twice);
    ck_assert_int_eq(seen.rc[0], LC_EALREADY);
    ck_assert_str_eq(rstr(&seen.err[0].reason), "{already_started, a}");
    LOG_EQ(0, "");
    ck_assert_msg(seen.pid[0] == seen.pid[1], "the running tree is kept");
}

/* Catches: dependencies that are not checked, or started on the way. */
static void start_missing_dep(void *arg)
{
    load_all();
    seen.rc[0] = lc_app_start("b", LC_APP_TEMPORARY, &seen.err[0]);
    snap(0);
    snap_which(1);
}

GR_TEST(start_refuses_missing_dependency)
{
    run(start_missing_dep);
    ck_assert_int_eq(seen.rc[0], LC_ESTART);
    ck_assert_str_eq(rstr(&seen.err[0].reason), "{not_started, a}");
    LOG_EQ(0, "");
    LOG_EQ(1, "");
}

/* Catches: the last missing dependency named, or the first one at all. */
static void start_first_missing(void *arg)
{
    load_all();
    seen.rc[0] = lc_app_start("d", LC_APP_TEMPORARY, &seen.err[0]);
    lc_app_start("a", LC_APP_TEMPORARY, NULL);
    seen.rc[1] = lc_app_start("d", LC_APP_TEMPORARY, &seen.err[1]);
    lc_app_start("x", LC_APP_TEMPORARY, NULL);
    seen.rc[2] = lc_app_start("d", LC_APP_TEMPORARY, NULL);
}

GR_TEST(start_names_first_missing_dependency)
{
    run(start_first_missing);
    ck_assert_int_eq(seen.rc[0], LC_ESTART);
    ck_assert_str_eq(rstr(&seen.err[0].reason), "{not_started, a}");
    ck_assert_int_eq(seen.rc[1], LC_ESTART);
    ck_assert_str_eq(rstr(&seen.err[1].reason), "{not_started, x}");
    ck_assert_int_eq(seen.rc[2], 0);
}

static void start_unknown(void *arg)
{
    load_all();
    seen.rc[0] = lc_app_start("nope", LC_APP_TEMPORARY, NULL);
    seen.rc[1] = lc_app_load(&specs[0]);
    seen.rc[2] = lc_app_start("a", LC_APP_TEMPORARY, NULL);
}

GR_TEST(start_unloaded_is_enoent)
{
    run(start_unknown);
    ck_assert_int_eq(seen.rc[0], LC_ENOENT);
    ck_assert_int_eq(seen.rc[1], LC_EEXIST);
    ck_assert_int_eq(seen.rc[2], 0);
}

/* --- A2: the start callback
 * ---------------------------------------------------
 */

static void start_fails(void *arg)
{
    load_all();
    seen.rc[0] = lc_app_start("f", LC_APP_TEMPORARY, &seen.err[0]);
    seen.rc[1] = lc_app_start("g", LC_APP_TEMPORARY, &seen.err[1]);
    lc_app_start("a", LC_APP_TEMPORARY, NULL);
    seen.rc[2] = lc_app_start("e", LC_APP_TEMPORARY, &seen.err[2]);
    snap_which(0);
    seen.n[0] = lc_proc_list(NULL, 0);
}

/* Catches: a failed start kept as running, or its reason lost. */
GR_TEST(callback_error_fails_start_with_its_reason)
{
    run(start_fails);
    ck_assert_int_eq(seen.rc[2], LC_ESTART);
    ck_assert_str_eq(seen.err[2].app, "e");
    ck_assert_str_eq(rstr(&seen.err[2].reason), "{nope, 1}");
    LOG_EQ(0, "a");
}

/* Catches: a callback that returns "ok" without a tree taken at its word. */
GR_TEST(callback_bad_return_fails_start)
{
    run(start_fails);
    ck_assert_int_eq(seen.rc[0], LC_ESTART);
    ck_assert_str_eq(seen.err[0].app, "f");
    ck_assert_str_eq(rstr(&seen.err[0].reason), "{bad_return, 0}");
}

/* Catches: a controller that dies (or waits forever) when a callback
   raises. */
GR_TEST(callback_raise_fails_start)
{
    run(start_fails);
    ck_assert_int_eq(seen.rc[1], LC_ESTART);
    ck_assert_str_eq(seen.err[1].app, "g");
    ck_assert_msg(seen.err[1].reason.kind == lc_atom_intern("bang"),
                  "the exception's reason, got %s", rstr(&seen.err[1].reason));
}

static void start_dead_top(void *arg)
{
    load_all();
    lc_app_start("a", LC_APP_TEMPORARY, NULL);
    logbuf[0] = '\0';
    seen.rc[0] = lc_app_start("h", LC_APP_TEMPORARY, &seen.err[0]);
    lc_sleep(1); /* the virtual clock: until every process waits */
    snap(0);
    snap_which(1);
    seen.ok[0] = lc_app_halted(NULL);
}

/* Catches: a top that has already ended refused as a bad return. OTP's
   master links to the pid the callback returned: the start succeeds, and
   the link's EXIT (noproc) ends the application at once. */
GR_TEST(callback_dead_top_starts_then_ends)
{
    run(start_dead_top);
    ck_assert_int_eq(seen.rc[0], 0);
    LOG_EQ(0, "start h, prep_stop h, stop h");
    LOG_EQ(1, "a");
    ck_assert_str_eq(rstr(gr_end(dead_top_master)), "noproc");
    ck_assert_msg(!seen.ok[0], "a temporary application does not halt");
}

/* --- A3: ensure_all_started
 * -------------------------------------------------------
 */

static void ensure_chain(void *arg)
{
    load_all();
    seen.rc[0] = lc_app_ensure_all_started("c", LC_APP_TEMPORARY, seen.names[0],
                                           LC_APP_MAX, &seen.n[0], NULL);
    snap(0);
    seen.rc[1] = lc_app_ensure_all_started("c", LC_APP_TEMPORARY, seen.names[1],
                                           LC_APP_MAX, &seen.n[1], NULL);
    snap_which(1);
}

/* Catches: dependencies started after the application, or not at all. */
GR_TEST(ensure_all_started_starts_dependencies_first)
{
    run(ensure_chain);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_str_eq(joined(seen.names[0], seen.n[0]), "a b c");
    LOG_EQ(0, "start a, init a.1, init a.2, start b, init b.1, init b.2, "
              "start c, init c.1, init c.2");
    LOG_EQ(1, "c b a");
}

/* Catches: running applications reported as started again. */
GR_TEST(ensure_all_started_twice_starts_nothing)
{
    run(ensure_chain);
    ck_assert_msg(seen.rc[0] == 0 && seen.n[0] == 3,
                  "the first call must start a, b and c");
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_uint_eq(seen.n[1], 0);
}

static void ensure_some_running(void *arg)
{
    load_all();
    lc_app_start("a", LC_APP_TEMPORARY, NULL);
    seen.rc[0] = lc_app_ensure_all_started("c", LC_APP_TEMPORARY, seen.names[0],
                                           LC_APP_MAX, &seen.n[0], NULL);
}

GR_TEST(ensure_all_started_omits_running)
{
    run(ensure_some_running);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_str_eq(joined(seen.names[0], seen.n[0]), "b c");
}

static void ensure_fails(void *arg)
{
    load_all();
    seen.rc[0] =
            lc_app_ensure_all_started("e", LC_APP_TEMPORARY, seen.names[0],
                                      LC_APP_MAX, &seen.n[0], &seen.err[0]);
    snap(0);
    snap_which(1);
    lc_app_start("a", LC_APP_TEMPORARY, NULL);
    logbuf[0] = '\0';
    seen.rc[1] = lc_app_ensure_all_started("e", LC_APP_TEMPORARY, NULL, 0, NULL,
                                           &seen.err[1]);
    snap(2);
    snap_which(3);
}

/* Catches: a failed ensure_all_started that leaves its dependencies
   running. */
GR_TEST(ensure_all_started_failure_stops_what_it_started)
{
    run(ensure_fails);
    ck_assert_int_eq(seen.rc[0], LC_ESTART);
    ck_assert_str_eq(seen.err[0].app, "e");
    ck_assert_str_eq(rstr(&seen.err[0].reason), "{nope, 1}");
    LOG_EQ(0, "start a, init a.1, init a.2, start e, prep_stop a, term a.2, "
              "term a.1, stop a");
    LOG_EQ(1, "");
}

/* Catches: a failed ensure_all_started that stops what ran before it. */
GR_TEST(ensure_all_started_failure_keeps_what_ran)
{
    run(ensure_fails);
    ck_assert_int_eq(seen.rc[1], LC_ESTART);
    LOG_EQ(2, "start e");
    LOG_EQ(3, "a");
}

static void ensure_unknown_dep(void *arg)
{
    static const char *const deps_q[] = { "a", "nowhere" };
    static const struct lc_app_spec q = { .name = "q",
                                          .deps = deps_q,
                                          .ndeps = 2,
                                          .start = tapp_start,
                                          .arg = &T_X };
    load_all();
    lc_app_load(&q);
    seen.rc[0] = lc_app_ensure_all_started("q", LC_APP_TEMPORARY, NULL, 0, NULL,
                                           &seen.err[0]);
    snap_which(0);
}

GR_TEST(ensure_all_started_unknown_dependency)
{
    run(ensure_unknown_dep);
    ck_assert_int_eq(seen.rc[0], LC_ENOENT);
    ck_assert_str_eq(seen.err[0].app, "nowhere");
    LOG_EQ(0, "");
}

/* --- A4: stop
 * --------------------------------------------------------------------
 */

static void stop_one(void *arg)
{
    load_all();
    lc_app_start("a", LC_APP_TEMPORARY, NULL);
    seen.pid[0] = lc_app_top("a");
    seen.pid[1] = master_of("a");
    logbuf[0] = '\0';
    seen.rc[0] = lc_app_stop("a");
    snap(0);
    snap_which(1);
    seen.ok[0] = lc_alive(seen.pid[0]) || lc_alive(seen.pid[1]);
    seen.rc[1] = lc_app_stop("a");
    seen.rc[2] = lc_app_start("a", LC_APP_TEMPORARY, NULL);
    seen.pid[2] = lc_app_top("a");
}

/* Catches: a stop that kills the tree at once, or skips a callback. */
GR_TEST(stop_prep_stop_tree_in_reverse_then_stop)
{
    run(stop_one);
    ck_assert_int_eq(seen.rc[0], 0);
    LOG_EQ(0, "prep_stop a, term a.2, term a.1, stop a");
    LOG_EQ(1, "");
    ck_assert_msg(!seen.ok[0], "when stop returns, the tree and the master "
                               "are gone");
}

/* Catches: prep_stop called after the tree is down, stop before. */
GR_TEST(prep_stop_sees_tree_stop_does_not)
{
    run(stop_one);
    ck_assert_msg(T_A.prep_saw_tree, "prep_stop runs while the tree runs");
    ck_assert_msg(!T_A.stop_saw_tree, "stop runs once the tree is gone");
    ck_assert_msg(T_A.stop_state_ok, "stop gets what prep_stop returned");
}

GR_TEST(stop_not_running_is_enoent)
{
    run(stop_one);
    ck_assert_msg(seen.rc[0] == 0 && T_A.stop_state_ok,
                  "the first stop must stop it");
    ck_assert_int_eq(seen.rc[1], LC_ENOENT);
}

/* Catches: a stopped application that cannot start again. */
GR_TEST(stopped_app_starts_again)
{
    run(stop_one);
    ck_assert_int_eq(seen.rc[2], 0);
    ck_assert_msg(seen.pid[2] != LC_NOPID && seen.pid[2] != seen.pid[0],
                  "a new tree");
}

static void stop_neighbours(void *arg)
{
    load_all();
    lc_app_ensure_all_started("c", LC_APP_TEMPORARY, NULL, 0, NULL, NULL);
    logbuf[0] = '\0';
    seen.rc[0] = lc_app_stop("b");
    snap(0);
    snap_which(1);
    seen.rc[1] = lc_app_stop("a");
    snap(2);
    snap_which(3);
}

/* Catches: a stop that takes the dependencies (or dependents) with it. */
GR_TEST(stop_leaves_dependencies_and_dependents)
{
    run(stop_neighbours);
    ck_assert_int_eq(seen.rc[0], 0);
    LOG_EQ(0, "prep_stop b, term b.2, term b.1, stop b");
    LOG_EQ(1, "c a");
    ck_assert_int_eq(seen.rc[1], 0);
    LOG_EQ(3, "c");
}

static void stop_everything(void *arg)
{
    load_all();
    lc_app_start("x", LC_APP_TEMPORARY, NULL);
    lc_app_ensure_all_started("c", LC_APP_TEMPORARY, NULL, 0, NULL, NULL);
    logbuf[0] = '\0';
    seen.n[0] = lc_app_stop_all();
    snap(0);
    snap_which(1);
}

/* Catches: stopping all in start order (a dependency before its
   dependents). */
GR_TEST(stop_all_in_reverse_start_order)
{
    run(stop_everything);
    ck_assert_uint_eq(seen.n[0], 4);
    LOG_EQ(0, "prep_stop c, term c.2, term c.1, stop c, "
              "prep_stop b, term b.2, term b.1, stop b, "
              "prep_stop a, term a.2, term a.1, stop a, "
              "prep_stop x, term x.2, term x.1, stop x");
    LOG_EQ(1, "");
}

static void which_order(void *arg)
{
    load_all();
    lc_app_start("x", LC_APP_TEMPORARY, NULL);
    lc_app_ensure_all_started("c", LC_APP_TEMPORARY, NULL, 0, NULL, NULL);
    snap_which(0);
    lc_app_stop("b");
    snap_which(1);
}

/* Catches: the running applications listed in start order; OTP's
   which_applications lists the newest first. */
GR_TEST(which_lists_newest_first)
{
    run(which_order);
    LOG_EQ(0, "c b a x");
    LOG_EQ(1, "c a x");
}

/* --- A5: the top supervisor ends on its own
 * ---------------------------------------
 */

/* A killed top supervisor's workers trap exits and run terminate when
   their parent dies, when the scheduler gets to them: take "term a.N" out
   of the log (the tests are about the master and the controller). */
static void drop_terms_of_a(char *log)
{
    const char *drop[] = { ", term a.1", ", term a.2", "term a.1, ",
                           "term a.2, " };
    for (size_t i = 0; i < 4; i++) {
        char *p;
        while ((p = strstr(log, drop[i])) != NULL) {
            memmove(p, p + strlen(drop[i]), strlen(p + strlen(drop[i])) + 1);
        }
    }
}

static enum lc_app_type a5_type;
static struct lc_reason a5_reason;

static void tree_dies(void *arg)
{
    load_all();
    lc_app_start("x", LC_APP_TEMPORARY, NULL);
    lc_app_start("a", a5_type, NULL);
    logbuf[0] = '\0';
    end_tree("a", a5_reason);
    snap_which(1); /* a call: the controller has seen the master's end */
    snap(0);
    drop_terms_of_a(seen.log[0]);
    seen.ok[0] = lc_app_halted(&seen.err[0]);
    seen.rc[0] = lc_app_start("a", LC_APP_TEMPORARY, NULL);
}

static void run_a5(enum lc_app_type type, struct lc_reason r)
{
    a5_type = type;
    a5_reason = r;
    run(tree_dies);
}

/* Catches: a master that ignores its tree's end, or skips the callbacks. */
GR_TEST(temporary_tree_end_is_reported_only)
{
    run_a5(LC_APP_TEMPORARY, lc_reason(LC_A_KILL));
    LOG_EQ(0, "prep_stop a, stop a");
    LOG_EQ(1, "x");
    ck_assert_msg(!seen.ok[0], "a temporary application does not halt");
    ck_assert_int_eq(seen.rc[0], 0);
}

GR_TEST(transient_normal_end_is_reported_only)
{
    run_a5(LC_APP_TRANSIENT, lc_reason(LC_A_NORMAL));
    LOG_EQ(1, "x");
    ck_assert_msg(!seen.ok[0], "a transient application ending normal "
                               "does not halt");
}

/* Catches: transient treated as temporary. */
GR_TEST(transient_crash_halts_everything)
{
    run_a5(LC_APP_TRANSIENT, lc_reason(LC_A_KILL));
    LOG_EQ(0, "prep_stop a, stop a, prep_stop x, term x.2, term x.1, stop x");
    LOG_EQ(1, "");
    ck_assert_msg(seen.ok[0], "lc_app_halted() must say so");
    ck_assert_str_eq(seen.err[0].app, "a");
    ck_assert_str_eq(rstr(&seen.err[0].reason), "killed");
}

/* Catches: permanent that spares a normal end. */
GR_TEST(permanent_end_halts_even_normal)
{
    run_a5(LC_APP_PERMANENT, lc_reason(LC_A_NORMAL));
    LOG_EQ(1, "");
    ck_assert_msg(seen.ok[0], "a permanent application's end halts");
    ck_assert_str_eq(rstr(&seen.err[0].reason), "normal");
}

GR_TEST(halted_refuses_starts)
{
    run_a5(LC_APP_PERMANENT, lc_reason(LC_A_KILL));
    ck_assert_int_eq(seen.rc[0], LC_EPERM);
}

static void dep_ended(void *arg)
{
    load_all();
    lc_app_start("a", LC_APP_TEMPORARY, NULL);
    end_tree("a", lc_reason(LC_A_KILL));
    seen.rc[0] = lc_app_start("b", LC_APP_TEMPORARY, &seen.err[0]);
    seen.rc[1] = lc_app_ensure_all_started("b", LC_APP_TEMPORARY, seen.names[0],
                                           LC_APP_MAX, &seen.n[0], NULL);
    lc_app_stop_all();
    lc_app_start("a", LC_APP_TEMPORARY, NULL);
    lc_app_stop("a");
    seen.rc[2] = lc_app_start("b", LC_APP_TEMPORARY, &seen.err[1]);
}

/* Catches: a dependency that ended on its own treated as never started.
   OTP still counts it as started, not running: {not_running, Dep}. */
GR_TEST(start_after_dependency_ended_is_not_running)
{
    run(dep_ended);
    ck_assert_int_eq(seen.rc[0], LC_ESTART);
    ck_assert_str_eq(rstr(&seen.err[0].reason), "{not_running, a}");
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_str_eq(joined(seen.names[0], seen.n[0]), "a b");
    ck_assert_int_eq(seen.rc[2], LC_ESTART);
    ck_assert_str_eq(rstr(&seen.err[1].reason), "{not_started, a}");
}

static void stop_ended(void *arg)
{
    load_all();
    lc_app_start("a", LC_APP_TEMPORARY, NULL);
    end_tree("a", lc_reason(LC_A_KILL));
    snap_which(0);
    seen.rc[0] = lc_app_stop("a");
    seen.rc[1] = lc_app_stop("a");
    seen.rc[2] = lc_app_start("a", LC_APP_TEMPORARY, NULL);
}

/* Catches: LC_ENOENT for an application that ended on its own. OTP's stop
   of a started application that no longer runs is ok, and forgets it. */
GR_TEST(stop_of_ended_application_is_ok)
{
    run(stop_ended);
    LOG_EQ(0, "");
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_int_eq(seen.rc[1], LC_ENOENT);
    ck_assert_int_eq(seen.rc[2], 0);
}

static void intensity(void *arg)
{
    load_all();
    lc_app_start("a", LC_APP_TEMPORARY, NULL);
    lc_pid master = master_of("a");
    uint64_t ref = lc_monitor(master);
    struct lc_child_info kids[2];
    for (int i = 0; i < 2; i++) { /* 2 crashes: over 1 restart in 5 s */
        lc_sup_which_children(lc_app_top("a"), kids, 2);
        kill_wait(kids[0].pid, lc_reason(LC_A_KILL));
    }
    lc_msg_free(lc_receive_ref(ref, LC_INFINITY));
    snap_which(0);
    seen.ok[0] = T_A.stop_state_ok;
    seen.pid[0] = master;
}

/* Catches: a master that does not see its tree give up. */
GR_TEST(top_supervisor_giving_up_ends_application)
{
    run(intensity);
    LOG_EQ(0, "");
    ck_assert_msg(seen.ok[0], "prep_stop and stop run");
    ck_assert_str_eq(rstr(gr_end(seen.pid[0])), "shutdown");
}

/* --- The KV store
 * -------------------------------------------------------------
 */

static void kv_start(void)
{
    load_all();
    seen.rc[7] = lc_app_start("kv", LC_APP_TEMPORARY, NULL);
}

static void kv_basic(void *arg)
{
    kv_start();
    seen.pid[0] = kv_lookup("shopping");
    seen.rc[0] = kv_create("shopping", &seen.pid[1]);
    seen.pid[2] = kv_lookup("shopping");
    seen.rc[1] = kv_create("shopping", &seen.pid[3]);
    kv_bucket_put(seen.pid[2], "milk", "3");
    seen.rc[2] =
            kv_bucket_get(seen.pid[2], "milk", seen.value[0], KV_VALUE_MAX);
    seen.rc[3] =
            kv_bucket_delete(seen.pid[2], "milk", seen.value[1], KV_VALUE_MAX);
    seen.rc[4] = kv_bucket_get(seen.pid[2], "milk", NULL, 0);
    seen.n[0] = kv_count();
}

/* The guide's "spawns buckets". */
GR_TEST(kv_creates_and_looks_up_buckets)
{
    run(kv_basic);
    ck_assert_int_eq(seen.rc[7], 0);
    ck_assert_msg(seen.pid[0] == LC_NOPID, "no bucket before create");
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.pid[1] != LC_NOPID && seen.pid[1] == seen.pid[2],
                  "lookup finds the bucket create made");
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_msg(seen.pid[3] == seen.pid[1], "a second create of the same "
                                              "name gives the same bucket");
    ck_assert_uint_eq(seen.n[0], 1);
}

GR_TEST(kv_bucket_stores_values)
{
    run(kv_basic);
    ck_assert_int_eq(seen.rc[2], 0);
    ck_assert_str_eq(seen.value[0], "3");
    ck_assert_int_eq(seen.rc[3], 0);
    ck_assert_str_eq(seen.value[1], "3");
    ck_assert_int_eq(seen.rc[4], LC_ENOENT);
}

static struct lc_reason kv_end_reason;

static void kv_bucket_ends(void *arg)
{
    kv_start();
    lc_pid b;
    kv_create("shopping", &b);
    kv_create("other", NULL);
    seen.pid[0] = lc_whereis(KV_REGISTRY_NAME);
    if (kv_end_reason.kind == LC_A_NORMAL) {
        uint64_t ref = lc_monitor(b);
        lc_gs_stop(b, kv_end_reason, LC_INFINITY);
        lc_msg_free(lc_receive_ref(ref, LC_INFINITY));
    } else {
        kill_wait(b, kv_end_reason);
    }
    seen.pid[1] = kv_lookup("shopping");
    seen.pid[2] = lc_whereis(KV_REGISTRY_NAME);
    seen.pid[3] = kv_lookup("other");
    seen.n[0] = kv_count();
    struct lc_sup_counts c =
            lc_dynsup_count_children(lc_whereis(KV_BUCKET_SUP_NAME));
    seen.n[1] = c.specs;
    seen.n[2] = c.active;
    seen.rc[0] = kv_create("shopping", &seen.pid[4]);
    seen.pid[5] = b;
}

/* The guide's "removes bucket on crash". Catches: a registry that does
   not monitor its buckets (or forgets to handle the DOWN). */
GR_TEST(kv_removes_bucket_on_crash)
{
    kv_end_reason = lc_reason_with(lc_atom_intern("boom"), lc_int(1));
    run(kv_bucket_ends);
    ck_assert_msg(seen.pid[1] == LC_NOPID, "a crashed bucket's name is gone");
    ck_assert_msg(seen.pid[3] != LC_NOPID, "the other bucket stays");
    ck_assert_uint_eq(seen.n[0], 1);
}

/* The guide's "removes buckets on exit". */
GR_TEST(kv_removes_bucket_on_normal_stop)
{
    kv_end_reason = lc_reason(LC_A_NORMAL);
    run(kv_bucket_ends);
    ck_assert_msg(seen.pid[1] == LC_NOPID, "a stopped bucket's name is gone");
    ck_assert_uint_eq(seen.n[0], 1);
}

/* Catches: buckets linked to the registry. */
GR_TEST(kv_bucket_crash_spares_registry)
{
    kv_end_reason = lc_reason(LC_A_KILL);
    run(kv_bucket_ends);
    ck_assert_msg(seen.pid[0] != LC_NOPID && seen.pid[0] == seen.pid[2],
                  "the registry must live on: monitor buckets, do not link");
    ck_assert_msg(seen.pid[3] != LC_NOPID, "the other bucket stays");
}

/* The guide's "buckets are temporary". Catches: permanent (or transient)
   buckets, restarted empty under no name. */
GR_TEST(kv_buckets_are_temporary)
{
    kv_end_reason = lc_reason_with(lc_atom_intern("boom"), lc_int(1));
    run(kv_bucket_ends);
    ck_assert_uint_eq(seen.n[1], 1);
    ck_assert_uint_eq(seen.n[2], 1);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.pid[4] != LC_NOPID && seen.pid[4] != seen.pid[5],
                  "creating the name again makes a new bucket");
}

static void kv_registry_dies(void *arg)
{
    kv_start();
    lc_pid b1, b2;
    kv_create("shopping", &b1);
    kv_create("milk", &b2);
    seen.pid[0] = lc_whereis(KV_REGISTRY_NAME);
    seen.pid[1] = lc_whereis(KV_BUCKET_SUP_NAME);
    uint64_t r1 = lc_monitor(b1), r2 = lc_monitor(b2);
    kill_wait(seen.pid[0], lc_reason_with(lc_atom_intern("boom"), lc_int(2)));
    lc_msg_free(lc_receive_ref(r1, LC_INFINITY));
    lc_msg_free(lc_receive_ref(r2, LC_INFINITY));
    seen.ok[0] = true; /* both buckets ended */
    /* kv_sup restarts its children while it handles the registry's EXIT,
       which came before this call: when the call returns, it is done */
    lc_sup_count_children(lc_whereis(KV_SUP_NAME));
    seen.pid[2] = lc_whereis(KV_REGISTRY_NAME);
    seen.pid[3] = lc_whereis(KV_BUCKET_SUP_NAME);
    seen.pid[4] = kv_lookup("shopping");
    seen.n[0] = kv_count();
    seen.rc[0] = kv_create("shopping", &seen.pid[5]);
    seen.pid[6] = b1;
}

/* The guide's "removes bucket on crash / registry crash takes buckets
   down". Catches: one_for_one at the top. */
GR_TEST(kv_registry_crash_takes_buckets_down)
{
    run(kv_registry_dies);
    ck_assert_msg(seen.ok[0], "both buckets end");
    ck_assert_msg(seen.pid[2] != LC_NOPID && seen.pid[2] != seen.pid[0],
                  "a new registry runs");
    ck_assert_msg(seen.pid[3] != LC_NOPID && seen.pid[3] != seen.pid[1],
                  "one_for_all: a new bucket supervisor too");
    ck_assert_msg(seen.pid[4] == LC_NOPID, "the new registry knows no bucket");
    ck_assert_uint_eq(seen.n[0], 0);
    ck_assert_int_eq(seen.rc[0], 0);
}

static void kv_order(void *arg)
{
    kv_start();
    struct lc_child_info kids[4];
    seen.n[0] = lc_sup_which_children(lc_whereis(KV_SUP_NAME), kids, 4);
    snprintf(seen.log[0], sizeof seen.log[0], "%s %s", kids[0].id, kids[1].id);
    seen.ok[0] = kids[1].type == LC_CHILD_SUPERVISOR &&
                 kids[1].pid == lc_whereis(KV_BUCKET_SUP_NAME) &&
                 kids[0].pid == lc_whereis(KV_REGISTRY_NAME);
    lc_pid b;
    kv_create("x", &b);
    struct lc_info in;
    lc_proc_info(b, &in);
    seen.ok[1] = in.parent == lc_whereis(KV_BUCKET_SUP_NAME);
    seen.pid[0] = lc_app_top("kv");
    seen.pid[1] = lc_whereis(KV_SUP_NAME);
}

/* Catches: the registry started before the bucket supervisor, or buckets
   started by the registry itself. */
GR_TEST(kv_bucket_supervisor_starts_before_registry)
{
    run(kv_order);
    ck_assert_uint_eq(seen.n[0], 2);
    ck_assert_msg(seen.ok[0],
                  "kv_sup's children, newest first, must be the "
                  "registry then the bucket supervisor, got %s",
                  seen.log[0]);
    ck_assert_msg(seen.ok[1], "buckets are children of the bucket supervisor");
    ck_assert_msg(seen.pid[0] != LC_NOPID && seen.pid[0] == seen.pid[1],
                  "kv's top supervisor is kv_sup");
}

static void kv_stop(void *arg)
{
    kv_start();
    lc_pid b;
    kv_create("shopping", &b);
    seen.n[0] = lc_proc_list(NULL, 0);
    seen.rc[0] = lc_app_stop("kv");
    seen.ok[0] = lc_alive(b);
    seen.pid[0] = lc_whereis(KV_REGISTRY_NAME);
    seen.n[1] = lc_proc_list(NULL, 0);
}

/* Catches: an application stop that leaves buckets behind. */
GR_TEST(kv_app_stop_stops_the_store)
{
    run(kv_stop);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(!seen.ok[0], "the buckets stop with the application");
    ck_assert_msg(seen.pid[0] == LC_NOPID, "the registry is gone");
    ck_assert_uint_eq(seen.n[0] - seen.n[1], 5); /* master, 2 sups, reg, b */
}

/* --- Under any schedule
 * ----------------------------------------------------------
 */

static void kv_chaos(void *arg)
{
    kv_start();
    lc_pid b;
    for (int i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "b%d", i);
        kv_create(name, &b);
        kv_bucket_put(b, "k", name);
    }
    kill_wait(kv_lookup("b1"), lc_reason(LC_A_KILL));
    seen.pid[0] = kv_lookup("b1");
    seen.n[0] = kv_count();
    kv_bucket_get(kv_lookup("b2"), "k", seen.value[0], KV_VALUE_MAX);
    seen.rc[0] = lc_app_stop("kv");
    seen.n[1] = lc_proc_list(NULL, 0);
}

GR_TEST(kv_same_under_any_schedule)
{
    for (uint64_t s = 1; s <= 30; s++) {
        struct lc_config cfg = { .chaos = true, .seed = s };
        ck_assert_int_eq(lc_init(&cfg), 0);
        reset();
        gr_run(kv_chaos, NULL);
        ck_assert_msg(seen.pid[0] == LC_NOPID, "seed %llu: b1 still named",
                      (unsigned long long)s);
        ck_assert_uint_eq(seen.n[0], 2);
        ck_assert_str_eq(seen.value[0], "b2");
        ck_assert_int_eq(seen.rc[0], 0);
        ck_assert_uint_eq(seen.n[1], 2); /* the driver and the controller */
        lc_fini();
    }
}

static void apps_chaos(void *arg)
{
    load_all();
    lc_app_ensure_all_started("c", LC_APP_TEMPORARY, NULL, 0, NULL, NULL);
    lc_app_ensure_all_started("e", LC_APP_TEMPORARY, NULL, 0, NULL, NULL);
    lc_app_stop_all();
    snap(0);
}

GR_TEST(apps_same_under_any_schedule)
{
    for (uint64_t s = 1; s <= 30; s++) {
        struct lc_config cfg = { .chaos = true, .seed = s };
        ck_assert_int_eq(lc_init(&cfg), 0);
        reset();
        gr_run(apps_chaos, NULL);
        LOG_EQ(0, "start a, init a.1, init a.2, start b, init b.1, init b.2, "
                  "start c, init c.1, init c.2, start e, "
                  "prep_stop c, term c.2, term c.1, stop c, "
                  "prep_stop b, term b.2, term b.1, stop b, "
                  "prep_stop a, term a.2, term a.1, stop a");
        lc_fini();
    }
}
