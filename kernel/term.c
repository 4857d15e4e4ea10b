/*
 * term.c - atoms, small values and exit reasons: creating, comparing and
 * printing them.
 *
 * The atom table is global to the program, not to a runtime: atoms are
 * names, and a layer may compute one once and keep it in a static variable
 * across runtimes. The predefined atoms (term.h) take the first numbers; the
 * rest are handed out in the order they are first asked for, which keeps
 * their numbers deterministic. Lookup is a linear probe in a power-of-two
 * hash table of indices into the name array.
 */
#include "kernel.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ATOM_MAXLEN 63

static const char *const predefined[] = {
#define LC__ATOM_NAME(id, name) name,
    LC_ATOM_MAP(LC__ATOM_NAME)
#undef LC__ATOM_NAME
};

static struct {
    char **names;   /* names[a] for atoms >= LC_A__PREDEFINED (malloc) */
    uint32_t count; /* atoms handed out, predefined ones included */
    uint32_t cap;   /* room in 'names' */
    uint32_t *hash; /* 1 + atom, or 0 for an empty bucket */
    uint32_t hcap;  /* buckets, a power of two */
} atoms;

static uint32_t hash_name(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 16777619u;
    }
    return h;
}

const char *lc_atom_name(lc_atom a)
{
    if (a < LC_A__PREDEFINED) {
        return predefined[a];
    }
    if (a < atoms.count) {
        return atoms.names[a];
    }
    return "?";
}

static int hash_insert(lc_atom a)
{
    uint32_t i = hash_name(lc_atom_name(a)) & (atoms.hcap - 1);
    while (atoms.hash[i] != 0) {
        i = (i + 1) & (atoms.hcap - 1);
    }
    atoms.hash[i] = a + 1;
    return 0;
}

/* Keep the table at most half full, so that probes stay short. */
static int grow(void)
{
    if (atoms.count + 1 >= atoms.cap) {
        uint32_t cap = atoms.cap ? atoms.cap * 2 : 256;
        char **names = realloc(atoms.names, cap * sizeof *names);
        if (names == NULL) {
            return LC_ENOMEM;
        }
        atoms.names = names;
        atoms.cap = cap;
    }
    if (2 * (atoms.count + 1) > atoms.hcap) {
        uint32_t hcap = atoms.hcap ? atoms.hcap * 2 : 512;
        uint32_t *hash = calloc(hcap, sizeof *hash);
        if (hash == NULL) {
            return LC_ENOMEM;
        }
        free(atoms.hash);
        atoms.hash = hash;
        atoms.hcap = hcap;
        for (lc_atom a = 1; a < atoms.count; a++) {
            hash_insert(a);
        }
    }
    return 0;
}

lc_atom lc_atom_intern(const char *name)
{
    if (name == NULL || name[0] == '\0' || strlen(name) > ATOM_MAXLEN) {
        return LC_A_NONE;
    }
    if (atoms.count == 0) {
        atoms.count = LC_A__PREDEFINED;
        if (grow() < 0) {
            atoms.count = 0;
            return LC_A_NONE;
        }
    }
    for (uint32_t i = hash_name(name) & (atoms.hcap - 1); atoms.hash[i] != 0;
         i = (i + 1) & (atoms.hcap - 1)) {
        lc_atom a = atoms.hash[i] - 1;
        if (strcmp(lc_atom_name(a), name) == 0) {
            return a;
        }
    }
    if (grow() < 0) {
        return LC_A_NONE;
    }
    char *copy = strdup(name);
    if (copy == NULL) {
        return LC_A_NONE;
    }
    lc_atom a = atoms.count++;
    atoms.names[a] = copy;
    hash_insert(a);
    return a;
}

bool lc_term_eq(struct lc_term a, struct lc_term b)
{
    if (a.type != b.type) {
        return false;
    }
    switch (a.type) {
        case LC_T_NONE:
            return true;
        case LC_T_ATOM:
            return a.u.atom == b.u.atom;
        case LC_T_INT:
            return a.u.i == b.u.i;
        case LC_T_PID:
            return a.u.pid == b.u.pid;
        case LC_T_REF:
            return a.u.ref == b.u.ref;
    }
    return false;
}

int lc_pid_format(char *buf, size_t n, lc_pid pid)
{
    return snprintf(buf, n, "<0.%" PRIu32 ".%" PRIu32 ">", (uint32_t)pid,
                    (uint32_t)(pid >> 32));
}

int lc_term_format(char *buf, size_t n, struct lc_term t)
{
    switch (t.type) {
        case LC_T_NONE:
            return snprintf(buf, n, "none");
        case LC_T_ATOM:
            return snprintf(buf, n, "%s", lc_atom_name(t.u.atom));
        case LC_T_INT:
            return snprintf(buf, n, "%" PRId64, t.u.i);
        case LC_T_PID:
            return lc_pid_format(buf, n, t.u.pid);
        case LC_T_REF:
            return snprintf(buf, n, "#Ref<%" PRIu64 ">", t.u.ref);
    }
    return snprintf(buf, n, "?");
}

bool lc_reason_eq(const struct lc_reason *a, const struct lc_reason *b)
{
    return a->kind == b->kind && a->via == b->via &&
           lc_term_eq(a->value, b->value);
}

bool lc_reason_is(const struct lc_reason *r, lc_atom kind)
{
    return r->kind == kind && r->via == 0 && r->value.type == LC_T_NONE;
}

bool lc_reason_is_clean(const struct lc_reason *r)
{
    if (r->via != 0) {
        return false;
    }
    if (r->kind == LC_A_NORMAL) {
        return r->value.type == LC_T_NONE;
    }
    return r->kind == LC_A_SHUTDOWN;
}

/* The reason without its 'via' wrapper, as OTP prints it. */
static int format_core(char *buf, size_t n, const struct lc_reason *r)
{
    char v[64];
    lc_term_format(v, sizeof v, r->value);
    const char *where = r->where ? r->where : "?";
    switch (r->kind) {
        case LC_A_ERROR:
            return snprintf(buf, n, "{%s, \"%s\"}", v, where);
        case LC_A_NOCATCH:
            return snprintf(buf, n, "{{nocatch, %s}, \"%s\"}", v, where);
        default:
            if (r->value.type == LC_T_NONE) {
                return snprintf(buf, n, "%s", lc_atom_name(r->kind));
            }
            return snprintf(buf, n, "{%s, %s}", lc_atom_name(r->kind), v);
    }
}

int lc_reason_format(char *buf, size_t n, const struct lc_reason *r)
{
    if (r->via == 0) {
        return format_core(buf, n, r);
    }
    char core[256];
    format_core(core, sizeof core, r);
    return snprintf(buf, n, "{%s, {%s}}", core, lc_atom_name(r->via));
}
