/*
 * starts.c - chapter 4: every way a start can end. One callback module
 * whose init does what its argument says; a caller that traps exits
 * starts it each way and prints what lc_gs_start_link() returned. Last, a
 * caller that does not trap exits starts a server whose init fails: the
 * link takes the caller down, and its start never returns.
 */
#include <stdio.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/names.h"

/* region: init */
enum how {
    OK,
    IGNORE,
    STOP,
    RAISE,
    SLOW
};

static int picky_init(void *arg, void **state, struct lc_reason *stop)
{
    switch (*(const enum how *)arg) {
        case IGNORE:
            return LC_GS_IGNORE;
        case STOP:
            *stop = lc_reason_with(lc_atom_intern("no_config"), lc_int(7));
            return LC_GS_STOP;
        case RAISE:
            lc_error(lc_atom_term(LC_A_BADARG));
        case SLOW:
            lc_sleep(10000);
            return LC_GS_CONTINUE;
        default:
            return LC_GS_CONTINUE;
    }
}

static const struct lc_gs_ops picky = { .init = picky_init };
/* endregion */

static void show(const char *what, int rc, lc_pid pid,
                 const struct lc_reason *why)
{
    char p[32] = "", r[96] = "";
    if (rc == 0 || rc == LC_EALREADY) {
        lc_pid_format(p, sizeof p, pid);
    }
    if (rc == LC_ESTART) {
        lc_reason_format(r, sizeof r, why);
    }
    printf("t=%-5lld %-17s mailbox=%zu  %-12s %s%s\n", (long long)lc_now(),
           what, lc_mailbox_len(), lc_err_name(rc), p[0] || r[0] ? p : "-", r);
}

/* region: starts */
static void try_start(const char *what, enum how how, const char *name,
                      int64_t timeout)
{
    struct lc_gs_opts o = { .name = name, .timeout_ms = timeout };
    lc_pid pid = LC_NOPID;
    struct lc_reason why = lc_reason(LC_A_NONE);
    int rc = lc_gs_start_link(&picky, &how, &o, &pid, &why);
    show(what, rc, pid, &why);
}

static void trapping_caller(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    try_start("init succeeds", OK, "db", 0);
    try_start("name taken", OK, "db", 0);
    try_start("init ignores", IGNORE, NULL, 0);
    try_start("init stops", STOP, "cache", 0);
    try_start("init raises", RAISE, "cache", 0);
    try_start("init is too slow", SLOW, "cache", 500);
    try_start("after all that", OK, "cache", 0);
}

static void careless_caller(void *arg)
{
    (void)arg;
    try_start("careless", STOP, NULL, 0); /* never prints */
}
/* endregion */

static lc_pid careless;

/* The kernel calls this whenever a process ends: how did the careless
   caller end? */
static void report(lc_pid pid, const struct lc_reason *why)
{
    if (pid == careless) {
        char r[96];
        lc_reason_format(r, sizeof r, why);
        printf("t=%-5lld the careless caller ended: %s\n", (long long)lc_now(),
               r);
    }
}

static void both(void *arg)
{
    (void)arg;
    lc_spawn(trapping_caller, NULL);
    lc_sleep(1000);
    careless = lc_spawn(careless_caller, NULL);
}

int main(void)
{
    lc_init(NULL);
    lc_exit_hook_add(report);
    lc_spawn(both, NULL);
    lc_run();
    lc_fini();
    return 0;
}
