/*
 * gen_server.c - the generic server (chapter 4).
 *
 * Two halves: the client side (start, call, cast, stop) runs in the
 * caller; the server side (server_main and its loop) runs in the server
 * process and calls the callbacks. They talk only by messages:
 *
 *   starter                               server
 *   -------                               ------
 *   spawn (and link), monitor it  ----->  (starts, waits for INIT)
 *   INIT {ops, arg, name}         ----->  register the name, run init
 *   waits for ACK or DOWN         <-----  ACK {result, pid, why}
 *                                         loop: CALL, CAST, STOP, info
 *
 * The starter monitors the new server for the whole handshake, so a server
 * that dies in init (or is killed) ends the wait at once, and on a failure
 * it waits for the DOWN before it returns: the server is really gone, its
 * name is free, and its EXIT (for a caller that traps exits) is already in
 * the mailbox to be flushed -- the OTP 26 rule.
 *
 * The server's record lives on its own stack for its whole life; its
 * LC_LOCAL_SERVER slot points to it so that lc_gs_reply() can tell a reply
 * given inside a callback (held until the callback is over) from one given
 * by another process (sent at once).
 */
#include "lc/otp/gen_server.h"

#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/names.h"

/* The starter's message to a new server (tag LC_TAG_GS_INIT; its 'ref' is
   the starter's monitor on the server, which the ACK carries back). */
struct init_msg {
    const struct lc_gs_ops *ops;
    void *arg;      /* init's argument: the starter's memory */
    lc_pid starter; /* who waits for the ACK */
    bool linked;    /* started by lc_gs_start_link(): the starter is parent */
    char name[];    /* register under this name first; "" for none */
};

/* The server's answer to its starter (tag LC_TAG_GS_ACK, same 'ref'). */
struct ack_msg {
    int result;           /* 0, LC_EIGNORE, LC_EALREADY or LC_ESTART */
    lc_pid pid;           /* the server; for LC_EALREADY the name's holder */
    struct lc_reason why; /* LC_ESTART: why */
};

/*
 * The body of every server process. It waits for the INIT message, takes
 * the name (if any) and runs init, answers the starter with an ACK, then
 * serves: calls, casts, stop requests, its parent's EXIT (when it traps
 * exits) and any other message, each by its callback, until a callback
 * asks to stop or raises -- then terminate runs and the process exits.
 */
static void server_main(void *unused)
{
    /* TODO(ch04): write this (see its contract comment). */
    LC_TODO("ch04");
}

int lc_gs_start(const struct lc_gs_ops *ops, void *arg,
                const struct lc_gs_opts *opts, lc_pid *pid,
                struct lc_reason *why)
{
    /* TODO(ch04): write this (see its contract comment). */
    LC_TODO("ch04");
    (void)server_main;
    return LC_ENOSYS;
}

int lc_gs_start_link(const struct lc_gs_ops *ops, void *arg,
                     const struct lc_gs_opts *opts, lc_pid *pid,
                     struct lc_reason *why)
{
    /* TODO(ch04): write this (see its contract comment). */
    LC_TODO("ch04");
    return LC_ENOSYS;
}

struct lc_msg *lc_gs_call(lc_pid server, int tag, const void *req, size_t size,
                          int64_t timeout_ms)
{
    /* TODO(ch04): write this (see its contract comment). */
    LC_TODO("ch04");
    return NULL;
}

int lc_gs_cast(lc_pid server, int tag, const void *req, size_t size)
{
    /* TODO(ch04): write this (see its contract comment). */
    LC_TODO("ch04");
    return 0;
}

int lc_gs_reply(struct lc_gs_from from, const void *data, size_t size)
{
    /* TODO(ch04): write this (see its contract comment). */
    LC_TODO("ch04");
    return LC_ENOSYS;
}

int lc_gs_stop(lc_pid server, struct lc_reason reason, int64_t timeout_ms)
{
    /* TODO(ch04): write this (see its contract comment). */
    LC_TODO("ch04");
    return LC_ENOSYS;
}
