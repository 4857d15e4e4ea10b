/*
 * links.h - links and exit signals (chapter 2; the student writes links.c).
 *
 * A link ties two processes together: when one ends, the other receives an
 * exit signal carrying the reason. What the signal does depends on the
 * reason and on whether the receiver traps exits (OTP's rules, E7):
 *
 *   signal                        receiver does not trap    receiver traps
 *   ----------------------------  ------------------------  ------------------
 *   normal, from a link           nothing                   EXIT message
 *   normal, lc_exit_signal(self)  ends with normal          EXIT message
 *   normal, lc_exit_signal(other) nothing                   EXIT message
 *   kill, from lc_exit_signal()   ends with killed          ends with killed
 *   kill, from a link             ends with kill            EXIT message
 *   any other reason R            ends with R               EXIT message
 *
 * An EXIT message has tag LC_TAG_EXIT and a struct lc_exit_msg payload.
 * A process that ends because of a signal sends signals of its own to its
 * links in turn: that is how one crash takes a whole group of linked
 * processes down -- unless one of them traps exits and decides otherwise.
 *
 * Links are stored once per pair, have no direction, and a process cannot
 * link to itself. The layer records each link in the kernel's edge table
 * (LC_EDGE_LINK), so figures show them.
 */
#ifndef LC_LINKS_H
#define LC_LINKS_H

#include <stdbool.h>

#include "lc/lc.h"

/* region: exit_msg */
enum {
    LC_TAG_EXIT = -1
};

/* The payload of an EXIT message. */
struct lc_exit_msg {
    lc_pid from;             /* the process that ended, or sent the signal */
    struct lc_reason reason; /* its reason */
};
/* endregion */

/* region: link */
/*
 * Link the calling process and 'pid'. Linking twice, or to oneself, does
 * nothing. If 'pid' is not alive: a caller that does not trap exits gets
 * the error `noproc` raised (lc_error, catchable); a caller that traps gets
 * an EXIT message {pid, noproc} instead. Returns 0. Must be called by a
 * process.
 */
int lc_link(lc_pid pid);

/* Remove the link between the caller and 'pid', if there is one. Once it
 * returns, 'pid' ending no longer affects the caller (but an EXIT message
 * that arrived before may still be in its mailbox). Returns 0. */
int lc_unlink(lc_pid pid);

/* Spawn fn(arg) and link it to the caller, before it can run (so it cannot
 * end unlinked). Returns its pid, or LC_NOPID if the spawn failed. */
lc_pid lc_spawn_link(lc_proc_fn *fn, void *arg);

/* As lc_spawn_link(), with spawn options. Returns 0 or lc_spawn_opt()'s
 * error. */
int lc_spawn_link_opt(lc_pid *pid, lc_proc_fn *fn, void *arg,
                      const struct lc_spawn_opts *opts);
/* endregion */

/* region: trap */
/* Turn trapping exits on or off for the calling process. Returns the old
 * setting. Every process starts not trapping. */
bool lc_trap_exit(bool on);

/* True if 'pid' is alive and traps exits. */
bool lc_traps_exit(lc_pid pid);
/* endregion */

/* region: signal */
/*
 * Send an exit signal with 'reason' to 'pid' from the calling process, as
 * if the caller had ended with it -- except that `kill` is special here: it
 * cannot be trapped and ends 'pid' with `killed`. (erlang:exit/2.) Sending
 * to a dead pid does nothing. Returns 0. May end the caller itself.
 */
int lc_exit_signal(lc_pid pid, struct lc_reason reason);
/* endregion */

/* Write up to 'max' pids linked to 'pid' into out[], oldest link first.
 * Returns how many links 'pid' has. */
size_t lc_links(lc_pid pid, lc_pid *out, size_t max);

#endif /* LC_LINKS_H */
