/*
 * registry.c - a process registry and via names (chapter 7).
 *
 * The registry is a generic server that owns one table: a hash table of
 * entries (key, pid, value). The table is open addressing: one slot per
 * key, eight bytes -- the key's hash tag and the number of its oldest
 * entry -- so that a lookup hashes its key, reads one cache line of slots
 * and then only the entry whose tag matches; the entries under one key
 * (duplicate keys) form a ring in registration order. Each registered
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
 * ends, each process still registered in it gets what the link to
 * Elixir's partition would give it -- an EXIT message if it traps exits,
 * death if it does not -- with the partition's reason: `killed` if the
 * registry was killed, `shutdown` otherwise. The kit's links are
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
#define SHORT_KEY   16          /* keys shorter than this live in the entry */

/* One registration: a process under a key, with its value. Entries are
   named by number (entry_at; 0 is none), and link to each other by
   number: four bytes a link, so that an entry is one cache line of 64
   bytes, which is all a lookup reads of it. */
struct entry {
    lc_pid pid;
    struct lc_term value;
    uint32_t kprev, knext; /* the key's entries: a ring, oldest first */
    uint32_t oprev, onext; /* the same process's, oldest first */
    union {
        char text[SHORT_KEY]; /* a key shorter than SHORT_KEY */
        char *copy;           /* a longer one, malloc'd */
    } k;
    bool long_key;
    uint32_t seq; /* when it was registered (end_order) */
};
_Static_assert(sizeof(struct entry) == 64, "an entry is one cache line");

/* A slot of the table: a key's tag (the low 32 bits of its hash, never 0;
   0 marks a free slot) and the number of its oldest entry. */
struct slot {
    uint32_t tag;
    uint32_t idx;
};

/*
 * The table is open addressing: each key has one slot, its home slot (tag
 * & mask) or, if that was taken, the next free one after it (linear
 * probing). A slot is eight bytes, so a lookup reads one cache line of
 * slots, compares tags there, and reads an entry only where the tag
 * matches -- almost always the one it wants (another key with the same
 * tag is a rare accident). 100,000 keys' slots take 1 MB, which mostly
 * stays in the processor's cache; a chained table reads a bucket and
 * then each entry of its chain, all scattered over the heap.
 *
 * The entries live in blocks of ENTRY_BLOCK (entry_at), found by number:
 * a register cuts the next one (or takes back a freed one) with no
 * allocator call, and entries registered one after another lie side by
 * side in memory, where the processor reads ahead.
 */
#define ENTRY_BLOCK 1024

struct table {
    uint32_t magic;
    enum lc_reg_keys kind;
    lc_pid self;          /* the registry */
    struct slot *s;       /* mask + 1 of them */
    size_t mask;          /* slots - 1: a power of two */
    size_t keys;          /* slots in use: distinct keys */
    size_t count;         /* entries */
    struct entry **block; /* nblocks blocks of ENTRY_BLOCK entries */
    size_t nblocks;
    uint32_t cut;   /* entries cut from blocks so far (number 0 is none) */
    uint32_t spare; /* freed ones, chained by onext */
    uint32_t seq;   /* registrations so far */
};

/* The key of entry 'e'. */
static char *key_of(struct entry *e)
{
    return e->long_key ? e->k.copy : e->k.text;
}

/* A process's entries in one registry (entry numbers). */
struct owner {
    struct table *t;
    uint32_t first, last;
};

/* What a process's LC_LOCAL_REGISTRY slot holds (malloc'd: registries
   change it as the process registers): the table it owns if it is a
   registry, and the registries it holds keys in -- most processes are in
   one or two, whose records live in 'few' (no second allocation). */
struct reg_local {
    struct table *own;
    size_t n, cap;
    struct owner *in; /* n of them: 'few', or malloc'd when more */
    struct owner few[2];
};

/* --- Hashing and finding -------------------------------------------------- */

/* The tag of 'key' (FNV-1a, then mixed so that the low bits, which pick
   the home slot, depend on every byte), or 0 if 'key' is not a valid key:
   NULL, empty, or LC_REG_KEY_MAX bytes or longer. One pass does both. */
static inline uint32_t key_tag(const char *key)
{
    if (key == NULL || key[0] == '\0') {
        return 0;
    }
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; key[i] != '\0'; i++) {
        if (i == LC_REG_KEY_MAX - 1) {
            return 0;
        }
        h = (h ^ (unsigned char)key[i]) * 0x100000001b3u;
    }
    h = (h ^ (h >> 32)) * 0xd6e8feb86659fd93u;
    uint32_t tag = (uint32_t)(h ^ (h >> 32));
    return tag != 0 ? tag : 1; /* 0 marks a free slot */
}

static inline struct reg_local *local_of(lc_pid pid, bool create)
{
    void **slot = lc_local(pid, LC_LOCAL_REGISTRY);
    if (slot == NULL) {
        return NULL;
    }
    if (*slot == NULL && create) {
        struct reg_local *l = malloc(sizeof *l); /* 'few' needs no zeros */
        if (l != NULL) {
            l->own = NULL;
            l->n = 0;
            l->cap = sizeof l->few / sizeof l->few[0];
            l->in = l->few;
        }
        *slot = l;
    }
    return *slot;
}

/* The table of registry 'reg', or NULL if it is not a running registry. */
static inline struct table *table_of(lc_pid reg)
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

/* Entry number 'n' of 't' (not 0). */
static struct entry *entry_at(const struct table *t, uint32_t n)
{
    return &t->block[n / ENTRY_BLOCK][n % ENTRY_BLOCK];
}

/* The slot of 'key' (tag 'tag'), or the free slot where it would go: walk
   from its home until the tag and then the key match, or a free slot
   ends the search. There is always a free slot (see room()). */
static size_t slot_find(const struct table *t, const char *key, uint32_t tag)
{
    size_t i = tag & t->mask;
    while (t->s[i].tag != 0 &&
           (t->s[i].tag != tag ||
            strcmp(key_of(entry_at(t, t->s[i].idx)), key) != 0)) {
        i = (i + 1) & t->mask;
    }
    return i;
}

/* The number of the oldest entry under 'key', or 0: for the reads, which
   want the entry, not the slot. */
static inline uint32_t key_first(const struct table *t, const char *key,
                                 uint32_t tag)
{
    size_t i = slot_find(t, key, tag);
    return t->s[i].tag != 0 ? t->s[i].idx : 0;
}

/* --- Entries' memory ---------------------------------------------------------
 */

/* A free entry for a key of 'len' bytes (its 'key' set): its number, or
   0 when out of memory. */
static uint32_t entry_alloc(struct table *t, size_t len)
{
    char *copy = NULL;
    if (len >= SHORT_KEY && (copy = malloc(len + 1)) == NULL) {
        return 0;
    }
    uint32_t n = t->spare;
    if (n != 0) {
        t->spare = entry_at(t, n)->onext;
    } else if (t->cut < t->nblocks * ENTRY_BLOCK) {
        n = t->cut++;
    } else {
        struct entry **block =
                realloc(t->block, (t->nblocks + 1) * sizeof *block);
        struct entry *b = aligned_alloc(sizeof *b, ENTRY_BLOCK * sizeof *b);
        if (block != NULL) {
            t->block = block;
        }
        if (block == NULL || b == NULL || t->cut > UINT32_MAX - ENTRY_BLOCK) {
            free(b);
            free(copy);
            return 0;
        }
        t->block[t->nblocks++] = b;
        n = t->cut++;
    }
    struct entry *e = entry_at(t, n);
    e->long_key = copy != NULL;
    if (copy != NULL) {
        e->k.copy = copy;
    }
    return n;
}

static void entry_free(struct table *t, uint32_t n)
{
    struct entry *e = entry_at(t, n);
    if (e->long_key) {
        free(e->k.copy);
    }
    e->onext = t->spare;
    t->spare = n;
}

/* --- Changing the table ------------------------------------------------------
 */

/* Free slot 'hole' and keep every key findable: a key further on whose
   home is at or before the hole (counting round the end) moves back into
   it, and the hole moves on, until a free slot (backward-shift deletion:
   no "deleted" markers, so lookups never slow down with churn). */
static void slot_clear(struct table *t, size_t hole)
{
    size_t mask = t->mask;
    for (size_t j = (hole + 1) & mask; t->s[j].tag != 0; j = (j + 1) & mask) {
        size_t home = t->s[j].tag & mask;
        if (((j - home) & mask) >= ((j - hole) & mask)) {
            t->s[hole] = t->s[j];
            hole = j;
        }
    }
    t->s[hole] = (struct slot){ 0 };
    t->keys--;
}

/* Double the slots and put every key in its new place. Only the slots are
   read -- the home slot is the tag's low bits -- not the entries: a
   million keys cost twenty passes over an array of eight-byte slots.
   Returns false when out of memory (the table is unchanged). */
static bool grow(struct table *t)
{
    size_t n = (t->mask + 1) * 2;
    struct slot *s = calloc(n, sizeof *s);
    if (s == NULL) {
        return false;
    }
    for (size_t i = 0; i <= t->mask; i++) {
        if (t->s[i].tag != 0) {
            size_t j = t->s[i].tag & (n - 1);
            while (s[j].tag != 0) {
                j = (j + 1) & (n - 1);
            }
            s[j] = t->s[i];
        }
    }
    free(t->s);
    t->s = s;
    t->mask = n - 1;
    return true;
}

/* Room for one more key: the slots double when four in five are taken
   (a lookup then scans three slots on average, in one cache line). Only
   if doubling fails and the last free slot would go is there no room: a
   search needs a free slot to stop at. */
static bool room(struct table *t)
{
    if ((t->keys + 1) * 5 <= (t->mask + 1) * 4) {
        return true;
    }
    return grow(t) || t->keys + 1 <= t->mask;
}

/* Put entry 'n' under its key, after the key's other entries: slot 'i'
   is where slot_find() found the key, or the free slot for it. */
static void key_append(struct table *t, size_t i, uint32_t tag, uint32_t n)
{
    struct entry *e = entry_at(t, n);
    if (t->s[i].tag == 0) {
        t->s[i] = (struct slot){ tag, n };
        t->keys++;
        e->kprev = e->knext = n;
        return;
    }
    struct entry *head = entry_at(t, t->s[i].idx);
    e->knext = t->s[i].idx;
    e->kprev = head->kprev;
    entry_at(t, head->kprev)->knext = n;
    head->kprev = n;
}

/* Take entry 'n' out of its key's ring; the key's slot goes with its
   last entry. */
static void key_remove(struct table *t, uint32_t n)
{
    struct entry *e = entry_at(t, n);
    size_t i = slot_find(t, key_of(e), key_tag(key_of(e)));
    if (e->knext == n) {
        slot_clear(t, i);
        return;
    }
    entry_at(t, e->kprev)->knext = e->knext;
    entry_at(t, e->knext)->kprev = e->kprev;
    if (t->s[i].idx == n) {
        t->s[i].idx = e->knext;
    }
}

/* Show the registration in figures: one edge per process, labelled with
   its oldest key; none once it has no key left. */
static void draw(struct owner *o, lc_pid pid)
{
    if (o->first != 0) {
        lc_edge_add(LC_EDGE_REGISTERED, o->t->self, pid,
                    key_of(entry_at(o->t, o->first)), 0);
    } else {
        lc_edge_remove(LC_EDGE_REGISTERED, o->t->self, pid);
    }
}

/* Take entry 'n' out of its key and of its owner's list 'o', and free
   it. */
static void remove_entry(struct owner *o, uint32_t n)
{
    struct table *t = o->t;
    struct entry *e = entry_at(t, n);
    key_remove(t, n);
    *(e->oprev ? &entry_at(t, e->oprev)->onext : &o->first) = e->onext;
    *(e->onext ? &entry_at(t, e->onext)->oprev : &o->last) = e->oprev;
    t->count--;
    entry_free(t, n);
}

/* After entries of 'o' (process 'pid', in 'l') went: with no key left
   there is no bond any more (R3), and the record goes (the last record
   moves into its place); with a new oldest key, the figure's edge is
   labelled anew. 'first' was its oldest entry before. */
static void owner_settle(struct reg_local *l, struct owner *o, lc_pid pid,
                         uint32_t first)
{
    if (o->first == 0) {
        lc_edge_remove(LC_EDGE_REGISTERED, o->t->self, pid);
        *o = l->in[--l->n];
    } else if (o->first != first) {
        draw(o, pid);
    }
}

/* Take entry 'n' of a holder that is already doomed (lc_doomed) out of
   the table now, rather than when its exit hook runs: its key is free. */
static void forget_entry(struct table *t, uint32_t n)
{
    lc_pid pid = entry_at(t, n)->pid;
    struct reg_local *l = local_of(pid, false);
    struct owner *o = owner_in(l, t);
    uint32_t first = o->first;
    remove_entry(o, n);
    owner_settle(l, o, pid, first);
}

/* Every entry of 'o' goes (the process ended, or the registry did). */
static void drop_owner(struct owner *o)
{
    while (o->first != 0) {
        remove_entry(o, o->first);
    }
}

/* Make room for one more record in 'l'. */
static bool owner_room(struct reg_local *l)
{
    if (l->n < l->cap) {
        return true;
    }
    size_t cap = 2 * l->cap;
    struct owner *in = malloc(cap * sizeof *in);
    if (in == NULL) {
        return false;
    }
    memcpy(in, l->in, l->n * sizeof *in);
    if (l->in != l->few) {
        free(l->in);
    }
    l->in = in;
    l->cap = cap;
    return true;
}

/* Add an entry for the caller under 'key' (tag 'tag'). Everything is
   allocated first, so running out of memory changes nothing. */
static int add_entry(struct table *t, const char *key, uint32_t tag, lc_pid pid,
                     struct lc_term value)
{
    struct reg_local *l = local_of(pid, true);
    if (l == NULL) {
        return LC_ENOMEM;
    }
    struct owner *o = owner_in(l, t);
    if ((o == NULL && !owner_room(l)) || !room(t)) {
        return LC_ENOMEM;
    }
    size_t len = strlen(key);
    uint32_t n = entry_alloc(t, len);
    if (n == 0) {
        return LC_ENOMEM;
    }
    if (o == NULL) {
        o = &l->in[l->n++];
        *o = (struct owner){ .t = t };
    }
    struct entry *e = entry_at(t, n);
    memcpy(key_of(e), key, len + 1);
    e->seq = t->seq++;
    e->pid = pid;
    e->value = value;
    e->oprev = o->last;
    e->onext = 0;
    key_append(t, slot_find(t, key, tag), tag, n);
    *(o->last ? &entry_at(t, o->last)->onext : &o->first) = n;
    o->last = n;
    t->count++;
    if (o->first == n) {
        draw(o, pid);
    }
    return 0;
}

/* --- Ends ------------------------------------------------------------------
 */

static void table_free(struct table *t)
{
    if (t != NULL) {
        for (size_t i = 0; i < t->nblocks; i++) {
            free(t->block[i]);
        }
        free(t->block);
        free(t->s);
        free(t);
    }
}

/* What a link to the registry would do to 'pid' (registered in 't',
   which ended with 'why'): the bond goes with the process's entries, and
   the process gets an EXIT message if it traps exits, or dies. */
static void bond_end(struct table *t, lc_pid pid, const struct lc_reason *why)
{
    struct reg_local *l = local_of(pid, false);
    struct owner *o = owner_in(l, t);
    if (o == NULL) {
        return; /* met before, under another key */
    }
    drop_owner(o);
    *o = l->in[--l->n];
    if (lc_traps_exit(pid)) {
        struct lc_exit_msg m = { t->self, *why };
        lc_send(pid, LC_TAG_EXIT, &m, sizeof m);
    } else {
        lc_kill(pid, *why);
    }
}

/*
 * The processes registered in a dead registry hear of it in the order they
 * first registered there, as the links of a process are listed oldest
 * first. That order decides which of them a supervisor restarts first, so
 * it must not depend on where the table happened to put their keys.
 */
struct end_item {
    uint32_t seq;
    lc_pid pid;
};

static int end_cmp(const void *a, const void *b)
{
    const struct end_item *x = a, *y = b;
    return (int32_t)(x->seq - y->seq) < 0 ? -1 : 1; /* seq wraps round */
}

/* Every entry of 't' in that order (t->count of them), or NULL when out
   of memory. */
static struct end_item *end_order(struct table *t)
{
    struct end_item *v = malloc(t->count * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; v != NULL && i <= t->mask; i++) {
        if (t->s[i].tag == 0) {
            continue;
        }
        uint32_t first = t->s[i].idx, k = first;
        do {
            struct entry *e = entry_at(t, k);
            v[n++] = (struct end_item){ e->seq, e->pid };
            k = e->knext;
        } while (k != first);
    }
    if (v != NULL) {
        qsort(v, n, sizeof *v, end_cmp);
    }
    return v;
}

/*
 * The registry 't' ended with 'why': what the links of Elixir's registry
 * would do to the processes registered in it (R3), in end_order() (out of
 * memory, in the order of the slots), then free the table. Elixir links
 * them to the registry's partition, which its supervisor stops with
 * `shutdown` however the registry itself ends -- unless the registry was
 * killed, and the partition with it. So they get `killed` or `shutdown`,
 * never the registry's own reason: a `normal` one would leave them alive,
 * bound to nothing.
 */
static void table_end(struct table *t, const struct lc_reason *why)
{
    struct lc_reason sent = lc_reason_is(why, LC_A_KILLED)
                                    ? lc_reason(LC_A_KILLED)
                                    : lc_reason(LC_A_SHUTDOWN);
    size_t n = t->count;
    struct end_item *v = n > 0 ? end_order(t) : NULL;
    for (size_t i = 0; v != NULL && i < n; i++) {
        bond_end(t, v[i].pid, &sent);
    }
    free(v);
    for (size_t i = 0; i <= t->mask; i++) {
        while (t->s[i].tag != 0) { /* taking keys out never fills a slot */
            bond_end(t, entry_at(t, t->s[i].idx)->pid, &sent);
        }
    }
    table_free(t);
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
    if (l->in != l->few) {
        free(l->in);
    }
    free(l);
}

LC_ON_EXIT(registry_on_exit)

static struct table *table_new(enum lc_reg_keys kind)
{
    struct table *t = calloc(1, sizeof *t);
    if (t == NULL) {
        return NULL;
    }
    *t = (struct table){ .magic = TABLE_MAGIC,
                         .kind = kind,
                         .self = lc_self(),
                         .mask = 15,
                         .cut = 1 /* number 0 is none */ };
    t->s = calloc(16, sizeof *t->s);
    if (t->s == NULL) {
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
        table_free(t);
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
    uint32_t tag = key_tag(key);
    if (tag == 0) {
        return LC_EINVAL;
    }
    if (t->kind == LC_REG_UNIQUE) {
        uint32_t n = key_first(t, key, tag);
        if (n != 0 && lc_doomed(entry_at(t, n)->pid)) {
            forget_entry(t, n); /* R2: a dead holder frees its key */
            n = 0;
        }
        if (n != 0) {
            if (holder != NULL) {
                *holder = entry_at(t, n)->pid; /* the caller too (R2) */
            }
            return LC_EEXIST;
        }
    }
    return add_entry(t, key, tag, lc_self(), value);
    /* END SOLUTION */
}

int lc_reg_unregister(lc_pid reg, const char *key)
{
    /* BEGIN SOLUTION(ch07): return LC_ENOSYS; */
    struct table *t = table_of(reg);
    if (t == NULL) {
        return LC_ENOPROC;
    }
    if (key_tag(key) == 0) {
        return LC_EINVAL;
    }
    lc_pid self = lc_self();
    struct reg_local *l = local_of(self, false);
    struct owner *o = owner_in(l, t);
    if (o == NULL) {
        return 0;
    }
    /* Walk the caller's own entries: as many steps as it has keys. */
    uint32_t first = o->first;
    for (uint32_t n = o->first, next; n != 0; n = next) {
        next = entry_at(t, n)->onext;
        if (strcmp(key_of(entry_at(t, n)), key) == 0) {
            remove_entry(o, n);
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
    uint32_t tag = key_tag(key);
    uint32_t first = t != NULL && tag != 0 ? key_first(t, key, tag) : 0;
    if (first == 0) {
        return 0;
    }
    if (t->kind == LC_REG_UNIQUE && lc_doomed(entry_at(t, first)->pid)) {
        return 0; /* R5: a dead holder is nobody */
    }
    size_t n = 0;
    uint32_t i = first;
    do {
        const struct entry *e = entry_at(t, i);
        if (n < max) {
            out[n] = (struct lc_reg_entry){ e->pid, e->value };
        }
        n++;
        i = e->knext;
    } while (i != first); /* the key's ring, oldest first */
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
    /* The newest first, as Elixir's keys/2. */
    for (uint32_t i = o ? o->last : 0; i != 0; i = entry_at(t, i)->oprev) {
        if (n < max) {
            out[n] = key_of(entry_at(t, i));
        }
        n++;
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
            t && key_tag(key) != 0 ? owner_in(local_of(pid, false), t) : NULL;
    size_t n = 0;
    for (uint32_t i = o ? o->first : 0; i != 0; i = entry_at(t, i)->onext) {
        struct entry *e = entry_at(t, i);
        if (strcmp(key_of(e), key) == 0) {
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
    if (t == NULL || t->kind != LC_REG_UNIQUE || key_tag(key) == 0) {
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
