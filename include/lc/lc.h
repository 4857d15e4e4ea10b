/*
 * lc.h - the Let It Crash runtime: the one header a program includes.
 *
 * The kit has three parts, and its headers live in three folders that say
 * which part they belong to:
 *
 *   lc/kernel/   the kernel, the kit's "BEAM": given, read in chapter 0.
 *                This header includes all of it. Each header is one module
 *                of the API; read them in this order, each builds on the
 *                last. Beside each: its public names, and the files in
 *                kernel/ that implement it.
 *
 *     err.h      error codes           lc_strerror, lc_err_name
 *                                      err.c
 *     term.h     atoms, terms and      lc_atom_*, lc_int, lc_*_term,
 *                exit reasons          lc_term_*, lc_pid_format, lc_reason*
 *                                      term.c
 *     proc.h     processes and the     lc_init, lc_fini, lc_run*, lc_advance,
 *                runtime               lc_seed, lc_spawn*, lc_self, lc_alive,
 *                                      lc_doomed, lc_yield, lc_proc_exit,
 *                                      lc_kill, lc_local, lc_*_hook_add,
 *                                      *_hook_set
 *                                      proc.c, sched.c, stack.c, ctx.c with
 *                                      ctx_*.S, fault.c: one module for the
 *                                      program, five ideas for chapter 0 (the
 *                                      table, the queue, the stacks, the
 *                                      switch, the faults), a file each
 *     msg.h      messages and          lc_send, lc_send_ref, lc_ref_make,
 *                selective receive     lc_receive*, lc_msg_free,
 *                                      lc_mailbox_len
 *                                      mbox.c: named after what it builds,
 *                                      the mailbox; the header after what a
 *                                      program holds, messages
 *     mem.h      process memory and    lc_alloc, lc_zalloc, lc_free,
 *                resources             lc_resource_*
 *                                      mem.c
 *     time.h     the clock and timers  lc_now, lc_sleep, lc_send_after,
 *                                      lc_timer_cancel
 *                                      timer.c: named after its one data
 *                                      structure, the timer heap, which the
 *                                      clock only reads
 *     info.h     introspection, edges, lc_proc_info, lc_proc_list,
 *                tracing, figures      lc_proc_set_*, lc_edge*, lc_ghost_info,
 *                                      lc_trace_*, lc_event_format,
 *                                      lc_procdump, lc_dot_*
 *                                      info.c, and dot.c for the Graphviz
 *                                      drawing, long enough for a file
 *     testing.h  for the test harness  lc_test_recover
 *                only                  sched.c
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
 *                  dynamic_supervisor.h  ch. 8  supervisors of children
 *                                       started on demand
 *                  application.h ch. 10 applications: named trees with
 *                                       dependencies, started and
 *                                       stopped as wholes
 *
 *   lc/systems/  the systems built on the layers, through their headers
 *                only, so the same code runs on a student's layers or on
 *                the reference.
 *                  echo.h        ch. 0  the warm-up: echo, counter,
 *                                       ping-pong on the bare kernel
 *                  todo.h        ch. 5-9  the to-do system: lists, list
 *                                       files, servers, cache, database
 *                                       (systems/todo/)
 *                  kv.h          ch. 10 the KV store: buckets (given,
 *                                       systems/kv/), registry, supervisors
 *
 *   lc/view.h    the live view: the running system in a web page
 *                (view/view.c; not part of the runtime: link
 *                build/<v>/libview.a and libmicrohttpd)
 *
 * Naming: public names are lc_<module>_<verb> (lc_edge_add, lc_msg_free),
 * or lc_<verb> for the calls every program makes (lc_spawn, lc_send,
 * lc_receive); a process is "proc" in every name. Constants are LC_*.
 * Functions that can fail return 0 or a negative LC_E* code. Names with a
 * double underscore (lc__todo) are the kit's own plumbing, public only
 * because a macro needs them; inside kernel/ they are lc__<module>_<verb>,
 * declared in kernel/kernel.h.
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
