/*
 * names.c - chapter 4: registered names. A name leads to a process; it is
 * freed when the process ends, before anybody can see the end; sending to
 * a name nobody has is the sender's error.
 */
#include <stdio.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/names.h"

enum {
    HELLO = 1
};

static void show(const char *name)
{
    char p[32] = "undefined";
    lc_pid pid = lc_whereis(name);
    if (pid != LC_NOPID) {
        lc_pid_format(p, sizeof p, pid);
    }
    printf("t=%-5lld whereis(%s) = %s\n", (long long)lc_now(), name, p);
}

/* region: names */
static void logger(void *arg)
{
    (void)arg;
    for (;;) {
        struct lc_msg *m = lc_receive_tag(HELLO, LC_INFINITY);
        printf("t=%-5lld logger: %s\n", (long long)lc_now(),
               (const char *)m->data);
        lc_msg_free(m);
    }
}

static void main_process(void *arg)
{
    (void)arg;
    lc_pid pid = lc_spawn(logger, NULL);
    lc_register("logger", pid);
    show("logger");
    lc_send_named("logger", HELLO, "hello by name", 14);
    lc_sleep(10);

    uint64_t ref = lc_monitor(pid);
    lc_exit_signal(pid, lc_reason(LC_A_KILL));
    lc_msg_free(lc_receive_ref(ref, LC_INFINITY)); /* its DOWN */
    show("logger");                                /* already free */
    printf("t=%-5lld register again: %s\n", (long long)lc_now(),
           lc_err_name(lc_register("logger", lc_self())));
    lc_unregister("logger");

    LC_TRY
    {
        lc_send_named("logger", HELLO, "anyone?", 8);
    }
    LC_CATCH(LC_CLASS_ERROR, e)
    {
        char v[32];
        lc_term_format(v, sizeof v, e->value);
        printf("t=%-5lld sending to nobody raised the error %s\n",
               (long long)lc_now(), v);
    }
    LC_END_TRY;
}
/* endregion */

int main(void)
{
    lc_init(NULL);
    lc_spawn(main_process, NULL);
    lc_run();
    lc_fini();
    return 0;
}
