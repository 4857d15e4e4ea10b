/*
 * error_kernel.c - chapter 9: expected and unexpected errors, and the
 * state that must not be lost.
 *
 * The whole system (todo_app_start_link()) on a fresh folder. A list that
 * has no file is simply empty: expected, handled where it happens. A save
 * that fails (the test's fault hook makes the disk say EIO) is not: the
 * client gets no "done", the server ends with a reason that names the
 * file, and the next request finds a new server holding exactly what the
 * disk holds -- the failed entry is not there, the next id is not
 * skipped. A corrupt file ends its list's server (once that server has
 * to read it: here after a kill), naming the file and the problem, every
 * time it is asked, and the other lists run on. Stop the
 * system and start it again: every acknowledged entry is back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "figure.h"
#include "lc/otp/exceptions.h"
#include "lc/otp/links.h"
#include "lc/otp/names.h"
#include "lc/otp/supervisor.h"
#include "lc/systems/todo.h"
#include "lc/systems/todo_app.h"

static char folder[256];
static const struct todo_date day = { 2026, 12, 19 };
static bool fail_next;

static void say(const char *line)
{
    printf("t=%-5lld %s\n", (long long)lc_now(), line);
}

static void show(const char *list)
{
    struct todo_entry e[8];
    volatile int n = -1;
    LC_TRY
    {
        n = todo_entries(list, day, e, 8);
    }
    LC_CATCH(LC_CLASS_EXIT, x)
    {
        char why[160];
        lc_reason_format(why, sizeof why, &x->reason);
        printf("t=%-5lld %s: the call failed: %s\n", (long long)lc_now(), list,
               why);
        lc_sleep(10); /* the supervisor's turn */
    }
    LC_END_TRY;
    for (int i = 0; i < n && i < 8; i++) {
        printf("t=%-5lld %s: #%u %s\n", (long long)lc_now(), list,
               (unsigned)e[i].id, e[i].title);
    }
    if (n == 0) {
        printf("t=%-5lld %s: no entries\n", (long long)lc_now(), list);
    }
}

static void add(const char *list, const char *title)
{
    uint32_t id = 0;
    volatile int rc = 1;
    LC_TRY
    {
        rc = todo_add(list, day, title, &id);
    }
    LC_CATCH(LC_CLASS_EXIT, x)
    {
        char why[160];
        lc_reason_format(why, sizeof why, &x->reason);
        printf("t=%-5lld add %s to %s: no answer: %s\n", (long long)lc_now(),
               title, list, why);
    }
    LC_END_TRY;
    if (rc == 0) {
        printf("t=%-5lld add %s to %s: done, #%u\n", (long long)lc_now(), title,
               list, (unsigned)id);
    }
}

/* The disk fails the next flush: what a full or failing disk does. */
static int disk(const char *file, enum todo_write_step step)
{
    if (fail_next && step == TODO_STEP_FSYNC) {
        fail_next = false;
        return EIO;
    }
    return 0;
}

static void corrupt(const char *list)
{
    char name[TODO_FILE_NAME_MAX], path[400];
    todo_file_name(list, name);
    snprintf(path, sizeof path, "%s/%s", folder, name);
    FILE *f = fopen(path, "r+");
    fseek(f, -3, SEEK_END); /* one letter of the last title */
    fputc('X', f);
    fclose(f);
    printf("t=%-5lld (one byte of %s changed on disk)\n", (long long)lc_now(),
           name);
}

/* region: session */
static void session(void *arg)
{
    lc_trap_exit(true);
    struct todo_config cfg;
    todo_config_init(&cfg, folder);
    lc_pid sup;
    todo_app_start_link(&cfg, &sup);
    printf("stage: %s\n", todo_stage_latest()->name);
    show("Bob's list"); /* no file yet: an empty list */
    add("Bob's list", "Dentist");
    add("Alice's list", "Piano");

    todo_file_fault_set(disk);
    fail_next = true;
    add("Bob's list", "Movies"); /* the save fails: no answer */
    lc_sleep(10);
    show("Bob's list"); /* a new server, what the disk holds */
    add("Bob's list", "Theatre");

    corrupt("Alice's list");
    /* Alice's server holds a good copy in memory; a new one must read
       the file. */
    lc_exit_signal(todo_hooks()->server_process("Alice's list"),
                   lc_reason(LC_A_KILL));
    lc_sleep(10);
    add("Alice's list", "Violin");
    lc_sleep(10);
    show("Alice's list"); /* fails again: never read as a shorter list */
    show("Bob's list");   /* the rest runs on */

    say("stop the system, start it again");
    lc_exit_signal(sup, lc_reason(LC_A_SHUTDOWN));
    lc_msg_free(lc_receive_tag(LC_TAG_EXIT, LC_INFINITY));
    todo_app_start_link(&cfg, &sup);
    show("Bob's list");
    ex_figure("09-todo-system-tree",
              &(struct lc_dot_opts){ .title = "The whole system",
                                     .links = true,
                                     .supervision = true });
    lc_exit_signal(sup, lc_reason(LC_A_SHUTDOWN));
    lc_msg_free(lc_receive_tag(LC_TAG_EXIT, LC_INFINITY));
}
/* endregion */

int main(void)
{
    const char *t = getenv("TMPDIR");
    if (t == NULL || *t == '\0') {
        t = access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
    }
    snprintf(folder, sizeof folder, "%s/lc-todo.XXXXXX", t);
    if (mkdtemp(folder) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    todo_log_set(say);
    lc_init(NULL);
    lc_spawn(session, NULL);
    lc_run();
    lc_fini();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", folder);
    return system(cmd) == 0 ? 0 : 1;
}
