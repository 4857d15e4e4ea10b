/*
 * todo-cli.c - the to-do system as a small program, for the chaos test
 * (tools/chaos.py) and for the storm over many seeds (make chaos).
 *
 *     todo-cli DIR             run the system on folder DIR; commands on
 *                              stdin, one a line:
 *         add LIST YYYY-MM-DD TITLE   -> "ok LIST ID TITLE" once on disk
 *         list LIST YYYY-MM-DD        -> "ID DATE TITLE" lines, then "end"
 *         kill NAME                   -> kill the process named NAME...
 *     todo-cli --storm FIRST [COUNT [FAULTS]]
 *                              run the storm (todo_app.h) over seeds
 *                              FIRST.. in a scratch folder; one line for a
 *                              failing seed, a summary line at the end
 *
 * The acknowledgement line of an add is written, and flushed, only after
 * todo_add() has returned 0 -- that is, after the list's file was renamed
 * into place and its folder flushed. So a driver that kills this program
 * at any moment may count every "ok" it has read as a promise to check
 * against the files. Lists are single words here (the driver's choice);
 * the system takes any name.
 *
 * The runtime runs with the virtual clock, one command at a time: main()
 * reads a line, spawns a process for it, and runs the system until it is
 * idle again; a process that owns the system (linked to its root) waits in
 * between, so the system lives from one command to the next.
 */
#include "lc/lc.h"
#include "lc/otp/exceptions.h"
#include "lc/otp/links.h"
#include "lc/systems/todo.h"
#include "lc/systems/todo_app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct todo_config cfg;
static lc_pid root;
static int start_rc = 1;
static char line[512];

/* Owns the system: starts it, then waits until told to stop it. */
static void owner(void *arg)
{
    lc_trap_exit(true);
    start_rc = todo_app_start_link(&cfg, &root);
    if (start_rc < 0) {
        return;
    }
    lc_msg_free(lc_receive_tag(1, LC_INFINITY));
    lc_exit_signal(root, lc_reason(LC_A_SHUTDOWN));
    lc_msg_free(lc_receive_tag(LC_TAG_EXIT, LC_INFINITY));
}

static void kill_named(const char *name)
{
    lc_pid pids[1024];
    size_t n = lc_proc_list(pids, 1024);
    for (size_t i = 0; i < n && i < 1024; i++) {
        struct lc_info in;
        if (lc_proc_info(pids[i], &in) == 0 && in.name != NULL &&
            strncmp(in.name, name, strlen(name)) == 0) {
            lc_exit_signal(pids[i], lc_reason(LC_A_KILL));
            printf("killed %s\n", in.name);
            return;
        }
    }
    printf("error no process %s\n", name);
}

static void list(const char *l, struct todo_date d)
{
    static struct todo_entry e[4096];
    int n = todo_entries(l, d, e, 4096);
    for (int i = 0; i < n && i < 4096; i++) {
        char date[16];
        todo_date_format(date, sizeof date, e[i].date);
        printf("%u %s %s\n", (unsigned)e[i].id, date, e[i].title);
    }
    printf(n < 0 ? "error %s\n" : "end\n", lc_err_name(n));
}

/* One command line, in a process of its own: a crash of the call it
   makes ends this process only, and the line's answer says so. */
static void command(void *arg)
{
    char verb[16], l[TODO_NAME_MAX + 1], date[16];
    int at = 0;
    struct todo_date d = { 0 };
    if (sscanf(line, "%15s %64s %15s %n", verb, l, date, &at) < 2) {
        printf("error bad command\n");
    } else if (strcmp(verb, "kill") == 0) {
        kill_named(l);
    } else if (todo_date_parse(date, &d) < 0) {
        printf("error bad date\n");
    } else if (strcmp(verb, "list") == 0) {
        list(l, d);
    } else if (strcmp(verb, "add") == 0 && at > 0) {
        uint32_t id = 0;
        line[strcspn(line, "\n")] = '\0';
        int rc = todo_add(l, d, line + at, &id);
        if (rc == 0) {
            printf("ok %s %u %s\n", l, (unsigned)id, line + at);
        } else {
            printf("error %s\n", lc_err_name(rc));
        }
    } else {
        printf("error bad command\n");
    }
    fflush(stdout);
}

static void on_crash(lc_pid pid, const struct lc_reason *why)
{
    /* nothing: a command whose call failed printed nothing; the driver
       reads no "ok" for it */
}

static int serve(const char *folder)
{
    if (todo_config_init(&cfg, folder) < 0) {
        fprintf(stderr, "todo-cli: bad folder %s\n", folder);
        return 2;
    }
    lc_init(NULL);
    lc_exit_hook_add(on_crash);
    lc_pid own = lc_spawn(owner, NULL);
    lc_run();
    if (start_rc < 0) {
        fprintf(stderr, "todo-cli: the system did not start: %s\n",
                lc_err_name(start_rc));
        lc_fini();
        return 1;
    }
    while (fgets(line, sizeof line, stdin) != NULL) {
        lc_spawn(command, NULL);
        lc_run();
        fflush(stdout);
    }
    lc_send(own, 1, NULL, 0);
    lc_run();
    lc_fini();
    return 0;
}

static double seconds(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int storm(uint64_t first, uint64_t count, int faults)
{
    /* $TMPDIR, or memory: the storm is about processes, not a disk */
    const char *t = getenv("TMPDIR");
    if (t == NULL || *t == '\0') {
        t = access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
    }
    char folder[256];
    long acked = 0, bad = 0, injected = 0, unconfirmed = 0;
    double w0 = seconds(CLOCK_MONOTONIC),
           c0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
    for (uint64_t s = first; s < first + count; s++) {
        snprintf(folder, sizeof folder, "%s/lc-storm.XXXXXX", t);
        if (mkdtemp(folder) == NULL) {
            perror("todo-cli: mkdtemp");
            return 2;
        }
        struct todo_storm_opts o = { .seed = s,
                                     .folder = folder,
                                     .start = todo_app_start_link,
                                     .faults = faults };
        struct todo_storm_result r;
        if (todo_storm_run(&o, &r) != 0) {
            printf("storm seed %llu: %s\n", (unsigned long long)s, r.problem);
            bad++;
        }
        acked += r.acked;
        unconfirmed += r.unconfirmed;
        for (int k = 0; k < TODO_FAULT_KINDS; k++) {
            injected += r.faults[k];
        }
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", folder);
        if (system(cmd) != 0) {
            fprintf(stderr, "todo-cli: could not remove %s\n", folder);
        }
    }
    double wall = seconds(CLOCK_MONOTONIC) - w0;
    double cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
    printf("storm: %llu seeds, %ld faults, %ld acknowledged adds, %ld "
           "unanswered, %ld seeds failed; %.0f acknowledged adds/s "
           "(%.1f s wall, %.1f s CPU), stage %s\n",
           (unsigned long long)count, injected, acked, unconfirmed, bad,
           acked / (wall > 0 ? wall : 1), wall, cpu, todo_stage_latest()->name);
    return bad == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "--storm") == 0) {
        return storm(strtoull(argv[2], NULL, 10),
                     argc > 3 ? strtoull(argv[3], NULL, 10) : 1,
                     argc > 4 ? atoi(argv[4]) : 0);
    }
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: todo-cli DIR | todo-cli --storm FIRST "
                        "[COUNT [FAULTS]]\n");
        return 2;
    }
    return serve(argv[1]);
}
