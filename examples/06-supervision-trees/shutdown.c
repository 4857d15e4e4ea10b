/*
 * shutdown.c - chapter 6: the shutdown protocol, timed on the virtual
 * clock. Five workers differ only in whether they trap exits, how long
 * their terminate takes, and the shutdown their spec asks for. The program
 * stops each one with terminate_child and watches it with a monitor of its
 * own: how long the supervisor took, whether terminate ran, and the reason
 * in the DOWN.
 */
#include <stdio.h>
#include <string.h>

#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/supervisor.h"

/* region: worker */
struct habit {
    const char *name;
    bool traps;           /* trap exits, so that terminate can run */
    int64_t terminate_ms; /* how long terminate takes */
};

static int worker_init(void *arg, void **state, struct lc_reason *stop)
{
    const struct habit *h = arg;
    lc_trap_exit(h->traps);
    *state = arg;
    return LC_GS_CONTINUE;
}

static void worker_terminate(void *state, const struct lc_reason *why)
{
    const struct habit *h = state;
    char r[64];
    lc_reason_format(r, sizeof r, why);
    printf("t=%-5lld   %s: terminate(%s), %lld ms of cleanup\n",
           (long long)lc_now(), h->name, r, (long long)h->terminate_ms);
    lc_sleep(h->terminate_ms);
}
/* endregion */

static const struct lc_gs_ops worker_ops = { .init = worker_init,
                                             .terminate = worker_terminate };

static int worker_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return lc_gs_start_link(&worker_ops, arg, NULL, pid, why);
}

static lc_pid child_pid(lc_pid sup, const char *id)
{
    struct lc_child_info kids[8];
    size_t n = lc_sup_which_children(sup, kids, 8);
    for (size_t i = 0; i < n && i < 8; i++) {
        if (strcmp(kids[i].id, id) == 0) {
            return kids[i].pid;
        }
    }
    return LC_NOPID;
}

/* region: children */
static const struct habit plain = { "plain", false, 0 },
                          polite = { "polite", true, 10 },
                          brutal = { "brutal", true, 10 },
                          stubborn = { "stubborn", true, 5000 },
                          slow = { "slow", true, 300 };

static const struct lc_child_spec children[] = {
    { .id = "plain", .start = worker_start, .arg = &plain },
    { .id = "polite", .start = worker_start, .arg = &polite },
    { .id = "brutal",
      .start = worker_start,
      .arg = &brutal,
      .shutdown = LC_SHUTDOWN_BRUTAL_KILL },
    { .id = "stubborn",
      .start = worker_start,
      .arg = &stubborn,
      .shutdown = 200 },
    { .id = "slow",
      .start = worker_start,
      .arg = &slow,
      .shutdown = LC_INFINITY },
};
/* endregion */

/* region: stop */
static void stop_one(lc_pid sup, const char *id)
{
    uint64_t ref = lc_monitor(child_pid(sup, id));
    int64_t t0 = lc_now();
    printf("t=%-5lld terminate_child(%s)\n", (long long)t0, id);
    lc_sup_terminate_child(sup, id);
    struct lc_msg *m = lc_receive_ref(ref, 0); /* it is down already */
    const struct lc_down_msg *d = (const struct lc_down_msg *)m->data;
    char r[64];
    lc_reason_format(r, sizeof r, &d->reason);
    printf("t=%-5lld   returned after %lld ms; DOWN: %s\n", (long long)lc_now(),
           (long long)(lc_now() - t0), r);
    lc_msg_free(m);
}

static void session(void *arg)
{
    (void)arg;
    const struct lc_sup_spec spec = { .children = children, .nchildren = 5 };
    lc_pid sup;
    lc_sup_start_link(&spec, NULL, &sup, NULL);
    for (size_t i = 0; i < 5; i++) {
        stop_one(sup, children[i].id);
    }
    printf("t=%-5lld running children: %zu\n", (long long)lc_now(),
           lc_sup_count_children(sup).active);
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
