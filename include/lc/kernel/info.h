/*
 * info.h - looking inside a running system.
 *
 * Everything a figure, a test failure message or a debugging dump shows
 * comes from here: the state of each process, the edges the OTP layers
 * record between processes (links, monitors, supervision, names), and a
 * tracer that reports events stamped with the clock. All of it is
 * deterministic: the same run lists the same processes and edges in the same
 * order, so a figure drawn from it is byte-identical from run to run.
 */
#ifndef LC_INFO_H
#define LC_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lc/kernel/term.h"

enum lc_state {
    LC_STATE_RUNNABLE, /* in the run queue */
    LC_STATE_RUNNING,  /* the process on the CPU */
    LC_STATE_WAITING,  /* in a receive or a sleep */
    LC_STATE_EXITING   /* ended; its exit hooks are running */
};

/* What a figure draws a process as. The kernel only stores it. */
enum lc_role {
    LC_ROLE_WORKER,
    LC_ROLE_SUPERVISOR,
    LC_ROLE_REGISTRY,
    LC_ROLE_APPLICATION
};

struct lc_info {
    lc_pid pid;
    lc_pid parent; /* who spawned it (or the spawn option) */
    enum lc_state state;
    enum lc_role role;
    const char *name;     /* label or registered name, or NULL */
    const char *detail;   /* e.g. "one_for_one 3/5s", or NULL */
    size_t mailbox_len;   /* messages waiting */
    size_t memory;        /* bytes: lc_alloc() blocks and messages held */
    size_t stack_size;    /* bytes of stack reserved */
    size_t stack_touched; /* bytes of stack in RAM (pages it has touched) */
    uint64_t reductions;  /* kernel calls made so far */
    uint32_t restarts;    /* set by a supervisor: times restarted */
    int64_t started;      /* lc_now() when spawned */
};

/* Fill *out for 'pid'. The strings stay valid until the process changes them
 * or ends. Returns 0, or LC_ENOPROC. A process whose exit hooks are running
 * is still described, in state LC_STATE_EXITING. */
int lc_proc_info(lc_pid pid, struct lc_info *out);

/* Write up to 'max' live pids into out[], oldest slot first. Returns how many
 * processes are alive (which may be more than 'max'). */
size_t lc_proc_list(lc_pid *out, size_t max);

/* Set what introspection shows for a process. Strings are copied; NULL
 * clears. Each returns 0 or LC_ENOPROC (or LC_ENOMEM). */
int lc_proc_set_name(lc_pid pid, const char *name);
int lc_proc_set_detail(lc_pid pid, const char *detail);
int lc_proc_set_role(lc_pid pid, enum lc_role role);
int lc_proc_set_restarts(lc_pid pid, uint32_t restarts);

/* --- Edges between processes -------------------------------------------- */

enum lc_edge_kind {
    LC_EDGE_LINK,       /* a link: undirected */
    LC_EDGE_MONITOR,    /* 'from' monitors 'to' */
    LC_EDGE_SUPERVISES, /* 'from' supervises 'to' */
    LC_EDGE_REGISTERED  /* 'to' is registered in registry 'from' */
};

/* An edge with LC_EDGE_KEEP outlives its 'to' process: the figure shows the
 * dead process dashed (a temporary child that exited, say) until the edge is
 * removed. Other edges disappear with either end. */
#define LC_EDGE_KEEP 1u

struct lc_edge {
    enum lc_edge_kind kind;
    lc_pid from;
    lc_pid to;
    const char *label; /* e.g. the child id or the key; or NULL */
    unsigned flags;
};

/* Record an edge (a link is stored once, whichever end is 'from'). Adding an
 * edge that exists replaces its label. Returns 0, LC_ENOPROC if an end is
 * not alive, LC_EINVAL, or LC_ENOMEM. */
int lc_edge_add(enum lc_edge_kind kind, lc_pid from, lc_pid to,
                const char *label, unsigned flags);

/* Remove an edge. Returns 0, or LC_ENOENT. */
int lc_edge_remove(enum lc_edge_kind kind, lc_pid from, lc_pid to);

/* Call fn(edge, ctx) for every edge, oldest first. Returns the count. */
size_t lc_edges(void (*fn)(const struct lc_edge *e, void *ctx), void *ctx);

/*
 * What the kernel remembers of a dead process that a kept edge still points
 * to: *info as lc_proc_info() gave it just before the end (state
 * LC_STATE_EXITING; name, detail, role, restarts, parent) and *why, its exit
 * reason. Either pointer may be NULL. Returns 0, or LC_ENOENT.
 */
int lc_ghost_info(lc_pid pid, struct lc_info *info, struct lc_reason *why);

/*
 * Point the edge (kind, from, old_to) at new_to instead, keeping its place
 * in the order of edges and its label and flags: a supervisor that restarts
 * a child keeps it where it was among its siblings. Returns 0, LC_ENOENT (no
 * such edge), LC_ENOPROC (new_to not alive), LC_EEXIST (the new edge exists
 * already), or LC_EINVAL.
 */
int lc_edge_move(enum lc_edge_kind kind, lc_pid from, lc_pid old_to,
                 lc_pid new_to);

/* --- Tracing ------------------------------------------------------------ */

enum lc_event_kind {
    LC_EV_SPAWN,   /* pid was spawned by other */
    LC_EV_EXIT,    /* pid ended with reason */
    LC_EV_SEND,    /* pid sent tag to other */
    LC_EV_RECEIVE, /* pid received tag from other */
    LC_EV_TIMEOUT, /* pid's receive or sleep timed out */
    LC_EV_KILL,    /* pid told other to end with reason */
    LC_EV_FAULT,   /* pid made a hardware fault: reason */
    LC_EV_EDGE,    /* an edge was added (tag = kind) between pid and other */
    LC_EV_UNEDGE,  /* an edge was removed */
    LC_EV_NOTE     /* a layer's note: text (a restart, a start...) */
};

struct lc_event {
    uint64_t seq; /* 1, 2, 3, ... within a runtime */
    int64_t time; /* lc_now() when it happened */
    enum lc_event_kind kind;
    lc_pid pid;              /* who did it */
    lc_pid other;            /* to / from whom, or LC_NOPID */
    int tag;                 /* message tag, or edge kind */
    struct lc_reason reason; /* EXIT, KILL, FAULT */
    const char *text;        /* NOTE */
};

typedef void lc_tracer(const struct lc_event *ev, void *ctx);

/* Report every event to fn(ev, ctx), or stop with fn NULL. The tracer runs
 * where the event happens and must not send, receive or wait. */
void lc_trace_set(lc_tracer *fn, void *ctx);

/* Report a layer's event ("restart <0.5.0>"): a NOTE with 'text' (copied
 * into the event only for the duration of the tracer call). */
void lc_trace_note(lc_pid pid, lc_pid other, const char *text);

/* Write one event as a line of text, without '\n'. As snprintf. */
int lc_event_format(char *buf, size_t n, const struct lc_event *ev);

/* A ready tracer: prints each event as a line to the FILE * in 'ctx'. */
void lc_trace_print(const struct lc_event *ev, void *ctx);

/* --- Dumps -------------------------------------------------------------- */

/* Print the process table, one line per process (xv6's procdump). */
void lc_procdump(FILE *out);

struct lc_dot_opts {
    const char *title;  /* graph label, or NULL */
    bool links;         /* draw links */
    bool monitors;      /* draw monitors */
    bool supervision;   /* draw supervision edges */
    bool registrations; /* draw registry edges */
    bool lonely;        /* draw processes that have no edge */
    bool legend;        /* add a small legend */
};

/* Write the live system as a Graphviz DOT graph. NULL opts draws all edges,
 * no lonely processes, no legend. Returns 0, or LC_EINVAL on a write error. */
int lc_dot_write(FILE *out, const struct lc_dot_opts *opts);

/* Write 's' as text inside a Graphviz HTML-like label (<...>): '&', '<',
 * '>' and '"' escaped, control characters as spaces. For programs that add
 * their own words to a drawing (tools/picture.c does). */
void lc_dot_html(FILE *out, const char *s);

#endif /* LC_INFO_H */
