/*
 * strategies.c - chapter 6: one crash, three strategies. A supervisor
 * starts three workers, a, b and c, in that order; each traps exits and
 * says when its init and its terminate run. Then b is killed. Under
 * one_for_one only b is started again; under one_for_all a and c are
 * stopped (c first) and all three start again, in order; under
 * rest_for_one only c, the child started after b, is stopped, then b and
 * c start again. Each run draws the tree after the restart.
 */
#include <stdio.h>
#include <string.h>

#include "figure.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/supervisor.h"

static bool telling = true; /* quiet while a run is taken down */

/* region: worker */
static int worker_init(void *arg, void **state, struct lc_reason *stop)
{
    lc_trap_exit(true);
    printf("t=%-5lld %s: init\n", (long long)lc_now(), (const char *)arg);
    lc_proc_set_name(lc_self(), arg); /* the figure shows it */
    *state = arg;
    return LC_GS_CONTINUE;
}

static void worker_terminate(void *state, const struct lc_reason *why)
{
    char r[64];
    lc_reason_format(r, sizeof r, why);
    if (telling) {
        printf("t=%-5lld %s: terminate(%s)\n", (long long)lc_now(),
               (const char *)state, r);
    }
}

static const struct lc_gs_ops worker_ops = { .init = worker_init,
                                             .terminate = worker_terminate };

static int worker_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return lc_gs_start_link(&worker_ops, arg, NULL, pid, why);
}
/* endregion */

static lc_pid child_pid(lc_pid sup, const char *id)
{
    struct lc_child_info kids[4];
    size_t n = lc_sup_which_children(sup, kids, 4);
    for (size_t i = 0; i < n && i < 4; i++) {
        if (strcmp(kids[i].id, id) == 0) {
            return kids[i].pid;
        }
    }
    return LC_NOPID;
}

/* region: run */
static void run(enum lc_strategy strategy, const char *name)
{
    static const struct lc_child_spec children[] = {
        { .id = "a", .start = worker_start, .arg = "a" },
        { .id = "b", .start = worker_start, .arg = "b" },
        { .id = "c", .start = worker_start, .arg = "c" },
    };
    const struct lc_sup_spec spec = { .flags = { .strategy = strategy },
                                      .children = children,
                                      .nchildren = 3 };
    printf("-- %s\n", name);
    lc_pid sup;
    const struct lc_sup_opts o = { .name = "sup" };
    lc_sup_start_link(&spec, &o, &sup, NULL);
    lc_sleep(100);
    printf("t=%-5lld kill b\n", (long long)lc_now());
    lc_exit_signal(child_pid(sup, "b"), lc_reason(LC_A_KILL));
    lc_sleep(100);

    char figure[64], title[64];
    snprintf(figure, sizeof figure, "06-supervision-trees-%s", name);
    snprintf(title, sizeof title, "%s: b was killed", name);
    for (char *p = figure; *p; p++) {
        *p = *p == '_' ? '-' : *p; /* one_for_one -> one-for-one */
    }
    const struct lc_dot_opts d = { .supervision = true, .title = title };
    ex_figure(figure, &d);

    telling = false;
    lc_sup_stop(sup);
    telling = true;
}
/* endregion */

static void session(void *arg)
{
    (void)arg;
    run(LC_ONE_FOR_ONE, "one_for_one");
    run(LC_ONE_FOR_ALL, "one_for_all");
    run(LC_REST_FOR_ONE, "rest_for_one");
}

int main(void)
{
    lc_init(NULL);
    lc_spawn(session, NULL);
    lc_run();
    lc_fini();
    return 0;
}
