/*
 * monitors.c - monitors, and calls built on them (chapter 3).
 *
 * Each process that takes part in a monitor owns a struct monitors in its
 * LC_LOCAL_MONITORS slot, with two lists: the monitors it holds on others
 * ('watching': reference and watched pid) and the monitors others hold on
 * it ('watchers': reference and watcher pid). A monitor is stored at both
 * ends, so that whichever end ends first can find the other: the watched
 * process to send its DOWN, the watcher to withdraw its watch.
 *
 * The kernel knows nothing of monitors. This layer hooks into every process
 * exit (monitors_on_exit): each watcher of the dead process gets a DOWN
 * message, and the monitors the dead process held are forgotten. A DOWN is
 * an ordinary message: it never kills anyone, which is what makes a monitor
 * different from a link.
 *
 * lc_call() is the first user: a call monitors the server for as long as it
 * waits, so that a dead server ends the wait at once instead of leaving the
 * caller blocked until its timeout (or forever).
 */
#include "lc/otp/monitors.h"

#include <stdlib.h>
#include <string.h>

#include "lc/otp/exceptions.h"

/* BEGIN SOLUTION(ch03): - */
/* One end of a monitor, as one process stores it. */
struct mon {
    uint64_t ref; /* the monitor's reference */
    lc_pid pid;   /* the other end: the watched process, or the watcher */
};

/* A growable array of monitor ends, oldest first. A withdrawn end leaves
   a hole (ref 0) until holes are half the array. Past SMALL slots, an
   index finds a reference's slot in one probe: a dynamic supervisor that
   stops a hundred thousand children holds as many monitors, and each DOWN
   must cost the same however many are left. */
struct mon_list {
    struct mon *v; /* malloc */
    size_t n;      /* slots in use, holes included */
    size_t cap;    /* room */
    size_t live;   /* ends: n minus the holes */
    uint32_t *idx; /* open addressing: slot + 1, 0 empty, TOMB withdrawn */
    size_t icap;   /* a power of 2, at least twice cap; 0: no index */
    /* 'v' at first: most processes hold or are held by a monitor or
       two, and then need no array of their own. */
    struct mon few[2];
};

#define SMALL 16
#define TOMB  UINT32_MAX

struct monitors {
    struct mon_list watching; /* monitors this process holds on others */
    struct mon_list watchers; /* monitors others hold on this process */
};

/* The monitors of 'pid', created on first use if 'create' (NULL if 'pid'
   is dead, or has none and 'create' is false). malloc'd, not lc_alloc'd:
   other processes change it when they monitor 'pid'. */
static struct monitors *monitors_of(lc_pid pid, bool create)
{
    void **slot = lc_local(pid, LC_LOCAL_MONITORS);
    if (slot == NULL) {
        return NULL;
    }
    if (*slot == NULL && create) {
        /* malloc and clear, not calloc: calloc skips glibc's per-thread
           cache of small blocks, and every new process pays for it. */
        struct monitors *m = malloc(sizeof *m);
        if (m == NULL) {
            lc_error(lc_atom_term(LC_A_ENOMEM));
        }
        *m = (struct monitors){ 0 };
        m->watching.v = m->watching.few;
        m->watchers.v = m->watchers.few;
        m->watching.cap = sizeof m->watching.few / sizeof(struct mon);
        m->watchers.cap = m->watching.cap;
        *slot = m;
    }
    return *slot;
}

static size_t home(const struct mon_list *l, uint64_t ref)
{
    return (size_t)((ref * 0x9E3779B97F4A7C15ull) >> 20) & (l->icap - 1);
}

/* The slot of 'ref' in l->v, or -1. */
static long find(const struct mon_list *l, uint64_t ref)
{
    if (l == NULL || ref == 0) {
        return -1;
    }
    if (l->icap == 0) {
        for (size_t i = 0; i < l->n; i++) {
            if (l->v[i].ref == ref) {
                return (long)i;
            }
        }
        return -1;
    }
    for (size_t h = home(l, ref);; h = (h + 1) & (l->icap - 1)) {
        uint32_t e = l->idx[h];
        if (e == 0) {
            return -1;
        }
        if (e != TOMB && l->v[e - 1].ref == ref) {
            return (long)(e - 1);
        }
    }
}

static void index_put(struct mon_list *l, size_t slot)
{
    size_t h = home(l, l->v[slot].ref);
    while (l->idx[h] != 0) {
        h = (h + 1) & (l->icap - 1);
    }
    l->idx[h] = (uint32_t)slot + 1;
}

/* Close the holes (keeping the order) and index the slots afresh. */
static void reindex(struct mon_list *l)
{
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (l->v[i].ref != 0) {
            l->v[k++] = l->v[i];
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

static void list_free(struct mon_list *l)
{
    if (l->v != l->few) {
        free(l->v);
    }
    free(l->idx);
}

static void add(struct mon_list *l, uint64_t ref, lc_pid pid)
{
    if (l->n == l->cap) {
        if (l->live < l->n / 2) {
            reindex(l);
        } else {
            size_t cap = 2 * l->cap;
            bool inside = l->v == l->few;
            struct mon *v = realloc(inside ? NULL : l->v, cap * sizeof *v);
            if (v == NULL) {
                lc_error(lc_atom_term(LC_A_ENOMEM));
            }
            if (inside) {
                memcpy(v, l->few, sizeof l->few);
            }
            l->v = v;
            l->cap = cap;
            reindex(l);
        }
    }
    l->v[l->n++] = (struct mon){ ref, pid };
    l->live++;
    if (l->icap > 0) {
        index_put(l, l->n - 1);
    }
}

/* Remove the end with 'ref' from 'l' (which may be NULL). Returns true and
   sets *pid (if not NULL) to its other end when it was there. The order of
   the others stays: DOWNs go out oldest monitor first. */
static bool take(struct mon_list *l, uint64_t ref, lc_pid *pid)
{
    long i = find(l, ref);
    if (i < 0) {
        return false;
    }
    if (pid != NULL) {
        *pid = l->v[i].pid;
    }
    l->v[i].ref = 0;
    l->live--;
    if (l->icap > 0) {
        size_t h = home(l, ref);
        while (l->idx[h] != (uint32_t)i + 1) {
            h = (h + 1) & (l->icap - 1);
        }
        l->idx[h] = TOMB;
    }
    if ((size_t)i == l->n - 1) {
        l->n--; /* the newest end: no hole */
    } else if (l->icap == 0) {
        memmove(&l->v[i], &l->v[i + 1], (l->n - (size_t)i - 1) * sizeof *l->v);
        l->n--;
    } else if (l->n - l->live > l->live) {
        reindex(l);
    }
    return true;
}

static bool holds(const struct mon_list *l, lc_pid pid)
{
    for (size_t i = 0; i < l->n; i++) {
        if (l->v[i].ref != 0 && l->v[i].pid == pid) {
            return true;
        }
    }
    return false;
}

static struct mon_list *watching_of(lc_pid pid)
{
    struct monitors *m = monitors_of(pid, false);
    return m ? &m->watching : NULL;
}

static struct mon_list *watchers_of(lc_pid pid)
{
    struct monitors *m = monitors_of(pid, false);
    return m ? &m->watchers : NULL;
}

/* Send the DOWN of monitor 'ref' to 'watcher': 'pid' ended with 'why'. */
static void send_down(lc_pid watcher, uint64_t ref, lc_pid pid,
                      struct lc_reason why)
{
    struct lc_down_msg down = { ref, pid, why };
    lc_send_ref(watcher, LC_TAG_DOWN, ref, &down, sizeof down);
}

/* A DOWN of the monitor whose reference is *ctx (for the flush). */
static bool is_down_of(const struct lc_msg *m, const void *ctx)
{
    return m->tag == LC_TAG_DOWN && m->ref == *(const uint64_t *)ctx;
}

/* The caller's end when no reply can come: exit with {R, {call}}. */
static _Noreturn void call_fail(struct lc_reason r)
{
    r.via = LC_A_CALL;
    lc_exit(r);
}
/* END SOLUTION */

/*
 * The kernel calls this at the end of every process (LC_ON_EXIT below),
 * with the process's reason, before its memory is freed. Each process that
 * watches the dead one gets a DOWN with 'why', in the order the monitors
 * were made; the monitors the dead process held on others are withdrawn
 * from their targets; the dead process's own records are freed. (The
 * kernel drops its monitor edges itself.) Must not wait.
 */
static void monitors_on_exit(lc_pid dead, const struct lc_reason *why)
{
    /* BEGIN SOLUTION(ch03): (void)dead; (void)why; */
    void **slot = lc_local(dead, LC_LOCAL_MONITORS);
    struct monitors *m = slot ? *slot : NULL;
    if (m == NULL) {
        return;
    }
    *slot = NULL;
    for (size_t i = 0; i < m->watchers.n; i++) {
        struct mon w = m->watchers.v[i];
        if (w.ref != 0 && w.pid != dead &&
            take(watching_of(w.pid), w.ref, NULL)) {
            send_down(w.pid, w.ref, dead, *why);
        }
    }
    for (size_t i = 0; i < m->watching.n; i++) {
        if (m->watching.v[i].ref != 0) {
            take(watchers_of(m->watching.v[i].pid), m->watching.v[i].ref, NULL);
        }
    }
    list_free(&m->watching);
    list_free(&m->watchers);
    free(m);
    /* END SOLUTION */
}

LC_ON_EXIT(monitors_on_exit)

uint64_t lc_monitor(lc_pid pid)
{
    /* BEGIN SOLUTION(ch03): return 0; */
    lc_pid self = lc_self();
    if (self == LC_NOPID) {
        lc_panic("lc_monitor() called outside any process");
    }
    uint64_t ref = lc_ref_make();
    if (!lc_alive(pid)) {
        /* Not an error: the DOWN says `noproc`, at once (OTP's M3). */
        send_down(self, ref, pid, lc_reason(LC_A_NOPROC));
        return ref;
    }
    add(&monitors_of(self, true)->watching, ref, pid);
    add(&monitors_of(pid, true)->watchers, ref, self);
    lc_edge_add(LC_EDGE_MONITOR, self, pid, NULL, 0); /* not to oneself */
    return ref;
    /* END SOLUTION */
}

bool lc_demonitor(uint64_t ref, unsigned flags)
{
    /* BEGIN SOLUTION(ch03): return false; */
    lc_pid self = lc_self();
    struct mon_list *mine = watching_of(self);
    lc_pid target = LC_NOPID;
    bool active = take(mine, ref, &target);
    if (active) {
        take(watchers_of(target), ref, NULL);
        if (!holds(mine, target)) {
            lc_edge_remove(LC_EDGE_MONITOR, self, target);
        }
    }
    if (flags & LC_DEMONITOR_FLUSH) {
        lc_msg_free(lc_receive_match(is_down_of, &ref, 0));
    }
    return (flags & LC_DEMONITOR_INFO) ? active : true;
    /* END SOLUTION */
}

struct lc_msg *lc_call(lc_pid server, int tag, const void *req, size_t size,
                       int64_t timeout_ms)
{
    /* BEGIN SOLUTION(ch03): return NULL; */
    if (server == lc_self()) {
        call_fail(lc_reason(LC_A_CALLING_SELF)); /* it would never answer */
    }
    /* The monitor's reference doubles as the call's: the reply and the
       DOWN both carry it, so one receive waits for either. */
    uint64_t ref = lc_monitor(server);
    lc_send_ref(server, tag, ref, req, size);
    struct lc_msg *m = lc_receive_ref(ref, timeout_ms);
    if (m == NULL) {
        lc_demonitor(ref, LC_DEMONITOR_FLUSH);
        call_fail(lc_reason(LC_A_TIMEOUT));
    }
    if (m->tag == LC_TAG_DOWN) {
        struct lc_down_msg down;
        memcpy(&down, m->data, sizeof down);
        lc_msg_free(m);
        call_fail(down.reason); /* noproc, or why the server ended */
    }
    /* The server may have ended just after replying: drop that DOWN. */
    lc_demonitor(ref, LC_DEMONITOR_FLUSH);
    return m;
    /* END SOLUTION */
}

int lc_reply(const struct lc_msg *req, const void *data, size_t size)
{
    /* BEGIN SOLUTION(ch03): return LC_ENOSYS; */
    return lc_send_ref(req->from, LC_TAG_REPLY, req->ref, data, size);
    /* END SOLUTION */
}
