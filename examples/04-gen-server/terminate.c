/*
 * terminate.c - chapter 4: when terminate runs. Two servers, alike but
 * for one line: one traps exits, the other does not. Each is started by
 * its own parent, and the parents end with `shutdown`. Only the server
 * that traps exits hears of it in time to run terminate; the other is
 * taken down by the exit signal on the spot. A stop request and a crash
 * in a callback run terminate whether the server traps or not.
 */
#include <stdio.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"

enum {
    CRASH = 1 /* cast: raise an error */
};

/* Which server is which, for report(). */
static struct {
    lc_pid pid;
    const char *name;
} known[4];
static int nknown;

static void remember(const char *name)
{
    known[nknown].pid = lc_self();
    known[nknown++].name = name;
}

/* region: servers */
static int init_trapping(void *arg, void **state, struct lc_reason *stop)
{
    lc_trap_exit(true); /* the one line */
    *state = arg;       /* the state is just the server's name */
    remember(arg);
    return LC_GS_CONTINUE;
}

static int init_plain(void *arg, void **state, struct lc_reason *stop)
{
    *state = arg;
    remember(arg);
    return LC_GS_CONTINUE;
}

static int crash_cast(void *state, int tag, const void *data, size_t size,
                      struct lc_reason *stop)
{
    lc_error(lc_atom_term(lc_atom_intern("oops")));
}

static void say_terminate(void *state, const struct lc_reason *why)
{
    char r[96];
    lc_reason_format(r, sizeof r, why);
    printf("t=%-5lld %s: terminate(%s)\n", (long long)lc_now(),
           (const char *)state, r);
}

static const struct lc_gs_ops trapping = { .init = init_trapping,
                                           .handle_cast = crash_cast,
                                           .terminate = say_terminate };
static const struct lc_gs_ops plain = { .init = init_plain,
                                        .handle_cast = crash_cast,
                                        .terminate = say_terminate };
/* endregion */

/* region: parents */
struct plan {
    const struct lc_gs_ops *ops;
    const char *name;
};

/* Starts a server linked to itself, then ends with `shutdown`. */
static void parent(void *arg)
{
    const struct plan *p = arg;
    lc_gs_start_link(p->ops, (void *)p->name, NULL, NULL, NULL);
    lc_sleep(100);
    printf("t=%-5lld the parent of %s ends with shutdown\n",
           (long long)lc_now(), p->name);
    lc_proc_exit(lc_reason(LC_A_SHUTDOWN));
}

static void scenes(void *arg)
{
    (void)arg;
    static const struct plan a = { &trapping, "trapping" };
    static const struct plan b = { &plain, "plain" };
    lc_spawn(parent, (void *)&a);
    lc_spawn(parent, (void *)&b);
    lc_sleep(200);

    lc_pid s;
    lc_gs_start(&plain, "plain, stopped", NULL, &s, NULL);
    lc_gs_stop(s, lc_reason(LC_A_NORMAL), LC_INFINITY);
    lc_gs_start(&plain, "plain, crashed", NULL, &s, NULL);
    lc_gs_cast(s, CRASH, NULL, 0);
}
/* endregion */

/* The kernel calls this whenever a process ends: if it is a server, say
   how it ended. */
static void report(lc_pid pid, const struct lc_reason *why)
{
    for (int i = 0; i < nknown; i++) {
        if (known[i].pid == pid) {
            char r[96];
            lc_reason_format(r, sizeof r, why);
            printf("t=%-5lld %s ended: %s\n", (long long)lc_now(),
                   known[i].name, r);
        }
    }
}

int main(void)
{
    lc_init(NULL);
    lc_exit_hook_add(report);
    lc_spawn(scenes, NULL);
    lc_run();
    lc_fini();
    return 0;
}
