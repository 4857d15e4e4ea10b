/*
 * 07-registries.c - graded tests of chapter 7: process registries, via
 * names, the EchoServer found by key and the to-do stage pool_supervision
 * (lc/otp/registry.h).
 *
 * Each test runs a driver process (gr_run) that records what it saw in
 * 'seen'; the assertions come after, on the test's own stack. The races
 * run under the chaos scheduler over many seeds.
 */
#include "harness.h"
#include "scratch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/names.h"
#include "lc/otp/registry.h"
#include "lc/otp/supervisor.h"
#include "lc/systems/todo.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct {
    int rc[12];
    lc_pid pid[16];
    bool ok[12];
    size_t n[12];
    struct lc_reg_entry e[8];
    struct lc_term v[8];
    const char *keys[8];
    char text[8][LC_REG_KEY_MAX];
    struct lc_reason why[4];
    int count[8];
} seen;

static void reset(void)
{
    memset(&seen, 0, sizeof seen);
    gr_record_exits();
}

/* --- Helpers ----------------------------------------------------------------
 */

static lc_pid start_reg(enum lc_reg_keys kind)
{
    lc_pid reg = LC_NOPID;
    struct lc_reg_opts o = { .keys = kind };
    int rc = lc_reg_start_link(&o, &reg, NULL);
    return rc == 0 ? reg : LC_NOPID;
}

/* What a holder process does: register its keys, tell the driver, then
   wait for an order. */
enum {
    T_READY = 100,
    T_GO = 101,
    T_DONE = 102
};
enum how {
    H_WAIT,
    H_RETURN,
    H_ERROR,
    H_EXIT
};

struct holder_arg {
    lc_pid reg;
    lc_pid driver;
    const char *keys[4];
    int64_t value;
    enum how how;
    bool trap;
};

static void holder(void *p)
{
    struct holder_arg a = *(struct holder_arg *)p;
    lc_trap_exit(a.trap);
    int rc = 0;
    for (int i = 0; i < 4 && a.keys[i] != NULL; i++) {
        int r = lc_reg_register(a.reg, a.keys[i], lc_int(a.value + i), NULL);
        rc = rc < 0 ? rc : r;
    }
    lc_send(a.driver, T_READY, &rc, sizeof rc);
    lc_msg_free(lc_receive_tag(T_GO, LC_INFINITY));
    switch (a.how) {
        case H_RETURN:
            return;
        case H_ERROR:
            lc_error(lc_atom_term(lc_atom_intern("oops")));
        case H_EXIT:
            lc_exit(lc_reason(lc_atom_intern("bye")));
        case H_WAIT:
            break;
    }
    for (;;) {
        lc_msg_free(lc_receive(LC_INFINITY));
    }
}

/* Spawn a holder and wait until it has registered; its register result
   goes to *rc (may be NULL). The arg is copied by the holder at once. */
static lc_pid spawn_holder(struct holder_arg a, int *rc)
{
    a.driver = lc_self();
    lc_pid p = lc_spawn(holder, &a);
    struct lc_msg *m = lc_receive_tag(T_READY, LC_INFINITY);
    if (rc != NULL) {
        memcpy(rc, m->data, sizeof *rc);
    }
    lc_msg_free(m);
    return p;
}

/* Kill 'p' and wait until it is gone. */
static void kill_wait(lc_pid p, struct lc_reason r)
{
    uint64_t ref = lc_monitor(p);
    lc_exit_signal(p, r);
    lc_msg_free(lc_receive_ref(ref, LC_INFINITY));
}

static void go_wait(lc_pid p)
{
    uint64_t ref = lc_monitor(p);
    lc_send(p, T_GO, NULL, 0);
    lc_msg_free(lc_receive_ref(ref, LC_INFINITY));
}

static bool linked(lc_pid a, lc_pid b)
{
    lc_pid l[64];
    size_t n = lc_links(a, l, 64);
    for (size_t i = 0; i < n && i < 64; i++) {
        if (l[i] == b) {
            return true;
        }
    }
    return false;
}

struct edge_find {
    lc_pid from, to;
    char label[LC_REG_KEY_MAX];
    int n;
};

static void edge_cb(const struct lc_edge *e, void *ctx)
{
    struct edge_find *f = ctx;
    if (e->kind == LC_EDGE_REGISTERED && e->from == f->from &&
        (f->to == LC_NOPID || e->to == f->to)) {
        f->n++;
        snprintf(f->label, sizeof f->label, "%s", e->label ? e->label : "");
    }
}

/* How many REGISTERED edges from 'reg' (to 'to', or any); *label the
   last one's label. */
static int reg_edges(lc_pid reg, lc_pid to, char *label)
{
    struct edge_find f = { reg, to, "", 0 };
    lc_edges(edge_cb, &f);
    if (label != NULL) {
        strcpy(label, f.label);
    }
    return f.n;
}

/* Under the chaos scheduler, seeds 1..n. */
static uint64_t cur_seed;
static void over_seeds(lc_proc_fn *fn, void (*check)(void), uint64_t n)
{
    for (cur_seed = 1; cur_seed <= n; cur_seed++) {
        struct lc_config cfg = { .chaos = true, .seed = cur_seed };
        ck_assert_int_eq(lc_init(&cfg), 0);
        reset();
        lc_spawn(fn, NULL);
        lc_run();
        check();
        lc_fini();
    }
}

#define STARTED(rc) \
    ck_assert_msg((rc) == 0, "registry start: %s", lc_err_name(rc))

/* --- Register and look up
 * ----------------------------------------------------- */

static void basic(void *arg)
{
    lc_pid reg = start_reg(LC_REG_UNIQUE);
    seen.rc[0] = reg ? 0 : -1;
    seen.rc[1] = lc_reg_register(reg, "alpha", lc_int(42), NULL);
    seen.n[0] = lc_reg_lookup(reg, "alpha", seen.e, 8);
    seen.pid[0] = lc_self();
    seen.pid[1] = lc_reg_whereis(reg, "alpha");
    seen.n[1] = lc_reg_lookup(reg, "beta", seen.e + 4, 4);
    seen.pid[2] = lc_reg_whereis(reg, "beta");
}

GR_TEST(register_then_lookup_pid_and_value)
{
    reset();
    gr_run(basic, NULL);
    STARTED(seen.rc[0]);
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_uint_eq(seen.n[0], 1);
    ck_assert_msg(seen.e[0].pid == seen.pid[0] &&
                          lc_term_eq(seen.e[0].value, lc_int(42)),
                  "lookup should give the caller and the value 42");
    ck_assert_msg(seen.pid[1] == seen.pid[0], "whereis gives the caller");
    ck_assert_uint_eq(seen.n[1], 0);
    ck_assert_msg(seen.pid[2] == LC_NOPID, "an unknown key has no process");
}

static void taken(void *arg)
{
    lc_pid reg = start_reg(LC_REG_UNIQUE);
    seen.rc[0] = reg ? 0 : -1;
    struct holder_arg a = { .reg = reg, .keys = { "k" } };
    seen.pid[0] = spawn_holder(a, &seen.rc[1]);
    seen.pid[1] = LC_NOPID;
    seen.rc[2] = lc_reg_register(reg, "k", lc_int(1), &seen.pid[1]);
    seen.n[0] = lc_reg_lookup(reg, "k", seen.e, 8);
    seen.n[1] = lc_reg_count(reg);
}

GR_TEST(unique_key_taken_answers_holder)
{
    reset();
    gr_run(taken, NULL);
    STARTED(seen.rc[0]);
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_msg(seen.rc[2] == LC_EEXIST, "a taken key: LC_EEXIST, got %s",
                  lc_err_name(seen.rc[2]));
    ck_assert_msg(seen.pid[1] == seen.pid[0],
                  "*holder must be the process that has the key");
    ck_assert_msg(seen.n[0] == 1 && seen.e[0].pid == seen.pid[0],
                  "the holder keeps the key");
    ck_assert_uint_eq(seen.n[1], 1);
}

static void taken_self(void *arg)
{
    lc_pid reg = start_reg(LC_REG_UNIQUE);
    seen.rc[0] = reg ? 0 : -1;
    seen.rc[1] = lc_reg_register(reg, "me", lc_int(1), NULL);
    seen.rc[2] = lc_reg_register(reg, "me", lc_int(2), &seen.pid[1]);
    seen.pid[0] = lc_self();
    seen.n[0] = lc_reg_count(reg);
    seen.n[1] = lc_reg_values(reg, "me", lc_self(), seen.v, 8);
}

GR_TEST(unique_key_taken_by_self_is_already_registered)
{
    reset();
    gr_run(taken_self, NULL);
    STARTED(seen.rc[0]);
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_msg(seen.rc[2] == LC_EEXIST && seen.pid[1] == seen.pid[0],
                  "registering a key one holds again is already_registered "
                  "with oneself (got %s)",
                  lc_err_name(seen.rc[2]));
    ck_assert_uint_eq(seen.n[0], 1);
    ck_assert_msg(seen.n[1] == 1 && lc_term_eq(seen.v[0], lc_int(1)),
                  "the first value stays");
}

/* The holder dies; the registry has not run since (it is kept busy by a
   long message queue being behind us is not needed: no yield between the
   death and the register). */
static void replace_dead(void *arg)
{
    lc_pid reg = start_reg(LC_REG_UNIQUE);
    seen.rc[0] = reg ? 0 : -1;
    struct holder_arg a = { .reg = reg, .keys = { "k" } };
    seen.pid[0] = spawn_holder(a, NULL);
    kill_wait(seen.pid[0], lc_reason(LC_A_KILL));
    seen.rc[1] = lc_reg_register(reg, "k", lc_int(7), &seen.pid[1]);
    seen.pid[2] = lc_reg_whereis(reg, "k");
    seen.pid[3] = lc_self();
    seen.n[0] = lc_reg_count(reg);
    seen.pid[4] = lc_reg_whereis(reg, "k");
}

GR_TEST(dead_holder_replaced)
{
    reset();
    gr_run(replace_dead, NULL);
    STARTED(seen.rc[0]);
    ck_assert_msg(seen.rc[1] == 0,
                  "a key whose holder has ended is free (got %s)",
                  lc_err_name(seen.rc[1]));
    ck_assert_msg(seen.pid[2] == seen.pid[3] && seen.pid[4] == seen.pid[3],
                  "the key now belongs to the new process, also after the "
                  "registry handled the old one's EXIT");
    ck_assert_uint_eq(seen.n[0], 1);
}

/* The holder is killed, and the caller registers before the holder has
   run again: the holder is doomed (lc_doomed) but not ended, and its
   exit hook has not run. */
static void replace_doomed(void *arg)
{
    lc_pid reg = start_reg(LC_REG_UNIQUE);
    seen.rc[0] = reg ? 0 : -1;
    struct holder_arg a = { .reg = reg, .keys = { "k", "other" } };
    seen.pid[0] = spawn_holder(a, NULL);
    uint64_t ref = lc_monitor(seen.pid[0]);
    lc_exit_signal(seen.pid[0], lc_reason(LC_A_KILL));
    seen.ok[0] = lc_alive(seen.pid[0]); /* not ended yet */
    seen.n[0] = lc_reg_lookup(reg, "k", seen.e, 8);
    seen.pid[1] = lc_reg_whereis(reg, "other");
    seen.rc[1] = lc_reg_register(reg, "k", lc_int(7), &seen.pid[2]);
    seen.pid[3] = lc_reg_whereis(reg, "k");
    lc_msg_free(lc_receive_ref(ref, LC_INFINITY));
    seen.pid[4] = lc_reg_whereis(reg, "k");
    seen.n[1] = lc_reg_count(reg);
    seen.n[2] = lc_reg_keys(reg, lc_self(), seen.keys, 8);
    seen.pid[5] = lc_self();
}

GR_TEST(killed_holder_frees_its_key_before_it_runs)
{
    reset();
    gr_run(replace_doomed, NULL);
    STARTED(seen.rc[0]);
    ck_assert_msg(seen.ok[0], "(the killed holder has not ended yet)");
    ck_assert_msg(seen.n[0] == 0 && seen.pid[1] == LC_NOPID,
                  "a unique lookup must not give a holder that has been "
                  "killed: it found %zu entry",
                  seen.n[0]);
    ck_assert_msg(seen.rc[1] == 0,
                  "a key whose holder has been killed is free at once, "
                  "before the holder runs again (got %s)",
                  lc_err_name(seen.rc[1]));
    ck_assert_msg(seen.pid[3] == seen.pid[5],
                  "the key belongs to the new process");
    ck_assert_msg(seen.pid[4] == seen.pid[3],
                  "after the holder ended, the key still belongs to the new "
                  "process");
    ck_assert_msg(seen.n[1] == 1 && seen.n[2] == 1,
                  "after the holder ended only the new entry is left "
                  "(count %zu)",
                  seen.n[1]);
}

static void after_death(void *arg)
{
    lc_pid reg = start_reg(LC_REG_UNIQUE);
    seen.rc[0] = reg ? 0 : -1;
    struct holder_arg a = { .reg = reg, .keys = { "a", "b", "c" } };
    seen.pid[0] = spawn_holder(a, &seen.rc[1]);
    seen.n[0] = lc_reg_count(reg);
    kill_wait(seen.pid[0], lc_reason(LC_A_KILL));
    seen.n[1] = lc_reg_lookup(reg, "a", seen.e, 8); /* at once */
    seen.pid[1] = lc_reg_whereis(reg, "b");
    seen.n[2] = lc_reg_keys(reg, seen.pid[0], seen.keys, 8);
    seen.n[3] = lc_reg_count(reg);
    seen.n[4] = lc_reg_lookup(reg, "c", seen.e, 8);
}

GR_TEST(lookup_after_death_is_empty)
{
    reset();
    gr_run(after_death, NULL);
    STARTED(seen.rc[0]);
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_uint_eq(seen.n[0], 3);
    ck_assert_msg(seen.n[1] == 0 && seen.pid[1] == LC_NOPID,
                  "a lookup right after the DOWN must not give the dead pid");
    ck_assert_uint_eq(seen.n[2], 0);
    ck_assert_msg(seen.n[3] == 0,
                  "after the registry handled the EXIT, count is %zu, not 0",
                  seen.n[3]);
    ck_assert_uint_eq(seen.n[4], 0);
}

/* Every way to end: return, error, exit, exit signal, kill. */
static void any_death(void *arg)
{
    lc_pid reg = start_reg(LC_REG_DUPLICATE);
    seen.rc[0] = reg ? 0 : -1;
    enum how hows[] = { H_RETURN, H_ERROR, H_EXIT };
    lc_pid p[5];
    for (int i = 0; i < 5; i++) {
        struct holder_arg a = { .reg = reg, .keys = { "x", "y", "x" } };
        a.how = i < 3 ? hows[i] : H_WAIT;
        p[i] = spawn_holder(a, NULL);
    }
    seen.n[0] = lc_reg_count(reg);
    for (int i = 0; i < 3; i++) {
        go_wait(p[i]);
    }
    kill_wait(p[3], lc_reason(lc_atom_intern("shutdown_now")));
    kill_wait(p[4], lc_reason(LC_A_KILL));
    seen.n[1] = lc_reg_count(reg);
    seen.n[2] = lc_reg_lookup(reg, "x", seen.e, 8);
    seen.n[3] = (size_t)reg_edges(reg, LC_NOPID, NULL);
    lc_pid l[8];
    seen.n[4] = lc_links(reg, l, 8); /* only its parent: us */
}

GR_TEST(entries_removed_however_it_dies)
{
    reset();
    gr_run(any_death, NULL);
    STARTED(seen.rc[0]);
    ck_assert_uint_eq(seen.n[0], 15);
    ck_assert_msg(seen.n[1] == 0,
                  "%zu entries left after five processes ended (return, "
                  "error, exit, exit signal, kill)",
                  seen.n[1]);
    ck_assert_uint_eq(seen.n[2], 0);
    ck_assert_msg(seen.n[3] == 0, "%zu registered edges left behind",
                  seen.n[3]);
    ck_assert_msg(seen.n[4] == 1, "the registry keeps %zu links, not 1",
                  seen.n[4]);
}

/* Is the entry gone by the time anyone can see the death? A monitor's
   DOWN is the earliest anyone can know. */
static void before_down(void *arg)
{
    lc_pid reg = start_reg(LC_REG_DUPLICATE);
    seen.rc[0] = reg ? 0 : -1;
    struct holder_arg a = { .reg = reg, .keys = { "k", "k", "j" } };
    lc_pid h = spawn_holder(a, NULL);
    uint64_t ref = lc_monitor(h);
    lc_exit_signal(h, lc_reason(lc_atom_intern("boom")));
    lc_msg_free(lc_receive_ref(ref, LC_INFINITY));
    seen.n[0] = lc_reg_count(reg); /* no turn given to the registry */
    seen.n[1] = lc_reg_keys(reg, h, seen.keys, 8);
    seen.n[2] = lc_reg_values(reg, "k", h, seen.v, 8);
    seen.ok[0] = lc_traps_exit(reg);
    seen.n[3] = (size_t)reg_edges(reg, LC_NOPID, NULL);
}

GR_TEST(entries_gone_before_anyone_sees_the_end)
{
    reset();
    gr_run(before_down, NULL);
    STARTED(seen.rc[0]);
    ck_assert_msg(seen.n[0] == 0 && seen.n[1] == 0 && seen.n[2] == 0,
                  "when the DOWN arrives the table still has %zu entries "
                  "(keys %zu, values %zu): remove them as the process ends",
                  seen.n[0], seen.n[1], seen.n[2]);
    ck_assert_uint_eq(seen.n[3], 0);
    ck_assert_msg(seen.ok[0], "the registry must trap exits (R3)");
}

/* Two holders: one unregisters its keys, one keeps one; then the
   registry dies. */
static void unbond_helper(void *p)
{
    lc_pid reg = *(lc_pid *)p;
    lc_reg_register(reg, "a", lc_none(), NULL);
    lc_reg_register(reg, "b", lc_none(), NULL);
    lc_reg_unregister(reg, "a");
    seen.rc[1] = lc_reg_unregister(reg, "b");
    seen.rc[2] = lc_reg_unregister(reg, "never");
    seen.n[0] = lc_reg_count(reg);
    lc_msg_free(lc_receive(LC_INFINITY));
}

static void keeper_helper(void *p)
{
    lc_pid reg = *(lc_pid *)p;
    lc_reg_register(reg, "c", lc_none(), NULL);
    lc_reg_register(reg, "d", lc_none(), NULL);
    lc_reg_unregister(reg, "c");
    lc_msg_free(lc_receive(LC_INFINITY));
}

static void unbond_run(void *arg)
{
    lc_trap_exit(true);
    lc_pid reg = start_reg(LC_REG_UNIQUE);
    seen.rc[0] = reg ? 0 : -1;
    seen.pid[0] = lc_spawn(unbond_helper, &reg);
    seen.pid[1] = lc_spawn(keeper_helper, &reg);
    lc_sleep(10);
    seen.n[1] = lc_reg_count(reg);
    kill_wait(reg, lc_reason(lc_atom_intern("crash")));
    lc_sleep(10);
    seen.ok[0] = lc_alive(seen.pid[0]);
    seen.ok[1] = lc_alive(seen.pid[1]);
    lc_exit_signal(seen.pid[0], lc_reason(LC_A_KILL));
}

GR_TEST(unregister_last_key_ends_the_bond)
{
    reset();
    gr_run(unbond_run, NULL);
    STARTED(seen.rc[0]);
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_msg(seen.rc[2] == 0, "unregister of nothing is ok");
    ck_assert_uint_eq(seen.n[1], 1);
    ck_assert_msg(seen.ok[0], "a process with no key left must not die with "
                              "the registry (R3: unregister unlinks)");
    ck_assert_msg(!seen.ok[1], "a process with a key left dies with the "
                               "registry");
    ck_assert_msg(strcmp(gr_reason_str(gr_end(seen.pid[1])), "shutdown") == 0,
                  "the registry ended with `crash`, not killed: a process "
                  "registered in it dies with `shutdown`, as Elixir's "
                  "partition is shut down; got %s",
                  gr_reason_str(gr_end(seen.pid[1])));
}

static void reg_dies(void *arg)
{
    lc_trap_exit(true);
    lc_pid reg = start_reg(LC_REG_UNIQUE);
    seen.rc[0] = reg ? 0 : -1;
    struct holder_arg a = { .reg = reg, .keys = { "plain" } };
    seen.pid[0] = spawn_holder(a, NULL);
    a.keys[0] = "trapper";
    a.trap = true;
    seen.pid[1] = spawn_holder(a, NULL);
    kill_wait(reg, lc_reason(LC_A_KILL));
    lc_sleep(10);
    seen.ok[0] = lc_alive(seen.pid[0]);
    seen.ok[1] = lc_alive(seen.pid[1]);
    seen.n[0] = lc_reg_lookup(reg, "trapper", seen.e, 8);
    seen.rc[1] = lc_reg_register(reg, "late", lc_none(), NULL);
    lc_exit_signal(seen.pid[1], lc_reason(LC_A_KILL));
}

GR_TEST(registry_death_takes_registered_along)
{
    reset();
    gr_run(reg_dies, NULL);
    STARTED(seen.rc[0]);
    ck_assert_msg(!seen.ok[0], "a registered process that does not trap "
                               "exits dies with its registry (the link)");
    ck_assert_str_eq(gr_reason_str(gr_end(seen.pid[0])), "killed");
    ck_assert_msg(seen.ok[1], "one that traps exits lives on");
    ck_assert_uint_eq(seen.n[0], 0);
    ck_assert_msg(seen.rc[1] == LC_ENOPROC,
                  "registering in a dead registry: LC_ENOPROC, got %s",
                  lc_err_name(seen.rc[1]));
}

/* A trapping process registered in a registry that then stops. */
static void trapping_holder(void *p)
{
    lc_pid reg = *(lc_pid *)p;
    lc_trap_exit(true);
    lc_reg_register(reg, "trapper", lc_none(), NULL);
    struct lc_msg *m = lc_receive_tag(LC_TAG_EXIT, 100);
    struct lc_exit_msg e;
    if (m == NULL || m->size != sizeof e) {
        lc_msg_free(m);
        return;
    }
    memcpy(&e, m->data, sizeof e);
    lc_msg_free(m);
    seen.pid[3] = e.from;
    seen.why[0] = e.reason;
}

static void reg_stops(void *arg)
{
    lc_trap_exit(true);
    lc_pid reg = start_reg(LC_REG_UNIQUE);
    seen.rc[0] = reg ? 0 : -1;
    seen.pid[2] = reg;
    struct holder_arg a = { .reg = reg, .keys = { "plain" } };
    seen.pid[0] = spawn_holder(a, NULL);
    seen.pid[1] = lc_spawn(trapping_holder, &reg);
    lc_sleep(1);
    seen.rc[1] = lc_gs_stop(reg, lc_reason(LC_A_NORMAL), LC_INFINITY);
    lc_sleep(10);
    seen.ok[0] = lc_alive(seen.pid[0]);
    seen.ok[1] = lc_alive(seen.pid[1]);
}

GR_TEST(registry_stopped_ends_registered_with_shutdown)
{
    reset();
    gr_run(reg_stops, NULL);
    STARTED(seen.rc[0]);
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_msg(!seen.ok[0], "a registry stopped with `normal` still ends "
                               "its non-trapping processes: Elixir's "
                               "registry shuts its partition down, and the "
                               "link carries `shutdown`");
    ck_assert_str_eq(gr_reason_str(gr_end(seen.pid[0])), "shutdown");
    ck_assert_msg(seen.pid[3] == seen.pid[2] &&
                          lc_reason_is(&seen.why[0], LC_A_SHUTDOWN),
                  "a trapping process gets an EXIT from the registry with "
                  "reason `shutdown`; got %s",
                  gr_reason_str(&seen.why[0]));
    ck_assert_msg(!seen.ok[1], "(the trapping process has its EXIT)");
}

static void keys_order(void *arg)
{
    lc_pid reg = start_reg(LC_REG_UNIQUE);
    seen.rc[0] = reg ? 0 : -1;
    const char *k[] = { "a", "b", "c", "d" };
    for (int i = 0; i < 4; i++) {
        lc_reg_register(reg, k[i], lc_int(i), NULL);
    }
    lc_reg_unregister(reg, "b");
    lc_reg_register(reg, "b", lc_int(9), NULL);
    seen.n[0] = lc_reg_keys(reg, lc_self(), seen.keys, 8);
    for (size_t i = 0; i < seen.n[0] && i < 8; i++) {
        snprintf(seen.text[i], sizeof seen.text[i], "%s", seen.keys[i]);
    }
}

GR_TEST(keys_listed_newest_first)
{
    reset();
    gr_run(keys_order, NULL);
    STARTED(seen.rc[0]);
    ck_assert_uint_eq(seen.n[0], 4);
    ck_assert_msg(strcmp(seen.text[0], "b") == 0 &&
                          strcmp(seen.text[1], "d") == 0 &&
                          strcmp(seen.text[2], "c") == 0 &&
                          strcmp(seen.text[3], "a") == 0,
                  "keys(pid) lists the newest registration first, as "
                  "Elixir's keys/2: want b, d, c, a; got %s, %s, %s, %s",
                  seen.text[0], seen.text[1], seen.text[2], seen.text[3]);
}

/* --- Duplicate keys and the queries -------------------------------------- */

static void dup_run(void *arg)
{
    lc_pid reg = start_reg(LC_REG_DUPLICATE);
    seen.rc[0] = reg ? 0 : -1;
    for (int i = 0; i < 3; i++) {
        struct holder_arg a = { .reg = reg, .keys = { "topic" }, .value = i };
        seen.pid[i] = spawn_holder(a, &seen.rc[1 + i]);
    }
    seen.n[0] = lc_reg_lookup(reg, "topic", seen.e, 8);
    seen.pid[3] = lc_reg_whereis(reg, "topic");
    seen.n[1] = lc_reg_count(reg);
}

GR_TEST(duplicate_keys_hold_many_processes)
{
    reset();
    gr_run(dup_run, NULL);
    STARTED(seen.rc[0]);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(seen.rc[1 + i], 0);
    }
    ck_assert_uint_eq(seen.n[0], 3);
    for (int i = 0; i < 3; i++) {
        ck_assert_msg(seen.e[i].pid == seen.pid[i] &&
                              lc_term_eq(seen.e[i].value, lc_int(i)),
                      "lookup entry %d: the processes in registration order, "
                      "each with its value",
                      i);
    }
    ck_assert_uint_eq(seen.n[1], 3);
}

static void dup_self(void *arg)
{
    lc_pid reg = start_reg(LC_REG_DUPLICATE);
    seen.rc[0] = reg ? 0 : -1;
    seen.rc[1] = lc_reg_register(reg, "t", lc_int(1), NULL);
    seen.rc[2] = lc_reg_register(reg, "u", lc_int(5), NULL);
    seen.rc[3] = lc_reg_register(reg, "t", lc_int(2), NULL);
    seen.n[0] = lc_reg_keys(reg, lc_self(), seen.keys, 8);
    for (size_t i = 0; i < seen.n[0] && i < 8; i++) {
        snprintf(seen.text[i], sizeof seen.text[i], "%s", seen.keys[i]);
    }
    seen.n[1] = lc_reg_values(reg, "t", lc_self(), seen.v, 8);
    seen.n[2] = lc_reg_count(reg);
    seen.n[3] = lc_reg_lookup(reg, "t", seen.e, 8);
}

GR_TEST(duplicate_same_process_twice_keys_values)
{
    reset();
    gr_run(dup_self, NULL);
    STARTED(seen.rc[0]);
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_int_eq(seen.rc[3], 0);
    ck_assert_uint_eq(seen.n[0], 3);
    ck_assert_str_eq(seen.text[0], "t");
    ck_assert_str_eq(seen.text[1], "u");
    ck_assert_str_eq(seen.text[2], "t");
    ck_assert_uint_eq(seen.n[1], 2);
    ck_assert_msg(lc_term_eq(seen.v[0], lc_int(1)) &&
                          lc_term_eq(seen.v[1], lc_int(2)),
                  "values: 1 then 2");
    ck_assert_uint_eq(seen.n[2], 3);
    ck_assert_uint_eq(seen.n[3], 2);
}

static void unreg_run(void *arg)
{
    lc_pid reg = start_reg(LC_REG_DUPLICATE);
    seen.rc[0] = reg ? 0 : -1;
    struct holder_arg a = { .reg = reg, .keys = { "t" } };
    seen.pid[0] = spawn_holder(a, NULL);
    lc_reg_register(reg, "t", lc_int(1), NULL);
    lc_reg_register(reg, "t", lc_int(2), NULL);
    lc_reg_register(reg, "v", lc_int(3), NULL);
    seen.rc[1] = lc_reg_unregister(reg, "t");
    seen.n[0] = lc_reg_lookup(reg, "t", seen.e, 8);
    seen.n[1] = lc_reg_count(reg);
    seen.n[2] = lc_reg_keys(reg, lc_self(), seen.keys, 8);
    snprintf(seen.text[0], sizeof seen.text[0], "%s",
             seen.n[2] ? seen.keys[0] : "");
    seen.rc[2] = lc_reg_unregister(reg, "t");
}

GR_TEST(unregister_removes_all_callers_entries)
{
    reset();
    gr_run(unreg_run, NULL);
    STARTED(seen.rc[0]);
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_msg(seen.n[0] == 1 && seen.e[0].pid == seen.pid[0],
                  "both of the caller's entries under t go; the other "
                  "process's stays");
    ck_assert_uint_eq(seen.n[1], 2);
    ck_assert_uint_eq(seen.n[2], 1);
    ck_assert_str_eq(seen.text[0], "v");
    ck_assert_msg(seen.rc[2] == 0, "unregister of nothing is still ok");
}

struct dsp {
    int calls;
    size_t n;
    lc_pid pids[8];
};

static void dsp_fn(const struct lc_reg_entry *es, size_t n, void *ctx)
{
    struct dsp *d = ctx;
    d->calls++;
    d->n = n;
    for (size_t i = 0; i < n && i < 8; i++) {
        d->pids[i] = es[i].pid;
        lc_send(es[i].pid, T_GO, NULL, 0); /* may send from fn */
    }
}

static void dispatch_run(void *arg)
{
    lc_pid reg = start_reg(LC_REG_DUPLICATE);
    seen.rc[0] = reg ? 0 : -1;
    struct dsp d = { 0 }, none = { 0 };
    for (int i = 0; i < 3; i++) {
        struct holder_arg a = { .reg = reg,
                                .keys = { "topic" },
                                .how = H_RETURN };
        seen.pid[i] = spawn_holder(a, NULL);
    }
    kill_wait(seen.pid[1], lc_reason(LC_A_KILL));
    seen.rc[1] = lc_reg_dispatch(reg, "topic", dsp_fn, &d);
    seen.rc[2] = lc_reg_dispatch(reg, "nobody", dsp_fn, &none);
    lc_sleep(10);
    seen.count[0] = d.calls;
    seen.n[0] = d.n;
    seen.pid[3] = d.pids[0];
    seen.pid[4] = d.pids[1];
    seen.count[1] = none.calls;
}

GR_TEST(dispatch_calls_fn_with_every_live_entry)
{
    reset();
    gr_run(dispatch_run, NULL);
    STARTED(seen.rc[0]);
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_msg(seen.count[0] == 1 && seen.n[0] == 2,
                  "fn once, with the two live entries (called %d times, %zu "
                  "entries)",
                  seen.count[0], seen.n[0]);
    ck_assert_msg(seen.pid[3] == seen.pid[0] && seen.pid[4] == seen.pid[2],
                  "the entries in registration order, the dead one left out");
    ck_assert_str_eq(gr_reason_str(gr_end(seen.pid[0])), "normal");
    ck_assert_str_eq(gr_reason_str(gr_end(seen.pid[2])), "normal");
}

GR_TEST(dispatch_not_called_when_empty)
{
    reset();
    gr_run(dispatch_run, NULL);
    STARTED(seen.rc[0]);
    ck_assert_int_eq(seen.rc[2], 0);
    ck_assert_msg(seen.count[1] == 0,
                  "fn called %d times for a key with no entry (R4: not at "
                  "all)",
                  seen.count[1]);
    ck_assert_int_eq(seen.count[0], 1); /* and it does work */
}

static void bad_run(void *arg)
{
    lc_pid reg = start_reg(LC_REG_UNIQUE);
    seen.rc[0] = reg ? 0 : -1;
    char big[LC_REG_KEY_MAX + 1];
    memset(big, 'k', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    seen.rc[1] = lc_reg_register(reg, "", lc_none(), NULL);
    seen.rc[2] = lc_reg_register(reg, NULL, lc_none(), NULL);
    seen.rc[3] = lc_reg_register(reg, big, lc_none(), NULL);
    big[LC_REG_KEY_MAX - 1] = '\0'; /* the longest key */
    seen.rc[4] = lc_reg_register(reg, big, lc_none(), NULL);
    seen.rc[5] = lc_reg_register(lc_self(), "k", lc_none(), NULL);
    seen.rc[6] = lc_reg_unregister(reg, "");
    seen.n[0] = lc_reg_count(reg);
    seen.n[1] = lc_reg_lookup(lc_self(), "k", seen.e, 8);
    seen.ok[0] = linked(lc_self(), reg);
}

GR_TEST(bad_keys_and_registries_refused)
{
    reset();
    gr_run(bad_run, NULL);
    STARTED(seen.rc[0]);
    ck_assert_msg(seen.rc[1] == LC_EINVAL && seen.rc[2] == LC_EINVAL &&
                          seen.rc[3] == LC_EINVAL,
                  "empty, NULL and too long keys: LC_EINVAL (got %s %s %s)",
                  lc_err_name(seen.rc[1]), lc_err_name(seen.rc[2]),
                  lc_err_name(seen.rc[3]));
    ck_assert_msg(seen.rc[4] == 0, "a key of LC_REG_KEY_MAX - 1 bytes is fine");
    ck_assert_msg(seen.rc[5] == LC_ENOPROC,
                  "a process that is no registry: LC_ENOPROC, got %s",
                  lc_err_name(seen.rc[5]));
    ck_assert_int_eq(seen.rc[6], LC_EINVAL);
    ck_assert_uint_eq(seen.n[0], 1);
    ck_assert_uint_eq(seen.n[1], 0);
}

static void keys_run(void *arg)
{
    lc_pid reg = start_reg(LC_REG_UNIQUE);
    seen.rc[0] = reg ? 0 : -1;
    seen.rc[1] = lc_reg_key_int(seen.text[0], "worker", 3);
    seen.rc[2] = lc_reg_key_str(seen.text[1], "server", "Bob's list");
    char k[LC_REG_KEY_MAX];
    lc_reg_key_int(k, "worker", 3);
    seen.rc[3] = lc_reg_register(reg, k, lc_none(), NULL);
    lc_reg_key_int(k, "worker", 30);
    seen.pid[0] = lc_reg_whereis(reg, k);
    lc_reg_key_int(k, "worker", 3);
    seen.pid[1] = lc_reg_whereis(reg, k);
    seen.pid[2] = lc_self();
    seen.rc[4] = lc_reg_key_int(k, "", 3);
}

GR_TEST(tuple_keys_written_and_compared_exactly)
{
    reset();
    gr_run(keys_run, NULL);
    STARTED(seen.rc[0]);
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_str_eq(seen.text[0], "{worker,3}");
    ck_assert_str_eq(seen.text[1], "{server,Bob's list}");
    ck_assert_int_eq(seen.rc[3], 0);
    ck_assert_msg(seen.pid[0] == LC_NOPID && seen.pid[1] == seen.pid[2],
                  "{worker,30} is not {worker,3}");
    ck_assert_int_eq(seen.rc[4], LC_EINVAL);
}

/* --- Supervised, drawn, and many keys ----------------------------------- */

static void drawn_run(void *arg)
{
    static const struct lc_reg_opts ro = { .name = "reg" };
    struct lc_child_spec c[] = { lc_reg_child_spec("reg", &ro) };
    struct lc_sup_spec spec = { .children = c, .nchildren = 1 };
    lc_pid sup;
    seen.rc[0] = lc_sup_start_link(&spec, NULL, &sup, NULL);
    lc_pid reg = lc_whereis("reg");
    struct lc_info info = { 0 };
    lc_proc_info(reg, &info);
    seen.ok[0] = info.role == LC_ROLE_REGISTRY;
    char k[LC_REG_KEY_MAX];
    lc_reg_key_int(k, "worker", 1);
    lc_reg_register(reg, k, lc_none(), NULL);
    seen.n[0] = (size_t)reg_edges(reg, lc_self(), seen.text[0]);
    lc_reg_register(reg, "second", lc_none(), NULL);
    seen.n[1] = (size_t)reg_edges(reg, lc_self(), NULL);
    lc_reg_unregister(reg, k);
    reg_edges(reg, lc_self(), seen.text[1]);
    lc_reg_unregister(reg, "second");
    seen.n[2] = (size_t)reg_edges(reg, lc_self(), NULL);
    /* Restarted by its supervisor, under its name. */
    lc_trap_exit(true);
    kill_wait(reg, lc_reason(LC_A_KILL));
    lc_sleep(10);
    seen.pid[0] = reg;
    seen.pid[1] = lc_whereis("reg");
    seen.rc[1] = lc_reg_register(seen.pid[1], "again", lc_none(), NULL);
}

GR_TEST(registry_supervised_and_drawn)
{
    reset();
    gr_run(drawn_run, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_msg(seen.ok[0], "the registry shows as LC_ROLE_REGISTRY");
    ck_assert_msg(seen.n[0] == 1,
                  "one REGISTERED edge per registered "
                  "process (found %zu)",
                  seen.n[0]);
    ck_assert_str_eq(seen.text[0], "{worker,1}");
    ck_assert_uint_eq(seen.n[1], 1);
    ck_assert_str_eq(seen.text[1], "second");
    ck_assert_uint_eq(seen.n[2], 0);
    ck_assert_msg(seen.pid[1] != LC_NOPID && seen.pid[1] != seen.pid[0],
                  "the child spec's registry is restarted under its name");
    ck_assert_int_eq(seen.rc[1], 0);
}

#define MANY_PROCS 1000
#define MANY_KEYS  100 /* each: 100,000 keys in all */

static void many_holder(void *p)
{
    intptr_t i = (intptr_t)p;
    lc_pid reg = lc_whereis("big");
    char k[LC_REG_KEY_MAX];
    for (int j = 0; j < MANY_KEYS; j++) {
        lc_reg_key_int(k, "k", i * MANY_KEYS + j);
        if (lc_reg_register(reg, k, lc_int(i), NULL) != 0) {
            seen.count[0]++;
        }
    }
    lc_msg_free(lc_receive(LC_INFINITY));
}

static void many_run(void *arg)
{
    lc_pid reg;
    struct lc_reg_opts o = { .name = "big" };
    seen.rc[0] = lc_reg_start_link(&o, &reg, NULL);
    static lc_pid pids[MANY_PROCS];
    for (intptr_t i = 0; i < MANY_PROCS; i++) {
        pids[i] = lc_spawn(many_holder, (void *)i);
    }
    lc_sleep(10);
    seen.n[0] = lc_reg_count(reg);
    char k[LC_REG_KEY_MAX];
    for (int round = 0; round < 3; round++) {
        for (intptr_t i = 0; i < MANY_PROCS * MANY_KEYS; i++) {
            lc_reg_key_int(k, "k", i);
            if (lc_reg_whereis(reg, k) != pids[i / MANY_KEYS]) {
                seen.count[1]++;
            }
        }
    }
    for (int i = 0; i < MANY_PROCS; i += 2) {
        lc_exit_signal(pids[i], lc_reason(LC_A_KILL));
    }
    lc_sleep(10);
    seen.n[1] = lc_reg_count(reg);
    lc_reg_key_int(k, "k", 5 * MANY_KEYS + 7);
    seen.ok[0] = lc_reg_whereis(reg, k) == pids[5];
    lc_reg_key_int(k, "k", 4 * MANY_KEYS + 7);
    seen.ok[1] = lc_reg_whereis(reg, k) == LC_NOPID;
}

GR_TEST(hundred_thousand_keys_found_and_cleaned)
{
    reset();
    gr_run(many_run, NULL);
    ck_assert_int_eq(seen.rc[0], 0);
    ck_assert_int_eq(seen.count[0], 0);
    ck_assert_uint_eq(seen.n[0], MANY_PROCS * MANY_KEYS);
    ck_assert_msg(seen.count[1] == 0, "%d of 300,000 lookups were wrong",
                  seen.count[1]);
    ck_assert_uint_eq(seen.n[1], MANY_PROCS * MANY_KEYS / 2);
    ck_assert(seen.ok[0]);
    ck_assert(seen.ok[1]);
}

/* --- Via names ---------------------------------------------------------------
 */

enum {
    V_PING = 1,
    V_ADD = 2,
    V_GET = 3,
    V_SELF = 4
};

struct vsrv {
    int64_t n;
};

static int vinit(void *arg, void **state, struct lc_reason *stop)
{
    const char *how = arg;
    if (how != NULL && strcmp(how, "fail") == 0) {
        *stop = lc_reason(lc_atom_intern("nope"));
        return LC_GS_STOP;
    }
    if (how != NULL && strcmp(how, "look") == 0) {
        seen.pid[10] = lc_reg_whereis(lc_whereis("vreg"), "{srv,1}");
        seen.pid[11] = lc_self();
    }
    struct vsrv *s = lc_zalloc(sizeof *s);
    *state = s;
    return LC_GS_CONTINUE;
}

static int vcall(void *state, int tag, const void *data, size_t size,
                 struct lc_gs_from from, struct lc_reason *stop)
{
    struct vsrv *s = state;
    if (tag == V_SELF) {
        lc_pid me = lc_self();
        lc_gs_reply(from, &me, sizeof me);
    } else {
        lc_gs_reply(from, &s->n, sizeof s->n);
    }
    return LC_GS_CONTINUE;
}

static int vcast(void *state, int tag, const void *data, size_t size,
                 struct lc_reason *stop)
{
    struct vsrv *s = state;
    int64_t d;
    memcpy(&d, data, sizeof d);
    s->n += d;
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops vops = { .init = vinit,
                                       .handle_call = vcall,
                                       .handle_cast = vcast };

static int64_t via_get(lc_pid reg, const char *key)
{
    struct lc_msg *m = lc_reg_via_call(reg, key, V_GET, NULL, 0, 5000);
    int64_t n;
    memcpy(&n, m->data, sizeof n);
    lc_msg_free(m);
    return n;
}

static lc_pid vreg_start(void)
{
    lc_pid reg;
    struct lc_reg_opts o = { .name = "vreg" };
    return lc_reg_start_link(&o, &reg, NULL) == 0 ? reg : LC_NOPID;
}

static void via_basic(void *arg)
{
    lc_pid reg = vreg_start();
    seen.rc[0] = reg ? 0 : -1;
    seen.rc[1] = lc_reg_via_start(reg, "{srv,1}", &vops, "look", NULL,
                                  &seen.pid[0], NULL);
    int64_t d = 5;
    seen.rc[2] = lc_reg_via_cast(reg, "{srv,1}", V_ADD, &d, sizeof d);
    lc_reg_via_cast(reg, "{srv,1}", V_ADD, &d, sizeof d);
    seen.count[0] = (int)via_get(reg, "{srv,1}");
    seen.pid[1] = lc_reg_whereis(reg, "{srv,1}");
}

GR_TEST(via_start_call_and_cast_by_key)
{
    reset();
    gr_run(via_basic, NULL);
    STARTED(seen.rc[0]);
    ck_assert_msg(seen.rc[1] == 0, "via start: %s", lc_err_name(seen.rc[1]));
    ck_assert_msg(seen.pid[1] == seen.pid[0],
                  "the key names the server that was started");
    ck_assert_int_eq(seen.rc[2], 0);
    ck_assert_int_eq(seen.count[0], 10);
}

GR_TEST(via_key_registered_before_init)
{
    reset();
    gr_run(via_basic, NULL);
    STARTED(seen.rc[0]);
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_msg(seen.pid[10] == seen.pid[11] && seen.pid[10] != LC_NOPID,
                  "during init, the key must already name the new server "
                  "(N5: register, then init)");
}

static void via_taken(void *arg)
{
    lc_pid reg = vreg_start();
    seen.rc[0] = reg ? 0 : -1;
    seen.rc[1] = lc_reg_via_start(reg, "{srv,1}", &vops, NULL, NULL,
                                  &seen.pid[0], NULL);
    size_t before = lc_proc_list(NULL, 0);
    seen.rc[2] = lc_reg_via_start_link(reg, "{srv,1}", &vops, NULL, NULL,
                                       &seen.pid[1], NULL);
    seen.n[0] = lc_proc_list(NULL, 0) - before;
    /* A key held by a plain registration is in use too. */
    lc_reg_register(reg, "{mine}", lc_none(), NULL);
    seen.rc[3] = lc_reg_via_start(reg, "{mine}", &vops, NULL, NULL,
                                  &seen.pid[2], NULL);
    seen.pid[3] = lc_self();
    /* A duplicate registry cannot give a via name one process. */
    lc_pid dup = start_reg(LC_REG_DUPLICATE);
    before = lc_proc_list(NULL, 0);
    seen.rc[4] = lc_reg_via_start(dup, "{srv,1}", &vops, NULL, NULL,
                                  &seen.pid[4], &seen.why[0]);
    seen.n[1] = lc_proc_list(NULL, 0) - before;
}

GR_TEST(via_key_in_use_is_already_started)
{
    reset();
    gr_run(via_taken, NULL);
    STARTED(seen.rc[0]);
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_msg(seen.rc[2] == LC_EALREADY && seen.pid[1] == seen.pid[0],
                  "a second start under the key: LC_EALREADY with the "
                  "running server (got %s)",
                  lc_err_name(seen.rc[2]));
    ck_assert_msg(seen.n[0] == 0, "nothing may be spawned for a key in use");
    ck_assert_msg(seen.rc[3] == LC_EALREADY && seen.pid[2] == seen.pid[3],
                  "a key registered by any process is in use");
    ck_assert_msg(seen.rc[4] == LC_ESTART && seen.n[1] == 0 &&
                          gr_reason_is(&seen.why[0], LC_A_BADARG),
                  "a via start in a duplicate registry: LC_ESTART with badarg "
                  "and nothing spawned (R5), got %s",
                  lc_err_name(seen.rc[4]));
}

static void via_fail(void *arg)
{
    lc_pid reg = vreg_start();
    seen.rc[0] = reg ? 0 : -1;
    seen.rc[1] = lc_reg_via_start(reg, "{srv,1}", &vops, "fail", NULL,
                                  &seen.pid[0], &seen.why[0]);
    seen.pid[1] = lc_reg_whereis(reg, "{srv,1}");
    seen.n[0] = lc_reg_count(reg);
    seen.rc[2] = lc_reg_via_start(reg, "{srv,1}", &vops, NULL, NULL,
                                  &seen.pid[2], NULL);
}

GR_TEST(via_failed_init_frees_the_key)
{
    reset();
    gr_run(via_fail, NULL);
    STARTED(seen.rc[0]);
    ck_assert_msg(seen.rc[1] == LC_ESTART, "init stopped: LC_ESTART, got %s",
                  lc_err_name(seen.rc[1]));
    ck_assert_str_eq(gr_reason_str(&seen.why[0]), "nope");
    ck_assert_msg(seen.pid[1] == LC_NOPID && seen.n[0] == 0,
                  "the key must be free once the failed start returns");
    ck_assert_int_eq(seen.rc[2], 0);
}

static void via_missing(void *arg)
{
    lc_pid reg = vreg_start();
    seen.rc[0] = reg ? 0 : -1;
    seen.rc[1] = lc_reg_via_cast(reg, "{srv,9}", V_ADD, "12345678", 8);
    LC_TRY
    {
        lc_reg_via_call(reg, "{srv,9}", V_GET, NULL, 0, 5000);
        seen.ok[0] = true; /* must not get here */
    }
    LC_CATCH(LC_CLASS_EXIT, e)
    {
        seen.why[0] = e->reason;
    }
    LC_END_TRY;
    LC_TRY
    {
        lc_reg_via_send(reg, "{srv,9}", 7, NULL, 0);
        seen.ok[1] = true;
    }
    LC_CATCH(LC_CLASS_ERROR, e)
    {
        seen.why[1] = e->reason;
    }
    LC_END_TRY;
}

GR_TEST(via_missing_key_noproc_cast_ok_send_badarg)
{
    reset();
    gr_run(via_missing, NULL);
    STARTED(seen.rc[0]);
    ck_assert_msg(seen.rc[1] == 0, "a cast to a missing key is ok");
    ck_assert_msg(!seen.ok[0], "a call to a missing key must exit");
    ck_assert_str_eq(gr_reason_str(&seen.why[0]), "{noproc, {call}}");
    ck_assert_msg(!seen.ok[1], "a send to a missing key must raise");
    ck_assert_msg(seen.why[1].value.type == LC_T_ATOM &&
                          seen.why[1].value.u.atom == LC_A_BADARG,
                  "the send raises the error badarg");
}

static int vchild(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return lc_reg_via_start_link(lc_whereis("vreg"), arg, &vops, NULL, NULL,
                                 pid, why);
}

static void via_restart(void *arg)
{
    lc_pid reg = vreg_start();
    seen.rc[0] = reg ? 0 : -1;
    struct lc_child_spec c[] = {
        { .id = "s1", .start = vchild, .arg = "{srv,1}", .arg_size = 8 },
        { .id = "s2", .start = vchild, .arg = "{srv,2}", .arg_size = 8 },
    };
    struct lc_sup_spec spec = { .children = c, .nchildren = 2 };
    lc_pid sup;
    seen.rc[1] = lc_sup_start_link(&spec, NULL, &sup, NULL);
    int64_t d = 3;
    lc_reg_via_cast(reg, "{srv,1}", V_ADD, &d, sizeof d);
    seen.pid[0] = lc_reg_whereis(reg, "{srv,1}");
    seen.pid[1] = lc_reg_whereis(reg, "{srv,2}");
    kill_wait(seen.pid[0], lc_reason(LC_A_KILL));
    lc_sleep(10);
    struct lc_msg *m = lc_reg_via_call(reg, "{srv,1}", V_SELF, NULL, 0, 5000);
    memcpy(&seen.pid[2], m->data, sizeof(lc_pid));
    lc_msg_free(m);
    seen.count[0] = (int)via_get(reg, "{srv,1}");
    seen.pid[3] = lc_reg_whereis(reg, "{srv,2}");
}

GR_TEST(restarted_server_found_again_under_its_key)
{
    reset();
    gr_run(via_restart, NULL);
    STARTED(seen.rc[0]);
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_msg(seen.pid[2] != LC_NOPID && seen.pid[2] != seen.pid[0],
                  "the call by key reaches the restarted server");
    ck_assert_int_eq(seen.count[0], 0); /* a fresh state */
    ck_assert_msg(seen.pid[3] == seen.pid[1], "the other server is untouched");
}

/* --- Races, over many seeds ---------------------------------------------- */

#define RACERS 20

static void racer(void *p)
{
    lc_pid reg = lc_whereis("vreg");
    lc_pid got = LC_NOPID;
    int rc = lc_reg_via_start(reg, "{srv,1}", &vops, NULL, NULL, &got, NULL);
    if (rc == 0) {
        seen.count[0]++;
        seen.pid[0] = got;
    } else if (rc == LC_EALREADY) {
        seen.count[1]++;
        seen.pid[1 + (seen.count[1] > 1)] = got; /* [1]: first, [2]: last */
        if (seen.count[1] > 1 && got != seen.pid[1]) {
            seen.count[2]++;
        }
    } else {
        seen.count[3]++;
    }
}

static void race_run(void *arg)
{
    lc_pid reg = vreg_start();
    seen.rc[0] = reg ? 0 : -1;
    for (int i = 0; i < RACERS; i++) {
        lc_spawn(racer, NULL);
    }
    lc_sleep(100);
    seen.n[0] = lc_reg_lookup(reg, "{srv,1}", seen.e, 8);
    lc_exit_signal(seen.pid[0], lc_reason(LC_A_KILL));
}

static void race_check(void)
{
    ck_assert_msg(seen.rc[0] == 0, "seed %llu: no registry",
                  (unsigned long long)cur_seed);
    ck_assert_msg(seen.count[0] == 1 && seen.count[1] == RACERS - 1 &&
                          seen.count[3] == 0,
                  "seed %llu: %d servers started, %d already_started, %d "
                  "other errors (LC_SEED=%llu replays it)",
                  (unsigned long long)cur_seed, seen.count[0], seen.count[1],
                  seen.count[3], (unsigned long long)cur_seed);
    ck_assert_msg(seen.count[2] == 0 && seen.pid[1] == seen.pid[0],
                  "seed %llu: already_started must name the one server",
                  (unsigned long long)cur_seed);
    ck_assert_msg(seen.n[0] == 1 && seen.e[0].pid == seen.pid[0],
                  "seed %llu: the key names the one server",
                  (unsigned long long)cur_seed);
}

GR_TEST(via_start_race_one_winner_any_schedule)
{
    over_seeds(race_run, race_check, 200);
}

/* Registrations and deaths interleaved: the table stays exact. */
static void churn_holder(void *p)
{
    lc_pid reg = lc_whereis("vreg");
    intptr_t i = (intptr_t)p;
    char k[LC_REG_KEY_MAX];
    lc_reg_key_int(k, "k", i % 5);
    lc_reg_register(reg, k, lc_int(i), NULL);
    lc_reg_register(reg, "all", lc_int(i), NULL);
    lc_yield();
    if (i % 3 == 0) {
        lc_reg_unregister(reg, k);
    }
    if (i % 2 == 0) {
        lc_error(lc_atom_term(lc_atom_intern("boom")));
    }
    lc_msg_free(lc_receive(LC_INFINITY));
}

static void churn_run(void *arg)
{
    lc_pid reg;
    struct lc_reg_opts o = { .keys = LC_REG_DUPLICATE, .name = "vreg" };
    seen.rc[0] = lc_reg_start_link(&o, &reg, NULL);
    lc_pid p[30];
    for (intptr_t i = 0; i < 30; i++) {
        p[i] = lc_spawn(churn_holder, (void *)i);
    }
    lc_sleep(50);
    /* Live: odd i. Each has "all", and its {k,i%5} unless i%3 == 0. */
    size_t want = 0;
    for (int i = 1; i < 30; i += 2) {
        want += i % 3 == 0 ? 1 : 2;
    }
    seen.n[0] = want;
    seen.n[1] = lc_reg_count(reg);
    seen.n[2] = lc_reg_lookup(reg, "all", NULL, 0);
    seen.n[3] = (size_t)reg_edges(reg, LC_NOPID, NULL);
    for (int i = 0; i < 30; i++) {
        lc_exit_signal(p[i], lc_reason(LC_A_KILL));
    }
    lc_sleep(10);
    seen.n[4] = lc_reg_count(reg);
}

static void churn_check(void)
{
    ck_assert_msg(seen.rc[0] == 0 && seen.n[1] == seen.n[0] &&
                          seen.n[2] == 15 && seen.n[3] == 15 && seen.n[4] == 0,
                  "seed %llu: count %zu (want %zu), under all %zu (want "
                  "15), edges %zu (want 15), after all died %zu",
                  (unsigned long long)cur_seed, seen.n[1], seen.n[0], seen.n[2],
                  seen.n[3], seen.n[4]);
}

GR_TEST(register_and_deaths_exact_any_schedule)
{
    over_seeds(churn_run, churn_check, 200);
}

/* --- The EchoServer, found through the registry ----------------------------
 */

enum {
    ECHO = 1
};

static int echo_init(void *arg, void **state, struct lc_reason *stop)
{
    return LC_GS_CONTINUE;
}

static int echo_call(void *state, int tag, const void *data, size_t size,
                     struct lc_gs_from from, struct lc_reason *stop)
{
    lc_gs_reply(from, data, size);
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops echo_ops = { .init = echo_init,
                                           .handle_call = echo_call };

static void echo_run(void *arg)
{
    lc_pid reg = vreg_start();
    seen.rc[0] = reg ? 0 : -1;
    char k[LC_REG_KEY_MAX];
    for (int i = 1; i <= 3; i++) {
        lc_reg_key_int(k, "echo", i);
        seen.rc[i] = lc_reg_via_start(reg, k, &echo_ops, NULL, NULL,
                                      &seen.pid[i], NULL);
    }
    lc_reg_key_int(k, "echo", 2);
    struct lc_msg *m = lc_reg_via_call(reg, k, ECHO, "hello", 6, 5000);
    snprintf(seen.text[0], sizeof seen.text[0], "%s", (const char *)m->data);
    lc_msg_free(m);
    seen.pid[5] = lc_reg_whereis(reg, k);
    kill_wait(seen.pid[2], lc_reason(LC_A_KILL));
    seen.pid[6] = lc_reg_whereis(reg, k);
    seen.rc[4] =
            lc_reg_via_start(reg, k, &echo_ops, NULL, NULL, &seen.pid[7], NULL);
    m = lc_reg_via_call(reg, k, ECHO, "again", 6, 5000);
    snprintf(seen.text[1], sizeof seen.text[1], "%s", (const char *)m->data);
    lc_msg_free(m);
}

GR_TEST(echo_server_found_through_registry)
{
    reset();
    gr_run(echo_run, NULL);
    STARTED(seen.rc[0]);
    for (int i = 1; i <= 3; i++) {
        ck_assert_int_eq(seen.rc[i], 0);
    }
    ck_assert_str_eq(seen.text[0], "hello");
    ck_assert_msg(seen.pid[5] == seen.pid[2], "{echo,2} is the second server");
    ck_assert_msg(seen.pid[6] == LC_NOPID, "a killed echo server is gone");
    ck_assert_int_eq(seen.rc[4], 0);
    ck_assert_str_eq(seen.text[1], "again");
}

/* --- To-do stage pool_supervision ------------------------------------------
 */

static char *const td_dir = scratch_dir; /* scratch.h */
static struct todo_config td_cfg;
static const struct todo_date td_day = { 2026, 12, 19 };

static void td_reset(void)
{
    reset();
    scratch_make("lc-todo-grade");
    ck_assert_int_eq(todo_config_init(&td_cfg, td_dir), 0);
    td_cfg.workers = 3;
}

/* The pids of the pool's workers 1..3 into out[1..3], by key. */
static void td_workers(lc_pid *out)
{
    lc_pid reg = lc_whereis(TODO_REGISTRY_NAME);
    char k[LC_REG_KEY_MAX];
    for (int i = 1; i <= 3; i++) {
        lc_reg_key_int(k, "worker", i);
        out[i] = lc_reg_whereis(reg, k);
    }
}

static void td_shape(void *arg)
{
    lc_pid sup;
    seen.rc[0] = todo_pool_system_start_link(&td_cfg, &sup);
    if (seen.rc[0] != 0) {
        return;
    }
    struct lc_child_info kids[4], pool[8];
    seen.n[0] = lc_sup_which_children(sup, kids, 4);
    /* which_children: newest first */
    seen.ok[0] = seen.n[0] == 3 &&
                 strcmp(kids[2].id, TODO_REGISTRY_NAME) == 0 &&
                 strcmp(kids[1].id, TODO_DATABASE_NAME) == 0 &&
                 kids[1].type == LC_CHILD_SUPERVISOR &&
                 strcmp(kids[0].id, TODO_CACHE_NAME) == 0;
    seen.pid[0] = lc_whereis(TODO_DATABASE_NAME);
    seen.n[1] = lc_sup_which_children(seen.pid[0], pool, 8);
    td_workers(seen.pid);
    seen.ok[1] = true;
    for (size_t i = 0; i < seen.n[1] && i < 8; i++) {
        bool found = false;
        for (int w = 1; w <= 3; w++) {
            found |= pool[i].pid == seen.pid[w] && pool[i].pid != LC_NOPID;
        }
        seen.ok[1] &= found;
    }
    seen.rc[1] = todo_add("Bob's list", td_day, "Dentist", NULL);
    seen.rc[2] = todo_add("Alice's list", td_day, "Piano", NULL);
    seen.count[0] = todo_entries("Bob's list", td_day, NULL, 0);
    char key[LC_REG_KEY_MAX];
    lc_reg_key_int(key, "worker", todo_worker_for("Bob's list", 3));
    seen.ok[2] = todo_pool_worker_of("Bob's list") ==
                 lc_reg_whereis(lc_whereis(TODO_REGISTRY_NAME), key);
}

GR_TEST(todo_pool_tree_registry_pool_cache)
{
    td_reset();
    gr_run(td_shape, NULL);
    ck_assert_msg(seen.rc[0] == 0, "todo_pool_system_start_link: %s",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(seen.ok[0], "the system's children: todo_registry, "
                              "todo_database (a supervisor), todo_cache");
    ck_assert_uint_eq(seen.n[1], 3);
    ck_assert_msg(seen.ok[1], "the pool supervisor's children are the "
                              "processes under {worker,1..3}");
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_int_eq(seen.rc[2], 0);
    ck_assert_int_eq(seen.count[0], 1);
    ck_assert_msg(seen.ok[2], "worker_of: {worker,todo_worker_for(list)}");
}

static void td_kill_one(void *arg)
{
    lc_pid sup;
    seen.rc[0] = todo_pool_system_start_link(&td_cfg, &sup);
    if (seen.rc[0] != 0) {
        return;
    }
    todo_add("Bob's list", td_day, "Dentist", NULL);
    todo_add("Alice's list", td_day, "Piano", NULL);
    lc_pid before[4], after[4];
    td_workers(before);
    lc_pid cache = lc_whereis(TODO_CACHE_NAME);
    lc_pid pool = lc_whereis(TODO_DATABASE_NAME);
    lc_pid reg = lc_whereis(TODO_REGISTRY_NAME);
    lc_pid bob = todo_hooks()->server_process("Bob's list");
    int victim = todo_worker_for("Bob's list", 3);
    kill_wait(before[victim], lc_reason(LC_A_KILL));
    lc_sleep(10);
    td_workers(after);
    seen.ok[0] = after[victim] != LC_NOPID && after[victim] != before[victim];
    seen.ok[1] = true;
    for (int i = 1; i <= 3; i++) {
        if (i != victim) {
            seen.ok[1] &= after[i] == before[i];
        }
    }
    seen.ok[2] = lc_whereis(TODO_CACHE_NAME) == cache &&
                 lc_whereis(TODO_DATABASE_NAME) == pool &&
                 lc_whereis(TODO_REGISTRY_NAME) == reg &&
                 todo_hooks()->server_process("Bob's list") == bob;
    seen.rc[1] = todo_add("Bob's list", td_day, "Movies", NULL);
    seen.count[0] = todo_entries("Bob's list", td_day, NULL, 0);
    seen.count[1] = todo_entries("Alice's list", td_day, NULL, 0);
    struct lc_child_info kids[4];
    lc_sup_which_children(pool, kids, 4);
    struct lc_info info;
    seen.count[2] = 0;
    for (int i = 0; i < 3; i++) {
        if (lc_proc_info(kids[i].pid, &info) == 0) {
            seen.count[2] += (int)info.restarts;
        }
    }
}

GR_TEST(todo_pool_killed_worker_restarts_alone)
{
    td_reset();
    gr_run(td_kill_one, NULL);
    ck_assert_msg(seen.rc[0] == 0, "todo_pool_system_start_link: %s",
                  lc_err_name(seen.rc[0]));
    ck_assert_msg(seen.ok[0], "the killed worker is restarted and found "
                              "again under its key");
    ck_assert_msg(seen.ok[1], "the other workers are untouched");
    ck_assert_msg(seen.ok[2], "the cache, the pool, the registry and the "
                              "list's server are untouched");
    ck_assert_int_eq(seen.rc[1], 0);
    ck_assert_int_eq(seen.count[0], 2);
    ck_assert_int_eq(seen.count[1], 1);
}

static void td_many_kills(void *arg)
{
    lc_pid sup;
    seen.rc[0] = todo_pool_system_start_link(&td_cfg, &sup);
    if (seen.rc[0] != 0) {
        return;
    }
    const char *lists[] = { "a", "b", "c" };
    for (int r = 0; r < 3; r++) {
        for (size_t i = 0; i < N(lists); i++) {
            if (todo_add(lists[i], td_day, "x", NULL) != 0) {
                seen.count[0]++;
            }
        }
        lc_pid w[4];
        td_workers(w);
        lc_exit_signal(w[1 + r % 3], lc_reason(LC_A_KILL));
        lc_sleep(1000 * 3); /* past the intensity window's share */
    }
    for (size_t i = 0; i < N(lists); i++) {
        if (todo_entries(lists[i], td_day, NULL, 0) != 3) {
            seen.count[1]++;
        }
    }
    seen.ok[0] = lc_alive(sup);
}

static void td_many_check(void)
{
    ck_assert_msg(seen.rc[0] == 0 && seen.count[0] == 0 && seen.count[1] == 0 &&
                          seen.ok[0],
                  "seed %llu: start %s, %d failed adds, %d lists wrong, "
                  "system alive %d",
                  (unsigned long long)cur_seed, lc_err_name(seen.rc[0]),
                  seen.count[0], seen.count[1], seen.ok[0]);
}

static void td_many_seed(void *arg)
{
    td_many_kills(arg);
}

GR_TEST(todo_pool_worker_kills_unnoticed_any_schedule)
{
    for (cur_seed = 1; cur_seed <= 10; cur_seed++) {
        td_reset();
        struct lc_config cfg = { .chaos = true, .seed = cur_seed };
        ck_assert_int_eq(lc_init(&cfg), 0);
        lc_spawn(td_many_seed, NULL);
        lc_run();
        td_many_check();
        lc_fini();
    }
}
