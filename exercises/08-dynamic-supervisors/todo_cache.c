/*
 * todo_cache.c - chapter 8: the to-do cache becomes a dynamic supervisor of
 * to-do servers (stage dynamic_workers of the book).
 *
 * Until now the cache was a generic server that kept a map from list
 * names to server pids and started a server, unsupervised, when a list
 * was first asked for. In this stage the cache keeps nothing:
 *
 *   todo_system (one_for_one)
 *     todo_registry              {worker,N} and {server,List} -> pid
 *     todo_database              the workers (chapter 7)
 *     todo_cache (dynamic)       one temporary server per list in use
 *       server "Bob's list"      registered as {server,Bob's list}
 *       ...
 *
 * Finding a list's server is the book's server_process: look its key up
 * in the registry (no message); if nobody is there, ask the cache to start
 * one. The server registers its key as it starts, so when two clients ask
 * at once, the second start finds the key taken and answers LC_EALREADY
 * with the first one's pid -- which is the answer the client wanted. A
 * server that crashes is temporary: nobody restarts it, its key goes with
 * it, and the next client to ask starts a new one, which loads the list
 * from disk on its first call. The other servers never notice.
 *
 * The stage is built on chapter 7's system: it starts that system, then
 * replaces its cache child with the dynamic one through chapter 6's
 * management calls, and replaces the hook server_process (todo.h). The
 * to-do code itself is unchanged.
 */
#include <string.h>

#include "lc/otp/dynamic_supervisor.h"
#include "lc/otp/names.h"
#include "lc/otp/registry.h"
#include "lc/otp/supervisor.h"
#include "lc/systems/todo.h"

/*
 * The hook server_process of this stage: the server of 'list', started if
 * need be. Returns its pid, or LC_NOPID if it could not be started (the
 * client's call then fails with noproc).
 */
lc_pid todo_dynamic_server_process(const char *list)
{
    /* TODO(ch08): write this (see its contract comment). */
    LC_TODO("ch08");
    return LC_NOPID;
}

/* The cache's child spec: a supervisor child named "todo_cache". */
struct lc_child_spec todo_dynamic_cache_spec(const struct todo_config *cfg)
{
    /* TODO(ch08): write this (see its contract comment). */
    LC_TODO("ch08");
    return (struct lc_child_spec){ 0 };
}

/*
 * Start the system of stage dynamic_workers: chapter 7's (registry,
 * database pool, cache), with the cache child replaced by the dynamic one
 * -- stopped, forgotten, and the new spec added in its place at the end --
 * and the hook server_process replaced. Returns 0 with *sup, or the error
 * of the step that failed.
 */
int todo_dynamic_system_start_link(const struct todo_config *cfg, lc_pid *sup)
{
    /* TODO(ch08): write this (see its contract comment). */
    LC_TODO("ch08");
    return LC_ENOSYS;
}
