/*
 * worker.c - a database worker, and the database calls the to-do servers
 * make through it (todo.h: todo_worker_ops, todo_db_load, todo_db_save).
 *
 * A worker is a generic server that reads and writes list files in the
 * system's folder, one request at a time. It moves bytes and nothing else:
 * encoding and checking happen in the to-do server that asked (file.c),
 * so a damaged file ends that one list's server -- with a reason that
 * names the file and the problem -- and never the worker that every list
 * of its share depends on. Several workers let several files be written
 * at once; a list always goes to the same worker (todo_worker_for()), so
 * two writes of one list are never reordered.
 *
 * Saving is a call, not a cast: a server acknowledges a change only once
 * the worker says the file is on disk.
 */
#include "todo_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- The worker process -------------------------------------------------- */

struct worker {
    struct todo_config cfg;
    int id;
};

static int worker_init(void *arg, void **state, struct lc_reason *stop)
{
    const struct todo_worker_arg *a = arg;
    struct worker *w = lc_alloc(sizeof *w);
    if (w == NULL) {
        *stop = lc_reason(LC_A_ENOMEM);
        return LC_GS_STOP;
    }
    w->cfg = a->cfg;
    w->id = a->id;
    *state = w;
    char label[32];
    snprintf(label, sizeof label, "worker %d", w->id);
    lc_proc_set_name(lc_self(), label);
    todo__say("Starting database worker %d.", w->id);
    return LC_GS_CONTINUE;
}

static void reply(struct lc_gs_from from, int rc,
                  const struct todo_file_error *err, const char *text,
                  size_t len)
{
    struct todo_worker_reply *r = lc_zalloc(sizeof *r + len);
    if (r == NULL) {
        lc_error(lc_atom_term(LC_A_ENOMEM));
    }
    r->rc = rc;
    if (rc == LC_EINVAL) {
        r->err = *err;
    }
    r->len = len;
    if (len > 0) {
        memcpy(r->text, text, len);
    }
    lc_gs_reply(from, r, sizeof *r + len);
    lc_free(r);
}

static void get(struct worker *w, const char *list, struct lc_gs_from from)
{
    char file[TODO_FILE_NAME_MAX];
    struct todo_file_error err = { 0 };
    char *text = NULL;
    size_t len = 0;
    int rc = todo_file_name(list, file);
    if (rc == 0) {
        rc = todo_file_read(w->cfg.folder, file, &text, &len, &err);
    }
    reply(from, rc, &err, text, len);
    free(text);
}

static void store(struct worker *w, const struct todo_store_req *req,
                  struct lc_gs_from from)
{
    char file[TODO_FILE_NAME_MAX];
    struct todo_file_error err = { 0 };
    int rc = todo_file_name(req->list, file);
    if (rc == 0) {
        rc = todo_file_write(w->cfg.folder, file, req->text, req->len, &err);
    }
    reply(from, rc, &err, NULL, 0);
}

static int worker_call(void *state, int tag, const void *data, size_t size,
                       struct lc_gs_from from, struct lc_reason *stop)
{
    if (tag == TODO_T_GET && size > 0 && memchr(data, '\0', size) != NULL) {
        get(state, data, from);
    } else if (tag == TODO_T_STORE && size >= sizeof(struct todo_store_req) &&
               ((const struct todo_store_req *)data)->len ==
                       size - sizeof(struct todo_store_req)) {
        store(state, data, from);
    } else {
        lc_error(lc_atom_term(LC_A_BADARG)); /* a bug of the caller */
    }
    return LC_GS_CONTINUE;
}

const struct lc_gs_ops todo_worker_ops = {
    .init = worker_init,
    .handle_call = worker_call,
};

int todo_worker_start(const struct todo_config *cfg, int id, lc_pid *pid)
{
    struct todo_worker_arg a = { .cfg = *cfg, .id = id };
    return lc_gs_start(&todo_worker_ops, &a, NULL, pid, NULL);
}

int todo_worker_for(const char *list, int workers)
{
    uint32_t h = 2166136261u; /* FNV-1a: the same list, the same worker */
    for (const char *p = list; *p; p++) {
        h = (h ^ (unsigned char)*p) * 16777619u;
    }
    return (int)(h % (uint32_t)(workers > 0 ? workers : 1)) + 1;
}

/* --- The calls of the to-do servers -------------------------------------- */

/* Call the worker of 'list'; the reply, which the caller frees. */
static struct lc_msg *call_worker(const char *list, int tag, const void *req,
                                  size_t size)
{
    lc_pid worker = todo_hooks()->worker_of(list);
    struct lc_msg *m = lc_gs_call(worker, tag, req, size, 5000);
    if (m->size < sizeof(struct todo_worker_reply)) {
        lc_error(lc_atom_term(LC_A_BADARG));
    }
    return m;
}

int todo_db_load(const char *list, struct todo_list **out,
                 struct todo_file_error *err)
{
    char file[TODO_FILE_NAME_MAX];
    int rc = todo_file_name(list, file);
    if (rc < 0) {
        return rc;
    }
    struct lc_msg *m = call_worker(list, TODO_T_GET, list, strlen(list) + 1);
    const struct todo_worker_reply *r = (const void *)m->data;
    rc = r->rc;
    if (rc == 0) {
        rc = todo_file_decode(file, list, r->text, r->len, out, err);
    } else if (rc == LC_ENOENT) {
        /* No file yet: an expected case, the empty list. */
        *out = todo_list_new();
        rc = *out != NULL ? 0 : LC_ENOMEM;
    } else if (rc == LC_EINVAL && err != NULL) {
        *err = r->err;
    }
    lc_msg_free(m);
    return rc;
}

int todo_db_save(const char *list, const struct todo_list *l,
                 struct todo_file_error *err)
{
    char *text;
    size_t len;
    int rc = todo_file_encode(list, l, &text, &len);
    if (rc < 0) {
        return rc;
    }
    struct todo_store_req *req = lc_zalloc(sizeof *req + len);
    if (req == NULL) {
        free(text);
        return LC_ENOMEM;
    }
    snprintf(req->list, sizeof req->list, "%s", list);
    req->len = len;
    memcpy(req->text, text, len);
    free(text);
    struct lc_msg *m = call_worker(list, TODO_T_STORE, req, sizeof *req + len);
    lc_free(req);
    const struct todo_worker_reply *r = (const void *)m->data;
    rc = r->rc;
    if (rc == LC_EINVAL && err != NULL) {
        *err = r->err;
    }
    lc_msg_free(m);
    return rc;
}
