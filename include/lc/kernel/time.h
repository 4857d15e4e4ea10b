/*
 * time.h - the runtime's clock, sleeping and timers.
 *
 * Everything in the kit that needs the time asks lc_now(); nothing reads the
 * system clock directly. Under the virtual clock (the default, used by every
 * test) time starts at 0 and moves only when all processes are waiting: it
 * then jumps straight to the next timer. "Four crashes within five seconds"
 * takes microseconds and gives the same answer on every machine.
 */
#ifndef LC_TIME_H
#define LC_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "lc/kernel/term.h"

/* Milliseconds since the runtime started. */
int64_t lc_now(void);

/* Wait 'ms' milliseconds. Messages that arrive meanwhile stay queued. */
void lc_sleep(int64_t ms);

/*
 * Send a copy of data[0..size) to 'to' with 'tag' after 'ms' milliseconds,
 * as lc_send() would then (erlang:send_after/3). The sender shown is the
 * caller. Returns a timer reference (never 0) for lc_timer_cancel(), or 0
 * when out of memory or 'size' is over 16 MiB.
 */
uint64_t lc_send_after(int64_t ms, lc_pid to, int tag, const void *data,
                       size_t size);

/* Cancel a timer from lc_send_after(). Returns 0, or LC_ENOENT if it has
 * already fired or was cancelled. */
int lc_timer_cancel(uint64_t tref);

#endif /* LC_TIME_H */
