/*
 * demonitor.c - chapter 3: taking a monitor back. Before the watched
 * process ends, lc_demonitor() means no DOWN will come. After, the DOWN is
 * already in the mailbox: it stays there unless LC_DEMONITOR_FLUSH takes
 * it out, and LC_DEMONITOR_INFO tells which of the two cases it was.
 */
#include <stdio.h>

#include "lc/otp/monitors.h"

static void short_job(void *arg)
{
    (void)arg;
    lc_sleep(100);
}

static void show(const char *what, const char *result)
{
    printf("t=%-5lld %-44s %-6s mailbox: %zu\n", (long long)lc_now(), what,
           result, lc_mailbox_len());
}

static const char *str(bool b)
{
    return b ? "true" : "false";
}

/* region: demonitor */
static void watcher(void *arg)
{
    (void)arg;
    lc_pid a = lc_spawn(short_job, NULL);
    uint64_t ref = lc_monitor(a);
    show("demonitor(ref, INFO) while it runs",
         str(lc_demonitor(ref, LC_DEMONITOR_INFO)));
    lc_sleep(200); /* a has ended: no DOWN came */
    show("200 ms later, after its end", "");

    lc_pid b = lc_spawn(short_job, NULL);
    ref = lc_monitor(b);
    lc_sleep(200); /* b has ended: its DOWN is queued */
    show("demonitor(ref, INFO) after the end",
         str(lc_demonitor(ref, LC_DEMONITOR_INFO)));
    lc_msg_free(lc_receive(0)); /* b's DOWN: read it, it was ours */

    lc_pid c = lc_spawn(short_job, NULL);
    ref = lc_monitor(c);
    lc_sleep(200);
    show("demonitor(ref, FLUSH | INFO) after the end",
         str(lc_demonitor(ref, LC_DEMONITOR_FLUSH | LC_DEMONITOR_INFO)));
}
/* endregion */

int main(void)
{
    lc_init(NULL);
    lc_spawn(watcher, NULL);
    lc_run();
    lc_fini();
    return 0;
}
