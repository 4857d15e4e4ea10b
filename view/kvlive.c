/*
 * kvlive.c - the KV store, live in a browser (chapter 10).
 *
 *     kvlive [--port N]      serve the live view on 127.0.0.1:N (default
 *                            8080; 0: any free port) and read commands
 *
 * It starts the kv application on the real clock, creates three buckets,
 * prints "view: http://127.0.0.1:N/" and then reads one command a line
 * from its input, so that a student (or a test) can break the store and
 * watch the page:
 *
 *     create NAME     a bucket
 *     crash NAME      kill bucket NAME: the registry forgets it
 *     kill NAME       kill a registered process (kv_registry, kv_bucket_sup,
 *                     kv_sup): one_for_all restarts the store
 *     svg FILE        write the current view as SVG
 *     version         print the version of the drawing
 *     quit            stop the application and leave (also end of input)
 *
 * Each command answers with one line starting "ok" or "error". Between
 * commands the program runs the system and calls lv_poll(), as any program
 * with a live view does.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lc/otp/application.h"
#include "lc/otp/links.h"
#include "lc/otp/names.h"
#include "lc/systems/kv.h"
#include "lc/view.h"

static char arg_name[KV_KEY_MAX];
static int outcome;

static void start_store(void *arg)
{
    static const char *const names[] = { "shopping", "milk", "books" };
    lc_app_load(&kv_app);
    outcome = lc_app_start("kv", LC_APP_TEMPORARY, NULL);
    for (size_t i = 0; outcome == 0 && i < 3; i++) {
        lc_pid b;
        outcome = kv_create(names[i], &b);
        kv_bucket_put(b, "first", names[i]);
    }
}

static void create(void *arg)
{
    outcome = kv_create(arg_name, NULL);
}

static void crash(void *arg)
{
    lc_pid b = kv_lookup(arg_name);
    outcome = b == LC_NOPID
                      ? LC_ENOENT
                      : lc_exit_signal(b, lc_reason(lc_atom_intern("boom")));
}

static void stop_store(void *arg)
{
    outcome = lc_app_stop("kv");
}

/* Run fn in a process of its own until the system is idle again. */
static int in_process(lc_proc_fn *fn)
{
    outcome = LC_ENOSYS;
    lc_spawn(fn, NULL);
    lc_run_until_idle();
    return outcome;
}

static void report(const char *what, int rc)
{
    if (rc < 0) {
        printf("error %s: %s\n", what, lc_strerror(rc));
    } else {
        printf("ok %s\n", what);
    }
}

static bool command(char *line)
{
    char verb[16] = "", name[KV_KEY_MAX] = "";
    if (sscanf(line, "%15s %31s", verb, name) < 1) {
        return true;
    }
    snprintf(arg_name, sizeof arg_name, "%s", name);
    if (strcmp(verb, "quit") == 0) {
        return false;
    } else if (strcmp(verb, "create") == 0) {
        report(line, in_process(create));
    } else if (strcmp(verb, "crash") == 0) {
        report(line, in_process(crash));
    } else if (strcmp(verb, "kill") == 0) {
        lc_pid p = lc_whereis(name);
        report(line,
               p == LC_NOPID ? LC_ENOENT : lc_kill(p, lc_reason(LC_A_KILL)));
    } else if (strcmp(verb, "svg") == 0) {
        report(line, lv_write_svg(name));
    } else if (strcmp(verb, "version") == 0) {
        printf("ok version %llu\n", (unsigned long long)lv_version());
    } else {
        printf("error unknown command '%s'\n", verb);
    }
    return true;
}

int main(int argc, char **argv)
{
    unsigned port = 8080;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
            port = (unsigned)strtoul(argv[++i], NULL, 10);
        } else {
            fprintf(stderr, "usage: kvlive [--port N]\n");
            return 2;
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct lc_config cfg = { .clock = LC_CLOCK_REAL };
    if (lc_init(&cfg) < 0 || in_process(start_store) < 0) {
        fprintf(stderr, "kvlive: cannot start the KV store\n");
        return 1;
    }
    if (lv_start(port, "the kv application") < 0) {
        fprintf(stderr, "kvlive: cannot serve on 127.0.0.1:%u\n", port);
        return 1;
    }
    printf("view: http://127.0.0.1:%u/\n", lv_port());
    char line[256];
    size_t len = 0;
    bool go = true;
    while (go) {
        lc_run_until_idle();
        lv_poll();
        struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
        if (poll(&p, 1, 50) <= 0) {
            continue;
        }
        ssize_t n = read(STDIN_FILENO, line + len, sizeof line - 1 - len);
        if (n <= 0) {
            break;
        }
        len += (size_t)n;
        line[len] = '\0';
        char *nl;
        while (go && (nl = strchr(line, '\n')) != NULL) {
            *nl = '\0';
            go = command(line);
            len -= (size_t)(nl + 1 - line);
            memmove(line, nl + 1, len + 1);
        }
        if (len == sizeof line - 1) {
            len = 0; /* a line too long: dropped */
        }
    }
    in_process(stop_store);
    lv_stop();
    lc_fini();
    return 0;
}
