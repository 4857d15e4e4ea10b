/*
 * hooks.c - the system's configuration, the stages' hooks, and its log
 * (todo.h, "The system's configuration and the stages' hooks").
 *
 * The hooks are the one place where the stages of the book differ: how a
 * process starts the ones below it (linked or not), how a client finds the
 * server of a list, how a server finds the worker of a list. They are a
 * table of function pointers that a stage fills in before it starts the
 * system, so that the rest of the to-do code is the same in every chapter.
 * One table per program is enough: a program runs one to-do system, and
 * lc_fini() puts the defaults back for the next runtime.
 */
#include "todo_int.h"

#include <stdio.h>
#include <string.h>

static const struct todo_hooks defaults = {
    .start_database = todo_database_start,
    .start_worker = todo_worker_start,
    .start_server = todo_server_start,
    .server_process = todo_cache_server_process,
    .worker_of = todo_database_worker_of,
    .restore = todo__restore,
    .commit = todo__commit,
};

static struct todo_hooks current = defaults;
static todo_log_fn *log_fn;

void todo_hooks_set(const struct todo_hooks *h)
{
    current = defaults;
    if (h == NULL) {
        return;
    }
    /* A NULL field keeps the default: a stage names only what it changes. */
    if (h->start_database != NULL) {
        current.start_database = h->start_database;
    }
    if (h->start_worker != NULL) {
        current.start_worker = h->start_worker;
    }
    if (h->start_server != NULL) {
        current.start_server = h->start_server;
    }
    if (h->server_process != NULL) {
        current.server_process = h->server_process;
    }
    if (h->worker_of != NULL) {
        current.worker_of = h->worker_of;
    }
    if (h->restore != NULL) {
        current.restore = h->restore;
    }
    if (h->commit != NULL) {
        current.commit = h->commit;
    }
}

const struct todo_hooks *todo_hooks(void)
{
    return &current;
}

static void reset(void)
{
    current = defaults;
}
LC_ON_FINI(reset)

void todo_log_set(todo_log_fn *fn)
{
    log_fn = fn;
}

/* Used by the processes' files (declared in todo_int.h). */
void todo__say(const char *fmt, ...)
{
    if (log_fn == NULL) {
        return;
    }
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    log_fn(line);
}

int todo_config_init(struct todo_config *cfg, const char *folder)
{
    memset(cfg, 0, sizeof *cfg);
    if (folder == NULL || folder[0] == '\0') {
        return LC_EINVAL;
    }
    if (strlen(folder) > TODO_FOLDER_MAX) {
        return LC_ERANGE;
    }
    strcpy(cfg->folder, folder);
    cfg->workers = 3;
    cfg->cache_starts_database = true;
    return 0;
}
