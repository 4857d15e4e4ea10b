/*
 * database.c - the database of stages 1 to 3: a generic server registered
 * as "todo_database" that starts a pool of workers and tells a to-do
 * server which worker keeps its list (todo.h).
 *
 * It does no disk work itself, so it is never the bottleneck: a server
 * asks it for a worker once per request and then talks to the worker
 * directly. It starts its workers through the hook start_worker: in stage
 * supervised_todo_cache they are not linked to it, from todo_links on they
 * are, so a crashing worker takes the database with it and the
 * database's restart starts a fresh pool. (Chapter 7 puts the workers
 * under a supervisor of their own and replaces this process by a registry
 * lookup: the hook worker_of.)
 */
#include "todo_int.h"

#include <stdio.h>
#include <string.h>

struct database {
    struct todo_config cfg;
    lc_pid workers[TODO_WORKERS_MAX];
};

static int database_init(void *arg, void **state, struct lc_reason *stop)
{
    struct database *db = lc_zalloc(sizeof *db);
    if (db == NULL) {
        *stop = lc_reason(LC_A_ENOMEM);
        return LC_GS_STOP;
    }
    db->cfg = *(const struct todo_config *)arg;
    if (db->cfg.workers <= 0) {
        db->cfg.workers = 3;
    }
    *state = db;
    todo__say("Starting database server.");
    struct todo_file_error err = { 0 };
    if (db->cfg.workers > TODO_WORKERS_MAX) {
        *stop = lc_reason_with(lc_atom_intern("bad_workers"),
                               lc_int(db->cfg.workers));
        return LC_GS_STOP;
    }
    if (todo_folder_prepare(db->cfg.folder, &err) < 0) {
        /* No folder, no database: fail the start (the folder's name, when
           it is short enough for an atom). */
        todo__say("Database: %s.", err.detail);
        *stop = lc_reason_with(lc_atom_intern("bad_folder"),
                               lc_atom_term(lc_atom_intern(db->cfg.folder)));
        return LC_GS_STOP;
    }
    for (int i = 0; i < db->cfg.workers; i++) {
        int rc = todo_hooks()->start_worker(&db->cfg, i + 1, &db->workers[i]);
        if (rc < 0) {
            *stop = lc_reason_with(lc_atom_intern("worker_start"), lc_int(rc));
            return LC_GS_STOP;
        }
    }
    return LC_GS_CONTINUE;
}

static int database_call(void *state, int tag, const void *data, size_t size,
                         struct lc_gs_from from, struct lc_reason *stop)
{
    struct database *db = state;
    if (tag != TODO_T_WORKER_OF || size == 0 ||
        memchr(data, '\0', size) == NULL) {
        lc_error(lc_atom_term(LC_A_BADARG));
    }
    int id = todo_worker_for(data, db->cfg.workers);
    lc_gs_reply(from, &db->workers[id - 1], sizeof(lc_pid));
    return LC_GS_CONTINUE;
}

const struct lc_gs_ops todo_database_ops = {
    .init = database_init,
    .handle_call = database_call,
};

int todo_database_start(const struct todo_config *cfg, lc_pid *pid)
{
    struct lc_gs_opts o = { .name = TODO_DATABASE_NAME };
    return lc_gs_start(&todo_database_ops, (void *)cfg, &o, pid, NULL);
}

lc_pid todo_database_worker_of(const char *list)
{
    lc_pid pid;
    todo__call(lc_whereis(TODO_DATABASE_NAME), TODO_T_WORKER_OF, list,
               strlen(list) + 1, &pid, sizeof pid);
    return pid;
}

void todo__call(lc_pid server, int tag, const void *req, size_t len, void *out,
                size_t size)
{
    struct lc_msg *m = lc_gs_call(server, tag, req, len, 5000);
    if (m->size != size) {
        lc_error(lc_atom_term(LC_A_BADARG));
    }
    memcpy(out, m->data, size);
    lc_msg_free(m);
}
