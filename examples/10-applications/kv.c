/*
 * kv.c - chapter 10: the KV store as an application. It starts kv,
 * creates three buckets and fills them, then breaks things the way the
 * Mix and OTP guide's tests do: a bucket crashes (the registry forgets
 * it, the other buckets and the registry live on); then the registry
 * crashes (one_for_all: the bucket supervisor restarts with it, every
 * bucket is gone, and the new registry knows none). The figure is the
 * application's live tree before the crashes.
 */
#include <stdio.h>

#include "figure.h"
#include "lc/otp/application.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/names.h"
#include "lc/otp/supervisor.h"
#include "lc/systems/kv.h"

static const char *pidstr(lc_pid pid)
{
    static char buf[2][32];
    static int i;
    i ^= 1;
    if (pid == LC_NOPID) {
        return "none";
    }
    lc_pid_format(buf[i], sizeof buf[i], pid);
    return buf[i];
}

/* Kill 'pid' and wait until it has ended. */
static void kill_wait(lc_pid pid, const char *reason)
{
    uint64_t ref = lc_monitor(pid);
    lc_exit_signal(pid, lc_reason(lc_atom_intern(reason)));
    lc_msg_free(lc_receive_ref(ref, LC_INFINITY));
}

static void show(const char *const *names, size_t n)
{
    printf("  registry %s knows %zu:", pidstr(lc_whereis(KV_REGISTRY_NAME)),
           kv_count());
    for (size_t i = 0; i < n; i++) {
        printf(" %s=%s", names[i], pidstr(kv_lookup(names[i])));
    }
    printf("\n");
}

/* region: session */
static void session(void *arg)
{
    static const char *const names[] = { "shopping", "milk", "books" };
    lc_app_load(&kv_app);
    printf("start kv -> %d\n", lc_app_start("kv", LC_APP_TEMPORARY, NULL));
    for (size_t i = 0; i < 3; i++) {
        lc_pid b;
        kv_create(names[i], &b);
        kv_bucket_put(b, "eggs", "12");
    }
    show(names, 3);
    struct lc_dot_opts o = { .supervision = true,
                             .monitors = true,
                             .registrations = true,
                             .legend = true,
                             .title = "kv.c: the kv application" };
    ex_figure("10-applications-kv", &o);

    printf("crash the bucket milk\n");
    kill_wait(kv_lookup("milk"), "boom");
    show(names, 3);
    char eggs[KV_VALUE_MAX];
    kv_bucket_get(kv_lookup("shopping"), "eggs", eggs, sizeof eggs);
    printf("  shopping still holds eggs=%s\n", eggs);

    printf("crash the registry\n");
    lc_pid old = kv_lookup("shopping");
    uint64_t ref = lc_monitor(old);
    kill_wait(lc_whereis(KV_REGISTRY_NAME), "boom");
    lc_msg_free(lc_receive_ref(ref, LC_INFINITY));
    lc_sup_count_children(lc_whereis(KV_SUP_NAME)); /* restarts are done */
    printf("  the bucket shopping %s ended\n", pidstr(old));
    show(names, 3);
    printf("stop kv -> %d\n", lc_app_stop("kv"));
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
