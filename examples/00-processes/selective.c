/*
 * selective.c - selective receive and receive timeouts, on the virtual
 * clock.
 */
#include <stdio.h>

#include "lc/lc.h"

enum {
    NOISE = 1,
    ANSWER = 2
};

static void show(const char *what, const struct lc_msg *m)
{
    if (m == NULL) {
        printf("%6lld ms  %s: nothing (timeout)\n", (long long)lc_now(), what);
    } else {
        printf("%6lld ms  %s: tag %d \"%s\"\n", (long long)lc_now(), what,
               m->tag, (const char *)m->data);
    }
}

static void late_answer(void *arg)
{
    lc_pid to = (lc_pid)(uintptr_t)arg;
    lc_sleep(2000); /* two simulated seconds: no real time passes */
    lc_send(to, ANSWER, "late", 5);
}

/* region: selective */
static void main_process(void *arg)
{
    (void)arg;
    lc_pid me = lc_self();
    lc_send(me, NOISE, "first", 6);
    lc_send(me, ANSWER, "wanted", 7);
    lc_send(me, NOISE, "second", 7);

    struct lc_msg *m = lc_receive_tag(ANSWER, 0); /* skips the noise */
    show("by tag", m);
    lc_msg_free(m);
    m = lc_receive(0); /* the oldest message left */
    show("any", m);
    lc_msg_free(m);

    m = lc_receive_tag(ANSWER, 500); /* none: waits 500 ms, gives up */
    show("by tag, 500 ms", m);

    lc_spawn(late_answer, (void *)(uintptr_t)me);
    m = lc_receive_tag(ANSWER, 5000); /* arrives after 2000 ms */
    show("by tag, 5 s", m);
    lc_msg_free(m);
    printf("%zu message(s) left in the mailbox\n", lc_mailbox_len());
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
