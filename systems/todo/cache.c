/*
 * cache.c - the to-do cache of stages 1 to 3: a generic server registered
 * as "todo_cache" that maps list names to their servers and starts a
 * server on the first request for its list (todo.h).
 *
 * It is the system's front door: clients never keep a server's pid, they
 * ask the cache each time (todo_cache_server_process()), so after a
 * restart they reach the new processes. In stages 1 and 2 it starts the
 * database in its init; from stage 3 on the system supervisor does. It
 * starts servers through the hook start_server, linked or not as the
 * stage says. (Chapter 8 replaces it with a dynamic supervisor of the
 * servers: the hook server_process and the cache's child spec.)
 */
#include "todo_int.h"

#include "lc/otp/monitors.h"

#include <string.h>

struct slot {
    char name[TODO_NAME_MAX + 1];
    lc_pid server;
};

struct cache {
    struct todo_config cfg;
    struct slot *slots; /* lc_alloc()'d, grows */
    size_t n, cap;
};

/*
 * Start the database, or find the one that runs. A database that holds
 * the name already was started by an earlier cache: when the processes
 * are linked (todo_links), it is on its way down with that cache -- its
 * exit signal is on the way -- so wait for its end, then start ours. The
 * wait is short and, on the virtual clock, exact: time does not move
 * while the dying process can still run. One that does not end (stage
 * supervised_todo_cache: nobody linked it) is used as it is, as the book's
 * cache does.
 */
static int start_database(const struct todo_config *cfg)
{
    lc_pid db;
    int rc = todo_hooks()->start_database(cfg, &db);
    if (rc != LC_EALREADY) {
        return rc;
    }
    uint64_t ref = lc_monitor(db);
    struct lc_msg *down = lc_receive_ref(ref, 1);
    if (down == NULL) {
        lc_demonitor(ref, LC_DEMONITOR_FLUSH);
        return 0;
    }
    lc_msg_free(down);
    rc = todo_hooks()->start_database(cfg, &db);
    return rc == LC_EALREADY ? 0 : rc;
}

static int cache_init(void *arg, void **state, struct lc_reason *stop)
{
    struct cache *c = lc_zalloc(sizeof *c);
    if (c == NULL) {
        *stop = lc_reason(LC_A_ENOMEM);
        return LC_GS_STOP;
    }
    c->cfg = *(const struct todo_config *)arg;
    *state = c;
    todo__say("Starting to-do cache.");
    if (c->cfg.cache_starts_database) {
        int rc = start_database(&c->cfg);
        if (rc < 0) {
            *stop = lc_reason_with(lc_atom_intern("database_start"),
                                   lc_int(rc));
            return LC_GS_STOP;
        }
    }
    return LC_GS_CONTINUE;
}

static struct slot *find(struct cache *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++) {
        if (strcmp(c->slots[i].name, name) == 0) {
            return &c->slots[i];
        }
    }
    return NULL;
}

static struct slot *add(struct cache *c, const char *name)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        struct slot *s = lc_alloc(cap * sizeof *s);
        if (s == NULL) {
            lc_error(lc_atom_term(LC_A_ENOMEM));
        }
        if (c->n > 0) {
            memcpy(s, c->slots, c->n * sizeof *s);
        }
        lc_free(c->slots);
        c->slots = s;
        c->cap = cap;
    }
    struct slot *s = &c->slots[c->n++];
    strcpy(s->name, name);
    s->server = LC_NOPID;
    return s;
}

static int cache_call(void *state, int tag, const void *data, size_t size,
                      struct lc_gs_from from, struct lc_reason *stop)
{
    struct cache *c = state;
    if (tag != TODO_T_SERVER_PROCESS || size == 0 ||
        memchr(data, '\0', size) == NULL || todo_name_check(data) < 0) {
        lc_error(lc_atom_term(LC_A_BADARG));
    }
    struct slot *s = find(c, data);
    if (s == NULL) {
        lc_pid pid = LC_NOPID;
        if (todo_hooks()->start_server(data, &pid) == 0) {
            s = add(c, data);
            s->server = pid;
        }
    }
    lc_pid pid = s != NULL ? s->server : LC_NOPID;
    lc_gs_reply(from, &pid, sizeof pid);
    return LC_GS_CONTINUE;
}

const struct lc_gs_ops todo_cache_ops = {
    .init = cache_init,
    .handle_call = cache_call,
};

static int cache_start_link(void *arg, lc_pid *pid, struct lc_reason *why)
{
    struct lc_gs_opts o = { .name = TODO_CACHE_NAME };
    return lc_gs_start_link(&todo_cache_ops, arg, &o, pid, why);
}

struct lc_child_spec todo_cache_child_spec(const struct todo_config *cfg)
{
    return (struct lc_child_spec){
        .id = TODO_CACHE_NAME,
        .start = cache_start_link,
        .arg = cfg,
        .arg_size = sizeof *cfg,
    };
}

lc_pid todo_cache_server_process(const char *list)
{
    lc_pid pid;
    todo__call(lc_whereis(TODO_CACHE_NAME), TODO_T_SERVER_PROCESS, list,
               strlen(list) + 1, &pid, sizeof pid);
    return pid;
}
