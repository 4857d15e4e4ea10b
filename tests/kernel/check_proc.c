/*
 * check_proc.c - the life of a process (kernel/proc.c): spawn, self, alive,
 * exit, kill, exit hooks, process-local slots and spawn options.
 *
 * Every OTP layer of the course stands on three promises tested here: a
 * process ends with exactly the reason it was given, the exit hooks see that
 * reason while the process's slots and memory are still there, and a pid
 * never names a later process.
 */
#include "ktest.h"

#include <signal.h>
#include <string.h>

static struct {
    lc_pid self;
    void *arg;
    int ran;
    int dtor_runs;
    int got_tag;
    lc_pid got_from;
    char got_text[16];
    void *local_seen[4];
    bool slots_were_null;
    lc_pid spawned_in_fini;
    /* what the first exit hook saw */
    lc_pid hook_self;
    bool hook_alive;
    bool hook_info_exiting; /* described, in state EXITING */
    void *hook_local;
    char hook_text[16];
    int hook_dtor_runs;
} seen;

/* Hooks are global and cannot be removed: each test's hooks have a gate. */
static bool exit_hooks_on, fini_hook_on;

static void reset(void)
{
    memset(&seen, 0, sizeof seen);
    exit_hooks_on = fini_hook_on = false;
}

/* --- Bodies ------------------------------------------------------------- */

static void record_self(void *arg)
{
    seen.self = lc_self();
    seen.arg = arg;
    seen.ran++;
}

static void noop(void *arg)
{
    (void)arg;
}

static void wait_forever(void *arg)
{
    (void)arg;
    kt_say("wait ");
    struct lc_msg *m = lc_receive(LC_INFINITY);
    kt_say("woke ");
    lc_msg_free(m);
}

static void exit_with(void *arg)
{
    lc_proc_exit(*(const struct lc_reason *)arg);
    kt_say("after exit "); /* never */
}

/* --- Spawn, self, alive ------------------------------------------------- */

START_TEST(spawn_runs_the_function_later)
{
    kt_init(NULL);
    ck_assert_uint_eq(lc_self(), LC_NOPID);
    int x;
    lc_pid p = lc_spawn(record_self, &x);
    ck_assert_str_eq(kt_pid(p), "<0.1.0>");
    ck_assert_int_eq(seen.ran, 0); /* not during the spawn */
    ck_assert(lc_alive(p));
    ck_assert_uint_eq(lc_run(), 0);
    ck_assert_int_eq(seen.ran, 1);
    ck_assert_uint_eq(seen.self, p);
    ck_assert_ptr_eq(seen.arg, &x);
    ck_assert(!lc_alive(p));
    kt_assert_exit(p, LC_A_NORMAL);
    ck_assert_uint_eq(lc_self(), LC_NOPID);
}
END_TEST

static void child_says(void *arg)
{
    (void)arg;
    kt_say("child ");
}

static void parent_spawns(void *arg)
{
    (void)arg;
    kt_say("p1 ");
    lc_spawn(child_says, NULL);
    kt_say("p2 ");
    lc_yield();
    kt_say("p3 ");
}

START_TEST(child_waits_for_the_parents_next_switch)
{
    kt_init(NULL);
    lc_spawn(parent_spawns, NULL);
    lc_run();
    ck_assert_str_eq(kt_said(), "p1 p2 child p3 ");
}
END_TEST

START_TEST(pids_are_never_reused)
{
    kt_init(NULL);
    lc_pid a = lc_spawn(noop, NULL);
    lc_pid b = lc_spawn(noop, NULL);
    lc_run();
    /* Freed entries are reused oldest first, with a new generation. */
    lc_pid c = lc_spawn(wait_forever, NULL);
    lc_pid d = lc_spawn(wait_forever, NULL);
    lc_pid e = lc_spawn(wait_forever, NULL);
    ck_assert_str_eq(kt_pid(a), "<0.1.0>");
    ck_assert_str_eq(kt_pid(b), "<0.2.0>");
    ck_assert_str_eq(kt_pid(c), "<0.1.1>");
    ck_assert_str_eq(kt_pid(d), "<0.2.1>");
    ck_assert_str_eq(kt_pid(e), "<0.3.0>");
    ck_assert(!lc_alive(a));
    ck_assert(lc_alive(c));
    /* A message to the old pid does not reach the new process. */
    ck_assert_int_eq(lc_send(a, 1, "x", 1), 0);
    ck_assert_uint_eq(lc_run_until_idle(), 3);
    struct lc_info in;
    ck_assert_int_eq(lc_proc_info(c, &in), 0);
    ck_assert_uint_eq(in.mailbox_len, 0);
    ck_assert_int_eq(lc_kill(a, lc_reason(LC_A_KILL)), LC_ENOPROC);
    ck_assert(lc_alive(c));
}
END_TEST

START_TEST(alive_of_nothing)
{
    ck_assert(!lc_alive(1)); /* no runtime */
    ck_assert_uint_eq(lc_spawn(noop, NULL), LC_NOPID);
    kt_init(NULL);
    ck_assert(!lc_alive(LC_NOPID));
    ck_assert(!lc_alive(1));
    ck_assert(!lc_alive(((lc_pid)7 << 32) | 1));
    ck_assert(!lc_alive(0xffffffffu));
}
END_TEST

/* --- Exit --------------------------------------------------------------- */

START_TEST(exit_reason_is_kept_exactly)
{
    kt_init(NULL);
    struct lc_reason r = lc_reason_with(LC_A_SHUTDOWN, lc_int(7));
    r.where = "here.c:1";
    r.via = LC_A_CALL;
    lc_pid p = lc_spawn(exit_with, &r);
    lc_run();
    const struct lc_reason *got = kt_exit_of(p);
    ck_assert_ptr_nonnull(got);
    ck_assert_msg(lc_reason_eq(got, &r), "got %s", kt_str(got));
    ck_assert_str_eq(got->where, "here.c:1");
    ck_assert_str_eq(kt_said(), ""); /* nothing ran after lc_proc_exit() */
}
END_TEST

/* An exit from deep in the stack: the exit path must still work when the
   process has little stack left. */
static void deep_exit(int depth)
{
    volatile char pad[512];
    pad[0] = (char)depth;
    if (depth < 0) {
        return;
    }
    if (depth == 0) {
        lc_proc_exit(lc_reason(LC_A_SHUTDOWN));
    }
    deep_exit(depth - 1);
    kt_say("%d", pad[0]);
}

static void exit_deep(void *arg)
{
    lc_send(lc_self(), 1, "held", 5);
    lc_alloc(100);
    deep_exit((int)(intptr_t)arg);
}

START_TEST(exit_from_deep_in_the_stack)
{
    kt_init(NULL);
    /* 16 KiB of stack, 16 frames of ~600 bytes: a few KiB are left. And a
       shallow exit from a default stack. */
    struct lc_spawn_opts o = { .stack_size = LC_STACK_MIN };
    lc_pid p, q;
    ck_assert_int_eq(lc_spawn_opt(&p, exit_deep, (void *)16, &o), 0);
    ck_assert_int_eq(lc_spawn_opt(&q, exit_deep, (void *)2, NULL), 0);
    lc_run();
    kt_assert_exit(p, LC_A_SHUTDOWN);
    kt_assert_exit(q, LC_A_SHUTDOWN);
    ck_assert_str_eq(kt_said(), "");
}
END_TEST

/* --- Kill --------------------------------------------------------------- */

static void kill_arg(void *arg)
{
    lc_pid victim = *(lc_pid *)arg;
    struct lc_reason r = lc_reason_with(lc_atom_intern("told"), lc_int(1));
    kt_say("kill=%d ", lc_kill(victim, r));
}

START_TEST(kill_wakes_a_waiting_process_to_die)
{
    kt_init(NULL);
    lc_pid v = lc_spawn(wait_forever, NULL);
    lc_pid k = lc_spawn(kill_arg, &v);
    ck_assert_uint_eq(lc_run(), 0);
    ck_assert_str_eq(kt_said(), "wait kill=0 ");
    struct lc_reason want = lc_reason_with(lc_atom_intern("told"), lc_int(1));
    ck_assert_ptr_nonnull(kt_exit_of(v));
    ck_assert_msg(lc_reason_eq(kt_exit_of(v), &want), "%s",
                  kt_str(kt_exit_of(v)));
    kt_assert_exit(k, LC_A_NORMAL);
}
END_TEST

START_TEST(kill_before_the_first_run)
{
    kt_init(NULL);
    lc_pid v = lc_spawn(record_self, NULL);
    ck_assert_int_eq(lc_kill(v, lc_reason(LC_A_KILLED)), 0);
    lc_run();
    ck_assert_int_eq(seen.ran, 0);
    kt_assert_exit(v, LC_A_KILLED);
}
END_TEST

static void kill_self(void *arg)
{
    (void)arg;
    lc_kill(lc_self(), lc_reason(LC_A_SHUTDOWN));
    kt_say("after kill ");
}

START_TEST(kill_self_ends_now)
{
    kt_init(NULL);
    lc_pid p = lc_spawn(kill_self, NULL);
    lc_run();
    kt_assert_exit(p, LC_A_SHUTDOWN);
    ck_assert_str_eq(kt_said(), "");
}
END_TEST

START_TEST(first_kill_reason_stands)
{
    kt_init(NULL);
    lc_pid v = lc_spawn(wait_forever, NULL);
    lc_run_until_idle();
    ck_assert_int_eq(lc_kill(v, lc_reason(LC_A_SHUTDOWN)), 0);
    ck_assert_int_eq(lc_kill(v, lc_reason(LC_A_KILLED)), 0);
    lc_run();
    kt_assert_exit(v, LC_A_SHUTDOWN);
}
END_TEST

/* The kernel ends a process with the reason it is given: turning `kill`
   into `killed` is the links layer's job (chapter 2). */
START_TEST(kill_keeps_the_reason_as_given)
{
    kt_init(NULL);
    lc_pid v = lc_spawn(wait_forever, NULL);
    lc_run_until_idle();
    lc_kill(v, lc_reason(LC_A_KILL));
    lc_run();
    kt_assert_exit(v, LC_A_KILL);
}
END_TEST

/* lc_doomed(): from the kill until the process ends, and never for a
   process that later takes the same table entry. */
START_TEST(doomed_from_the_kill_until_the_end)
{
    kt_init(NULL);
    lc_pid v = lc_spawn(wait_forever, NULL);
    lc_pid u = lc_spawn(wait_forever, NULL);
    lc_pid z = lc_spawn(wait_forever, NULL);
    lc_run_until_idle();
    ck_assert(lc_alive(v) && !lc_doomed(v));
    ck_assert_int_eq(lc_kill(v, lc_reason(LC_A_SHUTDOWN)), 0);
    ck_assert_msg(lc_alive(v) && lc_doomed(v),
                  "killed, not yet ended: alive and doomed");
    ck_assert(!lc_doomed(u));
    lc_kill(u, lc_reason(LC_A_SHUTDOWN));
    lc_run_until_idle();
    kt_assert_exit(v, LC_A_SHUTDOWN);
    ck_assert(!lc_alive(v) && !lc_doomed(v) && !lc_doomed(u));
    /* v's entry, freed first, is taken again by a new process. z, killed
       now, makes sure a PCB is read (with nobody doomed, lc_doomed()
       answers without reading one). */
    lc_pid w = lc_spawn(wait_forever, NULL);
    ck_assert_uint_eq((uint32_t)w, (uint32_t)v); /* the same entry */
    lc_kill(z, lc_reason(LC_A_KILL));
    ck_assert(lc_doomed(z));
    ck_assert_msg(!lc_doomed(w), "a new process in the entry is not doomed");
    ck_assert(!lc_doomed(LC_NOPID) && !lc_doomed(999999));
    lc_kill(w, lc_reason(LC_A_KILL));
    lc_run();
    ck_assert(!lc_doomed(z) && !lc_doomed(w));
}
END_TEST

START_TEST(kill_of_nothing_is_enoproc)
{
    kt_init(NULL);
    lc_pid p = lc_spawn(noop, NULL);
    lc_run();
    ck_assert_int_eq(lc_kill(p, lc_reason(LC_A_KILL)), LC_ENOPROC);
    ck_assert_int_eq(lc_kill(LC_NOPID, lc_reason(LC_A_KILL)), LC_ENOPROC);
    ck_assert_int_eq(lc_kill(999999, lc_reason(LC_A_KILL)), LC_ENOPROC);
    ck_assert_uint_eq(kt_exits(), 1);
}
END_TEST

static void sleep_long(void *arg)
{
    (void)arg;
    lc_sleep(1000);
    kt_say("slept ");
}

START_TEST(kill_a_sleeper_cancels_its_timer)
{
    kt_init(NULL);
    lc_pid v = lc_spawn(sleep_long, NULL);
    lc_run_until_idle();
    lc_kill(v, lc_reason(LC_A_SHUTDOWN));
    lc_run();
    kt_assert_exit(v, LC_A_SHUTDOWN);
    ck_assert_str_eq(kt_said(), "");
    ck_assert_int_eq(lc_now(), 0); /* its timer did not keep the clock going */
}
END_TEST

/* --- Exit hooks --------------------------------------------------------- */

static void count_dtor(void *obj)
{
    (void)obj;
    seen.dtor_runs++;
}

static void hook_first(lc_pid pid, const struct lc_reason *why)
{
    if (!exit_hooks_on) {
        return;
    }
    kt_say("first:%s:%s ", kt_pid(pid), kt_str(why));
    seen.hook_self = lc_self();
    seen.hook_alive = lc_alive(pid);
    struct lc_info in;
    seen.hook_info_exiting =
            lc_proc_info(pid, &in) == 0 && in.state == LC_STATE_EXITING;
    void **slot = lc_local(pid, LC_LOCAL_USER);
    seen.hook_local = slot ? *slot : NULL;
    if (seen.hook_local != NULL) {
        memcpy(seen.hook_text, seen.hook_local, 6); /* lc_alloc() memory */
    }
    seen.hook_dtor_runs = seen.dtor_runs;
}

static void hook_second(lc_pid pid, const struct lc_reason *why)
{
    (void)why;
    if (exit_hooks_on) {
        kt_say("second:%s ", kt_pid(pid));
    }
}

static void dies_with_state(void *arg)
{
    (void)arg;
    char *mem = lc_alloc(16);
    strcpy(mem, "alive");
    *lc_local(lc_self(), LC_LOCAL_USER) = mem;
    lc_resource_add(count_dtor, NULL);
    lc_proc_exit(lc_reason_with(LC_A_SHUTDOWN, lc_int(3)));
}

START_TEST(exit_hooks_run_in_order_before_cleanup)
{
    ck_assert_int_eq(lc_exit_hook_add(hook_first), 0);
    ck_assert_int_eq(lc_exit_hook_add(hook_second), 0);
    ck_assert_int_eq(lc_exit_hook_add(hook_first), 0); /* no second copy */
    exit_hooks_on = true;
    kt_init(NULL);
    lc_pid p = lc_spawn(dies_with_state, NULL);
    lc_run();
    exit_hooks_on = false;
    ck_assert_str_eq(kt_said(), "first:<0.1.0>:{shutdown, 3} second:<0.1.0> ");
    ck_assert_uint_eq(seen.hook_self, p);
    ck_assert_msg(!seen.hook_alive, "lc_alive() is true in its exit hook");
    ck_assert(seen.hook_info_exiting);
    ck_assert_ptr_nonnull(seen.hook_local);
    ck_assert_str_eq(seen.hook_text, "alive");
    ck_assert_int_eq(seen.hook_dtor_runs, 0); /* resources after the hooks */
    ck_assert_int_eq(seen.dtor_runs, 1);
}
END_TEST

static lc_pid hook_a, hook_b, hook_c;

static void a_died(lc_pid pid, const struct lc_reason *why)
{
    (void)why;
    if (pid == hook_a) {
        lc_send(hook_b, 7, "bye", 4);
        lc_send(pid, 8, "self", 5); /* to the ending process: dropped */
        lc_kill(hook_c, lc_reason_with(LC_A_SHUTDOWN, lc_int(99)));
    }
}

static void b_receives(void *arg)
{
    (void)arg;
    struct lc_msg *m = lc_receive(LC_INFINITY);
    seen.got_tag = m->tag;
    seen.got_from = m->from;
    memcpy(seen.got_text, m->data, m->size < 16 ? m->size : 16);
    lc_msg_free(m);
}

START_TEST(exit_hooks_may_send_and_kill)
{
    kt_init(NULL);
    kt_on_exit = a_died;
    hook_b = lc_spawn(b_receives, NULL);
    hook_c = lc_spawn(wait_forever, NULL);
    hook_a = lc_spawn(noop, NULL);
    ck_assert_uint_eq(lc_run(), 0);
    ck_assert_int_eq(seen.got_tag, 7);
    ck_assert_uint_eq(seen.got_from, hook_a);
    ck_assert_str_eq(seen.got_text, "bye");
    const struct lc_reason *rc = kt_exit_of(hook_c);
    struct lc_reason want = lc_reason_with(LC_A_SHUTDOWN, lc_int(99));
    ck_assert_ptr_nonnull(rc);
    ck_assert_msg(lc_reason_eq(rc, &want), "%s", kt_str(rc));
}
END_TEST

static lc_pid mortal;
static int rebirths;

static void reborn(void *arg)
{
    kt_say("reborn:%s ", (const char *)arg);
}

static void spawn_in_hook(lc_pid pid, const struct lc_reason *why)
{
    (void)why;
    if (pid == mortal) {
        rebirths++;
        lc_spawn(reborn, rebirths == 1 ? "once" : "twice");
    }
}

static void die_shallow(void *arg)
{
    (void)arg;
    kt_say("dies ");
}

/* A hook may start a process; it runs later, in turn. The first death is a
   shallow exit from the process's own stack, the second from deep down. */
START_TEST(an_exit_hook_may_spawn)
{
    kt_init(NULL);
    kt_on_exit = spawn_in_hook;
    rebirths = 0;
    mortal = lc_spawn(die_shallow, NULL);
    lc_run();
    struct lc_spawn_opts o = { .stack_size = LC_STACK_MIN };
    lc_spawn_opt(&mortal, exit_deep, (void *)16, &o);
    lc_run();
    ck_assert_str_eq(kt_said(), "dies reborn:once reborn:twice ");
    ck_assert_uint_eq(kt_abnormal_exits(), 1); /* exit_deep: shutdown */
    ck_assert_uint_eq(lc_proc_list(NULL, 0), 0);
}
END_TEST

static void say_exit(lc_pid pid, const struct lc_reason *why)
{
    kt_say("%s:%s ", kt_pid(pid), kt_str(why));
    seen.spawned_in_fini = lc_spawn(noop, NULL);
}

static void fini_hook(void)
{
    if (fini_hook_on) {
        kt_say("fini:%zu ", lc_proc_list(NULL, 0));
    }
}

START_TEST(fini_ends_survivors_with_killed)
{
    ck_assert_int_eq(lc_fini_hook_add(fini_hook), 0);
    ck_assert_int_eq(lc_fini_hook_add(fini_hook), 0);
    fini_hook_on = true;
    kt_init(NULL);
    lc_spawn(wait_forever, NULL);
    lc_spawn(wait_forever, NULL);
    ck_assert_uint_eq(lc_run(), 2);
    lc_spawn(record_self, NULL); /* never gets a turn */
    kt_on_exit = say_exit;
    lc_fini();
    fini_hook_on = false;
    ck_assert_str_eq(kt_said(), "wait wait <0.1.0>:killed <0.2.0>:killed "
                                "<0.3.0>:killed fini:0 ");
    ck_assert_int_eq(seen.ran, 0);
    ck_assert_uint_eq(seen.spawned_in_fini, LC_NOPID);
}
END_TEST

/* --- Process-local slots ------------------------------------------------ */

static void use_slot(void *arg)
{
    bool all_null = true;
    for (int s = 0; s < LC_NLOCAL; s++) {
        all_null &= *lc_local(lc_self(), (enum lc_local)s) == NULL;
    }
    seen.slots_were_null = all_null;
    *lc_local(lc_self(), LC_LOCAL_USER) = arg;
    lc_yield(); /* the other process sets its own slot meanwhile */
    int i = *(int *)arg;
    seen.local_seen[i] = *lc_local(lc_self(), LC_LOCAL_USER);
    lc_msg_free(lc_receive(LC_INFINITY));
}

START_TEST(local_slots_belong_to_one_process)
{
    static int zero = 0, one = 1;
    kt_init(NULL);
    lc_pid p0 = lc_spawn(use_slot, &zero);
    lc_pid p1 = lc_spawn(use_slot, &one);
    ck_assert_uint_eq(lc_run_until_idle(), 2);
    ck_assert(seen.slots_were_null);
    ck_assert_ptr_eq(seen.local_seen[0], &zero);
    ck_assert_ptr_eq(seen.local_seen[1], &one);
    ck_assert_ptr_eq(*lc_local(p0, LC_LOCAL_USER), &zero);
    ck_assert_ptr_eq(*lc_local(p1, LC_LOCAL_USER), &one);
    ck_assert_ptr_null(lc_local(p0, LC_NLOCAL));
    ck_assert_ptr_null(lc_local(LC_NOPID, LC_LOCAL_USER));
    lc_send(p0, 0, NULL, 0);
    lc_run();
    ck_assert_ptr_null(lc_local(p0, LC_LOCAL_USER)); /* ended */
    /* A new process in the same table entry and stack starts clean. */
    seen.slots_were_null = false;
    lc_pid p2 = lc_spawn(use_slot, &zero);
    lc_run_until_idle();
    ck_assert_uint_eq((uint32_t)p2, (uint32_t)p0);
    ck_assert(seen.slots_were_null);
}
END_TEST

/* --- Spawn options ------------------------------------------------------ */

static void idle_until_told(void *arg)
{
    (void)arg;
    lc_msg_free(lc_receive(LC_INFINITY));
}

START_TEST(spawn_options)
{
    kt_init(NULL);
    char name[16] = "worker";
    struct lc_spawn_opts o = { .name = name, .parent = 12345 };
    lc_pid p;
    ck_assert_int_eq(lc_spawn_opt(&p, idle_until_told, NULL, &o), 0);
    strcpy(name, "changed"); /* the kernel kept its own copy */
    struct lc_info in;
    ck_assert_int_eq(lc_proc_info(p, &in), 0);
    ck_assert_str_eq(in.name, "worker");
    ck_assert_uint_eq(in.parent, 12345);
    ck_assert_int_eq(lc_spawn_opt(&p, idle_until_told, NULL, NULL), 0);
    ck_assert_int_eq(lc_proc_info(p, &in), 0);
    ck_assert_ptr_null(in.name);
    ck_assert_uint_eq(in.parent, LC_NOPID); /* spawned from outside */
}
END_TEST

START_TEST(spawn_option_errors)
{
    kt_init(NULL);
    lc_pid p = LC_NOPID;
    struct lc_spawn_opts big = { .stack_size = LC_STACK_MAX + 1 };
    ck_assert_int_eq(lc_spawn_opt(&p, noop, NULL, &big), LC_EINVAL);
    ck_assert_int_eq(lc_spawn_opt(&p, NULL, NULL, NULL), LC_EINVAL);
    ck_assert_int_eq(lc_spawn_opt(NULL, noop, NULL, NULL), LC_EINVAL);
    ck_assert_uint_eq(lc_spawn(NULL, NULL), LC_NOPID);
    ck_assert_uint_eq(p, LC_NOPID);
    ck_assert_uint_eq(lc_proc_list(NULL, 0), 0);
    /* The failed spawns left nothing behind: the next pid is the first. */
    ck_assert_str_eq(kt_pid(lc_spawn(noop, NULL)), "<0.1.0>");
}
END_TEST

START_TEST(process_table_limit)
{
    struct lc_config cfg = { .max_procs = 3 };
    kt_init(&cfg);
    lc_pid p[3];
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(lc_spawn_opt(&p[i], idle_until_told, NULL, NULL), 0);
    }
    lc_pid extra = LC_NOPID;
    ck_assert_int_eq(lc_spawn_opt(&extra, noop, NULL, NULL), LC_ENFILE);
    ck_assert_uint_eq(lc_spawn(noop, NULL), LC_NOPID);
    lc_send(p[1], 0, NULL, 0);
    ck_assert_uint_eq(lc_run(), 2);
    ck_assert_int_eq(lc_spawn_opt(&extra, noop, NULL, NULL), 0);
    ck_assert_uint_eq((uint32_t)extra, (uint32_t)p[1]);
}
END_TEST

/* --- The runtime's life ------------------------------------------------- */

START_TEST(init_errors_and_restart)
{
    kt_init(NULL);
    ck_assert_int_eq(lc_init(NULL), LC_EBUSY);
    lc_spawn(sleep_long, NULL);
    lc_run();
    ck_assert_int_eq(lc_now(), 1000);
    lc_fini();
    lc_fini(); /* twice is harmless */

    struct lc_config bad_clock = { .clock = (enum lc_clock)7 };
    ck_assert_int_eq(lc_init(&bad_clock), LC_EINVAL);
    ck_assert_uint_eq(lc_spawn(noop, NULL), LC_NOPID); /* not started */
    struct lc_config bad_stack = { .stack_size = LC_STACK_MAX + 1 };
    ck_assert_int_eq(lc_init(&bad_stack), LC_EINVAL);

    /* A new runtime starts afresh: clock at 0, pids from the first. */
    kt_init(NULL);
    ck_assert_int_eq(lc_now(), 0);
    ck_assert_str_eq(kt_pid(lc_spawn(noop, NULL)), "<0.1.0>");
    lc_run();
}
END_TEST

/* --- Misuse: these end the program (only run when Check forks) ---------- */

START_TEST(exit_outside_a_process_panics)
{
    kt_init(NULL);
    kt_quiet();
    lc_proc_exit(lc_reason(LC_A_NORMAL));
}
END_TEST

static void receive_in_hook(lc_pid pid, const struct lc_reason *why)
{
    (void)pid;
    (void)why;
    lc_receive(0);
}

START_TEST(waiting_in_an_exit_hook_panics)
{
    kt_init(NULL);
    kt_quiet();
    kt_on_exit = receive_in_hook;
    lc_spawn(noop, NULL);
    lc_run();
}
END_TEST

static void run_inside(void *arg)
{
    (void)arg;
    lc_run();
}

START_TEST(run_inside_a_process_panics)
{
    kt_init(NULL);
    kt_quiet();
    lc_spawn(run_inside, NULL);
    lc_run();
}
END_TEST

Suite *proc_suite(void)
{
    Suite *s = suite_create("proc");
    TCase *tc = kt_tcase("spawn", 10);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_test(tc, spawn_runs_the_function_later);
    tcase_add_test(tc, child_waits_for_the_parents_next_switch);
    tcase_add_test(tc, pids_are_never_reused);
    tcase_add_test(tc, alive_of_nothing);
    tcase_add_test(tc, spawn_options);
    tcase_add_test(tc, spawn_option_errors);
    tcase_add_test(tc, process_table_limit);
    tcase_add_test(tc, init_errors_and_restart);
    suite_add_tcase(s, tc);

    tc = kt_tcase("exit", 10);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_test(tc, exit_reason_is_kept_exactly);
    tcase_add_test(tc, exit_from_deep_in_the_stack);
    suite_add_tcase(s, tc);

    tc = kt_tcase("kill", 10);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_test(tc, kill_wakes_a_waiting_process_to_die);
    tcase_add_test(tc, kill_before_the_first_run);
    tcase_add_test(tc, kill_self_ends_now);
    tcase_add_test(tc, first_kill_reason_stands);
    tcase_add_test(tc, kill_keeps_the_reason_as_given);
    tcase_add_test(tc, doomed_from_the_kill_until_the_end);
    tcase_add_test(tc, kill_of_nothing_is_enoproc);
    tcase_add_test(tc, kill_a_sleeper_cancels_its_timer);
    suite_add_tcase(s, tc);

    tc = kt_tcase("hooks", 10);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_test(tc, exit_hooks_run_in_order_before_cleanup);
    tcase_add_test(tc, exit_hooks_may_send_and_kill);
    tcase_add_test(tc, an_exit_hook_may_spawn);
    tcase_add_test(tc, fini_ends_survivors_with_killed);
    suite_add_tcase(s, tc);

    tc = kt_tcase("locals", 10);
    tcase_add_checked_fixture(tc, reset, NULL);
    tcase_add_test(tc, local_slots_belong_to_one_process);
    suite_add_tcase(s, tc);

    if (kt_forking) {
        tc = kt_tcase("misuse", 10);
        tcase_add_checked_fixture(tc, reset, NULL);
        tcase_add_test_raise_signal(tc, exit_outside_a_process_panics, SIGABRT);
        tcase_add_test_raise_signal(tc, waiting_in_an_exit_hook_panics,
                                    SIGABRT);
        tcase_add_test_raise_signal(tc, run_inside_a_process_panics, SIGABRT);
        suite_add_tcase(s, tc);
    }
    return s;
}
