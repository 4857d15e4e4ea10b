/*
 * on_demand.c - chapter 8: a dynamic supervisor starts empty and starts
 * each child when it is asked for. Three sessions are started on demand;
 * the fourth finds the limit (max_children 3); one session crashes and,
 * being temporary, is simply gone -- which makes room for a new one.
 */
#include <stdio.h>
#include <string.h>

#include "lc/otp/dynamic_supervisor.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"

static int session_init(void *arg, void **state, struct lc_reason *stop)
{
    printf("  session of %s starts\n", (const char *)arg);
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops session_ops = { .init = session_init };

static int session_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return lc_gs_start_link(&session_ops, arg, NULL, pid, why);
}

static void show(lc_pid sup)
{
    struct lc_dynsup_child_info kids[8];
    size_t n = lc_dynsup_which_children(sup, kids, 8);
    printf("  which_children:");
    for (size_t i = 0; i < n && i < 8; i++) {
        char p[32];
        lc_pid_format(p, sizeof p, kids[i].pid);
        printf(" %s", p);
    }
    printf("  (%zu)\n", n);
}

/* region: session */
static lc_pid open_session(lc_pid sup, const char *user)
{
    struct lc_dynsup_child spec = {
        .start = session_start, /* temporary: the default */
        .arg = user,
        .arg_size = strlen(user) + 1, /* the supervisor keeps a copy */
    };
    lc_pid pid = LC_NOPID;
    int rc = lc_dynsup_start_child(sup, &spec, &pid, NULL);
    char p[32] = "-";
    if (rc == 0) {
        lc_pid_format(p, sizeof p, pid);
    }
    printf("start_child(%s): %s %s\n", user, rc == 0 ? "ok" : lc_err_name(rc),
           p);
    return pid;
}

static void main_process(void *arg)
{
    (void)arg;
    struct lc_dynsup_flags flags = { .max_children = 3 };
    lc_pid sup;
    lc_dynsup_start_link(&flags, NULL, &sup, NULL);
    show(sup);
    lc_pid ann = open_session(sup, "ann");
    open_session(sup, "bob");
    open_session(sup, "cid");
    open_session(sup, "dee");
    show(sup);
    printf("ann's session crashes\n");
    lc_exit_signal(ann, lc_reason(LC_A_KILL));
    lc_sleep(1);
    show(sup);
    open_session(sup, "dee");
    show(sup);
}
/* endregion */

int main(void)
{
    lc_init(NULL);
    lc_spawn(main_process, NULL);
    lc_run();
    lc_fini();
    return 0;
}
