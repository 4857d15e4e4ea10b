/*
 * proc.h - lightweight processes and the runtime that runs them.
 *
 * A process is a C function running on its own small stack, with its own
 * mailbox and its own memory. Processes share one OS thread and take turns:
 * a process runs until it waits in a receive, yields, sleeps, exits, or has
 * made LC_REDUCTIONS kernel calls. The order is first-in first-out, so the
 * same program does the same thing every time it runs.
 *
 * The life of a runtime:
 *
 *     lc_init(NULL);                  start the kernel (virtual clock)
 *     lc_spawn(server, NULL);         create processes
 *     lc_run();                       run them until nothing is left to do
 *     lc_fini();                      end every process, free everything
 *
 * The kernel knows nothing of links, monitors or supervisors. The OTP layers
 * the course builds on top of it use three mechanisms from this header:
 * exit hooks (called when any process ends), process-local slots (a few
 * pointers each process carries for the layers), and lc_kill(), which ends
 * another process the next time it would run.
 */
#ifndef LC_PROC_H
#define LC_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc/kernel/term.h"

/* The body of a process. When it returns, the process ends with `normal`. */
typedef void lc_proc_fn(void *arg);

/* --- The runtime -------------------------------------------------------- */

enum lc_clock {
    LC_CLOCK_VIRTUAL, /* time moves only when every process waits: tests */
    LC_CLOCK_REAL     /* time is the monotonic clock: programs, benchmarks */
};

#define LC_REDUCTIONS 4000        /* kernel calls per turn, as the BEAM */
#define LC_STACK_SIZE (64 * 1024) /* default stack of a process */
#define LC_STACK_MIN  (16 * 1024)
#define LC_STACK_MAX  (64 * 1024 * 1024)

struct lc_config {
    enum lc_clock clock; /* default LC_CLOCK_VIRTUAL */
    bool chaos;          /* pick the next process at random, from 'seed' */
    uint64_t seed;       /* seed of the chaos mode (0: take LC_SEED or 1) */
    uint32_t reductions; /* 0: LC_REDUCTIONS */
    size_t stack_size;   /* 0: LC_STACK_SIZE */
    size_t max_procs;    /* 0: 4,194,304 */
    size_t share_after;  /* 0: every process has a stack of its own.
                            N: once N processes of the default stack size
                            are alive, new ones share stacks, about 1 KB
                            per idle process instead of a page; a process
                            must then never give another a pointer into its
                            own stack (chapter 0, "How a million processes
                            fit"). LC_STACK_PRIVATE=N in the environment
                            sets it too. */
};

/*
 * Start the runtime on this thread. 'cfg' may be NULL for the defaults.
 * The environment can ask for the chaos mode without a rebuild: LC_SEED=N
 * turns it on with seed N (this is how a failing run is replayed).
 *
 * Returns 0, LC_EBUSY if a runtime is already running on this thread,
 * LC_EINVAL for a bad configuration, or LC_ENOMEM.
 */
int lc_init(const struct lc_config *cfg);

/*
 * End every process that is still alive (each one exits with `killed`, and
 * the exit hooks run for it as for any other exit), then free everything the
 * runtime holds. Must be called outside any process. A runtime may be started
 * again afterwards.
 */
void lc_fini(void);

/*
 * Run processes until none can run and no timer is pending. With the virtual
 * clock, when every process is waiting, time jumps to the next timer. Must be
 * called outside any process.
 *
 * Returns the number of processes still alive: they all wait for messages
 * that nobody will send.
 */
size_t lc_run(void);

/* Run the processes that can run now, without moving the clock. Returns the
 * number of processes still alive. */
size_t lc_run_until_idle(void);

/*
 * Move the clock forward by 'ms' milliseconds, running every process and
 * timer that falls due on the way, in order. With the real clock this
 * sleeps. Must be called outside any process.
 */
void lc_advance(int64_t ms);

/* The seed of the chaos mode, or 0 when it is off. Print it when a test
 * fails so that LC_SEED=<seed> replays the same run. */
uint64_t lc_seed(void);

/* --- Processes ---------------------------------------------------------- */

struct lc_spawn_opts {
    size_t stack_size; /* bytes; rounded up to a power of two; 0: default */
    const char *name;  /* label shown by introspection (copied); or NULL */
    lc_pid parent;     /* who is shown as the parent; 0: the caller */
};

/*
 * Create a process that will run fn(arg), and put it at the end of the run
 * queue. It starts when its turn comes: never during this call, and not
 * before the caller next sends, receives, yields, sleeps or spawns.
 *
 * Returns its pid, or LC_NOPID if no stack or table slot is left. Costs one
 * reduction. May be called from outside any process.
 */
lc_pid lc_spawn(lc_proc_fn *fn, void *arg);

/* As lc_spawn(), with options. Returns 0 and sets *pid, or LC_EINVAL (bad
 * stack size), LC_ENFILE (process table full) or LC_ENOMEM. */
int lc_spawn_opt(lc_pid *pid, lc_proc_fn *fn, void *arg,
                 const struct lc_spawn_opts *opts);

/* The running process, or LC_NOPID outside any process. Inside an exit hook
 * this is the process that is ending. */
lc_pid lc_self(void);

/* True if 'pid' names a process that has not ended. */
bool lc_alive(lc_pid pid);

/*
 * True if 'pid' has been killed (lc_kill) and has not ended yet: it ends the
 * next time it would run, and nothing it could do would save it. Such a
 * process is still alive -- links and monitors fire when it ends -- but a
 * table that asks "is this holder still there?" (a registry, chapter 7)
 * counts it as gone, as Elixir's Registry does a process that
 * Process.alive? calls dead. False for a process that is not alive.
 */
bool lc_doomed(lc_pid pid);

/* Go to the back of the run queue: every other runnable process has a
 * turn first, then the caller continues. In chaos mode (LC_SEED) the next
 * turn is drawn at random and may be the caller's own again: a program that
 * must know another process has run waits for a message from it. */
void lc_yield(void);

/*
 * End the calling process now with reason 'r'. Nothing after this call runs
 * in the process: no cleanup code, no handler. Its memory is freed and the
 * exit hooks see 'r'. (Chapter 1 builds catchable exits on top of this.)
 */
_Noreturn void lc_proc_exit(struct lc_reason r);

/*
 * End process 'pid' with reason 'r' the next time it would run. This is the
 * kernel half of an exit signal: the OTP layers decide *whether* a signal
 * kills; this does the killing. A process that is waiting is woken to die.
 * If 'pid' is the caller, it ends now, as lc_proc_exit(). If the process was
 * already told to end, the first reason stands.
 *
 * Returns 0, or LC_ENOPROC if 'pid' is not alive.
 */
int lc_kill(lc_pid pid, struct lc_reason r);

/* --- Hooks for the OTP layers ------------------------------------------- */

/*
 * Called when any process ends, after the kernel has dropped the process's
 * name and before it frees its memory. 'pid' is the ending process (also
 * lc_self()), 'why' its reason. A hook may send messages and call lc_kill(),
 * but must not wait: it runs on the kernel's own stack, between two turns.
 */
typedef void lc_exit_hook(lc_pid pid, const struct lc_reason *why);

/*
 * Add 'fn' to the hooks every runtime calls at each process exit, in the
 * order they were added. Adding the same function twice does nothing.
 * Returns 0, or LC_ENOMEM when the hook table is full.
 */
int lc_exit_hook_add(lc_exit_hook *fn);

/* Called by lc_fini() after every process has ended, to free a layer's
 * global state. Same rules as lc_exit_hook_add(). */
typedef void lc_fini_hook(void);
int lc_fini_hook_add(lc_fini_hook *fn);

/*
 * Declare a layer's hooks in its file: LC_ON_EXIT(links_on_exit)
 * LC_ON_FINI(...) and LC_ON_FAULT(...) likewise. The macro puts a pointer
 * to the hook into a section of its own, which the kernel walks (before the
 * hooks added with the functions above): no constructor runs any code, so
 * the grader can refuse every constructor in handed-in files.
 */
#define LC_ON_EXIT(fn)                          \
    static lc_exit_hook *const lc__on_exit_##fn \
            __attribute__((section("lc_exit_hooks"), used)) = fn;
#define LC_ON_FINI(fn)                          \
    static lc_fini_hook *const lc__on_fini_##fn \
            __attribute__((section("lc_fini_hooks"), used)) = fn;
#define LC_ON_FAULT(fn)                           \
    static lc_fault_hook *const lc__on_fault_##fn \
            __attribute__((section("lc_fault_hooks"), used)) = fn;

/*
 * Process-local slots: each process carries LC_NLOCAL pointers that belong
 * to the OTP layers, one slot per layer. The kernel only stores them; the
 * layer that fills a slot frees what it points to, in its exit hook.
 */
enum lc_local {
    LC_LOCAL_ERRORS,   /* chapter 1: the stack of try handlers */
    LC_LOCAL_LINKS,    /* chapter 2: links and the trap_exit flag */
    LC_LOCAL_MONITORS, /* chapter 3: monitors held and received */
    LC_LOCAL_SERVER,   /* chapter 4: the generic server's state */
    LC_LOCAL_NAMES,    /* chapter 4: the registered name */
    LC_LOCAL_SUP,      /* chapter 5: the supervisor's state */
    LC_LOCAL_REGISTRY, /* chapter 7: keys held in registries */
    LC_LOCAL_USER,     /* free for programs */
    LC_NLOCAL
};

/* The address of slot 'slot' of process 'pid' (NULL if 'pid' has ended).
 * Valid until the process's exit hooks have run. */
void **lc_local(lc_pid pid, enum lc_local slot);

/*
 * Called, instead of ending the process, when a process makes a hardware
 * fault that OTP would report as an error (a null-pointer access, an integer
 * division by zero). It runs in the faulting process, on its own stack, and
 * must not return: chapter 1 installs one that raises a catchable error.
 */
typedef void lc_fault_hook(struct lc_reason r);
void lc_fault_hook_set(lc_fault_hook *fn); /* wins over LC_ON_FAULT */

#endif /* LC_PROC_H */
