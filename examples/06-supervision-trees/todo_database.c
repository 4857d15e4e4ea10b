/*
 * todo_database.c - chapter 6, stage supervise_database: the database
 * leaves the cache and becomes a child of the system supervisor, before
 * the cache (the book's figure 9.2).
 *
 * The same todo_system_start_link() as in chapter 5; chapter 6's
 * todo_system_database_spec() gives it a second child. Kill the database:
 * it restarts with fresh workers, and the cache and Bob's server -- same
 * pids -- go on serving, saving the next entry through the new pool. Kill
 * the cache: its servers go down with it, the database does not notice,
 * and Bob's entries come back from the file.
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

static void show_children(lc_pid sup)
{
    struct lc_child_info c[4];
    size_t n = lc_sup_which_children(sup, c, 4);
    printf("t=%-5lld children of todo_system, in start order:",
           (long long)lc_now());
    for (size_t i = n; i-- > 0;) { /* which_children gives the newest first */
        char p[32];
        lc_pid_format(p, sizeof p, c[i].pid);
        printf(" %s %s%s", c[i].id, p, i > 0 ? "," : "\n");
    }
}

/* region: session */
static void session(void *arg)
{
    lc_proc_set_name(lc_self(), "session");
    struct todo_config cfg;
    todo_config_init(&cfg, folder);
    lc_pid sup;
    todo_system_start_link(&cfg, &sup);
    show_children(sup);

    struct todo_date d = todo_date(2026, 12, 19);
    todo_add("Bob's list", d, "Dentist", NULL);
    lc_pid bob = todo_hooks()->server_process("Bob's list");
    show("server of Bob's list", bob);
    ex_figure("06-supervision-trees-todo-database",
              &(struct lc_dot_opts){ .title = "Cache and database split",
                                     .links = true,
                                     .supervision = true });

    say("kill todo_database");
    lc_exit_signal(lc_whereis(TODO_DATABASE_NAME), lc_reason(LC_A_KILL));
    lc_sleep(10);
    show_children(sup);
    show("server of Bob's list", todo_hooks()->server_process("Bob's list"));
    todo_add("Bob's list", d, "Movies", NULL);
    show_entries("Bob's list", d);

    say("kill todo_cache");
    lc_exit_signal(lc_whereis(TODO_CACHE_NAME), lc_reason(LC_A_KILL));
    lc_sleep(10);
    show_children(sup);
    printf("t=%-5lld the old server %s\n", (long long)lc_now(),
           lc_alive(bob) ? "still runs" : "went down with the cache");
    show_entries("Bob's list", d);
    lc_unlink(sup); /* the supervisor's `shutdown` is not our end */
    lc_sup_stop(sup);
}
/* endregion */

int main(void)
{
    todo_log_set(say);
    return ex_run_in_folder(folder, sizeof folder, session);
}
