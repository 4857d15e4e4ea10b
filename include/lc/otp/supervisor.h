/*
 * supervisor.h - supervisors and supervision trees (chapters 5 and 6).
 *
 * A supervisor is a process whose only job is to start other processes --
 * its children -- and to start them again when they end. It does no work of
 * its own, so it has (almost) no bugs of its own: the crashes happen below
 * it, and it repairs them. Supervisors supervise supervisors, and the result
 * is a tree: the shape of a system that survives its own bugs.
 *
 * A supervisor is built on the layers of chapters 1-4, as OTP's is: it is
 * a generic server (gen_server.h) that traps exits (links.h), starts each
 * child through a start function that links the child to it, and stops a
 * child with a monitor and an exit signal (monitors.h). It reads the time
 * only through lc_now(), so restart intensity runs on the virtual clock.
 *
 *     static const struct lc_child_spec children[] = {
 *         { .id = "database", .start = db_start },
 *         { .id = "cache", .start = cache_start, .restart = LC_TRANSIENT },
 *     };
 *     struct lc_sup_spec spec = {
 *         .flags = { .strategy = LC_ONE_FOR_ONE },   3 restarts in 5 s
 *         .children = children, .nchildren = 2,
 *     };
 *     lc_pid sup;
 *     struct lc_sup_error err;
 *     if (lc_sup_start_link(&spec, NULL, &sup, &err) < 0) ...
 *
 * The rules are OTP's (shared reference: otp-semantics.md, section 5):
 * children start in list order and stop in reverse order, one at a time;
 * strategies one_for_one, one_for_all and rest_for_one; restart types
 * permanent, transient and temporary; the shutdown protocol (monitor, exit
 * `shutdown`, wait, then `kill`); restart intensity as a sliding window of
 * restart times, MaxR restarts in MaxT seconds allowed and the next one
 * fatal -- the supervisor then stops its children and exits `shutdown`.
 *
 * What C changes from OTP, and why:
 *  - A child's id is a string (OTP: any term), at most LC_CHILD_ID_MAX - 1
 *    bytes. A start function's argument is a pointer, so the spec says how
 *    many bytes to copy (arg_size): the supervisor keeps its own copy and
 *    passes it at every restart, as OTP keeps the argument list.
 *  - A reason holds one value, so a supervisor whose child fails to start
 *    exits with {shutdown, failed_to_start_child}; the child's id and its
 *    own reason -- OTP's {shutdown, {failed_to_start_child, Id, R}} -- are
 *    given to the caller of the start in struct lc_sup_error.
 *  - Errors are negative codes, one per OTP error atom (see each call).
 *  - OTP 24's automatic shutdown (significant children, auto_shutdown) is
 *    not in the kit, nor is simple_one_for_one: chapter 8's dynamic
 *    supervisor does that job, as Elixir's DynamicSupervisor does.
 *
 * How it is built is in supervisor_impl.h: chapter 5 writes the supervisor
 * and chapter 6 the parts that make a tree (shutdown, strategies, restart
 * types, terminate/restart/delete_child).
 */
#ifndef LC_SUPERVISOR_H
#define LC_SUPERVISOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc/lc.h"

/* region: spec */
/* Who is restarted when a child ends and needs a restart. */
enum lc_strategy {
    LC_ONE_FOR_ONE, /* the child alone */
    LC_ONE_FOR_ALL, /* every child: the others are stopped, then all start */
    LC_REST_FOR_ONE /* the child and those started after it */
};

/* When a child that ended is started again. */
enum lc_restart {
    LC_PERMANENT, /* always, whatever the reason (even normal) */
    LC_TRANSIENT, /* only if the reason is not normal, shutdown or
                     {shutdown, _} (lc_reason_is_clean()) */
    LC_TEMPORARY  /* never; its spec is forgotten as soon as it ends */
};

enum lc_child_type {
    LC_CHILD_WORKER,    /* does the work */
    LC_CHILD_SUPERVISOR /* a supervisor: a subtree */
};

/* Values of a child's 'shutdown' besides a timeout in milliseconds.
 * LC_SHUTDOWN_DEFAULT is 5000 for a worker and LC_INFINITY for a supervisor
 * (OTP's defaults); LC_SHUTDOWN_BRUTAL_KILL sends `kill` at once. A zero
 * timeout cannot be asked for: use LC_SHUTDOWN_BRUTAL_KILL. */
#define LC_SHUTDOWN_DEFAULT     ((int64_t)0)
#define LC_SHUTDOWN_BRUTAL_KILL ((int64_t)-2)
/* LC_INFINITY (msg.h): send `shutdown` and wait as long as it takes. */

#define LC_CHILD_ID_MAX 32

/*
 * Start a child and link it to the caller, which is the supervisor: the
 * child must be linked before this returns, or its crash would go unseen.
 * 'arg' is the spec's argument (the supervisor's copy of it). Return:
 *   0             *pid is the new child;
 *   LC_EIGNORE    nothing was started; the spec is kept, with no process
 *                 (OTP's ignore);
 *   LC_EALREADY   *pid is a process that already does the job (a named
 *                 server that runs: OTP's {error, {already_started, Pid}});
 *   any other negative code, with *why set: the start failed.
 * lc_gs_start_link() has this shape: a start function is usually three
 * lines around it. A start function that raises fails with the exception's
 * reason (OTP's {'EXIT', R}).
 */
typedef int lc_child_start_fn(void *arg, lc_pid *pid, struct lc_reason *why);

/*
 * How to start a child, and what to do when it ends. Zero is the default
 * of every field but id and start: a permanent worker with the default
 * shutdown and no argument.
 */
struct lc_child_spec {
    const char *id;           /* unique among the supervisor's children */
    lc_child_start_fn *start; /* required */
    const void *arg;          /* start's argument */
    size_t arg_size;          /* > 0: the supervisor copies arg[0..arg_size)
                                 and passes its copy; 0: it passes 'arg'
                                 itself, which must then outlive it */
    enum lc_restart restart;  /* default LC_PERMANENT */
    int64_t shutdown;         /* ms > 0, LC_INFINITY, LC_SHUTDOWN_BRUTAL_KILL
                                 or LC_SHUTDOWN_DEFAULT */
    enum lc_child_type type;  /* default LC_CHILD_WORKER */
};

/*
 * The child_spec(arg) convention: a module that can be supervised says how
 * it is started by a function that returns its spec, so that whoever
 * supervises it needs to know only its name:
 *
 *     struct lc_child_spec todo_cache_child_spec(const void *arg);
 *
 *     const struct lc_child_spec children[] = {
 *         todo_cache_child_spec(NULL), ...
 */
typedef struct lc_child_spec lc_child_spec_fn(const void *arg);

/* Restart intensity: at most max_restarts restarts within max_seconds. */
struct lc_sup_flags {
    enum lc_strategy strategy; /* default LC_ONE_FOR_ONE */
    int max_restarts;          /* MaxR >= 0: restarts allowed in the window */
    int max_seconds;           /* MaxT > 0: the window, in seconds */
    /* Both 0: the defaults, 3 restarts in 5 seconds (Elixir's). To allow
       no restart at all, set max_restarts 0 and max_seconds > 0. */
};

/* A supervisor's flags and children, in start order. */
struct lc_sup_spec {
    struct lc_sup_flags flags;
    const struct lc_child_spec *children;
    size_t nchildren;
};
/* endregion */

/* region: start */
/* The callback-module form: init runs in the new supervisor process and
   fills *spec. What *spec points to (the children and their arguments)
   must outlive init's return -- static data, or memory from lc_alloc()
   (which belongs to the supervisor) -- not init's own local variables,
   which are gone when it returns: the supervisor copies it all as soon as
   init has returned. Return 0, or LC_EIGNORE to start nothing (the start
   then returns LC_EIGNORE and the supervisor ends normally); any other
   value fails the start with {bad_return, N} (OTP's {bad_return, {Mod,
   init, Ret}}). */
struct lc_sup_ops {
    int (*init)(void *arg, struct lc_sup_spec *spec);
};

struct lc_sup_opts {
    const char *name; /* register the supervisor under this name, or NULL */
};

/* Why a supervisor did not start. */
struct lc_sup_error {
    struct lc_reason reason;       /* how the supervisor ended (its exit
                                      reason), or what was wrong with the spec */
    char child[LC_CHILD_ID_MAX];   /* failed_to_start_child: the child's id */
    struct lc_reason child_reason; /* failed_to_start_child: its reason */
};

/*
 * Start a supervisor linked to the caller, its parent, and return once every
 * child has started, in order. 'opts' and 'err' may be NULL. Returns 0 with
 * *pid set, or:
 *   LC_EINVAL    a bad spec: err->reason is {duplicate_child_name, Id},
 *                {invalid_child_spec, Id} (no start function, an id that is
 *                empty or too long, a bad restart, shutdown or type, an
 *                arg_size with no arg) or
 *                {invalid_flags, N} (a bad strategy or intensity) -- OTP's
 *                {error, {start_spec, _}} and {error, {supervisor_data, _}};
 *   LC_ESTART    a child failed to start: the children already started
 *                were stopped in reverse order and the supervisor ended with
 *                {shutdown, failed_to_start_child}; err->child and
 *                err->child_reason say which child and why (a start
 *                function that raised: the exception's reason, OTP's
 *                {'EXIT', R}; one that returned LC_EALREADY:
 *                {already_started, Pid}). Also LC_ESTART, with err->child
 *                "", when the init callback raised or returned a bad value
 *                (err->reason) or opts->name is not a valid name (badarg);
 *   LC_EIGNORE   the init callback returned LC_EIGNORE;
 *   LC_EALREADY  opts->name is taken: *pid is its holder.
 * As with lc_gs_start_link(), a failed start ends the supervisor with a
 * reason that is not normal (err->reason: for LC_EINVAL the spec error
 * itself), which kills a caller that does not trap exits (so the call
 * returns only to a caller that traps, or on success).
 *
 * The supervisor's figure: role LC_ROLE_SUPERVISOR, detail "one_for_one
 * 3/5s"; an LC_EDGE_SUPERVISES edge labelled with the id to each child
 * (kept, LC_EDGE_KEEP, when the child ends, so a child that does not run
 * is drawn dashed; a restart moves it to the new process); the id as the
 * child's name if it has none; its restart count; and a trace note
 * "restart <id>" at each restart.
 */
int lc_sup_start_link(const struct lc_sup_spec *spec,
                      const struct lc_sup_opts *opts, lc_pid *pid,
                      struct lc_sup_error *err);

/* The same, with the flags and children from ops->init(arg). */
int lc_sup_start_link_mod(const struct lc_sup_ops *ops, void *arg,
                          const struct lc_sup_opts *opts, lc_pid *pid,
                          struct lc_sup_error *err);

/* Stop a supervisor: its children are stopped in reverse start order (each
   with `shutdown`), then it exits `normal` -- lc_gs_stop() with `normal`,
   as OTP's gen_server:stop(Sup) and Elixir's Supervisor.stop(Sup), so a
   caller that is its parent and does not trap exits lives on. Returns 0;
   exits the caller as lc_gs_stop() does (`noproc` if it is not alive). */
int lc_sup_stop(lc_pid sup);
/* endregion */

/* region: manage */
/* One child, as lc_sup_which_children() describes it. */
struct lc_child_info {
    char id[LC_CHILD_ID_MAX];
    lc_pid pid;      /* LC_NOPID: not running (OTP's undefined) */
    bool restarting; /* a restart failed and will be retried */
    enum lc_child_type type;
};

/*
 * Describe up to 'max' children into out[], in OTP's order: the newest
 * first (reverse start order). Returns how many children the supervisor has.
 * These calls wait as long as the supervisor takes (OTP's infinity), and
 * exit the caller as lc_gs_call() does if it is not alive.
 */
size_t lc_sup_which_children(lc_pid sup, struct lc_child_info *out, size_t max);

struct lc_sup_counts {
    size_t specs;       /* children the supervisor knows */
    size_t active;      /* of them, running */
    size_t supervisors; /* specs of type supervisor, running or not */
    size_t workers;     /* specs of type worker, running or not */
};
struct lc_sup_counts lc_sup_count_children(lc_pid sup);

/*
 * Add a child at the end of the start order and start it. Returns 0 with
 * *pid set (LC_NOPID if its start returned LC_EIGNORE: the spec is kept,
 * unless temporary), or:
 *   LC_EALREADY  a child with this id runs (*pid is it), or the start
 *                function said LC_EALREADY (*pid is the holder);
 *   LC_EEXIST    a child with this id exists but does not run
 *                (OTP's already_present);
 *   LC_ESTART    its start failed: *why (the spec is not kept);
 *   LC_EINVAL    a bad spec: *why as for lc_sup_start_link() (a
 *                duplicate id is LC_EALREADY or LC_EEXIST, as in OTP).
 * 'pid' and 'why' may be NULL.
 */
int lc_sup_start_child(lc_pid sup, const struct lc_child_spec *spec,
                       lc_pid *pid, struct lc_reason *why);

/* Stop child 'id' with the shutdown protocol; it is not restarted, and its
   spec stays (a temporary child's goes). Returns 0, or LC_ENOENT. */
int lc_sup_terminate_child(lc_pid sup, const char *id);

/* Start again child 'id', which must not be running. Returns 0 with *pid
   (LC_NOPID for LC_EIGNORE), LC_ERUNNING, LC_ERESTARTING, LC_ENOENT (also
   for a temporary child that ended), or LC_ESTART with *why. */
int lc_sup_restart_child(lc_pid sup, const char *id, lc_pid *pid,
                         struct lc_reason *why);

/* Forget child 'id', which must not be running. Returns 0, LC_ERUNNING,
   LC_ERESTARTING or LC_ENOENT. */
int lc_sup_delete_child(lc_pid sup, const char *id);
/* endregion */

#endif /* LC_SUPERVISOR_H */
