/*
 * application.c - applications (chapter 10): the application controller
 * and the application masters (lc/otp/application.h).
 *
 * Two kinds of process, as in OTP. The controller is a generic server,
 * registered as "application_controller", started by the first call of any
 * lc_app_* function: it keeps the loaded specs and the running
 * applications in start order, and is the only one that decides -- so two
 * processes starting the same application at once cannot both succeed. A
 * master is one plain process per running application: it runs the start
 * callback, so the top supervisor is linked to it; it traps exits, so the
 * end of the tree reaches it as a message (A5); and it stops the tree when
 * told to (A4). The controller is linked to every master (it traps too): a
 * master's EXIT is how the controller learns that an application ended.
 *
 * The controller waits inside its callbacks (for a master's answer, for a
 * master's end): a start or a stop is one step of the controller, never
 * half-done when the next request is served.
 *
 * You write the parts marked for chapter 10: the master (the start
 * callback and A2, the stop sequence of A4, the end of A5), the
 * controller's start (A1), ensure_all_started (A3), stop (A4) and what
 * happens when a master ends on its own (A5). The messages are given.
 */
#include <stdio.h>
#include <string.h>

#include "lc/otp/application.h"
#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/names.h"

/* --- Messages (given) -----------------------------------------------------
 */

enum {
    APP_LOAD = 1,  /* controller calls */
    APP_START,     /* ... */
    APP_ENSURE,    /* ... */
    APP_STOP,      /* ... */
    APP_STOP_ALL,  /* ... */
    APP_WHICH,     /* ... */
    APP_TOP,       /* ... */
    APP_HALTED,    /* ... */
    APP_ACK = 100, /* master -> controller: how the start went */
    APP_QUIT       /* controller -> master: stop the application */
};

struct app_req {
    char name[LC_APP_NAME_MAX];
    enum lc_app_type type;
    const struct lc_app_spec *spec;
};

struct app_reply {
    int rc;
    struct lc_app_error err;
    lc_pid pid;
    bool halted;
    size_t n;
    char names[LC_APP_MAX][LC_APP_NAME_MAX];
};

/* What a master tells the controller once the start callback returned. */
struct app_ack {
    int rc;
    lc_pid top;
    struct lc_reason why;
};

/* What the controller gives a new master (read before it answers). */
struct master_arg {
    const struct lc_app_spec *spec;
    lc_pid controller;
    uint64_t ref;
};

/* One running application. */
struct running {
    const struct lc_app_spec *spec;
    enum lc_app_type type;
    lc_pid master;
    lc_pid top;
};

struct ctl {
    const struct lc_app_spec *loaded[LC_APP_MAX];
    size_t nloaded;
    struct running run[LC_APP_MAX]; /* in start order */
    size_t nrun;
    /* Started, then ended on their own without halting (A5): OTP still
       counts them as started, though not running -- a dependent's start
       says {not_running, Dep}, and a stop of one is ok. */
    const struct lc_app_spec *ended[LC_APP_MAX];
    size_t nended;
    bool halted;
    struct lc_app_error halt; /* why it halted */
};

static const struct lc_app_spec *find_loaded(const struct ctl *c,
                                             const char *name)
{
    for (size_t i = 0; i < c->nloaded; i++) {
        if (strcmp(c->loaded[i]->name, name) == 0) {
            return c->loaded[i];
        }
    }
    return NULL;
}

/* The index of running application 'name' in c->run, or -1. */
static int find_running(const struct ctl *c, const char *name)
{
    for (size_t i = 0; i < c->nrun; i++) {
        if (strcmp(c->run[i].spec->name, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static int find_master(const struct ctl *c, lc_pid master)
{
    for (size_t i = 0; i < c->nrun; i++) {
        if (c->run[i].master == master) {
            return (int)i;
        }
    }
    return -1;
}

/* The index of 'name' among the applications that ended on their own,
   or -1. */
static int find_ended(const struct ctl *c, const char *name)
{
    for (size_t i = 0; i < c->nended; i++) {
        if (strcmp(c->ended[i]->name, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* Note that 'spec' ended on its own (once). */
static void remember_ended(struct ctl *c, const struct lc_app_spec *spec)
{
    if (find_ended(c, spec->name) < 0) {
        c->ended[c->nended++] = spec;
    }
}

/* It starts again, or is stopped: no longer "started but not running".
   Returns whether it was. */
static bool forget_ended(struct ctl *c, const char *name)
{
    int i = find_ended(c, name);
    if (i >= 0) {
        c->ended[i] = c->ended[--c->nended];
    }
    return i >= 0;
}

static void forget_running(struct ctl *c, int i)
{
    memmove(&c->run[i], &c->run[i + 1],
            (c->nrun - (size_t)i - 1) * sizeof c->run[0]);
    c->nrun--;
}

static bool is_exit_from(const struct lc_msg *m, const void *ctx)
{
    struct lc_exit_msg e;
    if (m->tag != LC_TAG_EXIT || m->size != sizeof e) {
        return false;
    }
    memcpy(&e, m->data, sizeof e);
    return e.from == *(const lc_pid *)ctx;
}

/* Wait for the EXIT of linked process 'pid' (the caller traps exits) and
   return its reason. */
static struct lc_reason await_exit(lc_pid pid)
{
    struct lc_msg *m = lc_receive_match(is_exit_from, &pid, LC_INFINITY);
    struct lc_exit_msg e;
    memcpy(&e, m->data, sizeof e);
    lc_msg_free(m);
    return e.reason;
}

/* The master's answer (APP_ACK with the start's reference) or its EXIT,
   whichever comes first: a start callback that raises ends the master. */
struct ack_wait {
    uint64_t ref;
    lc_pid master;
};

static bool is_ack_or_exit(const struct lc_msg *m, const void *ctx)
{
    const struct ack_wait *w = ctx;
    return (m->tag == APP_ACK && m->ref == w->ref) ||
           is_exit_from(m, &w->master);
}

/* --- The master --------------------------------------------------------------
 */

/* Run the start callback (A2). Returns 0 with *top a pid, or a negative
   code with *why set. A top that has already ended is not refused: as in
   OTP, the start succeeds and the application ends at once (A5). */
static int run_start(const struct lc_app_spec *spec, lc_pid *top, void **state,
                     struct lc_reason *why)
{
    /* TODO(ch10): write this (see its contract comment). */
    LC_TODO("ch10");
    return LC_ENOSYS;
}

/* Stop the application (A4): prep_stop while the tree still runs, the tree
   shut down -- `shutdown`, waited for as long as it takes, like a
   supervisor child of the master -- then stop. */
static void stop_tree(const struct lc_app_spec *spec, lc_pid top, void *state)
{
}

/* The tree ended on its own with 'why' (A5): the application ends too,
   after prep_stop and stop, with the tree's reason. */
static _Noreturn void tree_ended(const struct lc_app_spec *spec, void *state,
                                 struct lc_reason why)
{
    lc_exit(why);
}

/* Serve the running application until it is told to stop or its tree
   ends (given). */
static void master_loop(const struct lc_app_spec *spec, lc_pid ctl, lc_pid top,
                        void *state)
{
    for (;;) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        struct lc_exit_msg e = { 0 };
        if (m->tag == LC_TAG_EXIT) {
            memcpy(&e, m->data, sizeof e);
        }
        int tag = m->tag;
        lc_msg_free(m);
        if (tag == LC_TAG_EXIT && e.from == top) {
            tree_ended(spec, state, e.reason);
        }
        if (tag == APP_QUIT || (tag == LC_TAG_EXIT && e.from == ctl)) {
            stop_tree(spec, top, state);
            return;
        }
    }
}

static void master_main(void *p)
{
    struct master_arg a = *(const struct master_arg *)p;
    lc_trap_exit(true);
    lc_proc_set_role(lc_self(), LC_ROLE_APPLICATION);
    struct app_ack ack = { .top = LC_NOPID, .why = lc_reason(LC_A_NONE) };
    void *state = NULL;
    ack.rc = run_start(a.spec, &ack.top, &state, &ack.why);
    if (ack.rc == 0) {
        /* As OTP's master, link to the top whatever started it: one that
           has already ended then reaches master_loop as an EXIT (its reason,
           or noproc) and the application ends at once (A5). */
        lc_link(ack.top);
        lc_edge_add(LC_EDGE_SUPERVISES, lc_self(), ack.top, a.spec->name, 0);
    }
    lc_send_ref(a.controller, APP_ACK, a.ref, &ack, sizeof ack);
    if (ack.rc == 0) {
        master_loop(a.spec, a.controller, ack.top, state);
    }
}

/* --- The controller
 * ------------------------------------------------------------
 */

/* Spawn the master of 'spec', linked, and wait for its answer (given).
   Returns 0 with *r filled, or the start's error with *why set. */
static int spawn_master(const struct lc_app_spec *spec, struct running *r,
                        struct lc_reason *why)
{
    struct master_arg a = { spec, lc_self(), lc_ref_make() };
    struct lc_spawn_opts o = { .name = spec->name };
    lc_pid master;
    int rc = lc_spawn_link_opt(&master, master_main, &a, &o);
    if (rc < 0) {
        *why = lc_reason(LC_A_ENOMEM);
        return rc;
    }
    struct ack_wait w = { a.ref, master };
    struct lc_msg *m = lc_receive_match(is_ack_or_exit, &w, LC_INFINITY);
    if (m->tag != APP_ACK) { /* the callback raised: the master is gone */
        struct lc_exit_msg e;
        memcpy(&e, m->data, sizeof e);
        lc_msg_free(m);
        *why = e.reason;
        return LC_ESTART;
    }
    struct app_ack ack;
    memcpy(&ack, m->data, sizeof ack);
    lc_msg_free(m);
    if (ack.rc < 0) {
        await_exit(master); /* it ends normally: take its EXIT */
        *why = ack.why;
        return LC_ESTART;
    }
    *r = (struct running){ spec, 0, master, ack.top };
    return 0;
}

/* Start 'spec' if it may start (A1): not running, every dependency
   running -- {not_started, Dep} for one never started (or stopped),
   {not_running, Dep} for one that ended on its own. */
static int ctl_start(struct ctl *c, const struct lc_app_spec *spec,
                     enum lc_app_type type, struct lc_app_error *err)
{
    /* TODO(ch10): write this (see its contract comment). */
    LC_TODO("ch10");
    return LC_ENOSYS;
}

/* Stop running application number i (A4) and forget it. */
static void ctl_stop_one(struct ctl *c, int i)
{
}

/* Stop every running application, newest first. */
static size_t ctl_stop_all(struct ctl *c)
{
    /* TODO(ch10): write this (see its contract comment). */
    LC_TODO("ch10");
    return 0;
}

/* Start 'name' after the dependencies it lacks, depth first (A3); append
   what it started to r->names. */
static int ensure(struct ctl *c, const char *name, enum lc_app_type type,
                  struct app_reply *r, int depth)
{
    /* TODO(ch10): write this (see its contract comment). */
    LC_TODO("ch10");
    return LC_ENOSYS;
}

/* On failure, stop again what this call started, newest first. */
static int ctl_ensure(struct ctl *c, const char *name, enum lc_app_type type,
                      struct app_reply *r)
{
    /* TODO(ch10): write this (see its contract comment). */
    LC_TODO("ch10");
    return LC_ENOSYS;
}

/* Master number i ended on its own with 'why' (A5): forget it as running
   but remember it as ended (remember_ended()), report it, and halt if its
   type says so. */
static void ctl_master_ended(struct ctl *c, int i, struct lc_reason why)
{
}

/* --- The controller's server (given)
 * ------------------------------------------
 */

static int ctl_init(void *arg, void **state, struct lc_reason *stop)
{
    lc_trap_exit(true);
    *state = lc_alloc(sizeof(struct ctl));
    memset(*state, 0, sizeof(struct ctl));
    return LC_GS_CONTINUE;
}

static int ctl_load(struct ctl *c, const struct lc_app_spec *s)
{
    if (s == NULL || s->name == NULL || s->name[0] == '\0' ||
        strlen(s->name) >= LC_APP_NAME_MAX || s->start == NULL) {
        return LC_EINVAL;
    }
    if (find_loaded(c, s->name) != NULL) {
        return LC_EEXIST;
    }
    if (c->nloaded == LC_APP_MAX) {
        return LC_EMAX;
    }
    c->loaded[c->nloaded++] = s;
    return 0;
}

/* Newest first, as OTP's which_applications: its list of running
   applications grows at the head. */
static void ctl_which(const struct ctl *c, struct app_reply *r)
{
    for (size_t i = 0; i < c->nrun; i++) {
        snprintf(r->names[i], LC_APP_NAME_MAX, "%s",
                 c->run[c->nrun - 1 - i].spec->name);
    }
    r->n = c->nrun;
}

/* Stop 'name' (A4). One that ended on its own is still "started" in OTP:
   stopping it is ok, and forgets it. */
static int ctl_stop(struct ctl *c, const char *name)
{
    int i = find_running(c, name);
    if (i >= 0) {
        ctl_stop_one(c, i);
        return 0;
    }
    return forget_ended(c, name) ? 0 : LC_ENOENT;
}

static int ctl_call(void *state, int tag, const void *data, size_t size,
                    struct lc_gs_from from, struct lc_reason *stop)
{
    struct ctl *c = state;
    const struct app_req *q = data;
    struct app_reply r = { .pid = LC_NOPID };
    const struct lc_app_spec *spec = find_loaded(c, q->name);
    int i = find_running(c, q->name);
    switch (tag) {
        case APP_LOAD:
            r.rc = ctl_load(c, q->spec);
            break;
        case APP_START:
            r.rc = spec == NULL ? LC_ENOENT
                                : ctl_start(c, spec, q->type, &r.err);
            break;
        case APP_ENSURE:
            r.rc = ctl_ensure(c, q->name, q->type, &r);
            break;
        case APP_STOP:
            r.rc = ctl_stop(c, q->name);
            break;
        case APP_STOP_ALL:
            r.rc = (int)ctl_stop_all(c);
            break;
        case APP_WHICH:
            ctl_which(c, &r);
            break;
        case APP_TOP:
            r.pid = i < 0 ? LC_NOPID : c->run[i].top;
            break;
        case APP_HALTED:
            r.halted = c->halted;
            r.err = c->halt;
            break;
    }
    lc_gs_reply(from, &r, sizeof r);
    return LC_GS_CONTINUE;
}

static int ctl_info(void *state, const struct lc_msg *msg,
                    struct lc_reason *stop)
{
    struct ctl *c = state;
    if (msg->tag == LC_TAG_EXIT) {
        struct lc_exit_msg e;
        memcpy(&e, msg->data, sizeof e);
        int i = find_master(c, e.from);
        if (i >= 0) {
            ctl_master_ended(c, i, e.reason);
        }
    }
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops ctl_ops = {
    .init = ctl_init,
    .handle_call = ctl_call,
    .handle_info = ctl_info,
};

/* --- The calls (given)
 * ------------------------------------------------------------
 */

/* The controller, started (unlinked, so it outlives its first caller) if
   it does not run. */
static lc_pid controller(void)
{
    lc_pid c = lc_whereis(LC_APP_CONTROLLER);
    if (c == LC_NOPID) {
        struct lc_gs_opts o = { .name = LC_APP_CONTROLLER };
        lc_gs_start(&ctl_ops, NULL, &o, &c, NULL);
    }
    return c;
}

static struct app_reply ask(int tag, const char *name, enum lc_app_type type,
                            const struct lc_app_spec *spec)
{
    struct app_req q = { .type = type, .spec = spec };
    snprintf(q.name, sizeof q.name, "%s", name != NULL ? name : "");
    struct lc_msg *m = lc_gs_call(controller(), tag, &q, sizeof q, LC_INFINITY);
    struct app_reply r;
    memcpy(&r, m->data, sizeof r);
    lc_msg_free(m);
    return r;
}

int lc_app_load(const struct lc_app_spec *spec)
{
    return ask(APP_LOAD, NULL, 0, spec).rc;
}

int lc_app_start(const char *name, enum lc_app_type type,
                 struct lc_app_error *err)
{
    struct app_reply r = ask(APP_START, name, type, NULL);
    if (err != NULL) {
        *err = r.err;
    }
    return r.rc;
}

int lc_app_ensure_all_started(const char *name, enum lc_app_type type,
                              char (*started)[LC_APP_NAME_MAX], size_t max,
                              size_t *nstarted, struct lc_app_error *err)
{
    struct app_reply r = ask(APP_ENSURE, name, type, NULL);
    size_t n = r.rc < 0 ? 0 : r.n;
    for (size_t i = 0; started != NULL && i < n && i < max; i++) {
        memcpy(started[i], r.names[i], LC_APP_NAME_MAX);
    }
    if (nstarted != NULL) {
        *nstarted = n;
    }
    if (err != NULL) {
        *err = r.err;
    }
    return r.rc;
}

int lc_app_stop(const char *name)
{
    return ask(APP_STOP, name, 0, NULL).rc;
}

size_t lc_app_stop_all(void)
{
    return (size_t)ask(APP_STOP_ALL, NULL, 0, NULL).rc;
}

size_t lc_app_which(char (*out)[LC_APP_NAME_MAX], size_t max)
{
    struct app_reply r = ask(APP_WHICH, NULL, 0, NULL);
    for (size_t i = 0; i < r.n && i < max; i++) {
        memcpy(out[i], r.names[i], LC_APP_NAME_MAX);
    }
    return r.n;
}

lc_pid lc_app_top(const char *name)
{
    return ask(APP_TOP, name, 0, NULL).pid;
}

bool lc_app_halted(struct lc_app_error *why)
{
    struct app_reply r = ask(APP_HALTED, NULL, 0, NULL);
    if (why != NULL && r.halted) {
        *why = r.err;
    }
    return r.halted;
}
