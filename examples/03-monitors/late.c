/*
 * late.c - chapter 3: what happens to an answer that comes after the
 * caller gave up. On the BEAM (OTP 24 and later) it is dropped; in this
 * kit it lands in the caller's mailbox, where the caller must expect it.
 */
#include <stdio.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/monitors.h"

/* region: late */
/* Answers every request, but only after 300 ms. */
static void slow_server(void *arg)
{
    (void)arg;
    for (;;) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        lc_sleep(300);
        lc_reply(m, "done", 5);
        lc_msg_free(m);
    }
}

static void impatient(void *arg)
{
    lc_pid server = *(lc_pid *)arg;
    LC_TRY
    {
        lc_msg_free(lc_call(server, 1, NULL, 0, 100));
    }
    LC_CATCH(LC_CLASS_EXIT, e)
    {
        char why[160];
        lc_reason_format(why, sizeof why, &e->reason);
        printf("t=%-5lld the call failed: %s\n", (long long)lc_now(), why);
    }
    LC_END_TRY;
    lc_sleep(500);
    struct lc_msg *m = lc_receive(0);
    printf("t=%-5lld in the mailbox: %s \"%s\"\n", (long long)lc_now(),
           m && m->tag == LC_TAG_REPLY ? "a late reply" : "something else",
           m ? (const char *)m->data : "");
    lc_msg_free(m);
}
/* endregion */

int main(void)
{
    lc_init(NULL);
    static lc_pid server;
    server = lc_spawn(slow_server, NULL);
    lc_spawn(impatient, &server);
    lc_run();
    lc_fini();
    return 0;
}
