/*
 * 09-todo-system.c - graded tests of chapter 9: the whole to-do system,
 * under faults.
 *
 * Every test starts the system with the student's todo_app_start_link()
 * (the latest stage their chapters build, with their todo_restore() and
 * todo_commit() as the error kernel's hooks), in a scratch folder of its
 * own under $TMPDIR (or /dev/shm: these tests are about processes, not a
 * busy disk; tests/systems/ writes to a real one). Each runs the system
 * inside gr_run(), records what it saw in 'T', and asserts afterwards.
 * The storm tests run todo_storm_run() (systems/todo/storm.c) over fixed
 * seeds of the chaos scheduler; a failure names the seed, and the storm
 * replays exactly with it.
 */
#include "harness.h"
#include "scratch.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/links.h"
#include "lc/otp/names.h"
#include "lc/otp/supervisor.h"
#include "lc/systems/todo.h"
#include "lc/systems/todo_app.h"

/* --- Helpers ------------------------------------------------------------- */

/* The test's folder (scratch.h). */
static char *const dir = scratch_dir;
static struct todo_config cfg;
static const struct todo_date day = { 2026, 12, 19 };

static struct {
    int rc[12];
    bool ok[12];
    int count[12];
    lc_pid pid[16];
    struct lc_reason why;
    struct todo_entry e[16];
    enum todo_write_step steps[32];
    int nsteps;
    int acked_at; /* nsteps when the add returned */
    /* the fault hook: fail step 'fail_step' of the next write with EIO,
       or crash the worker there ('crash') */
    bool armed, crash;
    enum todo_write_step fail_step;
} T;

/* A fresh record and folder: first in every test. */
static void reset(void)
{
    memset(&T, 0, sizeof T);
    scratch_make("lc-todo9");
    ck_assert_int_eq(todo_config_init(&cfg, dir), 0);
    gr_record_exits();
}

static lc_pid start(void)
{
    lc_pid sup = LC_NOPID;
    T.rc[0] = todo_app_start_link(&cfg, &sup);
    return T.rc[0] == 0 ? sup : LC_NOPID;
}

#define STARTED()                                                    \
    ck_assert_msg(T.rc[0] == 0, "todo_app_start_link() returned %s", \
                  lc_err_name(T.rc[0]))

static void kill_it(lc_pid pid)
{
    lc_exit_signal(pid, lc_reason(LC_A_KILL));
    lc_sleep(10); /* the supervisors' turn */
}

/* The first live process whose name starts with 'prefix'. */
static lc_pid named(const char *prefix)
{
    lc_pid pids[256];
    size_t n = lc_proc_list(pids, 256);
    for (size_t i = 0; i < n && i < 256; i++) {
        struct lc_info in;
        if (lc_proc_info(pids[i], &in) == 0 && in.name != NULL &&
            strncmp(in.name, prefix, strlen(prefix)) == 0) {
            return pids[i];
        }
    }
    return LC_NOPID;
}

/* Add, catching the exit of a call whose server died: 1, with T.why. */
static int try_add(const char *list, const char *title)
{
    volatile int rc = 0;
    LC_TRY
    {
        rc = todo_add(list, day, title, NULL);
    }
    LC_CATCH(LC_CLASS_EXIT, e)
    {
        T.why = e->reason;
        rc = 1;
    }
    LC_END_TRY;
    return rc;
}

/* The entries of 'list' (first ones in T.e), or -1 if the call failed. */
static int entries(const char *list)
{
    volatile int n = -1;
    LC_TRY
    {
        n = todo_entries(list, day, T.e, 16);
    }
    LC_CATCH(LC_CLASS_EXIT, e)
    {
        T.why = e->reason;
        n = -1;
    }
    LC_END_TRY;
    return n;
}

/* How many entries of 'list' have title 't'. */
static int has(const char *list, const char *t)
{
    int n = entries(list), k = 0;
    for (int i = 0; i < n && i < 16; i++) {
        k += strcmp(T.e[i].title, t) == 0;
    }
    return n < 0 ? -1 : k;
}

/* The list as its file holds it (NULL: none, or it fails its check). */
static struct todo_list *on_disk(const char *list)
{
    char file[TODO_FILE_NAME_MAX], *text = NULL;
    size_t len;
    struct todo_list *l = NULL;
    struct todo_file_error err;
    todo_file_name(list, file);
    if (todo_file_read(dir, file, &text, &len, &err) == 0) {
        todo_file_decode(file, list, text, len, &l, &err);
    }
    free(text);
    return l;
}

static void write_file(const char *list, const char *text)
{
    char name[TODO_FILE_NAME_MAX], path[600];
    ck_assert_int_eq(todo_file_name(list, name), 0);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static int on_write(const char *file, enum todo_write_step step)
{
    if (T.nsteps < 32) {
        T.steps[T.nsteps++] = step;
    }
    if (T.armed && step == T.fail_step) {
        T.armed = false;
        if (T.crash) {
            lc_error(lc_atom_term(lc_atom_intern("crash_mid_write")));
        }
        return EIO;
    }
    return 0;
}

static bool is_file_reason(const struct lc_reason *r, const char *problem,
                           const char *list)
{
    char name[TODO_FILE_NAME_MAX];
    todo_file_name(list, name);
    return r->kind == lc_atom_intern(problem) && r->value.type == LC_T_ATOM &&
           r->value.u.atom == lc_atom_intern(name);
}

/* --- The system ---------------------------------------------------------- */

static void serves(void *arg)
{
    lc_pid sup = start();
    if (sup == LC_NOPID) {
        return;
    }
    T.rc[1] = todo_add("Bob's list", day, "Dentist", NULL);
    T.rc[2] = todo_add("Alice's list", day, "Piano", NULL);
    T.count[0] = has("Bob's list", "Dentist");
    T.count[1] = has("Alice's list", "Piano");
    T.ok[0] = lc_whereis(TODO_SYSTEM_NAME) == sup;
    T.ok[1] = todo_hooks()->commit == todo_commit;
    T.ok[2] = todo_hooks()->restore == todo_restore;
}

GR_TEST(system_starts_and_serves)
{
    reset();
    gr_run(serves, NULL);
    STARTED();
    ck_assert_msg(T.ok[0], "the root should be registered as todo_system");
    ck_assert_int_eq(T.rc[1], 0);
    ck_assert_int_eq(T.rc[2], 0);
    ck_assert_int_eq(T.count[0], 1);
    ck_assert_int_eq(T.count[1], 1);
}

GR_TEST(system_uses_the_error_kernel_hooks)
{
    reset();
    gr_run(serves, NULL);
    STARTED();
    ck_assert_msg(T.ok[1] && T.ok[2],
                  "after the start, todo_hooks() should give todo_commit "
                  "and todo_restore (commit %d, restore %d)",
                  T.ok[1], T.ok[2]);
}

static void missing(void *arg)
{
    if (start() == LC_NOPID) {
        return;
    }
    T.count[0] = entries("Nobody's list");
    T.ok[0] = lc_alive(todo_hooks()->server_process("Nobody's list"));
    T.ok[1] = on_disk("Nobody's list") == NULL;
    T.rc[1] = todo_add("Nobody's list", day, "First", NULL);
}

GR_TEST(missing_file_is_an_empty_list)
{
    reset();
    gr_run(missing, NULL);
    STARTED();
    ck_assert_msg(T.count[0] == 0,
                  "a list with no file should be empty, "
                  "got %d",
                  T.count[0]);
    ck_assert_msg(T.ok[0], "its server should be alive: a missing file is "
                           "expected, not a crash");
    ck_assert_msg(T.ok[1], "reading a list must not write its file");
    ck_assert_int_eq(T.rc[1], 0);
}

static void ack_on_disk(void *arg)
{
    if (start() == LC_NOPID) {
        return;
    }
    uint32_t id = 0;
    T.rc[1] = todo_add("Bob's list", day, "Dentist", &id);
    /* Nothing else has run since the answer: the disk must have it. */
    struct todo_list *l = on_disk("Bob's list");
    T.count[0] = l != NULL ? (int)l->n : -1;
    T.ok[0] = l != NULL && l->n == 1 && l->entries[0].id == id &&
              strcmp(l->entries[0].title, "Dentist") == 0;
    todo_list_free(l);
}

GR_TEST(add_is_on_disk_before_it_is_acknowledged)
{
    reset();
    gr_run(ack_on_disk, NULL);
    STARTED();
    ck_assert_int_eq(T.rc[1], 0);
    ck_assert_msg(T.ok[0],
                  "when todo_add() returns, the file should hold "
                  "the entry (it has %d)",
                  T.count[0]);
}

static void steps(void *arg)
{
    if (start() == LC_NOPID) {
        return;
    }
    todo_file_fault_set(on_write);
    T.rc[1] = todo_add("Bob's list", day, "Dentist", NULL);
    T.acked_at = T.nsteps;
    todo_file_fault_set(NULL);
}

GR_TEST(save_writes_aside_flushes_renames_flushes_folder)
{
    reset();
    gr_run(steps, NULL);
    STARTED();
    ck_assert_int_eq(T.rc[1], 0);
    ck_assert_msg(T.nsteps == 5 && T.acked_at == 5,
                  "one add should be one write of 5 steps, all before the "
                  "answer (steps %d, answered after %d)",
                  T.nsteps, T.acked_at);
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(T.steps[i], i);
    }
}

/* --- The error kernel: commit and restore -------------------------------- */

static void rollback(void *arg)
{
    if (start() == LC_NOPID) {
        return;
    }
    T.rc[1] = todo_add("Bob's list", day, "Dentist", NULL);
    T.pid[0] = todo_hooks()->server_process("Bob's list");
    todo_file_fault_set(on_write);
    T.armed = true;
    T.fail_step = TODO_STEP_FSYNC;
    T.rc[2] = try_add("Bob's list", "Movies");
    todo_file_fault_set(NULL);
    lc_sleep(10);
    struct todo_list *l = on_disk("Bob's list");
    T.count[0] = l != NULL ? (int)l->n : -1;
    todo_list_free(l);
    T.count[1] = has("Bob's list", "Movies");
    T.count[2] = has("Bob's list", "Dentist");
    uint32_t id = 0;
    T.rc[3] = todo_add("Bob's list", day, "Theatre", &id);
    T.count[3] = (int)id;
}

GR_TEST(failed_save_is_not_acknowledged_and_rolled_back)
{
    reset();
    gr_run(rollback, NULL);
    STARTED();
    ck_assert_int_eq(T.rc[1], 0);
    ck_assert_msg(T.rc[2] == 1,
                  "an add whose save failed must not be "
                  "answered (got %d)",
                  T.rc[2]);
    ck_assert_int_eq(T.count[0], 1);
    ck_assert_msg(T.count[1] == 0 && T.count[2] == 1,
                  "after the failed save the list should hold only what "
                  "was saved (Movies %d, Dentist %d)",
                  T.count[1], T.count[2]);
    ck_assert_int_eq(T.rc[3], 0);
    ck_assert_msg(T.count[3] == 2, "the next add should get id 2, got %d",
                  T.count[3]);
}

GR_TEST(failed_save_ends_server_with_reason_naming_file)
{
    reset();
    gr_run(rollback, NULL);
    STARTED();
    const struct lc_reason *r = gr_end(T.pid[0]);
    ck_assert_msg(is_file_reason(r, "io_error", "Bob's list"),
                  "the server should end with {io_error, 'FILE'}: %s",
                  gr_reason_str(r));
}

static void bad_change(void *arg)
{
    if (start() == LC_NOPID) {
        return;
    }
    T.rc[1] = todo_add("Bob's list", day, "Dentist", NULL);
    T.pid[0] = todo_hooks()->server_process("Bob's list");
    todo_file_fault_set(on_write);
    T.rc[2] = todo_update("Bob's list", 9, day, "x");
    T.rc[3] = todo_delete("Bob's list", 9);
    T.count[0] = T.nsteps;
    todo_file_fault_set(NULL);
    T.ok[0] = lc_alive(T.pid[0]);
    T.count[1] = entries("Bob's list");
}

GR_TEST(refused_change_saves_nothing_and_server_lives)
{
    reset();
    gr_run(bad_change, NULL);
    STARTED();
    ck_assert_int_eq(T.rc[2], LC_ENOENT);
    ck_assert_int_eq(T.rc[3], LC_ENOENT);
    ck_assert_msg(T.count[0] == 0,
                  "a refused change should write nothing "
                  "(%d write steps)",
                  T.count[0]);
    ck_assert_msg(T.ok[0], "a refused change is an expected error: the "
                           "server must live");
    ck_assert_int_eq(T.count[1], 1);
}

static void crash_mid_write(void *arg)
{
    if (start() == LC_NOPID) {
        return;
    }
    T.rc[1] = todo_add("Bob's list", day, "Dentist", NULL);
    todo_file_fault_set(on_write);
    T.armed = true;
    T.crash = true;
    T.fail_step = TODO_STEP_RENAME;
    T.rc[2] = try_add("Bob's list", "Movies");
    todo_file_fault_set(NULL);
    lc_sleep(10);
    struct todo_list *l = on_disk("Bob's list");
    T.count[0] = l != NULL ? (int)l->n : -1;
    todo_list_free(l);
    T.count[1] = entries("Bob's list");
    T.rc[3] = todo_add("Bob's list", day, "Theatre", NULL);
    T.count[2] = entries("Bob's list");
    /* what the crash left aside is swept when the database restarts */
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        T.count[3] += e->d_name[0] == '.' && strstr(e->d_name, ".todo.");
    }
    if (d != NULL) {
        closedir(d);
    }
}

GR_TEST(worker_crash_mid_write_keeps_the_old_file)
{
    reset();
    gr_run(crash_mid_write, NULL);
    STARTED();
    ck_assert_msg(T.rc[2] == 1,
                  "an add whose worker crashed must not be "
                  "answered (got %d)",
                  T.rc[2]);
    ck_assert_msg(T.count[0] == 1,
                  "the file should be the old list, whole "
                  "(%d entries)",
                  T.count[0]);
    ck_assert_int_eq(T.count[1], 1);
    ck_assert_int_eq(T.rc[3], 0);
    ck_assert_int_eq(T.count[2], 2);
}

static void killed_after_write(void *arg)
{
    if (start() == LC_NOPID) {
        return;
    }
    T.rc[1] = todo_add("Bob's list", day, "Dentist", NULL);
    T.pid[0] = todo_hooks()->server_process("Bob's list");
    todo_file_fault_set(on_write);
    T.armed = true;
    T.fail_step = TODO_STEP_DONE; /* on disk, then reported failed */
    T.rc[2] = try_add("Bob's list", "Movies");
    todo_file_fault_set(NULL);
    lc_sleep(10);
    T.count[0] = has("Bob's list", "Movies");
    T.count[1] = entries("Bob's list");
}

GR_TEST(unanswered_add_on_disk_is_there_once)
{
    reset();
    gr_run(killed_after_write, NULL);
    STARTED();
    ck_assert_int_eq(T.rc[2], 1);
    ck_assert_msg(T.count[0] == 1 && T.count[1] == 2,
                  "an entry on disk but never answered is in the list "
                  "once (Movies %d times, %d entries)",
                  T.count[0], T.count[1]);
}

/* --- Killing each kind of process ---------------------------------------- */

struct kill_case {
    const char *prefix; /* of the victim's name */
};

static void survive(void *arg)
{
    const struct kill_case *k = arg;
    if (start() == LC_NOPID) {
        return;
    }
    T.rc[1] = todo_add("Bob's list", day, "Dentist", NULL);
    T.rc[2] = todo_add("Alice's list", day, "Piano", NULL);
    T.pid[0] = named(k->prefix);
    T.ok[0] = T.pid[0] != LC_NOPID;
    kill_it(T.pid[0]);
    T.ok[1] = !lc_alive(T.pid[0]);
    T.count[0] = has("Bob's list", "Dentist");
    T.count[1] = has("Alice's list", "Piano");
    T.rc[3] = try_add("Bob's list", "Movies");
    T.count[2] = has("Bob's list", "Movies");
    T.ok[2] = lc_alive(lc_whereis(TODO_SYSTEM_NAME));
}

static void survive_check(const char *what)
{
    STARTED();
    ck_assert_int_eq(T.rc[1], 0);
    ck_assert_msg(T.ok[0], "no process named \"%s...\" to kill", what);
    ck_assert_msg(T.count[0] == 1 && T.count[1] == 1,
                  "after killing %s the entries should be there (%d, %d)", what,
                  T.count[0], T.count[1]);
    ck_assert_msg(T.rc[3] == 0 && T.count[2] == 1,
                  "after killing %s the system should serve again (%d)", what,
                  T.rc[3]);
    ck_assert(T.ok[2]);
}

#define SURVIVES(test, prefix)                        \
    GR_TEST(test)                                     \
    {                                                 \
        static const struct kill_case k = { prefix }; \
        reset();                                      \
        gr_run(survive, (void *)&k);                  \
        survive_check(prefix);                        \
    }

SURVIVES(entries_survive_killing_a_server, "server Bob")
SURVIVES(entries_survive_killing_a_worker, "worker")
SURVIVES(entries_survive_killing_the_database, TODO_DATABASE_NAME)
SURVIVES(entries_survive_killing_the_cache, TODO_CACHE_NAME)

/* Every process of the tree but its root, one after the other. */
static void each(void *arg)
{
    lc_pid sup = start();
    if (sup == LC_NOPID) {
        return;
    }
    char title[16];
    todo_add("Bob's list", day, "Dentist", NULL);
    todo_add("Alice's list", day, "Piano", NULL);
    /* The k-th process of a fresh list, k = 0, 1, ...: each place in the
       tree once, whatever a kill took down with it and restarted. */
    for (size_t k = 0; k < 64; k++) {
        lc_pid pids[64], victim = LC_NOPID;
        size_t n = lc_proc_list(pids, 64), j = 0;
        for (size_t i = 0; i < n && i < 64 && victim == LC_NOPID; i++) {
            if (pids[i] != sup && pids[i] != lc_self() && j++ == k) {
                victim = pids[i];
            }
        }
        if (victim == LC_NOPID) {
            break;
        }
        kill_it(victim);
        lc_sleep(2000); /* one restart at a time: under the intensity */
        snprintf(title, sizeof title, "after %d", T.count[0]++);
        T.rc[1] += try_add("Bob's list", title) == 0;
    }
    T.count[1] = entries("Bob's list");
    T.count[2] = has("Alice's list", "Piano");
    T.ok[0] = lc_alive(sup);
}

GR_TEST(entries_survive_killing_every_process)
{
    reset();
    gr_run(each, NULL);
    STARTED();
    ck_assert_msg(T.count[0] >= 4, "too few processes in the tree: %d",
                  T.count[0]);
    ck_assert_msg(T.ok[0], "the system gave up");
    ck_assert_msg(T.rc[1] == T.count[0] && T.count[1] == T.count[0] + 1 &&
                          T.count[2] == 1,
                  "after %d kills: %d adds answered, Bob's list has %d "
                  "entries, Alice's Piano %d",
                  T.count[0], T.rc[1], T.count[1], T.count[2]);
}

static void one_worker(void *arg)
{
    if (start() == LC_NOPID) {
        return;
    }
    const char *lists[] = { "a", "b", "c", "d", "e", "f" };
    for (int i = 0; i < 6; i++) {
        todo_add(lists[i], day, "x", NULL);
        T.pid[i] = todo_hooks()->server_process(lists[i]);
    }
    T.pid[6] = lc_whereis(TODO_CACHE_NAME);
    T.pid[7] = named("worker");
    kill_it(T.pid[7]);
    for (int i = 0; i < 6; i++) {
        T.ok[i] = T.pid[i] == todo_hooks()->server_process(lists[i]) &&
                  lc_alive(T.pid[i]);
        T.count[i] = entries(lists[i]);
    }
    T.ok[6] = lc_whereis(TODO_CACHE_NAME) == T.pid[6];
}

GR_TEST(killing_a_worker_disturbs_no_server)
{
    reset();
    gr_run(one_worker, NULL);
    STARTED();
    ck_assert_msg(T.ok[6], "killing a worker should leave the cache alone");
    for (int i = 0; i < 6; i++) {
        ck_assert_msg(T.ok[i] && T.count[i] == 1,
                      "killing a worker should leave server %d alone, its "
                      "list whole (alive %d, %d entries)",
                      i, T.ok[i], T.count[i]);
    }
}

static void other_lists(void *arg)
{
    if (start() == LC_NOPID) {
        return;
    }
    todo_add("Bob's list", day, "Dentist", NULL);
    todo_add("Alice's list", day, "Piano", NULL);
    kill_it(todo_hooks()->server_process("Bob's list"));
    T.count[0] = has("Alice's list", "Piano");
    T.rc[1] = todo_add("Alice's list", day, "Violin", NULL);
    T.count[1] = entries("Alice's list");
}

GR_TEST(killing_a_server_loses_no_other_list)
{
    reset();
    gr_run(other_lists, NULL);
    STARTED();
    ck_assert_int_eq(T.count[0], 1);
    ck_assert_int_eq(T.rc[1], 0);
    ck_assert_int_eq(T.count[1], 2);
}

/* --- Restart from disk --------------------------------------------------- */

static void restart(void *arg)
{
    lc_trap_exit(true);
    lc_pid sup = start();
    if (sup == LC_NOPID) {
        return;
    }
    uint32_t id;
    todo_add("Bob's list", day, "Dentist", NULL);
    todo_add("Bob's list", day, "Movies", &id);
    todo_delete("Bob's list", id);
    todo_add("Alice's list", day, "Piano", NULL);
    lc_exit_signal(sup, lc_reason(LC_A_SHUTDOWN));
    lc_msg_free(lc_receive_tag(LC_TAG_EXIT, 5000));
    T.ok[0] = !lc_alive(sup) && lc_whereis(TODO_CACHE_NAME) == LC_NOPID;
    sup = start();
    if (sup == LC_NOPID) {
        return;
    }
    T.count[0] = has("Bob's list", "Dentist");
    T.count[1] = has("Bob's list", "Movies");
    T.count[2] = has("Alice's list", "Piano");
    T.rc[1] = todo_add("Bob's list", day, "Theatre", &id);
    T.count[3] = (int)id;
}

GR_TEST(restart_from_disk_finds_every_entry)
{
    reset();
    gr_run(restart, NULL);
    STARTED();
    ck_assert_msg(T.ok[0], "the system should stop entirely");
    ck_assert_msg(T.count[0] == 1 && T.count[1] == 0 && T.count[2] == 1,
                  "after a restart: Dentist %d, Movies (deleted) %d, "
                  "Piano %d",
                  T.count[0], T.count[1], T.count[2]);
}

GR_TEST(ids_are_never_reused_after_restart)
{
    reset();
    gr_run(restart, NULL);
    STARTED();
    ck_assert_int_eq(T.rc[1], 0);
    ck_assert_msg(T.count[3] == 3,
                  "ids 1 and 2 were given: the next is 3, "
                  "got %d",
                  T.count[3]);
}

static void swept(void *arg)
{
    char name[TODO_FILE_NAME_MAX], path[600];
    todo_file_name("Bob's list", name);
    snprintf(path, sizeof path, "%s/.%s.AbC123", dir, name);
    FILE *f = fopen(path, "w");
    if (f != NULL) {
        fputs("lc-todo 1 entries=5 next", f); /* a write cut short */
        fclose(f);
    }
    if (start() == LC_NOPID) {
        return;
    }
    T.ok[0] = access(path, F_OK) != 0;
    T.count[0] = has("Bob's list", "Dentist");
}

GR_TEST(half_written_file_aside_is_swept_at_start)
{
    reset();
    struct todo_list *l = todo_list_new();
    char *text;
    size_t len;
    ck_assert_int_eq(todo_list_add(l, day, "Dentist", NULL), 0);
    ck_assert_int_eq(todo_file_encode("Bob's list", l, &text, &len), 0);
    write_file("Bob's list", text);
    free(text);
    todo_list_free(l);
    gr_run(swept, NULL);
    STARTED();
    ck_assert_msg(T.ok[0], "a file left aside by a crash should be gone");
    ck_assert_int_eq(T.count[0], 1);
}

/* --- Damaged files ------------------------------------------------------- */

static void damaged(void *arg)
{
    if (start() == LC_NOPID) {
        return;
    }
    todo_add("Alice's list", day, "Piano", NULL);
    T.pid[0] = todo_hooks()->server_process("Bob's list");
    T.rc[1] = try_add("Bob's list", "Movies");
    lc_sleep(10);
    T.rc[2] = todo_add("Alice's list", day, "Violin", NULL);
    T.count[0] = entries("Alice's list");
    T.rc[3] = try_add("Bob's list", "Again");
    T.ok[0] = lc_alive(lc_whereis(TODO_SYSTEM_NAME));
}

static void damaged_check(const char *text, const char *problem)
{
    reset();
    write_file("Bob's list", text);
    gr_run(damaged, NULL);
    STARTED();
    ck_assert_msg(T.rc[1] == 1,
                  "a damaged file must fail the call, not be "
                  "read (got %d)",
                  T.rc[1]);
    const struct lc_reason *r = gr_end(T.pid[0]);
    ck_assert_msg(is_file_reason(r, problem, "Bob's list"),
                  "the server should end with {%s, 'FILE'}: %s", problem,
                  gr_reason_str(r));
    ck_assert_msg(T.ok[0] && T.rc[2] == 0 && T.count[0] == 2,
                  "the other lists should work on (add %d, %d entries)",
                  T.rc[2], T.count[0]);
    ck_assert_msg(T.rc[3] == 1, "a damaged file fails every time");
}

GR_TEST(corrupt_file_ends_its_server_naming_file)
{
    damaged_check("lc-todo 1 entries=1 next-id=2 crc32=00000000 "
                  "list=Bob's list\n1 2026-12-19 Dentist\n",
                  "bad_checksum");
}

GR_TEST(truncated_file_is_reported)
{
    damaged_check("lc-todo 1 entries=2 next-id=3 crc32=00000000 "
                  "list=Bob's list\n1 2026-12-19 Dentist\n2 2026-12",
                  "truncated");
}

GR_TEST(file_of_another_list_is_reported)
{
    damaged_check("lc-todo 1 entries=0 next-id=1 crc32=00000000 "
                  "list=Eve's list\n",
                  "wrong_list");
}

static void kept(void *arg)
{
    if (start() == LC_NOPID) {
        return;
    }
    try_add("Bob's list", "Movies");
    lc_sleep(10);
    try_add("Bob's list", "Again");
}

GR_TEST(corrupt_file_is_never_overwritten)
{
    static const char text[] = "lc-todo 1 entries=1 next-id=2 crc32=00000000 "
                               "list=Bob's list\n1 2026-12-19 Dentist\n";
    reset();
    write_file("Bob's list", text);
    gr_run(kept, NULL);
    STARTED();
    char name[TODO_FILE_NAME_MAX], *got = NULL;
    size_t len;
    struct todo_file_error err;
    todo_file_name("Bob's list", name);
    ck_assert_int_eq(todo_file_read(dir, name, &got, &len, &err), 0);
    ck_assert_msg(strcmp(got, text) == 0,
                  "the damaged file was replaced: a person must be able to "
                  "repair it; it now reads:\n%s",
                  got);
    free(got);
}

static void bad_input(void *arg)
{
    if (start() == LC_NOPID) {
        return;
    }
    char name[TODO_NAME_MAX + 2], title[TODO_TITLE_MAX + 2];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    memset(title, 't', sizeof title - 1);
    title[sizeof title - 1] = '\0';
    todo_add("Bob's list", day, "Dentist", NULL);
    T.pid[0] = todo_hooks()->server_process("Bob's list");
    T.rc[1] = todo_add(name, day, "x", NULL);
    T.rc[2] = todo_add("Bob's list", day, title, NULL);
    T.rc[3] = todo_add("Bob's list", todo_date(2026, 2, 30), "x", NULL);
    T.rc[4] = todo_add("", day, "x", NULL);
    T.rc[5] = todo_add("Bob's list", day, NULL, NULL);
    T.count[0] = entries("Bob's list");
    T.ok[0] = lc_alive(T.pid[0]);
}

GR_TEST(bad_input_is_refused_and_nothing_lost)
{
    reset();
    gr_run(bad_input, NULL);
    STARTED();
    ck_assert_int_eq(T.rc[1], LC_ERANGE);
    ck_assert_int_eq(T.rc[2], LC_ERANGE);
    ck_assert_int_eq(T.rc[3], LC_EINVAL);
    ck_assert_int_eq(T.rc[4], LC_EINVAL);
    ck_assert_int_eq(T.rc[5], LC_EINVAL);
    ck_assert_int_eq(T.count[0], 1);
    ck_assert_msg(T.ok[0], "bad input must not crash the server");
}

/* --- The storm ----------------------------------------------------------- */

static void storm_over(uint64_t first, uint64_t n, int faults)
{
    for (uint64_t seed = first; seed < first + n; seed++) {
        scratch_make("lc-todo9");
        struct todo_storm_opts o = {
            .seed = seed,
            .folder = dir,
            .start = todo_app_start_link,
            .faults = faults,
            .clients = 3,
            .pause_ms = 3000,
        };
        struct todo_storm_result r;
        int rc = todo_storm_run(&o, &r);
        scratch_remove(); /* the storms' folders do not pile up */
        ck_assert_msg(rc == 0 && r.acked > 0,
                      "storm seed %llu: %s (%d adds acknowledged, %d lost, "
                      "%d twice; replay: todo-cli --storm %llu)",
                      (unsigned long long)seed,
                      r.problem[0] ? r.problem : "nothing acknowledged",
                      r.acked, r.lost, r.duplicated, (unsigned long long)seed);
    }
}

GR_TEST(storm_seeds_1_to_20)
{
    storm_over(1, 20, 4);
}

GR_TEST(storm_seeds_21_to_40)
{
    storm_over(21, 20, 4);
}

GR_TEST(storm_seeds_41_to_60)
{
    storm_over(41, 20, 4);
}

GR_TEST(storm_seeds_61_to_80)
{
    storm_over(61, 20, 4);
}

GR_TEST(storm_seeds_81_to_100)
{
    storm_over(81, 20, 4);
}

static int storm_restarts;
static void count_tree(lc_pid root)
{
    storm_restarts = 0;
    lc_pid pids[256];
    size_t n = lc_proc_list(pids, 256);
    for (size_t i = 0; i < n && i < 256; i++) {
        struct lc_info in;
        if (lc_proc_info(pids[i], &in) == 0) {
            storm_restarts += (int)in.restarts;
        }
    }
}

GR_TEST(storm_of_every_fault_kind_leaves_a_whole_tree)
{
    /* Storm seed 9 draws every kind of fault; a write fault fires only if
       a write comes before the next fault, which the kernel's FIFO
       schedule gives here and a shuffled one (LC_SEED) may not. The other
       storms run under many schedules; this one keeps FIFO, so that every
       kind happens. */
    unsetenv("LC_SEED");
    scratch_make("lc-todo9");
    struct todo_storm_opts o = {
        .seed = 9,
        .folder = dir,
        .start = todo_app_start_link,
        .faults = 20,
        .pause_ms = 3000,
        .at_end = count_tree,
    };
    struct todo_storm_result r;
    int rc = todo_storm_run(&o, &r);
    scratch_remove();
    ck_assert_msg(rc == 0, "storm seed 9: %s", r.problem);
    for (int k = 0; k < TODO_FAULT_KINDS; k++) {
        ck_assert_msg(r.faults[k] > 0, "fault kind %d never happened", k);
    }
    ck_assert_msg(r.tree_whole && storm_restarts > 0,
                  "after the storm the tree should be whole, with restarts "
                  "counted (%d)",
                  storm_restarts);
    ck_assert_int_eq(r.lost, 0);
    ck_assert_int_eq(r.duplicated, 0);
}
