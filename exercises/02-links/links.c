/*
 * links.c - links and exit signals (chapter 2).
 *
 * Each process that has links, or traps exits, owns a struct links in its
 * LC_LOCAL_LINKS slot: the trap flag and the pids it is linked to. A link is
 * stored on both ends, so either end can find the other when it ends.
 *
 * The kernel knows nothing of links. This layer hooks into every process
 * exit (links_on_exit): the dead process's links are cut, and each linked
 * process receives an exit signal, which deliver() turns into an EXIT
 * message, a kill, or nothing, by OTP's rules (see links.h).
 */
#include "lc/otp/links.h"

#include <stdlib.h>
#include <string.h>

#include "lc/otp/exceptions.h"

/*
 * An exit signal with reason 'r' from 'from' reaches 'to': apply OTP's
 * decision table (links.h), in order. 'linked' tells a signal caused by the
 * end of a linked process from one sent by lc_exit_signal(). Depending on
 * the row, 'to' gets an EXIT message, is killed (lc_kill), or nothing
 * happens. Runs in exit hooks too: it must not wait.
 */
static void deliver(lc_pid to, lc_pid from, struct lc_reason r, bool linked)
{
    /* TODO(ch02): write this (see its contract comment). */
    LC_TODO("ch02");
    (void)to;
    (void)from;
    (void)r;
    (void)linked;
}

/*
 * The kernel calls this at the end of every process (LC_ON_EXIT below),
 * with the process's reason, before its memory is freed. Cut the dead
 * process's links, on both ends, then send an exit signal carrying 'why'
 * to each process it was linked to. Must not wait.
 */
static void links_on_exit(lc_pid dead, const struct lc_reason *why)
{
    /* TODO(ch02): write this (see its contract comment). */
    LC_TODO("ch02");
    (void)dead;
    (void)why;
    (void)deliver;
}

LC_ON_EXIT(links_on_exit)

int lc_link(lc_pid pid)
{
    /* TODO(ch02): write this (see its contract comment). */
    LC_TODO("ch02");
    return LC_ENOSYS;
}

int lc_unlink(lc_pid pid)
{
    /* TODO(ch02): write this (see its contract comment). */
    LC_TODO("ch02");
    return LC_ENOSYS;
}

int lc_spawn_link_opt(lc_pid *pid, lc_proc_fn *fn, void *arg,
                      const struct lc_spawn_opts *opts)
{
    /* TODO(ch02): write this (see its contract comment). */
    LC_TODO("ch02");
    return LC_ENOSYS;
}

lc_pid lc_spawn_link(lc_proc_fn *fn, void *arg)
{
    lc_pid pid = LC_NOPID;
    return lc_spawn_link_opt(&pid, fn, arg, NULL) == 0 ? pid : LC_NOPID;
}

bool lc_trap_exit(bool on)
{
    /* TODO(ch02): write this (see its contract comment). */
    LC_TODO("ch02");
    return false;
}

bool lc_traps_exit(lc_pid pid)
{
    /* TODO(ch02): write this (see its contract comment). */
    LC_TODO("ch02");
    return false;
}

int lc_exit_signal(lc_pid pid, struct lc_reason reason)
{
    /* TODO(ch02): write this (see its contract comment). */
    LC_TODO("ch02");
    return LC_ENOSYS;
}

size_t lc_links(lc_pid pid, lc_pid *out, size_t max)
{
    /* TODO(ch02): write this (see its contract comment). */
    LC_TODO("ch02");
    return 0;
}
