/*
 * shutdown.c - how a supervisor stops one child (chapter 6).
 *
 * Stopping a child politely and stopping it for sure are two different
 * things, and a supervisor needs both: it asks with the exit signal
 * `shutdown` (a child that traps exits runs its terminate), waits as long
 * as the child's spec allows, and then sends `kill`, which no child can
 * refuse. It watches the child with a monitor, not with its link: the
 * link is about to be cut, and the DOWN comes whatever the child does.
 *
 * The end it caused must not look like a crash. The child's EXIT is in
 * the supervisor's mailbox by the time the DOWN is (both leave when the
 * child ends), so unlinking and taking the EXIT out at once leaves
 * nothing behind for handle_info to restart.
 */
#include <string.h>

#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/supervisor_impl.h"

/* BEGIN SOLUTION(ch06): - */
static bool is_exit_from(const struct lc_msg *m, const void *ctx)
{
    struct lc_exit_msg e;
    if (m->tag != LC_TAG_EXIT || m->size != sizeof e) {
        return false;
    }
    memcpy(&e, m->data, sizeof e);
    return e.from == *(const lc_pid *)ctx;
}

/* Wait up to 'timeout' (LC_INFINITY: forever) for the DOWN of monitor
   'ref'. Returns true with *why set, or false on timeout. */
static bool await_down(uint64_t ref, int64_t timeout, struct lc_reason *why)
{
    struct lc_msg *m = lc_receive_ref(ref, timeout);
    if (m == NULL) {
        return false;
    }
    struct lc_down_msg down;
    memcpy(&down, m->data, sizeof down);
    lc_msg_free(m);
    *why = down.reason;
    return true;
}

/* Cut the link to the dead child and take its EXIT out of the mailbox.
   Returns the EXIT's reason (the child's own), or 'down' if none came. */
static struct lc_reason unlink_flush(lc_pid pid, struct lc_reason down)
{
    lc_unlink(pid);
    struct lc_msg *m = lc_receive_match(is_exit_from, &pid, 0);
    if (m == NULL) {
        return down;
    }
    struct lc_exit_msg e;
    memcpy(&e, m->data, sizeof e);
    lc_msg_free(m);
    return e.reason;
}
/* END SOLUTION */

struct lc_reason lc_sup_shutdown(const struct lc_child *c)
{
    /* BEGIN SOLUTION(ch06): return lc_reason(LC_A_NONE); */
    uint64_t ref = lc_monitor(c->pid);
    struct lc_reason why = lc_reason(LC_A_NONE);
    if (c->spec.shutdown == LC_SHUTDOWN_BRUTAL_KILL) {
        lc_exit_signal(c->pid, lc_reason(LC_A_KILL));
        await_down(ref, LC_INFINITY, &why);
    } else {
        lc_exit_signal(c->pid, lc_reason(LC_A_SHUTDOWN));
        if (!await_down(ref, c->spec.shutdown, &why)) {
            lc_exit_signal(c->pid, lc_reason(LC_A_KILL)); /* too slow */
            await_down(ref, LC_INFINITY, &why);
        }
    }
    return unlink_flush(c->pid, why);
    /* END SOLUTION */
}
