/*
 * crash.c - a process that crashes takes nobody else with it.
 *
 * Three processes count; one of them dereferences a null pointer, one
 * divides by zero. The kernel turns each hardware fault into that process's
 * exit reason; the third goes on counting.
 */
#include <stdio.h>

#include "lc/lc.h"

/* region: crash */
static void counter(void *arg)
{
    const char *name = arg;
    for (int i = 1; i <= 3; i++) {
        printf("%6lld ms  %s counts %d\n", (long long)lc_now(), name, i);
        lc_sleep(100);
    }
}

/* The sanitizer build would report these two faults itself, before the
   hardware does: tell it they are on purpose. */
__attribute__((no_sanitize("undefined"))) static void null_deref(void *arg)
{
    (void)arg;
    lc_sleep(150);
    volatile int *volatile p =
            NULL; /* volatile: the compiler must not drop it */
    *p = 42;      /* SIGSEGV in the null page */
}

__attribute__((no_sanitize("undefined"))) static void divide(void *arg)
{
    (void)arg;
    lc_sleep(250);
    volatile int zero = 0, one = 1;
    printf("never printed: %d\n", one / zero); /* SIGFPE */
}

/* Called by the kernel whenever a process ends (an exit hook). */
static void report(lc_pid pid, const struct lc_reason *why)
{
    char p[32], r[128];
    lc_pid_format(p, sizeof p, pid);
    lc_reason_format(r, sizeof r, why);
    printf("%6lld ms  %s ended: %s\n", (long long)lc_now(), p, r);
}
/* endregion */

int main(void)
{
    lc_exit_hook_add(report);
    lc_init(NULL);
    lc_spawn(counter, "counter");
    lc_spawn(null_deref, NULL);
    lc_spawn(divide, NULL);
    lc_run();
    lc_fini();
    return 0;
}
