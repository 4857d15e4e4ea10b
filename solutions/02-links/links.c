/*
 * links.c - links and exit signals (chapter 2).
 *
 * Each process that has links, or traps exits, owns a struct links in its
 * LC_LOCAL_LINKS slot: the trap flag and the pids it is linked to. A link is
 * stored on both ends, so either end can find the other when it ends.
 *
 * The kernel knows nothing of links. This layer hooks into every process
 * exit (links_on_exit): the dead process's links are cut, and each linked
 * process receives an exit signal, which deliver() turns into an EXIT
 * message, a kill, or nothing, by OTP's rules (see links.h).
 */
#include "lc/otp/links.h"

#include <stdlib.h>

#include "lc/otp/exceptions.h"

/* BEGIN SOLUTION(ch02): - */
#define FEW_LINKS 4

struct links {
    bool trap;    /* trapping exits: signals become EXIT messages */
    lc_pid *pids; /* linked processes, oldest link first: 'few' or malloc */
    size_t n;     /* how many */
    size_t cap;   /* room in 'pids' */
    lc_pid few[FEW_LINKS]; /* most processes have no more links than this */
};

/* The block of the last record freed, for the next one: a restart ends
   a process and starts another at once. lc_fini() frees it. */
static struct links *spare;

static void free_spare(void)
{
    free(spare);
    spare = NULL;
}

LC_ON_FINI(free_spare)

/* A new, empty record, and its end. A restart makes one and drops one,
   so they cost one block, or none: the first links fit in 'few', and the
   block is the spare or comes from malloc (glibc's calloc skips its cache
   of small blocks). */
static struct links *links_new(void)
{
    struct links *l = spare != NULL ? spare : malloc(sizeof *l);
    if (l == NULL) {
        lc_error(lc_atom_term(LC_A_ENOMEM));
    }
    spare = NULL;
    *l = (struct links){ .pids = l->few, .cap = FEW_LINKS };
    return l;
}

static void links_free(struct links *l)
{
    if (l->pids != l->few) {
        free(l->pids);
    }
    if (spare == NULL) {
        spare = l;
    } else {
        free(l);
    }
}

/* Room for one more link: move to a malloc'd array twice the size. */
static void links_grow(struct links *l)
{
    lc_pid *pids = malloc(2 * l->cap * sizeof *pids);
    if (pids == NULL) {
        lc_error(lc_atom_term(LC_A_ENOMEM));
    }
    for (size_t i = 0; i < l->n; i++) {
        pids[i] = l->pids[i];
    }
    if (l->pids != l->few) {
        free(l->pids);
    }
    l->pids = pids;
    l->cap *= 2;
}

/* The links of 'pid', created on first use if 'create' (NULL if 'pid' is
   dead, or has none and 'create' is false). The struct is malloc'd, not
   lc_alloc'd: other processes change it when they link to 'pid'. */
static struct links *links_of(lc_pid pid, bool create)
{
    void **slot = lc_local(pid, LC_LOCAL_LINKS);
    if (slot == NULL) {
        return NULL;
    }
    if (*slot == NULL && create) {
        *slot = links_new();
    }
    return *slot;
}

/* The calling process; links belong to processes, not to main(). */
static lc_pid self_or_panic(const char *who)
{
    lc_pid self = lc_self();
    if (self == LC_NOPID) {
        lc_panic("%s() must be called by a process", who);
    }
    return self;
}

static bool has(const struct links *l, lc_pid pid)
{
    for (size_t i = 0; l != NULL && i < l->n; i++) {
        if (l->pids[i] == pid) {
            return true;
        }
    }
    return false;
}

static void add(struct links *l, lc_pid pid)
{
    if (l->n == l->cap) {
        links_grow(l);
    }
    l->pids[l->n++] = pid;
}

static void drop(struct links *l, lc_pid pid)
{
    for (size_t i = 0; l != NULL && i < l->n; i++) {
        if (l->pids[i] == pid) {
            /* Keep the order: lc_links() lists the oldest first. */
            for (size_t j = i + 1; j < l->n; j++) {
                l->pids[j - 1] = l->pids[j];
            }
            l->n--;
            return;
        }
    }
}
/* END SOLUTION */

/*
 * An exit signal with reason 'r' from 'from' reaches 'to': apply OTP's
 * decision table (links.h), in order. 'linked' tells a signal caused by the
 * end of a linked process from one sent by lc_exit_signal(). Depending on
 * the row, 'to' gets an EXIT message, is killed (lc_kill), or nothing
 * happens. Runs in exit hooks too: it must not wait.
 */
static void deliver(lc_pid to, lc_pid from, struct lc_reason r, bool linked)
{
    /* BEGIN SOLUTION(ch02): (void)to; (void)from; (void)r; (void)linked; */
    if (!lc_alive(to)) {
        return;
    }
    if (lc_reason_is(&r, LC_A_KILL) && !linked) {
        lc_kill(to, lc_reason(LC_A_KILLED)); /* untrappable */
        return;
    }
    if (lc_traps_exit(to)) {
        struct lc_exit_msg msg = { from, r };
        lc_send(to, LC_TAG_EXIT, &msg, sizeof msg);
        return;
    }
    if (lc_reason_eq(&r, &(struct lc_reason){ .kind = LC_A_NORMAL })) {
        if (!linked && to == from) {
            lc_kill(to, r); /* exit_signal(self, normal) ends the caller */
        }
        return; /* a normal signal is ignored by a non-trapping process */
    }
    lc_kill(to, r);
    /* END SOLUTION */
}

/*
 * The kernel calls this at the end of every process (LC_ON_EXIT below),
 * with the process's reason, before its memory is freed. Cut the dead
 * process's links, on both ends, then send an exit signal carrying 'why'
 * to each process it was linked to. Must not wait.
 */
static void links_on_exit(lc_pid dead, const struct lc_reason *why)
{
    /* BEGIN SOLUTION(ch02): (void)dead; (void)why; (void)deliver; */
    void **slot = lc_local(dead, LC_LOCAL_LINKS);
    struct links *l = slot ? *slot : NULL;
    if (l == NULL) {
        return;
    }
    *slot = NULL;
    for (size_t i = 0; i < l->n; i++) {
        drop(links_of(l->pids[i], false), dead);
    }
    for (size_t i = 0; i < l->n; i++) {
        deliver(l->pids[i], dead, *why, true);
    }
    links_free(l);
    /* END SOLUTION */
}

LC_ON_EXIT(links_on_exit)

int lc_link(lc_pid pid)
{
    /* BEGIN SOLUTION(ch02): return LC_ENOSYS; */
    lc_pid self = self_or_panic("lc_link");
    if (pid == self) {
        return 0;
    }
    if (!lc_alive(pid)) {
        if (!lc_traps_exit(self)) {
            lc_error(lc_atom_term(LC_A_NOPROC));
        }
        struct lc_exit_msg msg = { pid, lc_reason(LC_A_NOPROC) };
        lc_send(self, LC_TAG_EXIT, &msg, sizeof msg);
        return 0;
    }
    struct links *mine = links_of(self, true);
    if (has(mine, pid)) {
        return 0;
    }
    add(mine, pid);
    add(links_of(pid, true), self);
    lc_edge_add(LC_EDGE_LINK, self, pid, NULL, 0);
    return 0;
    /* END SOLUTION */
}

int lc_unlink(lc_pid pid)
{
    /* BEGIN SOLUTION(ch02): return LC_ENOSYS; */
    lc_pid self = self_or_panic("lc_unlink");
    drop(links_of(self, false), pid);
    drop(links_of(pid, false), self);
    lc_edge_remove(LC_EDGE_LINK, self, pid);
    return 0;
    /* END SOLUTION */
}

int lc_spawn_link_opt(lc_pid *pid, lc_proc_fn *fn, void *arg,
                      const struct lc_spawn_opts *opts)
{
    /* BEGIN SOLUTION(ch02): return LC_ENOSYS; */
    int err = lc_spawn_opt(pid, fn, arg, opts);
    if (err < 0) {
        return err;
    }
    /* The child cannot run before our next kernel call (proc.h), so it is
       alive and the link is in place before it can end. */
    lc_link(*pid);
    return 0;
    /* END SOLUTION */
}

lc_pid lc_spawn_link(lc_proc_fn *fn, void *arg)
{
    lc_pid pid = LC_NOPID;
    return lc_spawn_link_opt(&pid, fn, arg, NULL) == 0 ? pid : LC_NOPID;
}

bool lc_trap_exit(bool on)
{
    /* BEGIN SOLUTION(ch02): return false; */
    struct links *l = links_of(self_or_panic("lc_trap_exit"), true);
    bool old = l->trap;
    l->trap = on;
    return old;
    /* END SOLUTION */
}

bool lc_traps_exit(lc_pid pid)
{
    /* BEGIN SOLUTION(ch02): return false; */
    struct links *l = links_of(pid, false);
    return l != NULL && l->trap;
    /* END SOLUTION */
}

int lc_exit_signal(lc_pid pid, struct lc_reason reason)
{
    /* BEGIN SOLUTION(ch02): return LC_ENOSYS; */
    deliver(pid, self_or_panic("lc_exit_signal"), reason, false);
    return 0;
    /* END SOLUTION */
}

size_t lc_links(lc_pid pid, lc_pid *out, size_t max)
{
    /* BEGIN SOLUTION(ch02): return 0; */
    struct links *l = links_of(pid, false);
    size_t n = l ? l->n : 0;
    for (size_t i = 0; i < n && i < max; i++) {
        out[i] = l->pids[i];
    }
    return n;
    /* END SOLUTION */
}
