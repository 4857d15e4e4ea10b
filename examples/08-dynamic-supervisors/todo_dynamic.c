/*
 * todo_dynamic.c - chapter 8, stage dynamic_workers: the cache is a
 * dynamic supervisor of to-do servers (the book's figure 9.5).
 *
 * Each list's server starts on the list's first use, under the cache,
 * registered as {server,List}. Kill Bob's server: nothing restarts it,
 * the other servers go on; the next time someone asks for Bob's list a
 * new server starts and reads the list back from its file.
 */
#include <stdio.h>

#include "figure.h"
#include "scratch.h"
#include "todo_show.h"
#include "lc/otp/dynamic_supervisor.h"
#include "lc/otp/links.h"
#include "lc/otp/names.h"
#include "lc/otp/supervisor.h"
#include "lc/systems/todo.h"

static char folder[64];

static void show_servers(void)
{
    struct lc_dynsup_child_info c[8];
    size_t n = lc_dynsup_which_children(lc_whereis(TODO_CACHE_NAME), c, 8);
    printf("t=%-5lld servers under todo_cache, newest first:",
           (long long)lc_now());
    for (size_t i = 0; i < n && i < 8; i++) {
        char p[32];
        lc_pid_format(p, sizeof p, c[i].pid);
        printf(" %s", p);
    }
    printf("%s\n", n == 0 ? " none" : "");
}

/* region: session */
static void session(void *arg)
{
    lc_proc_set_name(lc_self(), "session");
    struct todo_config cfg;
    todo_config_init(&cfg, folder);
    lc_pid sup;
    todo_dynamic_system_start_link(&cfg, &sup);
    show_servers();

    struct todo_date d = todo_date(2026, 12, 19);
    todo_add("Bob's list", d, "Dentist", NULL);
    todo_add("Bob's list", d, "Movies", NULL);
    todo_add("Ann's list", d, "Gym", NULL);
    todo_add("Cid's list", d, "Piano", NULL);
    show_servers();
    lc_pid bob = todo_hooks()->server_process("Bob's list");
    show("server of Bob's list", bob);
    ex_figure("08-dynamic-supervisors-todo",
              &(struct lc_dot_opts){ .title = "The dynamic to-do tree",
                                     .supervision = true,
                                     .legend = true });

    say("kill the server of Bob's list");
    lc_exit_signal(bob, lc_reason(LC_A_KILL));
    lc_sleep(10);
    show_servers();
    show_entries("Bob's list", d);
    show("server of Bob's list", todo_hooks()->server_process("Bob's list"));
    show_servers();
    lc_unlink(sup); /* the supervisor's `shutdown` is not our end */
    lc_sup_stop(sup);
}
/* endregion */

int main(void)
{
    todo_log_set(say);
    return ex_run_in_folder(folder, sizeof folder, session);
}
