/*
 * via.c - chapter 7: via names under a supervisor. Two counters are
 * started by their supervisor under the keys {counter,1} and {counter,2};
 * clients cast and call them by key. Kill one: the supervisor starts a new
 * one under the same key, and the same calls reach it -- with a fresh
 * count, since the state died with the old process.
 */
#include <stdio.h>
#include <string.h>

#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/names.h"
#include "lc/otp/registry.h"
#include "lc/otp/supervisor.h"

enum {
    ADD = 1,
    GET = 2
};

static int counter_init(void *arg, void **state, struct lc_reason *stop)
{
    *state = lc_zalloc(sizeof(int64_t));
    return LC_GS_CONTINUE;
}

static int counter_cast(void *state, int tag, const void *data, size_t size,
                        struct lc_reason *stop)
{
    int64_t n;
    memcpy(&n, data, sizeof n);
    *(int64_t *)state += n;
    return LC_GS_CONTINUE;
}

static int counter_call(void *state, int tag, const void *data, size_t size,
                        struct lc_gs_from from, struct lc_reason *stop)
{
    lc_gs_reply(from, state, sizeof(int64_t));
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops counter_ops = {
    .init = counter_init,
    .handle_call = counter_call,
    .handle_cast = counter_cast,
};

/* region: start */
/* A counter's start function: its key is the spec's argument. The
   registry is found by its name at every start, restarts included. */
static int counter_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return lc_reg_via_start_link(lc_whereis("counters"), arg, &counter_ops,
                                 NULL, NULL, pid, why);
}
/* endregion */

static void get(lc_pid reg, const char *key)
{
    struct lc_msg *m = lc_reg_via_call(reg, key, GET, NULL, 0, 5000);
    int64_t n;
    memcpy(&n, m->data, sizeof n);
    char p[32];
    lc_pid_format(p, sizeof p, m->from);
    printf("t=%-4lld %s = %lld (process %s)\n", (long long)lc_now(), key,
           (long long)n, p);
    lc_msg_free(m);
}

/* region: session */
static void session(void *arg)
{
    static const struct lc_reg_opts reg_opts = { .name = "counters" };
    struct lc_child_spec c[] = {
        lc_reg_child_spec("registry", &reg_opts), /* first: the others
                                                      register in it */
        { .id = "counter 1",
          .start = counter_start,
          .arg = "{counter,1}",
          .arg_size = sizeof "{counter,1}" },
        { .id = "counter 2",
          .start = counter_start,
          .arg = "{counter,2}",
          .arg_size = sizeof "{counter,2}" },
    };
    struct lc_sup_spec spec = { .children = c, .nchildren = 3 };
    lc_pid sup;
    lc_sup_start_link(&spec, NULL, &sup, NULL);
    lc_pid reg = lc_whereis("counters");

    int64_t five = 5;
    lc_reg_via_cast(reg, "{counter,1}", ADD, &five, sizeof five);
    lc_reg_via_cast(reg, "{counter,2}", ADD, &five, sizeof five);
    lc_reg_via_cast(reg, "{counter,2}", ADD, &five, sizeof five);
    get(reg, "{counter,1}");
    get(reg, "{counter,2}");

    lc_pid pid;
    int rc = lc_reg_via_start(reg, "{counter,1}", &counter_ops, NULL, NULL,
                              &pid, NULL);
    printf("t=%-4lld another start under {counter,1}: %s\n",
           (long long)lc_now(), lc_err_name(rc));

    printf("t=%-4lld kill {counter,1}\n", (long long)lc_now());
    lc_exit_signal(lc_reg_whereis(reg, "{counter,1}"), lc_reason(LC_A_KILL));
    lc_sleep(10);
    get(reg, "{counter,1}");
    get(reg, "{counter,2}");
    lc_reg_via_cast(reg, "{counter,9}", ADD, &five, sizeof five);
    printf("t=%-4lld a cast to {counter,9}, which nobody holds, is fine\n",
           (long long)lc_now());
    lc_unlink(sup);
    lc_sup_stop(sup);
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
