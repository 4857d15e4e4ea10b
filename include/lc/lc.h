/*
 * lc.h - the Let It Crash runtime: the one header a program includes.
 *
 * Read the kernel's headers in this order; each builds on the last:
 *
 *   err.h    error codes          proc.h   processes and the runtime
 *   term.h   atoms and reasons    msg.h    messages and receive
 *   mem.h    process memory       time.h   the clock and timers
 *   info.h   introspection, edges, tracing, figures
 *
 * Naming: public names are lc_<module>_<verb> (or lc_<verb> for the most
 * common calls), constants LC_*. Functions that can fail return 0 or a
 * negative LC_E* code.
 */
#ifndef LC_LC_H
#define LC_LC_H

#include "lc/err.h"
#include "lc/term.h"
#include "lc/proc.h"
#include "lc/msg.h"
#include "lc/mem.h"
#include "lc/time.h"
#include "lc/info.h"

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
