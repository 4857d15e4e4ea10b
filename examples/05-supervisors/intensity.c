/*
 * intensity.c - chapter 5: restart intensity. A supervisor with the
 * default intensity (3 restarts in 5 seconds) looks after one worker,
 * registered as "cache". Its parent, which traps exits, kills the cache
 * four times, half a second apart: three restarts are allowed, the fourth
 * is one too many, and the supervisor stops and exits `shutdown`. Then the
 * same four kills, two seconds apart: the window never holds more than
 * three restarts, and the supervisor carries on. The whole run takes
 * microseconds: the clock is the kernel's virtual clock. A tracer prints
 * the notes the supervisor leaves at each restart, and when it gives up.
 */
#include <stdio.h>

#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/names.h"
#include "lc/otp/supervisor.h"

static void say(const char *what, lc_pid pid)
{
    char p[32] = "undefined";
    if (pid != LC_NOPID) {
        lc_pid_format(p, sizeof p, pid);
    }
    printf("t=%-5lld %s %s\n", (long long)lc_now(), what, p);
}

static int cache_init(void *arg, void **state, struct lc_reason *stop)
{
    say("cache: init in", lc_self());
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops cache_ops = { .init = cache_init };

static int cache_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    const struct lc_gs_opts o = { .name = "cache" };
    return lc_gs_start_link(&cache_ops, NULL, &o, pid, why);
}

static lc_pid start_system(void)
{
    static const struct lc_child_spec children[] = {
        { .id = "cache", .start = cache_start },
    };
    const struct lc_sup_spec spec = {
        .flags = { .strategy = LC_ONE_FOR_ONE }, /* 3 restarts in 5 s */
        .children = children,
        .nchildren = 1,
    };
    lc_pid sup;
    lc_sup_start_link(&spec, NULL, &sup, NULL);
    return sup;
}

/* region: kills */
/* Kill the cache 'times' times, 'gap' ms apart, unless the supervisor
   gives up first. */
static void kill_cache(lc_pid sup, int times, int64_t gap)
{
    for (int i = 0; i < times; i++) {
        lc_pid cache = lc_whereis("cache");
        say("kill", cache);
        lc_exit_signal(cache, lc_reason(LC_A_KILL));
        struct lc_msg *m = lc_receive_tag(LC_TAG_EXIT, gap);
        if (m != NULL) { /* the supervisor, our only link, has ended */
            const struct lc_exit_msg *e = (const void *)m->data;
            char r[64];
            lc_reason_format(r, sizeof r, &e->reason);
            printf("t=%-5lld the supervisor ended: %s\n", (long long)lc_now(),
                   r);
            say("whereis(cache) =", lc_whereis("cache"));
            lc_msg_free(m);
            return;
        }
    }
    say("the supervisor is still running:", sup);
}

static void session(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    printf("-- four kills within two seconds\n");
    kill_cache(start_system(), 4, 500);

    lc_sleep(10000 - lc_now());
    printf("-- four kills, two seconds apart\n");
    lc_pid sup = start_system();
    kill_cache(sup, 4, 2000);
    lc_sup_stop(sup);
}
/* endregion */

/* region: tracer */
/* Print the supervisor's notes (a restart, giving up); ignore the rest. */
static void notes(const struct lc_event *ev, void *ctx)
{
    if (ev->kind == LC_EV_NOTE) {
        char p[32];
        lc_pid_format(p, sizeof p, ev->pid);
        printf("t=%-5lld   note from %s: %s\n", (long long)ev->time, p,
               ev->text);
    }
}
/* endregion */

int main(void)
{
    lc_init(NULL);
    lc_trace_set(notes, NULL);
    lc_spawn(session, NULL);
    lc_run();
    lc_fini();
    return 0;
}
