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

struct lc_reason lc_sup_shutdown(const struct lc_child *c)
{
    /* TODO(ch06): write this (see its contract comment). */
    LC_TODO("ch06");
    return lc_reason(LC_A_NONE);
}
