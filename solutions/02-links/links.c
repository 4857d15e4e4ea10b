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
#include <string.h>

#include "lc/otp/exceptions.h"

/* BEGIN SOLUTION(ch02): - */
struct links {
    bool trap;    /* trapping exits: signals become EXIT messages */
    lc_pid *pids; /* linked processes, oldest link first (malloc); a
                     link that was cut leaves a hole, LC_NOPID */
    size_t n;     /* slots used, holes included */
    size_t cap;   /* room in 'pids' */
    size_t live;  /* links: n minus the holes */
    /* A process may have a hundred thousand links (a dynamic supervisor):
       past SMALL slots, an index finds a pid's slot in one probe, so that
       linking and unlinking cost the same however many links there are. */
    uint32_t *idx; /* open addressing: slot + 1, 0 empty, TOMB cut */
    size_t icap;   /* a power of 2, at least twice cap; 0: no index */
    /* 'pids' at first: most processes have one or two links, and then
       need no array of their own. */
    lc_pid few[4];
};

#define SMALL 16
#define TOMB  UINT32_MAX

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
        /* malloc and clear, not calloc: calloc skips glibc's per-thread
           cache of small blocks, and every new process pays for it. */
        struct links *l = malloc(sizeof *l);
        if (l == NULL) {
            lc_error(lc_atom_term(LC_A_ENOMEM));
        }
        *l = (struct links){ 0 };
        l->pids = l->few;
        l->cap = sizeof l->few / sizeof l->few[0];
        *slot = l;
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

static size_t home(const struct links *l, lc_pid pid)
{
    return (size_t)((pid * 0x9E3779B97F4A7C15ull) >> 20) & (l->icap - 1);
}

/* The slot of 'pid' in l->pids, or -1. */
static long find(const struct links *l, lc_pid pid)
{
    if (l == NULL || pid == LC_NOPID) {
        return -1;
    }
    if (l->icap == 0) {
        for (size_t i = 0; i < l->n; i++) {
            if (l->pids[i] == pid) {
                return (long)i;
            }
        }
        return -1;
    }
    for (size_t h = home(l, pid);; h = (h + 1) & (l->icap - 1)) {
        uint32_t e = l->idx[h];
        if (e == 0) {
            return -1;
        }
        if (e != TOMB && l->pids[e - 1] == pid) {
            return (long)(e - 1);
        }
    }
}

static bool has(const struct links *l, lc_pid pid)
{
    return find(l, pid) >= 0;
}

static void index_put(struct links *l, size_t slot)
{
    size_t h = home(l, l->pids[slot]);
    while (l->idx[h] != 0) {
        h = (h + 1) & (l->icap - 1);
    }
    l->idx[h] = (uint32_t)slot + 1;
}

/* Close the holes (keeping the order) and index the slots afresh. */
static void reindex(struct links *l)
{
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (l->pids[i] != LC_NOPID) {
            l->pids[k++] = l->pids[i];
        }
    }
    l->n = k;
    free(l->idx);
    l->idx = NULL;
    l->icap = 0;
    if (l->cap <= SMALL) {
        return;
    }
    size_t icap = 2 * SMALL;
    while (icap < 2 * l->cap) {
        icap *= 2;
    }
    l->idx = calloc(icap, sizeof *l->idx);
    if (l->idx == NULL) {
        lc_error(lc_atom_term(LC_A_ENOMEM));
    }
    l->icap = icap;
    for (size_t i = 0; i < l->n; i++) {
        index_put(l, i);
    }
}

static void add(struct links *l, lc_pid pid)
{
    if (l->n == l->cap) {
        if (l->live < l->n / 2) {
            reindex(l); /* half holes: closing them makes room */
        } else {
            size_t cap = 2 * l->cap;
            bool inside = l->pids == l->few;
            lc_pid *pids = realloc(inside ? NULL : l->pids, cap * sizeof *pids);
            if (pids == NULL) {
                lc_error(lc_atom_term(LC_A_ENOMEM));
            }
            if (inside) {
                memcpy(pids, l->few, sizeof l->few);
            }
            l->pids = pids;
            l->cap = cap;
            reindex(l);
        }
    }
    l->pids[l->n++] = pid;
    l->live++;
    if (l->icap > 0) {
        index_put(l, l->n - 1);
    }
}

/* Cut the link to 'pid' from 'l' (which may be NULL). The order of the
   others stays: lc_links() lists the oldest first. */
static void drop(struct links *l, lc_pid pid)
{
    long i = find(l, pid);
    if (i < 0) {
        return;
    }
    l->pids[i] = LC_NOPID;
    l->live--;
    if (l->icap > 0) {
        size_t h = home(l, pid);
        while (l->idx[h] != (uint32_t)i + 1) {
            h = (h + 1) & (l->icap - 1);
        }
        l->idx[h] = TOMB;
    }
    if ((size_t)i == l->n - 1) {
        l->n--; /* the newest link: no hole */
        if (l->icap > 0) {
            return; /* its tombstone stays until the next reindex */
        }
    } else if (l->icap == 0) {
        for (size_t j = (size_t)i + 1; j < l->n; j++) {
            l->pids[j - 1] = l->pids[j];
        }
        l->n--;
    } else if (l->n - l->live > l->live) {
        reindex(l);
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
        if (l->pids[i] != LC_NOPID) {
            drop(links_of(l->pids[i], false), dead);
        }
    }
    for (size_t i = 0; i < l->n; i++) {
        if (l->pids[i] != LC_NOPID) {
            deliver(l->pids[i], dead, *why, true);
        }
    }
    if (l->pids != l->few) {
        free(l->pids);
    }
    free(l->idx);
    free(l);
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
    size_t k = 0;
    for (size_t i = 0; l != NULL && i < l->n; i++) {
        if (l->pids[i] != LC_NOPID) {
            if (k < max) {
                out[k] = l->pids[i];
            }
            k++;
        }
    }
    return k;
    /* END SOLUTION */
}
