/*
 * list.c - the to-do list: dated entries in a growing array (todo.h).
 *
 * Plain data and plain functions, no processes: the to-do server holds one
 * list and calls these. Memory comes from malloc(), not lc_alloc(), so the
 * same code runs in a process, in the file checks and in unit tests; the
 * server registers its list as a resource, which frees it however the
 * server ends. Every change is checked first and then made, so a refused
 * change leaves the list exactly as it was.
 */
#include "lc/systems/todo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct todo_list *todo_list_new(void)
{
    struct todo_list *l = calloc(1, sizeof *l);
    if (l != NULL) {
        l->next_id = 1;
    }
    return l;
}

void todo_list_free(struct todo_list *l)
{
    if (l != NULL) {
        free(l->entries);
        free(l->days);
        free(l);
    }
}

struct todo_list *todo_list_clone(const struct todo_list *l)
{
    struct todo_list *c = todo_list_new();
    if (c == NULL) {
        return NULL;
    }
    c->next_id = l->next_id;
    if (l->n > 0) {
        c->entries = malloc(l->n * sizeof *c->entries);
        c->days = malloc(l->n * sizeof *c->days);
        if (c->entries == NULL || c->days == NULL) {
            todo_list_free(c);
            return NULL;
        }
        memcpy(c->entries, l->entries, l->n * sizeof *c->entries);
        memcpy(c->days, l->days, l->n * sizeof *c->days);
        c->n = c->cap = l->n;
    }
    return c;
}

bool todo_date_valid(struct todo_date d)
{
    static const int days[12] = {
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    };
    if (d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12) {
        return false;
    }
    bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
    int last = days[d.month - 1] + (d.month == 2 && leap);
    return d.day >= 1 && d.day <= last;
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

int todo_date_parse(const char *s, struct todo_date *d)
{
    struct todo_date t;
    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        !digits(s, 4, &t.year) || !digits(s + 5, 2, &t.month) ||
        !digits(s + 8, 2, &t.day) || !todo_date_valid(t)) {
        return LC_EINVAL;
    }
    *d = t;
    return 0;
}

int todo_date_format(char *buf, size_t n, struct todo_date d)
{
    return snprintf(buf, n, "%04d-%02d-%02d", d.year, d.month, d.day);
}

int todo_name_check(const char *name)
{
    if (name == NULL || name[0] == '\0') {
        return LC_EINVAL;
    }
    return strnlen(name, TODO_NAME_MAX + 1) > TODO_NAME_MAX ? LC_ERANGE : 0;
}

/* The checks that add and update share. */
static int check_entry(struct todo_date date, const char *title)
{
    if (title == NULL || !todo_date_valid(date)) {
        return LC_EINVAL;
    }
    return strnlen(title, TODO_TITLE_MAX + 1) > TODO_TITLE_MAX ? LC_ERANGE : 0;
}

static struct todo_entry *find(const struct todo_list *l, uint32_t id)
{
    for (size_t i = 0; i < l->n; i++) {
        if (l->entries[i].id == id) {
            return &l->entries[i];
        }
    }
    return NULL;
}

/* A date as one number, for the index 'days'. */
static uint32_t day_key(struct todo_date d)
{
    return (uint32_t)d.year * 10000u + (uint32_t)d.month * 100u +
           (uint32_t)d.day;
}

int todo_list_add(struct todo_list *l, struct todo_date date, const char *title,
                  uint32_t *id)
{
    int err = check_entry(date, title);
    if (err < 0) {
        return err;
    }
    if (l->next_id == UINT32_MAX) {
        return LC_ERANGE;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        uint32_t *d = realloc(l->days, cap * sizeof *d);
        if (d == NULL) {
            return LC_ENOMEM;
        }
        l->days = d;
        struct todo_entry *e = realloc(l->entries, cap * sizeof *e);
        if (e == NULL) {
            return LC_ENOMEM;
        }
        l->entries = e;
        l->cap = cap;
    }
    l->days[l->n] = day_key(date);
    struct todo_entry *e = &l->entries[l->n++];
    memset(e, 0, sizeof *e);
    e->id = l->next_id++;
    e->date = date;
    memcpy(e->title, title, strlen(title) + 1);
    if (id != NULL) {
        *id = e->id;
    }
    return 0;
}

int todo_list_update(struct todo_list *l, uint32_t id, struct todo_date date,
                     const char *title)
{
    int err = check_entry(date, title);
    if (err < 0) {
        return err;
    }
    struct todo_entry *e = find(l, id);
    if (e == NULL) {
        return LC_ENOENT;
    }
    e->date = date;
    l->days[e - l->entries] = day_key(date);
    memset(e->title, 0, sizeof e->title);
    memcpy(e->title, title, strlen(title) + 1);
    return 0;
}

int todo_list_delete(struct todo_list *l, uint32_t id)
{
    struct todo_entry *e = find(l, id);
    if (e == NULL) {
        return LC_ENOENT;
    }
    size_t i = (size_t)(e - l->entries);
    memmove(e, e + 1, (l->n - i - 1) * sizeof *e);
    memmove(&l->days[i], &l->days[i + 1], (l->n - i - 1) * sizeof *l->days);
    l->n--;
    return 0;
}

size_t todo_list_entries(const struct todo_list *l, struct todo_date date,
                         struct todo_entry *out, size_t max)
{
    /* The days, not the entries: 4 bytes an entry to read, not ~180. */
    size_t n = 0;
    uint32_t key = day_key(date);
    for (size_t i = 0; i < l->n; i++) {
        if (l->days[i] == key) {
            if (n < max) {
                out[n] = l->entries[i];
            }
            n++;
        }
    }
    return n;
}
