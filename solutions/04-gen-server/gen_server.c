/*
 * gen_server.c - the generic server (chapter 4).
 *
 * Two halves: the client side (start, call, cast, stop) runs in the
 * caller; the server side (server_main and its loop) runs in the server
 * process and calls the callbacks. They talk only by messages:
 *
 *   starter                               server
 *   -------                               ------
 *   spawn (and link), monitor it  ----->  (starts, waits for INIT)
 *   INIT {ops, arg, name}         ----->  register the name, run init
 *   waits for ACK or DOWN         <-----  ACK {result, pid, why}
 *                                         loop: CALL, CAST, STOP, info
 *
 * The starter monitors the new server for the whole handshake, so a server
 * that dies in init (or is killed) ends the wait at once, and on a failure
 * it waits for the DOWN before it returns: the server is really gone, its
 * name is free, and its EXIT (for a caller that traps exits) is already in
 * the mailbox to be flushed -- the OTP 26 rule.
 *
 * The server's record lives on its own stack for its whole life; its
 * LC_LOCAL_SERVER slot points to it so that lc_gs_reply() can tell a reply
 * given inside a callback (held until the callback is over) from one given
 * by another process (sent at once).
 */
#include "lc/otp/gen_server.h"

#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/names.h"

/* region: protocol */
/* The starter's message to a new server (tag LC_TAG_GS_INIT; its 'ref' is
   the starter's monitor on the server, which the ACK carries back). */
struct init_msg {
    const struct lc_gs_ops *ops;
    void *arg;      /* init's argument: the starter's memory */
    lc_pid starter; /* who waits for the ACK */
    bool linked;    /* started by lc_gs_start_link(): the starter is parent */
    char name[];    /* register under this name first; "" for none */
};

/* The server's answer to its starter (tag LC_TAG_GS_ACK, same 'ref'). */
struct ack_msg {
    int result;           /* 0, LC_EIGNORE, LC_EALREADY or LC_ESTART */
    lc_pid pid;           /* the server; for LC_EALREADY the name's holder */
    struct lc_reason why; /* LC_ESTART: why */
};
/* endregion */

/* BEGIN SOLUTION(ch04): - */
/* A reply given during a callback, sent when the callback is over. */
struct pending {
    struct pending *next;
    struct lc_gs_from to;
    size_t size;
    size_t room; /* bytes 'data' can hold */
    _Alignas(16) unsigned char data[];
};

/* A running server, on its own stack. */
struct server {
    const struct lc_gs_ops *ops; /* the callbacks */
    void *state;                 /* what init made; the callbacks update it */
    lc_pid parent;               /* its EXIT ends the server (when trapping) */
    struct pending *replies;     /* held replies, oldest first (lc_alloc) */
    struct pending **tail;       /* where the next one goes */
    struct pending *spare;       /* a sent reply's block, for the next */
};

/* One step of the server that runs a callback. */
typedef int step_fn(struct server *s, const struct lc_msg *m,
                    struct lc_reason *why);

/* --- The client side ---------------------------------------------------- */

/* A call or a cast on the wire: the caller's tag and bytes, framed. The
   frame is the caller's memory (lc_alloc), so a kill frees it too. */
static struct lc_gs_request *frame(int tag, const void *data, size_t size)
{
    struct lc_gs_request *r = lc_alloc(sizeof *r + size);
    if (r == NULL) {
        lc_error(lc_atom_term(LC_A_ENOMEM));
    }
    r->tag = tag;
    r->size = (uint32_t)size;
    if (size > 0) {
        memcpy(r->data, data, size);
    }
    return r;
}

/* A request of at most this many bytes is framed on the caller's stack. */
#define SMALL_REQUEST 128

/* lc_gs_call() for a small request: the frame is on the stack, so a call
   that fails leaves nothing to free and needs no handler. Most calls are
   this one, and it saves an allocation and an LC_TRY on each. */
static struct lc_msg *call_small(lc_pid server, int tag, const void *data,
                                 size_t size, int64_t timeout_ms)
{
    union {
        struct lc_gs_request r;
        unsigned char bytes[sizeof(struct lc_gs_request) + SMALL_REQUEST];
    } f;
    f.r.tag = tag;
    f.r.size = (uint32_t)size;
    if (size > 0) {
        memcpy(f.r.data, data, size);
    }
    return lc_call(server, LC_TAG_GS_CALL, &f.r, sizeof f.r + size, timeout_ms);
}

static bool is_exit_from(const struct lc_msg *m, const void *ctx)
{
    struct lc_exit_msg e;
    if (m->tag != LC_TAG_EXIT || m->size < sizeof e) {
        return false;
    }
    memcpy(&e, m->data, sizeof e);
    return e.from == *(const lc_pid *)ctx;
}

/* Wait for the DOWN of monitor 'ref' (dropping a late ACK). */
static void await_down(uint64_t ref)
{
    struct lc_msg *m;
    while ((m = lc_receive_ref(ref, LC_INFINITY))->tag != LC_TAG_DOWN) {
        lc_msg_free(m);
    }
    lc_msg_free(m);
}

/*
 * The starter's half of the handshake: wait for the ACK, the server's DOWN
 * or the timeout. After a failure, wait until the server is gone, then take
 * its EXIT out of the mailbox: a starter that traps exits never sees it (a
 * starter that does not trap was killed by the link if the reason was not
 * normal, and never gets here).
 */
static struct ack_msg await_ack(lc_pid server, uint64_t ref, int64_t timeout,
                                bool linked)
{
    struct ack_msg ack = { LC_ESTART, LC_NOPID, lc_reason(LC_A_TIMEOUT) };
    struct lc_msg *m = lc_receive_ref(ref, timeout ? timeout : LC_INFINITY);
    bool down = m != NULL && m->tag == LC_TAG_DOWN;
    if (m == NULL) {
        if (linked) {
            lc_unlink(server); /* its `killed` must not kill us */
        }
        lc_exit_signal(server, lc_reason(LC_A_KILL));
    } else if (down) {
        struct lc_down_msg d;
        memcpy(&d, m->data, sizeof d);
        ack.why = d.reason; /* it died in init without a word */
    } else {
        memcpy(&ack, m->data, sizeof ack);
    }
    lc_msg_free(m);
    if (ack.result == 0) {
        lc_demonitor(ref, LC_DEMONITOR_FLUSH);
        return ack;
    }
    if (!down) {
        await_down(ref);
    }
    lc_msg_free(lc_receive_match(is_exit_from, &server, 0));
    return ack;
}

/* --- The server side ---------------------------------------------------- */

/* Run fn as one step of the server, catching what it raises: an exception
   in a callback stops the server with the exception's reason. */
static int guarded(step_fn *fn, struct server *s, const struct lc_msg *m,
                   struct lc_reason *why)
{
    volatile int rc = LC_GS_STOP;
    LC_TRY
    {
        rc = fn(s, m, why);
    }
    LC_CATCH_ANY(e)
    {
        *why = e->reason;
        rc = LC_GS_STOP;
    }
    LC_END_TRY;
    return rc;
}

/* A block for a held reply of 'size' bytes (NULL: out of memory). A
   server holds a reply in nearly every call, so the block of the last one
   sent is kept for the next (pending_done) instead of an allocation and a
   free each time. */
#define PENDING_ROOM 64

static struct pending *pending_new(struct server *s, size_t size)
{
    struct pending *p = s->spare;
    if (p != NULL && p->room >= size) {
        s->spare = NULL;
        return p;
    }
    size_t room = size > PENDING_ROOM ? size : PENDING_ROOM;
    p = lc_alloc(sizeof *p + room);
    if (p != NULL) {
        p->room = room;
    }
    return p;
}

static void pending_done(struct server *s, struct pending *p)
{
    if (s->spare == NULL && p->room == PENDING_ROOM) {
        s->spare = p;
    } else {
        lc_free(p);
    }
}

/* Send the replies held during the last callback, in order. */
static void send_replies(struct server *s)
{
    while (s->replies != NULL) {
        struct pending *p = s->replies;
        s->replies = p->next;
        lc_send_ref(p->to.pid, LC_TAG_REPLY, p->to.ref, p->data, p->size);
        pending_done(s, p);
    }
    s->tail = &s->replies;
}

/* The end of a running server: terminate, then the held replies, then the
   exit. If terminate raises, that exception ends the server instead. */
static _Noreturn void finish(struct server *s, struct lc_reason why)
{
    if (s->ops->terminate != NULL) {
        s->ops->terminate(s->state, &why);
    }
    send_replies(s);
    lc_proc_exit(why);
}

/* A message for a callback the server does not have: an error, as calling
   a function a module does not export is in Erlang. */
static _Noreturn void missing(void)
{
    lc_error(lc_atom_term(lc_atom_intern("undef")));
}

/* The request inside a CALL or CAST, or NULL if 'm' is not well formed. */
static const struct lc_gs_request *request_of(const struct lc_msg *m)
{
    const struct lc_gs_request *r = (const void *)m->data;
    if (m->size < sizeof *r || r->size > m->size - sizeof *r) {
        return NULL;
    }
    return r;
}

static int handle_info(struct server *s, const struct lc_msg *m,
                       struct lc_reason *why)
{
    if (s->ops->handle_info == NULL) {
        return LC_GS_CONTINUE; /* dropped */
    }
    return s->ops->handle_info(s->state, m, why);
}

/* One message of the loop: which callback it is for. */
static int dispatch(struct server *s, const struct lc_msg *m,
                    struct lc_reason *why)
{
    const struct lc_gs_request *r = request_of(m);
    if (m->tag == LC_TAG_GS_CALL && r != NULL) {
        if (s->ops->handle_call == NULL) {
            missing();
        }
        struct lc_gs_from from = { m->from, m->ref };
        return s->ops->handle_call(s->state, r->tag, r->data, r->size, from,
                                   why);
    }
    if (m->tag == LC_TAG_GS_CAST && r != NULL) {
        if (s->ops->handle_cast == NULL) {
            missing();
        }
        return s->ops->handle_cast(s->state, r->tag, r->data, r->size, why);
    }
    if (m->tag == LC_TAG_GS_STOP && m->size == sizeof *why) {
        memcpy(why, m->data, sizeof *why);
        return LC_GS_STOP;
    }
    struct lc_exit_msg e;
    if (m->tag == LC_TAG_EXIT && m->size == sizeof e) {
        memcpy(&e, m->data, sizeof e);
        if (e.from == s->parent) {
            *why = e.reason; /* the parent ended: so do we */
            return LC_GS_STOP;
        }
    }
    return handle_info(s, m, why);
}

static _Noreturn void serve(struct server *s)
{
    for (;;) {
        struct lc_msg *m = lc_receive(LC_INFINITY);
        struct lc_reason why = lc_reason(LC_A_NORMAL);
        int rc = guarded(dispatch, s, m, &why);
        lc_msg_free(m);
        if (rc != LC_GS_CONTINUE) {
            if (rc != LC_GS_STOP) {
                why = lc_reason_with(LC_A_BAD_RETURN_VALUE, lc_int(rc));
            }
            finish(s, why);
        }
        send_replies(s);
    }
}

static int run_init(struct server *s, const struct lc_msg *m,
                    struct lc_reason *why)
{
    const struct init_msg *im = (const void *)m->data;
    return s->ops->init(im->arg, &s->state, why);
}

/* A failed start: tell the starter, then end with 'exit'. */
static _Noreturn void init_fail(const struct lc_msg *m, struct ack_msg ack,
                                struct lc_reason exit)
{
    const struct init_msg *im = (const void *)m->data;
    lc_send_ref(im->starter, LC_TAG_GS_ACK, m->ref, &ack, sizeof ack);
    lc_proc_exit(exit);
}

/* Register the name (before init, so init may use it), run init and
   answer the starter. Returns only if the server is to run. */
static void init_server(struct server *s, const struct lc_msg *m)
{
    const struct init_msg *im = (const void *)m->data;
    lc_pid self = lc_self();
    const char *name = im->name[0] != '\0' ? im->name : NULL;
    struct ack_msg ack = { LC_ESTART, LC_NOPID, lc_reason(LC_A_NORMAL) };
    int err = name ? lc_register(name, self) : 0;
    if (err == LC_EEXIST) { /* taken since the starter looked */
        ack = (struct ack_msg){ LC_EALREADY, lc_whereis(name), ack.why };
        init_fail(m, ack, lc_reason(LC_A_NORMAL));
    } else if (err < 0) {
        ack.why = lc_reason(LC_A_BADARG);
        init_fail(m, ack, lc_reason(LC_A_NORMAL));
    }
    int rc = guarded(run_init, s, m, &ack.why);
    if (rc == LC_GS_CONTINUE) {
        ack = (struct ack_msg){ 0, self, ack.why };
        lc_send_ref(im->starter, LC_TAG_GS_ACK, m->ref, &ack, sizeof ack);
        return;
    }
    if (name != NULL) {
        lc_unregister(name); /* free before the starter hears of it */
    }
    if (rc == LC_GS_IGNORE) {
        ack.result = LC_EIGNORE;
        init_fail(m, ack, lc_reason(LC_A_NORMAL));
    }
    if (rc != LC_GS_STOP) {
        ack.why = lc_reason_with(LC_A_BAD_RETURN_VALUE, lc_int(rc));
    }
    init_fail(m, ack, ack.why); /* terminate is not called */
}
/* END SOLUTION */

/*
 * The body of every server process. It waits for the INIT message, takes
 * the name (if any) and runs init, answers the starter with an ACK, then
 * serves: calls, casts, stop requests, its parent's EXIT (when it traps
 * exits) and any other message, each by its callback, until a callback
 * asks to stop or raises -- then terminate runs and the process exits.
 */
static void server_main(void *unused)
{
    /* BEGIN SOLUTION(ch04): */
    struct server s = { 0 };
    s.tail = &s.replies;
    *lc_local(lc_self(), LC_LOCAL_SERVER) = &s;
    struct lc_msg *m = lc_receive_tag(LC_TAG_GS_INIT, LC_INFINITY);
    const struct init_msg *im = (const void *)m->data;
    s.ops = im->ops;
    s.parent = im->linked ? im->starter : lc_self();
    init_server(&s, m);
    lc_msg_free(m);
    send_replies(&s);
    serve(&s);
    /* END SOLUTION */
}

/* BEGIN SOLUTION(ch04): - */
/* Send INIT: *head followed by the name. A short name (nearly every one)
   is framed on the stack, a longer one in the starter's memory. */
#define SHORT_NAME 64

static void send_init(lc_pid server, uint64_t ref, const struct init_msg *head,
                      const char *name)
{
    size_t len = strlen(name);
    union {
        struct init_msg im;
        char bytes[sizeof(struct init_msg) + SHORT_NAME];
    } small = { 0 };
    struct init_msg *im = &small.im;
    if (len >= SHORT_NAME) {
        im = lc_zalloc(sizeof *im + len + 1);
        if (im == NULL) {
            lc_error(lc_atom_term(LC_A_ENOMEM));
        }
    }
    *im = *head;
    memcpy(im->name, name, len + 1);
    lc_send_ref(server, LC_TAG_GS_INIT, ref, im, sizeof *im + len + 1);
    if (im != &small.im) {
        lc_free(im);
    }
}

/* The starter's half: check the name, spawn, send INIT, wait. */
static int start(const struct lc_gs_ops *ops, void *arg,
                 const struct lc_gs_opts *opts, bool linked, lc_pid *pid,
                 struct lc_reason *why)
{
    struct lc_gs_opts o = opts ? *opts : (struct lc_gs_opts){ 0 };
    lc_pid server = o.name ? lc_whereis(o.name) : LC_NOPID;
    if (server != LC_NOPID) {
        *pid = server; /* without spawning anything (OTP's N5) */
        return LC_EALREADY;
    }
    struct lc_spawn_opts so = { .stack_size = o.stack_size };
    int err = linked ? lc_spawn_link_opt(&server, server_main, NULL, &so)
                     : lc_spawn_opt(&server, server_main, NULL, &so);
    if (err < 0) {
        return err;
    }
    uint64_t ref = lc_monitor(server);
    struct init_msg im = { ops, arg, lc_self(), linked };
    send_init(server, ref, &im, o.name ? o.name : "");
    struct ack_msg ack = await_ack(server, ref, o.timeout_ms, linked);
    *pid = ack.pid;
    *why = ack.why;
    return ack.result;
}
/* END SOLUTION */

int lc_gs_start(const struct lc_gs_ops *ops, void *arg,
                const struct lc_gs_opts *opts, lc_pid *pid,
                struct lc_reason *why)
{
    /* BEGIN SOLUTION(ch04): (void)server_main; return LC_ENOSYS; */
    lc_pid p = LC_NOPID;
    struct lc_reason r = lc_reason(LC_A_NORMAL);
    int err = start(ops, arg, opts, false, &p, &r);
    if (pid != NULL) {
        *pid = p;
    }
    if (why != NULL && err == LC_ESTART) {
        *why = r;
    }
    return err;
    /* END SOLUTION */
}

int lc_gs_start_link(const struct lc_gs_ops *ops, void *arg,
                     const struct lc_gs_opts *opts, lc_pid *pid,
                     struct lc_reason *why)
{
    /* BEGIN SOLUTION(ch04): return LC_ENOSYS; */
    lc_pid p = LC_NOPID;
    struct lc_reason r = lc_reason(LC_A_NORMAL);
    int err = start(ops, arg, opts, true, &p, &r);
    if (pid != NULL) {
        *pid = p;
    }
    if (why != NULL && err == LC_ESTART) {
        *why = r;
    }
    return err;
    /* END SOLUTION */
}

struct lc_msg *lc_gs_call(lc_pid server, int tag, const void *req, size_t size,
                          int64_t timeout_ms)
{
    /* BEGIN SOLUTION(ch04): return NULL; */
    if (size <= SMALL_REQUEST) {
        return call_small(server, tag, req, size, timeout_ms);
    }
    struct lc_gs_request *r = frame(tag, req, size);
    struct lc_msg *volatile reply = NULL;
    LC_TRY
    {
        reply = lc_call(server, LC_TAG_GS_CALL, r, sizeof *r + size,
                        timeout_ms);
    }
    LC_AFTER
    {
        lc_free(r); /* also when the call fails */
    }
    LC_END_TRY;
    return reply;
    /* END SOLUTION */
}

int lc_gs_cast(lc_pid server, int tag, const void *req, size_t size)
{
    /* BEGIN SOLUTION(ch04): return 0; */
    struct lc_gs_request *r = frame(tag, req, size);
    lc_send(server, LC_TAG_GS_CAST, r, sizeof *r + size); /* never fails */
    lc_free(r);
    return 0;
    /* END SOLUTION */
}

int lc_gs_reply(struct lc_gs_from from, const void *data, size_t size)
{
    /* BEGIN SOLUTION(ch04): return LC_ENOSYS; */
    void **slot = lc_local(lc_self(), LC_LOCAL_SERVER);
    struct server *s = slot ? *slot : NULL;
    if (s == NULL) {
        return lc_send_ref(from.pid, LC_TAG_REPLY, from.ref, data, size);
    }
    /* Inside a callback: hold it until the callback is over (and, if the
       server stops, until terminate has run). */
    struct pending *p = pending_new(s, size);
    if (p == NULL) {
        return LC_ENOMEM;
    }
    p->next = NULL;
    p->to = from;
    p->size = size;
    if (size > 0) {
        memcpy(p->data, data, size);
    }
    *s->tail = p;
    s->tail = &p->next;
    return 0;
    /* END SOLUTION */
}

int lc_gs_stop(lc_pid server, struct lc_reason reason, int64_t timeout_ms)
{
    /* BEGIN SOLUTION(ch04): return LC_ENOSYS; */
    /* Not a call: the caller exits with the bare reason (OTP's
       gen_server:stop exits `noproc`, not {noproc, {gen_server, ...}}). */
    if (server == lc_self()) {
        lc_exit(lc_reason(LC_A_CALLING_SELF));
    }
    uint64_t ref = lc_monitor(server);
    lc_send_ref(server, LC_TAG_GS_STOP, ref, &reason, sizeof reason);
    struct lc_msg *m = lc_receive_ref(ref, timeout_ms);
    if (m == NULL) {
        lc_demonitor(ref, LC_DEMONITOR_FLUSH);
        lc_exit(lc_reason(LC_A_TIMEOUT)); /* the server is not killed */
    }
    struct lc_down_msg down;
    memcpy(&down, m->data, sizeof down);
    lc_msg_free(m);
    if (!lc_reason_eq(&down.reason, &reason)) {
        lc_exit(down.reason); /* noproc, or it ended some other way */
    }
    return 0;
    /* END SOLUTION */
}
