/*
 * todo_database.c - chapter 6: the database moves out of the cache and
 * under the system supervisor (stage supervise_database of the book).
 *
 * Until now the cache started the database, linked, so the two lived and
 * died together: a crash of one worker took the database, the cache and
 * every to-do server down, and a crash of one server took the database
 * along. Separate them: the database becomes a child of the system
 * supervisor in its own right, with its workers still linked to it, and
 * the cache no longer starts it (chapter 5's todo_system_start_link()
 * asks todo_system_database_spec() for its child spec and, when it gets
 * one, tells the cache so). Now a database crash restarts the database
 * and its workers only, and the cache and its servers carry on; a cache
 * crash leaves the database alone.
 *
 * The order of the children matters: a supervisor starts them one after
 * the other, each only once the one before has finished its init, and
 * stops them in the reverse order. The database comes first, because the
 * cache's servers call it as soon as they start (to load their lists):
 * started first, it is there before anyone can need it, and stopped last,
 * it outlives every server that might still save a list.
 */
#include "lc/otp/gen_server.h"
#include "lc/otp/supervisor.h"
#include "lc/systems/todo.h"

/* BEGIN SOLUTION(ch06): - */
/* The database's start function, as a supervisor calls it: linked to the
   caller (the supervisor), registered as "todo_database", with the
   configuration the supervisor keeps a copy of. */
static int database_start_link(void *arg, lc_pid *pid, struct lc_reason *why)
{
    struct lc_gs_opts o = { .name = TODO_DATABASE_NAME };
    return lc_gs_start_link(&todo_database_ops, arg, &o, pid, why);
}
/* END SOLUTION */

/* region: database_spec */
/*
 * The database's child spec, for the system supervisor: id
 * "todo_database", a start function that starts the database linked to
 * the supervisor and registered under its name, its own copy of *cfg
 * (arg_size), permanent, a worker. Return true once *spec is filled.
 */
bool todo_system_database_spec(const struct todo_config *cfg,
                               struct lc_child_spec *spec)
{
    /* BEGIN SOLUTION(ch06): return false; */
    *spec = (struct lc_child_spec){
        .id = TODO_DATABASE_NAME,
        .start = database_start_link,
        .arg = cfg,
        .arg_size = sizeof *cfg,
    };
    return true;
    /* END SOLUTION */
}
/* endregion */
