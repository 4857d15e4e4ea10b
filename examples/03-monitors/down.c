/*
 * down.c - chapter 3: a process watches another with a monitor and gets a
 * DOWN message when it ends. Watching a process that has already ended is
 * not an error: the DOWN, with reason `noproc`, is in the mailbox at once.
 */
#include <stdio.h>

#include "lc/otp/monitors.h"

/* Print a DOWN message the way Erlang shows it. */
static void print_down(const struct lc_msg *m)
{
    const struct lc_down_msg *d = (const struct lc_down_msg *)m->data;
    char ref[32], pid[32], why[160];
    lc_term_format(ref, sizeof ref, lc_ref_term(d->ref));
    lc_pid_format(pid, sizeof pid, d->pid);
    lc_reason_format(why, sizeof why, &d->reason);
    printf("t=%-5lld {DOWN, %s, process, %s, %s}\n", (long long)lc_now(), ref,
           pid, why);
}

static void say(const char *what, lc_pid pid, uint64_t ref)
{
    char p[32], r[32];
    lc_pid_format(p, sizeof p, pid);
    lc_term_format(r, sizeof r, lc_ref_term(ref));
    printf("t=%-5lld %s %s: %s\n", (long long)lc_now(), what, p, r);
}

/* region: watch */
static void target(void *arg)
{
    (void)arg;
    lc_sleep(1000); /* then return: the reason is `normal` */
}

static void watcher(void *arg)
{
    (void)arg;
    lc_pid t = lc_spawn(target, NULL);
    uint64_t ref = lc_monitor(t);
    say("monitoring", t, ref);
    struct lc_msg *m = lc_receive(LC_INFINITY); /* the only message: DOWN */
    print_down(m);
    lc_msg_free(m);

    ref = lc_monitor(t); /* the target is gone by now */
    say("monitoring again", t, ref);
    m = lc_receive(0); /* no waiting: the DOWN is already here */
    print_down(m);
    lc_msg_free(m);
}
/* endregion */

int main(void)
{
    lc_init(NULL);
    lc_spawn(watcher, NULL);
    lc_run();
    lc_fini();
    return 0;
}
