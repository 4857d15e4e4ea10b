/*
 * todo_cache.c - chapter 5, stage supervised_todo_cache: the to-do cache
 * under a supervisor (the book's figure 8.3).
 *
 * A one_for_one supervisor with one child, the cache, which starts the
 * database (and its workers) and, on demand, one server per list -- all
 * with the kit's unlinked starts. Add entries to Bob's list, kill the
 * cache: the supervisor starts a new one, with a new pid, under the same
 * name, and Bob's entries come back, read from the list's file by a new
 * server. But count the processes: the old server, database and workers
 * are still there, linked to nobody -- the problem todo_links.c solves.
 */
#include <stdio.h>

#include "figure.h"
#include "scratch.h"
#include "todo_show.h"
#include "lc/otp/links.h"
#include "lc/otp/names.h"
#include "lc/otp/supervisor.h"
#include "lc/systems/todo.h"

static char folder[64];

/* region: session */
static void session(void *arg)
{
    lc_proc_set_name(lc_self(), "session");
    struct todo_config cfg;
    todo_config_init(&cfg, folder);
    /* The book's Supervisor.start_link([Todo.Cache], strategy: one_for_one) */
    const struct lc_child_spec children[] = { todo_cache_child_spec(&cfg) };
    struct lc_sup_spec spec = { .flags = { .strategy = LC_ONE_FOR_ONE },
                                .children = children,
                                .nchildren = 1 };
    lc_pid sup;
    lc_sup_start_link(&spec, &(struct lc_sup_opts){ .name = "todo_system" },
                      &sup, NULL);

    struct todo_date d = todo_date(2026, 12, 19);
    todo_add("Bob's list", d, "Dentist", NULL);
    todo_add("Bob's list", d, "Movies", NULL);
    show("whereis(todo_cache)", lc_whereis(TODO_CACHE_NAME));
    lc_pid bob = todo_hooks()->server_process("Bob's list");
    show("server of Bob's list", bob);
    printf("t=%-5lld processes: %zu\n", (long long)lc_now(),
           lc_proc_list(NULL, 0));
    ex_figure("05-supervisors-todo-cache",
              &(struct lc_dot_opts){ .title = "The supervised cache",
                                     .links = true,
                                     .supervision = true,
                                     .lonely = true });

    say("kill todo_cache");
    lc_exit_signal(lc_whereis(TODO_CACHE_NAME), lc_reason(LC_A_KILL));
    lc_sleep(10);
    show("whereis(todo_cache)", lc_whereis(TODO_CACHE_NAME));
    show_entries("Bob's list", d);
    show("server of Bob's list", todo_hooks()->server_process("Bob's list"));
    printf("t=%-5lld processes: %zu; the old server %s\n", (long long)lc_now(),
           lc_proc_list(NULL, 0),
           lc_alive(bob) ? "still runs, linked to nobody" : "is gone");
    lc_unlink(sup); /* the supervisor's `shutdown` is not our end */
    lc_sup_stop(sup);
}
/* endregion */

int main(void)
{
    todo_log_set(say);
    return ex_run_in_folder(folder, sizeof folder, session);
}
