/*
 * lc.h - the Let It Crash runtime: the one header a program includes.
 *
 * The kit has three parts, and its headers live in three folders that say
 * which part they belong to:
 *
 *   lc/kernel/   the kernel, the kit's "BEAM": given, read in chapter 0.
 *                This header includes all of it. Read it in this order;
 *                each builds on the last:
 *                  err.h    error codes         (kernel/err.c)
 *                  term.h   atoms and reasons   (kernel/term.c)
 *                  proc.h   processes, runtime  (kernel/proc.c, sched.c,
 *                                                stack.c, ctx.c, fault.c)
 *                  msg.h    messages, receive   (kernel/mbox.c)
 *                  mem.h    process memory      (kernel/mem.c)
 *                  time.h   clock and timers    (kernel/timer.c)
 *                  info.h   introspection, edges, tracing, figures
 *                                               (kernel/info.c, dot.c)
 *                  testing.h  for the test harness only
 *
 *   lc/otp/      the OTP layers, one chapter each, which students write on
 *                top of the kernel (reference in solutions/NN-*): include
 *                the ones you use.
 *                  exceptions.h  ch. 1  error, exit, throw; try/catch/after
 *                  links.h       ch. 2  links and exit signals
 *                  monitors.h    ch. 3  monitors and calls
 *                  gen_server.h  ch. 4  the generic server
 *                  names.h       ch. 4  registered names
 *                  supervisor.h  ch. 5-6  supervisors and supervision trees
 *                  registry.h    ch. 7  process registries and via names
 *
 *   lc/systems/  the systems built on the layers, through their headers
 *                only, so the same code runs on a student's layers or on
 *                the reference.
 *                  echo.h        ch. 0  the warm-up: echo, counter,
 *                                       ping-pong on the bare kernel
 *                  todo.h        ch. 5-9  the to-do system: lists, list
 *                                       files, servers, cache, database
 *                                       (systems/todo/)
 *
 * Naming: public names are lc_<module>_<verb> (or lc_<verb> for the most
 * common calls), constants LC_*. Functions that can fail return 0 or a
 * negative LC_E* code. Names with a double underscore (lc__todo) are the
 * kit's own plumbing, public only because a macro needs them.
 */
#ifndef LC_LC_H
#define LC_LC_H

#include "lc/kernel/err.h"
#include "lc/kernel/term.h"
#include "lc/kernel/proc.h"
#include "lc/kernel/msg.h"
#include "lc/kernel/mem.h"
#include "lc/kernel/time.h"
#include "lc/kernel/info.h"

/* Print "lc: panic: <message>" with the running process and abort. For
 * broken invariants: bugs, not errors. */
_Noreturn void lc_panic(const char *fmt, ...)
        __attribute__((format(printf, 1, 2)));

#define LC_ASSERT(cond)                                                  \
    do {                                                                 \
        if (!(cond)) {                                                   \
            lc_panic("%s:%d: assertion '%s' failed", __FILE__, __LINE__, \
                     #cond);                                             \
        }                                                                \
    } while (0)

/*
 * The stub of an exercise that is not written yet. It prints, once per
 * function, "TODO(ch02): lc_link() is not written yet" on stderr, so a
 * student sees which function a failing test needs.
 */
#define LC_TODO(chapter) lc__todo((chapter), __func__)
void lc__todo(const char *chapter, const char *func);

#endif /* LC_LC_H */
