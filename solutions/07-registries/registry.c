/*
 * registry.c - a process registry and via names (chapter 7).
 *
 * The registry is a generic server that traps exits and owns one table.
 * The table is two hash tables over the same entries:
 *
 *   keys:   key string -> the entries under it, oldest first (lookups)
 *   owners: pid        -> the entries of that process, oldest first
 *
 * so a lookup hashes its key and reads one short chain, and the cleanup
 * after a process ends walks that process's own entries and nothing else.
 *
 * Who touches the table: the calling process, directly. The kit runs all
 * processes on one OS thread and switches between them only inside kernel
 * calls (a send, a receive...), so a function that reads or changes the
 * table without making such a call in the middle is never interrupted by
 * another process: no lock, no message, no round trip. The registry
 * process finds its table through its LC_LOCAL_REGISTRY slot, and so does
 * every reader; the table is freed by a resource of the registry process,
 * so it dies with the registry, however the registry dies.
 *
 * Cleanup is by link, as Elixir's Registry does it (R3): a process that
 * registers links itself to the registry, and the registry, which traps
 * exits, gets an EXIT message when it ends and removes its entries. That
 * EXIT arrives a little later than the end, so readers skip entries whose
 * process is no longer alive: nobody ever gets a dead pid from a lookup.
 * The link also works the other way: if the registry dies, the processes
 * registered in it die too (or get an EXIT if they trap), so none of them
 * goes on believing it can be found.
 */
#include "lc/otp/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"

enum {
    REG_T_SYNC = 1
}; /* the registry's only call */

/* BEGIN SOLUTION(ch07): - */
#define TABLE_MAGIC 0x52656769u /* "Regi" */

struct owner;
struct key;

/* One registration: a process under a key, with its value. */
struct entry {
    struct entry *kprev, *knext; /* under the same key, oldest first */
    struct entry *oprev, *onext; /* of the same process, oldest first */
    struct key *key;
    struct owner *owner;
    struct lc_term value;
};

/* A key in use. */
struct key {
    struct key *next; /* the hash bucket's chain */
    struct entry *first, *last;
    uint64_t hash;
    char name[];
};

/* A process that holds keys. */
struct owner {
    struct owner *next; /* the hash bucket's chain */
    lc_pid pid;
    struct entry *first, *last;
    size_t n;
};

struct table {
    uint32_t magic;
    enum lc_reg_keys kind;
    lc_pid self;   /* the registry */
    lc_pid parent; /* linked for its own sake: never unlinked */
    struct key **keys;
    size_t nkeys, keys_mask;
    struct owner **owners;
    size_t nowners, owners_mask;
    size_t count; /* entries */
};

/* --- Hashing -------------------------------------------------------------- */

static uint64_t hash_key(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
    for (; *s != '\0'; s++) {
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    }
    return h ^ (h >> 29);
}

static uint64_t hash_pid(lc_pid p)
{
    uint64_t h = p * 0x9e3779b97f4a7c15u;
    return h ^ (h >> 31);
}

/* A valid key: 1 to LC_REG_KEY_MAX - 1 bytes. */
static bool key_ok(const char *key)
{
    return key != NULL && key[0] != '\0' &&
           strnlen(key, LC_REG_KEY_MAX) < LC_REG_KEY_MAX;
}

/* The table of registry 'reg', or NULL if it is not a running registry. */
static struct table *table_of(lc_pid reg)
{
    void **slot = lc_local(reg, LC_LOCAL_REGISTRY);
    struct table *t = slot ? *slot : NULL;
    return t != NULL && t->magic == TABLE_MAGIC && lc_alive(reg) ? t : NULL;
}

/* --- The two hash tables ----------------------------------------------------
 */

static struct key *find_key(const struct table *t, const char *name, uint64_t h)
{
    for (struct key *k = t->keys[h & t->keys_mask]; k; k = k->next) {
        if (k->hash == h && strcmp(k->name, name) == 0) {
            return k;
        }
    }
    return NULL;
}

static struct owner *find_owner(const struct table *t, lc_pid pid)
{
    struct owner *o = t->owners[hash_pid(pid) & t->owners_mask];
    while (o != NULL && o->pid != pid) {
        o = o->next;
    }
    return o;
}

/* Double a bucket array when it is as full as it is long: chains stay
   short, and a million keys cost a few rehashes in all. */
static void grow_keys(struct table *t)
{
    size_t n = (t->keys_mask + 1) * 2;
    struct key **b = calloc(n, sizeof *b);
    if (b == NULL) {
        return; /* longer chains, still correct */
    }
    for (size_t i = 0; i <= t->keys_mask; i++) {
        for (struct key *k = t->keys[i], *next; k; k = next) {
            next = k->next;
            k->next = b[k->hash & (n - 1)];
            b[k->hash & (n - 1)] = k;
        }
    }
    free(t->keys);
    t->keys = b;
    t->keys_mask = n - 1;
}

static void grow_owners(struct table *t)
{
    size_t n = (t->owners_mask + 1) * 2;
    struct owner **b = calloc(n, sizeof *b);
    if (b == NULL) {
        return;
    }
    for (size_t i = 0; i <= t->owners_mask; i++) {
        for (struct owner *o = t->owners[i], *next; o; o = next) {
            next = o->next;
            o->next = b[hash_pid(o->pid) & (n - 1)];
            b[hash_pid(o->pid) & (n - 1)] = o;
        }
    }
    free(t->owners);
    t->owners = b;
    t->owners_mask = n - 1;
}

static void unchain_key(struct table *t, struct key *k)
{
    struct key **pp = &t->keys[k->hash & t->keys_mask];
    while (*pp != k) {
        pp = &(*pp)->next;
    }
    *pp = k->next;
    t->nkeys--;
    free(k);
}

static void unchain_owner(struct table *t, struct owner *o)
{
    struct owner **pp = &t->owners[hash_pid(o->pid) & t->owners_mask];
    while (*pp != o) {
        pp = &(*pp)->next;
    }
    *pp = o->next;
    t->nowners--;
    free(o);
}

/* --- Entries ----------------------------------------------------------------
 */

/* Show the registration in figures: one edge per process, labelled with
   its oldest key; none once it has no key left. */
static void draw(struct table *t, struct owner *o)
{
    if (o->first != NULL) {
        lc_edge_add(LC_EDGE_REGISTERED, t->self, o->pid, o->first->key->name,
                    0);
    } else {
        lc_edge_remove(LC_EDGE_REGISTERED, t->self, o->pid);
    }
}

/* Take 'e' out of both lists and free it; a key or an owner left empty
   goes too. Returns true if the owner went. */
static bool remove_entry(struct table *t, struct entry *e)
{
    struct key *k = e->key;
    struct owner *o = e->owner;
    *(e->kprev ? &e->kprev->knext : &k->first) = e->knext;
    *(e->knext ? &e->knext->kprev : &k->last) = e->kprev;
    *(e->oprev ? &e->oprev->onext : &o->first) = e->onext;
    *(e->onext ? &e->onext->oprev : &o->last) = e->oprev;
    free(e);
    t->count--;
    o->n--;
    if (k->first == NULL) {
        unchain_key(t, k);
    }
    if (o->first == NULL) {
        lc_edge_remove(LC_EDGE_REGISTERED, t->self, o->pid);
        unchain_owner(t, o);
        return true;
    }
    return false;
}

/* Remove every entry of 'o' (a process that ended). */
static void drop_owner(struct table *t, struct owner *o)
{
    while (!remove_entry(t, o->first)) {
    }
}

/* Add an entry for 'pid' under 'name'. Everything is allocated first, so
   running out of memory changes nothing. */
static int add_entry(struct table *t, const char *name, uint64_t h, lc_pid pid,
                     struct lc_term value)
{
    struct key *k = find_key(t, name, h);
    struct owner *o = find_owner(t, pid);
    size_t len = strlen(name);
    struct key *nk = k ? NULL : malloc(sizeof *nk + len + 1);
    struct owner *no = o ? NULL : calloc(1, sizeof *no);
    struct entry *e = calloc(1, sizeof *e);
    if (e == NULL || (k == NULL && nk == NULL) || (o == NULL && no == NULL)) {
        free(nk);
        free(no);
        free(e);
        return LC_ENOMEM;
    }
    if (k == NULL) {
        k = nk;
        *k = (struct key){ .hash = h };
        memcpy(k->name, name, len + 1);
        k->next = t->keys[h & t->keys_mask];
        t->keys[h & t->keys_mask] = k;
        if (++t->nkeys > t->keys_mask) {
            grow_keys(t);
        }
    }
    if (o == NULL) {
        o = no;
        o->pid = pid;
        o->next = t->owners[hash_pid(pid) & t->owners_mask];
        t->owners[hash_pid(pid) & t->owners_mask] = o;
        if (++t->nowners > t->owners_mask) {
            grow_owners(t);
        }
    }
    *e = (struct entry){
        .kprev = k->last, .oprev = o->last, .key = k, .owner = o, .value = value
    };
    *(k->last ? &k->last->knext : &k->first) = e;
    k->last = e;
    *(o->last ? &o->last->onext : &o->first) = e;
    o->last = e;
    o->n++;
    t->count++;
    if (o->n == 1) {
        draw(t, o);
    }
    return 0;
}

/* --- The registry process
 * ----------------------------------------------------- */

static void table_free(void *obj)
{
    struct table *t = obj;
    for (size_t i = 0; i <= t->owners_mask; i++) {
        while (t->owners[i] != NULL) {
            drop_owner(t, t->owners[i]);
        }
    }
    void **slot = lc_local(t->self, LC_LOCAL_REGISTRY);
    if (slot != NULL) {
        *slot = NULL;
    }
    free(t->keys);
    free(t->owners);
    free(t);
}

static struct table *table_new(enum lc_reg_keys kind)
{
    struct table *t = calloc(1, sizeof *t);
    if (t == NULL) {
        return NULL;
    }
    *t = (struct table){ .magic = TABLE_MAGIC,
                         .kind = kind,
                         .self = lc_self(),
                         .keys_mask = 15,
                         .owners_mask = 15 };
    t->keys = calloc(16, sizeof *t->keys);
    t->owners = calloc(16, sizeof *t->owners);
    struct lc_info info;
    if (t->keys == NULL || t->owners == NULL ||
        lc_process_info(t->self, &info) < 0) {
        free(t->keys);
        free(t->owners);
        free(t);
        return NULL;
    }
    t->parent = info.parent;
    return t;
}
/* END SOLUTION */

/* The registry's init: trap exits (a registered process's end is a
   message, not our death), make the table and publish it in the slot. */
static int registry_init(void *arg, void **state, struct lc_reason *stop)
{
    /* BEGIN SOLUTION(ch07): return LC_GS_IGNORE; */
    const struct lc_reg_opts *o = arg;
    struct table *t = table_new(o ? o->keys : LC_REG_UNIQUE);
    if (t == NULL || lc_resource_add(table_free, t) < 0) {
        free(t);
        *stop = lc_reason(LC_A_ENOMEM);
        return LC_GS_STOP;
    }
    lc_trap_exit(true);
    *lc_local(t->self, LC_LOCAL_REGISTRY) = t;
    *state = t;
    lc_proc_set_role(t->self, LC_ROLE_REGISTRY);
    lc_proc_set_detail(t->self, t->kind == LC_REG_UNIQUE ? "unique keys"
                                                         : "duplicate keys");
    return LC_GS_CONTINUE;
    /* END SOLUTION */
}

static int registry_call(void *state, int tag, const void *data, size_t size,
                         struct lc_gs_from from, struct lc_reason *stop)
{
    lc_gs_reply(from, NULL, 0); /* REG_T_SYNC: the mailbox is handled */
    return LC_GS_CONTINUE;
}

/* The EXIT of a registered process: its entries go. (Its parent's EXIT
   never gets here: the generic server stops on it.) */
static int registry_info(void *state, const struct lc_msg *m,
                         struct lc_reason *stop)
{
    /* BEGIN SOLUTION(ch07): return LC_GS_CONTINUE; */
    struct table *t = state;
    struct lc_exit_msg e;
    if (m->tag != LC_TAG_EXIT || m->size != sizeof e) {
        return LC_GS_CONTINUE;
    }
    memcpy(&e, m->data, sizeof e);
    struct owner *o = find_owner(t, e.from);
    if (o != NULL && !lc_alive(e.from)) { /* a signal from a live process
                                             is no end */
        drop_owner(t, o);
    }
    return LC_GS_CONTINUE;
    /* END SOLUTION */
}

static const struct lc_gs_ops registry_ops = {
    .init = registry_init,
    .handle_call = registry_call,
    .handle_info = registry_info,
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

void lc_reg_sync(lc_pid reg)
{
    lc_msg_free(lc_gs_call(reg, REG_T_SYNC, NULL, 0, LC_INFINITY));
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
    lc_pid self = lc_self();
    uint64_t h = hash_key(key);
    struct key *k = find_key(t, key, h);
    if (t->kind == LC_REG_UNIQUE && k != NULL) {
        lc_pid p = k->first->owner->pid;
        if (lc_alive(p)) {
            if (holder != NULL) {
                *holder = p; /* even when it is the caller (R2) */
            }
            return LC_EEXIST;
        }
        remove_entry(t, k->first); /* its EXIT is on its way: replace it */
    }
    /* The link first: no kernel call comes between it and the entry, so
       from now on the registry hears of this process's end. */
    lc_link(reg);
    int err = add_entry(t, key, h, self, value);
    if (err < 0 && find_owner(t, self) == NULL && self != t->parent) {
        lc_unlink(reg);
    }
    return err;
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
    struct owner *o = find_owner(t, self);
    if (o == NULL) {
        return 0;
    }
    /* Walk the caller's own entries: as many steps as it has keys. */
    struct entry *e = o->first;
    bool gone = false;
    while (e != NULL && !gone) {
        struct entry *next = e->onext;
        bool first = e == o->first;
        if (strcmp(e->key->name, key) == 0) {
            gone = remove_entry(t, e);
            if (!gone && first) {
                draw(t, o); /* a new oldest key labels the edge */
            }
        }
        e = next;
    }
    if (gone && self != t->parent) {
        lc_unlink(reg); /* R3: no key left, no link */
    }
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
    struct key *k = t && key_ok(key) ? find_key(t, key, hash_key(key)) : NULL;
    size_t n = 0;
    for (struct entry *e = k ? k->first : NULL; e; e = e->knext) {
        if (lc_alive(e->owner->pid)) {
            if (n < max) {
                out[n] = (struct lc_reg_entry){ e->owner->pid, e->value };
            }
            n++;
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
    struct owner *o = t && lc_alive(pid) ? find_owner(t, pid) : NULL;
    size_t n = 0;
    for (struct entry *e = o ? o->first : NULL; e; e = e->onext, n++) {
        if (n < max) {
            out[n] = e->key->name;
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
            t && key_ok(key) && lc_alive(pid) ? find_owner(t, pid) : NULL;
    size_t n = 0;
    for (struct entry *e = o ? o->first : NULL; e; e = e->onext) {
        if (strcmp(e->key->name, key) == 0) {
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
    int rc = via_start(reg, key, ops, arg, opts, false, &p, why);
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
    int rc = via_start(reg, key, ops, arg, opts, true, &p, why);
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
