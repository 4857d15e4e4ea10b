/*
 * 08-dynamic-supervisors.c - graded tests of chapter 8: the dynamic
 * supervisor (lc/otp/dynamic_supervisor.h), "start it or find it", and the
 * to-do system's dynamic stage.
 *
 * Each test runs the system in processes and records what they saw in
 * 'seen'; the assertions come after the run, on the test's own stack.
 */
#include "harness.h"
#include "event_log.h"
#include "scratch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lc/otp/dynamic_supervisor.h"
#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/names.h"
#include "lc/otp/registry.h"
#include "lc/systems/todo.h"

/* --- What the tests saw ----------------------------------------------------
 */

static struct {
    int rc[8];
    lc_pid pid[8];
    bool ok[8];
    int64_t t[8];
    size_t n[8];
    struct lc_reason why[4];
    struct lc_dynsup_child_info kids[4][8];
    size_t nkids[4];
    struct lc_sup_counts counts[4];
    lc_pid sup;
} seen;

enum fail_how {
    FAIL_ERROR,  /* return LC_ESTART with {nope, Index} */
    FAIL_IGNORE, /* return LC_EIGNORE */
    FAIL_RAISE,  /* raise exit {bang, 7} */
    FAIL_ALREADY /* return LC_EALREADY with ctl[k].holder */
};

/* What a test asks of the workers labelled 'a' + index, and what they did. */
static struct {
    int starts;
    bool fail_hold; /* every start fails while this is true */
    enum fail_how how;
    lc_pid holder;
    lc_pid pid; /* the latest process started */
    lc_pid caller;
    unsigned char extra[8]; /* what the block's extra part held */
    char own;               /* what its own part held */
} ctl[8];

static void reset(void)
{
    memset(&seen, 0, sizeof seen);
    memset(ctl, 0, sizeof ctl);
    log_reset();
    gr_record_exits();
}

/* --- The worker: a generic server that logs its init and terminate ------- */

struct wcfg {
    char label;
    bool trap;
    int64_t term_sleep;
    const char *name;
};

enum {
    W_STOP = 1
};

static int w_init(void *arg, void **state, struct lc_reason *stop)
{
    const struct wcfg *c = arg;
    (void)stop;
    if (c->trap) {
        lc_trap_exit(true);
    }
    struct wcfg *s = lc_zalloc(sizeof *s);
    *s = *c;
    *state = s;
    note("init %c", c->label);
    return LC_GS_CONTINUE;
}

static int w_cast(void *state, int tag, const void *data, size_t size,
                  struct lc_reason *stop)
{
    (void)state;
    if (tag == W_STOP && size == sizeof *stop) {
        memcpy(stop, data, sizeof *stop);
        return LC_GS_STOP;
    }
    return LC_GS_CONTINUE;
}

static void w_terminate(void *state, const struct lc_reason *why)
{
    struct wcfg *s = state;
    note("term %c %s", s->label, gr_reason_str(why));
    if (s->term_sleep > 0) {
        lc_sleep(s->term_sleep);
    }
}

static const struct lc_gs_ops worker = {
    .init = w_init,
    .handle_cast = w_cast,
    .terminate = w_terminate,
};

static int w_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    const struct wcfg *c = arg;
    int k = c->label - 'a';
    ctl[k].starts++;
    ctl[k].caller = lc_self();
    if (ctl[k].fail_hold) {
        note("fail %c", c->label);
        switch (ctl[k].how) {
            case FAIL_IGNORE:
                return LC_EIGNORE;
            case FAIL_RAISE:
                lc_exit(reason2("bang", 7));
            case FAIL_ALREADY:
                *pid = ctl[k].holder;
                return LC_EALREADY;
            default:
                *why = reason2("nope", k);
                return LC_ESTART;
        }
    }
    struct lc_gs_opts o = { .name = c->name };
    int rc = lc_gs_start_link(&worker, (void *)c, &o, pid, why);
    if (rc == 0) {
        ctl[k].pid = *pid;
    }
    return rc;
}

/* A worker's spec: CHILD('a'), CHILD('a', .restart = ...), or with a
   configuration SPEC(CFG('a', .trap = true), .shutdown = 200). */
#define SPEC(...) SPEC_(__VA_ARGS__, )
#define SPEC_(CFGP, ...)                                        \
    ((struct lc_dynsup_child){ .start = w_start,                \
                               .arg = (CFGP),                   \
                               .arg_size = sizeof(struct wcfg), \
                               __VA_ARGS__ })
#define CHILD(...)     CHILD_(__VA_ARGS__, )
#define CHILD_(L, ...) SPEC_(CFG(L), __VA_ARGS__)
#define CFG(...)       CFG_(__VA_ARGS__, )
#define CFG_(L, ...)   (&(struct wcfg){ .label = (L), __VA_ARGS__ })

static int start_sup(int maxr, int maxt, size_t max_children, lc_pid *sup)
{
    struct lc_dynsup_flags f = { .max_restarts = maxr,
                                 .max_seconds = maxt,
                                 .max_children = max_children };
    int rc = lc_dynsup_start_link(&f, NULL, sup, NULL);
    seen.sup = rc == 0 ? *sup : LC_NOPID;
    return rc;
}

static lc_pid add(lc_pid sup, struct lc_dynsup_child spec)
{
    lc_pid pid = LC_NOPID;
    lc_dynsup_start_child(sup, &spec, &pid, NULL);
    return pid;
}

static void kill_child(lc_pid pid)
{
    lc_exit_signal(pid, lc_reason(LC_A_KILL));
    lc_sleep(1);
}

static void stop_child(lc_pid pid, struct lc_reason r)
{
    lc_gs_cast(pid, W_STOP, &r, sizeof r);
    lc_sleep(1);
}

/* --- Starting the supervisor (D1) ---------------------------------------- */

static void no_children(void *arg)
{
    (void)arg;
    lc_pid sup;
    seen.rc[0] = start_sup(0, 0, 0, &sup);
    seen.ok[0] = lc_alive(sup) && lc_traps_exit(sup);
    seen.n[0] = lc_dynsup_which_children(sup, NULL, 0);
    seen.counts[0] = lc_dynsup_count_children(sup);
    seen.pid[0] = sup;
}

GR_TEST(starts_with_no_children)
{
    reset();
    run(no_children, NULL);
    ck_assert_msg(seen.rc[0] == 0, "lc_dynsup_start_link returned %s",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(seen.ok[0], "the dynamic supervisor must be alive and trap "
                              "exits once start_link has returned");
    ck_assert_uint_eq(seen.n[0], 0);
    ck_assert_uint_eq(seen.counts[0].specs, 0);
    ck_assert_uint_eq(seen.counts[0].active, 0);
}

static void bad_strategy(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    struct lc_dynsup_flags f = { .strategy = LC_ONE_FOR_ALL };
    lc_pid sup = LC_NOPID;
    seen.rc[0] = lc_dynsup_start_link(&f, NULL, &sup, &seen.why[0]);
    f.strategy = LC_REST_FOR_ONE;
    seen.rc[1] = lc_dynsup_start_link(&f, NULL, &sup, &seen.why[1]);
    seen.n[0] = lc_mailbox_len();
}

GR_TEST(only_one_for_one)
{
    reset();
    run(bad_strategy, NULL);
    ck_assert_msg(seen.rc[0] == LC_EINVAL && seen.rc[1] == LC_EINVAL,
                  "one_for_all and rest_for_one must be refused with "
                  "LC_EINVAL, got %s and %s",
                  lc_err_name(seen.rc[0]), lc_err_name(seen.rc[1]));
    ck_assert_msg(reason_is(&seen.why[0],
                            reason2("invalid_strategy", LC_ONE_FOR_ALL)),
                  "why: want {invalid_strategy, 1}, got %s",
                  gr_reason_str(&seen.why[0]));
    ck_assert_msg(seen.n[0] == 0,
                  "a refused start leaves no EXIT in a trapping caller's "
                  "mailbox (%zu messages)",
                  seen.n[0]);
}

static void bad_flags(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    lc_pid sup;
    struct lc_dynsup_flags f1 = { .max_restarts = -1, .max_seconds = 5 };
    struct lc_dynsup_flags f2 = { .max_restarts = 3, .max_seconds = 0 };
    struct lc_dynsup_flags f3 = { .extra_size = 8 };
    seen.rc[0] = lc_dynsup_start_link(&f1, NULL, &sup, &seen.why[0]);
    seen.rc[1] = lc_dynsup_start_link(&f2, NULL, &sup, &seen.why[1]);
    seen.rc[2] = lc_dynsup_start_link(&f3, NULL, &sup, &seen.why[2]);
    struct lc_dynsup_flags ok = { .max_restarts = 0, .max_seconds = 1 };
    seen.rc[3] = lc_dynsup_start_link(&ok, NULL, &sup, NULL);
}

GR_TEST(bad_flags_refused)
{
    reset();
    run(bad_flags, NULL);
    for (int i = 0; i < 3; i++) {
        ck_assert_msg(seen.rc[i] == LC_EINVAL,
                      "bad flags %d: want LC_EINVAL, "
                      "got %s",
                      i + 1, lc_err_name(seen.rc[i]));
        ck_assert_msg(seen.why[i].kind == lc_atom_intern("invalid_flags"),
                      "bad flags %d: want {invalid_flags, _}, got %s", i + 1,
                      gr_reason_str(&seen.why[i]));
    }
    ck_assert_msg(seen.rc[3] == 0, "intensity 0 in 1 s is valid, got %s",
                  lc_err_name(seen.rc[3]));
}

static void named(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    lc_pid a, b;
    struct lc_dynsup_opts o = { .name = "sessions" };
    seen.rc[0] = lc_dynsup_start_link(NULL, &o, &a, NULL);
    seen.rc[1] = lc_dynsup_start_link(NULL, &o, &b, NULL);
    seen.ok[0] = lc_whereis("sessions") == a && b == a;
    seen.pid[0] = a;
}

GR_TEST(registered_name)
{
    reset();
    run(named, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.rc[1] == LC_EALREADY && seen.ok[0],
                  "a second supervisor under a taken name: want LC_EALREADY "
                  "with the holder, got %s",
                  lc_err_name(seen.rc[1]));
}

/* --- start_child (D2) ---------------------------------------------------- */

static void on_demand(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    lc_pid sup;
    start_sup(0, 0, 0, &sup);
    seen.n[0] = lc_dynsup_which_children(sup, NULL, 0);
    for (int i = 0; i < 3; i++) {
        seen.rc[i] =
                lc_dynsup_start_child(sup, &CHILD('a' + i), &seen.pid[i], NULL);
    }
    seen.n[1] = lc_dynsup_which_children(sup, NULL, 0);
    seen.ok[0] = true;
    for (int i = 0; i < 3; i++) {
        seen.ok[0] = seen.ok[0] && lc_alive(seen.pid[i]) &&
                     seen.pid[i] == ctl[i].pid && ctl[i].caller == sup;
    }
    lc_exit_signal(sup, lc_reason(LC_A_KILL));
    lc_sleep(1);
    seen.ok[1] = !lc_alive(seen.pid[0]) && !lc_alive(seen.pid[1]) &&
                 !lc_alive(seen.pid[2]);
}

GR_TEST(start_child_on_demand)
{
    reset();
    run(on_demand, NULL);
    ck_assert_msg(seen.n[0] == 0, "no child before the first start_child");
    for (int i = 0; i < 3; i++) {
        ck_assert_msg(seen.rc[i] == 0, "start_child %d returned %s", i + 1,
                      lc_err_name(seen.rc[i]));
    }
    ck_assert_uint_eq(seen.n[1], 3);
    ck_assert_msg(seen.ok[0], "each start_child must run the start function "
                              "in the supervisor and answer with its pid");
    ck_assert_msg(seen.ok[1], "the children must be linked to the "
                              "supervisor: killing it must take them down");
}

static void temporary_default(void *arg)
{
    (void)arg;
    lc_pid sup;
    start_sup(0, 0, 0, &sup);
    lc_pid a = add(sup, CHILD('a'));
    lc_pid b = add(sup, CHILD('b'));
    kill_child(a);
    stop_child(b, lc_reason(LC_A_NORMAL));
    seen.n[0] = lc_dynsup_which_children(sup, NULL, 0);
    seen.n[1] = (size_t)(ctl[0].starts + ctl[1].starts);
    seen.ok[0] = lc_alive(sup);
}

GR_TEST(children_temporary_by_default)
{
    reset();
    run(temporary_default, NULL);
    ck_assert_msg(seen.n[1] == 2,
                  "a child with the default restart type "
                  "must not be restarted: %zu starts for 2 children",
                  seen.n[1]);
    ck_assert_msg(seen.n[0] == 0,
                  "a temporary child that ended must be "
                  "forgotten: which_children still lists %zu",
                  seen.n[0]);
    ck_assert(seen.ok[0]);
}

static void transient(void *arg)
{
    (void)arg;
    lc_pid sup;
    start_sup(0, 0, 0, &sup);
    lc_pid a = add(sup, CHILD('a', .restart = LC_DYNSUP_TRANSIENT));
    lc_pid b = add(sup, CHILD('b', .restart = LC_DYNSUP_TRANSIENT));
    lc_pid c = add(sup, CHILD('c', .restart = LC_DYNSUP_TRANSIENT));
    stop_child(a, lc_reason(LC_A_NORMAL));
    stop_child(b, lc_reason_with(LC_A_SHUTDOWN, lc_int(1)));
    kill_child(c);
    seen.n[0] = lc_dynsup_which_children(sup, seen.kids[0], 8);
    seen.ok[0] = seen.n[0] == 1 && seen.kids[0][0].pid == ctl[2].pid &&
                 ctl[2].pid != c && lc_alive(ctl[2].pid);
    seen.rc[0] = ctl[0].starts * 100 + ctl[1].starts * 10 + ctl[2].starts;
}

GR_TEST(transient_restarted_only_after_crash)
{
    reset();
    run(transient, NULL);
    ck_assert_msg(seen.rc[0] == 112,
                  "transient children a (normal), b "
                  "({shutdown, 1}) and c (killed): want starts 1, 1, 2, got "
                  "%d, %d, %d",
                  seen.rc[0] / 100, seen.rc[0] / 10 % 10, seen.rc[0] % 10);
    ck_assert_msg(seen.ok[0],
                  "which_children must list only c, under its "
                  "new pid (%zu children listed)",
                  seen.n[0]);
}

static void permanent(void *arg)
{
    (void)arg;
    lc_pid sup;
    start_sup(0, 0, 0, &sup);
    lc_pid a = add(sup, CHILD('a', .restart = LC_DYNSUP_PERMANENT));
    stop_child(a, lc_reason(LC_A_NORMAL));
    seen.n[0] = lc_dynsup_which_children(sup, seen.kids[0], 8);
    seen.ok[0] = seen.n[0] == 1 && seen.kids[0][0].pid == ctl[0].pid &&
                 ctl[0].pid != a && lc_alive(ctl[0].pid);
    lc_pid a2 = ctl[0].pid;
    kill_child(a2);
    seen.ok[1] = ctl[0].starts == 3 && ctl[0].pid != a2 &&
                 lc_dynsup_which_children(sup, NULL, 0) == 1;
    lc_exit_signal(a2, lc_reason(LC_A_KILL)); /* dead already: nothing */
    lc_sleep(1);
    seen.ok[2] = ctl[0].starts == 3;
}

GR_TEST(permanent_restarted_even_after_normal)
{
    reset();
    run(permanent, NULL);
    ck_assert_msg(seen.ok[0], "a permanent child that ended `normal` must "
                              "be started again and listed under its new pid");
    ck_assert_msg(seen.ok[1],
                  "a killed permanent child must be restarted "
                  "(start count %d, want 3)",
                  ctl[0].starts);
    ck_assert(seen.ok[2]);
}

static void ignored(void *arg)
{
    (void)arg;
    lc_pid sup;
    start_sup(0, 0, 0, &sup);
    ctl[0].fail_hold = true;
    ctl[0].how = FAIL_IGNORE;
    seen.pid[0] = (lc_pid)12345;
    seen.rc[0] = lc_dynsup_start_child(
            sup, &CHILD('a', .restart = LC_DYNSUP_PERMANENT), &seen.pid[0],
            NULL);
    seen.counts[0] = lc_dynsup_count_children(sup);
}

GR_TEST(ignore_keeps_nothing)
{
    reset();
    run(ignored, NULL);
    ck_assert_msg(seen.rc[0] == LC_EIGNORE,
                  "a start function's LC_EIGNORE "
                  "is answered LC_EIGNORE (D2), got %s",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(seen.pid[0] == LC_NOPID, "no pid with LC_EIGNORE");
    ck_assert_msg(seen.counts[0].specs == 0,
                  "an ignored child is not kept, "
                  "even a permanent one: count_children says %zu specs",
                  seen.counts[0].specs);
}

static void raw_error(void *arg)
{
    (void)arg;
    lc_pid sup;
    start_sup(0, 0, 0, &sup);
    ctl[1].fail_hold = true;
    seen.rc[0] =
            lc_dynsup_start_child(sup, &CHILD('b'), &seen.pid[0], &seen.why[0]);
    ctl[1].how = FAIL_RAISE;
    seen.rc[1] =
            lc_dynsup_start_child(sup, &CHILD('b'), &seen.pid[1], &seen.why[1]);
    seen.counts[0] = lc_dynsup_count_children(sup);
    seen.ok[0] = lc_alive(sup);
}

GR_TEST(start_error_is_raw)
{
    reset();
    run(raw_error, NULL);
    ck_assert_msg(seen.rc[0] == LC_ESTART,
                  "a failed start: want LC_ESTART, "
                  "got %s",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(reason_is(&seen.why[0], reason2("nope", 1)),
                  "the start function's own reason, not wrapped: want "
                  "{nope, 1}, got %s",
                  gr_reason_str(&seen.why[0]));
    ck_assert_msg(seen.rc[1] == LC_ESTART &&
                          reason_is(&seen.why[1], reason2("bang", 7)),
                  "a start function that raises: want LC_ESTART with the "
                  "raised reason {bang, 7}, got %s %s",
                  lc_err_name(seen.rc[1]), gr_reason_str(&seen.why[1]));
    ck_assert_msg(seen.counts[0].specs == 0 && seen.ok[0],
                  "nothing is kept, and the supervisor lives on");
}

static void already(void *arg)
{
    (void)arg;
    lc_pid sup;
    start_sup(0, 0, 0, &sup);
    ctl[0].fail_hold = true;
    ctl[0].how = FAIL_ALREADY;
    ctl[0].holder = lc_self();
    seen.rc[0] = lc_dynsup_start_child(sup, &CHILD('a'), &seen.pid[0], NULL);
    seen.counts[0] = lc_dynsup_count_children(sup);
}

GR_TEST(already_started_from_the_child)
{
    reset();
    run(already, NULL);
    ck_assert_msg(seen.rc[0] == LC_EALREADY,
                  "a start function's LC_EALREADY "
                  "is answered LC_EALREADY, got %s",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(seen.pid[0] != LC_NOPID && seen.pid[0] == ctl[0].holder,
                  "with the holder's pid in *pid");
    ck_assert_msg(seen.counts[0].specs == 0, "and nothing is kept");
}

static void same_spec_twice(void *arg)
{
    (void)arg;
    lc_pid sup;
    start_sup(0, 0, 0, &sup);
    struct lc_dynsup_child s = CHILD('a');
    seen.rc[0] = lc_dynsup_start_child(sup, &s, &seen.pid[0], NULL);
    seen.rc[1] = lc_dynsup_start_child(sup, &s, &seen.pid[1], NULL);
    seen.n[0] = lc_dynsup_which_children(sup, NULL, 0);
}

GR_TEST(same_spec_starts_twice)
{
    reset();
    run(same_spec_twice, NULL);
    ck_assert_msg(seen.rc[0] == 0 && seen.rc[1] == 0,
                  "a dynamic child has no id: the same spec starts twice "
                  "(got %s, %s)",
                  lc_err_name(seen.rc[0]), lc_err_name(seen.rc[1]));
    ck_assert(seen.pid[0] != seen.pid[1]);
    ck_assert_uint_eq(seen.n[0], 2);
}

static void max_children(void *arg)
{
    (void)arg;
    lc_pid sup;
    start_sup(0, 0, 2, &sup);
    add(sup, CHILD('a'));
    lc_pid b = add(sup, CHILD('b'));
    seen.rc[0] = lc_dynsup_start_child(sup, &CHILD('c'), &seen.pid[0], NULL);
    seen.n[0] = (size_t)ctl[2].starts;
    kill_child(b);
    seen.rc[1] = lc_dynsup_start_child(sup, &CHILD('c'), &seen.pid[1], NULL);
}

GR_TEST(max_children_before_start)
{
    reset();
    run(max_children, NULL);
    ck_assert_msg(seen.rc[0] == LC_EMAX,
                  "a third child under max_children "
                  "2: want LC_EMAX, got %s",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(seen.n[0] == 0,
                  "max_children is checked before the start "
                  "function runs: it ran %zu times",
                  seen.n[0]);
    ck_assert_msg(seen.rc[1] == 0,
                  "once a child has ended there is room "
                  "again: got %s",
                  lc_err_name(seen.rc[1]));
}

static void bad_spec(void *arg)
{
    (void)arg;
    struct lc_dynsup_child none = { 0 };
    struct lc_dynsup_child shut = CHILD('a', .shutdown = -7);
    struct lc_dynsup_child rs = CHILD('a', .restart = 9);
    struct lc_dynsup_child ty = CHILD('a', .type = 5);
    struct lc_dynsup_child ar = { .start = w_start, .arg_size = 4 };
    /* A pid that is no supervisor: a spec checked by the caller never
       reaches it (a call would exit this process with noproc). */
    lc_pid nobody = lc_self() + 1000;
    seen.rc[0] = lc_dynsup_start_child(nobody, &none, NULL, &seen.why[0]);
    seen.rc[1] = lc_dynsup_start_child(nobody, &shut, NULL, &seen.why[1]);
    seen.rc[2] = lc_dynsup_start_child(nobody, &rs, NULL, &seen.why[2]);
    seen.rc[3] = lc_dynsup_start_child(nobody, &ty, NULL, &seen.why[3]);
    seen.rc[4] = lc_dynsup_start_child(nobody, &ar, NULL, NULL);
    seen.ok[0] = true;
}

GR_TEST(bad_spec_refused_by_caller)
{
    reset();
    run(bad_spec, NULL);
    ck_assert_msg(seen.ok[0], "a bad spec must be refused before the "
                              "supervisor is called (the call exited)");
    for (int i = 0; i < 5; i++) {
        ck_assert_msg(seen.rc[i] == LC_EINVAL,
                      "bad spec %d: want LC_EINVAL,"
                      " got %s",
                      i + 1, lc_err_name(seen.rc[i]));
    }
    ck_assert(seen.why[0].kind == lc_atom_intern("invalid_mfa"));
    ck_assert_msg(reason_is(&seen.why[1], reason2("invalid_shutdown", -7)),
                  "got %s", gr_reason_str(&seen.why[1]));
    ck_assert(seen.why[2].kind == lc_atom_intern("invalid_restart_type"));
    ck_assert(seen.why[3].kind == lc_atom_intern("invalid_child_type"));
}

/* Extra arguments: a start function that reads both parts of its block. */
struct extra {
    char tag[5];
};

static int extra_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    const struct extra *e = arg;
    const char *own =
            (const char *)arg + LC_DYNSUP_ARG_OFFSET(sizeof(struct extra));
    int k = *own - 'a';
    memcpy(ctl[k].extra, e->tag, sizeof e->tag);
    ctl[k].own = *own;
    return w_start((void *)CFG(*own), pid, why);
}

static void extra_args(void *arg)
{
    (void)arg;
    struct extra x = { "ctx!" };
    struct lc_dynsup_flags f = { .extra = &x, .extra_size = sizeof x };
    lc_pid sup;
    seen.rc[0] = lc_dynsup_start_link(&f, NULL, &sup, NULL);
    x.tag[0] = 'X'; /* the supervisor must have its own copy */
    char a = 'a', b = 'b';
    struct lc_dynsup_child s = { .start = extra_start,
                                 .arg = &a,
                                 .arg_size = 1 };
    seen.rc[1] = lc_dynsup_start_child(sup, &s, NULL, NULL);
    s.arg = &b;
    seen.rc[2] = lc_dynsup_start_child(sup, &s, NULL, NULL);
    s = (struct lc_dynsup_child){ .start = extra_start, .arg = &a };
    seen.rc[3] = lc_dynsup_start_child(sup, &s, NULL, NULL);
}

GR_TEST(extra_arguments_prepended)
{
    reset();
    run(extra_args, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.rc[1] == 0 && seen.rc[2] == 0,
                  "start_child with "
                  "extra arguments returned %s, %s",
                  lc_err_name(seen.rc[1]), lc_err_name(seen.rc[2]));
    ck_assert_msg(memcmp(ctl[0].extra, "ctx!", 5) == 0 &&
                          memcmp(ctl[1].extra, "ctx!", 5) == 0,
                  "each start gets the supervisor's copy of the extra "
                  "arguments first (saw \"%.5s\")",
                  (char *)ctl[0].extra);
    ck_assert_msg(ctl[0].own == 'a' && ctl[1].own == 'b',
                  "and its own argument at LC_DYNSUP_ARG_OFFSET");
    ck_assert_msg(seen.rc[3] == LC_EINVAL,
                  "an uncopied argument cannot "
                  "follow extra arguments: want LC_EINVAL, got %s",
                  lc_err_name(seen.rc[3]));
}

/* --- Children: which, count, terminate (D3) ------------------------------ */

static void which(void *arg)
{
    (void)arg;
    lc_pid sup;
    start_sup(0, 0, 0, &sup);
    add(sup, CHILD('a'));
    add(sup, CHILD('b', .type = LC_CHILD_SUPERVISOR));
    add(sup, CHILD('c'));
    seen.n[0] = lc_dynsup_which_children(sup, seen.kids[0], 8);
    seen.counts[0] = lc_dynsup_count_children(sup);
}

GR_TEST(which_children_newest_first)
{
    reset();
    run(which, NULL);
    ck_assert_uint_eq(seen.n[0], 3);
    ck_assert_msg(seen.kids[0][0].pid == ctl[2].pid &&
                          seen.kids[0][1].pid == ctl[1].pid &&
                          seen.kids[0][2].pid == ctl[0].pid,
                  "which_children lists the newest child first");
    ck_assert(seen.kids[0][1].type == LC_CHILD_SUPERVISOR);
    ck_assert(seen.kids[0][0].type == LC_CHILD_WORKER);
    ck_assert(!seen.kids[0][0].restarting);
    ck_assert_uint_eq(seen.counts[0].specs, 3);
    ck_assert_uint_eq(seen.counts[0].active, 3);
    ck_assert_uint_eq(seen.counts[0].supervisors, 1);
    ck_assert_uint_eq(seen.counts[0].workers, 2);
}

/* a permanent, b, c; a is killed and restarted: its new process is the
   newest, so it is listed first and signalled first (D3). */
static void restarted(void *arg)
{
    (void)arg;
    lc_pid sup;
    start_sup(0, 0, 0, &sup);
    lc_pid a = add(
            sup, SPEC(CFG('a', .trap = true), .restart = LC_DYNSUP_PERMANENT));
    add(sup, SPEC(CFG('b', .trap = true)));
    add(sup, SPEC(CFG('c', .trap = true)));
    kill_child(a);
    seen.ok[0] = ctl[0].starts == 2 && ctl[0].pid != a;
    seen.n[0] = lc_dynsup_which_children(sup, seen.kids[0], 8);
    seen.n[1] = (size_t)nevents;
    lc_dynsup_stop(sup);
}

GR_TEST(restarted_child_listed_newest)
{
    /* As in shutdown_order_newest_first: the terminates run in the order
       the signals went out only under the FIFO schedule. */
    unsetenv("LC_SEED");
    reset();
    run(restarted, NULL);
    ck_assert_msg(seen.ok[0], "a permanent child that is killed restarts");
    ck_assert_uint_eq(seen.n[0], 3);
    ck_assert_msg(seen.kids[0][0].pid == ctl[0].pid &&
                          seen.kids[0][1].pid == ctl[2].pid &&
                          seen.kids[0][2].pid == ctl[1].pid,
                  "a restarted child runs as the newest process: "
                  "which_children lists it first (a, c, b), as Elixir's "
                  "children, kept by pid, put it last");
    const char *log = log_from((int)seen.n[1]);
    ck_assert_msg(strcmp(log, "term a shutdown, term c shutdown, term b "
                              "shutdown") == 0,
                  "the restarted child is signalled first at the end: "
                  "want terminates a, c, b; log: %s",
                  log);
}

static void terminate(void *arg)
{
    (void)arg;
    lc_pid sup;
    start_sup(0, 0, 0, &sup);
    lc_pid a = add(
            sup, SPEC(CFG('a', .trap = true), .restart = LC_DYNSUP_PERMANENT));
    lc_pid b = add(sup, CHILD('b'));
    seen.rc[0] = lc_dynsup_terminate_child(sup, a);
    seen.ok[0] = !lc_alive(a);
    lc_sleep(1);
    seen.n[0] = lc_dynsup_which_children(sup, seen.kids[0], 8);
    seen.n[1] = (size_t)ctl[0].starts;
    seen.rc[1] = lc_dynsup_terminate_child(sup, a);
    seen.rc[2] = lc_dynsup_terminate_child(sup, lc_self());
    seen.ok[1] = lc_alive(b) && seen.kids[0][0].pid == b;
    seen.n[2] = lc_mailbox_len();
}

GR_TEST(terminate_child_by_pid)
{
    reset();
    run(terminate, NULL);
    ck_assert_msg(seen.rc[0] == 0,
                  "terminate_child of a child: want 0, got "
                  "%s",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(seen.ok[0], "the child must have ended when "
                              "terminate_child returns");
    ck_assert_msg(strstr(log_from(0), "term a shutdown") != NULL,
                  "a trapping child is asked with `shutdown` (its terminate "
                  "runs): log %s",
                  log_from(0));
    ck_assert_msg(seen.n[1] == 1 && seen.n[0] == 1,
                  "a terminated child, even permanent, is forgotten and "
                  "not restarted (%zu starts, %zu children)",
                  seen.n[1], seen.n[0]);
    ck_assert(seen.ok[1]);
}

GR_TEST(terminate_child_stranger_not_found)
{
    reset();
    run(terminate, NULL);
    ck_assert_msg(seen.rc[1] == LC_ENOENT,
                  "terminate_child of a child "
                  "already terminated: want LC_ENOENT, got %s",
                  lc_err_name(seen.rc[1]));
    ck_assert_msg(seen.rc[2] == LC_ENOENT,
                  "terminate_child of a process "
                  "that is no child: want LC_ENOENT, got %s",
                  lc_err_name(seen.rc[2]));
}

static void term_timeout(void *arg)
{
    (void)arg;
    lc_pid sup;
    start_sup(0, 0, 0, &sup);
    lc_pid a = add(sup, SPEC(CFG('a', .trap = true, .term_sleep = 5000),
                             .shutdown = 200));
    lc_pid b = add(sup, SPEC(CFG('b', .trap = true),
                             .shutdown = LC_SHUTDOWN_BRUTAL_KILL));
    int64_t t0 = lc_now();
    seen.rc[0] = lc_dynsup_terminate_child(sup, a);
    seen.t[0] = lc_now() - t0;
    seen.rc[1] = lc_dynsup_terminate_child(sup, b);
    seen.ok[0] = !lc_alive(a) && !lc_alive(b);
}

GR_TEST(terminate_child_timeout_then_kill)
{
    reset();
    run(term_timeout, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.t[0] == 200,
                  "shutdown 200 and a terminate that "
                  "takes 5 s: killed after 200 ms, took %lld",
                  (long long)seen.t[0]);
    ck_assert_msg(gr_reason_is(gr_end(ctl[0].pid), LC_A_KILLED),
                  "the slow child ends `killed`, got %s",
                  gr_reason_str(gr_end(ctl[0].pid)));
    ck_assert_msg(strstr(log_from(0), "term b") == NULL,
                  "brutal_kill runs no terminate: log %s", log_from(0));
    ck_assert(seen.ok[0]);
}

/* --- Restart intensity (D1) ---------------------------------------------- */

static void intensity(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    lc_pid sup;
    start_sup(2, 5, 0, &sup);
    add(sup, CHILD('a', .restart = LC_DYNSUP_PERMANENT));
    lc_pid b = add(sup, SPEC(CFG('b', .trap = true)));
    kill_child(ctl[0].pid);
    kill_child(ctl[0].pid);
    seen.ok[0] = lc_alive(sup) && ctl[0].starts == 3;
    kill_child(ctl[0].pid);
    lc_sleep(10);
    seen.ok[1] = !lc_alive(sup) && !lc_alive(b);
}

GR_TEST(intensity_stops_supervisor)
{
    reset();
    run(intensity, NULL);
    ck_assert_msg(seen.ok[0],
                  "intensity 2 in 5 s: two restarts are "
                  "allowed (%d starts)",
                  ctl[0].starts);
    ck_assert_msg(seen.ok[1], "the third restart in the window stops the "
                              "supervisor and its other children");
    ck_assert_msg(gr_reason_is(gr_end(seen.sup), LC_A_SHUTDOWN),
                  "the supervisor exits `shutdown`, got %s",
                  gr_reason_str(gr_end(seen.sup)));
    ck_assert_msg(strstr(log_from(0), "term b shutdown") != NULL,
                  "its other children are stopped with `shutdown`: %s",
                  log_from(0));
}

static void window(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    lc_pid sup;
    start_sup(1, 5, 0, &sup);
    add(sup, CHILD('a', .restart = LC_DYNSUP_PERMANENT));
    for (int i = 0; i < 4; i++) {
        kill_child(ctl[0].pid);
        lc_sleep(6000);
    }
    seen.ok[0] = lc_alive(sup) && ctl[0].starts == 5;
    kill_child(ctl[0].pid);
    kill_child(ctl[0].pid);
    seen.ok[1] = !lc_alive(sup);
}

GR_TEST(intensity_window_slides)
{
    reset();
    run(window, NULL);
    ck_assert_msg(seen.ok[0],
                  "one restart every 6 s never exceeds 1 in "
                  "5 s: the supervisor must live (%d starts)",
                  ctl[0].starts);
    ck_assert_msg(seen.ok[1], "two restarts in the same second exceed 1 "
                              "in 5 s: the supervisor must stop");
}

static void retries(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    lc_pid sup;
    start_sup(3, 5, 0, &sup);
    add(sup, CHILD('a', .restart = LC_DYNSUP_PERMANENT));
    ctl[0].fail_hold = true;
    kill_child(ctl[0].pid);
    lc_sleep(10);
    seen.ok[0] = !lc_alive(sup);
}

GR_TEST(failed_restart_retried_and_counted)
{
    reset();
    run(retries, NULL);
    ck_assert_msg(ctl[0].starts == 4,
                  "intensity 3 and a start that always "
                  "fails: 1 start and 3 failed restarts, then the "
                  "supervisor gives up; saw %d starts",
                  ctl[0].starts);
    ck_assert_msg(seen.ok[0] && gr_reason_is(gr_end(seen.sup), LC_A_SHUTDOWN),
                  "the supervisor must end `shutdown`, got %s",
                  gr_reason_str(gr_end(seen.sup)));
}

static void restarting(void *arg)
{
    (void)arg;
    lc_pid sup;
    start_sup(1000000, 5, 1, &sup);
    lc_pid a = add(sup, CHILD('a', .restart = LC_DYNSUP_PERMANENT));
    seen.pid[0] = a;
    ctl[0].fail_hold = true;
    /* No sleep: the retries never wait, so time does not pass until the
       child runs again. Each call below is served between two retries. */
    uint64_t ref = lc_monitor(a);
    lc_exit_signal(a, lc_reason(LC_A_KILL));
    lc_msg_free(lc_receive_ref(ref, LC_INFINITY));
    seen.n[0] = lc_dynsup_which_children(sup, seen.kids[0], 8);
    seen.counts[0] = lc_dynsup_count_children(sup);
    seen.rc[0] = lc_dynsup_start_child(sup, &CHILD('b'), NULL, NULL);
    seen.n[1] = (size_t)ctl[1].starts;
    ctl[0].fail_hold = false;
    seen.n[2] = lc_dynsup_which_children(sup, seen.kids[1], 8);
    seen.ok[0] = lc_alive(ctl[0].pid) && ctl[0].pid != a;
}

GR_TEST(restarting_child_shown_and_counted)
{
    reset();
    run(restarting, NULL);
    ck_assert_msg(seen.n[0] == 1 && seen.kids[0][0].restarting &&
                          seen.kids[0][0].pid == seen.pid[0],
                  "a child whose restart failed is listed as restarting, "
                  "under the pid of the process that ended (%zu listed, "
                  "restarting %d, %d starts)",
                  seen.n[0], seen.kids[0][0].restarting, ctl[0].starts);
    ck_assert_msg(seen.counts[0].specs == 1 && seen.counts[0].active == 0,
                  "and counted, but not active (specs %zu, active %zu)",
                  seen.counts[0].specs, seen.counts[0].active);
    ck_assert_msg(seen.rc[0] == LC_EMAX && seen.n[1] == 0,
                  "a child waiting for its restart counts against "
                  "max_children: want LC_EMAX, got %s",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(seen.n[2] == 1 && !seen.kids[1][0].restarting && seen.ok[0],
                  "once a retry succeeds, the child runs again");
}

/* --- Stopping all children (D3) ------------------------------------------ */

static void parallel(void *arg)
{
    (void)arg;
    lc_pid sup;
    start_sup(0, 0, 0, &sup);
    for (int i = 0; i < 4; i++) {
        add(sup, SPEC(CFG('a' + i, .trap = true, .term_sleep = 100),
                      .shutdown = LC_INFINITY));
    }
    seen.n[0] = (size_t)nevents;
    int64_t t0 = lc_now();
    lc_dynsup_stop(sup);
    seen.t[0] = lc_now() - t0;
    for (int i = 0; i < 4; i++) {
        seen.ok[i] = !lc_alive(ctl[i].pid);
    }
}

GR_TEST(shutdown_signals_all_then_waits)
{
    reset();
    run(parallel, NULL);
    ck_assert_msg(seen.ok[0] && seen.ok[1] && seen.ok[2] && seen.ok[3],
                  "every child must have ended when the supervisor has");
    ck_assert_msg(seen.t[0] == 100,
                  "4 children whose terminate takes "
                  "100 ms: stopped together in 100 ms, not one after "
                  "another; took %lld ms",
                  (long long)seen.t[0]);
}

GR_TEST(shutdown_order_newest_first)
{
    /* The children run their terminate in the order the signals reached
       them only under the kernel's FIFO schedule: a shuffled schedule
       (LC_SEED) may run them in any order, so this test keeps FIFO. */
    unsetenv("LC_SEED");
    reset();
    run(parallel, NULL);
    const char *log = log_from((int)seen.n[0]);
    ck_assert_msg(strcmp(log, "term d shutdown, term c shutdown, term b "
                              "shutdown, term a shutdown") == 0,
                  "the exit signals go out newest child first: want "
                  "terminates d, c, b, a; log: %s",
                  log);
}

static void timeouts(void *arg)
{
    (void)arg;
    lc_pid sup;
    start_sup(0, 0, 0, &sup);
    add(sup, SPEC(CFG('a', .trap = true, .term_sleep = 5000), .shutdown = 300));
    add(sup, SPEC(CFG('b', .trap = true, .term_sleep = 5000), .shutdown = 100));
    add(sup, SPEC(CFG('c', .trap = true), .shutdown = LC_SHUTDOWN_BRUTAL_KILL));
    add(sup, SPEC(CFG('d', .trap = true, .term_sleep = 50), .shutdown = 1000));
    int64_t t0 = lc_now();
    lc_dynsup_stop(sup);
    seen.t[0] = lc_now() - t0;
}

GR_TEST(shutdown_timeouts_then_kill)
{
    reset();
    run(timeouts, NULL);
    ck_assert_msg(seen.t[0] == 300,
                  "timeouts 300, 100, brutal and 1000 "
                  "(which ends in 50 ms) run side by side: the supervisor "
                  "is done at 300 ms, took %lld",
                  (long long)seen.t[0]);
    ck_assert(gr_reason_is(gr_end(ctl[0].pid), LC_A_KILLED));
    ck_assert(gr_reason_is(gr_end(ctl[1].pid), LC_A_KILLED));
    ck_assert(gr_reason_is(gr_end(ctl[2].pid), LC_A_KILLED));
    ck_assert_msg(gr_reason_is(gr_end(ctl[3].pid), LC_A_SHUTDOWN),
                  "a child that ends within its time ends `shutdown`, "
                  "got %s",
                  gr_reason_str(gr_end(ctl[3].pid)));
    ck_assert_msg(strstr(log_from(0), "term c") == NULL,
                  "brutal_kill: no terminate");
}

#define MANY 5000
static lc_pid many_pids[MANY];

static void many(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    lc_pid sup;
    start_sup(0, 0, 0, &sup);
    for (int i = 0; i < MANY; i++) {
        many_pids[i] = add(
                sup, CHILD('a' + i % 4,
                           .shutdown = i % 2 ? LC_SHUTDOWN_BRUTAL_KILL : 1000));
    }
    seen.counts[0] = lc_dynsup_count_children(sup);
    uint64_t ref = lc_monitor(sup);
    lc_exit_signal(sup, lc_reason(LC_A_SHUTDOWN));
    struct lc_msg *m = lc_receive_ref(ref, LC_INFINITY);
    struct lc_down_msg down;
    memcpy(&down, m->data, sizeof down);
    lc_msg_free(m);
    seen.why[0] = down.reason;
    seen.n[0] = 0;
    for (int i = 0; i < MANY; i++) {
        seen.n[0] += lc_alive(many_pids[i]);
    }
    seen.ok[0] = !lc_alive(sup);
}

GR_TEST(parent_exit_stops_every_child)
{
    reset();
    run(many, NULL);
    ck_assert_uint_eq(seen.counts[0].active, MANY);
    ck_assert_msg(seen.ok[0], "the parent's exit `shutdown` must stop the "
                              "supervisor");
    ck_assert_msg(seen.n[0] == 0,
                  "%zu of %d children outlived their "
                  "supervisor",
                  seen.n[0], MANY);
    ck_assert_msg(gr_reason_is(&seen.why[0], LC_A_SHUTDOWN),
                  "it exits with its parent's reason, got %s",
                  gr_reason_str(&seen.why[0]));
}

static lc_pid stranger_target;
static void stranger_fn(void *arg)
{
    (void)arg;
    lc_exit_signal(stranger_target, reason2("bye", 1));
}

static void stranger(void *arg)
{
    (void)arg;
    lc_pid sup;
    start_sup(0, 0, 0, &sup);
    lc_pid a = add(sup, CHILD('a', .restart = LC_DYNSUP_PERMANENT));
    /* An EXIT from a process that is neither a child nor the parent. */
    stranger_target = sup;
    lc_spawn(stranger_fn, NULL);
    lc_sleep(1);
    seen.ok[0] = lc_alive(sup) && ctl[0].pid == a && ctl[0].starts == 1;
}

GR_TEST(exit_of_a_stranger_ignored)
{
    reset();
    run(stranger, NULL);
    ck_assert_msg(seen.ok[0], "an EXIT that is not from a child changes "
                              "nothing");
}

/* --- Figures ------------------------------------------------------------- */

static int edges_to;
static void count_edge(const struct lc_edge *e, void *ctx)
{
    if (e->kind == LC_EDGE_SUPERVISES && e->from == *(lc_pid *)ctx) {
        edges_to++;
    }
}

static char detail_seen[80];
static void figure(void *arg)
{
    (void)arg;
    lc_pid sup;
    start_sup(3, 5, 100, &sup);
    add(sup, CHILD('a'));
    add(sup, CHILD('b'));
    struct lc_info info;
    seen.rc[0] = lc_proc_info(sup, &info);
    seen.ok[0] = info.role == LC_ROLE_SUPERVISOR;
    snprintf(detail_seen, sizeof detail_seen, "%s",
             info.detail ? info.detail : "");
    edges_to = 0;
    lc_edges(count_edge, &sup);
    seen.n[0] = (size_t)edges_to;
    kill_child(ctl[0].pid);
    edges_to = 0;
    lc_edges(count_edge, &sup);
    seen.n[1] = (size_t)edges_to;
}

GR_TEST(drawn_as_a_supervisor)
{
    reset();
    run(figure, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.ok[0], "role: LC_ROLE_SUPERVISOR");
    ck_assert_str_eq(detail_seen, "dynamic one_for_one 3/5s max 100");
    ck_assert_msg(seen.n[0] == 2, "a supervises edge to each child (%zu)",
                  seen.n[0]);
    ck_assert_msg(seen.n[1] == 1,
                  "a temporary child that ended loses its "
                  "edge (%zu)",
                  seen.n[1]);
}

/* --- Start it, or find it (D2's already_started) ------------------------- */

/*
 * The test's own "server_process": ask the supervisor for the server named
 * 'name'; a start function that finds the name taken answers LC_EALREADY,
 * which is success too.
 */
static int named_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    ctl[0].starts++;
    struct lc_gs_opts o = { .name = arg };
    int rc = lc_gs_start_link(&worker, CFG('a'), &o, pid, why);
    if (rc == 0) {
        ctl[0].pid = *pid;
        ctl[1].starts++; /* really started */
    }
    return rc;
}

static lc_pid find_or_start(lc_pid sup, const char *name)
{
    struct lc_dynsup_child s = { .start = named_start,
                                 .arg = name,
                                 .arg_size = strlen(name) + 1 };
    lc_pid pid = LC_NOPID;
    int rc = lc_dynsup_start_child(sup, &s, &pid, NULL);
    return rc == 0 || rc == LC_EALREADY ? pid : LC_NOPID;
}

#define CLIENTS 100
static lc_pid race_sup;
static lc_pid got[CLIENTS];

static void client(void *arg)
{
    size_t i = (size_t)(uintptr_t)arg;
    got[i] = find_or_start(race_sup, "Bob's list");
}

static void race(void *arg)
{
    (void)arg;
    start_sup(0, 0, 0, &race_sup);
    memset(got, 0, sizeof got);
    for (size_t i = 0; i < CLIENTS; i++) {
        lc_spawn(client, (void *)(uintptr_t)i);
    }
    lc_sleep(1000);
    seen.n[0] = lc_dynsup_which_children(race_sup, NULL, 0);
    seen.n[1] = 0;
    for (size_t i = 0; i < CLIENTS; i++) {
        seen.n[1] += got[i] == ctl[0].pid && got[i] != LC_NOPID;
    }
}

GR_TEST(start_or_find_one_server_over_seeds)
{
    for (uint64_t seed = 1; seed <= 200; seed++) {
        struct lc_config cfg = { .chaos = true, .seed = seed };
        ck_assert_int_eq(lc_init(&cfg), 0);
        reset();
        run(race, NULL);
        ck_assert_msg(ctl[1].starts == 1,
                      "seed %llu: %d servers started for "
                      "one name (LC_SEED=%llu replays it)",
                      (unsigned long long)seed, ctl[1].starts,
                      (unsigned long long)seed);
        ck_assert_msg(seen.n[1] == CLIENTS,
                      "seed %llu: %zu of %d clients "
                      "got the server's pid (LC_EALREADY is success: take "
                      "the holder)",
                      (unsigned long long)seed, seen.n[1], CLIENTS);
        ck_assert_msg(seen.n[0] == 1,
                      "seed %llu: the supervisor keeps one "
                      "child, not %zu",
                      (unsigned long long)seed, seen.n[0]);
        lc_fini();
    }
}

/* --- The to-do system, stage dynamic_workers ------------------------------ */

static char *const td_dir = scratch_dir; /* scratch.h */
static struct todo_config td_cfg;
static const struct todo_date td_day = { 2026, 12, 19 };

static void td_reset(void)
{
    reset();
    scratch_make("lc-todo-grade");
    ck_assert_int_eq(todo_config_init(&td_cfg, td_dir), 0);
    td_cfg.workers = 3;
}

/* The server of 'list' in the registry, or LC_NOPID. */
static lc_pid td_server(const char *list)
{
    char key[LC_REG_KEY_MAX];
    lc_reg_key_str(key, "server", list);
    return lc_reg_whereis(lc_whereis(TODO_REGISTRY_NAME), key);
}

static void td_serves(void *arg)
{
    (void)arg;
    lc_pid sup;
    seen.rc[0] = todo_dynamic_system_start_link(&td_cfg, &sup);
    if (seen.rc[0] < 0) {
        return;
    }
    lc_pid cache = lc_whereis(TODO_CACHE_NAME);
    seen.n[0] = lc_dynsup_which_children(cache, NULL, 0);
    seen.rc[1] = todo_add("Bob's list", td_day, "Dentist", NULL);
    seen.rc[2] = todo_add("Ann's list", td_day, "Gym", NULL);
    seen.n[1] = lc_dynsup_which_children(cache, seen.kids[0], 8);
    seen.pid[0] = td_server("Bob's list");
    seen.pid[1] = td_server("Ann's list");
    struct lc_info info;
    seen.ok[0] =
            lc_proc_info(cache, &info) == 0 && info.role == LC_ROLE_SUPERVISOR;
    seen.ok[1] = seen.n[1] == 2 && ((seen.kids[0][0].pid == seen.pid[1] &&
                                     seen.kids[0][1].pid == seen.pid[0]));
    struct todo_entry e[2];
    seen.rc[3] = todo_entries("Bob's list", td_day, e, 2);
}

GR_TEST(todo_cache_is_a_dynamic_supervisor)
{
    td_reset();
    run(td_serves, NULL);
    ck_assert_msg(seen.rc[0] == 0, "todo_dynamic_system_start_link: %s",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(seen.ok[0], "\"todo_cache\" must be a dynamic supervisor");
    ck_assert_msg(seen.n[0] == 0, "the cache starts with no server (%zu)",
                  seen.n[0]);
    ck_assert_msg(seen.rc[1] == 0 && seen.rc[2] == 0, "todo_add: %s, %s",
                  lc_err_name(seen.rc[1]), lc_err_name(seen.rc[2]));
    ck_assert_msg(seen.pid[0] != LC_NOPID && seen.pid[1] != LC_NOPID,
                  "each server is registered as {server,List}");
    ck_assert_msg(seen.ok[1],
                  "the cache's children are the two servers, "
                  "started on their first use (%zu children)",
                  seen.n[1]);
    ck_assert_int_eq(seen.rc[3], 1);
}

static void td_kill(void *arg)
{
    (void)arg;
    lc_pid sup;
    seen.rc[0] = todo_dynamic_system_start_link(&td_cfg, &sup);
    if (seen.rc[0] < 0) {
        return;
    }
    lc_pid cache = lc_whereis(TODO_CACHE_NAME);
    todo_add("Bob's list", td_day, "Dentist", NULL);
    todo_add("Bob's list", td_day, "Milk", NULL);
    todo_add("Ann's list", td_day, "Gym", NULL);
    lc_pid bob = td_server("Bob's list"), ann = td_server("Ann's list");
    lc_exit_signal(bob, lc_reason(LC_A_KILL));
    lc_sleep(1);
    seen.n[0] = lc_dynsup_which_children(cache, NULL, 0);
    seen.pid[0] = td_server("Bob's list");
    struct todo_entry e[4];
    seen.rc[1] = todo_entries("Bob's list", td_day, e, 4);
    seen.ok[0] = seen.rc[1] == 2 && strcmp(e[0].title, "Dentist") == 0 &&
                 strcmp(e[1].title, "Milk") == 0;
    seen.pid[1] = td_server("Bob's list");
    seen.ok[1] = seen.pid[1] != LC_NOPID && seen.pid[1] != bob;
    seen.ok[2] = td_server("Ann's list") == ann && lc_alive(ann) &&
                 lc_alive(sup) && lc_whereis(TODO_CACHE_NAME) == cache;
    seen.n[1] = lc_dynsup_which_children(cache, NULL, 0);
}

GR_TEST(todo_killed_server_recreated_on_next_use)
{
    td_reset();
    run(td_kill, NULL);
    ck_assert_msg(seen.rc[0] == 0, "todo_dynamic_system_start_link: %s",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(seen.n[0] == 1 && seen.pid[0] == LC_NOPID,
                  "a killed to-do server is temporary: not restarted, its "
                  "key gone (%zu children left)",
                  seen.n[0]);
    ck_assert_msg(seen.ok[0],
                  "the next use starts a new server, which "
                  "reloads the list from disk: want 2 entries, got %d",
                  seen.rc[1]);
    ck_assert_msg(seen.ok[1], "under a new pid");
    ck_assert_msg(seen.ok[2], "the other servers, the cache and the system "
                              "are untouched");
    ck_assert_uint_eq(seen.n[1], 2);
}

static int td_started;
static void td_count(const char *line)
{
    if (strncmp(line, "Starting to-do server", 21) == 0) {
        td_started++;
    }
}

static lc_pid td_got[CLIENTS];

static void td_client(void *arg)
{
    size_t i = (size_t)(uintptr_t)arg;
    td_got[i] = todo_hooks()->server_process("Bob's list");
}

static void td_race(void *arg)
{
    (void)arg;
    lc_pid sup;
    seen.rc[0] = todo_dynamic_system_start_link(&td_cfg, &sup);
    if (seen.rc[0] < 0) {
        return;
    }
    for (size_t i = 0; i < CLIENTS; i++) {
        lc_spawn(td_client, (void *)(uintptr_t)i);
    }
    lc_sleep(1000);
    seen.pid[0] = td_server("Bob's list");
    seen.n[0] = 0;
    for (size_t i = 0; i < CLIENTS; i++) {
        seen.n[0] += td_got[i] == seen.pid[0] && td_got[i] != LC_NOPID;
    }
    seen.n[1] = lc_dynsup_which_children(lc_whereis(TODO_CACHE_NAME), NULL, 0);
}

GR_TEST(todo_clients_racing_start_one_server)
{
    td_reset();
    todo_log_set(td_count);
    for (uint64_t seed = 1; seed <= 200; seed++) {
        struct lc_config cfg = { .chaos = true, .seed = seed };
        ck_assert_int_eq(lc_init(&cfg), 0);
        reset();
        todo_log_set(td_count);
        td_started = 0;
        memset(td_got, 0, sizeof td_got);
        run(td_race, NULL);
        ck_assert_msg(seen.rc[0] == 0, "todo_dynamic_system_start_link: %s",
                      lc_err_name(seen.rc[0]));
        ck_assert_msg(td_started == 1,
                      "seed %llu: %d to-do servers started "
                      "for one list by 100 clients (LC_SEED=%llu)",
                      (unsigned long long)seed, td_started,
                      (unsigned long long)seed);
        ck_assert_msg(seen.n[0] == CLIENTS && seen.n[1] == 1,
                      "seed %llu: %zu of %d clients got the server, the "
                      "cache has %zu children",
                      (unsigned long long)seed, seen.n[0], CLIENTS, seen.n[1]);
        lc_fini();
    }
    todo_log_set(NULL);
}
