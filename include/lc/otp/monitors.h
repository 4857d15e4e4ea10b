/*
 * monitors.h - monitors, and calls that fail when the server dies
 * (chapter 3; the student writes monitors.c).
 *
 * A monitor is a one-way link that never kills: the watcher gets a DOWN
 * message when the watched process ends, whatever the reason, and nothing
 * happens to the watched process when the watcher ends. Each lc_monitor()
 * call makes a new, independent monitor with its own reference; each fires
 * at most once. Monitoring a process that is already dead (or never
 * existed) is not an error: the DOWN message, with reason `noproc`, arrives
 * at once.
 *
 * A DOWN message has tag LC_TAG_DOWN, the monitor's reference in its 'ref'
 * field (so lc_receive_ref() finds it) and a struct lc_down_msg payload.
 *
 * On monitors the chapter builds lc_call(): send a request and wait for the
 * reply -- or for the server's DOWN, or for the timeout. A call that cannot
 * get its reply ends the *caller* (with an exit exception that it may
 * catch): errors travel back through calls, so a client of a dead server
 * does not wait forever.
 */
#ifndef LC_MONITORS_H
#define LC_MONITORS_H

#include <stdbool.h>
#include <stdint.h>

#include "lc/lc.h"

/* region: down */
enum {
    LC_TAG_DOWN = -2, /* a monitor fired */
    LC_TAG_REPLY = -3 /* the answer to an lc_call() */
};

/* The payload of a DOWN message. */
struct lc_down_msg {
    uint64_t ref;            /* the monitor (also in the message's 'ref') */
    lc_pid pid;              /* the process that was watched */
    struct lc_reason reason; /* its exit reason, or `noproc` */
};
/* endregion */

/* region: monitor */
/* Watch 'pid' from the calling process. Returns the monitor's reference
 * (never 0). Must be called by a process. */
uint64_t lc_monitor(lc_pid pid);

enum {
    LC_DEMONITOR_FLUSH = 1, /* also remove a DOWN of it from the mailbox */
    LC_DEMONITOR_INFO = 2   /* return whether the monitor was still active */
};

/*
 * Stop monitor 'ref' (one the caller made). Afterwards no DOWN for it will
 * be sent; one already in the mailbox stays, unless LC_DEMONITOR_FLUSH
 * removes it. Returns true, except with LC_DEMONITOR_INFO: then true only if
 * the monitor was found active and removed, false if it had already fired
 * (or never existed). (erlang:demonitor/2.)
 */
bool lc_demonitor(uint64_t ref, unsigned flags);
/* endregion */

/* region: call */
/*
 * Call 'server': send it a message with 'tag', req[0..size) and a fresh
 * reference, and wait up to 'timeout_ms' (LC_INFINITY: forever) for the
 * answer the server gives with lc_reply(). Returns the reply message (tag
 * LC_TAG_REPLY), which the caller frees.
 *
 * If no reply can come, the caller exits (lc_exit(), so it may catch it)
 * with a reason whose 'via' is `call`:
 *   {timeout, {call}}       no reply within the timeout;
 *   {noproc, {call}}        the server was not alive (or pid 0);
 *   {R, {call}}             the server ended with R before replying;
 *   {calling_self, {call}}  the caller called itself.
 * Must be called by a process.
 */
struct lc_msg *lc_call(lc_pid server, int tag, const void *req, size_t size,
                       int64_t timeout_ms);

/* Answer the request 'req' that the server received: send data[0..size) to
 * its sender with its reference, tag LC_TAG_REPLY. Returns lc_send()'s
 * result. */
int lc_reply(const struct lc_msg *req, const void *data, size_t size);
/* endregion */

#endif /* LC_MONITORS_H */
