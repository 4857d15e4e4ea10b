/*
 * storm.c - the storm: faults injected into a running to-do system while
 * clients add entries, then the checks (todo_app.h).
 *
 * One program, one runtime, the chaos scheduler: the seed decides the
 * order in which processes run and every random choice below, so a seed
 * that fails fails again the same way (LC_SEED / the seed printed).
 *
 * Clients add entries with unique titles ("c2-17": client 2's 17th add)
 * and remember what they were told: "done" (acknowledged) or a failed
 * call (unconfirmed: the server may have died before or after the file
 * was written). An unconfirmed add is never retried: the kit's add is not
 * idempotent, and a blind retry of one that did reach the disk is how a
 * system duplicates entries. The storm meanwhile injects one fault at a
 * time -- a process killed, a write failing, a worker crashing halfway
 * through a write, a server killed once its file is written but before it
 * answers -- spaced so that the supervisors' restart intensity is not
 * exceeded (the storm tests recovery, not giving up). At the end: every
 * acknowledged entry is present, none twice, none that nobody added, the
 * servers and the files agree, and every supervisor has all its children.
 */
#include "todo_int.h"

#include "lc/otp/links.h"
#include "lc/systems/todo_app.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CLIENTS 16
#define MAX_LISTS   16
#define MAX_SEQ     4096
#define T_DONE      0x5701 /* a client's message: it has stopped adding */

enum {
    R_NONE,
    R_TRYING,
    R_ACKED,
    R_UNCONFIRMED
};

struct record {
    uint8_t state;
    uint8_t list;
    uint16_t seen; /* times found at the end */
};

static struct {
    struct todo_storm_opts o;
    struct todo_storm_result *r;
    uint64_t rng;
    bool stop;
    lc_pid root, storm;
    int armed; /* a write fault waiting for the next write, or -1 */
    enum todo_write_step fail_step;
    char lists[MAX_LISTS][TODO_NAME_MAX + 1];
    struct record (*rec)[MAX_SEQ];
    int nseq[MAX_CLIENTS];
} S;

static const struct todo_date day = { 2026, 12, 19 };

static const char *const targets[] = { "worker",        "server",
                                       "todo_cache",    "todo_database",
                                       "todo_registry", "supervisor",
                                       "other" };

const char *todo_storm_target(int i)
{
    return i >= 0 && i < (int)(sizeof targets / sizeof *targets) ? targets[i]
                                                                 : "?";
}

/* LC_STORM_TRACE=1: say each fault as it happens (on stderr). */
__attribute__((format(printf, 1, 2))) static void trace(const char *fmt, ...)
{
    static int on = -1;
    if (on < 0) {
        on = getenv("LC_STORM_TRACE") != NULL;
    }
    if (on) {
        va_list ap;
        va_start(ap, fmt);
        fprintf(stderr, "storm t=%lld: ", (long long)lc_now());
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
    }
}

static uint32_t rnd(uint32_t n)
{
    S.rng ^= S.rng >> 12; /* xorshift64* */
    S.rng ^= S.rng << 25;
    S.rng ^= S.rng >> 27;
    return (uint32_t)((S.rng * 0x2545f4914f6cdd1dULL) >> 32) % (n ? n : 1);
}

__attribute__((format(printf, 1, 2))) static void problem(const char *fmt, ...)
{
    if (S.r->problem[0] != '\0') {
        return; /* the first one is the one to read */
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(S.r->problem, sizeof S.r->problem, fmt, ap);
    va_end(ap);
}

/* --- Clients ------------------------------------------------------------- */

static void client(void *arg)
{
    int c = (int)(intptr_t)arg;
    char label[16], title[32];
    snprintf(label, sizeof label, "client %d", c);
    lc_proc_set_name(lc_self(), label);
    int seq = 0;
    while (!S.stop && seq < MAX_SEQ) {
        struct record *rec = &S.rec[c][seq];
        rec->list = (uint8_t)rnd((uint32_t)S.o.lists);
        rec->state = R_TRYING;
        snprintf(title, sizeof title, "c%d-%d", c, seq);
        volatile int rc = 1;
        LC_TRY
        {
            rc = todo_add(S.lists[rec->list], day, title, NULL);
        }
        LC_CATCH(LC_CLASS_EXIT, e)
        {
            rc = 1; /* the server (or the cache) died: no answer */
        }
        LC_END_TRY;
        rec->state = rc == 0 ? R_ACKED : R_UNCONFIRMED;
        S.r->attempted++;
        S.r->acked += rc == 0;
        S.r->unconfirmed += rc != 0;
        seq++;
        /* Pauses on a 50 ms grid: clients and faults wake together, so a
           fault lands while requests are in flight. */
        lc_sleep(50 * (int64_t)rnd((uint32_t)S.o.pause_ms / 50 + 1));
    }
    S.nseq[c] = seq;
    lc_send(S.storm, T_DONE, NULL, 0);
}

/* --- Faults -------------------------------------------------------------- */

static bool is_client(const struct lc_info *in)
{
    return in->name != NULL && (strncmp(in->name, "client ", 7) == 0);
}

static int target_of(const struct lc_info *in)
{
    const char *n = in->name != NULL ? in->name : "";
    for (int i = 0; i < 5; i++) {
        if (strncmp(n, targets[i], strlen(targets[i])) == 0) {
            return i;
        }
    }
    return in->role == LC_ROLE_SUPERVISOR ? 5 : 6;
}

/* Kill one process of the system, chosen at random: any but the root. */
static void kill_one(void)
{
    lc_pid pids[512];
    size_t n = lc_proc_list(pids, 512), k = 0;
    n = n < 512 ? n : 512;
    for (size_t i = 0; i < n; i++) {
        struct lc_info in;
        if (pids[i] != S.root && pids[i] != S.storm &&
            lc_proc_info(pids[i], &in) == 0 && !is_client(&in) &&
            in.state != LC_STATE_EXITING) {
            pids[k++] = pids[i];
        }
    }
    if (k == 0) {
        return;
    }
    lc_pid victim = pids[rnd((uint32_t)k)];
    struct lc_info in;
    lc_proc_info(victim, &in);
    S.r->killed[target_of(&in)]++;
    S.r->faults[TODO_FAULT_KILL]++;
    trace("kill %s", in.name != NULL ? in.name : "(no name)");
    lc_exit_signal(victim, lc_reason(LC_A_KILL));
}

/* The server of the list whose file is 'file', killed. */
static void kill_server_of(const char *file)
{
    char name[TODO_FILE_NAME_MAX], label[TODO_NAME_MAX + 16];
    for (int i = 0; i < S.o.lists; i++) {
        todo_file_name(S.lists[i], name);
        if (strcmp(name, file) != 0) {
            continue;
        }
        snprintf(label, sizeof label, "server %s", S.lists[i]);
        lc_pid pids[512];
        size_t n = lc_proc_list(pids, 512);
        for (size_t k = 0; k < n && k < 512; k++) {
            struct lc_info in;
            if (lc_proc_info(pids[k], &in) == 0 && in.name != NULL &&
                strcmp(in.name, label) == 0) {
                lc_exit_signal(pids[k], lc_reason(LC_A_KILL));
            }
        }
    }
}

/* The file layer's fault hook: runs in the worker that writes. */
static int on_write(const char *file, enum todo_write_step step)
{
    int kind = S.armed;
    if (kind == TODO_FAULT_WRITE_FAILS && step == S.fail_step) {
        trace("write of %s fails at step %d", file, (int)step);
        S.armed = -1;
        S.r->faults[kind]++;
        return EIO;
    }
    if (kind == TODO_FAULT_WORKER_CRASH && step == TODO_STEP_RENAME) {
        trace("worker writing %s crashes", file);
        S.armed = -1;
        S.r->faults[kind]++;
        lc_error(lc_atom_term(lc_atom_intern("storm_crash")));
    }
    if (kind == TODO_FAULT_SERVER_KILLED && step == TODO_STEP_DONE) {
        trace("server of %s killed after its write", file);
        S.armed = -1;
        S.r->faults[kind]++;
        kill_server_of(file);
    }
    return 0;
}

static void inject(void)
{
    int kind = (int)rnd(TODO_FAULT_KINDS);
    if (kind == TODO_FAULT_KILL || S.armed >= 0) {
        kill_one();
        return;
    }
    S.fail_step = (enum todo_write_step)rnd(TODO_STEP_DONE);
    S.armed = kind;
}

/* --- Checks -------------------------------------------------------------- */

/* A dynamic supervisor (chapter 8): its children are temporary, started
   on demand -- none is missing when it is not running. */
static bool is_dynamic(lc_pid pid)
{
    struct lc_info in;
    return lc_proc_info(pid, &in) == 0 && in.detail != NULL &&
           strncmp(in.detail, "dynamic", 7) == 0;
}

/* Every supervisor below 'sup' has all its children running. */
static bool whole(lc_pid sup, int depth)
{
    struct lc_child_info c[32];
    memset(c, 0, sizeof c);
    size_t n = lc_sup_which_children(sup, c, 32);
    for (size_t i = 0; i < n && i < 32; i++) {
        if (c[i].pid == LC_NOPID || !lc_alive(c[i].pid)) {
            problem("child %s of a supervisor is not running", c[i].id);
            return false;
        }
        if (c[i].type == LC_CHILD_SUPERVISOR && depth < 4 &&
            !is_dynamic(c[i].pid) && !whole(c[i].pid, depth + 1)) {
            return false;
        }
    }
    return true;
}

/* Count what list 'li' holds: through its server, and on disk. */
static bool check_list(int li, struct todo_entry *buf, size_t cap)
{
    const char *list = S.lists[li];
    volatile int n = -1;
    LC_TRY
    {
        n = todo_entries(list, day, buf, cap);
    }
    LC_CATCH(LC_CLASS_EXIT, e)
    {
        n = -1;
    }
    LC_END_TRY;
    if (n < 0 || (size_t)n > cap) {
        problem("list %s is not served after the storm", list);
        return false;
    }
    for (int i = 0; i < n; i++) {
        int c, seq;
        struct record *rec = NULL;
        if (sscanf(buf[i].title, "c%d-%d", &c, &seq) == 2 && c >= 0 &&
            c < S.o.clients && seq >= 0 && seq < MAX_SEQ) {
            rec = &S.rec[c][seq];
        }
        if (rec == NULL || rec->state == R_NONE || rec->list != li) {
            S.r->unknown++;
            problem("%s holds \"%s\", which nobody added to it", list,
                    buf[i].title);
        } else if (++rec->seen == 2) {
            S.r->duplicated++;
            problem("%s holds \"%s\" twice", list, buf[i].title);
        }
    }
    /* The disk says the same as the server. */
    char file[TODO_FILE_NAME_MAX], *text = NULL;
    size_t len = 0;
    struct todo_file_error err = { 0 };
    struct todo_list *l = NULL;
    todo_file_name(list, file);
    int rc = todo_file_read(S.o.folder, file, &text, &len, &err);
    if (rc == 0) {
        rc = todo_file_decode(file, list, text, len, &l, &err);
    }
    free(text);
    size_t on_disk = rc == 0 ? l->n : 0;
    todo_list_free(l);
    if ((rc < 0 && !(rc == LC_ENOENT && n == 0)) || on_disk != (size_t)n) {
        problem("%s: the server has %d entries, its file %zu (%s)", list, n,
                on_disk, rc < 0 ? err.detail : "read");
        return false;
    }
    return true;
}

static void check(void)
{
    bool ok = lc_alive(S.root) && whole(S.root, 0);
    size_t cap = (size_t)S.o.clients * MAX_SEQ;
    struct todo_entry *buf = malloc(cap * sizeof *buf);
    for (int li = 0; ok && buf != NULL && li < S.o.lists; li++) {
        ok = check_list(li, buf, cap);
    }
    free(buf);
    for (int c = 0; c < S.o.clients; c++) {
        for (int s = 0; s < S.nseq[c]; s++) {
            struct record *rec = &S.rec[c][s];
            if (ok && rec->state == R_ACKED && rec->seen == 0) {
                S.r->lost++;
                problem("acknowledged \"c%d-%d\" is not in %s", c, s,
                        S.lists[rec->list]);
            }
            S.r->unconfirmed_kept += rec->state == R_UNCONFIRMED && rec->seen;
        }
    }
    S.r->tree_whole = ok;
    lc_pid pids[512];
    size_t n = lc_proc_list(pids, 512);
    for (size_t i = 0; i < n && i < 512; i++) {
        struct lc_info in;
        if (lc_proc_info(pids[i], &in) == 0) {
            S.r->restarts += in.restarts;
        }
    }
}

/* --- The storm ----------------------------------------------------------- */

static void storm(void *arg)
{
    (void)arg;
    lc_proc_set_name(lc_self(), "storm");
    lc_trap_exit(true);
    S.storm = lc_self();
    struct todo_config cfg;
    todo_config_init(&cfg, S.o.folder);
    cfg.workers = S.o.workers;
    int rc = S.o.start(&cfg, &S.root);
    if (rc < 0) {
        problem("the system's start returned %s", lc_err_name(rc));
        return;
    }
    todo_file_fault_set(on_write);
    for (int c = 0; c < S.o.clients; c++) {
        lc_spawn(client, (void *)(intptr_t)c);
    }
    int64_t t0 = lc_now();
    for (int i = 0; i < S.o.faults && lc_alive(S.root); i++) {
        int64_t gap = S.o.gap_ms + 50 * (int64_t)rnd(20);
        lc_sleep(gap - gap % 50);
        for (uint32_t k = rnd(40); k > 0; k--) {
            lc_yield(); /* into the middle of the requests in flight */
        }
        inject();
    }
    lc_sleep(S.o.gap_ms); /* the last fault's restarts, and traffic */
    S.stop = true;
    for (int c = 0; c < S.o.clients; c++) {
        lc_msg_free(lc_receive_tag(T_DONE, LC_INFINITY));
    }
    S.armed = -1;
    todo_file_fault_set(NULL);
    S.r->virtual_ms = lc_now() - t0;
    if (!lc_alive(S.root)) {
        problem("the system gave up (its root ended)");
    }
    check();
    if (S.o.at_end != NULL && lc_alive(S.root)) {
        S.o.at_end(S.root);
    }
    if (lc_alive(S.root)) {
        lc_exit_signal(S.root, lc_reason(LC_A_SHUTDOWN));
        lc_msg_free(lc_receive_tag(LC_TAG_EXIT, LC_INFINITY));
    }
}

static void defaults(struct todo_storm_opts *o)
{
    o->seed = o->seed ? o->seed : 1;
    o->clients = o->clients > 0 ? o->clients : 4;
    o->clients = o->clients < MAX_CLIENTS ? o->clients : MAX_CLIENTS;
    o->lists = o->lists > 0 ? o->lists : 3;
    o->lists = o->lists < MAX_LISTS ? o->lists : MAX_LISTS;
    o->faults = o->faults > 0 ? o->faults : 10;
    o->gap_ms = o->gap_ms > 0 ? o->gap_ms : 10000;
    o->pause_ms = o->pause_ms > 0 ? o->pause_ms : 500;
    o->workers = o->workers > 0 ? o->workers : 3;
}

int todo_storm_run(const struct todo_storm_opts *o, struct todo_storm_result *r)
{
    static const char *const names[] = { "Bob's list", "Alice's list", "chores",
                                         "work/2026" };
    memset(&S, 0, sizeof S);
    memset(r, 0, sizeof *r);
    S.o = *o;
    S.r = r;
    S.armed = -1;
    defaults(&S.o);
    S.rng = S.o.seed * 0x9e3779b97f4a7c15ULL + 1;
    for (int i = 0; i < S.o.lists; i++) {
        snprintf(S.lists[i], sizeof S.lists[i], "%s%.0d", names[i % 4], i / 4);
    }
    S.rec = calloc((size_t)S.o.clients, sizeof *S.rec);
    if (S.rec == NULL) {
        return LC_ENOMEM;
    }
    struct lc_config cfg = { .chaos = true, .seed = S.o.seed };
    int rc = lc_init(&cfg);
    if (rc < 0) {
        free(S.rec);
        return rc;
    }
    lc_spawn(storm, NULL);
    lc_run();
    lc_fini();
    free(S.rec);
    S.rec = NULL;
    if (r->problem[0] == '\0' &&
        (r->lost || r->duplicated || r->unknown || !r->tree_whole)) {
        snprintf(r->problem, sizeof r->problem, "the checks failed");
    }
    return r->problem[0] == '\0' ? 0 : LC_EINVAL;
}
