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
        if (c->entries == NULL) {
            free(c);
            return NULL;
        }
        memcpy(c->entries, l->entries, l->n * sizeof *c->entries);
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

static bool same_day(struct todo_date a, struct todo_date b)
{
    return a.year == b.year && a.month == b.month && a.day == b.day;
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
        struct todo_entry *e = realloc(l->entries, cap * sizeof *e);
        if (e == NULL) {
            return LC_ENOMEM;
        }
        l->entries = e;
        l->cap = cap;
    }
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
    l->n--;
    return 0;
}

size_t todo_list_entries(const struct todo_list *l, struct todo_date date,
                         struct todo_entry *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (same_day(l->entries[i].date, date)) {
            if (n < max) {
                out[n] = l->entries[i];
            }
            n++;
        }
    }
    return n;
}
