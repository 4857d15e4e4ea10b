/*
 * supervisor_impl.h - inside a supervisor: what chapter 6 writes.
 *
 * Programs use supervisor.h. This header is for the two chapters that
 * build the supervisor: chapter 5 writes the supervisor process
 * (solutions/05-supervisors/supervisor.c) and chapter 6 writes the parts
 * of it that make a supervision *tree* (solutions/06-supervision-trees/):
 *
 *   shutdown.c  lc_sup_shutdown()        how one child is stopped (S10)
 *   restart.c   lc_sup_fate()            what a child's end means (S4)
 *               lc_sup_restart()         who is stopped and started again
 *                                        with it, by the strategy (S6)
 *   children.c  lc_sup_do_terminate_child(), lc_sup_do_restart_child(),
 *               lc_sup_do_delete_child() the management calls (S12)
 *
 * Chapter 5 must work, and be graded, before chapter 6 exists. So
 * supervisor.c carries a plain version of each of these five functions,
 * marked __attribute__((weak)): stop a child by sending `shutdown` and
 * waiting for it; restart every child that ends, alone; answer the
 * management calls with LC_ENOSYS. A program linked without chapter 6 uses
 * them. Chapter 6's files define the same functions without the mark, and
 * the linker then takes those instead: a weak definition is one that
 * gives way to an ordinary one of the same name. Nothing else changes.
 *
 * The supervisor's state and the helpers of chapter 5 that chapter 6 uses
 * are below. All of it runs inside the supervisor process, which owns the
 * memory (lc_alloc): if the supervisor is killed, its state goes with it.
 */
#ifndef LC_SUPERVISOR_IMPL_H
#define LC_SUPERVISOR_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc/otp/supervisor.h"

/* region: types */
/* One child: its spec (defaults filled in) and its process. */
struct lc_child {
    struct lc_child_spec spec; /* spec.id is NULL (the id is 'id': records
                                  move in the array); spec.arg is the
                                  supervisor's copy when arg_size > 0 */
    char id[LC_CHILD_ID_MAX];
    lc_pid pid;      /* the running process, or LC_NOPID */
    bool restarting; /* a restart failed; a retry is on its way */
    lc_pid drawn;    /* the process its figure edge points to (maybe dead),
                        or LC_NOPID */
    uint32_t starts; /* how many times it was started */
};

/* A second of restarts: OTP keeps one time per restart; restarts in the
   same whole second differ in nothing, so a count does. */
struct lc_restart_second {
    int64_t second;
    uint32_t count;
};

/* The state of a running supervisor (its gen_server state). */
struct lc_sup {
    enum lc_strategy strategy;
    int max_restarts;          /* MaxR */
    int max_seconds;           /* MaxT */
    struct lc_child *children; /* in start order (lc_alloc) */
    size_t n, cap;
    /* The restart times inside the window, oldest first: a ring of at
       most min(MaxR, MaxT) + 1 seconds, whatever the history. */
    struct lc_restart_second *window;
    size_t head, len, wcap;
    uint32_t in_window; /* restarts the window holds */
};
/* endregion */

/* --- Written in chapter 5 (supervisor.c), used by chapter 6 ------------- */

/* region: helpers */
/* The index of child 'id', or -1. */
long lc_sup_find(const struct lc_sup *s, const char *id);

/*
 * Start child 'i' (which does not run) with its start function, and record
 * it: its pid, its place in figures, its restart count. Returns 0 (it
 * runs), LC_EIGNORE (its start ignored: no process, the spec stays), or
 * LC_ESTART with *why (the start failed, or raised). Clears 'restarting'
 * on success and on ignore.
 */
int lc_sup_start_one(struct lc_sup *s, size_t i, struct lc_reason *why);

/* Forget child 'i': remove it from the list (the children after it move
   down one place). Its figure edge goes too, except a temporary child's,
   which stays to show it dashed. The child must not run. */
void lc_sup_forget(struct lc_sup *s, size_t i);
/* endregion */

/* --- Written in chapter 6 (weak versions in supervisor.c) --------------- */

/* region: ch06 */
/*
 * Stop the running child 'c' by its spec's shutdown value, as OTP does
 * (S10): monitor it; LC_SHUTDOWN_BRUTAL_KILL: exit signal `kill`; a
 * timeout: exit signal `shutdown`, and `kill` if no DOWN came in time;
 * LC_INFINITY: `shutdown`, and wait as long as it takes. Then unlink it
 * and take its EXIT out of the mailbox, so that the end the supervisor
 * caused is not mistaken for a crash. Returns the reason it ended with
 * (that of its EXIT if there was one, else that of the DOWN). Does not
 * change 'c'.
 * (Chapter 5's version: `shutdown`, then wait for the DOWN.)
 */
struct lc_reason lc_sup_shutdown(const struct lc_child *c);

/* What to do with a child that ended by itself with 'why' (S4). */
enum lc_sup_fate {
    LC_SUP_RESTART, /* start it again (permanent; transient, unclean end) */
    LC_SUP_KEEP,    /* keep its spec, with no process (transient, clean) */
    LC_SUP_FORGET   /* forget its spec (temporary) */
};
/* (Chapter 5's version: LC_SUP_RESTART, always.) */
enum lc_sup_fate lc_sup_fate(const struct lc_child *c,
                             const struct lc_reason *why);

/*
 * Child 'i' ended and must be restarted (the restart is already counted
 * against the intensity): restart it and, by the strategy (S6), its
 * siblings. one_for_one: child i alone. one_for_all: every other running
 * child is stopped (lc_sup_shutdown) in reverse start order, then all
 * start in start order. rest_for_one: the same with the children started
 * after i. A temporary child that is stopped here is forgotten, not
 * restarted. Returns 0, or LC_ESTART if a child did not start: *failed is
 * its index, it is marked 'restarting', and the children after it in the
 * group are left not running (the retry starts the group again).
 * (Chapter 5's version: child i alone.)
 */
int lc_sup_restart(struct lc_sup *s, size_t i, size_t *failed);

/*
 * The management calls, run by the supervisor (S12). Each returns what the
 * public function of supervisor.h of the same name returns:
 *  - terminate: stop child 'id' if it runs (lc_sup_shutdown), keep its
 *    spec with no process (a temporary child's is forgotten); 0 or
 *    LC_ENOENT;
 *  - restart: start child 'id' again if it does not run (no intensity
 *    counted); 0 with *pid (LC_NOPID if ignored), LC_ERUNNING,
 *    LC_ERESTARTING, LC_ENOENT or LC_ESTART with *why;
 *  - delete: forget child 'id' if it does not run; 0, LC_ERUNNING,
 *    LC_ERESTARTING or LC_ENOENT.
 * (Chapter 5's versions: LC_ENOSYS.)
 */
int lc_sup_do_terminate_child(struct lc_sup *s, const char *id);
int lc_sup_do_restart_child(struct lc_sup *s, const char *id, lc_pid *pid,
                            struct lc_reason *why);
int lc_sup_do_delete_child(struct lc_sup *s, const char *id);
/* endregion */

#endif /* LC_SUPERVISOR_IMPL_H */
