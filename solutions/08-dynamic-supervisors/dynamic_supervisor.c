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

/* region: protocol */
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
/* endregion */

/* region: state */
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
/* endregion */

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

/* BEGIN SOLUTION(ch08): - */
static void *must_alloc(size_t n)
{
    void *p = lc_alloc(n ? n : 1);
    if (p == NULL) {
        lc_error(lc_atom_term(LC_A_ENOMEM));
    }
    return p;
}

static struct lc_reason reason_of(const char *kind, int64_t v)
{
    return lc_reason_with(lc_atom_intern(kind), lc_int(v));
}

/* --- The table of children, keyed by pid --------------------------------- */

static size_t slot_of(const struct dynsup *d, lc_pid pid)
{
    return (size_t)((pid * 0x9E3779B97F4A7C15ull) >> 17) & (d->cap - 1);
}

static struct dyn_child *find(const struct dynsup *d, lc_pid pid)
{
    if (d->cap == 0) {
        return NULL;
    }
    for (size_t i = slot_of(d, pid);; i = (i + 1) & (d->cap - 1)) {
        if (d->slots[i] == NULL || d->slots[i]->pid == pid) {
            return d->slots[i];
        }
    }
}

static void put(struct dynsup *d, struct dyn_child *c)
{
    size_t i = slot_of(d, c->pid);
    while (d->slots[i] != NULL) {
        i = (i + 1) & (d->cap - 1);
    }
    d->slots[i] = c;
}

/* Keep the table at most half full, so a probe stays short. */
static void grow(struct dynsup *d)
{
    if (2 * (d->n + 1) <= d->cap) {
        return;
    }
    struct dyn_child **old = d->slots;
    size_t oldcap = d->cap;
    d->cap = oldcap ? 2 * oldcap : 16;
    d->slots = must_alloc(d->cap * sizeof *d->slots);
    memset(d->slots, 0, d->cap * sizeof *d->slots);
    for (size_t i = 0; i < oldcap; i++) {
        if (old[i] != NULL) {
            put(d, old[i]);
        }
    }
    lc_free(old);
}

/* Take c out of the table: the entries after it in its run move back
   into the hole when their own slot is at or before it (no tombstones,
   so a long life of starts and ends leaves the probes short). */
static void unput(struct dynsup *d, const struct dyn_child *c)
{
    size_t mask = d->cap - 1;
    size_t i = slot_of(d, c->pid);
    while (d->slots[i] != c) {
        i = (i + 1) & mask;
    }
    d->slots[i] = NULL;
    for (size_t j = (i + 1) & mask; d->slots[j] != NULL; j = (j + 1) & mask) {
        size_t home = slot_of(d, d->slots[j]->pid);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            d->slots[i] = d->slots[j];
            d->slots[j] = NULL;
            i = j;
        }
    }
}

/* Put c at the newest end of the list. */
static void chain(struct dynsup *d, struct dyn_child *c)
{
    c->older = d->newest;
    c->newer = NULL;
    if (d->newest != NULL) {
        d->newest->newer = c;
    } else {
        d->oldest = c;
    }
    d->newest = c;
}

/* Take c off the list. */
static void unchain(struct dynsup *d, struct dyn_child *c)
{
    if (c->older != NULL) {
        c->older->newer = c->newer;
    } else {
        d->oldest = c->newer;
    }
    if (c->newer != NULL) {
        c->newer->older = c->older;
    } else {
        d->newest = c->older;
    }
}

/* Add a new child: in the table and at the newest end of the list. */
static void add(struct dynsup *d, struct dyn_child *c)
{
    grow(d);
    put(d, c);
    d->n++;
    chain(d, c);
}

/* Forget child c: out of the table, off the list, its memory freed. */
static void forget(struct dynsup *d, struct dyn_child *c)
{
    unput(d, c);
    d->n--;
    unchain(d, c);
    lc_free(c->block);
    lc_free(c);
}

/* Give child c a new pid (after a restart): its key changes, and it moves
   to the newest end of the list, for its process is now the newest. The
   list is then in the order of the children's processes, the order
   Elixir's map of children keeps (by pid) -- a restarted child is not
   listed, or stopped, in the place of the process it replaced. */
static void rekey(struct dynsup *d, struct dyn_child *c, lc_pid pid)
{
    unput(d, c);
    c->pid = pid;
    put(d, c);
    unchain(d, c);
    chain(d, c);
}

/* --- Starting ------------------------------------------------------------ */

/* The block c's start gets: the extra arguments, then the child's own
   bytes at LC_DYNSUP_ARG_OFFSET. Without extra arguments, the child's own
   copy, or its pointer as the caller gave it. */
static void make_block(const struct dynsup *d, struct dyn_child *c,
                       const void *arg)
{
    size_t off = LC_DYNSUP_ARG_OFFSET(d->extra_size);
    if (d->extra_size == 0 && c->spec.arg_size == 0) {
        c->block = NULL;
        return;
    }
    size_t own = d->extra_size > 0 ? off : 0;
    c->block = must_alloc(own + c->spec.arg_size);
    if (d->extra_size > 0) {
        memcpy(c->block, d->extra, d->extra_size);
    }
    if (c->spec.arg_size > 0) {
        memcpy((char *)c->block + own, arg, c->spec.arg_size);
    }
    c->spec.arg = c->block;
}

/* Run c's start function, catching what it raises. Returns 0 with *pid,
   LC_EIGNORE, LC_EALREADY with *pid (the holder), or LC_ESTART with *why:
   the start function's own reason, unwrapped (D2). */
static int call_start(const struct dyn_child *c, lc_pid *pid,
                      struct lc_reason *why)
{
    volatile int rc = LC_ESTART;
    *why = lc_reason(LC_A_NONE);
    *pid = LC_NOPID;
    LC_TRY
    {
        rc = c->spec.start((void *)c->spec.arg, pid, why);
    }
    LC_CATCH_ANY(e)
    {
        *why = e->reason;
        rc = LC_ESTART;
    }
    LC_END_TRY;
    if (rc == 0 && *pid == LC_NOPID) {
        return LC_EIGNORE;
    }
    if (rc == 0 || rc == LC_EIGNORE || rc == LC_EALREADY) {
        return rc;
    }
    if (rc > 0) {
        *why = reason_of("bad_return_value", rc);
    } else if (why->kind == LC_A_NONE) {
        *why = reason_of("error", rc);
    }
    return LC_ESTART;
}

/* Child c now runs as 'pid': count the start and draw it. */
static void started(struct dyn_child *c, lc_pid pid)
{
    c->starts++;
    c->restarting = false;
    lc_edge_add(LC_EDGE_SUPERVISES, lc_self(), pid, NULL, 0);
    if (c->starts > 1) {
        lc_proc_set_restarts(pid, c->starts - 1);
        lc_trace_note(lc_self(), pid, "restart");
    }
}

/* start_child: refuse past max_children, build the child, start it, keep
   it only if it runs. */
static struct answer start_new(struct dynsup *d, const struct start_req *r)
{
    struct answer a = { 0, LC_NOPID, lc_reason(LC_A_NORMAL) };
    if (d->max_children > 0 && d->n >= d->max_children) {
        a.rc = LC_EMAX; /* before the start function runs (D2) */
        return a;
    }
    if (d->extra_size > 0 && r->spec.arg_size == 0 && r->spec.arg != NULL) {
        a.rc = LC_EINVAL; /* a pointer cannot follow the extra bytes */
        a.why = reason_of("invalid_argument", 0);
        return a;
    }
    struct dyn_child *c = must_alloc(sizeof *c);
    *c = (struct dyn_child){ .spec = r->spec };
    if (c->spec.shutdown == LC_SHUTDOWN_DEFAULT) {
        c->spec.shutdown = c->spec.type == LC_CHILD_WORKER ? 5000 : LC_INFINITY;
    }
    make_block(d, c, r->arg);
    a.rc = call_start(c, &a.pid, &a.why);
    if (a.rc != 0) {
        lc_free(c->block);
        lc_free(c);
        if (a.rc != LC_EALREADY) {
            a.pid = LC_NOPID;
        }
        return a;
    }
    c->pid = a.pid;
    add(d, c);
    started(c, a.pid);
    return a;
}

/* --- Restarts (D1) ------------------------------------------------------- */

static struct restart_second *second_at(struct dynsup *d, size_t k)
{
    return &d->window[(d->head + k) % d->wcap];
}

static void grow_window(struct dynsup *d)
{
    size_t cap = d->wcap ? 2 * d->wcap : 4;
    struct restart_second *w = must_alloc(cap * sizeof *w);
    for (size_t k = 0; k < d->len; k++) {
        w[k] = *second_at(d, k);
    }
    lc_free(d->window);
    d->window = w;
    d->wcap = cap;
    d->head = 0;
}

/* Count a restart now (S7): drop the seconds older than now - MaxT, add
   this one; false if the window then holds more than MaxR restarts. */
static bool add_restart(struct dynsup *d)
{
    int64_t now = lc_now() / 1000;
    while (d->len > 0 && d->window[d->head].second < now - d->max_seconds) {
        d->in_window -= d->window[d->head].count;
        d->head = (d->head + 1) % d->wcap;
        d->len--;
    }
    struct restart_second *last = d->len > 0 ? second_at(d, d->len - 1) : NULL;
    if (last != NULL && last->second == now) {
        last->count++;
    } else {
        if (d->len == d->wcap) {
            grow_window(d);
        }
        d->len++;
        *second_at(d, d->len - 1) = (struct restart_second){ now, 1 };
    }
    d->in_window++;
    return d->in_window <= (uint64_t)d->max_restarts;
}

/* Child c must be restarted: count it; too many restarts stop the
   supervisor with `shutdown`. A start that fails leaves c 'restarting'
   under its old pid, and a message to itself tries again (counted again);
   one that ignores forgets c. */
static int restart(struct dynsup *d, struct dyn_child *c,
                   struct lc_reason *stop)
{
    if (!add_restart(d)) {
        forget(d, c);
        lc_trace_note(lc_self(), LC_NOPID, "reached_max_restart_intensity");
        *stop = lc_reason(LC_A_SHUTDOWN);
        return LC_GS_STOP;
    }
    lc_pid pid;
    struct lc_reason why;
    int rc = call_start(c, &pid, &why);
    if (rc == 0) {
        rekey(d, c, pid);
        started(c, pid);
    } else if (rc == LC_EIGNORE) {
        forget(d, c);
    } else {
        c->restarting = true;
        lc_gs_cast(lc_self(), DYN_TRY_AGAIN, &c->pid, sizeof c->pid);
    }
    return LC_GS_CONTINUE;
}

/* --- Stopping ------------------------------------------------------------ */

/* Stop one running child by chapter 6's protocol. */
static void shutdown_one(const struct dyn_child *c)
{
    struct lc_child one = { .pid = c->pid };
    one.spec.shutdown = c->spec.shutdown;
    lc_sup_shutdown(&one);
}

struct timed {
    int64_t deadline;
    struct dyn_child *c;
};

static int by_deadline(const void *a, const void *b)
{
    const struct timed *x = a, *y = b;
    return (x->deadline > y->deadline) - (x->deadline < y->deadline);
}

/* Send `kill` to the awaited children whose time is up: t[*next..] in
   deadline order. Returns how long until the next deadline, or
   LC_INFINITY. */
static int64_t kill_late(struct timed *t, size_t n, size_t *next)
{
    int64_t now = lc_now();
    while (*next < n && t[*next].deadline <= now) {
        struct dyn_child *c = t[(*next)++].c;
        if (c->awaited) {
            lc_exit_signal(c->pid, lc_reason(LC_A_KILL));
        }
    }
    return *next < n ? t[*next].deadline - now : LC_INFINITY;
}

/*
 * Stop every running child at once (D3): monitor and signal each, the
 * newest first -- `kill` for brutal_kill, `shutdown` otherwise -- then
 * take messages as they come until every child's DOWN is in. A child with
 * a timeout that has not ended by then gets `kill`. Each message costs one
 * table probe: no receive scans the mailbox for one particular DOWN.
 */
static void terminate_children(struct dynsup *d)
{
    struct timed *t = must_alloc(d->n * sizeof *t);
    size_t nt = 0, awaited = 0;
    int64_t now = lc_now();
    for (struct dyn_child *c = d->newest; c != NULL; c = c->older) {
        if (c->restarting) {
            continue; /* no process */
        }
        lc_monitor(c->pid);
        c->awaited = true;
        awaited++;
        if (c->spec.shutdown == LC_SHUTDOWN_BRUTAL_KILL) {
            lc_exit_signal(c->pid, lc_reason(LC_A_KILL));
            continue;
        }
        lc_exit_signal(c->pid, lc_reason(LC_A_SHUTDOWN));
        if (c->spec.shutdown != LC_INFINITY) {
            t[nt++] = (struct timed){ now + c->spec.shutdown, c };
        }
    }
    qsort(t, nt, sizeof *t, by_deadline);
    size_t next = 0;
    while (awaited > 0) {
        struct lc_msg *m = lc_receive(kill_late(t, nt, &next));
        if (m == NULL) {
            continue; /* a deadline: kill_late sends the kills */
        }
        struct lc_down_msg down;
        if (m->tag == LC_TAG_DOWN && m->size == sizeof down) {
            memcpy(&down, m->data, sizeof down);
            struct dyn_child *c = find(d, down.pid);
            if (c != NULL && c->awaited) {
                c->awaited = false;
                awaited--;
            }
        }
        lc_msg_free(m); /* EXITs of the children, late calls: dropped */
    }
    lc_free(t);
}

/* --- The callbacks' parts ---------------------------------------------- */

/* The children, newest first. */
static void reply_which(const struct dynsup *d, struct lc_gs_from from)
{
    struct lc_dynsup_child_info *v = must_alloc(d->n * sizeof *v);
    size_t k = 0;
    for (const struct dyn_child *c = d->newest; c != NULL; c = c->older) {
        v[k++] = (struct lc_dynsup_child_info){ c->pid, c->restarting,
                                                c->spec.type };
    }
    lc_gs_reply(from, v, d->n * sizeof *v);
    lc_free(v);
}

static struct lc_sup_counts count(const struct dynsup *d)
{
    struct lc_sup_counts n = { .specs = d->n };
    for (const struct dyn_child *c = d->oldest; c != NULL; c = c->newer) {
        n.active += !c->restarting;
        n.supervisors += c->spec.type == LC_CHILD_SUPERVISOR;
    }
    n.workers = n.specs - n.supervisors;
    return n;
}

static struct answer terminate_one(struct dynsup *d, const void *data,
                                   size_t size)
{
    struct answer a = { LC_ENOENT, LC_NOPID, lc_reason(LC_A_NORMAL) };
    lc_pid pid;
    if (size != sizeof pid) {
        return a;
    }
    memcpy(&pid, data, sizeof pid);
    struct dyn_child *c = find(d, pid);
    if (c == NULL) {
        return a;
    }
    if (!c->restarting) {
        shutdown_one(c);
    }
    forget(d, c);
    a.rc = 0;
    return a;
}

/* Check and copy the flags (D1). Returns 0, or LC_EINVAL with *why. */
static int check_flags(struct dynsup *d, const struct lc_dynsup_flags *f,
                       struct lc_reason *why)
{
    d->max_restarts = f->max_restarts;
    d->max_seconds = f->max_seconds;
    if (f->max_restarts == 0 && f->max_seconds == 0) {
        d->max_restarts = 3;
        d->max_seconds = 5;
    }
    if (f->strategy != LC_ONE_FOR_ONE) {
        *why = reason_of("invalid_strategy", (int64_t)f->strategy);
        return LC_EINVAL;
    }
    int64_t bad = 0;
    if (d->max_restarts < 0) {
        bad = d->max_restarts;
    } else if (d->max_seconds <= 0) {
        bad = d->max_seconds;
    } else if (f->extra_size > 0 && f->extra == NULL) {
        bad = (int64_t)f->extra_size;
    } else {
        d->max_children = f->max_children;
        d->extra_size = f->extra_size;
        if (f->extra_size > 0) {
            d->extra = must_alloc(f->extra_size);
            memcpy(d->extra, f->extra, f->extra_size);
        }
        return 0;
    }
    *why = reason_of("invalid_flags", bad);
    return LC_EINVAL;
}
/* END SOLUTION */

/* --- The supervisor process ---------------------------------------------- */

/* init: trap exits, check and copy the flags. No child starts here. */
static int dyn_init(void *arg, void **state, struct lc_reason *stop)
{
    /* BEGIN SOLUTION(ch08): (void)describe; return LC_GS_IGNORE; */
    lc_trap_exit(true);
    struct dynsup *d = lc_zalloc(sizeof *d);
    if (d == NULL) {
        lc_error(lc_atom_term(LC_A_ENOMEM));
    }
    *state = d;
    if (check_flags(d, arg, stop) < 0) {
        return LC_GS_STOP;
    }
    describe(d);
    return LC_GS_CONTINUE;
    /* END SOLUTION */
}

static int dyn_call(void *state, int tag, const void *data, size_t size,
                    struct lc_gs_from from, struct lc_reason *stop)
{
    /* BEGIN SOLUTION(ch08): return LC_GS_CONTINUE; */
    struct dynsup *d = state;
    struct answer a = { LC_EINVAL, LC_NOPID, lc_reason(LC_A_NORMAL) };
    (void)stop;
    switch (tag) {
        case DYN_WHICH_CHILDREN:
            reply_which(d, from);
            return LC_GS_CONTINUE;
        case DYN_COUNT_CHILDREN: {
            struct lc_sup_counts n = count(d);
            lc_gs_reply(from, &n, sizeof n);
            return LC_GS_CONTINUE;
        }
        case DYN_START_CHILD: {
            const struct start_req *r = data;
            if (size >= sizeof *r && size == sizeof *r + r->spec.arg_size) {
                a = start_new(d, r);
            }
            break;
        }
        case DYN_TERMINATE_CHILD:
            a = terminate_one(d, data, size);
            break;
        default:
            break;
    }
    lc_gs_reply(from, &a, sizeof a);
    return LC_GS_CONTINUE;
    /* END SOLUTION */
}

/* A child ended by itself: forget it or restart it, by its restart type. */
static int dyn_info(void *state, const struct lc_msg *m, struct lc_reason *stop)
{
    /* BEGIN SOLUTION(ch08): return LC_GS_CONTINUE; */
    struct dynsup *d = state;
    struct lc_exit_msg e;
    if (m->tag != LC_TAG_EXIT || m->size != sizeof e) {
        return LC_GS_CONTINUE;
    }
    memcpy(&e, m->data, sizeof e);
    struct dyn_child *c = find(d, e.from);
    if (c == NULL || c->restarting) {
        return LC_GS_CONTINUE; /* not a child: OTP ignores it */
    }
    bool again = c->spec.restart == LC_DYNSUP_PERMANENT ||
                 (c->spec.restart == LC_DYNSUP_TRANSIENT &&
                  !lc_reason_is_clean(&e.reason));
    if (!again) {
        forget(d, c);
        return LC_GS_CONTINUE;
    }
    return restart(d, c, stop);
    /* END SOLUTION */
}

/* The retry of a restart that failed, if the child still waits for it. */
static int dyn_cast(void *state, int tag, const void *data, size_t size,
                    struct lc_reason *stop)
{
    /* BEGIN SOLUTION(ch08): return LC_GS_CONTINUE; */
    struct dynsup *d = state;
    lc_pid pid;
    if (tag != DYN_TRY_AGAIN || size != sizeof pid) {
        return LC_GS_CONTINUE;
    }
    memcpy(&pid, data, sizeof pid);
    struct dyn_child *c = find(d, pid);
    if (c == NULL || !c->restarting) {
        return LC_GS_CONTINUE; /* terminated meanwhile */
    }
    return restart(d, c, stop);
    /* END SOLUTION */
}

static void dyn_terminate(void *state, const struct lc_reason *why)
{
    /* BEGIN SOLUTION(ch08): */
    (void)why;
    if (state != NULL) {
        terminate_children(state);
    }
    /* END SOLUTION */
}

static const struct lc_gs_ops dyn_ops = {
    .init = dyn_init,
    .handle_call = dyn_call,
    .handle_cast = dyn_cast,
    .handle_info = dyn_info,
    .terminate = dyn_terminate,
};

/* --- The client side ------------------------------------------------------ */

/* BEGIN SOLUTION(ch08): - */
static struct answer ask(lc_pid sup, int tag, const void *req, size_t size)
{
    struct answer a = { LC_ENOSYS, LC_NOPID, lc_reason(LC_A_NORMAL) };
    struct lc_msg *m = lc_gs_call(sup, tag, req, size, LC_INFINITY);
    if (m != NULL && m->size == sizeof a) {
        memcpy(&a, m->data, sizeof a);
    }
    lc_msg_free(m);
    return a;
}

static bool valid_shutdown(int64_t t)
{
    return t > 0 || t == LC_SHUTDOWN_DEFAULT || t == LC_INFINITY ||
           t == LC_SHUTDOWN_BRUTAL_KILL;
}

/* Check a spec where the caller is (D2: the supervisor is not asked).
   Returns 0, or LC_EINVAL with *why. */
static int check_spec(const struct lc_dynsup_child *s, struct lc_reason *why)
{
    if (s->start == NULL) {
        *why = reason_of("invalid_mfa", 0);
    } else if ((unsigned)s->restart > LC_DYNSUP_PERMANENT) {
        *why = reason_of("invalid_restart_type", (int64_t)s->restart);
    } else if (!valid_shutdown(s->shutdown)) {
        *why = reason_of("invalid_shutdown", s->shutdown);
    } else if ((unsigned)s->type > LC_CHILD_SUPERVISOR) {
        *why = reason_of("invalid_child_type", (int64_t)s->type);
    } else if (s->arg_size > 0 && s->arg == NULL) {
        *why = reason_of("invalid_argument", (int64_t)s->arg_size);
    } else {
        return 0;
    }
    return LC_EINVAL;
}
/* END SOLUTION */

int lc_dynsup_start_link(const struct lc_dynsup_flags *flags,
                         const struct lc_dynsup_opts *opts, lc_pid *pid,
                         struct lc_reason *why)
{
    /* BEGIN SOLUTION(ch08): (void)dyn_ops; return LC_ENOSYS; */
    struct lc_dynsup_flags none = { 0 };
    struct lc_gs_opts go = { .name = opts ? opts->name : NULL };
    struct lc_reason mine;
    struct lc_reason *w = why ? why : &mine;
    int rc = lc_gs_start_link(&dyn_ops, (void *)(flags ? flags : &none), &go,
                              pid, w);
    if (rc == LC_ESTART && (w->kind == lc_atom_intern("invalid_strategy") ||
                            w->kind == lc_atom_intern("invalid_flags"))) {
        return LC_EINVAL;
    }
    return rc;
    /* END SOLUTION */
}

int lc_dynsup_start_child(lc_pid sup, const struct lc_dynsup_child *spec,
                          lc_pid *pid, struct lc_reason *why)
{
    /* BEGIN SOLUTION(ch08): return LC_ENOSYS; */
    struct lc_reason mine;
    struct lc_reason *w = why ? why : &mine;
    if (pid != NULL) {
        *pid = LC_NOPID;
    }
    if (spec == NULL) {
        *w = reason_of("invalid_mfa", 0);
        return LC_EINVAL;
    }
    if (check_spec(spec, w) < 0) {
        return LC_EINVAL;
    }
    struct start_req *r = lc_alloc(sizeof *r + spec->arg_size);
    if (r == NULL) {
        return LC_ENOMEM;
    }
    r->spec = *spec;
    if (spec->arg_size > 0) {
        memcpy(r->arg, spec->arg, spec->arg_size);
    }
    struct answer a = ask(sup, DYN_START_CHILD, r, sizeof *r + spec->arg_size);
    lc_free(r);
    if (pid != NULL) {
        *pid = a.pid;
    }
    if (a.rc == LC_ESTART || a.rc == LC_EINVAL) {
        *w = a.why;
    }
    return a.rc;
    /* END SOLUTION */
}

int lc_dynsup_terminate_child(lc_pid sup, lc_pid pid)
{
    /* BEGIN SOLUTION(ch08): return LC_ENOSYS; */
    return ask(sup, DYN_TERMINATE_CHILD, &pid, sizeof pid).rc;
    /* END SOLUTION */
}

size_t lc_dynsup_which_children(lc_pid sup, struct lc_dynsup_child_info *out,
                                size_t max)
{
    /* BEGIN SOLUTION(ch08): return 0; */
    struct lc_msg *m =
            lc_gs_call(sup, DYN_WHICH_CHILDREN, NULL, 0, LC_INFINITY);
    if (m == NULL) {
        return 0;
    }
    size_t n = m->size / sizeof *out;
    if (out != NULL && max > 0) {
        memcpy(out, m->data, (n < max ? n : max) * sizeof *out);
    }
    lc_msg_free(m);
    return n;
    /* END SOLUTION */
}

struct lc_sup_counts lc_dynsup_count_children(lc_pid sup)
{
    /* BEGIN SOLUTION(ch08): return (struct lc_sup_counts){ 0 }; */
    struct lc_sup_counts n = { 0 };
    struct lc_msg *m =
            lc_gs_call(sup, DYN_COUNT_CHILDREN, NULL, 0, LC_INFINITY);
    if (m != NULL && m->size == sizeof n) {
        memcpy(&n, m->data, sizeof n);
    }
    lc_msg_free(m);
    return n;
    /* END SOLUTION */
}

int lc_dynsup_stop(lc_pid sup)
{
    /* BEGIN SOLUTION(ch08): return LC_ENOSYS; */
    return lc_gs_stop(sup, lc_reason(LC_A_NORMAL), LC_INFINITY);
    /* END SOLUTION */
}
