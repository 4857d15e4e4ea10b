/*
 * sup_tests.h - what the graded tests of chapters 5 and 6 (supervisors,
 * supervision trees) are built on: the logging worker, the record of what
 * a test saw, and the helpers that drive a supervisor.
 *
 *     #include "harness.h"
 *     #include "sup_tests.h"
 *
 * Every test drives one kind of child, a generic server (the worker below)
 * whose init and terminate write into the event log (event_log.h: "init
 * a", "term a shutdown", with the time), and whose start function does
 * what the test asks through ctl[]: count its calls, fail, raise or
 * ignore. A driver process plays the supervisor's parent and records what
 * it saw in 'seen'; the test asserts after the run.
 *
 * Included by one test file per chapter: its data and functions are
 * defined here, static (GR_SHARED), and a chapter that does not use one
 * gets no warning for it.
 */
#ifndef GR_SUP_TESTS_H
#define GR_SUP_TESTS_H

#include <string.h>

#include "event_log.h"
#include "harness.h"
#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/supervisor.h"

/* --- What the tests saw ----------------------------------------------------
 */

GR_SHARED struct {
    int rc[12];                      /* return codes */
    lc_pid pid[8];                   /* processes the tests look at */
    bool ok[8];                      /* yes/no observations */
    int64_t t[8];                    /* times */
    size_t n[8];                     /* counts */
    struct lc_sup_error err;         /* a failed start */
    struct lc_reason why[4];         /* reasons returned */
    struct lc_child_info kids[8][8]; /* which_children snapshots */
    size_t nkids[8];
    struct lc_sup_counts counts[4];
    int mark[8]; /* positions in the log */
    lc_pid sup;  /* the supervisor of the test */
} seen;

/* How the start function of a worker fails, when a test asks it to. */
enum fail_how {
    FAIL_ERROR,  /* return LC_ESTART with {nope, Index} */
    FAIL_IGNORE, /* return LC_EIGNORE */
    FAIL_RAISE   /* raise exit {bang, 7} */
};

/* What a test asks of the worker labelled 'a' + index, and what it did. */
GR_SHARED struct {
    int starts;     /* calls of its start function */
    int fail_from;  /* start calls numbered >= this fail (0: none) */
    int fail_until; /* ... and < this (0: no end) */
    bool fail_hold; /* every start fails while this is true */
    enum fail_how how;
    lc_pid pid; /* the latest process started */
    lc_pid sup; /* the process that called the start function */
} ctl[8];

GR_SHARED void reset(void)
{
    memset(&seen, 0, sizeof seen);
    memset(ctl, 0, sizeof ctl);
    log_reset();
    gr_record_exits();
}

/* --- The worker: a generic server that logs its init and terminate ------- */

struct wcfg {
    char label;         /* 'a'..'h': its row in ctl[] and its name in the log */
    bool trap;          /* it traps exits (so terminate runs on shutdown) */
    int64_t init_sleep; /* ms its init takes */
    int64_t term_sleep; /* ms its terminate takes */
    const char *name;   /* a registered name, or NULL */
};

enum {
    W_STOP = 1, /* cast: stop with the struct lc_reason sent */
    W_LABEL = 2 /* call: reply the label */
};

struct wstate {
    char label;
    int64_t term_sleep;
};

GR_SHARED int w_init(void *arg, void **state, struct lc_reason *stop)
{
    const struct wcfg *c = arg;
    (void)stop;
    if (c->init_sleep > 0) {
        lc_sleep(c->init_sleep);
    }
    if (c->trap) {
        lc_trap_exit(true);
    }
    struct wstate *s = lc_zalloc(sizeof *s);
    s->label = c->label;
    s->term_sleep = c->term_sleep;
    *state = s;
    note("init %c", c->label);
    return LC_GS_CONTINUE;
}

GR_SHARED int w_call(void *state, int tag, const void *data, size_t size,
                     struct lc_gs_from from, struct lc_reason *stop)
{
    struct wstate *s = state;
    (void)data, (void)size, (void)stop;
    if (tag == W_LABEL) {
        lc_gs_reply(from, &s->label, 1);
    }
    return LC_GS_CONTINUE;
}

GR_SHARED int w_cast(void *state, int tag, const void *data, size_t size,
                     struct lc_reason *stop)
{
    (void)state;
    if (tag == W_STOP && size == sizeof *stop) {
        memcpy(stop, data, sizeof *stop);
        return LC_GS_STOP;
    }
    return LC_GS_CONTINUE;
}

GR_SHARED void w_terminate(void *state, const struct lc_reason *why)
{
    struct wstate *s = state;
    note("term %c %s", s->label, gr_reason_str(why));
    if (s->term_sleep > 0) {
        lc_sleep(s->term_sleep);
    }
}

GR_SHARED const struct lc_gs_ops worker = {
    .init = w_init,
    .handle_call = w_call,
    .handle_cast = w_cast,
    .terminate = w_terminate,
};

/* The start function of every worker: it runs in the supervisor. */
GR_SHARED int w_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    const struct wcfg *c = arg;
    int k = c->label - 'a';
    int n = ++ctl[k].starts;
    ctl[k].sup = lc_self();
    bool fail = ctl[k].fail_hold ||
                (ctl[k].fail_from > 0 && n >= ctl[k].fail_from &&
                 (ctl[k].fail_until == 0 || n < ctl[k].fail_until));
    if (fail) {
        note("fail %c", c->label);
        switch (ctl[k].how) {
            case FAIL_IGNORE:
                return LC_EIGNORE;
            case FAIL_RAISE:
                lc_exit(reason2("bang", 7));
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

/* A worker's spec: CHILD("a", .trap = true) -- the id's first letter is the
   label. The supervisor copies the configuration (arg_size). */
#define CHILD(...) CHILD_(__VA_ARGS__, )
#define CHILD_(ID, ...)                                         \
    {                                                           \
        .id = ID, .start = w_start,                             \
        .arg = &(struct wcfg){ .label = (ID)[0], __VA_ARGS__ }, \
        .arg_size = sizeof(struct wcfg)                         \
    }

/* --- Driving ---------------------------------------------------------------
 */

/* End a child with 'r' (its own decision: terminate runs), and let the
   supervisor react. */
GR_SHARED void stop_child(lc_pid pid, struct lc_reason r)
{
    lc_gs_cast(pid, W_STOP, &r, sizeof r);
    lc_sleep(1);
}

/* Kill a child (no terminate) and let the supervisor react. */
GR_SHARED void kill_child(lc_pid pid)
{
    lc_exit_signal(pid, lc_reason(LC_A_KILL));
    lc_sleep(1);
}

GR_SHARED size_t kids(lc_pid sup, struct lc_child_info *out)
{
    return lc_sup_which_children(sup, out, 8);
}

/* The pid of child 'id' (LC_NOPID if not running or unknown). */
GR_SHARED lc_pid pid_of(lc_pid sup, const char *id)
{
    struct lc_child_info in[8];
    size_t n = kids(sup, in);
    for (size_t i = 0; i < n && i < 8; i++) {
        if (strcmp(in[i].id, id) == 0) {
            return in[i].pid;
        }
    }
    return LC_NOPID;
}

/* The ids of which_children, newest first, as "c b a". */
GR_SHARED const char *ids_str(const struct lc_child_info *in, size_t n)
{
    static char buf[4][160];
    static int k;
    k = (k + 1) % 4;
    buf[k][0] = '\0';
    for (size_t i = 0; i < n && i < 8; i++) {
        if (i > 0) {
            strcat(buf[k], " ");
        }
        strncat(buf[k], in[i].id, 16);
    }
    return buf[k];
}

GR_SHARED int start_sup(enum lc_strategy strategy, int maxr, int maxt,
                        const struct lc_child_spec *children, size_t n,
                        lc_pid *sup)
{
    struct lc_sup_spec spec = {
        .flags = { .strategy = strategy,
                   .max_restarts = maxr,
                   .max_seconds = maxt },
        .children = children,
        .nchildren = n,
    };
    int rc = lc_sup_start_link(&spec, NULL, sup, &seen.err);
    seen.sup = rc == 0 ? *sup : LC_NOPID;
    return rc;
}

/* The start function of a nested supervisor: arg is its lc_sup_spec. */
GR_SHARED int nested_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    struct lc_sup_error err;
    int rc = lc_sup_start_link(arg, NULL, pid, &err);
    if (rc < 0 && why != NULL) {
        *why = err.reason;
    }
    return rc;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Run 'fn' under the chaos scheduler with seeds 1..nseeds; after each run
   'check' asserts on what it saw (naming the seed, for LC_SEED=N). */
GR_SHARED uint64_t cur_seed;
GR_SHARED void over_seeds(lc_proc_fn *fn, void (*check)(void), uint64_t nseeds)
{
    for (cur_seed = 1; cur_seed <= nseeds; cur_seed++) {
        struct lc_config cfg = { .chaos = true, .seed = cur_seed };
        ck_assert_int_eq(lc_init(&cfg), 0);
        reset();
        run(fn, NULL);
        check();
        lc_fini();
    }
}

#endif /* GR_SUP_TESTS_H */
