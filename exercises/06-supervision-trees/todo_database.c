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

/*
 * The database's child spec, for the system supervisor: id
 * "todo_database", a start function that starts the database linked to
 * the supervisor and registered under its name, its own copy of *cfg
 * (arg_size), permanent, a worker. Return true once *spec is filled.
 */
bool todo_system_database_spec(const struct todo_config *cfg,
                               struct lc_child_spec *spec)
{
    /* TODO(ch06): write this (see its contract comment). */
    LC_TODO("ch06");
    return false;
}
