/*
 * todo_pool.c - chapter 7: the database's workers get a supervisor of
 * their own and a registry to be found in (stage pool_supervision of the
 * book).
 *
 * Until now the database was a process that started its workers, linked,
 * and answered "which worker keeps this list?" with a pid it had kept. A
 * crashing worker took the database down, and with it every other worker.
 * In this stage:
 *
 *   todo_system (one_for_one)
 *     todo_registry              the registry: {worker,1} -> pid, ...
 *     todo_database (one_for_one, a supervisor)
 *       worker 1..N              each started under the via name
 *                                {worker,id} in todo_registry
 *     todo_cache
 *
 * The "database" is only a supervisor now: it keeps no pid. A to-do server
 * that needs the worker of a list hashes the list's name to a number
 * (todo_worker_for()) and looks {worker,number} up in the registry -- no
 * message to anyone. A worker that crashes is restarted alone by its
 * supervisor, registers the same key again as it starts, and the next
 * lookup finds the new one: the other workers, the cache and the servers
 * never notice.
 *
 * The to-do code is unchanged: this file only sets the hook worker_of and
 * starts the system with its new children (todo.h).
 */
#include "lc/otp/gen_server.h"
#include "lc/otp/names.h"
#include "lc/otp/registry.h"
#include "lc/otp/supervisor.h"
#include "lc/systems/todo.h"

#include <stdio.h>
#include <string.h>

/* BEGIN SOLUTION(ch07): - */
/* How many workers the pool of the running system has: the hook worker_of
   needs it, and its signature has no room for the configuration. */
static int pool_size = 3;

/* A worker's start function, as its supervisor calls it: the registry is
   looked up by its name at every start, so a restarted registry is found
   too; the worker registers {worker,id} before its init. */
static int worker_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    const struct todo_worker_arg *a = arg;
    char key[LC_REG_KEY_MAX];
    lc_reg_key_int(key, "worker", a->id);
    return lc_reg_via_start_link(lc_whereis(TODO_REGISTRY_NAME), key,
                                 &todo_worker_ops, arg, NULL, pid, why);
}

/* The pool supervisor's start function: the folder first (what the old
   database's init did), then a supervisor with one child per worker. */
static int pool_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    const struct todo_config *cfg = arg;
    struct todo_file_error err;
    if (todo_folder_prepare(cfg->folder, &err) < 0) {
        *why = todo_file_reason(&err);
        return LC_ESTART;
    }
    struct todo_worker_arg args[TODO_WORKERS_MAX];
    struct lc_child_spec kids[TODO_WORKERS_MAX];
    char ids[TODO_WORKERS_MAX][LC_CHILD_ID_MAX];
    for (int i = 0; i < cfg->workers; i++) {
        args[i] = (struct todo_worker_arg){ .cfg = *cfg, .id = i + 1 };
        snprintf(ids[i], sizeof ids[i], "worker %d", i + 1);
        kids[i] = (struct lc_child_spec){ .id = ids[i],
                                          .start = worker_start,
                                          .arg = &args[i],
                                          .arg_size = sizeof args[i] };
    }
    struct lc_sup_spec spec = { .children = kids,
                                .nchildren = (size_t)cfg->workers };
    struct lc_sup_opts o = { .name = TODO_DATABASE_NAME };
    struct lc_sup_error e;
    int rc = lc_sup_start_link(&spec, &o, pid, &e);
    if (rc < 0) {
        *why = e.reason;
    }
    return rc;
}
/* END SOLUTION */

/* region: worker_of */
/*
 * The hook worker_of of this stage: the worker that keeps 'list', found in
 * the registry under {worker,N} where N = todo_worker_for(list, pool
 * size). A worker that is being restarted is not there for a moment: give
 * its supervisor a few turns before answering LC_NOPID (the caller's call
 * then fails with noproc, as a call to a dead worker would).
 */
lc_pid todo_pool_worker_of(const char *list)
{
    /* BEGIN SOLUTION(ch07): return LC_NOPID; */
    char key[LC_REG_KEY_MAX];
    lc_reg_key_int(key, "worker", todo_worker_for(list, pool_size));
    for (int tries = 0; tries < 100; tries++) {
        lc_pid w = lc_reg_whereis(lc_whereis(TODO_REGISTRY_NAME), key);
        if (w != LC_NOPID) {
            return w;
        }
        lc_yield();
    }
    return LC_NOPID;
    /* END SOLUTION */
}
/* endregion */

/* region: system */
/*
 * Start the system of stage pool_supervision, linked to the caller and
 * registered as "todo_system": a one_for_one supervisor with the registry
 * (a unique one, named "todo_registry"), the pool supervisor (named
 * "todo_database", a supervisor child whose children are the workers,
 * each under the via name {worker,id}) and the cache, in that order; and
 * the hooks of todo_links with worker_of replaced. Returns
 * lc_sup_start_link()'s result.
 */
int todo_pool_system_start_link(const struct todo_config *cfg, lc_pid *sup)
{
    /* BEGIN SOLUTION(ch07): return LC_ENOSYS; */
    struct todo_hooks h = todo_links_hooks;
    h.worker_of = todo_pool_worker_of;
    todo_hooks_set(&h);
    struct todo_config c = *cfg;
    c.workers = c.workers > 0 ? c.workers : 3;
    if (c.workers > TODO_WORKERS_MAX) {
        return LC_EINVAL;
    }
    c.cache_starts_database = false;
    pool_size = c.workers;
    static const struct lc_reg_opts reg = { .name = TODO_REGISTRY_NAME };
    struct lc_child_spec kids[] = {
        lc_reg_child_spec(TODO_REGISTRY_NAME, &reg),
        { .id = TODO_DATABASE_NAME,
          .start = pool_start,
          .arg = &c,
          .arg_size = sizeof c,
          .type = LC_CHILD_SUPERVISOR },
        todo_cache_child_spec(&c),
    };
    struct lc_sup_spec spec = { .children = kids, .nchildren = 3 };
    struct lc_sup_opts o = { .name = TODO_SYSTEM_NAME };
    return lc_sup_start_link(&spec, &o, sup, NULL);
    /* END SOLUTION */
}
/* endregion */
