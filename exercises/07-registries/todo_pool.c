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

/*
 * The hook worker_of of this stage: the worker that keeps 'list', found in
 * the registry under {worker,N} where N = todo_worker_for(list, pool
 * size). A worker that is being restarted is not there for a moment: give
 * its supervisor a few turns before answering LC_NOPID (the caller's call
 * then fails with noproc, as a call to a dead worker would).
 */
lc_pid todo_pool_worker_of(const char *list)
{
    /* TODO(ch07): write this (see its contract comment). */
    LC_TODO("ch07");
    return LC_NOPID;
}

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
    /* TODO(ch07): write this (see its contract comment). */
    LC_TODO("ch07");
    return LC_ENOSYS;
}
