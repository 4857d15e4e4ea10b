/*
 * registry.c - a process registry and via names (chapter 7).
 *
 * The registry is a generic server that owns one table: a hash table of
 * entries (key, pid, value), each bucket a chain in registration order, so
 * a lookup hashes its key and reads one short chain. Each registered
 * process also has, in its LC_LOCAL_REGISTRY slot, the list of registries
 * it is in and, for each, its own entries there: the cleanup after it ends
 * walks those entries and nothing else.
 *
 * Who touches the table: the calling process, directly. The kit runs all
 * processes on one OS thread and switches between them only inside kernel
 * calls (a send, a receive...), so a function that reads or changes the
 * table without making such a call in the middle is never interrupted by
 * another process: no lock, no message, no round trip. The registry
 * process finds its table through its own slot, and so does every reader.
 *
 * Cleanup: Elixir's Registry links each registered process to itself and
 * removes its keys when the EXIT arrives (R3). This registry keeps the
 * same two-way bond, but keeps it itself, in its table and in the slots,
 * and acts on it in an exit hook (LC_ON_EXIT), as the kit's registered
 * names do: when a registered process ends, however it ends, its entries
 * are gone before any other process can see it end; when the registry
 * ends, each process still registered in it gets what a link would give
 * it -- an EXIT message if it traps exits, death with the registry's
 * reason if it does not (and nothing for `normal`). The kit's links are
 * per-process arrays, fine for a few links but not for a registry that
 * holds a million processes: removing one link would cost a scan of all
 * of them, where this costs the dead process's own keys.
 */
#include "lc/otp/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"

/* BEGIN SOLUTION(ch07): - */
#define TABLE_MAGIC 0x52656769u /* "Regi" */

struct owner;

/* One registration: a process under a key, with its value. */
struct entry {
    struct entry *kprev, *knext; /* the bucket's chain, oldest first */
    struct entry *oprev, *onext; /* the same process's, oldest first */
    struct owner *owner;
    lc_pid pid;
    struct lc_term value;
    uint64_t hash;
    char key[];
};

struct bucket {
    struct entry *first, *last;
};

struct table {
    uint32_t magic;
    enum lc_reg_keys kind;
    lc_pid self; /* the registry */
    struct bucket *b;
    size_t mask;  /* buckets - 1: a power of two */
    size_t count; /* entries */
};

/* A process's entries in one registry. */
struct owner {
    struct table *t;
    struct entry *first, *last;
};

/* What a process's LC_LOCAL_REGISTRY slot holds (malloc'd: registries
   change it as the process registers): the table it owns if it is a
   registry, and the registries it holds keys in. */
struct reg_local {
    struct table *own;
    size_t n, cap;
    struct owner *in; /* n of them */
};

/* --- Hashing and finding -------------------------------------------------- */

static uint64_t hash_key(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
    for (; *s != '\0'; s++) {
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    }
    return h ^ (h >> 29);
}

/* A valid key: 1 to LC_REG_KEY_MAX - 1 bytes. */
static bool key_ok(const char *key)
{
    return key != NULL && key[0] != '\0' &&
           strnlen(key, LC_REG_KEY_MAX) < LC_REG_KEY_MAX;
}

static struct reg_local *local_of(lc_pid pid, bool create)
{
    void **slot = lc_local(pid, LC_LOCAL_REGISTRY);
    if (slot == NULL) {
        return NULL;
    }
    if (*slot == NULL && create) {
        *slot = calloc(1, sizeof(struct reg_local));
    }
    return *slot;
}

/* The table of registry 'reg', or NULL if it is not a running registry. */
static struct table *table_of(lc_pid reg)
{
    struct reg_local *l = local_of(reg, false);
    return l != NULL && l->own != NULL && l->own->magic == TABLE_MAGIC ? l->own
                                                                       : NULL;
}

/* The caller's record in 't', or NULL. A process is in few registries. */
static struct owner *owner_in(struct reg_local *l, const struct table *t)
{
    for (size_t i = 0; l != NULL && i < l->n; i++) {
        if (l->in[i].t == t) {
            return &l->in[i];
        }
    }
    return NULL;
}

/* The first entry under 'key' in its bucket, from 'e' on. */
static struct entry *next_match(struct entry *e, const char *key, uint64_t h)
{
    while (e != NULL && (e->hash != h || strcmp(e->key, key) != 0)) {
        e = e->knext;
    }
    return e;
}

/* --- Changing the table ------------------------------------------------------
 */

static void chain_append(struct bucket *b, struct entry *e)
{
    e->knext = NULL;
    e->kprev = b->last;
    *(b->last ? &b->last->knext : &b->first) = e;
    b->last = e;
}

/* Double the buckets when there are as many entries as buckets: chains
   stay short, and a million keys cost twenty rehashes in all. The order
   of each chain is kept (duplicates stay oldest first). */
static void grow(struct table *t)
{
    size_t n = (t->mask + 1) * 2;
    struct bucket *nb = calloc(n, sizeof *nb);
    if (nb == NULL) {
        return; /* longer chains, still correct */
    }
    for (size_t i = 0; i <= t->mask; i++) {
        for (struct entry *e = t->b[i].first, *next; e; e = next) {
            next = e->knext;
            chain_append(&nb[e->hash & (n - 1)], e);
        }
    }
    free(t->b);
    t->b = nb;
    t->mask = n - 1;
}

/* Show the registration in figures: one edge per process, labelled with
   its oldest key; none once it has no key left. */
static void draw(struct owner *o, lc_pid pid)
{
    if (o->first != NULL) {
        lc_edge_add(LC_EDGE_REGISTERED, o->t->self, pid, o->first->key, 0);
    } else {
        lc_edge_remove(LC_EDGE_REGISTERED, o->t->self, pid);
    }
}

/* Forget the caller's (or a dead process's) record 'o' in its list. */
static void owner_forget(struct reg_local *l, struct owner *o)
{
    *o = l->in[--l->n];
}

/* The owner records move when a process's list changes (owner_forget,
   realloc): entries point to them, so point them again. */
static void owner_fix(struct owner *o)
{
    for (struct entry *e = o->first; e; e = e->onext) {
        e->owner = o;
    }
}

/* Take 'e' out of the bucket and the owner's list, and free it. */
static void remove_entry(struct table *t, struct entry *e)
{
    struct bucket *b = &t->b[e->hash & t->mask];
    struct owner *o = e->owner;
    *(e->kprev ? &e->kprev->knext : &b->first) = e->knext;
    *(e->knext ? &e->knext->kprev : &b->last) = e->kprev;
    *(e->oprev ? &e->oprev->onext : &o->first) = e->onext;
    *(e->onext ? &e->onext->oprev : &o->last) = e->oprev;
    t->count--;
    free(e);
}

/* After entries of 'o' (process 'pid', in 'l') went: with no key left
   there is no bond any more (R3); with a new oldest key, the figure's edge
   is labelled anew. 'first' was its oldest entry before. */
static void owner_settle(struct reg_local *l, struct owner *o, lc_pid pid,
                         const struct entry *first)
{
    if (o->first == NULL) {
        lc_edge_remove(LC_EDGE_REGISTERED, o->t->self, pid);
        owner_forget(l, o);
        if (o < l->in + l->n) {
            owner_fix(o);
        }
    } else if (o->first != first) {
        draw(o, pid);
    }
}

/* Take the entry 'e' of a holder that is already doomed (lc_doomed) out of
   the table now, rather than when its exit hook runs: its key is free. */
static void forget_entry(struct table *t, struct entry *e)
{
    lc_pid pid = e->pid;
    struct owner *o = e->owner;
    const struct entry *first = o->first;
    remove_entry(t, e);
    owner_settle(local_of(pid, false), o, pid, first);
}

/* Every entry of 'o' goes (the process ended, or the registry did). */
static void drop_owner(struct owner *o)
{
    while (o->first != NULL) {
        remove_entry(o->t, o->first);
    }
}

/* Add an entry for the caller. Everything is allocated first, so running
   out of memory changes nothing. */
static int add_entry(struct table *t, const char *key, uint64_t h, lc_pid pid,
                     struct lc_term value)
{
    struct reg_local *l = local_of(pid, true);
    struct owner *o = owner_in(l, t);
    if (l == NULL) {
        return LC_ENOMEM;
    }
    if (o == NULL && l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 2;
        struct owner *in = realloc(l->in, cap * sizeof *in);
        if (in == NULL) {
            return LC_ENOMEM;
        }
        l->in = in;
        l->cap = cap;
        for (size_t i = 0; i < l->n; i++) {
            owner_fix(&l->in[i]); /* the records moved */
        }
    }
    size_t len = strlen(key);
    struct entry *e = malloc(sizeof *e + len + 1);
    if (e == NULL) {
        return LC_ENOMEM;
    }
    if (o == NULL) {
        o = &l->in[l->n++];
        *o = (struct owner){ .t = t };
    }
    *e = (struct entry){
        .oprev = o->last, .owner = o, .pid = pid, .value = value, .hash = h
    };
    memcpy(e->key, key, len + 1);
    chain_append(&t->b[h & t->mask], e);
    *(o->last ? &o->last->onext : &o->first) = e;
    o->last = e;
    if (++t->count > t->mask) {
        grow(t);
    }
    if (o->first == e) {
        draw(o, pid);
    }
    return 0;
}

/* --- Ends ------------------------------------------------------------------
 */

/* The registry 't' ended with 'why': what its links would have done to the
   processes registered in it, then free the table. */
static void table_end(struct table *t, const struct lc_reason *why)
{
    for (size_t i = 0; i <= t->mask; i++) {
        while (t->b[i].first != NULL) {
            lc_pid pid = t->b[i].first->pid;
            struct reg_local *l = local_of(pid, false);
            struct owner *o = owner_in(l, t);
            drop_owner(o);
            owner_forget(l, o);
            if (o < l->in + l->n) {
                owner_fix(o);
            }
            if (lc_traps_exit(pid)) {
                struct lc_exit_msg m = { t->self, *why };
                lc_send(pid, LC_TAG_EXIT, &m, sizeof m);
            } else if (why->kind != LC_A_NORMAL ||
                       why->value.type != LC_T_NONE) {
                lc_kill(pid, *why);
            }
        }
    }
    free(t->b);
    free(t);
}

/* Every process's end: its entries go from every registry it was in; a
   registry's table goes with it. Runs before anyone hears of the end. */
static void registry_on_exit(lc_pid pid, const struct lc_reason *why)
{
    void **slot = lc_local(pid, LC_LOCAL_REGISTRY);
    struct reg_local *l = slot ? *slot : NULL;
    if (l == NULL) {
        return;
    }
    for (size_t i = 0; i < l->n; i++) {
        lc_edge_remove(LC_EDGE_REGISTERED, l->in[i].t->self, pid);
        drop_owner(&l->in[i]);
    }
    l->n = 0;
    if (l->own != NULL) {
        l->own->magic = 0;
        table_end(l->own, why);
    }
    *slot = NULL;
    free(l->in);
    free(l);
}

LC_ON_EXIT(registry_on_exit)

static struct table *table_new(enum lc_reg_keys kind)
{
    struct table *t = calloc(1, sizeof *t);
    if (t == NULL) {
        return NULL;
    }
    *t = (struct table){
        .magic = TABLE_MAGIC, .kind = kind, .self = lc_self(), .mask = 15
    };
    t->b = calloc(16, sizeof *t->b);
    if (t->b == NULL) {
        free(t);
        return NULL;
    }
    return t;
}
/* END SOLUTION */

/* The registry's init: make the table and publish it in the slot. It
   traps exits, as Elixir's partitions do, so that only its parent's EXIT
   (which stops the generic server) or a `kill` can end it. */
static int registry_init(void *arg, void **state, struct lc_reason *stop)
{
    /* BEGIN SOLUTION(ch07): return LC_GS_IGNORE; */
    const struct lc_reg_opts *o = arg;
    struct table *t = table_new(o->keys);
    struct reg_local *l = local_of(lc_self(), true);
    if (t == NULL || l == NULL) {
        free(t != NULL ? t->b : NULL);
        free(t);
        *stop = lc_reason(LC_A_ENOMEM);
        return LC_GS_STOP;
    }
    lc_trap_exit(true);
    l->own = t;
    lc_proc_set_role(t->self, LC_ROLE_REGISTRY);
    lc_proc_set_detail(t->self, t->kind == LC_REG_UNIQUE ? "unique keys"
                                                         : "duplicate keys");
    return LC_GS_CONTINUE;
    /* END SOLUTION */
}

/* Its mailbox sees only stray messages: it has nothing to serve. */
static const struct lc_gs_ops registry_ops = {
    .init = registry_init,
};

int lc_reg_start_link(const struct lc_reg_opts *opts, lc_pid *pid,
                      struct lc_reason *why)
{
    struct lc_reg_opts o = opts ? *opts : (struct lc_reg_opts){ 0 };
    struct lc_gs_opts go = { .name = o.name };
    return lc_gs_start_link(&registry_ops, &o, &go, pid, why);
}

static int child_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    return lc_reg_start_link(arg, pid, why);
}

struct lc_child_spec lc_reg_child_spec(const char *id,
                                       const struct lc_reg_opts *opts)
{
    static const struct lc_reg_opts defaults = { 0 };
    return (struct lc_child_spec){
        .id = id,
        .start = child_start,
        .arg = opts ? opts : &defaults,
        .arg_size = sizeof *opts,
    };
}

/* region: write */
int lc_reg_register(lc_pid reg, const char *key, struct lc_term value,
                    lc_pid *holder)
{
    /* BEGIN SOLUTION(ch07): return LC_ENOSYS; */
    struct table *t = table_of(reg);
    if (t == NULL) {
        return LC_ENOPROC;
    }
    if (!key_ok(key)) {
        return LC_EINVAL;
    }
    uint64_t h = hash_key(key);
    if (t->kind == LC_REG_UNIQUE) {
        struct entry *e = next_match(t->b[h & t->mask].first, key, h);
        if (e != NULL && lc_doomed(e->pid)) {
            forget_entry(t, e); /* R2: a dead holder frees its key */
            e = NULL;
        }
        if (e != NULL) {
            if (holder != NULL) {
                *holder = e->pid; /* even when it is the caller (R2) */
            }
            return LC_EEXIST;
        }
    }
    return add_entry(t, key, h, lc_self(), value);
    /* END SOLUTION */
}

int lc_reg_unregister(lc_pid reg, const char *key)
{
    /* BEGIN SOLUTION(ch07): return LC_ENOSYS; */
    struct table *t = table_of(reg);
    if (t == NULL) {
        return LC_ENOPROC;
    }
    if (!key_ok(key)) {
        return LC_EINVAL;
    }
    lc_pid self = lc_self();
    struct reg_local *l = local_of(self, false);
    struct owner *o = owner_in(l, t);
    if (o == NULL) {
        return 0;
    }
    /* Walk the caller's own entries: as many steps as it has keys. */
    struct entry *first = o->first;
    for (struct entry *e = o->first, *next; e; e = next) {
        next = e->onext;
        if (strcmp(e->key, key) == 0) {
            remove_entry(t, e);
        }
    }
    owner_settle(l, o, self, first);
    return 0;
    /* END SOLUTION */
}
/* endregion */

/* region: read */
size_t lc_reg_lookup(lc_pid reg, const char *key, struct lc_reg_entry *out,
                     size_t max)
{
    /* BEGIN SOLUTION(ch07): return 0; */
    struct table *t = table_of(reg);
    if (t == NULL || !key_ok(key)) {
        return 0;
    }
    uint64_t h = hash_key(key);
    size_t n = 0;
    struct entry *e = next_match(t->b[h & t->mask].first, key, h);
    if (e != NULL && t->kind == LC_REG_UNIQUE && lc_doomed(e->pid)) {
        return 0; /* R5: a dead holder is nobody */
    }
    for (; e != NULL; e = next_match(e->knext, key, h), n++) {
        if (n < max) {
            out[n] = (struct lc_reg_entry){ e->pid, e->value };
        }
        if (t->kind == LC_REG_UNIQUE) {
            return 1; /* no other entry can hold it: skip the chain's rest */
        }
    }
    return n;
    /* END SOLUTION */
}

lc_pid lc_reg_whereis(lc_pid reg, const char *key)
{
    /* BEGIN SOLUTION(ch07): return LC_NOPID; */
    struct lc_reg_entry e;
    return lc_reg_lookup(reg, key, &e, 1) > 0 ? e.pid : LC_NOPID;
    /* END SOLUTION */
}

size_t lc_reg_keys(lc_pid reg, lc_pid pid, const char **out, size_t max)
{
    /* BEGIN SOLUTION(ch07): return 0; */
    struct table *t = table_of(reg);
    struct owner *o = t ? owner_in(local_of(pid, false), t) : NULL;
    size_t n = 0;
    for (struct entry *e = o ? o->first : NULL; e; e = e->onext, n++) {
        if (n < max) {
            out[n] = e->key;
        }
    }
    return n;
    /* END SOLUTION */
}

size_t lc_reg_values(lc_pid reg, const char *key, lc_pid pid,
                     struct lc_term *out, size_t max)
{
    /* BEGIN SOLUTION(ch07): return 0; */
    struct table *t = table_of(reg);
    struct owner *o =
            t && key_ok(key) ? owner_in(local_of(pid, false), t) : NULL;
    size_t n = 0;
    for (struct entry *e = o ? o->first : NULL; e; e = e->onext) {
        if (strcmp(e->key, key) == 0) {
            if (n < max) {
                out[n] = e->value;
            }
            n++;
        }
    }
    return n;
    /* END SOLUTION */
}

size_t lc_reg_count(lc_pid reg)
{
    /* BEGIN SOLUTION(ch07): return 0; */
    struct table *t = table_of(reg);
    return t ? t->count : 0;
    /* END SOLUTION */
}

int lc_reg_dispatch(lc_pid reg, const char *key, lc_reg_dispatch_fn *fn,
                    void *ctx)
{
    /* BEGIN SOLUTION(ch07): return LC_ENOSYS; */
    size_t n = lc_reg_lookup(reg, key, NULL, 0);
    if (n == 0) {
        return 0; /* R4: fn is not called at all */
    }
    /* A copy: fn may register, unregister or send, and the table change
       under it. */
    struct lc_reg_entry *es = lc_alloc(n * sizeof *es);
    if (es == NULL) {
        return LC_ENOMEM;
    }
    lc_reg_lookup(reg, key, es, n);
    fn(es, n, ctx);
    lc_free(es);
    return 0;
    /* END SOLUTION */
}
/* endregion */

/* region: keys */
static int key_fmt(char out[LC_REG_KEY_MAX], const char *tag, const char *fmt,
                   const void *v)
{
    if (tag == NULL || tag[0] == '\0') {
        return LC_EINVAL;
    }
    int n = fmt[1] == 's' ? snprintf(out, LC_REG_KEY_MAX, "{%s,%s}", tag,
                                     (const char *)v)
                          : snprintf(out, LC_REG_KEY_MAX, "{%s,%lld}", tag,
                                     (long long)*(const int64_t *)v);
    return n >= 0 && n < LC_REG_KEY_MAX ? 0 : LC_ERANGE;
}

int lc_reg_key_int(char out[LC_REG_KEY_MAX], const char *tag, int64_t id)
{
    return key_fmt(out, tag, "%d", &id);
}

int lc_reg_key_str(char out[LC_REG_KEY_MAX], const char *tag, const char *s)
{
    return s == NULL ? LC_EINVAL : key_fmt(out, tag, "%s", s);
}
/* endregion */

/* region: via */
/* What the starter hands the new server: its callbacks, their argument,
   and where to register. The starter waits during init, so this can live
   on its stack; 'holder' carries a taken key's holder back to it. */
struct via_start {
    const struct lc_gs_ops *ops;
    void *arg;
    lc_pid reg;
    const char *key;
    lc_pid holder;
};

/* A via server's state: its own callbacks and the state they made. */
struct via_state {
    const struct lc_gs_ops *ops;
    void *state;
};

/* BEGIN SOLUTION(ch07): - */
static _Noreturn void undef(void)
{
    lc_error(lc_atom_term(lc_atom_intern("undef")));
}

/* Register first, then the server's own init (N5); a failed init frees the
   key before the starter hears of it. A taken key ends the start with
   LC_GS_IGNORE (an exit `normal`), the holder left in the starter's
   record. */
static int via_init(void *arg, void **state, struct lc_reason *stop)
{
    struct via_start *vs = arg;
    struct via_state *w = lc_zalloc(sizeof *w);
    if (w == NULL) {
        *stop = lc_reason(LC_A_ENOMEM);
        return LC_GS_STOP;
    }
    w->ops = vs->ops;
    *state = w;
    int err = lc_reg_register(vs->reg, vs->key, lc_none(), &vs->holder);
    if (err == LC_EEXIST) {
        return LC_GS_IGNORE;
    }
    if (err < 0) {
        *stop = lc_reason(LC_A_BADARG);
        return LC_GS_STOP;
    }
    int rc = w->ops->init(vs->arg, &w->state, stop);
    if (rc != LC_GS_CONTINUE) {
        lc_reg_unregister(vs->reg, vs->key);
    }
    return rc;
}

static int via_call(void *state, int tag, const void *data, size_t size,
                    struct lc_gs_from from, struct lc_reason *stop)
{
    struct via_state *w = state;
    if (w->ops->handle_call == NULL) {
        undef();
    }
    return w->ops->handle_call(w->state, tag, data, size, from, stop);
}

static int via_cast(void *state, int tag, const void *data, size_t size,
                    struct lc_reason *stop)
{
    struct via_state *w = state;
    if (w->ops->handle_cast == NULL) {
        undef();
    }
    return w->ops->handle_cast(w->state, tag, data, size, stop);
}

static int via_info(void *state, const struct lc_msg *m, struct lc_reason *stop)
{
    struct via_state *w = state;
    return w->ops->handle_info ? w->ops->handle_info(w->state, m, stop)
                               : LC_GS_CONTINUE;
}

static void via_terminate(void *state, const struct lc_reason *why)
{
    struct via_state *w = state;
    if (w->ops->terminate != NULL) {
        w->ops->terminate(w->state, why);
    }
}

static const struct lc_gs_ops via_ops = {
    .init = via_init,
    .handle_call = via_call,
    .handle_cast = via_cast,
    .handle_info = via_info,
    .terminate = via_terminate,
};

static int via_start(lc_pid reg, const char *key, const struct lc_gs_ops *ops,
                     void *arg, const struct lc_gs_opts *opts, bool link,
                     lc_pid *pid, struct lc_reason *why)
{
    struct table *t = table_of(reg);
    if (t == NULL || t->kind != LC_REG_UNIQUE || !key_ok(key)) {
        *why = lc_reason(LC_A_BADARG); /* R5: via names need unique keys */
        return LC_ESTART;
    }
    lc_pid holder = lc_reg_whereis(reg, key);
    if (holder != LC_NOPID) {
        *pid = holder; /* nothing is spawned (N5) */
        return LC_EALREADY;
    }
    struct via_start vs = { ops, arg, reg, key, LC_NOPID };
    int rc = link ? lc_gs_start_link(&via_ops, &vs, opts, pid, why)
                  : lc_gs_start(&via_ops, &vs, opts, pid, why);
    if (rc == LC_EIGNORE && vs.holder != LC_NOPID) {
        *pid = vs.holder; /* taken while we were starting */
        return LC_EALREADY;
    }
    return rc;
}
/* END SOLUTION */

int lc_reg_via_start(lc_pid reg, const char *key, const struct lc_gs_ops *ops,
                     void *arg, const struct lc_gs_opts *opts, lc_pid *pid,
                     struct lc_reason *why)
{
    /* BEGIN SOLUTION(ch07): return LC_ENOSYS; */
    lc_pid p = LC_NOPID;
    struct lc_reason r = lc_reason(LC_A_NORMAL);
    int rc = via_start(reg, key, ops, arg, opts, false, &p, &r);
    if (why != NULL && rc == LC_ESTART) {
        *why = r;
    }
    if (pid != NULL) {
        *pid = p;
    }
    return rc;
    /* END SOLUTION */
}

int lc_reg_via_start_link(lc_pid reg, const char *key,
                          const struct lc_gs_ops *ops, void *arg,
                          const struct lc_gs_opts *opts, lc_pid *pid,
                          struct lc_reason *why)
{
    /* BEGIN SOLUTION(ch07): return LC_ENOSYS; */
    lc_pid p = LC_NOPID;
    struct lc_reason r = lc_reason(LC_A_NORMAL);
    int rc = via_start(reg, key, ops, arg, opts, true, &p, &r);
    if (why != NULL && rc == LC_ESTART) {
        *why = r;
    }
    if (pid != NULL) {
        *pid = p;
    }
    return rc;
    /* END SOLUTION */
}

struct lc_msg *lc_reg_via_call(lc_pid reg, const char *key, int tag,
                               const void *req, size_t size, int64_t timeout_ms)
{
    /* BEGIN SOLUTION(ch07): return NULL; */
    lc_pid p = lc_reg_whereis(reg, key);
    if (p == LC_NOPID) { /* R5: as a call to a process that is not there */
        lc_exit(((struct lc_reason){ .kind = LC_A_NOPROC, .via = LC_A_CALL }));
    }
    return lc_gs_call(p, tag, req, size, timeout_ms);
    /* END SOLUTION */
}

int lc_reg_via_cast(lc_pid reg, const char *key, int tag, const void *req,
                    size_t size)
{
    /* BEGIN SOLUTION(ch07): return 0; */
    lc_pid p = lc_reg_whereis(reg, key);
    return p == LC_NOPID ? 0 : lc_gs_cast(p, tag, req, size);
    /* END SOLUTION */
}

int lc_reg_via_send(lc_pid reg, const char *key, int tag, const void *data,
                    size_t size)
{
    /* BEGIN SOLUTION(ch07): return LC_ENOSYS; */
    lc_pid p = lc_reg_whereis(reg, key);
    if (p == LC_NOPID) {
        lc_error(lc_atom_term(LC_A_BADARG));
    }
    return lc_send(p, tag, data, size);
    /* END SOLUTION */
}
