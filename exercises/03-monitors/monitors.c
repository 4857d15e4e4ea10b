/*
 * monitors.c - monitors, and calls built on them (chapter 3).
 *
 * Each process that takes part in a monitor owns a struct monitors in its
 * LC_LOCAL_MONITORS slot, with two lists: the monitors it holds on others
 * ('watching': reference and watched pid) and the monitors others hold on
 * it ('watchers': reference and watcher pid). A monitor is stored at both
 * ends, so that whichever end ends first can find the other: the watched
 * process to send its DOWN, the watcher to withdraw its watch.
 *
 * The kernel knows nothing of monitors. This layer hooks into every process
 * exit (monitors_on_exit): each watcher of the dead process gets a DOWN
 * message, and the monitors the dead process held are forgotten. A DOWN is
 * an ordinary message: it never kills anyone, which is what makes a monitor
 * different from a link.
 *
 * lc_call() is the first user: a call monitors the server for as long as it
 * waits, so that a dead server ends the wait at once instead of leaving the
 * caller blocked until its timeout (or forever).
 */
#include "lc/otp/monitors.h"

#include <stdlib.h>
#include <string.h>

#include "lc/otp/exceptions.h"

/*
 * The kernel calls this at the end of every process (LC_ON_EXIT below),
 * with the process's reason, before its memory is freed. Each process that
 * watches the dead one gets a DOWN with 'why', in the order the monitors
 * were made; the monitors the dead process held on others are withdrawn
 * from their targets; the dead process's own records are freed. (The
 * kernel drops its monitor edges itself.) Must not wait.
 */
static void monitors_on_exit(lc_pid dead, const struct lc_reason *why)
{
    /* TODO(ch03): write this (see its contract comment). */
    LC_TODO("ch03");
    (void)dead;
    (void)why;
}

LC_ON_EXIT(monitors_on_exit)

uint64_t lc_monitor(lc_pid pid)
{
    /* TODO(ch03): write this (see its contract comment). */
    LC_TODO("ch03");
    return 0;
}

bool lc_demonitor(uint64_t ref, unsigned flags)
{
    /* TODO(ch03): write this (see its contract comment). */
    LC_TODO("ch03");
    return false;
}

struct lc_msg *lc_call(lc_pid server, int tag, const void *req, size_t size,
                       int64_t timeout_ms)
{
    /* TODO(ch03): write this (see its contract comment). */
    LC_TODO("ch03");
    return NULL;
}

int lc_reply(const struct lc_msg *req, const void *data, size_t size)
{
    /* TODO(ch03): write this (see its contract comment). */
    LC_TODO("ch03");
    return LC_ENOSYS;
}
