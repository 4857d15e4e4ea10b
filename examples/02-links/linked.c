/*
 * linked.c - chapter 2: the program of isolation.c with one change: process
 * 1 starts process 2 with lc_spawn_link(). Now the crash of process 1 takes
 * process 2 down with it, with the same reason.
 */
#include <stdio.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/links.h"

/* The kernel calls this whenever a process ends: log the crashes. */
static void report(lc_pid pid, const struct lc_reason *why)
{
    if (!lc_reason_is_clean(why)) {
        char p[32], r[160];
        lc_pid_format(p, sizeof p, pid);
        lc_reason_format(r, sizeof r, why);
        printf("t=%-5lld %s crashed: %s\n", (long long)lc_now(), p, r);
    }
}

/* region: processes */
static void process2(void *arg)
{
    (void)arg;
    lc_sleep(1000);
    printf("t=%-5lld process 2 finished\n", (long long)lc_now());
}

static void process1(void *arg)
{
    (void)arg;
    lc_spawn_link(process2, NULL); /* the only change */
    lc_error(lc_atom_term(lc_atom_intern("something_went_wrong")));
}
/* endregion */

int main(void)
{
    lc_init(NULL);
    lc_exit_hook_add(report);
    lc_spawn(process1, NULL);
    lc_run();
    lc_fini();
    return 0;
}
