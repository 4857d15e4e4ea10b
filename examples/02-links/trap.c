/*
 * trap.c - chapter 2: a process that traps exits is not killed by its
 * linked child's crash; the exit signal arrives as an EXIT message instead,
 * with the child's pid and reason.
 */
#include <stdio.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/links.h"

/* region: trap */
static void crasher(void *arg)
{
    (void)arg;
    lc_error(lc_atom_term(lc_atom_intern("something_went_wrong")));
}

static void parent(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    lc_spawn_link(crasher, NULL);
    struct lc_msg *m = lc_receive_tag(LC_TAG_EXIT, LC_INFINITY);
    const struct lc_exit_msg *x = (const struct lc_exit_msg *)m->data;
    char from[32], why[160];
    lc_pid_format(from, sizeof from, x->from);
    lc_reason_format(why, sizeof why, &x->reason);
    printf("{EXIT, %s, %s}\n", from, why);
    lc_msg_free(m);
    printf("the parent is still running\n");
}
/* endregion */

int main(void)
{
    lc_init(NULL);
    lc_spawn(parent, NULL);
    lc_run();
    lc_fini();
    return 0;
}
