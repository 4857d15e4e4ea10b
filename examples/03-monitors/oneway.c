/*
 * oneway.c - chapter 3: a monitor works in one direction only, and never
 * kills. The watcher of a crashed worker gets a DOWN message and goes on;
 * a worker whose watcher crashed is not even told.
 */
#include <stdio.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/monitors.h"

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

static void print_reason(const char *who, const struct lc_reason *why)
{
    char r[160];
    lc_reason_format(r, sizeof r, why);
    printf("t=%-5lld %s: %s\n", (long long)lc_now(), who, r);
}

/* region: oneway */
static void worker_crashes(void *arg)
{
    (void)arg;
    lc_sleep(100);
    lc_error(lc_atom_term(lc_atom_intern("disk_full")));
}

static void worker_finishes(void *arg)
{
    (void)arg;
    lc_sleep(1000);
    printf("t=%-5lld worker 2 finished, %zu message(s) in its mailbox\n",
           (long long)lc_now(), lc_mailbox_len());
}

/* Watches worker 1 and survives its crash. */
static void watcher1(void *arg)
{
    (void)arg;
    uint64_t ref = lc_monitor(lc_spawn(worker_crashes, NULL));
    struct lc_msg *m = lc_receive_ref(ref, LC_INFINITY);
    const struct lc_down_msg *d = (const struct lc_down_msg *)m->data;
    print_reason("watcher 1 got DOWN", &d->reason);
    lc_msg_free(m);
    printf("t=%-5lld watcher 1 is still running\n", (long long)lc_now());
}

/* Watches worker 2, then crashes: worker 2 does not notice. */
static void watcher2(void *arg)
{
    (void)arg;
    lc_monitor(lc_spawn(worker_finishes, NULL));
    lc_sleep(200);
    lc_error(lc_atom_term(lc_atom_intern("bug_in_watcher")));
}
/* endregion */

int main(void)
{
    lc_init(NULL);
    lc_exit_hook_add(report);
    lc_spawn(watcher1, NULL);
    lc_spawn(watcher2, NULL);
    lc_run();
    lc_fini();
    return 0;
}
