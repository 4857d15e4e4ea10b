/*
 * todo_system.c - chapter 5: the to-do system gets its first supervisor
 * (stages supervised_todo_cache and todo_links of the book).
 *
 * The to-do code itself -- lists, servers, cache, database, workers -- is
 * given (include/lc/systems/todo.h). You write the two things this
 * chapter is about:
 *
 *  1. todo_system_start_link(): the system supervisor. One child, the
 *     cache, described by its own child_spec function; one_for_one, the
 *     default intensity; registered as "todo_system". Kill the cache and
 *     the supervisor starts a new one, with a new pid, under the same name
 *     -- clients find it again because they look it up by name.
 *
 *  2. The start functions of stage todo_links. The kit's defaults start
 *     every process unlinked, so a restarted cache leaves its old servers
 *     (and its database and workers) running, forever, with nobody to
 *     talk to. Linked starts tie each process to the one that started it:
 *     when the cache dies, everything under it dies too, and its
 *     supervisor starts a clean system in its place.
 */
#include "lc/otp/gen_server.h"
#include "lc/otp/supervisor.h"
#include "lc/systems/todo.h"

/* region: links */
/* The server of 'list', linked to its caller: the cache. */
static int start_server_link(const char *list, lc_pid *pid)
{
    /* BEGIN SOLUTION(ch05): return LC_ENOSYS; */
    return lc_gs_start_link(&todo_server_ops, (void *)list, NULL, pid, NULL);
    /* END SOLUTION */
}

/* The database, registered as "todo_database", linked to its caller: the
   cache (in this chapter). */
static int start_database_link(const struct todo_config *cfg, lc_pid *pid)
{
    /* BEGIN SOLUTION(ch05): return LC_ENOSYS; */
    struct lc_gs_opts o = { .name = TODO_DATABASE_NAME };
    return lc_gs_start_link(&todo_database_ops, (void *)cfg, &o, pid, NULL);
    /* END SOLUTION */
}

/* Worker 'id' of the database, linked to its caller: the database. */
static int start_worker_link(const struct todo_config *cfg, int id, lc_pid *pid)
{
    /* BEGIN SOLUTION(ch05): return LC_ENOSYS; */
    struct todo_worker_arg a = { .cfg = *cfg, .id = id };
    return lc_gs_start_link(&todo_worker_ops, &a, NULL, pid, NULL);
    /* END SOLUTION */
}

/* Stage todo_links: the starts above replace the kit's unlinked ones.
   Public, so that the stages of later chapters start from it. */
const struct todo_hooks todo_links_hooks = {
    .start_database = start_database_link,
    .start_worker = start_worker_link,
    .start_server = start_server_link,
};
/* endregion */

/* Chapter 6 puts the database under the system supervisor by defining
   this function (todo_database.c); until then there is no such child and
   the cache starts the database itself. 'weak': a definition elsewhere
   wins at link time. */
__attribute__((weak)) bool
todo_system_database_spec(const struct todo_config *cfg,
                          struct lc_child_spec *spec)
{
    return false;
}

/* region: system */
int todo_system_start_link(const struct todo_config *cfg, lc_pid *sup)
{
    todo_hooks_set(&todo_links_hooks); /* the starts of stage todo_links */
    /* BEGIN SOLUTION(ch05): return LC_ENOSYS; */
    /* The children's copy of the configuration: the supervisor copies it
       again (arg_size), so this one need not outlive the start. */
    struct todo_config c = *cfg;
    struct lc_child_spec children[2];
    size_t n = 0;
    c.cache_starts_database = !todo_system_database_spec(&c, &children[0]);
    if (!c.cache_starts_database) {
        n++; /* the database first: the cache's servers need it */
    }
    children[n++] = todo_cache_child_spec(&c);
    struct lc_sup_spec spec = {
        .flags = { .strategy = LC_ONE_FOR_ONE },
        .children = children,
        .nchildren = n,
    };
    struct lc_sup_opts opts = { .name = TODO_SYSTEM_NAME };
    return lc_sup_start_link(&spec, &opts, sup, NULL);
    /* END SOLUTION */
}
/* endregion */
