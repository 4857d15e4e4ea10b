/*
 * dynamic_supervisor.c - the dynamic supervisor (chapter 8).
 *
 * Like chapter 5's supervisor, it is a generic server that traps exits and
 * starts its children through start functions that link them to it. What
 * is new is the number of children: they come and go at any moment, and
 * there may be a hundred thousand. So nothing it does may cost more than
 * the child it is about:
 *
 *  - the children are in a hash table keyed by pid (an EXIT, a
 *    terminate_child and a restart find their child in one probe), and on
 *    a list in the order their processes started, a restarted child
 *    moving to the end (which_children and the shutdown walk it);
 *  - at its end it monitors every child and sends every exit signal
 *    first, the newest child first, then takes the DOWNs as they come --
 *    any message, its pid looked up in the table -- so each DOWN costs the
 *    same however many are still awaited. A selective receive of each
 *    child's DOWN in turn would rescan a mailbox full of the others'.
 *
 * Everything else -- restart types, intensity, retries of a failed
 * restart -- is chapter 5's and 6's, with one strategy: one_for_one.
 */
#include "lc/otp/dynamic_supervisor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/supervisor_impl.h"

enum {
    DYN_START_CHILD,     /* struct start_req; reply: struct answer */
    DYN_TERMINATE_CHILD, /* lc_pid; reply: struct answer */
    DYN_WHICH_CHILDREN,  /* no payload; reply: struct lc_dynsup_child_info[] */
    DYN_COUNT_CHILDREN,  /* no payload; reply: struct lc_sup_counts */
    DYN_TRY_AGAIN        /* cast to itself: lc_pid of the child */
};

/* A new child's spec, its argument copied into the message. */
struct start_req {
    struct lc_dynsup_child spec; /* spec.arg unused when arg_size > 0 */
    _Alignas(16) unsigned char arg[];
};

struct answer {
    int rc;
    lc_pid pid;
    struct lc_reason why;
};

/* One child: its spec and its process, in the table and on the list. */
struct dyn_child {
    lc_pid pid;                  /* its key: the running process, or while
                                    restarting the one that ended */
    struct lc_dynsup_child spec; /* spec.arg is what start gets */
    void *block;                 /* the supervisor's copy of it, or NULL */
    bool restarting;
    bool awaited; /* at the end: its DOWN has not come */
    uint32_t starts;
    struct dyn_child *older, *newer; /* the list: by start of its process */
};

struct restart_second {
    int64_t second;
    uint32_t count;
};

struct dynsup {
    int max_restarts, max_seconds;
    size_t max_children; /* 0: no limit */
    void *extra;         /* the extra arguments (lc_alloc), or NULL */
    size_t extra_size;
    /* The table: open addressing, linear probing, a power of 2 slots. */
    struct dyn_child **slots;
    size_t cap, n;
    struct dyn_child *oldest, *newest;
    /* Restart times inside the window, oldest first (chapter 5's ring). */
    struct restart_second *window;
    size_t head, len, wcap;
    uint32_t in_window;
};

/* Figures: "dynamic one_for_one 3/5s max 100". */
static void describe(const struct dynsup *d)
{
    char detail[80];
    int k = snprintf(detail, sizeof detail, "dynamic one_for_one %d/%ds",
                     d->max_restarts, d->max_seconds);
    if (d->max_children > 0) {
        snprintf(detail + k, sizeof detail - (size_t)k, " max %zu",
                 d->max_children);
    }
    lc_proc_set_role(lc_self(), LC_ROLE_SUPERVISOR);
    lc_proc_set_detail(lc_self(), detail);
}

/* --- The supervisor process ---------------------------------------------- */

/* init: trap exits, check and copy the flags. No child starts here. */
static int dyn_init(void *arg, void **state, struct lc_reason *stop)
{
    /* TODO(ch08): write this (see its contract comment). */
    LC_TODO("ch08");
    (void)describe;
    return LC_GS_IGNORE;
}

static int dyn_call(void *state, int tag, const void *data, size_t size,
                    struct lc_gs_from from, struct lc_reason *stop)
{
    /* TODO(ch08): write this (see its contract comment). */
    LC_TODO("ch08");
    return LC_GS_CONTINUE;
}

/* A child ended by itself: forget it or restart it, by its restart type. */
static int dyn_info(void *state, const struct lc_msg *m, struct lc_reason *stop)
{
    /* TODO(ch08): write this (see its contract comment). */
    LC_TODO("ch08");
    return LC_GS_CONTINUE;
}

/* The retry of a restart that failed, if the child still waits for it. */
static int dyn_cast(void *state, int tag, const void *data, size_t size,
                    struct lc_reason *stop)
{
    /* TODO(ch08): write this (see its contract comment). */
    LC_TODO("ch08");
    return LC_GS_CONTINUE;
}

static void dyn_terminate(void *state, const struct lc_reason *why)
{
    /* TODO(ch08): write this (see its contract comment). */
    LC_TODO("ch08");
}

static const struct lc_gs_ops dyn_ops = {
    .init = dyn_init,
    .handle_call = dyn_call,
    .handle_cast = dyn_cast,
    .handle_info = dyn_info,
    .terminate = dyn_terminate,
};

/* --- The client side ------------------------------------------------------ */

int lc_dynsup_start_link(const struct lc_dynsup_flags *flags,
                         const struct lc_dynsup_opts *opts, lc_pid *pid,
                         struct lc_reason *why)
{
    /* TODO(ch08): write this (see its contract comment). */
    LC_TODO("ch08");
    (void)dyn_ops;
    return LC_ENOSYS;
}

int lc_dynsup_start_child(lc_pid sup, const struct lc_dynsup_child *spec,
                          lc_pid *pid, struct lc_reason *why)
{
    /* TODO(ch08): write this (see its contract comment). */
    LC_TODO("ch08");
    return LC_ENOSYS;
}

int lc_dynsup_terminate_child(lc_pid sup, lc_pid pid)
{
    /* TODO(ch08): write this (see its contract comment). */
    LC_TODO("ch08");
    return LC_ENOSYS;
}

size_t lc_dynsup_which_children(lc_pid sup, struct lc_dynsup_child_info *out,
                                size_t max)
{
    /* TODO(ch08): write this (see its contract comment). */
    LC_TODO("ch08");
    return 0;
}

struct lc_sup_counts lc_dynsup_count_children(lc_pid sup)
{
    /* TODO(ch08): write this (see its contract comment). */
    LC_TODO("ch08");
    return (struct lc_sup_counts){ 0 };
}

int lc_dynsup_stop(lc_pid sup)
{
    /* TODO(ch08): write this (see its contract comment). */
    LC_TODO("ch08");
    return LC_ENOSYS;
}
