/*
 * info.c - introspection: process info, the edge table, ghosts, the tracer
 * and the process dump.
 *
 * The edge table holds the relations the OTP layers record between
 * processes (links, monitors, supervision, registrations), so that a figure
 * or a failure report can show what the student's code built. An edge lives
 * on three lists at once:
 *
 *   - the global list in insertion order, so every listing is deterministic;
 *   - the 'edges_from' list of its 'from' process and the 'edges_to' list of
 *     its 'to' process, so that a process's exit removes its edges without
 *     scanning the whole table.
 *
 * To find an edge by (kind, from, to), edge_find() walks the two process
 * lists side by side and stops when either ends: the search costs the
 * shorter list. A hub (a registry with a million keys, a supervisor with a
 * hundred thousand children) has a long list, but each process at the other
 * end has a short one. No hash table: a generic-server call adds a monitor
 * edge and removes it again, and a hash table among a hundred thousand edges
 * cost it two cache misses each way, where the caller's own list is in the
 * cache.
 *
 * Each list is a "pprev" list: a node points at the field that points at it,
 * so it unlinks itself in O(1).
 *
 * When the 'to' end of an edge marked LC_EDGE_KEEP ends, the edge stays and
 * the kernel keeps a ghost of the process -- its name, role and exit reason --
 * until the last such edge goes: that is how a figure can show a temporary
 * child that has exited, dashed. Each kept edge points to its ghost, so
 * that a restart, which moves the edge to the new process, drops the ghost
 * without a search.
 *
 * Links and monitors come and go at every call and every restart, so the
 * table keeps a few freed nodes for the next edges (spare_nodes) instead of
 * a trip through malloc() and free() for each. Records are cleared by hand
 * rather than taken with calloc(), which skips glibc's per-thread cache of
 * small blocks.
 */
#include "kernel.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lc_edge_node {
    struct lc_edge e;                    /* what lc_edges() shows */
    struct lc_edge_node *onext, **oprev; /* global list, oldest first */
    struct lc_edge_node *fnext, **fprev; /* edges_from of e.from */
    struct lc_edge_node *tnext, **tprev; /* edges_to of e.to (NULL: dead) */
    struct lc_ghost *ghost;              /* e.to's ghost once it is dead */
};

struct lc_ghost {
    struct lc_ghost *next, **pprev; /* K.ghosts, newest first */
    struct lc_info info;  /* as it was at the end; name, detail malloc'd */
    struct lc_reason why; /* its exit reason */
    uint32_t refs;        /* kept edges that point here */
};

static void ghost_free(struct lc_ghost *g)
{
    free((char *)g->info.name);
    free((char *)g->info.detail);
    free(g);
}

/* --- Strings and process info ------------------------------------------- */

int lc__proc_set_str(char **field, const char *s)
{
    char *copy = NULL;
    if (s != NULL && (copy = strdup(s)) == NULL) {
        return LC_ENOMEM;
    }
    free(*field);
    *field = copy;
    return 0;
}

static struct lc_proc *live(lc_pid pid)
{
    struct lc_proc *p = lc__proc_lookup(pid);
    return p != NULL && p->state != LC_STATE_EXITING ? p : NULL;
}

/* Bytes of the messages a process has received and not freed, counted when
   asked rather than on every receive and free. */
static size_t held_bytes(const struct lc_proc *p)
{
    size_t n = 0;
    for (const struct lc_msg *m = p->held; m != NULL; m = m->next) {
        n += m->size;
    }
    return n;
}

static void fill_info(const struct lc_proc *p, struct lc_info *out,
                      bool touched)
{
    *out = (struct lc_info){
        .pid = p->pid,
        .parent = p->parent,
        .state = (enum lc_state)p->state,
        .role = (enum lc_role)p->role,
        .name = p->name,
        .detail = p->detail,
        .mailbox_len = p->mq_len,
        .memory = p->memory + (touched ? held_bytes(p) : 0),
        .stack_size = (size_t)(p->stack->hi - p->stack->lo),
        .stack_touched = touched ? lc__stack_touched(p->stack) : 0,
        .reductions = p->reds + (p == K.active ? lc__turn_spent() : 0),
        .restarts = p->restarts,
        .started = p->started,
    };
}

int lc_proc_info(lc_pid pid, struct lc_info *out)
{
    /* A process whose exit hooks are running is still described (state
       LC_STATE_EXITING): a hook may want its name. */
    struct lc_proc *p = lc__proc_lookup(pid);
    if (p == NULL) {
        return LC_ENOPROC;
    }
    fill_info(p, out, true);
    return 0;
}

size_t lc_proc_list(lc_pid *out, size_t max)
{
    size_t n = 0;
    for (uint32_t i = 1; i < K.tab_len; i++) {
        struct lc_proc *p = K.tab[i].p;
        if (p != NULL && p->state != LC_STATE_EXITING) {
            if (n < max) {
                out[n] = p->pid;
            }
            n++;
        }
    }
    return n;
}

int lc_proc_set_name(lc_pid pid, const char *name)
{
    struct lc_proc *p = live(pid);
    return p ? lc__proc_set_str(&p->name, name) : LC_ENOPROC;
}

int lc_proc_set_detail(lc_pid pid, const char *detail)
{
    struct lc_proc *p = live(pid);
    return p ? lc__proc_set_str(&p->detail, detail) : LC_ENOPROC;
}

int lc_proc_set_role(lc_pid pid, enum lc_role role)
{
    struct lc_proc *p = live(pid);
    if (p == NULL) {
        return LC_ENOPROC;
    }
    p->role = (uint8_t)role;
    return 0;
}

int lc_proc_set_restarts(lc_pid pid, uint32_t restarts)
{
    struct lc_proc *p = live(pid);
    if (p == NULL) {
        return LC_ENOPROC;
    }
    p->restarts = restarts;
    return 0;
}

/* --- Ghosts ------------------------------------------------------------- */

static struct lc_ghost *ghost_find(lc_pid pid)
{
    for (struct lc_ghost *g = K.ghosts; g != NULL; g = g->next) {
        if (g->info.pid == pid) {
            return g;
        }
    }
    return NULL;
}

/* The block of the last ghost dropped, for the next one (or NULL). */
static struct lc_ghost *spare_ghost;

/* One kept edge to 'g' is gone (NULL: the ghost could not be made). */
static void ghost_unref(struct lc_ghost *g)
{
    if (g == NULL || --g->refs > 0) {
        return;
    }
    *g->pprev = g->next;
    if (g->next != NULL) {
        g->next->pprev = g->pprev;
    }
    if (spare_ghost != NULL) {
        ghost_free(g);
        return;
    }
    free((char *)g->info.name);
    free((char *)g->info.detail);
    spare_ghost = g; /* a restart makes the next one at once */
}

int lc_ghost_info(lc_pid pid, struct lc_info *info, struct lc_reason *why)
{
    struct lc_ghost *g = ghost_find(pid);
    if (g == NULL) {
        return LC_ENOENT;
    }
    if (info != NULL) {
        *info = g->info;
    }
    if (why != NULL) {
        *why = g->why;
    }
    return 0;
}

/* --- The edge table ----------------------------------------------------- */

/* A link has no direction: store it with the smaller pid first. */
static void normalize(enum lc_edge_kind kind, lc_pid *from, lc_pid *to)
{
    if (kind == LC_EDGE_LINK && *from > *to) {
        lc_pid t = *from;
        *from = *to;
        *to = t;
    }
}

/*
 * The edge (kind, f, to), or NULL; 't' is the PCB of 'to', NULL once it is
 * gone. While 'to' lives, the edge is on both f's edges_from and to's
 * edges_to, so the first list to end without it proves it absent. An edge
 * kept after 'to' ended (LC_EDGE_KEEP) is on f's list only; a process that
 * ended has no edges from it. The PCBs are found whatever their state: exit
 * hooks remove the edges of a process that is ending.
 */
static struct lc_edge_node *edge_in(enum lc_edge_kind kind,
                                    const struct lc_proc *f,
                                    const struct lc_proc *t, lc_pid to)
{
    struct lc_edge_node *a = f->edges_from;
    if (t == NULL) {
        while (a != NULL && !(a->e.to == to && a->e.kind == kind)) {
            a = a->fnext;
        }
        return a;
    }
    for (struct lc_edge_node *b = t->edges_to; a != NULL && b != NULL;
         a = a->fnext, b = b->tnext) {
        if (a->e.to == to && a->e.kind == kind) {
            return a;
        }
        if (b->e.from == f->pid && b->e.kind == kind) {
            return b;
        }
    }
    return NULL;
}

/* The same, by pids ('from' NULL: no edge). */
static struct lc_edge_node *edge_find(enum lc_edge_kind kind, lc_pid from,
                                      lc_pid to)
{
    struct lc_proc *f = lc__proc_lookup(from);
    return f != NULL ? edge_in(kind, f, lc__proc_lookup(to), to) : NULL;
}

#define PUSH(head, n, nx, pv)      \
    do {                           \
        (n)->nx = (head);          \
        (n)->pv = &(head);         \
        if ((head) != NULL) {      \
            (head)->pv = &(n)->nx; \
        }                          \
        (head) = (n);              \
    } while (0)

#define UNLINK(n, nx, pv)              \
    do {                               \
        if ((n)->pv != NULL) {         \
            *(n)->pv = (n)->nx;        \
            if ((n)->nx != NULL) {     \
                (n)->nx->pv = (n)->pv; \
            }                          \
            (n)->pv = NULL;            \
        }                              \
    } while (0)

/* Freed nodes kept for the next edges: at most SPARE_MAX, chained by
   'onext'. They belong to no runtime; lc__edges_fini() frees them. */
#define SPARE_MAX 64
static struct lc_edge_node *spare_nodes;
static uint32_t spare_count;

static struct lc_edge_node *node_get(void)
{
    struct lc_edge_node *n = spare_nodes;
    if (n == NULL) {
        n = malloc(sizeof *n);
        if (n == NULL) {
            return NULL;
        }
    } else {
        spare_nodes = n->onext;
        spare_count--;
    }
    *n = (struct lc_edge_node){ 0 };
    return n;
}

static void node_put(struct lc_edge_node *n)
{
    if (spare_count == SPARE_MAX) {
        free(n);
        return;
    }
    n->onext = spare_nodes;
    spare_nodes = n;
    spare_count++;
}

/* A new edge from 'f' to 't' (edge_in() found none). */
static struct lc_edge_node *edge_new(enum lc_edge_kind kind, struct lc_proc *f,
                                     struct lc_proc *t)
{
    struct lc_edge_node *n = node_get();
    if (n == NULL) {
        return NULL;
    }
    n->e.kind = kind;
    n->e.from = f->pid;
    n->e.to = t->pid;
    n->oprev = K.edge_tail;
    *K.edge_tail = n;
    K.edge_tail = &n->onext;
    PUSH(f->edges_from, n, fnext, fprev);
    PUSH(t->edges_to, n, tnext, tprev);
    K.edge_count++;
    return n;
}

int lc_edge_add(enum lc_edge_kind kind, lc_pid from, lc_pid to,
                const char *label, unsigned flags)
{
    if ((unsigned)kind > LC_EDGE_REGISTERED || from == to) {
        return LC_EINVAL;
    }
    normalize(kind, &from, &to);
    struct lc_proc *f = live(from), *t = live(to);
    if (f == NULL || t == NULL) {
        return LC_ENOPROC;
    }
    if (K.edge_tail == NULL) {
        K.edge_tail = &K.edge_first;
    }
    struct lc_edge_node *n = edge_in(kind, f, t, to);
    if (n == NULL && (n = edge_new(kind, f, t)) == NULL) {
        return LC_ENOMEM;
    }
    char *old = (char *)n->e.label;
    if (label != NULL || old != NULL) { /* most edges have no label */
        n->e.label = NULL;
        if (label != NULL && (n->e.label = strdup(label)) == NULL) {
            n->e.label = old;
            return LC_ENOMEM;
        }
        free(old);
    }
    n->e.flags = flags;
    lc__trace(LC_EV_EDGE, from, to, (int)kind, NULL);
    return 0;
}

static void edge_unlink(struct lc_edge_node *n)
{
    if (K.edge_tail == &n->onext) {
        K.edge_tail = n->oprev;
    }
    UNLINK(n, onext, oprev);
    UNLINK(n, fnext, fprev);
    if (n->tprev != NULL) {
        UNLINK(n, tnext, tprev);
    } else {
        ghost_unref(n->ghost); /* 'to' died while the edge was kept */
    }
    K.edge_count--;
    lc__trace(LC_EV_UNEDGE, n->e.from, n->e.to, (int)n->e.kind, NULL);
    if (n->e.label != NULL) {
        free((char *)n->e.label);
    }
    node_put(n);
}

int lc_edge_remove(enum lc_edge_kind kind, lc_pid from, lc_pid to)
{
    normalize(kind, &from, &to);
    struct lc_edge_node *n = edge_find(kind, from, to);
    if (n == NULL) {
        return LC_ENOENT;
    }
    edge_unlink(n);
    return 0;
}

int lc_edge_move(enum lc_edge_kind kind, lc_pid from, lc_pid old_to,
                 lc_pid new_to)
{
    if (kind == LC_EDGE_LINK || (unsigned)kind > LC_EDGE_REGISTERED ||
        from == new_to) {
        return LC_EINVAL; /* a link has no "to" end to move */
    }
    struct lc_edge_node *n = edge_find(kind, from, old_to);
    if (n == NULL) {
        return LC_ENOENT;
    }
    struct lc_proc *t = live(new_to);
    if (t == NULL) {
        return LC_ENOPROC;
    }
    if (edge_find(kind, from, new_to) != NULL) {
        return LC_EEXIST;
    }
    if (n->tprev != NULL) {
        UNLINK(n, tnext, tprev);
    } else {
        ghost_unref(n->ghost); /* the old child had died: its ghost goes */
        n->ghost = NULL;
    }
    n->e.to = new_to;
    PUSH(t->edges_to, n, tnext, tprev);
    lc__trace(LC_EV_EDGE, from, new_to, (int)kind, NULL);
    return 0;
}

size_t lc_edges(void (*fn)(const struct lc_edge *e, void *ctx), void *ctx)
{
    size_t n = 0;
    for (struct lc_edge_node *e = K.edge_first; e != NULL; e = e->onext, n++) {
        fn(&e->e, ctx);
    }
    return n;
}

/* The ghost of 'p', which is ending, with no edge yet (NULL if out of
   memory: the figure loses a dashed box; nothing else depends on it). It
   takes over the name and detail: the exit path would free them next. */
static struct lc_ghost *ghost_new(struct lc_proc *p)
{
    struct lc_ghost *g = spare_ghost != NULL ? spare_ghost : malloc(sizeof *g);
    if (g == NULL) {
        return NULL;
    }
    spare_ghost = NULL;
    *g = (struct lc_ghost){ 0 };
    fill_info(p, &g->info, false);
    p->name = p->detail = NULL;
    g->why = p->reason;
    g->next = K.ghosts;
    g->pprev = &K.ghosts;
    if (K.ghosts != NULL) {
        K.ghosts->pprev = &g->next;
    }
    K.ghosts = g;
    return g;
}

/* 'p' is ending: drop its edges, but keep those marked LC_EDGE_KEEP that
   point to it, and leave a ghost for them. */
void lc__edges_on_exit(struct lc_proc *p)
{
    while (p->edges_from != NULL) {
        edge_unlink(p->edges_from);
    }
    struct lc_ghost *g = NULL;
    struct lc_edge_node *n = p->edges_to;
    while (n != NULL) {
        struct lc_edge_node *next = n->tnext;
        if (n->e.flags & LC_EDGE_KEEP) {
            UNLINK(n, tnext, tprev);
            if (g == NULL) {
                g = ghost_new(p);
            }
            n->ghost = g;
            if (g != NULL) {
                g->refs++;
            }
        } else {
            edge_unlink(n);
        }
        n = next;
    }
}

void lc__edges_fini(void)
{
    while (K.edge_first != NULL) {
        edge_unlink(K.edge_first);
    }
    while (K.ghosts != NULL) {
        struct lc_ghost *g = K.ghosts;
        K.ghosts = g->next;
        ghost_free(g);
    }
    K.edge_tail = NULL;
    free(spare_ghost);
    spare_ghost = NULL;
    while (spare_nodes != NULL) {
        struct lc_edge_node *n = spare_nodes;
        spare_nodes = n->onext;
        free(n);
    }
    spare_count = 0;
}

/* --- The tracer --------------------------------------------------------- */

void lc_trace_set(lc_tracer *fn, void *ctx)
{
    K.tracer = fn;
    K.tracer_ctx = ctx;
}

void lc__trace_emit(enum lc_event_kind kind, lc_pid pid, lc_pid other, int tag,
                    const struct lc_reason *r, const char *text)
{
    struct lc_event ev = {
        .seq = ++K.ev_seq,
        .time = lc_now(),
        .kind = kind,
        .pid = pid,
        .other = other,
        .tag = tag,
        .reason = r ? *r : lc_reason(LC_A_NONE),
        .text = text,
    };
    lc_tracer *fn = K.tracer;
    K.tracer = NULL; /* a tracer that triggers events must not recurse */
    fn(&ev, K.tracer_ctx);
    K.tracer = fn;
}

void lc_trace_note(lc_pid pid, lc_pid other, const char *text)
{
    if (K.tracer != NULL) {
        lc__trace_emit(LC_EV_NOTE, pid, other, 0, NULL, text);
    }
}

static const char *const edge_names[] = { "link", "monitor", "supervises",
                                          "registered" };

int lc_event_format(char *buf, size_t n, const struct lc_event *ev)
{
    char a[32], b[32], r[192];
    lc_pid_format(a, sizeof a, ev->pid);
    lc_pid_format(b, sizeof b, ev->other);
    lc_reason_format(r, sizeof r, &ev->reason);
    const char *edge = (unsigned)ev->tag < 4 ? edge_names[ev->tag] : "?";
    int t = snprintf(buf, n, "%6" PRId64 " ms  ", ev->time);
    /* Go on after the time, or after the part of it that fits, so that a
       short buffer holds the start of the line, as snprintf would. */
    size_t off = t <= 0 || n == 0 ? 0 : (size_t)t < n ? (size_t)t : n - 1;
    buf += off;
    n -= off;
    switch (ev->kind) {
        case LC_EV_SPAWN:
            return t + snprintf(buf, n, "%s spawned by %s", a, b);
        case LC_EV_EXIT:
            return t + snprintf(buf, n, "%s exit %s", a, r);
        case LC_EV_SEND:
            return t + snprintf(buf, n, "%s send %d to %s", a, ev->tag, b);
        case LC_EV_RECEIVE:
            return t + snprintf(buf, n, "%s receive %d from %s", a, ev->tag, b);
        case LC_EV_TIMEOUT:
            return t + snprintf(buf, n, "%s timeout", a);
        case LC_EV_KILL:
            return t + snprintf(buf, n, "%s kill %s: %s", a, b, r);
        case LC_EV_FAULT:
            return t + snprintf(buf, n, "%s fault %s", a, r);
        case LC_EV_EDGE:
            return t + snprintf(buf, n, "%s %s %s", a, edge, b);
        case LC_EV_UNEDGE:
            return t + snprintf(buf, n, "%s un%s %s", a, edge, b);
        case LC_EV_NOTE:
            return t +
                   snprintf(buf, n, "%s %s %s", a, ev->text ? ev->text : "", b);
    }
    return t;
}

void lc_trace_print(const struct lc_event *ev, void *ctx)
{
    char line[320];
    lc_event_format(line, sizeof line, ev);
    fprintf(ctx ? (FILE *)ctx : stderr, "%s\n", line);
}

/* --- The process dump --------------------------------------------------- */

static const char *const state_names[] = { "runnable", "running", "waiting",
                                           "exiting" };

void lc_procdump(FILE *out)
{
    fprintf(out, "%-14s %-9s %-14s %-20s %6s %8s %10s\n", "pid", "state",
            "parent", "name", "mbox", "memory", "reds");
    for (uint32_t i = 1; i < K.tab_len; i++) {
        struct lc_proc *p = K.tab[i].p;
        if (p == NULL) {
            continue;
        }
        char pid[32], parent[32];
        lc_pid_format(pid, sizeof pid, p->pid);
        lc_pid_format(parent, sizeof parent, p->parent);
        fprintf(out, "%-14s %-9s %-14s %-20s %6" PRIu32 " %8zu %10" PRIu64 "\n",
                pid, state_names[p->state & 3], parent, p->name ? p->name : "-",
                p->mq_len, p->memory + held_bytes(p), p->reds);
    }
}
