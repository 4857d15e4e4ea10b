/*
 * tree.c - chapter 6: a supervision tree, started and stopped. The top
 * supervisor starts a database subtree (a supervisor of two workers), a
 * cache, and a web subtree (a supervisor of a listener and an acceptor).
 * Every worker traps exits and says when its init and its terminate run.
 * The start goes depth first, in list order; the stop is its mirror
 * image: the last child started is the first to stop, a subtree stops
 * completely before its older sibling is asked, and each child is waited
 * for before the next is told.
 */
#include <stdio.h>

#include "figure.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/supervisor.h"

static int worker_init(void *arg, void **state, struct lc_reason *stop)
{
    lc_trap_exit(true);
    lc_proc_set_name(lc_self(), arg);
    printf("t=%-5lld %s: init\n", (long long)lc_now(), (const char *)arg);
    *state = arg;
    return LC_GS_CONTINUE;
}

/* Cleaning up takes each worker 10 ms. */
static void worker_terminate(void *state, const struct lc_reason *why)
{
    char r[64];
    lc_reason_format(r, sizeof r, why);
    printf("t=%-5lld %s: terminate(%s)\n", (long long)lc_now(),
           (const char *)state, r);
    lc_sleep(10);
}

static const struct lc_gs_ops worker_ops = { .init = worker_init,
                                             .terminate = worker_terminate };

static int worker_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return lc_gs_start_link(&worker_ops, arg, NULL, pid, why);
}

/* region: subtrees */
static struct lc_child_spec worker(const char *name)
{
    return (struct lc_child_spec){ .id = name,
                                   .start = worker_start,
                                   .arg = name };
}

/* A subtree: a supervisor, registered under a name. */
struct subtree {
    const char *name;
    struct lc_sup_spec spec;
};

static int subtree_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    const struct subtree *t = arg;
    const struct lc_sup_opts o = { .name = t->name };
    struct lc_sup_error err;
    int rc = lc_sup_start_link(&t->spec, &o, pid, &err);
    *why = err.reason;
    return rc;
}

static struct lc_child_spec subtree(const char *id, const struct subtree *t)
{
    return (struct lc_child_spec){
        .id = id, .start = subtree_start, .arg = t, .type = LC_CHILD_SUPERVISOR
    };
}
/* endregion */

/* region: tree */
static void session(void *arg)
{
    (void)arg;
    const struct lc_child_spec db_kids[] = { worker("db_worker1"),
                                             worker("db_worker2") };
    const struct subtree db = { "db_sup",
                                { .flags = { .strategy = LC_ONE_FOR_ALL },
                                  .children = db_kids,
                                  .nchildren = 2 } };
    const struct lc_child_spec web_kids[] = { worker("listener"),
                                              worker("acceptor") };
    const struct subtree web = { "web_sup",
                                 { .flags = { .strategy = LC_REST_FOR_ONE },
                                   .children = web_kids,
                                   .nchildren = 2 } };
    const struct lc_child_spec top_kids[] = {
        subtree("database", &db),
        worker("cache"),
        subtree("web", &web),
    };
    const struct lc_sup_spec top = { .children = top_kids, .nchildren = 3 };
    const struct lc_sup_opts o = { .name = "top" };

    printf("-- start\n");
    lc_pid sup;
    lc_sup_start_link(&top, &o, &sup, NULL);
    const struct lc_dot_opts d = { .supervision = true, .legend = true };
    ex_figure("06-supervision-trees-tree", &d);
    lc_sleep(100);
    printf("-- stop\n");
    lc_sup_stop(sup);
    printf("t=%-5lld the whole tree is down\n", (long long)lc_now());
}
/* endregion */

int main(void)
{
    lc_init(NULL);
    lc_spawn(session, NULL);
    lc_run();
    lc_fini();
    return 0;
}
