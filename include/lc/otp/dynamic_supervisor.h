/*
 * dynamic_supervisor.h - dynamic supervisors (chapter 8; the student writes
 * solutions/08-dynamic-supervisors/dynamic_supervisor.c).
 *
 * A supervisor of chapter 5 knows its children before it starts: a list of
 * specs, each with an id. Many systems cannot know theirs: one server per
 * user, per connection, per to-do list, started when it is first needed. A
 * dynamic supervisor starts with no children at all and starts each one on
 * demand (lc_dynsup_start_child()); its children have no ids, only pids,
 * and there may be a hundred thousand of them. It is Elixir's
 * DynamicSupervisor (shared reference: otp-semantics.md, section 6):
 *
 *     struct lc_dynsup_flags flags = { .max_children = 1000 };
 *     lc_pid sup, child;
 *     lc_dynsup_start_link(&flags, NULL, &sup, NULL);
 *     struct lc_dynsup_child spec = { .start = session_start,
 *                                      .arg = &user, .arg_size = sizeof user };
 *     lc_dynsup_start_child(sup, &spec, &child, NULL);
 *
 * The rules it keeps:
 *  - only one_for_one (each child is on its own); restart intensity as in
 *    chapter 5 (MaxR restarts in MaxT seconds, the next one stops the
 *    supervisor with `shutdown`), and a failed restart is retried at once
 *    and counts again (D1);
 *  - start_child answers with the start function's own result: a pid, an
 *    `ignore` that keeps nothing, the raw reason of a failure, and
 *    `already_started` only when the child itself found its name taken
 *    (D2) -- which is what lets "start it, or find it if it runs" be one
 *    call (chapter 8's server_process);
 *  - max_children is checked before the start function runs, and a child
 *    waiting for its restart counts;
 *  - terminate_child takes a pid; when the supervisor ends, every child is
 *    sent its exit signal first, and then all are waited for (D3).
 *
 * What C changes, and why:
 *  - A child is temporary unless its spec says otherwise: zero is the
 *    default of every field, and a process started on demand is normally
 *    started again on demand, not restarted (the book's to-do servers are
 *    temporary). In Elixir the default is the child module's own
 *    child_spec, permanent unless it says so.
 *  - Extra arguments (OTP: apply(M, F, Extra ++ Args)) are bytes: the
 *    start function gets one block, the supervisor's extra bytes first and
 *    the child's own bytes at LC_DYNSUP_ARG_OFFSET(extra_size) -- the
 *    layout of struct { E extra; _Alignas(16) A own; }.
 *  - The children are stopped in a fixed order, the newest first (the
 *    order Supervisor uses), where Elixir signals them in the order of its
 *    map of pids: all signals are still sent before the first wait, so a
 *    slow child delays no other child's signal.
 */
#ifndef LC_DYNAMIC_SUPERVISOR_H
#define LC_DYNAMIC_SUPERVISOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc/lc.h"
#include "lc/otp/supervisor.h"

/* region: spec */
/* The supervisor's flags. Zero is the default of every field. */
struct lc_dynsup_flags {
    enum lc_strategy strategy; /* only LC_ONE_FOR_ONE (the default) */
    int max_restarts;          /* as struct lc_sup_flags: both 0 mean */
    int max_seconds;           /* 3 restarts in 5 seconds */
    size_t max_children;       /* 0: no limit (Elixir's :infinity) */
    const void *extra;         /* extra arguments, copied by the */
    size_t extra_size;         /* supervisor: given to every start */
};

/* Where a child's own argument starts in the block its start function gets
   when the supervisor has extra arguments of 'extra_size' bytes. */
#define LC_DYNSUP_ARG_OFFSET(extra_size) (((extra_size) + 15) & ~(size_t)15)

/* A dynamic child's restart type. The default (zero) is temporary. */
enum lc_dynsup_restart {
    LC_DYNSUP_TEMPORARY, /* never restarted; forgotten when it ends */
    LC_DYNSUP_TRANSIENT, /* restarted if its reason is not clean */
    LC_DYNSUP_PERMANENT  /* always restarted */
};

/* How to start a child (no id: a dynamic child is known by its pid). */
struct lc_dynsup_child {
    lc_child_start_fn *start;       /* required; as in supervisor.h */
    const void *arg;                /* start's argument */
    size_t arg_size;                /* > 0: copied (needed with extra
                                       arguments, unless arg is NULL) */
    enum lc_dynsup_restart restart; /* default LC_DYNSUP_TEMPORARY */
    int64_t shutdown;               /* as struct lc_child_spec */
    enum lc_child_type type;        /* default LC_CHILD_WORKER */
};

struct lc_dynsup_opts {
    const char *name; /* register the supervisor under this name, or NULL */
};
/* endregion */

/* region: api */
/*
 * Start a dynamic supervisor with no children, linked to the caller. 'opts'
 * and 'why' may be NULL. Returns 0 with *pid, or:
 *   LC_EINVAL    bad flags: *why is {invalid_strategy, N} (anything but
 *                one_for_one) or {invalid_flags, N} (a bad intensity, or
 *                extra_size > 0 with extra NULL); the supervisor ended
 *                with that reason, which kills a caller that does not
 *                trap exits (as lc_sup_start_link());
 *   LC_EALREADY  opts->name is taken: *pid is its holder;
 *   LC_ESTART    the name is not a valid one (*why `badarg`).
 * Figure: role LC_ROLE_SUPERVISOR, detail "dynamic one_for_one 3/5s" (and
 * " max N" with a limit), an LC_EDGE_SUPERVISES edge to each child.
 */
int lc_dynsup_start_link(const struct lc_dynsup_flags *flags,
                         const struct lc_dynsup_opts *opts, lc_pid *pid,
                         struct lc_reason *why);

/*
 * Start a child now, linked to the supervisor. 'pid' and 'why' may be NULL.
 * Returns 0 with *pid, or:
 *   LC_EIGNORE   its start function said LC_EIGNORE: nothing is kept
 *                (Supervisor keeps a spec; a dynamic supervisor has no
 *                spec to keep);
 *   LC_EMAX      max_children children exist (those waiting for a restart
 *                count); the start function was not called;
 *   LC_EALREADY  the start function said LC_EALREADY: *pid is the process
 *                that already does the job; nothing is kept;
 *   LC_ESTART    the start failed: *why is its own reason (the reason it
 *                set, or what it raised) -- not wrapped;
 *   LC_EINVAL    a bad spec (no start function, a bad restart, shutdown or
 *                type, or an argument the supervisor cannot copy): *why is
 *                {invalid_child_spec, N}; checked by the caller, the
 *                supervisor is not asked.
 * Exits the caller as lc_gs_call() does if the supervisor is not alive.
 */
int lc_dynsup_start_child(lc_pid sup, const struct lc_dynsup_child *spec,
                          lc_pid *pid, struct lc_reason *why);

/* Stop child 'pid' with the shutdown protocol (chapter 6) and forget it:
   it is not restarted. Returns 0, or LC_ENOENT if 'pid' is not a child. */
int lc_dynsup_terminate_child(lc_pid sup, lc_pid pid);

/* One child, as lc_dynsup_which_children() describes it. */
struct lc_dynsup_child_info {
    lc_pid pid;      /* the child; while it is being restarted, the pid of
                        the process that ended */
    bool restarting; /* a restart failed and will be tried again */
    enum lc_child_type type;
};

/* Describe up to 'max' children into out[], the newest first. Returns how
   many children there are. */
size_t lc_dynsup_which_children(lc_pid sup, struct lc_dynsup_child_info *out,
                                size_t max);

/* specs: the children; active: those running (not being restarted);
   supervisors and workers: by type. */
struct lc_sup_counts lc_dynsup_count_children(lc_pid sup);

/* Stop the supervisor and its children (see above), as lc_sup_stop(). */
int lc_dynsup_stop(lc_pid sup);
/* endregion */

#endif /* LC_DYNAMIC_SUPERVISOR_H */
