/*
 * todo_pool.c - chapter 7, stage pool_supervision: the database workers
 * under a supervisor of their own, each registered as {worker,id}, and
 * the lists' servers finding their worker by key (the book's figure 9.4).
 *
 * Kill the worker that keeps Bob's list: its supervisor starts a new one
 * under the same key, the other workers, the cache and Bob's server keep
 * their pids, and the next entry is saved through the new worker.
 */
#include <stdio.h>

#include "figure.h"
#include "scratch.h"
#include "todo_show.h"
#include "lc/otp/links.h"
#include "lc/otp/names.h"
#include "lc/otp/registry.h"
#include "lc/otp/supervisor.h"
#include "lc/systems/todo.h"

static char folder[64];

static void show_workers(void)
{
    lc_pid reg = lc_whereis(TODO_REGISTRY_NAME);
    printf("t=%-5lld", (long long)lc_now());
    for (int i = 1; i <= 3; i++) {
        char key[LC_REG_KEY_MAX], p[32];
        lc_reg_key_int(key, "worker", i);
        lc_pid_format(p, sizeof p, lc_reg_whereis(reg, key));
        printf(" %s %s%s", key, p, i < 3 ? "," : "\n");
    }
}

/* region: session */
static void session(void *arg)
{
    lc_proc_set_name(lc_self(), "session");
    struct todo_config cfg;
    todo_config_init(&cfg, folder);
    lc_pid sup;
    todo_pool_system_start_link(&cfg, &sup);
    show_workers();

    struct todo_date d = todo_date(2026, 12, 19);
    todo_add("Bob's list", d, "Dentist", NULL);
    todo_add("Alice's list", d, "Piano", NULL);
    int w = todo_worker_for("Bob's list", 3);
    printf("t=%-5lld Bob's list is kept by {worker,%d}\n", (long long)lc_now(),
           w);
    lc_pid bob = todo_hooks()->server_process("Bob's list");
    show("server of Bob's list", bob);
    show("todo_cache", lc_whereis(TODO_CACHE_NAME));
    ex_figure("07-registries-todo-pool",
              &(struct lc_dot_opts){ .title = "The pool under its supervisor",
                                     .supervision = true,
                                     .registrations = true });

    printf("t=%-5lld kill {worker,%d}\n", (long long)lc_now(), w);
    lc_exit_signal(todo_pool_worker_of("Bob's list"), lc_reason(LC_A_KILL));
    lc_sleep(10);
    show_workers();
    show("server of Bob's list", todo_hooks()->server_process("Bob's list"));
    show("todo_cache", lc_whereis(TODO_CACHE_NAME));
    todo_add("Bob's list", d, "Movies", NULL);
    printf("t=%-5lld Bob's list on 2026-12-19: %d entries\n",
           (long long)lc_now(), todo_entries("Bob's list", d, NULL, 0));
    lc_unlink(sup); /* the supervisor's `shutdown` is not our end */
    lc_sup_stop(sup);
}
/* endregion */

int main(void)
{
    todo_log_set(say);
    return ex_run_in_folder(folder, sizeof folder, session);
}
