/*
 * types.c - chapter 6: restart types. One supervisor per round, each with
 * three children alike but for their restart type: "perm" (permanent),
 * "trans" (transient) and "temp" (temporary). In each round all three are
 * told to end with the same reason -- normal, {shutdown, done}, or a crash
 * -- and which_children shows what the supervisor made of it.
 */
#include <stdio.h>
#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/supervisor.h"

enum {
    END = 1 /* cast: end with the reason in the request */
};

static const char *fmt_pid(char *buf, size_t n, lc_pid pid)
{
    if (pid == LC_NOPID) {
        snprintf(buf, n, "undefined");
    } else {
        lc_pid_format(buf, n, pid);
    }
    return buf;
}

static int worker_init(void *arg, void **state, struct lc_reason *stop)
{
    printf("t=%-5lld %s: init\n", (long long)lc_now(), (const char *)arg);
    return LC_GS_CONTINUE;
}

/* End as told: a crash is an error raised, anything else a stop. */
static int worker_cast(void *state, int tag, const void *data, size_t size,
                       struct lc_reason *stop)
{
    memcpy(stop, data, sizeof *stop);
    if (stop->kind == lc_atom_intern("the_bug")) {
        lc_error(lc_atom_term(stop->kind));
    }
    return LC_GS_STOP;
}

static const struct lc_gs_ops worker_ops = { .init = worker_init,
                                             .handle_cast = worker_cast };

static int worker_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return lc_gs_start_link(&worker_ops, arg, NULL, pid, why);
}

/* region: children */
static const struct lc_child_spec children[] = {
    { .id = "perm",
      .start = worker_start,
      .arg = "perm",
      .restart = LC_PERMANENT },
    { .id = "trans",
      .start = worker_start,
      .arg = "trans",
      .restart = LC_TRANSIENT },
    { .id = "temp",
      .start = worker_start,
      .arg = "temp",
      .restart = LC_TEMPORARY },
};
/* endregion */

/* region: round */
static void round_with(struct lc_reason why)
{
    char r[64];
    lc_reason_format(r, sizeof r, &why);
    printf("-- every child ends with %s\n", r);
    const struct lc_sup_spec spec = { .children = children, .nchildren = 3 };
    lc_pid sup;
    lc_sup_start_link(&spec, NULL, &sup, NULL);
    lc_sleep(100);

    struct lc_child_info kids[3];
    size_t n = lc_sup_which_children(sup, kids, 3);
    for (size_t i = 0; i < n && i < 3; i++) {
        lc_gs_cast(kids[i].pid, END, &why, sizeof why);
    }
    lc_sleep(100);

    n = lc_sup_which_children(sup, kids, 3);
    printf("t=%-5lld which_children:", (long long)lc_now());
    for (size_t i = 0; i < n && i < 3; i++) {
        char p[32];
        printf(" %s=%s", kids[i].id, fmt_pid(p, sizeof p, kids[i].pid));
    }
    printf("\n");
    lc_sup_stop(sup);
}

static void session(void *arg)
{
    (void)arg;
    round_with(lc_reason(LC_A_NORMAL));
    round_with(lc_reason_with(LC_A_SHUTDOWN,
                              lc_atom_term(lc_atom_intern("done"))));
    round_with(lc_reason(lc_atom_intern("the_bug")));
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
