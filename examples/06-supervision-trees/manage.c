/*
 * manage.c - chapter 6: managing children by hand. A supervisor with a
 * database, a cache and a temporary job. The program stops the cache
 * (it stays down: nobody restarts a child its supervisor was told to
 * stop), starts it again, stops and forgets it; it asks for the calls that
 * make no sense (restarting or deleting a running child, a child that does
 * not exist) and prints what each call returns.
 */
#include <stdio.h>

#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/supervisor.h"

static const char *fmt_pid(char *buf, size_t n, lc_pid pid)
{
    if (pid == LC_NOPID) {
        snprintf(buf, n, "undefined");
    } else {
        lc_pid_format(buf, n, pid);
    }
    return buf;
}

static int worker_init(void *arg, void **state, struct lc_reason *stop)
{
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops worker_ops = { .init = worker_init };

static int worker_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return lc_gs_start_link(&worker_ops, arg, NULL, pid, why);
}

static void show(lc_pid sup)
{
    struct lc_child_info kids[4];
    size_t n = lc_sup_which_children(sup, kids, 4);
    printf("        which_children:");
    for (size_t i = 0; i < n && i < 4; i++) {
        char p[32];
        printf(" %s=%s", kids[i].id, fmt_pid(p, sizeof p, kids[i].pid));
    }
    printf("\n");
}

static const char *result(int rc)
{
    return rc == 0 ? "ok" : lc_err_name(rc);
}

/* region: session */
static void session(void *arg)
{
    (void)arg;
    static const struct lc_child_spec children[] = {
        { .id = "db", .start = worker_start },
        { .id = "cache", .start = worker_start },
        { .id = "job", .start = worker_start, .restart = LC_TEMPORARY },
    };
    const struct lc_sup_spec spec = { .children = children, .nchildren = 3 };
    lc_pid sup, pid = LC_NOPID;
    char p[32];
    lc_sup_start_link(&spec, NULL, &sup, NULL);
    show(sup);

    printf("terminate_child(cache): %s\n",
           result(lc_sup_terminate_child(sup, "cache")));
    show(sup);
    printf("restart_child(cache):   %s",
           result(lc_sup_restart_child(sup, "cache", &pid, NULL)));
    printf(" %s\n", fmt_pid(p, sizeof p, pid));
    printf("restart_child(db):      %s\n",
           result(lc_sup_restart_child(sup, "db", NULL, NULL)));
    printf("delete_child(db):       %s\n",
           result(lc_sup_delete_child(sup, "db")));
    printf("terminate_child(cache): %s\n",
           result(lc_sup_terminate_child(sup, "cache")));
    printf("delete_child(cache):    %s\n",
           result(lc_sup_delete_child(sup, "cache")));
    printf("restart_child(cache):   %s\n",
           result(lc_sup_restart_child(sup, "cache", NULL, NULL)));
    printf("terminate_child(job):   %s\n",
           result(lc_sup_terminate_child(sup, "job")));
    printf("restart_child(job):     %s\n",
           result(lc_sup_restart_child(sup, "job", NULL, NULL)));
    printf("terminate_child(nope):  %s\n",
           result(lc_sup_terminate_child(sup, "nope")));
    show(sup);
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
