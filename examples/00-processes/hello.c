/*
 * hello.c - chapter 0's first program: spawn a process, send it a message,
 * get an answer.
 */
#include <stdio.h>
#include <string.h>

#include "lc/lc.h"

enum {
    GREET = 1,
    REPLY = 2
};

/* region: greeter */
static void greeter(void *arg)
{
    (void)arg;
    struct lc_msg *m = lc_receive(LC_INFINITY); /* wait for one message */
    char text[64];
    int n = snprintf(text, sizeof text, "hello, %.*s", (int)m->size,
                     (const char *)m->data);
    lc_send(m->from, REPLY, text, (size_t)n + 1); /* answer the sender */
    lc_msg_free(m);
} /* returning: exit normal */

static void main_process(void *arg)
{
    (void)arg;
    lc_pid g = lc_spawn(greeter, NULL);
    lc_send(g, GREET, "world", 5);
    struct lc_msg *reply = lc_receive_tag(REPLY, 1000);
    char me[32], him[32];
    lc_pid_format(me, sizeof me, lc_self());
    lc_pid_format(him, sizeof him, reply->from);
    printf("%s got \"%s\" from %s\n", me, (const char *)reply->data, him);
    lc_msg_free(reply);
}

int main(void)
{
    lc_init(NULL); /* the kernel, with the virtual clock */
    lc_spawn(main_process, NULL);
    size_t left = lc_run(); /* run until nothing can run */
    printf("%zu processes left\n", left);
    lc_fini();
    return 0;
}
/* endregion */
