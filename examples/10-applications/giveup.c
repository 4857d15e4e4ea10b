/*
 * giveup.c - chapter 10: what happens when an application's top
 * supervisor gives up (its restart intensity is used up). The tree ends
 * with `shutdown`, the application master runs stop and ends too, and the
 * application's restart type decides the rest: a temporary application is
 * only reported -- the others run on -- while a permanent one halts the
 * program: every application still running is stopped, newest first, and
 * lc_app_halted() says why.
 */
#include <stdio.h>

#include "lc/otp/application.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/supervisor.h"

static int worker_init(void *arg, void **state, struct lc_reason *stop)
{
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops worker_ops = { .init = worker_init };

static int worker_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return lc_gs_start_link(&worker_ops, NULL, NULL, pid, why);
}

/* A tree that gives up at the second crash in 5 s: one restart allowed. */
static int app_start(void *arg, lc_pid *top, void **state,
                     struct lc_reason *why)
{
    static const struct lc_child_spec child = { .id = "worker",
                                                .start = worker_start };
    struct lc_sup_spec spec = {
        .flags = { .max_restarts = 1, .max_seconds = 5 },
        .children = &child,
        .nchildren = 1,
    };
    *state = arg;
    return lc_sup_start_link(&spec, NULL, top, NULL);
}

static void app_stop(void *state)
{
    printf("  %s: stop callback\n", (const char *)state);
}

static const struct lc_app_spec apps[] = {
    { .name = "metrics",
      .start = app_start,
      .arg = "metrics",
      .stop = app_stop },
    { .name = "cache", .start = app_start, .arg = "cache", .stop = app_stop },
    { .name = "core", .start = app_start, .arg = "core", .stop = app_stop },
};

/* Crash the worker of 'app' twice; wait until the application is gone. */
static void break_app(const char *app)
{
    lc_pid top = lc_app_top(app);
    struct lc_info in;
    lc_proc_info(top, &in);
    uint64_t master = lc_monitor(in.parent);
    for (int i = 0; i < 2; i++) {
        struct lc_child_info kid;
        lc_sup_which_children(top, &kid, 1);
        uint64_t ref = lc_monitor(kid.pid);
        lc_exit_signal(kid.pid, lc_reason(LC_A_KILL));
        lc_msg_free(lc_receive_ref(ref, LC_INFINITY));
    }
    lc_msg_free(lc_receive_ref(master, LC_INFINITY));
}

static void show_running(void)
{
    char names[LC_APP_MAX][LC_APP_NAME_MAX];
    size_t n = lc_app_which(names, LC_APP_MAX);
    printf("running:");
    for (size_t i = 0; i < n; i++) {
        printf(" %s", names[i]);
    }
    printf("%s\n", n == 0 ? " (none)" : "");
}

/* region: session */
static void session(void *arg)
{
    for (size_t i = 0; i < 3; i++) {
        lc_app_load(&apps[i]);
    }
    lc_app_start("metrics", LC_APP_TEMPORARY, NULL);
    lc_app_start("cache", LC_APP_TEMPORARY, NULL);
    lc_app_start("core", LC_APP_PERMANENT, NULL);
    show_running();

    printf("crash cache's worker twice (cache is temporary)\n");
    break_app("cache");
    show_running();
    printf("halted: %s\n", lc_app_halted(NULL) ? "yes" : "no");

    printf("crash core's worker twice (core is permanent)\n");
    break_app("core");
    show_running();
    struct lc_app_error why;
    if (lc_app_halted(&why)) {
        char r[64];
        lc_reason_format(r, sizeof r, &why.reason);
        printf("halted: yes, application %s ended with %s\n", why.app, r);
    }
    printf("start cache -> %s\n",
           lc_err_name(lc_app_start("cache", LC_APP_TEMPORARY, NULL)));
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
