/*
 * todo_app.c - chapter 9: the whole to-do system, and the two places where
 * its state could be lost.
 *
 * Everything else is built: your supervisors, links, registry and dynamic
 * supervisor run the tree of the latest stage you have done
 * (todo_stage_start()). What is left is the part of the system that must
 * never be wrong, its error kernel: the moment a list's state changes. A
 * to-do server holds its list in memory, and memory is lost with the
 * process -- so the list's true home is its file, and the server keeps two
 * promises:
 *
 *  1. todo_commit(): save before acknowledging. A change is made on a
 *     copy; the copy is saved through the database; only once the file is
 *     on disk does the copy become the list (and the client hear "done").
 *     If the save fails, the copy is thrown away -- the list the server
 *     holds is still exactly what is on disk -- and the server crashes: it
 *     cannot keep its promise, so it must not go on as if it had. The
 *     copy is handed to the server (*next) as soon as it exists, so that
 *     it is freed whatever happens: a process can be killed in the middle
 *     of the save, and memory from malloc() is not freed with it.
 *
 *  2. todo_restore(): restore after a restart. A server that starts (the
 *     first time, or after any crash) reads its list back from disk. A
 *     missing file is an expected case, handled where it happens: a new,
 *     empty list. A file that fails its check is not: the server ends
 *     with the reason that names the file and the problem, and the rest of
 *     the system runs on.
 *
 *  3. todo_app_start_link(): the system, with these two in its hooks.
 */
#include "lc/otp/gen_server.h"
#include "lc/otp/supervisor.h"
#include "lc/systems/todo.h"
#include "lc/systems/todo_app.h"

int todo_restore(const char *list, struct todo_list **out,
                 struct lc_reason *stop)
{
    /* TODO(ch09): write this (see its contract comment). */
    LC_TODO("ch09");
    return LC_ENOSYS;
}

int todo_commit(const char *list, const struct todo_list *cur,
                const struct todo_change *c, struct todo_list **next,
                uint32_t *id, struct lc_reason *stop)
{
    /* TODO(ch09): write this (see its contract comment). */
    LC_TODO("ch09");
    return LC_ENOSYS;
}

int todo_app_start_link(const struct todo_config *cfg, lc_pid *sup)
{
    /* TODO(ch09): write this (see its contract comment). */
    LC_TODO("ch09");
    return LC_ENOSYS;
}
