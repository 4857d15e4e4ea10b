/*
 * todo_int.h - what the files of the to-do system share and nobody else
 * needs: the tags of their messages and the log.
 */
#ifndef TODO_INT_H
#define TODO_INT_H

#include <stdarg.h>

#include "lc/systems/todo.h"
#include "lc/otp/exceptions.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/names.h"

/* Tags of the calls and casts between the to-do processes. */
enum {
    TODO_T_SERVER_PROCESS = 1, /* to the cache: a list name -> lc_pid */
    TODO_T_WORKER_OF,          /* to the database: a list name -> lc_pid */
    TODO_T_GET,                /* to a worker: a list name -> worker_reply */
    TODO_T_STORE,              /* to a worker: store_req -> worker_reply */
    TODO_T_ADD,                /* to a server: server_req -> server_reply */
    TODO_T_UPDATE,
    TODO_T_DELETE,
    TODO_T_ENTRIES /* -> struct entries_reply */
};

/* What a worker answers. */
struct todo_worker_reply {
    int rc; /* 0, LC_ENOENT (no file) or LC_EINVAL (err) */
    struct todo_file_error err;
    size_t len; /* GET: bytes of text */
    _Alignas(16) char text[];
};

struct todo_store_req {
    char list[TODO_NAME_MAX + 1];
    size_t len;
    _Alignas(16) char text[];
};

/* Say what a process does, through the log set with todo_log_set(). */
void todo__say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* lc_gs_call() that copies a fixed-size reply into out[0..size). */
void todo__call(lc_pid server, int tag, const void *req, size_t len, void *out,
                size_t size);

/* The kit's restore and commit (server.c): the hooks' defaults. */
int todo__restore(const char *list, struct todo_list **out,
                  struct lc_reason *stop);
int todo__commit(const char *list, const struct todo_list *cur,
                 const struct todo_change *c, struct todo_list **next,
                 uint32_t *id, struct lc_reason *stop);

#endif /* TODO_INT_H */
