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

/* region: protocol */
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
/* endregion */

/* --- Chapter 6's functions, plainly (weak: chapter 6 replaces them) ----- */

/* region: weak */
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
/* endregion */

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

/* BEGIN SOLUTION(ch05): - */
/* --- Specs ------------------------------------------------------------- */

static struct lc_reason reason_of(const char *kind, struct lc_term value)
{
    return lc_reason_with(lc_atom_intern(kind), value);
}

static struct lc_term id_term(const char *id)
{
    return lc_atom_term(lc_atom_intern(id));
}

/* Check the flags and fill in the defaults. Returns 0, or LC_EINVAL with
 *why = {invalid_flags, N}, N the bad value. */
static int check_flags(struct lc_sup *s, const struct lc_sup_flags *f,
                       struct lc_reason *why)
{
    s->strategy = f->strategy;
    s->max_restarts = f->max_restarts;
    s->max_seconds = f->max_seconds;
    if (f->max_restarts == 0 && f->max_seconds == 0) {
        s->max_restarts = 3; /* Elixir's default: 3 restarts in 5 s */
        s->max_seconds = 5;
    }
    int64_t bad = -1;
    if ((unsigned)s->strategy > LC_REST_FOR_ONE) {
        bad = (int64_t)s->strategy;
    } else if (s->max_restarts < 0) {
        bad = s->max_restarts;
    } else if (s->max_seconds <= 0) {
        bad = s->max_seconds;
    }
    if (bad != -1) {
        *why = reason_of("invalid_flags", lc_int(bad));
        return LC_EINVAL;
    }
    return 0;
}

static bool valid_shutdown(int64_t t)
{
    return t > 0 || t == LC_SHUTDOWN_DEFAULT || t == LC_INFINITY ||
           t == LC_SHUTDOWN_BRUTAL_KILL;
}

/* Check one spec whose id is 'id' (NULL if it has none that fits) and
   fill *c with it, defaults filled in. The argument is not copied yet.
   Returns 0, or LC_EINVAL with *why = {invalid_child_spec, Id}. */
static int check_child(const struct lc_child_spec *spec, const char *id,
                       struct lc_child *c, struct lc_reason *why)
{
    bool ok = id != NULL && id[0] != '\0' && spec->start != NULL &&
              (unsigned)spec->restart <= LC_TEMPORARY &&
              (unsigned)spec->type <= LC_CHILD_SUPERVISOR &&
              valid_shutdown(spec->shutdown) &&
              (spec->arg_size == 0 || spec->arg != NULL);
    if (!ok) {
        *why = reason_of("invalid_child_spec", id_term(id ? id : ""));
        return LC_EINVAL;
    }
    *c = (struct lc_child){ .spec = *spec };
    c->spec.id = NULL;
    memcpy(c->id, id, strlen(id) + 1);
    if (c->spec.shutdown == LC_SHUTDOWN_DEFAULT) {
        c->spec.shutdown = spec->type == LC_CHILD_WORKER ? 5000 : LC_INFINITY;
    }
    return 0;
}

/* The id of a caller's spec, if it can be one. */
static const char *fitting_id(const char *id)
{
    return id != NULL && strlen(id) < LC_CHILD_ID_MAX ? id : NULL;
}

/* Add child *c at the end of the start order, copying arg[0..arg_size)
   into the supervisor's memory. */
static void append(struct lc_sup *s, const struct lc_child *c, const void *arg)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 4;
        struct lc_child *v = lc_alloc(cap * sizeof *v);
        if (v == NULL) {
            lc_error(lc_atom_term(LC_A_ENOMEM));
        }
        if (s->n > 0) {
            memcpy(v, s->children, s->n * sizeof *v);
        }
        lc_free(s->children);
        s->children = v;
        s->cap = cap;
    }
    struct lc_child *new = &s->children[s->n++];
    *new = *c;
    if (c->spec.arg_size > 0) {
        void *copy = lc_alloc(c->spec.arg_size);
        if (copy == NULL) {
            lc_error(lc_atom_term(LC_A_ENOMEM));
        }
        memcpy(copy, arg, c->spec.arg_size);
        new->spec.arg = copy;
    }
}

/* Check every child of 'spec' and copy it in, in order. Returns 0, or
   LC_EINVAL with *why (the first bad spec, or {duplicate_child_name,
   Id} for an id seen before). */
static int add_children(struct lc_sup *s, const struct lc_sup_spec *spec,
                        struct lc_reason *why)
{
    if (spec->nchildren > 0 && spec->children == NULL) {
        *why = reason_of("invalid_child_spec", id_term(""));
        return LC_EINVAL;
    }
    for (size_t i = 0; i < spec->nchildren; i++) {
        const struct lc_child_spec *cs = &spec->children[i];
        struct lc_child c;
        if (check_child(cs, fitting_id(cs->id), &c, why) < 0) {
            return LC_EINVAL;
        }
        if (lc_sup_find(s, c.id) >= 0) {
            *why = reason_of("duplicate_child_name", id_term(c.id));
            return LC_EINVAL;
        }
        append(s, &c, cs->arg);
    }
    return 0;
}

/* --- Restart intensity --------------------------------------------------- */

/* The window's second number k, oldest first. */
static struct lc_restart_second *second_at(struct lc_sup *s, size_t k)
{
    return &s->window[(s->head + k) % s->wcap];
}

/* Make room for one more second in the window (it never holds more than
   min(MaxR, MaxT) + 1: older ones are gone before it grows). */
static void grow_window(struct lc_sup *s)
{
    size_t cap = s->wcap ? 2 * s->wcap : 4;
    struct lc_restart_second *w = lc_alloc(cap * sizeof *w);
    if (w == NULL) {
        lc_error(lc_atom_term(LC_A_ENOMEM));
    }
    for (size_t k = 0; k < s->len; k++) {
        w[k] = *second_at(s, k);
    }
    lc_free(s->window);
    s->window = w;
    s->wcap = cap;
    s->head = 0;
}

/*
 * Count a restart now, as OTP's add_restart does: the restart times are
 * whole seconds of the clock; those older than now - MaxT leave the window
 * (one stamped T still counts while now <= T + MaxT); the restart is
 * allowed if the window then holds at most MaxR restarts. Returns false
 * when it holds more: the supervisor must give up.
 */
static bool add_restart(struct lc_sup *s)
{
    int64_t now = lc_now() / 1000;
    while (s->len > 0 && s->window[s->head].second < now - s->max_seconds) {
        s->in_window -= s->window[s->head].count;
        s->head = (s->head + 1) % s->wcap;
        s->len--;
    }
    struct lc_restart_second *last =
            s->len > 0 ? second_at(s, s->len - 1) : NULL;
    if (last != NULL && last->second == now) {
        last->count++;
    } else {
        if (s->len == s->wcap) {
            grow_window(s);
        }
        s->len++;
        *second_at(s, s->len - 1) = (struct lc_restart_second){ now, 1 };
    }
    s->in_window++;
    return s->in_window <= (uint64_t)s->max_restarts;
}

/* --- Children ------------------------------------------------------------ */

/* Run c's start function, catching what it raises. Returns 0 with *pid,
   LC_EIGNORE, or LC_ESTART with *why ({already_started, P} for a start
   function that found its job done by P). */
static int call_start(const struct lc_child *c, lc_pid *pid,
                      struct lc_reason *why)
{
    volatile int rc = LC_ESTART;
    *why = lc_reason(LC_A_NONE);
    LC_TRY
    {
        rc = c->spec.start((void *)c->spec.arg, pid, why);
    }
    LC_CATCH_ANY(e)
    {
        *why = e->reason; /* OTP's {'EXIT', R} */
        rc = LC_ESTART;
    }
    LC_END_TRY;
    if (rc == 0 && *pid == LC_NOPID) {
        rc = LC_EIGNORE; /* nothing to supervise */
    }
    if (rc == 0 || rc == LC_EIGNORE) {
        return rc;
    }
    if (rc == LC_EALREADY) {
        *why = lc_reason_with(LC_A_ALREADY_STARTED, lc_pid_term(*pid));
    } else if (rc > 0) {
        *why = lc_reason_with(LC_A_BAD_RETURN_VALUE, lc_int(rc));
    } else if (why->kind == LC_A_NONE) {
        *why = lc_reason_with(LC_A_ERROR, lc_int(rc));
    }
    return LC_ESTART;
}

static long find_pid(const struct lc_sup *s, lc_pid pid)
{
    for (size_t i = 0; i < s->n; i++) {
        if (s->children[i].pid == pid) {
            return (long)i;
        }
    }
    return -1;
}

/* END SOLUTION */

/* --- Chapter 5's helpers for chapter 6 (supervisor_impl.h) -------------- */

long lc_sup_find(const struct lc_sup *s, const char *id)
{
    /* BEGIN SOLUTION(ch05): return -1; */
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->children[i].id, id) == 0) {
            return (long)i;
        }
    }
    return -1;
    /* END SOLUTION */
}

int lc_sup_start_one(struct lc_sup *s, size_t i, struct lc_reason *why)
{
    /* BEGIN SOLUTION(ch05): *why = lc_reason(LC_A_TODO); return LC_ESTART; */
    struct lc_child *c = &s->children[i];
    lc_pid pid = LC_NOPID;
    int rc = call_start(c, &pid, why);
    if (rc == LC_ESTART) {
        return rc;
    }
    c->restarting = false;
    if (rc == 0) {
        c->pid = pid;
        c->starts++;
        draw(c);
    }
    return rc;
    /* END SOLUTION */
}

void lc_sup_forget(struct lc_sup *s, size_t i)
{
    /* BEGIN SOLUTION(ch05): (void)draw; */
    struct lc_child *c = &s->children[i];
    if (c->drawn != LC_NOPID && c->spec.restart != LC_TEMPORARY) {
        lc_edge_remove(LC_EDGE_SUPERVISES, lc_self(), c->drawn);
    }
    if (c->spec.arg_size > 0) {
        lc_free((void *)c->spec.arg);
    }
    memmove(c, c + 1, (s->n - i - 1) * sizeof *c);
    s->n--;
    /* END SOLUTION */
}

/* BEGIN SOLUTION(ch05): - */
/* Stop every running child, the last started first, each waited for. */
static void terminate_children(struct lc_sup *s)
{
    for (size_t i = s->n; i-- > 0;) {
        struct lc_child *c = &s->children[i];
        if (c->pid != LC_NOPID) {
            lc_sup_shutdown(c);
            c->pid = LC_NOPID;
        }
    }
}

/* Start every child in order. A temporary child that ignores its start is
   forgotten. Returns 0, or LC_ESTART with *failed and *why. */
static int start_children(struct lc_sup *s, size_t *failed,
                          struct lc_reason *why)
{
    size_t i = 0;
    while (i < s->n) {
        int rc = lc_sup_start_one(s, i, why);
        if (rc == LC_ESTART) {
            *failed = i;
            return rc;
        }
        if (rc == LC_EIGNORE && s->children[i].spec.restart == LC_TEMPORARY) {
            lc_sup_forget(s, i);
        } else {
            i++;
        }
    }
    return 0;
}

/* --- The supervisor process ---------------------------------------------- */

/* Tell the starter why the start failed. 'req' is init's copy, 'orig'
   the starter's own struct: written only while the starter waits (if it
   was killed meanwhile, its stack is gone). */
static void report(const struct start_req *req, struct start_req *orig,
                   int result, struct lc_reason reason)
{
    if (lc_alive(req->starter)) {
        orig->result = result;
        req->err->reason = reason;
    }
}

/* A child did not start: stop those that did, and give up with
   {shutdown, failed_to_start_child}, the child's id and reason for the
   starter. */
static int fail_start(struct lc_sup *s, const struct start_req *req,
                      struct start_req *orig, size_t failed,
                      struct lc_reason child_why, struct lc_reason *stop)
{
    *stop = lc_reason_with(LC_A_SHUTDOWN,
                           lc_atom_term(LC_A_FAILED_TO_START_CHILD));
    const struct lc_child *c = &s->children[failed];
    if (lc_alive(req->starter)) {
        memcpy(req->err->child, c->id, sizeof c->id);
        req->err->child_reason = child_why;
    }
    report(req, orig, LC_ESTART, *stop);
    terminate_children(s);
    return LC_GS_STOP;
}

/* The flags and children: from the caller, or from the callback's init.
   Returns 0, LC_EIGNORE, or LC_ESTART with *why. */
static int get_spec(const struct start_req *req, struct lc_sup_spec *spec,
                    struct lc_reason *why)
{
    if (req->ops == NULL) {
        *spec = *req->spec;
        return 0;
    }
    *spec = (struct lc_sup_spec){ 0 };
    int rc = req->ops->init(req->arg, spec);
    if (rc == 0 || rc == LC_EIGNORE) {
        return rc;
    }
    *why = reason_of("bad_return", lc_int(rc)); /* OTP's {bad_return, _} */
    return LC_ESTART;
}
/* END SOLUTION */

/*
 * The supervisor's init: trap exits, take the spec (copy it: the caller's
 * memory may go), check it, start the children in order. A bad spec or a
 * child that fails to start ends the supervisor (LC_GS_STOP with *stop),
 * after writing what went wrong into the starter's struct start_req. The
 * callback form's init may answer LC_EIGNORE: then LC_GS_IGNORE.
 */
static int sup_init(void *arg, void **state, struct lc_reason *stop)
{
    /* BEGIN SOLUTION(ch05): (void)describe; return LC_GS_IGNORE; */
    struct start_req req = *(const struct start_req *)arg;
    lc_trap_exit(true);
    struct lc_sup *s = lc_zalloc(sizeof *s);
    if (s == NULL) {
        lc_error(lc_atom_term(LC_A_ENOMEM));
    }
    *state = s;
    *lc_local(lc_self(), LC_LOCAL_SUP) = s;
    struct lc_sup_spec spec;
    int rc = get_spec(&req, &spec, stop);
    if (rc == LC_EIGNORE) {
        return LC_GS_IGNORE;
    }
    if (rc == 0 && (check_flags(s, &spec.flags, stop) < 0 ||
                    add_children(s, &spec, stop) < 0)) {
        rc = LC_EINVAL;
    }
    if (rc < 0) {
        report(&req, arg, rc, *stop);
        return LC_GS_STOP;
    }
    describe(s);
    size_t failed = 0;
    struct lc_reason why;
    if (start_children(s, &failed, &why) < 0) {
        return fail_start(s, &req, arg, failed, why, stop);
    }
    return LC_GS_CONTINUE;
    /* END SOLUTION */
}

/* BEGIN SOLUTION(ch05): - */
/* Child i must be restarted: count it, then restart by the strategy. Too
   many restarts: give up, with `shutdown` (terminate then stops the other
   children). A failed restart is retried by a message to itself, so that
   the requests already waiting are served first; the retry counts too. */
static int restart(struct lc_sup *s, size_t i, struct lc_reason *stop)
{
    if (!add_restart(s)) {
        lc_trace_note(lc_self(), LC_NOPID, "reached_max_restart_intensity");
        *stop = lc_reason(LC_A_SHUTDOWN);
        return LC_GS_STOP;
    }
    size_t failed = i;
    if (lc_sup_restart(s, i, &failed) < 0 && failed < s->n) {
        struct lc_child *c = &s->children[failed];
        c->restarting = true;
        struct id_req r;
        memcpy(r.id, c->id, sizeof r.id);
        lc_gs_cast(lc_self(), SUP_TRY_AGAIN, &r, sizeof r);
    }
    return LC_GS_CONTINUE;
}

/* Child i ended by itself with 'why'. */
static int child_exited(struct lc_sup *s, size_t i, const struct lc_reason *why,
                        struct lc_reason *stop)
{
    struct lc_child *c = &s->children[i];
    c->pid = LC_NOPID;
    switch (lc_sup_fate(c, why)) {
        case LC_SUP_FORGET:
            lc_sup_forget(s, i);
            return LC_GS_CONTINUE;
        case LC_SUP_KEEP:
            return LC_GS_CONTINUE;
        default:
            return restart(s, i, stop);
    }
}
/* END SOLUTION */

/* An EXIT from a child (the parent's is the gen_server's business); other
   messages are dropped. */
static int sup_info(void *state, const struct lc_msg *m, struct lc_reason *stop)
{
    /* BEGIN SOLUTION(ch05): return LC_GS_CONTINUE; */
    struct lc_sup *s = state;
    struct lc_exit_msg e;
    if (m->tag != LC_TAG_EXIT || m->size != sizeof e) {
        return LC_GS_CONTINUE;
    }
    memcpy(&e, m->data, sizeof e);
    long i = find_pid(s, e.from);
    if (i < 0) {
        return LC_GS_CONTINUE; /* not a child (any more): OTP ignores it */
    }
    return child_exited(s, (size_t)i, &e.reason, stop);
    /* END SOLUTION */
}

/* The retry of a failed restart, if the child still waits for one. */
static int sup_cast(void *state, int tag, const void *data, size_t size,
                    struct lc_reason *stop)
{
    /* BEGIN SOLUTION(ch05): return LC_GS_CONTINUE; */
    struct lc_sup *s = state;
    struct id_req r;
    if (tag != SUP_TRY_AGAIN || size != sizeof r) {
        return LC_GS_CONTINUE;
    }
    memcpy(&r, data, sizeof r);
    long i = lc_sup_find(s, r.id);
    if (i < 0 || !s->children[i].restarting) {
        return LC_GS_CONTINUE; /* stopped or deleted meanwhile */
    }
    return restart(s, (size_t)i, stop);
    /* END SOLUTION */
}

/* BEGIN SOLUTION(ch05): - */
/* The children, newest first (OTP's order). */
static void reply_which(const struct lc_sup *s, struct lc_gs_from from)
{
    size_t size = s->n * sizeof(struct lc_child_info);
    struct lc_child_info *v = lc_alloc(size ? size : 1);
    if (v == NULL) {
        lc_error(lc_atom_term(LC_A_ENOMEM));
    }
    for (size_t k = 0; k < s->n; k++) {
        const struct lc_child *c = &s->children[s->n - 1 - k];
        v[k] = (struct lc_child_info){ .pid = c->pid,
                                       .restarting = c->restarting,
                                       .type = c->spec.type };
        memcpy(v[k].id, c->id, sizeof c->id);
    }
    lc_gs_reply(from, v, size);
    lc_free(v);
}

static struct lc_sup_counts count(const struct lc_sup *s)
{
    struct lc_sup_counts n = { .specs = s->n };
    for (size_t i = 0; i < s->n; i++) {
        const struct lc_child *c = &s->children[i];
        if (c->pid != LC_NOPID && lc_alive(c->pid)) {
            n.active++;
        }
        if (c->spec.type == LC_CHILD_SUPERVISOR) {
            n.supervisors++;
        } else {
            n.workers++;
        }
    }
    return n;
}

/* start_child: check the spec, refuse a known id, append and start. A
   child that fails to start is not kept; one that ignores is kept with no
   process (unless temporary). */
static struct answer start_new(struct lc_sup *s, const struct child_req *r)
{
    struct answer a = { 0, LC_NOPID, lc_reason(LC_A_NORMAL) };
    struct lc_child_spec spec = r->spec;
    if (spec.arg_size > 0) {
        spec.arg = r->arg_ok ? r->arg : NULL;
    }
    struct lc_child c;
    a.rc = check_child(&spec, r->id_ok ? r->id : NULL, &c, &a.why);
    if (a.rc < 0) {
        return a;
    }
    long old = lc_sup_find(s, c.id);
    if (old >= 0) {
        a.pid = s->children[old].pid;
        a.rc = a.pid != LC_NOPID ? LC_EALREADY : LC_EEXIST;
        return a;
    }
    append(s, &c, r->arg);
    size_t i = s->n - 1;
    a.rc = lc_sup_start_one(s, i, &a.why);
    if (a.rc == 0) {
        a.pid = s->children[i].pid;
    } else if (a.rc == LC_EIGNORE) {
        a.rc = 0;
        if (c.spec.restart == LC_TEMPORARY) {
            lc_sup_forget(s, i);
        }
    } else {
        lc_sup_forget(s, i);
        if (a.why.kind == LC_A_ALREADY_STARTED) {
            a.rc = LC_EALREADY;
            a.pid = a.why.value.u.pid;
        }
    }
    return a;
}

/* A request's id, made a string even if the message was not. */
static const char *req_id(const void *data, size_t size, struct id_req *r)
{
    memset(r, 0, sizeof *r);
    if (size == sizeof *r) {
        memcpy(r->id, data, sizeof r->id - 1);
    }
    return r->id;
}
/* END SOLUTION */

/* The calls: which_children and count_children answer with their data,
   the others with a struct answer. */
static int sup_call(void *state, int tag, const void *data, size_t size,
                    struct lc_gs_from from, struct lc_reason *stop)
{
    /* BEGIN SOLUTION(ch05): return LC_GS_CONTINUE; */
    struct lc_sup *s = state;
    struct answer a = { LC_EINVAL, LC_NOPID, lc_reason(LC_A_NORMAL) };
    struct id_req r;
    switch (tag) {
        case SUP_WHICH_CHILDREN:
            reply_which(s, from);
            return LC_GS_CONTINUE;
        case SUP_COUNT_CHILDREN: {
            struct lc_sup_counts n = count(s);
            lc_gs_reply(from, &n, sizeof n);
            return LC_GS_CONTINUE;
        }
        case SUP_START_CHILD: {
            const struct child_req *cr = data;
            if (size >= sizeof *cr &&
                size == sizeof *cr + (cr->arg_ok ? cr->spec.arg_size : 0)) {
                a = start_new(s, cr);
            }
            break;
        }
        case SUP_TERMINATE_CHILD:
            a.rc = lc_sup_do_terminate_child(s, req_id(data, size, &r));
            break;
        case SUP_RESTART_CHILD:
            a.rc = lc_sup_do_restart_child(s, req_id(data, size, &r), &a.pid,
                                           &a.why);
            break;
        case SUP_DELETE_CHILD:
            a.rc = lc_sup_do_delete_child(s, req_id(data, size, &r));
            break;
        default:
            break;
    }
    (void)stop;
    lc_gs_reply(from, &a, sizeof a);
    return LC_GS_CONTINUE;
    /* END SOLUTION */
}

/* The supervisor ends (its parent ended, it gave up, or it was stopped):
   stop the children, the last started first. */
static void sup_terminate(void *state, const struct lc_reason *why)
{
    /* BEGIN SOLUTION(ch05): */
    (void)why;
    terminate_children(state);
    /* END SOLUTION */
}

static const struct lc_gs_ops sup_ops = {
    .init = sup_init,
    .handle_call = sup_call,
    .handle_cast = sup_cast,
    .handle_info = sup_info,
    .terminate = sup_terminate,
};

/* --- The client side ------------------------------------------------------ */

/* BEGIN SOLUTION(ch05): - */
/* Start a supervisor as a gen_server, and turn what went wrong into the
   kit's codes: init wrote LC_EINVAL or LC_ESTART into req.result. */
static int start(const struct lc_sup_spec *spec, const struct lc_sup_ops *ops,
                 void *arg, const struct lc_sup_opts *opts, lc_pid *pid,
                 struct lc_sup_error *err)
{
    struct lc_sup_error mine;
    struct start_req req = { spec, ops, arg, lc_self(), err ? err : &mine, 0 };
    memset(req.err, 0, sizeof *req.err);
    struct lc_gs_opts go = { .name = opts ? opts->name : NULL };
    lc_pid p = LC_NOPID;
    struct lc_reason why = lc_reason(LC_A_NORMAL);
    int rc = lc_gs_start_link(&sup_ops, &req, &go, &p, &why);
    if (pid != NULL) {
        *pid = p;
    }
    if (rc == LC_ESTART) {
        req.err->reason = why;
        return req.result ? req.result : LC_ESTART;
    }
    return rc;
}

/* A call to the supervisor that answers with a struct answer. */
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

/* An id in a request: one that cannot be an id becomes "", which no child
   has, so the answer is LC_ENOENT. */
static struct id_req id_req(const char *id)
{
    struct id_req r = { { 0 } };
    if (fitting_id(id) != NULL) {
        memcpy(r.id, id, strlen(id) + 1);
    }
    return r;
}
/* END SOLUTION */

int lc_sup_start_link(const struct lc_sup_spec *spec,
                      const struct lc_sup_opts *opts, lc_pid *pid,
                      struct lc_sup_error *err)
{
    /* BEGIN SOLUTION(ch05): (void)sup_ops; return LC_ENOSYS; */
    if (spec == NULL) {
        return LC_EINVAL;
    }
    return start(spec, NULL, NULL, opts, pid, err);
    /* END SOLUTION */
}

int lc_sup_start_link_mod(const struct lc_sup_ops *ops, void *arg,
                          const struct lc_sup_opts *opts, lc_pid *pid,
                          struct lc_sup_error *err)
{
    /* BEGIN SOLUTION(ch05): return LC_ENOSYS; */
    if (ops == NULL || ops->init == NULL) {
        return LC_EINVAL;
    }
    return start(NULL, ops, arg, opts, pid, err);
    /* END SOLUTION */
}

int lc_sup_stop(lc_pid sup)
{
    /* BEGIN SOLUTION(ch05): return LC_ENOSYS; */
    return lc_gs_stop(sup, lc_reason(LC_A_SHUTDOWN), LC_INFINITY);
    /* END SOLUTION */
}

size_t lc_sup_which_children(lc_pid sup, struct lc_child_info *out, size_t max)
{
    /* BEGIN SOLUTION(ch05): return 0; */
    struct lc_msg *m =
            lc_gs_call(sup, SUP_WHICH_CHILDREN, NULL, 0, LC_INFINITY);
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

struct lc_sup_counts lc_sup_count_children(lc_pid sup)
{
    /* BEGIN SOLUTION(ch05): return (struct lc_sup_counts){ 0 }; */
    struct lc_sup_counts n = { 0 };
    struct lc_msg *m =
            lc_gs_call(sup, SUP_COUNT_CHILDREN, NULL, 0, LC_INFINITY);
    if (m != NULL && m->size == sizeof n) {
        memcpy(&n, m->data, sizeof n);
    }
    lc_msg_free(m);
    return n;
    /* END SOLUTION */
}

int lc_sup_start_child(lc_pid sup, const struct lc_child_spec *spec,
                       lc_pid *pid, struct lc_reason *why)
{
    /* BEGIN SOLUTION(ch05): return LC_ENOSYS; */
    if (spec == NULL) {
        return LC_EINVAL;
    }
    /* The id and the argument travel in the message (a bad spec too:
       the supervisor says what is wrong with it). */
    bool arg_ok = spec->arg_size == 0 || spec->arg != NULL;
    size_t extra = arg_ok ? spec->arg_size : 0;
    struct child_req *r = lc_zalloc(sizeof *r + extra);
    if (r == NULL) {
        return LC_ENOMEM;
    }
    r->spec = *spec;
    r->arg_ok = arg_ok;
    r->id_ok = fitting_id(spec->id) != NULL;
    if (r->id_ok) {
        memcpy(r->id, spec->id, strlen(spec->id) + 1);
    }
    if (extra > 0) {
        memcpy(r->arg, spec->arg, extra);
    }
    struct answer a = ask(sup, SUP_START_CHILD, r, sizeof *r + extra);
    lc_free(r);
    if (pid != NULL) {
        *pid = a.pid;
    }
    if (why != NULL && (a.rc == LC_ESTART || a.rc == LC_EINVAL)) {
        *why = a.why;
    }
    return a.rc;
    /* END SOLUTION */
}

int lc_sup_terminate_child(lc_pid sup, const char *id)
{
    /* BEGIN SOLUTION(ch05): return LC_ENOSYS; */
    struct id_req r = id_req(id);
    return ask(sup, SUP_TERMINATE_CHILD, &r, sizeof r).rc;
    /* END SOLUTION */
}

int lc_sup_restart_child(lc_pid sup, const char *id, lc_pid *pid,
                         struct lc_reason *why)
{
    /* BEGIN SOLUTION(ch05): return LC_ENOSYS; */
    struct id_req r = id_req(id);
    struct answer a = ask(sup, SUP_RESTART_CHILD, &r, sizeof r);
    if (pid != NULL) {
        *pid = a.pid;
    }
    if (why != NULL && a.rc == LC_ESTART) {
        *why = a.why;
    }
    return a.rc;
    /* END SOLUTION */
}

int lc_sup_delete_child(lc_pid sup, const char *id)
{
    /* BEGIN SOLUTION(ch05): return LC_ENOSYS; */
    struct id_req r = id_req(id);
    return ask(sup, SUP_DELETE_CHILD, &r, sizeof r).rc;
    /* END SOLUTION */
}
