/*
 * group.c - chapter 2: a group of linked processes. One crashes; the exit
 * signals travel along the links and take down every process that does not
 * trap exits. The one that traps gets an EXIT message and lives on. The
 * program draws the group (ex_figure) just before the crash.
 */
#include <stdint.h>
#include <stdio.h>

#include "figure.h"
#include "lc/otp/exceptions.h"
#include "lc/otp/links.h"

enum {
    STOP = 1
};

/* region: group */
/* Who is linked to whom: each member starts its children with a link. */
static const struct member {
    const char *name;
    int parent; /* index of the member that starts it, -1 for the first */
    bool traps;
    bool crashes;
} group[] = {
    { "a", -1, false, false }, { "b", 0, false, false },
    { "c", 0, false, false },  { "d", 1, false, false },
    { "e", 1, false, false },  { "f", 2, true, false },
    { "g", 2, false, true },
};
#define NMEMBERS (sizeof group / sizeof group[0])

static lc_pid pids[NMEMBERS]; /* each member's pid, for the report */

static void member(void *arg)
{
    const struct member *me = &group[(intptr_t)arg];
    if (me->traps) {
        lc_trap_exit(true);
        lc_proc_set_detail(lc_self(), "traps exits");
    }
    for (size_t i = 0; i < NMEMBERS; i++) {
        if (group[i].parent == (int)(intptr_t)arg) {
            struct lc_spawn_opts o = { .name = group[i].name };
            lc_spawn_link_opt(&pids[i], member, (void *)(intptr_t)i, &o);
        }
    }
    if (me->crashes) {
        lc_proc_set_detail(lc_self(), "crashes at t=100");
        lc_sleep(100);
        lc_error(lc_atom_term(lc_atom_intern("boom")));
    }
    struct lc_msg *m;
    while ((m = lc_receive(LC_INFINITY))->tag == LC_TAG_EXIT) {
        const struct lc_exit_msg *x = (const struct lc_exit_msg *)m->data;
        char from[32], why[128];
        lc_pid_format(from, sizeof from, x->from);
        lc_reason_format(why, sizeof why, &x->reason);
        printf("t=%-4lld %s received {EXIT, %s, %s}\n", (long long)lc_now(),
               me->name, from, why);
        lc_msg_free(m);
    }
    lc_msg_free(m); /* STOP */
}
/* endregion */

/* The kernel calls this whenever a process ends: say which member, and
   why. */
static void report(lc_pid pid, const struct lc_reason *why)
{
    for (size_t i = 0; i < NMEMBERS; i++) {
        if (pids[i] == pid) {
            char p[32], r[128];
            lc_pid_format(p, sizeof p, pid);
            lc_reason_format(r, sizeof r, why);
            printf("t=%-4lld %s %s ended: %s\n", (long long)lc_now(),
                   group[i].name, p, r);
        }
    }
}

static void observer(void *arg)
{
    (void)arg;
    struct lc_spawn_opts o = { .name = group[0].name };
    lc_spawn_opt(&pids[0], member, (void *)0, &o);
    lc_sleep(50); /* the group is built and waiting */
    /* region: figure */
    struct lc_dot_opts fig = { .links = true, .lonely = false };
    ex_figure("02-links-graph", &fig);
    /* endregion */
    lc_pid all[16];
    size_t n = lc_proc_list(all, 16);
    printf("t=%-4lld %zu processes, %zu of them linked in a group\n",
           (long long)lc_now(), n, n - 1);
    lc_sleep(100); /* g crashes meanwhile */
    n = lc_proc_list(all, 16);
    for (size_t i = 0; i < n; i++) {
        struct lc_info in;
        if (lc_proc_info(all[i], &in) == 0 && in.name != NULL) {
            printf("t=%-4lld still alive: %s, with %zu link(s)\n",
                   (long long)lc_now(), in.name, lc_links(all[i], NULL, 0));
            lc_send(all[i], STOP, NULL, 0);
        }
    }
}

int main(void)
{
    lc_init(NULL);
    lc_exit_hook_add(report);
    lc_spawn(observer, NULL);
    lc_run();
    lc_fini();
    return 0;
}
