/*
 * echo.c - chapter 0's warm-up, on the bare kernel (the contracts are in
 * include/lc/systems/echo.h).
 *
 * Every function here is a few lines of spawn, send and receive. Read them
 * with chapters/00-processes.md beside you: each one shows one idea of the
 * chapter -- a server loop, a call with a timeout, state that belongs to one
 * process, a conversation between two processes, and selective receive.
 */
#include "lc/systems/echo.h"

#include <string.h>

void echo_server(void *arg)
{
    (void)arg;
    /* BEGIN SOLUTION(ch00): */
    for (;;) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        int tag = m->tag;
        if (tag == ECHO_REQ) {
            /* The reply goes to whoever asked, with the ref they chose, so
               they can pick it out of their mailbox. */
            lc_send_ref(m->from, ECHO_REPLY, m->ref, m->data, m->size);
        }
        lc_msg_free(m);
        if (tag == ECHO_STOP) {
            return;
        }
    }
    /* END SOLUTION */
}

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    /* BEGIN SOLUTION(ch00): return LC_ENOSYS; */
    uint64_t ref = lc_ref_make();
    int err = lc_send_ref(server, ECHO_REQ, ref, text, len);
    if (err < 0) {
        return err;
    }
    /* Wait for *our* answer only: anything else stays in the mailbox. */
    struct lc_msg *m = lc_receive_ref(ref, timeout_ms);
    if (m == NULL) {
        return LC_ETIMEDOUT;
    }
    size_t n = m->size < cap ? m->size : cap;
    memcpy(out, m->data, n);
    int got = (int)m->size;
    lc_msg_free(m);
    return got;
    /* END SOLUTION */
}

void counter_server(void *arg)
{
    /* BEGIN SOLUTION(ch00): (void)arg; */
    /* The state is a local variable: no other process can see it, and it
       dies with this process. */
    int64_t value = *(const int64_t *)arg;
    for (;;) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        if (m->tag == COUNTER_ADD && m->size == sizeof(int64_t)) {
            int64_t n;
            memcpy(&n, m->data, sizeof n);
            value += n;
        } else if (m->tag == COUNTER_GET) {
            lc_send_ref(m->from, COUNTER_VALUE, m->ref, &value, sizeof value);
        }
        lc_msg_free(m);
    }
    /* END SOLUTION */
}

int counter_add(lc_pid counter, int64_t n)
{
    /* BEGIN SOLUTION(ch00): return LC_ENOSYS; */
    return lc_send(counter, COUNTER_ADD, &n, sizeof n);
    /* END SOLUTION */
}

int counter_get(lc_pid counter, int64_t *value, int64_t timeout_ms)
{
    /* BEGIN SOLUTION(ch00): return LC_ENOSYS; */
    uint64_t ref = lc_ref_make();
    lc_send_ref(counter, COUNTER_GET, ref, NULL, 0);
    struct lc_msg *m = lc_receive_ref(ref, timeout_ms);
    if (m == NULL) {
        return LC_ETIMEDOUT;
    }
    memcpy(value, m->data, sizeof *value);
    lc_msg_free(m);
    return 0;
    /* END SOLUTION */
}

/* BEGIN SOLUTION(ch00): - */
static struct pingpong_setup await_setup(void)
{
    struct pingpong_setup s = { 0 };
    struct lc_msg *m = lc_receive_tag(PINGPONG_SETUP, LC_INFINITY);
    memcpy(&s, m->data, sizeof s);
    lc_msg_free(m);
    return s;
}

static void send_int(lc_pid to, int tag, int n)
{
    lc_send(to, tag, &n, sizeof n);
}

static int receive_int(int tag)
{
    int n;
    struct lc_msg *m = lc_receive_tag(tag, LC_INFINITY);
    memcpy(&n, m->data, sizeof n);
    lc_msg_free(m);
    return n;
}
/* END SOLUTION */

void pingpong_server(void *arg)
{
    (void)arg;
    /* BEGIN SOLUTION(ch00): */
    struct pingpong_setup s = await_setup();
    int done = 0;
    for (int left = s.rounds; left > 0; left--) {
        send_int(s.peer, PING, left);
        receive_int(PONG);
        done++;
    }
    send_int(s.peer, PING, 0); /* game over */
    send_int(s.reporter, PINGPONG_DONE, done);
    /* END SOLUTION */
}

void pingpong_client(void *arg)
{
    (void)arg;
    /* BEGIN SOLUTION(ch00): */
    struct pingpong_setup s = await_setup();
    for (;;) {
        int left = receive_int(PING);
        if (left == 0) {
            return;
        }
        send_int(s.peer, PONG, left);
    }
    /* END SOLUTION */
}

lc_pid pingpong_start(lc_pid reporter, int rounds)
{
    /* BEGIN SOLUTION(ch00): return LC_NOPID; */
    lc_pid server = lc_spawn(pingpong_server, NULL);
    lc_pid client = lc_spawn(pingpong_client, NULL);
    if (server == LC_NOPID || client == LC_NOPID) {
        return LC_NOPID;
    }
    /* Processes share nothing, so they learn their parameters from a
       message, not from a pointer into our memory. */
    struct pingpong_setup to_server = { client, reporter, rounds };
    struct pingpong_setup to_client = { server, LC_NOPID, 0 };
    lc_send(server, PINGPONG_SETUP, &to_server, sizeof to_server);
    lc_send(client, PINGPONG_SETUP, &to_client, sizeof to_client);
    return server;
    /* END SOLUTION */
}

/* BEGIN SOLUTION(ch00): - */
static bool is_urgent(const struct lc_msg *m, const void *ctx)
{
    (void)ctx;
    return m->tag == MSG_URGENT;
}
/* END SOLUTION */

struct lc_msg *receive_urgent_first(int64_t timeout_ms)
{
    /* BEGIN SOLUTION(ch00): return NULL; */
    /* A timeout of 0 only looks: is an urgent message already here? */
    struct lc_msg *m = lc_receive_match(is_urgent, NULL, 0);
    return m != NULL ? m : lc_receive(timeout_ms);
    /* END SOLUTION */
}
