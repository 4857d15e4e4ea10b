/*
 * escalate.c - chapter 6: a failure that restarts cannot fix climbs the
 * tree. A worker with a bug crashes 100 ms after every start. Its
 * supervisor, "inner", allows 1 restart in 5 seconds; inner is a child of
 * "outer", which allows 3. Inner gives up on the second crash and exits
 * `shutdown`; outer restarts inner, which starts the worker afresh, until
 * outer, too, has seen one restart too many. The worker is started
 * (1 + 1) x (3 + 1) = 8 times before the whole tree is gone.
 */
#include <stdio.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/supervisor.h"

enum {
    BUG = 1 /* the worker's timer: time to crash */
};

static int starts;              /* how often the worker started */
static lc_pid outer, inners[8]; /* to name them when they end */
static int ninners;

/* region: flaky */
static int flaky_init(void *arg, void **state, struct lc_reason *stop)
{
    printf("t=%-5lld flaky: init (start %d)\n", (long long)lc_now(), ++starts);
    lc_send_after(100, lc_self(), BUG, NULL, 0);
    return LC_GS_CONTINUE;
}

static int flaky_info(void *state, const struct lc_msg *msg,
                      struct lc_reason *stop)
{
    lc_error(lc_atom_term(lc_atom_intern("the_bug")));
}
/* endregion */

static const struct lc_gs_ops flaky_ops = { .init = flaky_init,
                                            .handle_info = flaky_info };

static int flaky_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return lc_gs_start_link(&flaky_ops, NULL, NULL, pid, why);
}

/* region: tree */
static int inner_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    static const struct lc_child_spec kids[] = {
        { .id = "flaky", .start = flaky_start },
    };
    const struct lc_sup_spec spec = {
        .flags = { .strategy = LC_ONE_FOR_ONE,
                   .max_restarts = 1,
                   .max_seconds = 5 },
        .children = kids,
        .nchildren = 1,
    };
    int rc = lc_sup_start_link(&spec, NULL, pid, NULL);
    if (rc == 0 && ninners < 8) {
        inners[ninners++] = *pid;
    }
    return rc;
}

static void session(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    static const struct lc_child_spec kids[] = {
        { .id = "inner", .start = inner_start, .type = LC_CHILD_SUPERVISOR },
    };
    const struct lc_sup_spec spec = { .children = kids, .nchildren = 1 };
    lc_sup_start_link(&spec, NULL, &outer, NULL); /* 3 restarts in 5 s */
    lc_msg_free(lc_receive_tag(LC_TAG_EXIT, LC_INFINITY));
    printf("t=%-5lld flaky was started %d times\n", (long long)lc_now(),
           starts);
}
/* endregion */

/* Say when a supervisor ends, and why. */
static void report(lc_pid pid, const struct lc_reason *why)
{
    const char *who = pid == outer ? "outer" : NULL;
    for (int i = 0; i < ninners; i++) {
        who = inners[i] == pid ? "inner" : who;
    }
    if (who != NULL) {
        char p[32], r[64];
        lc_pid_format(p, sizeof p, pid);
        lc_reason_format(r, sizeof r, why);
        printf("t=%-5lld %s %s ended: %s\n", (long long)lc_now(), who, p, r);
    }
}

int main(void)
{
    lc_init(NULL);
    lc_exit_hook_add(report);
    lc_spawn(session, NULL);
    lc_run();
    lc_fini();
    return 0;
}
