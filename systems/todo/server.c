/*
 * server.c - the to-do server: one generic server per list, holding the
 * list in memory, and the client calls that reach it (todo.h).
 *
 * The server loads its list when the first request comes, not in init:
 * init stays short, so whoever starts the server -- the cache, busy
 * serving every client -- is not held up by the disk (the book loads it
 * just after init, with handle_continue, for the same reason). Loading
 * inside the first call also means that a list whose file is damaged fails
 * that very call, with the reason that names the file: the caller's
 * monitor is in place before the server reads anything.
 *
 * Every change is made on a copy, saved through the database, and only
 * then does the copy become the list and the client hear "done": an entry
 * the client was told about is on disk. A file that cannot be read or
 * written is not something the server can repair, so it ends with the
 * reason todo_file_reason() gives -- {bad_checksum, 'Bob_s_list-....todo'}
 * -- and its supervisor, or the process linked to it, decides what next.
 */
#include "todo_int.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct server {
    char name[TODO_NAME_MAX + 1];
    struct todo_list *list;    /* NULL until loaded */
    int resource;              /* frees 'list' however the server ends */
    struct todo_list *pending; /* a change's copy while it is saved */
};

/* A request as it travels: only the title's own bytes and its NUL are
   sent (req_size()), so an add of "Dentist" is a message of 20 bytes, not
   of the 180 the longest title would need. */
struct server_req {
    uint32_t id;
    struct todo_date date;
    char title[TODO_TITLE_MAX + 1];
};

#define REQ_HEAD offsetof(struct server_req, title)

/* Fill *r; returns the bytes to send. 'title' (NULL for none) has been
   checked: at most TODO_TITLE_MAX bytes. */
static size_t req_pack(struct server_req *r, uint32_t id, struct todo_date date,
                       const char *title)
{
    size_t len = title != NULL ? strlen(title) : 0;
    r->id = id;
    r->date = date;
    memcpy(r->title, title != NULL ? title : "", len + 1);
    return REQ_HEAD + len + 1;
}

/* The request in a message's data, or NULL if it is not one: a head and
   a title that ends, with its NUL, exactly where the data does. The
   message's data is aligned for any type (msg.h), so it is read in
   place. */
static const struct server_req *req_check(const void *data, size_t size)
{
    const struct server_req *r = data;
    if (size <= REQ_HEAD || size > sizeof *r ||
        memchr(r->title, '\0', size - REQ_HEAD) !=
                &r->title[size - REQ_HEAD - 1]) {
        return NULL;
    }
    return r;
}

struct server_reply {
    int rc;
    uint32_t id;
};

struct entries_reply {
    size_t n;
    struct todo_entry entries[];
};

static void free_list(void *l)
{
    todo_list_free(l);
}

/* Make 'l' the server's list, freeing the old one. */
static void keep(struct server *s, struct todo_list *l)
{
    if (s->list != NULL) {
        lc_resource_release(s->resource);
    }
    s->list = l;
    s->resource = lc_resource_add(free_list, l);
    if (s->resource < 0) {
        todo_list_free(l);
        lc_error(lc_atom_term(LC_A_ENOMEM));
    }
}

/* Frees a change's copy if the server ends while it is being saved. */
static void free_pending(void *state)
{
    struct server *s = state;
    if (s->pending != s->list) {
        todo_list_free(s->pending);
    }
    s->pending = NULL;
}

static int server_init(void *arg, void **state, struct lc_reason *stop)
{
    struct server *s = lc_zalloc(sizeof *s);
    if (s == NULL || lc_resource_add(free_pending, s) < 0) {
        *stop = lc_reason(LC_A_ENOMEM);
        return LC_GS_STOP;
    }
    snprintf(s->name, sizeof s->name, "%s", (const char *)arg);
    *state = s;
    char label[TODO_NAME_MAX + 16];
    snprintf(label, sizeof label, "server %s", s->name);
    lc_proc_set_name(lc_self(), label);
    todo__say("Starting to-do server for %s.", s->name);
    return LC_GS_CONTINUE;
}

int todo_change_apply(struct todo_list *l, const struct todo_change *c,
                      uint32_t *id)
{
    switch (c->op) {
        case TODO_OP_ADD:
            return todo_list_add(l, c->date, c->title, id);
        case TODO_OP_UPDATE:
            return todo_list_update(l, c->id, c->date, c->title);
        case TODO_OP_DELETE:
            return todo_list_delete(l, c->id);
    }
    return LC_EINVAL;
}

/* The hook restore's default: the list from the database; a file that
   fails its check is the reason to end with. */
int todo__restore(const char *list, struct todo_list **out,
                  struct lc_reason *stop)
{
    struct todo_file_error err = { 0 };
    int rc = todo_db_load(list, out, &err);
    if (rc == LC_EINVAL) {
        *stop = todo_file_reason(&err);
        todo__say("To-do server for %s: %s: %s: %s.", list, err.file,
                  lc_atom_name(err.problem), err.detail);
        return 1;
    }
    if (rc < 0) {
        *stop = lc_reason_with(LC_A_ERROR, lc_int(rc));
        return 1;
    }
    return 0;
}

/* The hook commit's default: the change on a copy, saved, then kept. */
int todo__commit(const char *list, const struct todo_list *cur,
                 const struct todo_change *c, struct todo_list **next,
                 uint32_t *id, struct lc_reason *stop)
{
    *next = todo_list_clone(cur);
    if (*next == NULL) {
        return LC_ENOMEM;
    }
    int rc = todo_change_apply(*next, c, id);
    if (rc < 0) {
        return rc;
    }
    struct todo_file_error err = { 0 };
    rc = todo_db_save(list, *next, &err);
    if (rc < 0) {
        *stop = rc == LC_EINVAL ? todo_file_reason(&err)
                                : lc_reason_with(LC_A_ERROR, lc_int(rc));
        return 1;
    }
    return 0;
}

static int load(struct server *s, struct lc_reason *stop)
{
    struct todo_list *l = NULL;
    if (todo_hooks()->restore(s->name, &l, stop) != 0) {
        return LC_GS_STOP;
    }
    if (l == NULL) {
        *stop = lc_reason_with(LC_A_ERROR, lc_int(LC_EINVAL));
        return LC_GS_STOP;
    }
    keep(s, l);
    return LC_GS_CONTINUE;
}

/* Apply one change through the hook commit: 0, or the change's error
   (nothing saved). A failed save stops the server (returns 1). */
static int change(struct server *s, int tag, const struct server_req *r,
                  uint32_t *id, struct lc_reason *stop)
{
    struct todo_change c = {
        .op = tag == TODO_T_ADD      ? TODO_OP_ADD
              : tag == TODO_T_UPDATE ? TODO_OP_UPDATE
                                     : TODO_OP_DELETE,
        .id = r->id,
        .date = r->date,
        .title = r->title,
    };
    /* The copy lives in s->pending while it is saved: if the server is
       killed meanwhile, free_pending() frees it. */
    s->pending = NULL;
    int rc = todo_hooks()->commit(s->name, s->list, &c, &s->pending, id, stop);
    struct todo_list *next = s->pending;
    s->pending = NULL;
    if (rc != 0 && next != s->list) {
        todo_list_free(next); /* not kept: the list stays as it was */
    } else if (rc == 0 && next == NULL) {
        *stop = lc_reason_with(LC_A_ERROR, lc_int(LC_EINVAL));
        return 1;
    } else if (rc == 0 && next != s->list) {
        keep(s, next); /* changed in place (memory only): nothing to do */
    }
    return rc > 0 ? 1 : rc;
}

static void entries(struct server *s, const struct server_req *r,
                    struct lc_gs_from from)
{
    size_t n = todo_list_entries(s->list, r->date, NULL, 0);
    struct entries_reply *e = lc_alloc(sizeof *e + n * sizeof e->entries[0]);
    if (e == NULL) {
        lc_error(lc_atom_term(LC_A_ENOMEM));
    }
    e->n = todo_list_entries(s->list, r->date, e->entries, n);
    lc_gs_reply(from, e, sizeof *e + n * sizeof e->entries[0]);
    lc_free(e);
}

static int server_call(void *state, int tag, const void *data, size_t size,
                       struct lc_gs_from from, struct lc_reason *stop)
{
    struct server *s = state;
    const struct server_req *r = req_check(data, size);
    if (r == NULL || tag < TODO_T_ADD || tag > TODO_T_ENTRIES) {
        lc_error(lc_atom_term(LC_A_BADARG));
    }
    if (s->list == NULL && load(s, stop) == LC_GS_STOP) {
        return LC_GS_STOP; /* no answer: the caller's call fails with *stop */
    }
    if (tag == TODO_T_ENTRIES) {
        entries(s, r, from);
        return LC_GS_CONTINUE;
    }
    struct server_reply reply = { 0 };
    reply.rc = change(s, tag, r, &reply.id, stop);
    if (reply.rc == 1) {
        return LC_GS_STOP; /* no answer: the caller's call fails with *stop */
    }
    lc_gs_reply(from, &reply, sizeof reply);
    return LC_GS_CONTINUE;
}

/* An add sent as a cast (todo_server_add_cast()): applied and committed
   as a call's, but nobody hears the result. */
static int server_cast(void *state, int tag, const void *data, size_t size,
                       struct lc_reason *stop)
{
    struct server *s = state;
    const struct server_req *r = req_check(data, size);
    if (r == NULL || tag != TODO_T_ADD) {
        lc_error(lc_atom_term(LC_A_BADARG));
    }
    if (s->list == NULL && load(s, stop) == LC_GS_STOP) {
        return LC_GS_STOP;
    }
    uint32_t id;
    return change(s, tag, r, &id, stop) == 1 ? LC_GS_STOP : LC_GS_CONTINUE;
}

const struct lc_gs_ops todo_server_ops = {
    .init = server_init,
    .handle_call = server_call,
    .handle_cast = server_cast,
};

int todo_server_start(const char *list, lc_pid *pid)
{
    return lc_gs_start(&todo_server_ops, (void *)list, NULL, pid, NULL);
}

/* --- Clients ------------------------------------------------------------- */

static int request_to(lc_pid server, int tag, uint32_t id,
                      struct todo_date date, const char *title,
                      uint32_t *out_id)
{
    if (!todo_date_valid(date) || (tag != TODO_T_DELETE && title == NULL)) {
        return LC_EINVAL;
    }
    if (title != NULL && strnlen(title, TODO_TITLE_MAX + 1) > TODO_TITLE_MAX) {
        return LC_ERANGE;
    }
    struct server_req r;
    size_t size = req_pack(&r, id, date, title);
    struct server_reply reply;
    todo__call(server, tag, &r, size, &reply, sizeof reply);
    if (out_id != NULL && reply.rc == 0) {
        *out_id = reply.id;
    }
    return reply.rc;
}

static int request(const char *list, int tag, uint32_t id,
                   struct todo_date date, const char *title, uint32_t *out_id)
{
    int rc = todo_name_check(list);
    if (rc < 0) {
        return rc;
    }
    if (!todo_date_valid(date) || (tag != TODO_T_DELETE && title == NULL)) {
        return LC_EINVAL; /* checked before the server is looked for */
    }
    if (title != NULL && strnlen(title, TODO_TITLE_MAX + 1) > TODO_TITLE_MAX) {
        return LC_ERANGE;
    }
    return request_to(todo_hooks()->server_process(list), tag, id, date, title,
                      out_id);
}

int todo_server_add(lc_pid server, struct todo_date date, const char *title,
                    uint32_t *id)
{
    return request_to(server, TODO_T_ADD, 0, date, title, id);
}

int todo_server_add_cast(lc_pid server, struct todo_date date,
                         const char *title)
{
    if (!todo_date_valid(date) || title == NULL) {
        return LC_EINVAL;
    }
    size_t len = strnlen(title, TODO_TITLE_MAX + 1);
    if (len > TODO_TITLE_MAX) {
        return LC_ERANGE;
    }
    struct server_req r;
    return lc_gs_cast(server, TODO_T_ADD, &r, req_pack(&r, 0, date, title));
}

int todo_add(const char *list, struct todo_date date, const char *title,
             uint32_t *id)
{
    return request(list, TODO_T_ADD, 0, date, title, id);
}

int todo_update(const char *list, uint32_t id, struct todo_date date,
                const char *title)
{
    return request(list, TODO_T_UPDATE, id, date, title, NULL);
}

int todo_delete(const char *list, uint32_t id)
{
    return request(list, TODO_T_DELETE, id, todo_date(2000, 1, 1), NULL, NULL);
}

int todo_entries(const char *list, struct todo_date date,
                 struct todo_entry *out, size_t max)
{
    int rc = todo_name_check(list);
    if (rc < 0) {
        return rc;
    }
    if (!todo_date_valid(date)) {
        return LC_EINVAL;
    }
    return todo_server_entries(todo_hooks()->server_process(list), date, out,
                               max);
}

int todo_server_entries(lc_pid server, struct todo_date date,
                        struct todo_entry *out, size_t max)
{
    if (!todo_date_valid(date)) {
        return LC_EINVAL;
    }
    struct server_req r;
    size_t size = req_pack(&r, 0, date, NULL);
    struct lc_msg *m = lc_gs_call(server, TODO_T_ENTRIES, &r, size, 5000);
    const struct entries_reply *e = (const void *)m->data;
    if (m->size < sizeof *e ||
        m->size != sizeof *e + e->n * sizeof e->entries[0]) {
        lc_error(lc_atom_term(LC_A_BADARG));
    }
    size_t n = e->n < max ? e->n : max;
    if (n > 0) {
        memcpy(out, e->entries, n * sizeof *out);
    }
    int count = (int)e->n;
    lc_msg_free(m);
    return count;
}
