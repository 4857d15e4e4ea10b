/*
 * verdict.c - one status per test, from how its process ended.
 *
 * The only thing a test says about itself is the line the harness writes on
 * the grading channel after the test function has returned:
 *
 *     LCG1 <token> <pass|fail> <line> <file>\t<message>\n
 *
 * Everything else is read from the kernel: the wait status, whether the
 * watchdog killed it at the time limit, whether it left processes behind.
 * The order of the rules below matters: a process that was killed or that
 * forged the channel cannot pass, whatever it printed, and a test with no
 * verdict line did not finish, whatever its exit status.
 */
#include "grade.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define SAN_ASAN  86 /* exit statuses chosen in ASAN_OPTIONS ... */
#define SAN_UBSAN 87
#define SAN_LSAN  88

struct line {
    bool valid;
    bool pass;
    int lineno;
    char file[512];
    char msg[3072];
};

/* Exactly one well-formed line with our token, and nothing else. */
static struct line parse_channel(const struct gr_task *t)
{
    struct line l = { 0 };
    const char *v = t->out.verdict;
    const char *nl = strchr(v, '\n');
    if (t->out.verdict_overflow || nl == NULL || nl[1] != '\0' ||
        t->out.verdict_len != (int)(nl - v + 1)) {
        return l;
    }
    char head[64];
    int n = snprintf(head, sizeof head, "LCG1 %s ", t->token);
    if (strncmp(v, head, (size_t)n) != 0) {
        return l;
    }
    v += n;
    if (strncmp(v, "pass ", 5) == 0) {
        l.pass = true;
    } else if (strncmp(v, "fail ", 5) != 0) {
        return l;
    }
    v += 5;
    char *end;
    l.lineno = (int)strtol(v, &end, 10);
    if (end == v || *end != ' ') {
        return l;
    }
    v = end + 1;
    const char *tab = strchr(v, '\t');
    if (tab == NULL || tab > nl) {
        return l;
    }
    snprintf(l.file, sizeof l.file, "%.*s", (int)(tab - v), v);
    snprintf(l.msg, sizeof l.msg, "%.*s", (int)(nl - tab - 1), tab + 1);
    l.valid = true;
    return l;
}

/* The last lines of the test's output, to show with a crash. */
static char *tail_lines(const char *log, int max_lines)
{
    char *text = gr_read_tail(log, 8192);
    int n = 0;
    char *p = text + strlen(text);
    while (p > text && (p[-1] == '\n' || p[-1] == ' ')) {
        *--p = '\0';
    }
    while (p > text) {
        if (p[-1] == '\n' && ++n == max_lines) {
            break;
        }
        p--;
    }
    char *out = gr_xstrdup(p);
    free(text);
    return out;
}

/* The sanitizer's report: from its first "ERROR:" or "runtime error:". */
static char *sanitizer_excerpt(const char *log)
{
    char *text = gr_read_tail(log, 1 << 16);
    const char *marks[] = { "ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                            "runtime error:", NULL };
    char *from = NULL;
    for (int i = 0; marks[i] && from == NULL; i++) {
        from = strstr(text, marks[i]);
    }
    if (from == NULL) {
        free(text);
        return tail_lines(log, 20);
    }
    while (from > text && from[-1] != '\n') {
        from--;
    }
    char *p = from;
    for (int lines = 0; *p && lines < 24; p++) {
        lines += *p == '\n';
    }
    char *out = gr_xstrndup(from, (size_t)(p - from));
    free(text);
    return out;
}

static char *with_output(char *msg, const char *log, int lines)
{
    char *out = tail_lines(log, lines);
    if (*out == '\0') {
        free(out);
        return msg;
    }
    char *both = gr_fmt("%s\nLast output:\n%s", msg, out);
    free(out);
    free(msg);
    return both;
}

static char *signal_text(int sig)
{
    const char *abbrev = sigabbrev_np(sig);
    const char *desc = sigdescr_np(sig);
    return gr_fmt("signal %d (SIG%s, %s)", sig, abbrev ? abbrev : "?",
                  desc ? desc : "unknown");
}

static void killed_by_signal(struct gr_result *r, const struct gr_task *t,
                             const struct line *l)
{
    int sig = WTERMSIG(t->out.wstatus);
    char *what = signal_text(sig);
    if (sig == SIGXCPU) {
        r->status = GR_TIMEOUT;
        r->message = gr_fmt("used more than %ld s of CPU time (an endless "
                            "loop?)",
                            t->cpu);
    } else if (sig == SIGXFSZ) {
        r->status = GR_CRASH;
        r->message = gr_fmt("wrote more than %lld MiB (of output, or to a "
                            "file): the file-size limit stopped it with %s",
                            t->fsize >> 20, what);
    } else if (l->valid && !l->pass) {
        r->status = GR_FAIL;
        r->message = gr_fmt("%s:%d: %s\n(then the program crashed on %s)",
                            l->file, l->lineno, l->msg, what);
    } else {
        bool fault = sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE ||
                     sig == SIGILL;
        r->status = GR_CRASH;
        r->message = with_output(
                gr_fmt("crashed with %s%s%s", what,
                       l->valid ? ", after the test had passed" : "",
                       fault ? ", outside any process (in a constructor, an "
                               "exit hook or the scheduler: a fault inside "
                               "a process only ends that process)"
                             : ""),
                t->log, 8);
    }
    free(what);
}

static void exited(struct gr_result *r, const struct gr_task *t,
                   const struct line *l, bool san)
{
    int code = WEXITSTATUS(t->out.wstatus);
    bool san_code = code == SAN_ASAN || code == SAN_UBSAN || code == SAN_LSAN;
    if (l->valid && !l->pass) {
        r->status = GR_FAIL;
        /* The test's last lines: where "TODO(ch01): ... is not written
           yet" and the code's own prints are. */
        r->message = with_output(
                gr_fmt("%s:%d: %s", l->file, l->lineno, l->msg), t->log, 6);
    } else if (san && san_code) {
        r->status = GR_MEMORY;
        const char *kind = code == SAN_ASAN    ? "AddressSanitizer"
                           : code == SAN_UBSAN ? "UndefinedBehaviorSanitizer"
                                               : "LeakSanitizer";
        char *ex = sanitizer_excerpt(t->log);
        r->message = gr_fmt(
                "%s found %s:\n%s", kind,
                code == SAN_LSAN ? "a memory leak" : "a memory error", ex);
        free(ex);
    } else if (!l->valid) {
        r->status = GR_EARLY_EXIT;
        r->message = with_output(
                gr_fmt("the test process exited with status %d before the "
                       "test finished: exit() or _exit() in the code under "
                       "test (in a function, or in a constructor)?",
                       code),
                t->log, 6);
    } else if (code != 0) {
        r->status = GR_FAIL;
        r->message = gr_fmt("the test passed, then the program exited with "
                            "status %d (an atexit() handler or destructor "
                            "in the code under test?)",
                            code);
    } else if (t->out.strays > 0) {
        r->status = GR_FAIL;
        r->message = gr_fmt("the test passed but left %d process%s running "
                            "(the grader killed them): a process started "
                            "with fork() must not outlive the test",
                            t->out.strays, t->out.strays == 1 ? "" : "es");
    } else {
        r->status = GR_PASS;
        r->message = gr_xstrdup("");
    }
}

void gr_verdict(struct gr_result *r, const struct gr_task *t, bool san)
{
    const struct gr_outcome *o = &t->out;
    struct line l = parse_channel(t);
    bool forged = (o->verdict_len > 0 || o->verdict_overflow) && !l.valid;
    if (o->lost) {
        r->status = GR_FAIL;
        r->message = gr_xstrdup("the test killed the grader's watchdog (its "
                                "parent process): it counts as failed");
    } else if (o->error[0]) {
        r->status = GR_FAIL;
        r->message = gr_fmt("the grader could not run the test: %s", o->error);
    } else if (o->timed_out) {
        r->status = GR_TIMEOUT;
        r->message = with_output(
                gr_fmt("did not finish within %g s (an endless loop, or a "
                       "receive that waits forever with nothing to wake "
                       "it?)",
                       t->timeout),
                t->log, 4);
    } else if (forged) {
        r->status = GR_FAIL;
        r->message = with_output(
                gr_xstrdup("something other than the harness wrote on the "
                           "grading channel: the test counts as failed"),
                t->log, 6);
    } else if (WIFSIGNALED(o->wstatus)) {
        killed_by_signal(r, t, &l);
    } else {
        exited(r, t, &l, san);
    }
    if (r->status != GR_PASS && o->strays > 0 &&
        strstr(r->message, "left") == NULL) {
        char *m = gr_fmt("%s\n(it also left %d process%s running; the "
                         "grader killed them)",
                         r->message, o->strays, o->strays == 1 ? "" : "es");
        free(r->message);
        r->message = m;
    }
    r->score = r->status == GR_PASS ? r->test->points : 0;
    char *clean = gr_utf8_clean(r->message, strlen(r->message));
    free(r->message);
    r->message = clean;
}

const char *gr_status_name(enum gr_status s)
{
    static const char *const names[] = { "pass",      "fail",   "crash",
                                         "timeout",   "memory", "build",
                                         "early_exit" };
    return names[s];
}

const char *gr_status_label(enum gr_status s)
{
    static const char *const names[] = { "PASS",      "FAIL",   "CRASH",
                                         "TIMEOUT",   "MEMORY", "BUILD",
                                         "EARLY EXIT" };
    return names[s];
}
