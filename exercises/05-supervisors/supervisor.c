/*
 * supervisor.c - the supervisor (chapter 5).
 *
 * A supervisor is a generic server (chapter 4) that traps exits (chapter
 * 2). Its state is the list of its children, in start order, and the
 * restart times of the last MaxT seconds. Everything it does is one of its
 * callbacks:
 *
 *   init         check and copy the spec, start the children in order
 *                (a child that fails: stop the started ones, give up)
 *   handle_info  an EXIT from a child: restart it, if its restart type
 *                and the restart intensity allow
 *   handle_call  which_children, count_children, start_child and the
 *                management calls of chapter 6
 *   handle_cast  retry a restart that failed (sent to itself)
 *   terminate    stop every child, the last started first
 *
 * The parent's EXIT needs no code here: a trapping gen_server stops when
 * its parent does, and terminate then stops the children.
 *
 * Chapter 6 writes five functions of this supervisor (supervisor_impl.h).
 * This file carries a plain version of each, marked weak, so that chapter
 * 5 works and is graded alone; chapter 6's files replace them at link time.
 */
#include "lc/otp/supervisor.h"

#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/names.h"
#include "lc/otp/supervisor_impl.h"

/* The requests a supervisor serves (lc_gs_call / lc_gs_cast tags). */
enum {
    SUP_WHICH_CHILDREN,  /* no payload; reply: struct lc_child_info[] */
    SUP_COUNT_CHILDREN,  /* no payload; reply: struct lc_sup_counts */
    SUP_START_CHILD,     /* struct child_req; reply: struct answer */
    SUP_TERMINATE_CHILD, /* struct id_req; reply: struct answer */
    SUP_RESTART_CHILD,   /* struct id_req; reply: struct answer */
    SUP_DELETE_CHILD,    /* struct id_req; reply: struct answer */
    SUP_TRY_AGAIN        /* cast to itself: struct id_req */
};

struct id_req {
    char id[LC_CHILD_ID_MAX]; /* "" if the caller's id cannot be one */
};

/* A new child's spec, with its id and argument copied into the message:
   the supervisor must not read the caller's memory. */
struct child_req {
    struct lc_child_spec spec; /* id and (when arg_size > 0) arg unused */
    bool id_ok;                /* the id fits in 'id' */
    bool arg_ok;               /* arg_size is 0, or arg was not NULL */
    char id[LC_CHILD_ID_MAX];
    _Alignas(16) unsigned char arg[]; /* spec.arg_size bytes */
};

struct answer {
    int rc;
    lc_pid pid;
    struct lc_reason why;
};

/* What lc_sup_start_link() gives the new supervisor's init. It lives on
   the starter's stack, which waits for init to end: init copies it first,
   and writes to it only while the starter is alive. */
struct start_req {
    const struct lc_sup_spec *spec; /* or NULL for the callback form: */
    const struct lc_sup_ops *ops;
    void *arg;
    lc_pid starter;
    struct lc_sup_error *err; /* never NULL */
    int result;               /* LC_EINVAL or LC_ESTART, set by init */
};

/* --- Chapter 6's functions, plainly (weak: chapter 6 replaces them) ----- */

__attribute__((weak)) struct lc_reason lc_sup_shutdown(const struct lc_child *c)
{
    uint64_t ref = lc_monitor(c->pid);
    lc_exit_signal(c->pid, lc_reason(LC_A_SHUTDOWN));
    struct lc_msg *m = lc_receive_ref(ref, LC_INFINITY);
    struct lc_down_msg down;
    memcpy(&down, m->data, sizeof down);
    lc_msg_free(m);
    return down.reason;
}

__attribute__((weak)) enum lc_sup_fate lc_sup_fate(const struct lc_child *c,
                                                   const struct lc_reason *why)
{
    (void)c;
    (void)why;
    return LC_SUP_RESTART;
}

__attribute__((weak)) int lc_sup_restart(struct lc_sup *s, size_t i,
                                         size_t *failed)
{
    struct lc_reason why;
    if (lc_sup_start_one(s, i, &why) == LC_ESTART) {
        s->children[i].restarting = true;
        *failed = i;
        return LC_ESTART;
    }
    return 0;
}

__attribute__((weak)) int lc_sup_do_terminate_child(struct lc_sup *s,
                                                    const char *id)
{
    (void)s;
    (void)id;
    return LC_ENOSYS;
}

__attribute__((weak)) int lc_sup_do_restart_child(struct lc_sup *s,
                                                  const char *id, lc_pid *pid,
                                                  struct lc_reason *why)
{
    (void)s;
    (void)id;
    (void)pid;
    (void)why;
    return LC_ENOSYS;
}

__attribute__((weak)) int lc_sup_do_delete_child(struct lc_sup *s,
                                                 const char *id)
{
    (void)s;
    (void)id;
    return LC_ENOSYS;
}

/* --- Figures ------------------------------------------------------------ */

/*
 * Show child 'c', just started, in figures: an edge from the supervisor
 * labelled with its id, the id as its name if it has none, its restart
 * count, and a trace note for a restart. The edge is kept when the child
 * ends (LC_EDGE_KEEP): a child that is not running is drawn dashed, and a
 * restart moves the edge to the new process, so it keeps its place among
 * its siblings.
 */
static void draw(struct lc_child *c)
{
    lc_pid self = lc_self();
    int rc = LC_ENOENT;
    if (c->drawn != LC_NOPID) {
        rc = lc_edge_move(LC_EDGE_SUPERVISES, self, c->drawn, c->pid);
    }
    if (rc == LC_ENOENT) {
        rc = lc_edge_add(LC_EDGE_SUPERVISES, self, c->pid, c->id, LC_EDGE_KEEP);
    }
    if (rc == 0) {
        c->drawn = c->pid;
    }
    if (lc_name_of(c->pid) == NULL) {
        lc_proc_set_name(c->pid, c->id); /* a registered name shows itself */
    }
    if (c->starts > 1) {
        lc_proc_set_restarts(c->pid, c->starts - 1);
        char note[sizeof "restart " + LC_CHILD_ID_MAX];
        memcpy(note, "restart ", 8);
        memcpy(note + 8, c->id, strlen(c->id) + 1);
        lc_trace_note(self, c->pid, note);
    }
}

/* Say in figures what this supervisor is: "one_for_one 3/5s". */
static void describe(const struct lc_sup *s)
{
    static const char *const names[] = { "one_for_one", "one_for_all",
                                         "rest_for_one" };
    char detail[64];
    snprintf(detail, sizeof detail, "%s %d/%ds", names[s->strategy],
             s->max_restarts, s->max_seconds);
    lc_proc_set_role(lc_self(), LC_ROLE_SUPERVISOR);
    lc_proc_set_detail(lc_self(), detail);
}

/* --- Chapter 5's helpers for chapter 6 (supervisor_impl.h) -------------- */

long lc_sup_find(const struct lc_sup *s, const char *id)
{
    /* TODO(ch05): write this (see its contract comment). */
    LC_TODO("ch05");
    return -1;
}

int lc_sup_start_one(struct lc_sup *s, size_t i, struct lc_reason *why)
{
    /* TODO(ch05): write this (see its contract comment). */
    LC_TODO("ch05");
    *why = lc_reason(LC_A_TODO);
    return LC_ESTART;
}

void lc_sup_forget(struct lc_sup *s, size_t i)
{
    /* TODO(ch05): write this (see its contract comment). */
    LC_TODO("ch05");
    (void)draw;
}

/*
 * The supervisor's init: trap exits, take the spec (copy it: the caller's
 * memory may go), check it, start the children in order. A bad spec or a
 * child that fails to start ends the supervisor (LC_GS_STOP with *stop),
 * after writing what went wrong into the starter's struct start_req. The
 * callback form's init may answer LC_EIGNORE: then LC_GS_IGNORE.
 */
static int sup_init(void *arg, void **state, struct lc_reason *stop)
{
    /* TODO(ch05): write this (see its contract comment). */
    LC_TODO("ch05");
    (void)describe;
    return LC_GS_IGNORE;
}

/* An EXIT from a child (the parent's is the gen_server's business); other
   messages are dropped. */
static int sup_info(void *state, const struct lc_msg *m, struct lc_reason *stop)
{
    /* TODO(ch05): write this (see its contract comment). */
    LC_TODO("ch05");
    return LC_GS_CONTINUE;
}

/* The retry of a failed restart, if the child still waits for one. */
static int sup_cast(void *state, int tag, const void *data, size_t size,
                    struct lc_reason *stop)
{
    /* TODO(ch05): write this (see its contract comment). */
    LC_TODO("ch05");
    return LC_GS_CONTINUE;
}

/* The calls: which_children and count_children answer with their data,
   the others with a struct answer. */
static int sup_call(void *state, int tag, const void *data, size_t size,
                    struct lc_gs_from from, struct lc_reason *stop)
{
    /* TODO(ch05): write this (see its contract comment). */
    LC_TODO("ch05");
    return LC_GS_CONTINUE;
}

/* The supervisor ends (its parent ended, it gave up, or it was stopped):
   stop the children, the last started first. */
static void sup_terminate(void *state, const struct lc_reason *why)
{
    /* TODO(ch05): write this (see its contract comment). */
    LC_TODO("ch05");
}

static const struct lc_gs_ops sup_ops = {
    .init = sup_init,
    .handle_call = sup_call,
    .handle_cast = sup_cast,
    .handle_info = sup_info,
    .terminate = sup_terminate,
};

/* --- The client side ------------------------------------------------------ */

int lc_sup_start_link(const struct lc_sup_spec *spec,
                      const struct lc_sup_opts *opts, lc_pid *pid,
                      struct lc_sup_error *err)
{
    /* TODO(ch05): write this (see its contract comment). */
    LC_TODO("ch05");
    (void)sup_ops;
    return LC_ENOSYS;
}

int lc_sup_start_link_mod(const struct lc_sup_ops *ops, void *arg,
                          const struct lc_sup_opts *opts, lc_pid *pid,
                          struct lc_sup_error *err)
{
    /* TODO(ch05): write this (see its contract comment). */
    LC_TODO("ch05");
    return LC_ENOSYS;
}

int lc_sup_stop(lc_pid sup)
{
    /* TODO(ch05): write this (see its contract comment). */
    LC_TODO("ch05");
    return LC_ENOSYS;
}

size_t lc_sup_which_children(lc_pid sup, struct lc_child_info *out, size_t max)
{
    /* TODO(ch05): write this (see its contract comment). */
    LC_TODO("ch05");
    return 0;
}

struct lc_sup_counts lc_sup_count_children(lc_pid sup)
{
    /* TODO(ch05): write this (see its contract comment). */
    LC_TODO("ch05");
    return (struct lc_sup_counts){ 0 };
}

int lc_sup_start_child(lc_pid sup, const struct lc_child_spec *spec,
                       lc_pid *pid, struct lc_reason *why)
{
    /* TODO(ch05): write this (see its contract comment). */
    LC_TODO("ch05");
    return LC_ENOSYS;
}

int lc_sup_terminate_child(lc_pid sup, const char *id)
{
    /* TODO(ch05): write this (see its contract comment). */
    LC_TODO("ch05");
    return LC_ENOSYS;
}

int lc_sup_restart_child(lc_pid sup, const char *id, lc_pid *pid,
                         struct lc_reason *why)
{
    /* TODO(ch05): write this (see its contract comment). */
    LC_TODO("ch05");
    return LC_ENOSYS;
}

int lc_sup_delete_child(lc_pid sup, const char *id)
{
    /* TODO(ch05): write this (see its contract comment). */
    LC_TODO("ch05");
    return LC_ENOSYS;
}
