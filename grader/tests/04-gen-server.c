/*
 * 04-gen-server.c - graded tests of chapter 4: the generic server and
 * registered names (lc/otp/gen_server.h, lc/otp/names.h).
 *
 * The tests drive one callback module, the counter below, whose callbacks
 * do what the test asks (sleep in init, fail it, stop, raise...) and write
 * what happened into 'seen': how often init and terminate ran, with which
 * reason, at what time. A driver process plays the client; the test checks
 * 'seen' after lc_run() has returned. How processes ended is learnt from an
 * exit hook of the test's own, never from the code under test.
 */
#include "harness.h"

#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/names.h"

/* --- What the tests saw ------------------------------------------------- */

static struct {
    int inits, terminates;     /* how often each callback ran */
    struct lc_reason term_why; /* terminate's reason */
    int64_t term_value;        /* the counter's value in terminate */
    int64_t t[4];              /* times */
    int rc[4];                 /* return codes */
    lc_pid got[4];             /* pids returned */
    struct lc_reason why[4];   /* reasons returned or caught */
    bool ok[8];                /* yes/no observations */
    int64_t value[4];          /* values read */
    size_t count[4];           /* counts */
    int info_tags[8];          /* tags handle_info saw */
    int ninfo;
    char text[32];     /* a reply */
    lc_pid pid[4];     /* processes whose end we look at */
    lc_pid server;     /* the last server init ran in */
    bool name_in_init; /* init found its name registered */
} seen;

static void reset(void)
{
    memset(&seen, 0, sizeof seen);
}

static struct lc_reason reason2(const char *kind, int64_t v)
{
    return lc_reason_with(lc_atom_intern(kind), lc_int(v));
}

static bool reason_is(const struct lc_reason *r, struct lc_reason want)
{
    return lc_reason_eq(r, &want);
}

/* --- The counter: a callback module that does what the test asks --------- */

enum init_mode {
    INIT_OK,
    INIT_IGNORE,
    INIT_STOP,
    INIT_RAISE,
    INIT_BAD
};

struct cfg {
    enum init_mode mode;
    int64_t start;      /* the counter's first value */
    int64_t init_sleep; /* ms init sleeps first */
    int64_t term_sleep; /* ms terminate sleeps */
    bool trap;          /* init turns trapping exits on */
    const char *name;   /* init checks it is registered under this name */
    int watch;          /* 1..4: init puts its pid in seen.pid[watch - 1] */
};

enum {
    ADD = 1,          /* cast: int64_t to add */
    GET = 2,          /* call: reply int64_t */
    HOLD = 3,         /* call: no reply now; RELEASE answers it */
    RELEASE = 4,      /* cast: answer the held call with the value */
    CRASH = 5,        /* call or cast: lc_error(badarg) */
    STOP_CAST = 6,    /* cast: stop with {shutdown, 1} */
    BAD_RETURN = 7,   /* cast: return 42 */
    REPLY_STOP = 8,   /* call: reply "bye", then stop normal */
    CALL_SELF = 9,    /* call: call ourselves */
    EXIT_CALL = 10,   /* call: lc_exit({bye, 3}) */
    LINK_DOOMED = 11, /* cast: spawn_link a process that ends {boom, 1} */
    PLAIN = 40        /* a plain message, for handle_info */
};

struct counter {
    int64_t value;
    struct lc_gs_from held;
};

static int counter_init(void *arg, void **state, struct lc_reason *stop)
{
    const struct cfg *c = arg;
    seen.inits++;
    seen.server = lc_self();
    seen.name_in_init = c->name && lc_whereis(c->name) == lc_self();
    if (c->watch > 0) {
        seen.pid[c->watch - 1] = lc_self(); /* for gr_end() */
    }
    if (c->init_sleep > 0) {
        lc_sleep(c->init_sleep);
    }
    if (c->trap) {
        lc_trap_exit(true);
    }
    switch (c->mode) {
        case INIT_IGNORE:
            return LC_GS_IGNORE;
        case INIT_STOP:
            *stop = reason2("bad", 1);
            return LC_GS_STOP;
        case INIT_RAISE:
            lc_error(lc_atom_term(LC_A_BADARG));
        case INIT_BAD:
            return 99;
        default:
            break;
    }
    struct counter *s = lc_zalloc(sizeof *s);
    s->value = c->start;
    *state = s;
    return LC_GS_CONTINUE;
}

static int counter_call(void *state, int tag, const void *data, size_t size,
                        struct lc_gs_from from, struct lc_reason *stop)
{
    struct counter *s = state;
    switch (tag) {
        case GET:
            lc_gs_reply(from, &s->value, sizeof s->value);
            return LC_GS_CONTINUE;
        case HOLD:
            s->held = from;
            return LC_GS_CONTINUE;
        case CRASH:
            lc_error(lc_atom_term(LC_A_BADARG));
        case REPLY_STOP:
            lc_gs_reply(from, "bye", 4);
            *stop = lc_reason(LC_A_NORMAL);
            return LC_GS_STOP;
        case CALL_SELF:
            lc_msg_free(lc_gs_call(lc_self(), GET, NULL, 0, 1000));
            return LC_GS_CONTINUE;
        case EXIT_CALL:
            lc_exit(reason2("bye", 3));
        default:
            return LC_GS_CONTINUE;
    }
}

static void doomed(void *arg)
{
    (void)arg;
    lc_sleep(10);
    lc_proc_exit(reason2("boom", 1));
}

static int counter_cast(void *state, int tag, const void *data, size_t size,
                        struct lc_reason *stop)
{
    struct counter *s = state;
    int64_t v = 0;
    if (size == sizeof v) {
        memcpy(&v, data, sizeof v);
    }
    switch (tag) {
        case ADD:
            s->value += v;
            return LC_GS_CONTINUE;
        case RELEASE:
            lc_gs_reply(s->held, &s->value, sizeof s->value);
            return LC_GS_CONTINUE;
        case CRASH:
            lc_error(lc_atom_term(LC_A_BADARG));
        case STOP_CAST:
            *stop = reason2("shutdown", 1);
            return LC_GS_STOP;
        case BAD_RETURN:
            return 42;
        case LINK_DOOMED:
            lc_spawn_link(doomed, NULL);
            return LC_GS_CONTINUE;
        default:
            return LC_GS_CONTINUE;
    }
}

static int counter_info(void *state, const struct lc_msg *msg,
                        struct lc_reason *stop)
{
    if (seen.ninfo < 8) {
        seen.info_tags[seen.ninfo++] = msg->tag;
    }
    return LC_GS_CONTINUE;
}

static int64_t term_sleep;

static void counter_terminate(void *state, const struct lc_reason *why)
{
    struct counter *s = state;
    seen.terminates++;
    seen.term_why = *why;
    seen.term_value = s ? s->value : -1;
    if (term_sleep > 0) {
        lc_sleep(term_sleep);
    }
}

static const struct lc_gs_ops counter = {
    .init = counter_init,
    .handle_call = counter_call,
    .handle_cast = counter_cast,
    .handle_info = counter_info,
    .terminate = counter_terminate,
};

/* Client helpers. */
static void add(lc_pid server, int64_t v)
{
    lc_gs_cast(server, ADD, &v, sizeof v);
}

static int64_t get(lc_pid server)
{
    int64_t v = -1;
    struct lc_msg *r = lc_gs_call(server, GET, NULL, 0, 1000);
    if (r != NULL && r->size == sizeof v) {
        memcpy(&v, r->data, sizeof v);
    }
    lc_msg_free(r);
    return v;
}

/* Call and catch the failure: returns its reason (kind none if the call
   returned). */
static struct lc_reason try_call(lc_pid server, int tag, int64_t timeout)
{
    struct lc_reason why = lc_reason(LC_A_NONE);
    LC_TRY
    {
        lc_msg_free(lc_gs_call(server, tag, NULL, 0, timeout));
    }
    LC_CATCH(LC_CLASS_EXIT, e)
    {
        why = e->reason;
    }
    LC_END_TRY;
    return why;
}

/* Waits for messages forever, and keeps them. */
static void hoarder(void *arg)
{
    (void)arg;
    for (;;) {
        lc_receive_tag(1234, LC_INFINITY);
    }
}

/* --- Names -------------------------------------------------------------- */

static void names_basic(void *arg)
{
    (void)arg;
    lc_pid a = lc_spawn(hoarder, NULL);
    lc_pid b = lc_spawn(hoarder, NULL);
    seen.rc[0] = lc_register("alpha", a);
    seen.rc[1] = lc_register("beta", b);
    seen.got[0] = lc_whereis("alpha");
    seen.got[1] = lc_whereis("beta");
    const char *name = lc_name_of(a);
    seen.ok[0] = name != NULL && strcmp(name, "alpha") == 0;
    const char *list[4] = { NULL };
    seen.count[0] = lc_registered(list, 4);
    seen.ok[1] = list[0] && list[1] && strcmp(list[0], "alpha") == 0 &&
                 strcmp(list[1], "beta") == 0;
    struct lc_info in;
    seen.ok[2] = lc_proc_info(a, &in) == 0 && in.name != NULL &&
                 strcmp(in.name, "alpha") == 0;
    seen.rc[2] = lc_unregister("alpha");
    seen.got[2] = lc_whereis("alpha");
    seen.rc[3] = lc_unregister("alpha");
    seen.count[1] = lc_registered(list, 4);
    seen.ok[3] = lc_name_of(a) == NULL;
    seen.got[3] = a;
}

GR_TEST(register_whereis_unregister)
{
    reset();
    gr_run(names_basic, NULL);
    gr_expect_err(seen.rc[0], 0, "lc_register(\"alpha\", a) returned");
    gr_expect_err(seen.rc[1], 0, "lc_register(\"beta\", b) returned");
    ck_assert_msg(seen.got[0] == seen.got[3] && seen.got[1] != LC_NOPID &&
                          seen.got[1] != seen.got[0],
                  "lc_whereis() does not find the registered processes");
    ck_assert_msg(seen.ok[0], "lc_name_of() does not give the name");
    ck_assert_msg(seen.count[0] == 2 && seen.ok[1],
                  "lc_registered() should list alpha, beta (in that order)");
    ck_assert_msg(seen.ok[2], "the process list does not show the name: "
                              "call lc_proc_set_name()");
    gr_expect_err(seen.rc[2], 0, "lc_unregister(\"alpha\") returned");
    ck_assert_msg(seen.got[2] == LC_NOPID, "the name is still found after "
                                           "lc_unregister()");
    gr_expect_err(seen.rc[3], LC_ENOENT,
                  "lc_unregister(\"alpha\") a second time returned");
    ck_assert_msg(seen.count[1] == 1 && seen.ok[3],
                  "the unregistered name is still listed");
}

static void short_lived(void *arg)
{
    (void)arg;
}

static void names_errors(void *arg)
{
    (void)arg;
    lc_pid a = lc_spawn(hoarder, NULL);
    lc_pid b = lc_spawn(hoarder, NULL);
    lc_pid dead = lc_spawn(short_lived, NULL);
    lc_sleep(1);
    char longname[65];
    memset(longname, 'x', 64);
    longname[64] = '\0';
    int i = 0;
    seen.value[0] = lc_register("a", a);
    seen.rc[i++] = lc_register(NULL, b) == LC_EINVAL &&
                   lc_register("", b) == LC_EINVAL &&
                   lc_register("undefined", b) == LC_EINVAL &&
                   lc_register(longname, b) == LC_EINVAL;
    seen.rc[i++] = lc_register("a", b) == LC_EEXIST &&
                   lc_register("a", a) == LC_EEXIST;
    seen.rc[i++] = lc_register("d", dead) == LC_ENOPROC;
    seen.rc[i++] = lc_register("other", a) == LC_EBUSY;
    seen.ok[0] = lc_whereis("a") == a && lc_whereis("other") == LC_NOPID &&
                 lc_whereis("d") == LC_NOPID;
    longname[63] = '\0';
    seen.ok[1] = lc_register(longname, b) == 0 && lc_whereis(longname) == b;
}

GR_TEST(register_refuses_bad_requests)
{
    reset();
    gr_run(names_errors, NULL);
    gr_expect_err(seen.value[0], 0, "lc_register(\"a\", a) returned");
    ck_assert_msg(seen.rc[0], "NULL, \"\", \"undefined\" and a 64-byte name "
                              "must give LC_EINVAL");
    ck_assert_msg(seen.rc[1], "a taken name (by another process or by the "
                              "same) must give LC_EEXIST");
    ck_assert_msg(seen.rc[2], "registering a dead process must give "
                              "LC_ENOPROC");
    ck_assert_msg(seen.rc[3], "a second name for a process must give "
                              "LC_EBUSY");
    ck_assert_msg(seen.ok[0], "a refused registration changed the names");
    ck_assert_msg(seen.ok[1], "a 63-byte name must be accepted");
}

static void send_by_name(void *arg)
{
    (void)arg;
    lc_pid me = lc_self();
    seen.rc[0] = lc_register("me", me);
    seen.rc[1] = lc_send_named("me", PLAIN, "hi", 3);
    struct lc_msg *m = lc_receive_tag(PLAIN, 0);
    seen.ok[0] = m != NULL && strcmp((const char *)m->data, "hi") == 0;
    lc_msg_free(m);
    LC_TRY
    {
        lc_send_named("nobody", PLAIN, NULL, 0);
        seen.ok[1] = true; /* must not get here */
    }
    LC_CATCH(LC_CLASS_ERROR, e)
    {
        seen.why[0] = e->reason;
        seen.ok[2] = lc_term_eq(e->value, lc_atom_term(LC_A_BADARG));
    }
    LC_END_TRY;
}

GR_TEST(send_named_delivers_or_raises_badarg)
{
    reset();
    gr_run(send_by_name, NULL);
    gr_expect_err(seen.rc[0], 0, "lc_register(\"me\", me) returned");
    gr_expect_err(seen.rc[1], 0, "lc_send_named(\"me\", ...) returned");
    ck_assert_msg(seen.ok[0], "the message sent by name did not arrive");
    ck_assert_msg(!seen.ok[1], "sending to an unregistered name returned");
    ck_assert_msg(seen.ok[2],
                  "sending to an unregistered name must raise "
                  "the error badarg (raised %s)",
                  gr_reason_str(&seen.why[0]));
}

static void name_freed(void *arg)
{
    (void)arg;
    struct cfg c = { .mode = INIT_OK };
    struct lc_gs_opts o = { .name = "cache" };
    lc_pid first = LC_NOPID, second = LC_NOPID;
    seen.rc[0] = lc_gs_start(&counter, &c, &o, &first, NULL);
    seen.got[0] = lc_whereis("cache");
    uint64_t ref = lc_monitor(first);
    lc_gs_cast(first, CRASH, NULL, 0);
    struct lc_msg *m = lc_receive_ref(ref, 1000);
    seen.ok[0] = m != NULL && m->tag == LC_TAG_DOWN;
    lc_msg_free(m);
    /* The DOWN is here: the name must be free already. */
    seen.got[1] = lc_whereis("cache");
    seen.count[0] = lc_registered(NULL, 0);
    seen.rc[1] = lc_gs_start(&counter, &c, &o, &second, NULL);
    seen.got[2] = lc_whereis("cache");
    seen.got[3] = second;
    seen.got[0] = seen.got[0] == first ? first : LC_NOPID;
}

GR_TEST(name_is_free_when_down_arrives)
{
    reset();
    gr_run(name_freed, NULL);
    gr_expect_err(seen.rc[0], 0,
                  "lc_gs_start() of the first server under the name returned");
    ck_assert_msg(seen.got[0] != LC_NOPID, "the server is not found under "
                                           "its name");
    ck_assert_msg(seen.ok[0], "no DOWN for the crashed server");
    ck_assert_msg(seen.got[1] == LC_NOPID, "when the DOWN arrived the dead "
                                           "server still had its name");
    ck_assert_msg(seen.count[0] == 0, "%zu name(s) still registered",
                  seen.count[0]);
    ck_assert_msg(seen.rc[1] == 0, "restarting under the same name gave %s",
                  lc_err_name(seen.rc[1]));
    ck_assert_msg(seen.got[2] == seen.got[3] && seen.got[3] != seen.got[0],
                  "the name does not lead to the new server");
}

/* --- Starting ------------------------------------------------------------- */

static void start_waits(void *arg)
{
    (void)arg;
    struct cfg c = { .mode = INIT_OK, .start = 42, .init_sleep = 100 };
    lc_pid pid = LC_NOPID;
    seen.t[0] = lc_now();
    seen.rc[0] = lc_gs_start(&counter, &c, NULL, &pid, NULL);
    seen.t[1] = lc_now();
    seen.got[0] = pid;
    seen.ok[0] = pid != LC_NOPID && pid == seen.server && lc_alive(pid);
    seen.value[0] = get(pid);
    lc_pid out[2];
    seen.count[0] = lc_links(lc_self(), out, 2);
    c.init_sleep = 0;
    seen.rc[1] = lc_gs_start_link(&counter, &c, NULL, &pid, NULL);
    seen.count[1] = lc_links(lc_self(), out, 2);
    seen.ok[1] = seen.count[1] == 1 && out[0] == pid;
}

GR_TEST(start_returns_after_init)
{
    reset();
    gr_run(start_waits, NULL);
    gr_expect_err(seen.rc[0], 0, "lc_gs_start() returned");
    ck_assert_msg(seen.ok[0], "*pid is not the live server process");
    ck_assert_msg(seen.t[1] - seen.t[0] == 100,
                  "start returned after %lld "
                  "ms; init took 100 ms",
                  (long long)(seen.t[1] - seen.t[0]));
    ck_assert_msg(seen.value[0] == 42,
                  "the first call read %lld, not the "
                  "42 init set",
                  (long long)seen.value[0]);
    ck_assert_msg(seen.count[0] == 0, "lc_gs_start() linked the caller");
    gr_expect_err(seen.rc[1], 0, "lc_gs_start_link() returned");
    ck_assert_msg(seen.ok[1], "lc_gs_start_link() did not link the caller "
                              "to the server");
}

static void start_ignore(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    struct cfg c = { .mode = INIT_IGNORE, .watch = 1 };
    lc_pid pid = 1;
    seen.rc[0] = lc_gs_start_link(&counter, &c, NULL, &pid, NULL);
    seen.ok[0] = !lc_alive(seen.server);
    lc_sleep(10);
    seen.count[0] = lc_mailbox_len();
    seen.got[0] = pid;
}

GR_TEST(init_ignore_ends_server_normally)
{
    reset();
    gr_record_exits();
    gr_run(start_ignore, NULL);
    ck_assert_msg(seen.inits == 1, "init ran %d times", seen.inits);
    ck_assert_msg(seen.rc[0] == LC_EIGNORE,
                  "start returned %s, expected "
                  "LC_EIGNORE",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(seen.ok[0], "the server was still alive when start "
                              "returned");
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_NORMAL),
                  "the server ended with %s, expected normal",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_msg(seen.count[0] == 0,
                  "a trapping caller found %zu "
                  "message(s) (the EXIT?) after the start",
                  seen.count[0]);
    gr_expect_int(seen.terminates, 0,
                  "times terminate ran after init returned ignore");
}

static void starter_no_trap(void *arg)
{
    (void)arg;
    struct cfg c = { .mode = INIT_STOP };
    lc_pid pid;
    seen.rc[0] = lc_gs_start_link(&counter, &c, NULL, &pid, NULL);
    seen.ok[0] = true; /* must not get here: the link kills us */
}

static void init_stop_kills(void *arg)
{
    (void)arg;
    seen.pid[0] = lc_spawn(starter_no_trap, NULL);
    lc_sleep(100);
    seen.pid[1] = seen.server;
}

GR_TEST(init_stop_kills_caller_that_does_not_trap)
{
    reset();
    gr_record_exits();
    gr_run(init_stop_kills, NULL);
    ck_assert_msg(seen.inits == 1, "init ran %d times", seen.inits);
    ck_assert_msg(!seen.ok[0],
                  "lc_gs_start_link() returned (%s) to a caller "
                  "that does not trap exits: the link must kill it",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(reason_is(gr_end(seen.pid[0]), reason2("bad", 1)),
                  "the caller ended with %s, expected the server's reason "
                  "{bad, 1}",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_msg(!lc_alive(seen.pid[1]), "the server is still alive");
    ck_assert_msg(seen.terminates == 0, "terminate ran after init failed");
}

static void init_stop_trapping(void *arg)
{
    (void)arg;
    lc_trap_exit(true);
    struct cfg c = { .mode = INIT_STOP };
    lc_pid pid = 1;
    seen.rc[0] = lc_gs_start_link(&counter, &c, NULL, &pid, &seen.why[0]);
    seen.got[0] = pid;
    seen.ok[0] = !lc_alive(seen.server);
    lc_sleep(10);
    seen.count[0] = lc_mailbox_len();
}

GR_TEST(init_stop_returns_error_to_trapping_caller)
{
    reset();
    gr_run(init_stop_trapping, NULL);
    ck_assert_msg(seen.rc[0] == LC_ESTART,
                  "start returned %s, expected "
                  "LC_ESTART",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(reason_is(&seen.why[0], reason2("bad", 1)),
                  "*why is %s, expected {bad, 1}", gr_reason_str(&seen.why[0]));
    ck_assert_msg(seen.ok[0], "the server was still alive when start "
                              "returned");
    ck_assert_msg(seen.count[0] == 0,
                  "%zu message(s) left in the caller's "
                  "mailbox: the start must consume the server's EXIT",
                  seen.count[0]);
    ck_assert_msg(seen.terminates == 0, "terminate ran after init failed");
}

static void init_raise(void *arg)
{
    (void)arg;
    struct cfg c = { .mode = INIT_RAISE, .watch = 1 };
    seen.rc[0] = lc_gs_start(&counter, &c, NULL, NULL, &seen.why[0]);
    lc_trap_exit(true);
    c = (struct cfg){ .mode = INIT_BAD, .watch = 2 };
    seen.rc[1] = lc_gs_start_link(&counter, &c, NULL, NULL, &seen.why[1]);
    seen.count[0] = lc_mailbox_len();
}

GR_TEST(init_crash_fails_start)
{
    reset();
    gr_record_exits();
    struct lc_reason me = gr_run(init_raise, NULL);
    ck_assert_msg(seen.inits == 2, "init ran %d times", seen.inits);
    ck_assert_msg(seen.rc[0] == LC_ESTART, "init raised: start returned %s",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(
            seen.why[0].kind == LC_A_ERROR &&
                    lc_term_eq(seen.why[0].value, lc_atom_term(LC_A_BADARG)),
            "init raised badarg: *why is %s", gr_reason_str(&seen.why[0]));
    ck_assert_msg(lc_reason_eq(gr_end(seen.pid[0]), &seen.why[0]),
                  "the server ended with %s, not with what init raised",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_msg(seen.rc[1] == LC_ESTART &&
                          reason_is(&seen.why[1],
                                    lc_reason_with(LC_A_BAD_RETURN_VALUE,
                                                   lc_int(99))),
                  "init returned 99: start gave %s, *why %s, expected "
                  "LC_ESTART, {bad_return_value, 99}",
                  lc_err_name(seen.rc[1]), gr_reason_str(&seen.why[1]));
    ck_assert_msg(seen.count[0] == 0, "the EXIT was left in the mailbox");
    ck_assert_msg(gr_reason_is(&me, LC_A_NORMAL),
                  "the caller of "
                  "lc_gs_start() (no link) ended with %s",
                  gr_reason_str(&me));
}

static void init_slow(void *arg)
{
    (void)arg;
    struct cfg c = { .mode = INIT_OK, .init_sleep = 1000, .watch = 1 };
    struct lc_gs_opts o = { .timeout_ms = 100, .name = "slow" };
    seen.t[0] = lc_now();
    seen.rc[0] = lc_gs_start_link(&counter, &c, &o, NULL, &seen.why[0]);
    seen.t[1] = lc_now();
    seen.ok[0] = !lc_alive(seen.server);
    seen.got[0] = lc_whereis("slow");
    lc_sleep(2000);
}

GR_TEST(init_timeout_kills_server)
{
    reset();
    gr_record_exits();
    struct lc_reason me = gr_run(init_slow, NULL);
    ck_assert_msg(seen.rc[0] == LC_ESTART &&
                          gr_reason_is(&seen.why[0], LC_A_TIMEOUT),
                  "start gave %s with *why %s, expected LC_ESTART, timeout",
                  lc_err_name(seen.rc[0]), gr_reason_str(&seen.why[0]));
    ck_assert_msg(seen.t[1] - seen.t[0] == 100,
                  "start gave up after %lld ms "
                  "instead of 100",
                  (long long)(seen.t[1] - seen.t[0]));
    ck_assert_msg(seen.ok[0] && gr_reason_is(gr_end(seen.pid[0]), LC_A_KILLED),
                  "the slow server must be killed (it ended with %s)",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_msg(seen.got[0] == LC_NOPID, "the killed server's name is "
                                           "still registered");
    ck_assert_msg(gr_reason_is(&me, LC_A_NORMAL),
                  "the caller ended with %s: "
                  "unlink before killing the server",
                  gr_reason_str(&me));
}

/* --- Names and starting ------------------------------------------------- */

static int spawns;
static bool counting;

static void count_spawns(const struct lc_event *ev, void *ctx)
{
    (void)ctx;
    if (counting && ev->kind == LC_EV_SPAWN) {
        spawns++;
    }
}

static void already(void *arg)
{
    (void)arg;
    lc_pid holder = lc_spawn(hoarder, NULL);
    lc_register("db", holder);
    struct cfg c = { .mode = INIT_OK };
    struct lc_gs_opts o = { .name = "db" };
    lc_pid pid = LC_NOPID;
    counting = true;
    seen.rc[0] = lc_gs_start(&counter, &c, &o, &pid, NULL);
    counting = false;
    seen.ok[0] = pid == holder;
    o.name = "cache";
    seen.rc[1] = lc_gs_start(&counter, &c, &o, &seen.got[1], NULL);
    seen.rc[2] = lc_gs_start_link(&counter, &c, &o, &seen.got[2], NULL);
}

GR_TEST(start_with_taken_name_is_already_started)
{
    reset();
    spawns = 0;
    counting = false;
    lc_init(NULL);
    lc_trace_set(count_spawns, NULL);
    gr_run(already, NULL);
    ck_assert_msg(seen.rc[0] == LC_EALREADY,
                  "a name held by another "
                  "process: start gave %s",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(seen.ok[0], "*pid must be the process that has the name");
    ck_assert_msg(spawns == 0,
                  "%d process(es) were spawned for a start "
                  "whose name was taken: check lc_whereis() first",
                  spawns);
    gr_expect_err(seen.rc[1], 0, "lc_gs_start() under a free name returned");
    ck_assert_msg(seen.rc[2] == LC_EALREADY && seen.got[2] == seen.got[1],
                  "a second start of \"cache\" gave %s",
                  lc_err_name(seen.rc[2]));
    ck_assert_msg(seen.inits == 1, "init ran %d times for one server",
                  seen.inits);
}

static void racer(void *arg)
{
    int i = *(int *)arg;
    struct cfg c = { .mode = INIT_OK };
    struct lc_gs_opts o = { .name = "race" };
    seen.rc[i] = lc_gs_start(&counter, &c, &o, &seen.got[i], NULL);
}

static void race(void *arg)
{
    (void)arg;
    static int ids[2] = { 0, 1 };
    lc_spawn(racer, &ids[0]);
    lc_spawn(racer, &ids[1]);
    lc_sleep(100);
    seen.got[2] = lc_whereis("race");
    seen.count[0] = lc_proc_list(NULL, 0);
}

GR_TEST(racing_starts_one_wins)
{
    reset();
    gr_run(race, NULL);
    int winner = seen.rc[0] == 0 ? 0 : 1;
    int loser = 1 - winner;
    ck_assert_msg(seen.rc[winner] == 0 && seen.rc[loser] == LC_EALREADY,
                  "two starts of \"race\" gave %s and %s: one must win, the "
                  "other get LC_EALREADY",
                  lc_err_name(seen.rc[0]), lc_err_name(seen.rc[1]));
    ck_assert_msg(seen.got[loser] == seen.got[winner] &&
                          seen.got[2] == seen.got[winner],
                  "the loser must get the winner's pid");
    ck_assert_msg(seen.inits == 1,
                  "init ran %d times: the server must "
                  "register its name before init",
                  seen.inits);
    ck_assert_msg(seen.count[0] == 2,
                  "%zu processes alive: the driver and "
                  "one server expected",
                  seen.count[0]);
}

static void name_before_init(void *arg)
{
    (void)arg;
    struct cfg c = { .mode = INIT_STOP, .name = "early" };
    struct lc_gs_opts o = { .name = "early" };
    lc_trap_exit(true);
    seen.rc[0] = lc_gs_start_link(&counter, &c, &o, NULL, NULL);
    seen.ok[0] = seen.name_in_init;
    seen.got[0] = lc_whereis("early");
    c.mode = INIT_OK;
    seen.rc[1] = lc_gs_start_link(&counter, &c, &o, &seen.got[1], NULL);
    seen.ok[1] = seen.name_in_init && lc_whereis("early") == seen.got[1];
}

GR_TEST(name_taken_before_init_and_freed_on_failure)
{
    reset();
    gr_run(name_before_init, NULL);
    ck_assert_msg(seen.rc[0] == LC_ESTART, "init stopped: start gave %s",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(seen.ok[0], "init did not find its name registered: the "
                              "server registers before init runs");
    ck_assert_msg(seen.got[0] == LC_NOPID, "after a failed start the name "
                                           "is still taken");
    ck_assert_msg(seen.rc[1] == 0 && seen.ok[1],
                  "starting again under the "
                  "same name gave %s",
                  lc_err_name(seen.rc[1]));
}

/* --- Calls, casts and messages ------------------------------------------ */

static void ordering(void *arg)
{
    (void)arg;
    struct cfg c = { .mode = INIT_OK, .start = 0 };
    lc_pid s = LC_NOPID;
    lc_gs_start(&counter, &c, NULL, &s, NULL);
    add(s, 1);
    add(s, 2);
    seen.value[0] = get(s);
    add(s, 10);
    seen.value[1] = get(s);
    lc_send(s, PLAIN, NULL, 0);
    add(s, 100);
    seen.value[2] = get(s);
    seen.rc[0] = lc_gs_cast(s, 77, "?", 1); /* unknown: ignored */
    seen.value[3] = get(s);
}

GR_TEST(calls_and_casts_in_order)
{
    reset();
    gr_run(ordering, NULL);
    ck_assert_msg(seen.value[0] == 3, "cast 1, cast 2, call get: got %lld",
                  (long long)seen.value[0]);
    ck_assert_msg(seen.value[1] == 13, "then cast 10, call get: got %lld",
                  (long long)seen.value[1]);
    ck_assert_msg(seen.ninfo == 1 && seen.info_tags[0] == PLAIN,
                  "a plain message must go to handle_info");
    ck_assert_msg(seen.value[2] == 113 && seen.value[3] == 113,
                  "after the plain message and cast 100: got %lld",
                  (long long)seen.value[2]);
    gr_expect_err(
            seen.rc[0], 0,
            "lc_gs_cast(s, 77 (a tag the server does not know)) returned");
}

static void later(void *arg)
{
    (void)arg;
    struct cfg c = { .mode = INIT_OK, .start = 5 };
    lc_pid s = LC_NOPID;
    lc_gs_start(&counter, &c, NULL, &s, NULL);
    seen.pid[0] = s;
    struct lc_msg *r = lc_gs_call(s, HOLD, NULL, 0, 1000); /* held */
    if (r != NULL && r->tag == LC_TAG_REPLY && r->size == 8) {
        memcpy(&seen.value[0], r->data, 8);
        seen.t[0] = lc_now();
    }
    lc_msg_free(r);
}

static void releaser(void *arg)
{
    (void)arg;
    lc_sleep(50);
    lc_gs_cast(seen.pid[0], RELEASE, NULL, 0);
}

static void reply_later(void *arg)
{
    lc_spawn(releaser, NULL);
    later(arg);
}

GR_TEST(reply_from_a_later_callback)
{
    reset();
    gr_run(reply_later, NULL);
    ck_assert_msg(seen.value[0] == 5 && seen.t[0] == 50,
                  "the held call was answered with %lld at %lld ms, "
                  "expected 5 at 50 ms (when RELEASE came)",
                  (long long)seen.value[0], (long long)seen.t[0]);
}

static void call_failures(void *arg)
{
    (void)arg;
    struct cfg c = { .mode = INIT_OK };
    lc_pid s = LC_NOPID;
    lc_gs_start(&counter, &c, NULL, &s, NULL);
    seen.t[0] = lc_now();
    seen.why[0] = try_call(s, HOLD, 300);
    seen.t[1] = lc_now();
    seen.ok[0] = lc_alive(s); /* a timeout does not hurt the server */
    seen.pid[0] = s;
    seen.why[1] = try_call(s, CRASH, 1000);
    seen.t[2] = lc_now();
}

GR_TEST(call_times_out_or_fails_with_server)
{
    reset();
    gr_record_exits();
    gr_run(call_failures, NULL);
    ck_assert_msg(seen.why[0].kind == LC_A_TIMEOUT &&
                          seen.why[0].via == LC_A_CALL,
                  "a call nobody answers: the caller exited with %s, "
                  "expected {timeout, {call}}",
                  gr_reason_str(&seen.why[0]));
    gr_expect_int(seen.t[1] - seen.t[0], 300,
                  "ms a call nobody answers, with a 300 ms timeout, waited");
    ck_assert_msg(seen.ok[0], "the server died of a call that timed out");
    ck_assert_msg(
            seen.why[1].kind == LC_A_ERROR && seen.why[1].via == LC_A_CALL &&
                    lc_term_eq(seen.why[1].value, lc_atom_term(LC_A_BADARG)),
            "handle_call raised badarg: the caller exited with %s, "
            "expected {{badarg, ...}, {call}}",
            gr_reason_str(&seen.why[1]));
    gr_expect_int(seen.t[2] - seen.t[1], 0,
                  "ms a call whose handle_call raised took to fail");
    ck_assert_msg(seen.terminates == 1 && seen.term_why.kind == LC_A_ERROR,
                  "terminate must run once with the error (ran %d times)",
                  seen.terminates);
    ck_assert_msg(lc_reason_eq(gr_end(seen.pid[0]), &seen.term_why),
                  "the server ended with %s, terminate was told %s",
                  gr_reason_str(gr_end(seen.pid[0])),
                  gr_reason_str(&seen.term_why));
}

static void call_nobody(void *arg)
{
    (void)arg;
    struct cfg c = { .mode = INIT_OK };
    lc_pid s = LC_NOPID;
    lc_gs_start(&counter, &c, NULL, &s, NULL);
    lc_gs_stop(s, lc_reason(LC_A_NORMAL), LC_INFINITY);
    seen.t[0] = lc_now();
    seen.why[0] = try_call(s, GET, 1000);
    seen.why[1] = try_call(lc_whereis("nobody"), GET, 1000);
    seen.t[1] = lc_now();
    seen.rc[0] = lc_gs_cast(s, ADD, NULL, 0);
    seen.rc[1] = lc_gs_cast(LC_NOPID, ADD, NULL, 0);
    lc_gs_start(&counter, &c, NULL, &s, NULL);
    seen.pid[0] = s;
    seen.why[2] = try_call(s, CALL_SELF, 1000);
}

GR_TEST(call_to_dead_unknown_or_self_fails_at_once)
{
    reset();
    gr_record_exits();
    gr_run(call_nobody, NULL);
    ck_assert_msg(seen.why[0].kind == LC_A_NOPROC &&
                          seen.why[0].via == LC_A_CALL,
                  "calling a stopped server: %s, expected {noproc, {call}}",
                  gr_reason_str(&seen.why[0]));
    ck_assert_msg(seen.why[1].kind == LC_A_NOPROC &&
                          seen.why[1].via == LC_A_CALL,
                  "calling an unknown name (pid 0): %s, expected {noproc, "
                  "{call}}",
                  gr_reason_str(&seen.why[1]));
    ck_assert_msg(seen.t[1] == seen.t[0],
                  "the failed calls took %lld ms: "
                  "they must fail at once",
                  (long long)(seen.t[1] - seen.t[0]));
    ck_assert_msg(seen.rc[0] == 0 && seen.rc[1] == 0,
                  "lc_gs_cast() must return 0 even with no server");
    ck_assert_msg(gr_end(seen.pid[0])->kind == LC_A_CALLING_SELF &&
                          gr_end(seen.pid[0])->via == LC_A_CALL,
                  "a server that calls itself must end with {calling_self, "
                  "{call}}, not wait: it ended with %s",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_msg(lc_reason_eq(&seen.why[2], gr_end(seen.pid[0])),
                  "its caller got %s", gr_reason_str(&seen.why[2]));
}

static void info_and_links(void *arg)
{
    (void)arg;
    struct cfg c = { .mode = INIT_OK, .trap = true };
    lc_pid s = LC_NOPID;
    lc_gs_start_link(&counter, &c, NULL, &s, NULL);
    lc_gs_cast(s, LINK_DOOMED, NULL, 0); /* a linked helper dies {boom, 1} */
    lc_sleep(50);
    seen.ok[0] = lc_alive(s);
    seen.value[0] = get(s);
    seen.count[0] = (size_t)seen.terminates; /* before we, its parent, end */
}

GR_TEST(exit_from_non_parent_goes_to_handle_info)
{
    reset();
    gr_run(info_and_links, NULL);
    ck_assert_msg(seen.ok[0], "a trapping server died of a linked helper's "
                              "EXIT: only the parent's EXIT stops it");
    ck_assert_msg(seen.ninfo == 1 && seen.info_tags[0] == LC_TAG_EXIT,
                  "handle_info saw %d message(s), expected the EXIT",
                  seen.ninfo);
    ck_assert_msg(seen.count[0] == 0, "terminate ran");
    gr_expect_int(
            seen.value[0], 0,
            "the counter (a call get) after the EXIT went to handle_info");
}

/* --- Ending ------------------------------------------------------------- */

struct parent_plan {
    bool trap;               /* the server traps exits */
    struct lc_reason ending; /* how the parent ends */
};

static void parent(void *arg)
{
    const struct parent_plan *p = arg;
    struct cfg c = { .mode = INIT_OK, .trap = p->trap };
    lc_pid s = LC_NOPID;
    if (lc_gs_start_link(&counter, &c, NULL, &s, NULL) == 0) {
        seen.pid[0] = s;
        add(s, 7); /* queued before our EXIT: handled first */
    }
    lc_proc_exit(p->ending);
}

static void parent_ends(void *arg)
{
    lc_spawn(parent, arg);
    lc_sleep(100);
    seen.ok[0] = lc_alive(seen.pid[0]);
}

GR_TEST(terminate_when_trapping_and_parent_ends)
{
    reset();
    gr_record_exits();
    static struct parent_plan plan;
    plan = (struct parent_plan){ true, reason2("shutdown", 2) };
    gr_run(parent_ends, &plan);
    ck_assert_msg(!seen.ok[0], "the trapping server outlived its parent");
    ck_assert_msg(seen.terminates == 1 &&
                          reason_is(&seen.term_why, reason2("shutdown", 2)),
                  "terminate ran %d times with %s, expected once with the "
                  "parent's reason {shutdown, 2}",
                  seen.terminates, gr_reason_str(&seen.term_why));
    ck_assert_msg(seen.term_value == 7,
                  "terminate saw the value %lld: the "
                  "cast sent before the parent's end must be handled first",
                  (long long)seen.term_value);
    ck_assert_msg(reason_is(gr_end(seen.pid[0]), reason2("shutdown", 2)),
                  "the server ended with %s",
                  gr_reason_str(gr_end(seen.pid[0])));
}

GR_TEST(terminate_when_trapping_and_parent_ends_normally)
{
    reset();
    gr_record_exits();
    static struct parent_plan plan;
    plan = (struct parent_plan){ true, lc_reason(LC_A_NORMAL) };
    gr_run(parent_ends, &plan);
    ck_assert_msg(!seen.ok[0], "a trapping server must end when its parent "
                               "ends, even normally");
    ck_assert_msg(seen.terminates == 1 &&
                          gr_reason_is(&seen.term_why, LC_A_NORMAL),
                  "terminate ran %d times with %s, expected once with "
                  "normal",
                  seen.terminates, gr_reason_str(&seen.term_why));
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[0]), LC_A_NORMAL),
                  "the server ended with %s",
                  gr_reason_str(gr_end(seen.pid[0])));
}

static void no_trap_cases(void *arg)
{
    (void)arg;
    static struct parent_plan shut, norm;
    shut = (struct parent_plan){ false, reason2("shutdown", 3) };
    norm = (struct parent_plan){ false, lc_reason(LC_A_NORMAL) };
    lc_spawn(parent, &shut);
    lc_sleep(100);
    seen.got[0] = seen.pid[0];
    seen.why[0] = *gr_end(seen.pid[0]);
    seen.ok[0] = lc_alive(seen.got[0]);
    lc_spawn(parent, &norm);
    lc_sleep(100);
    seen.ok[1] = lc_alive(seen.pid[0]) && seen.pid[0] != seen.got[0];
    seen.value[0] = get(seen.pid[0]);
    /* A trapping server killed outright: no terminate either. */
    struct cfg c = { .mode = INIT_OK, .trap = true };
    lc_pid s = LC_NOPID;
    lc_gs_start(&counter, &c, NULL, &s, NULL);
    seen.pid[2] = s;
    lc_exit_signal(s, lc_reason(LC_A_KILL));
    lc_sleep(10);
}

GR_TEST(no_terminate_without_trapping_or_when_killed)
{
    reset();
    gr_record_exits();
    gr_run(no_trap_cases, NULL);
    ck_assert_msg(!seen.ok[0] &&
                          reason_is(&seen.why[0], reason2("shutdown", 3)),
                  "a server that does not trap exits must die with its "
                  "parent's reason (it ended with %s)",
                  gr_reason_str(&seen.why[0]));
    ck_assert_msg(seen.ok[1] && seen.value[0] == 7,
                  "a server that does not "
                  "trap exits must ignore its parent's normal end");
    ck_assert_msg(gr_reason_is(gr_end(seen.pid[2]), LC_A_KILLED),
                  "the killed server ended with %s",
                  gr_reason_str(gr_end(seen.pid[2])));
    ck_assert_msg(seen.terminates == 0,
                  "terminate ran %d time(s): it runs "
                  "only when the server traps exits, and never when killed",
                  seen.terminates);
}

static void stops(void *arg)
{
    (void)arg;
    struct cfg c = { .mode = INIT_OK };
    lc_pid a = LC_NOPID, b = LC_NOPID, d = LC_NOPID;
    lc_gs_start(&counter, &c, NULL, &a, NULL);
    lc_gs_start(&counter, &c, NULL, &b, NULL);
    lc_gs_start(&counter, &c, NULL, &d, NULL);
    seen.pid[0] = a;
    seen.pid[1] = b;
    seen.pid[2] = d;
    lc_gs_cast(a, STOP_CAST, NULL, 0);
    lc_gs_cast(b, BAD_RETURN, NULL, 0);
    lc_sleep(10);
    seen.count[0] = (size_t)seen.terminates;
    seen.why[0] = try_call(d, EXIT_CALL, 1000);
}

GR_TEST(terminate_on_stop_bad_return_and_raise)
{
    reset();
    gr_record_exits();
    gr_run(stops, NULL);
    ck_assert_msg(reason_is(gr_end(seen.pid[0]), reason2("shutdown", 1)),
                  "a cast returned LC_GS_STOP with {shutdown, 1}: the server "
                  "ended with %s",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_msg(reason_is(gr_end(seen.pid[1]),
                            lc_reason_with(LC_A_BAD_RETURN_VALUE, lc_int(42))),
                  "a cast returned 42: the server ended with %s, expected "
                  "{bad_return_value, 42}",
                  gr_reason_str(gr_end(seen.pid[1])));
    ck_assert_msg(seen.count[0] == 2, "terminate ran %zu times for the two",
                  seen.count[0]);
    ck_assert_msg(reason_is(gr_end(seen.pid[2]), reason2("bye", 3)),
                  "handle_call exited with {bye, 3}: the server ended with "
                  "%s",
                  gr_reason_str(gr_end(seen.pid[2])));
    ck_assert_msg(seen.terminates == 3 &&
                          reason_is(&seen.term_why, reason2("bye", 3)),
                  "terminate must run for an exception too, with its reason");
    struct lc_reason want = reason2("bye", 3);
    want.via = LC_A_CALL;
    ck_assert_msg(lc_reason_eq(&seen.why[0], &want), "the caller got %s",
                  gr_reason_str(&seen.why[0]));
}

static void stopper(void *arg)
{
    (void)arg;
    struct cfg c = { .mode = INIT_OK, .start = 9 };
    lc_pid s = LC_NOPID;
    lc_gs_start(&counter, &c, NULL, &s, NULL);
    seen.pid[0] = s;
    term_sleep = 50;
    seen.t[0] = lc_now();
    seen.rc[0] = lc_gs_stop(s, reason2("shutdown", 4), LC_INFINITY);
    seen.t[1] = lc_now();
    seen.ok[0] = lc_alive(s);
    seen.ok[1] = true;
    LC_TRY
    {
        lc_gs_stop(s, lc_reason(LC_A_NORMAL), LC_INFINITY);
        seen.ok[1] = false; /* must not return */
    }
    LC_CATCH(LC_CLASS_EXIT, e)
    {
        seen.why[0] = e->reason;
    }
    LC_END_TRY;
}

GR_TEST(stop_runs_terminate_and_waits)
{
    reset();
    term_sleep = 0;
    gr_record_exits();
    gr_run(stopper, NULL);
    term_sleep = 0;
    gr_expect_err(seen.rc[0], 0, "lc_gs_stop(s, {shutdown, 4}) returned");
    ck_assert_msg(seen.terminates == 1 &&
                          reason_is(&seen.term_why, reason2("shutdown", 4)) &&
                          seen.term_value == 9,
                  "terminate ran %d times with %s", seen.terminates,
                  gr_reason_str(&seen.term_why));
    ck_assert_msg(seen.t[1] - seen.t[0] == 50 && !seen.ok[0],
                  "lc_gs_stop() returned after %lld ms, terminate took 50: "
                  "it must wait until the server has ended",
                  (long long)(seen.t[1] - seen.t[0]));
    ck_assert_msg(reason_is(gr_end(seen.pid[0]), reason2("shutdown", 4)),
                  "the server ended with %s",
                  gr_reason_str(gr_end(seen.pid[0])));
    ck_assert_msg(seen.ok[1] && gr_reason_is(&seen.why[0], LC_A_NOPROC),
                  "stopping a dead server: the caller exited with %s, "
                  "expected noproc (OTP's gen_server:stop: not a call)",
                  gr_reason_str(&seen.why[0]));
}

static void reply_then_stop(void *arg)
{
    (void)arg;
    struct cfg c = { .mode = INIT_OK };
    lc_pid s = LC_NOPID;
    lc_gs_start(&counter, &c, NULL, &s, NULL);
    term_sleep = 100;
    seen.t[0] = lc_now();
    struct lc_msg *r = lc_gs_call(s, REPLY_STOP, NULL, 0, 1000);
    seen.t[1] = lc_now();
    if (r != NULL && r->tag == LC_TAG_REPLY) {
        snprintf(seen.text, sizeof seen.text, "%s", (const char *)r->data);
    }
    lc_msg_free(r);
    seen.count[0] = lc_mailbox_len();
}

GR_TEST(reply_then_stop_answers_after_terminate)
{
    reset();
    term_sleep = 0;
    gr_run(reply_then_stop, NULL);
    term_sleep = 0;
    gr_expect_str(seen.text, "bye",
                  "the reply the caller got before the server stopped");
    ck_assert_msg(seen.terminates == 1, "terminate ran %d times",
                  seen.terminates);
    ck_assert_msg(seen.t[1] - seen.t[0] == 100,
                  "the reply came after %lld "
                  "ms: a reply given by a callback that stops goes out "
                  "after terminate (100 ms)",
                  (long long)(seen.t[1] - seen.t[0]));
    ck_assert_msg(seen.count[0] == 0, "%zu message(s) left after the call",
                  seen.count[0]);
}
