/*
 * uncaught.c - chapter 1: an exception nobody catches ends its process --
 * only that one -- with a reason that says what happened. Three processes
 * crash, one of each kind, while a fourth goes on counting.
 */
#include <stdio.h>

#include "lc/otp/exceptions.h"

/* region: report */
/* The kernel calls this whenever a process ends: print how it ended. */
static void report(lc_pid pid, const struct lc_reason *why)
{
    char p[32], r[160];
    lc_pid_format(p, sizeof p, pid);
    lc_reason_format(r, sizeof r, why);
    printf("t=%-4lld %s ended: %s\n", (long long)lc_now(), p, r);
}
/* endregion */

/* region: crashers */
static void errs(void *arg)
{
    (void)arg;
    lc_error(lc_atom_term(lc_atom_intern("something_went_wrong")));
}

static void exits(void *arg)
{
    (void)arg;
    lc_exit(lc_reason(lc_atom_intern("i_am_done")));
}

static void throws(void *arg)
{
    (void)arg;
    lc_throw(lc_int(42));
}

static void counter(void *arg)
{
    (void)arg;
    for (int i = 1; i <= 3; i++) {
        lc_sleep(100);
        printf("t=%-4lld counter: %d\n", (long long)lc_now(), i);
    }
}
/* endregion */

int main(void)
{
    lc_init(NULL);
    lc_exit_hook_add(report);
    lc_spawn(counter, NULL);
    lc_spawn(errs, NULL);
    lc_spawn(exits, NULL);
    lc_spawn(throws, NULL);
    lc_run();
    lc_fini();
    return 0;
}
