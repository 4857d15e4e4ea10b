/*
 * order.c - chapter 10: three applications that depend on each other --
 * web needs db, db needs logger -- started and stopped as wholes.
 *
 * Starting web alone is refused: db does not run, and start never starts
 * a dependency by itself. ensure_all_started does: logger, then db, then
 * web, and says so. Stopping db leaves logger and web running (a stop
 * never cascades); stopping all goes newest first. Each application's tree
 * is one supervisor with one worker that says when it starts and stops.
 */
#include <stdio.h>

#include "lc/otp/application.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/supervisor.h"

static void say(const char *fmt, const char *what)
{
    printf(fmt, what);
    printf("\n");
}

/* A worker that says when it starts and stops (it traps exits, so its
   terminate runs when its supervisor stops it). */
static int worker_init(void *arg, void **state, struct lc_reason *stop)
{
    lc_trap_exit(true);
    lc_proc_set_name(lc_self(), arg);
    *state = arg;
    say("  %s: init", arg);
    return LC_GS_CONTINUE;
}

static void worker_terminate(void *state, const struct lc_reason *why)
{
    say("  %s: terminate", state);
}

static const struct lc_gs_ops worker_ops = { .init = worker_init,
                                             .terminate = worker_terminate };

static int worker_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return lc_gs_start_link(&worker_ops, arg, NULL, pid, why);
}

/* region: app */
/* The start callback: the application's tree is a supervisor of one
   worker named after the application. */
static int app_start(void *arg, lc_pid *top, void **state,
                     struct lc_reason *why)
{
    say("  %s: start callback", arg);
    struct lc_child_spec child = { .id = arg,
                                   .start = worker_start,
                                   .arg = arg };
    struct lc_sup_spec spec = { .children = &child, .nchildren = 1 };
    *state = arg;
    return lc_sup_start_link(&spec, NULL, top, NULL);
}

static void app_stop(void *state)
{
    say("  %s: stop callback (its tree is gone)", state);
}

static const char *const needs_logger[] = { "logger" };
static const char *const needs_db[] = { "db" };

static const struct lc_app_spec apps[] = {
    { .name = "logger", .start = app_start, .arg = "logger", .stop = app_stop },
    { .name = "db",
      .deps = needs_logger,
      .ndeps = 1,
      .start = app_start,
      .arg = "db",
      .stop = app_stop },
    { .name = "web",
      .deps = needs_db,
      .ndeps = 1,
      .start = app_start,
      .arg = "web",
      .stop = app_stop },
};
/* endregion */

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
    struct lc_app_error err;
    char why[64];
    int rc = lc_app_start("web", LC_APP_TEMPORARY, &err);
    lc_reason_format(why, sizeof why, &err.reason);
    printf("start web -> %s %s\n", lc_err_name(rc), why);
    show_running();

    char started[LC_APP_MAX][LC_APP_NAME_MAX];
    size_t n;
    rc = lc_app_ensure_all_started("web", LC_APP_TEMPORARY, started, LC_APP_MAX,
                                   &n, &err);
    printf("ensure_all_started web -> %d, started:", rc);
    for (size_t i = 0; i < n; i++) {
        printf(" %s", started[i]);
    }
    printf("\n");
    show_running();

    printf("stop db -> %d\n", lc_app_stop("db"));
    show_running();
    printf("stop db -> %s (it does not run)\n", lc_err_name(lc_app_stop("db")));
    printf("stop all -> %zu stopped\n", lc_app_stop_all());
    show_running();
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
