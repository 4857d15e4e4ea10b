/*
 * lcsh.c - the kit's shell: start a system, then look at it and poke it
 * while it runs, as the seeds do in iex.
 *
 *     lcsh                  interactive, real clock, line editing
 *     lcsh --virtual        interactive, the clock moves only by `advance`
 *     lcsh -f FILE          run the commands of FILE and print the session
 *                           as a transcript (virtual clock: the same every
 *                           time, which is how the chapters' sessions are
 *                           tested)
 *
 * The system runs under the prompt: between two commands the program runs
 * every process that can run (and, with the real clock, the timers that
 * fall due), and reads the next command only when all of them wait -- the
 * schedule a student sees here is the schedule the tests use. A command is
 * a message to the shell process (shell.h); the program runs the system
 * until that process has finished the command. A command that waits longer
 * than an hour of virtual time, or is interrupted with Ctrl-C, ends the
 * shell process with `interrupted`, and a new one takes its place.
 */
#include "shell.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>

#include "lc/view.h"

#define TAG_LINE    999999999 /* a command line, to the shell process */
#define PROMPT      "lcsh> "
#define STEP_MS     100           /* virtual time per step of a wait */
#define MAX_WAIT_MS (3600 * 1000) /* a command gives up after this */

static struct {
    bool virtual_clock;
    bool echo; /* print "lcsh> command" (scripts) */
    bool tty;  /* line editing on a terminal */
    bool quit;
    lc_pid shell;               /* the shell process */
    volatile bool busy;         /* it runs a command */
    struct lc_reason shell_end; /* how the last shell process ended */
    volatile sig_atomic_t interrupted;
    char history[4096];
} S;

bool sh_virtual_clock(void)
{
    return S.virtual_clock;
}

/* --- The shell process -------------------------------------------------- */

static void shell_main(void *arg)
{
    for (;;) {
        struct lc_msg *m = lc_receive_tag(TAG_LINE, LC_INFINITY);
        sh_run_line((char *)m->data);
        lc_msg_free(m);
        fflush(stdout);
        S.busy = false;
    }
}

static void on_exit_hook(lc_pid pid, const struct lc_reason *why)
{
    if (pid == S.shell) {
        S.shell_end = *why;
    }
}

static void start_shell_process(void)
{
    struct lc_spawn_opts o = { .name = "shell" };
    if (lc_spawn_opt(&S.shell, shell_main, NULL, &o) < 0) {
        fprintf(stderr, "lcsh: cannot start the shell process\n");
        exit(1);
    }
    S.busy = false;
    lc_run_until_idle();
}

/* The shell process ended (a signal from a link, a kill...): say so, as
   iex does, and start another. The system goes on. */
static void replace_shell_process(void)
{
    char why[160];
    lc_reason_format(why, sizeof why, &S.shell_end);
    printf("** (EXIT from %s) the shell process ended: %s; a new one takes "
           "its place\n",
           sh_pidstr(S.shell), why);
    start_shell_process();
}

/* Run the system until the shell process has finished its command. */
static void drive(void)
{
    int64_t waited = 0;
    for (;;) {
        lc_run_until_idle();
        lv_poll(); /* the live view, if one is served */
        if (!lc_alive(S.shell)) {
            replace_shell_process();
            return;
        }
        if (!S.busy) {
            return;
        }
        if (S.interrupted || waited >= MAX_WAIT_MS) {
            S.interrupted = 0;
            printf("** the command %s: interrupted\n",
                   waited >= MAX_WAIT_MS ? "still waited after an hour of "
                                           "virtual time"
                                         : "was stopped");
            lc_kill(S.shell, lc_reason(lc_atom_intern("interrupted")));
            continue;
        }
        if (S.virtual_clock) {
            lc_advance(STEP_MS); /* the command waits for time to pass */
            waited += STEP_MS;
        } else {
            poll(NULL, 0, 10);
        }
    }
}

static void execute(const char *line);

/* "repeat N COMMAND": the command N times, the system running until every
   process waits between two of them (a supervisor restarts what the last
   one killed before the next one looks for it). */
static bool repeat(const char *s)
{
    char *rest;
    if (strncmp(s, "repeat", 6) != 0 || (s[6] != ' ' && s[6] != '\t')) {
        return false;
    }
    s += 6 + strspn(s + 6, " \t");
    bool quiet = strncmp(s, "-q", 2) == 0 && (s[2] == ' ' || s[2] == '\t');
    if (quiet) {
        s += 2;
    }
    errno = 0;
    long n = strtol(s, &rest, 10);
    rest += strspn(rest, " \t");
    if (errno != 0 || n < 1 || n > 1000000 || *rest == '\0' || rest == s) {
        printf("** repeat: say `repeat [-q] N COMMAND`, N from 1 to "
               "1000000\n");
        return true;
    }
    /* -q: the output of the repeated command goes nowhere (stdout is put
       back after: the session goes on as before). */
    int saved = -1;
    fflush(stdout);
    if (quiet && (saved = dup(STDOUT_FILENO)) >= 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        close(null);
    }
    for (long i = 0; i < n && !S.quit; i++) {
        execute(rest);
    }
    fflush(stdout);
    if (saved >= 0) {
        dup2(saved, STDOUT_FILENO);
        close(saved);
    }
    return true;
}

static void execute(const char *line)
{
    const char *s = line + strspn(line, " \t");
    if (repeat(s)) {
        return;
    }
    if (strncmp(s, "quit", 4) == 0 && strspn(s + 4, " \t\n") == strlen(s + 4)) {
        S.quit = true;
        return;
    }
    if (*s == '\0' || *s == '\n') {
        return;
    }
    S.busy = true;
    lc_send(S.shell, TAG_LINE, s, strlen(s) + 1);
    drive();
    fflush(stdout);
}

/* --- Scripts and pipes --------------------------------------------------- */

static int run_stream(FILE *in)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while (!S.quit && (n = getline(&line, &cap, in)) >= 0) {
        if (n > 0 && line[n - 1] == '\n') {
            line[n - 1] = '\0';
        }
        if (S.echo) {
            printf(line[0] == '#' || line[0] == '\0' ? "%s\n" : PROMPT "%s\n",
                   line);
        }
        if (line[0] != '#') {
            execute(line);
        }
    }
    free(line);
    return 0;
}

/* --- The terminal: line editing, history, completion -------------------- */

/*
 * At a terminal, a second thread reads the lines (libedit's readline(),
 * with its editing, history and completion) while this one runs the
 * system, so the system keeps running under the prompt: timers fire and
 * processes restart while the user types. The two threads share only a
 * pipe (lines in), a condition (prompt again: the last command is over)
 * and a snapshot of the names to complete, under a mutex; the kernel is
 * touched by this thread alone.
 */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t go; /* the reader may prompt again */
    bool may_prompt;
    int pipe[2];       /* reader -> main: one line per write */
    char *names[4096]; /* completion candidates, from the main thread */
    size_t nnames;
    size_t ncommands; /* the first ones: command names */
} T = { .lock = PTHREAD_MUTEX_INITIALIZER, .go = PTHREAD_COND_INITIALIZER };

static void add_name(const char *name, void *ctx)
{
    if (T.nnames < 4096) {
        T.names[T.nnames++] = strdup(name);
    }
}

/* The names completion offers: commands, process names, common words.
   Taken by the main thread, which alone may look at the processes. */
static void snapshot_names(void)
{
    static const char *const words[] = {
        "idle",        "crasher",     "trapper",      "echo", "counter",
        "kill",        "shutdown",    "normal",       "on",   "off",
        "one_for_one", "one_for_all", "rest_for_one", "get",  "add",
        "crash",       "stop"
    };
    pthread_mutex_lock(&T.lock);
    for (size_t i = 0; i < T.nnames; i++) {
        free(T.names[i]);
    }
    T.nnames = 0;
    sh_each_command(add_name, NULL);
    T.ncommands = T.nnames;
    sh_each_process_name(add_name, NULL);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        add_name(words[i], NULL);
    }
    pthread_mutex_unlock(&T.lock);
}

static bool first_word;

static char *next_candidate(const char *text, int state)
{
    static size_t next;
    if (state == 0) {
        next = 0;
    }
    char *found = NULL;
    pthread_mutex_lock(&T.lock);
    size_t ncommands = T.ncommands;
    size_t end = first_word ? ncommands : T.nnames;
    while (found == NULL && next < end) {
        const char *n = T.names[next++];
        bool dup = false;
        for (size_t k = first_word ? 0 : ncommands; k < next - 1 && !dup; k++) {
            dup = strcmp(T.names[k], n) == 0;
        }
        if (!dup && (first_word || next > ncommands) &&
            strncmp(n, text, strlen(text)) == 0) {
            found = strdup(n);
        }
    }
    pthread_mutex_unlock(&T.lock);
    return found;
}

static char **complete(const char *text, int start, int end)
{
    first_word = strspn(rl_line_buffer, " \t") >= (size_t)start;
    rl_attempted_completion_over = 1; /* never complete file names */
    return rl_completion_matches(text, next_candidate);
}

static void *reader(void *arg)
{
    for (;;) {
        pthread_mutex_lock(&T.lock);
        while (!T.may_prompt) {
            pthread_cond_wait(&T.go, &T.lock);
        }
        T.may_prompt = false;
        pthread_mutex_unlock(&T.lock);
        char *line = readline(PROMPT);
        if (line == NULL) { /* Ctrl-D */
            close(T.pipe[1]);
            return NULL;
        }
        if (line[strspn(line, " \t")] != '\0') {
            add_history(line);
        }
        size_t n = strlen(line);
        line[n] = '\n'; /* a line never holds one: readline drops it */
        if (write(T.pipe[1], line, n + 1) != (ssize_t)(n + 1)) {
            close(T.pipe[1]);
            return NULL;
        }
        free(line);
    }
}

static void let_reader_prompt(void)
{
    snapshot_names();
    pthread_mutex_lock(&T.lock);
    T.may_prompt = true;
    pthread_cond_signal(&T.go);
    pthread_mutex_unlock(&T.lock);
}

static void on_sigint(int sig)
{
    S.interrupted = 1;
}

/* The lines the reader sent: run each. Returns false at end of input. */
static bool take_lines(void)
{
    static char buf[8192];
    static size_t len;
    ssize_t n = read(T.pipe[0], buf + len, sizeof buf - 1 - len);
    if (n <= 0) {
        return false;
    }
    len += (size_t)n;
    char *nl;
    while ((nl = memchr(buf, '\n', len)) != NULL) {
        *nl = '\0';
        execute(buf);
        size_t used = (size_t)(nl + 1 - buf);
        memmove(buf, nl + 1, len - used);
        len -= used;
        if (!S.quit) {
            let_reader_prompt();
        }
    }
    if (len == sizeof buf - 1) { /* a line longer than any command */
        len = 0;
        printf("** lcsh: that line is too long\n");
        let_reader_prompt();
    }
    return true;
}

static int run_terminal(void)
{
    const char *home = getenv("HOME");
    if (home != NULL) {
        snprintf(S.history, sizeof S.history, "%s/.lcsh_history", home);
        read_history(S.history);
    }
    rl_attempted_completion_function = complete;
    signal(SIGINT, on_sigint);
    printf("lcsh: the Let It Crash shell, %s clock. `help` lists the "
           "commands; Tab completes; Ctrl-D leaves.\n",
           S.virtual_clock ? "virtual" : "real");
    pthread_t tid;
    if (pipe(T.pipe) != 0 || pthread_create(&tid, NULL, reader, NULL) != 0) {
        fprintf(stderr, "lcsh: cannot start the terminal reader\n");
        return 1;
    }
    let_reader_prompt();
    while (!S.quit) {
        lc_run_until_idle();
        lv_poll(); /* the live view, if one is served */
        if (!lc_alive(S.shell)) {
            printf("\n");
            replace_shell_process();
        }
        S.interrupted = 0; /* Ctrl-C at the prompt: nothing runs */
        struct pollfd p = { .fd = T.pipe[0], .events = POLLIN };
        if (poll(&p, 1, S.virtual_clock ? -1 : 10) > 0 && !take_lines()) {
            printf("\n");
            break; /* Ctrl-D */
        }
    }
    if (S.history[0] != '\0') {
        write_history(S.history);
    }
    /* The reader may sit in readline() after `quit`: end without it. */
    return 0;
}

/* --- Main ---------------------------------------------------------------- */

static void usage(FILE *out)
{
    fprintf(out, "usage: lcsh [--virtual | --real] [--seed N] [-f FILE]\n"
                 "  -f FILE     run the commands in FILE, print the session\n"
                 "  --virtual   the clock moves only with `advance` (default "
                 "with -f)\n"
                 "  --real      the clock is the real one (default at a "
                 "terminal)\n"
                 "  --seed N    run processes in a random order from seed N\n");
}

int main(int argc, char **argv)
{
    const char *file = NULL;
    int clock = -1;
    struct lc_config cfg = { 0 };
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-f") == 0 && i + 1 < argc) {
            file = argv[++i];
        } else if (strcmp(argv[i], "--virtual") == 0) {
            clock = LC_CLOCK_VIRTUAL;
        } else if (strcmp(argv[i], "--real") == 0) {
            clock = LC_CLOCK_REAL;
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            cfg.chaos = true;
            cfg.seed = strtoull(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "-h") == 0 ||
                   strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "lcsh: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    FILE *in = stdin;
    if (file != NULL && (in = fopen(file, "r")) == NULL) {
        fprintf(stderr, "lcsh: cannot read %s: %s\n", file, strerror(errno));
        return 2;
    }
    S.tty = file == NULL && isatty(STDIN_FILENO);
    S.echo = file != NULL;
    S.virtual_clock = clock >= 0 ? clock == LC_CLOCK_VIRTUAL : !S.tty;
    cfg.clock = S.virtual_clock ? LC_CLOCK_VIRTUAL : LC_CLOCK_REAL;
    setvbuf(stdout, NULL, S.tty ? _IONBF : _IOLBF, 0);
    if (lc_init(&cfg) < 0 || lc_exit_hook_add(on_exit_hook) < 0) {
        fprintf(stderr, "lcsh: cannot start the runtime\n");
        return 1;
    }
    start_shell_process();
    int rc = S.tty ? run_terminal() : run_stream(in);
    if (in != stdin) {
        fclose(in);
    }
    lv_stop();
    lc_fini();
    return rc;
}
