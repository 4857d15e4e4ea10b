/*
 * echo.h - chapter 0's warm-up: small processes on the bare kernel.
 *
 * An echo server, a client call with a timeout, a counter that keeps its own
 * state, a ping-pong pair, and a receive that picks urgent messages first.
 * Nothing here uses the OTP layers: only spawn, send and receive.
 * (See chapters/00-processes.md.)
 */
#ifndef APPS_ECHO_H
#define APPS_ECHO_H

#include <stddef.h>
#include <stdint.h>

#include "lc/lc.h"

/* Message tags of the warm-up. */
enum {
    ECHO_REQ = 1,        /* to the echo server: bytes to send back */
    ECHO_REPLY = 2,      /* from it: the same bytes, the same ref */
    ECHO_STOP = 3,       /* to it: end normally */
    COUNTER_ADD = 10,    /* payload: int64_t to add */
    COUNTER_GET = 11,    /* reply COUNTER_VALUE with the same ref */
    COUNTER_VALUE = 12,  /* payload: int64_t, the current value */
    PING = 20,           /* payload: int, rounds left */
    PONG = 21,           /* payload: int, rounds left */
    PINGPONG_DONE = 22,  /* to the reporter: int, round trips made */
    PINGPONG_SETUP = 23, /* to each player: struct pingpong_setup */
    MSG_URGENT = 30,
    MSG_NORMAL = 31
};

/*
 * The echo server's body. Waits for messages forever. To each ECHO_REQ it
 * answers its sender with an ECHO_REPLY that carries the same bytes and the
 * same ref. ECHO_STOP makes it return (exit `normal`). Any other message is
 * dropped. 'arg' is unused.
 */
void echo_server(void *arg);

/*
 * Ask 'server' to echo text[0..len) and wait up to 'timeout_ms' for the
 * answer, copying at most 'cap' bytes of it into 'out'. Other messages in
 * the caller's mailbox are left alone, in order.
 *
 * Returns the length of the answer, or LC_ETIMEDOUT when no answer came in
 * time (a dead server never answers). Must be called by a process.
 */
int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms);

/*
 * A counter's body: its state is an int64_t that starts at *(int64_t *)arg
 * (the argument is read once, at start). COUNTER_ADD adds its payload;
 * COUNTER_GET is answered with COUNTER_VALUE and the request's ref. Runs
 * forever.
 */
void counter_server(void *arg);

/* Add 'n' to a counter, without waiting. Returns lc_send()'s result. */
int counter_add(lc_pid counter, int64_t n);

/* The counter's value, or LC_ETIMEDOUT after 'timeout_ms' (stored in *value
 * on success, returning 0). Must be called by a process. */
int counter_get(lc_pid counter, int64_t *value, int64_t timeout_ms);

/* What each player of a ping-pong pair is told when it starts. */
struct pingpong_setup {
    lc_pid peer;     /* the other player */
    lc_pid reporter; /* who hears PINGPONG_DONE (only the server reports) */
    int rounds;      /* round trips to make (only the server counts) */
};

/* The two players' bodies ('arg' is unused: they learn who they play with
 * from a PINGPONG_SETUP message, since processes share nothing). */
void pingpong_server(void *arg);
void pingpong_client(void *arg);

/*
 * Start a ping-pong pair: two processes that pass a ball back and forth
 * 'rounds' times (PING one way, PONG the other; a PING with 0 rounds left
 * tells the client to stop), then the server
 * sends PINGPONG_DONE with the number of round trips to 'reporter', and both
 * end `normal`. Returns the server's pid, or LC_NOPID if a spawn failed.
 */
lc_pid pingpong_start(lc_pid reporter, int rounds);

/*
 * Take the oldest MSG_URGENT message if there is one in the mailbox;
 * otherwise the oldest message of any kind, waiting up to 'timeout_ms' for
 * one. Returns NULL on timeout. Must be called by a process.
 */
struct lc_msg *receive_urgent_first(int64_t timeout_ms);

#endif /* APPS_ECHO_H */
