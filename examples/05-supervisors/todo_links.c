/*
 * todo_links.c - chapter 5, stage todo_links: every to-do process linked
 * to the one that started it (the book's figure 8.4).
 *
 * The system is started by todo_system_start_link() (the chapter's
 * todo_system.c): the supervisor, the cache under it, and below the cache,
 * linked, the database, its workers and the servers. Kill the cache: the
 * links take everything under it down, the supervisor starts a clean
 * system, Bob's entries come back from their file -- and the number of
 * processes is what it was. Then a look at the file itself: plain text.
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

static void count(const char *note)
{
    printf("t=%-5lld processes: %zu%s\n", (long long)lc_now(),
           lc_proc_list(NULL, 0), note);
}

/* Print the list's file as it is on disk. */
static void cat(const char *list)
{
    char name[TODO_FILE_NAME_MAX], path[512], line[256];
    todo_file_name(list, name);
    snprintf(path, sizeof path, "%s/%s", folder, name);
    printf("t=%-5lld the file %s:\n", (long long)lc_now(), name);
    FILE *f = fopen(path, "r");
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        printf("          %s", line);
    }
    if (f != NULL) {
        fclose(f);
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

    struct todo_date d = todo_date(2026, 12, 19);
    todo_add("Bob's list", d, "Dentist", NULL);
    todo_add("Bob's list", d, "Movies at 8 pm", NULL);
    todo_add("Alice's list", d, "Piano lesson", NULL);
    lc_pid bob = todo_hooks()->server_process("Bob's list");
    show("server of Bob's list", bob);
    count("");
    ex_figure("05-supervisors-todo-links",
              &(struct lc_dot_opts){ .title = "Everything linked",
                                     .links = true,
                                     .supervision = true });

    say("kill todo_cache");
    lc_exit_signal(lc_whereis(TODO_CACHE_NAME), lc_reason(LC_A_KILL));
    lc_sleep(10);
    show("whereis(todo_cache)", lc_whereis(TODO_CACHE_NAME));
    printf("t=%-5lld the old server %s\n", (long long)lc_now(),
           lc_alive(bob) ? "still runs" : "went down with the cache");
    show_entries("Bob's list", d);
    show_entries("Alice's list", d);
    count(": as many as before, nothing dangles");
    cat("Bob's list");
    lc_unlink(sup); /* the supervisor's `shutdown` is not our end */
    lc_sup_stop(sup);
}
/* endregion */

int main(void)
{
    todo_log_set(say);
    return ex_run_in_folder(folder, sizeof folder, session);
}
