/*
 * grade.c - the grader's command line: grade one submission, a whole class,
 * or one test; list the tests; check the kit.
 *
 *     grader/grade [CHAPTER...] [options]      (grader/grade --help)
 *
 * The grader finds the kit from its own location (/proc/self/exe), so it
 * works from any directory and in the student edition. It exits 0 whenever
 * grading ran, whatever the score: a failing test is a result, not an
 * error. Non-zero means grading could not run -- a usage mistake (2), or a
 * kit that does not build or whose rubrics are wrong (1) -- and always comes
 * with a one-line reason.
 */
#include "grade.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gr-config.h"

#define TEST_FSIZE (16LL << 20) /* largest file a test may write */
#define SAN_SLOWER 3.0          /* sanitizer builds get longer time limits */

extern char **environ;

static const char usage[] =
        "usage: grader/grade [CHAPTER...] [options]\n"
        "\n"
        "Grades the exercises of this kit: every chapter, or the ones named\n"
        "(3, 03 and 03-monitors all name chapter 3). Exit status 0 whenever\n"
        "grading ran, whatever the score.\n"
        "\n"
        "What to grade:\n"
        "  --submission DIR   a student's exercises folder (DIR/NN-slug/ or\n"
        "                     DIR/exercises/NN-slug/) instead of exercises/\n"
        "  --solutions        the reference solutions\n"
        "  --catch-up LIST    link these earlier chapters (e.g. 1,2) from the\n"
        "                     reference where later chapters use them\n"
        "  --batch DIR        every subfolder of DIR is one student's\n"
        "                     submission: a report each and a gradebook\n"
        "  --jobs N           processes at a time (default: CPUs)\n"
        "  --hidden DIR       add an instructor's suites: DIR/tests/NN-slug.c\n"
        "                     and DIR/rubric/NN-slug.rubric\n"
        "  --san              AddressSanitizer + UBSan build (or SAN=1):\n"
        "                     memory errors and leaks become failures\n"
        "  --timeout-scale X  multiply every time limit by X (or\n"
        "                     LC_TIMEOUT_SCALE=X) on a slow machine\n"
        "\n"
        "Reports:\n"
        "  --format F         text (default), json, gradescope, autolab,\n"
        "                     junit, tap or csv\n"
        "  --out FILE         write the report to FILE (with --batch: the\n"
        "                     folder for the gradebook and the reports)\n"
        "  --color WHEN       auto (default: only on a terminal), always, "
        "never\n"
        "  --brief            text: the table only\n"
        "\n"
        "Other:\n"
        "  --list             chapters, tests, titles and points\n"
        "  --test NAME        run one test and show all its output\n"
        "  --check-kit        check the rubrics against the tests (for the "
        "kit)\n"
        "  --quiet            no progress lines on stderr\n"
        "  --keep             keep the private build tree and every log\n"
        "  --help, --version\n";

/* --- The command line ----------------------------------------------------- */

struct cli {
    struct gr_opts o;
    struct gr_strv chapters, catch_up_words;
    const char *submission, *batch, *hidden, *out, *test;
    bool solutions, list, check, san, brief;
    const struct gr_format *format;
    enum {
        COLOUR_AUTO,
        COLOUR_NEVER,
        COLOUR_ALWAYS
    } colour;
};

__attribute__((noreturn, format(printf, 1, 2))) static void
usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("grade: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs(" (see grader/grade --help)\n", stderr);
    va_end(ap);
    exit(2);
}

static double parse_positive(const char *opt, const char *s)
{
    char *end;
    double x = strtod(s, &end);
    if (end == s || *end != '\0' || !(x > 0) || x > 1000) {
        usage_error("%s wants a positive number, not '%s'", opt, s);
    }
    return x;
}

/* The value of option argv[*i] ("--opt VALUE" or "--opt=VALUE"). */
static const char *value(int argc, char **argv, int *i, const char *name)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (a[n] == '=') {
        return a + n + 1;
    }
    if (*i + 1 >= argc) {
        usage_error("%s needs a value", name);
    }
    return argv[++*i];
}

static bool is_opt(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

static void parse_value_opt(struct cli *c, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (is_opt(a, "--submission")) {
        c->submission = value(argc, argv, i, "--submission");
    } else if (is_opt(a, "--catch-up")) {
        gr_split_words(value(argc, argv, i, "--catch-up"), &c->catch_up_words);
    } else if (is_opt(a, "--batch")) {
        c->batch = value(argc, argv, i, "--batch");
    } else if (is_opt(a, "--jobs") || is_opt(a, "-j")) {
        const char *v = value(argc, argv, i, a[1] == 'j' ? "-j" : "--jobs");
        c->o.jobs = (int)parse_positive("--jobs", v);
    } else if (is_opt(a, "--hidden")) {
        c->hidden = value(argc, argv, i, "--hidden");
    } else if (is_opt(a, "--format")) {
        const char *f = value(argc, argv, i, "--format");
        c->format = gr_format_find(f);
        if (c->format == NULL) {
            usage_error("unknown format '%s' (%s)", f, gr_format_names());
        }
    } else if (is_opt(a, "--out")) {
        c->out = value(argc, argv, i, "--out");
    } else if (is_opt(a, "--test")) {
        c->test = value(argc, argv, i, "--test");
    } else if (is_opt(a, "--timeout-scale")) {
        c->o.timeout_scale = parse_positive(
                "--timeout-scale", value(argc, argv, i, "--timeout-scale"));
    } else if (is_opt(a, "--color") || is_opt(a, "--colour")) {
        const char *w = value(argc, argv, i, "--color");
        if (strcmp(w, "always") == 0) {
            c->colour = COLOUR_ALWAYS;
        } else if (strcmp(w, "never") == 0) {
            c->colour = COLOUR_NEVER;
        } else if (strcmp(w, "auto") == 0) {
            c->colour = COLOUR_AUTO;
        } else {
            usage_error("--color is auto, always or never");
        }
    } else {
        usage_error("unknown option '%s'", a);
    }
}

static void parse_args(struct cli *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            exit(0);
        } else if (strcmp(a, "--version") == 0) {
            printf("grade (Let It Crash kit) %s\n", GR_KIT_VERSION);
            exit(0);
        } else if (strcmp(a, "--solutions") == 0) {
            c->solutions = true;
        } else if (strcmp(a, "--list") == 0) {
            c->list = true;
        } else if (strcmp(a, "--check-kit") == 0) {
            c->check = true;
        } else if (strcmp(a, "--san") == 0) {
            c->san = true;
        } else if (strcmp(a, "--brief") == 0) {
            c->brief = true;
        } else if (strcmp(a, "--keep") == 0) {
            c->o.keep_logs = true;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            c->o.quiet = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            parse_value_opt(c, argc, argv, &i);
        } else {
            gr_strv_add(&c->chapters, a);
        }
    }
    int modes = (c->submission != NULL) + c->solutions + (c->batch != NULL);
    if (modes > 1) {
        usage_error("--submission, --solutions and --batch exclude each other");
    }
    if (c->test && (c->batch || c->list)) {
        usage_error("--test runs one test of one submission");
    }
}

/* Environment settings: SAN=1, LC_TIMEOUT_SCALE. */
static void read_env(struct cli *c)
{
    const char *san = getenv("SAN");
    if (c->san || (san && strcmp(san, "1") == 0)) {
        c->o.variant = GR_SAN;
    }
    const char *scale = getenv("LC_TIMEOUT_SCALE");
    if (c->o.timeout_scale == 0 && scale && *scale) {
        c->o.timeout_scale = parse_positive("LC_TIMEOUT_SCALE", scale);
    }
    if (c->o.timeout_scale == 0) {
        c->o.timeout_scale = 1;
    }
    if (c->o.jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        c->o.jobs = n > 0 ? (int)n : 2;
    }
}

/* --- The kit -------------------------------------------------------------- */

static char *find_root(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        gr_die(1, "cannot find my own location (/proc/self/exe)");
    }
    exe[n] = '\0';
    for (int i = 0; i < 2; i++) { /* <root>/grader/grade */
        char *slash = strrchr(exe, '/');
        if (slash == NULL) {
            gr_die(1, "cannot find the kit around %s", exe);
        }
        *slash = '\0';
    }
    char *rubrics = gr_fmt("%s/grader/rubric", exe);
    if (!gr_is_dir(rubrics)) {
        gr_die(1, "%s is not in a kit (no grader/rubric beside it)", exe);
    }
    free(rubrics);
    return gr_xstrdup(exe);
}

static char *kit_version(const char *root)
{
    char *path = gr_fmt("%s/VERSION", root);
    char *v = gr_read_file(path, 256, NULL);
    free(path);
    if (v != NULL) {
        v[strcspn(v, "\r\n")] = '\0';
        if (*v) {
            return v;
        }
        free(v);
    }
    return gr_xstrdup(GR_KIT_VERSION);
}

/* A chapter whose rubric is wrong cannot be graded: stop if it was asked
   for (by name, or by asking for every chapter). */
static void refuse_broken(const struct gr_kit *kit, const struct cli *c)
{
    for (int b = 0; b < kit->broken.n; b++) {
        const char *dir = kit->broken.v[b];
        bool asked = c->chapters.n == 0;
        for (int i = 0; i < c->chapters.n && !asked; i++) {
            const char *a = c->chapters.v[i];
            asked = strcmp(a, dir) == 0 || strcmp(a, dir + 3) == 0 ||
                    (strtol(a, NULL, 10) == strtol(dir, NULL, 10) &&
                     a[strspn(a, "0123456789")] == '\0');
        }
        if (asked) {
            gr_die(1,
                   "the rubric of %s has errors (above): it cannot be "
                   "graded%s",
                   dir,
                   c->chapters.n ? ""
                                 : " (name the chapters to grade "
                                   "the others)");
        }
    }
}

static void select_chapters(struct gr_kit *kit, const struct cli *c, bool *sel)
{
    if (c->test == NULL && !c->check) {
        refuse_broken(kit, c);
    }
    for (int i = 0; i < kit->nch; i++) {
        sel[i] = c->chapters.n == 0;
    }
    for (int i = 0; i < c->chapters.n; i++) {
        struct gr_chapter *ch = gr_kit_find(kit, c->chapters.v[i]);
        if (ch == NULL) {
            struct gr_buf names = { 0 };
            for (int k = 0; k < kit->nch; k++) {
                gr_buf_addf(&names, "%s%s", k ? ", " : "", kit->ch[k].dir);
            }
            usage_error("unknown chapter '%s' (chapters: %s)", c->chapters.v[i],
                        gr_buf_str(&names));
        }
        sel[ch - kit->ch] = true;
    }
}

static void check_catch_up(struct gr_kit *kit, struct cli *c, const bool *sel)
{
    if ((c->catch_up_words.n > 0 || c->solutions) && !kit->has_solutions) {
        gr_die(2,
               "%s needs the reference solutions, which are not part of "
               "this edition of the kit (the student edition): ask your "
               "instructor",
               c->solutions ? "--solutions" : "--catch-up");
    }
    for (int i = 0; i < c->catch_up_words.n; i++) {
        struct gr_chapter *ch = gr_kit_find(kit, c->catch_up_words.v[i]);
        if (ch == NULL) {
            usage_error("--catch-up: unknown chapter '%s'",
                        c->catch_up_words.v[i]);
        }
        if (sel[ch - kit->ch]) {
            usage_error("--catch-up %s: chapter %s is being graded, and "
                        "catch-up links the reference into the chapters "
                        "that use it; name the chapters to grade "
                        "(grader/grade 3 --catch-up 2)",
                        c->catch_up_words.v[i], ch->id);
        }
        if (!gr_strv_has(&c->o.catch_up, ch->id)) {
            gr_strv_add(&c->o.catch_up, ch->id);
        }
    }
}

/* --- --list and --check-kit ----------------------------------------------- */

static void list_tests(const struct gr_kit *kit, const bool *sel)
{
    double total = 0;
    for (int i = 0; i < kit->nch; i++) {
        const struct gr_chapter *c = &kit->ch[i];
        if (!sel[i]) {
            continue;
        }
        double max = gr_chapter_max(c);
        total += max;
        printf("%s  %s  (%s points; files: ", c->dir, c->title, gr_num(max));
        for (int f = 0; f < c->files.n; f++) {
            printf("%s%s", f ? " " : "", c->files.v[f]);
        }
        printf(")\n");
        for (int t = 0; t < c->ntests; t++) {
            const struct gr_test *test = &c->tests[t];
            printf("  %5s  %-40s %s%s\n", gr_num(test->points), test->name,
                   test->title, test->hidden ? "  [hidden]" : "");
        }
    }
    printf("total %s points\n", gr_num(total));
}

/* The names a test binary lists against its rubric, both ways. */
static int compare_list(const struct gr_kit *kit, const struct gr_chapter *c,
                        int s, const char *bin)
{
    struct gr_task t = { 0 };
    gr_strv_add(&t.argv, bin);
    gr_strv_add(&t.argv, "--list");
    t.cwd = kit->root;
    t.log = gr_fmt("%s.list", bin);
    t.timeout = 30;
    struct gr_task *tp = &t;
    gr_run_tasks(&tp, 1, 1);
    char *out = gr_read_file(t.log, 1 << 20, NULL);
    struct gr_strv names = { 0 };
    gr_split_words(out ? out : "", &names);
    int problems = 0;
    if (!WIFEXITED(t.out.wstatus) || WEXITSTATUS(t.out.wstatus) != 0) {
        printf("%s: --list failed\n", bin);
        problems++;
    }
    for (int k = 0; k < c->ntests; k++) {
        if (c->tests[k].suite == s && !gr_strv_has(&names, c->tests[k].name)) {
            printf("%s:%d: test %s is not in %s\n", c->suites[s].rubric,
                   c->tests[k].line, c->tests[k].name, c->suites[s].test_src);
            problems++;
        }
    }
    for (int k = 0; k < names.n; k++) {
        bool found = false;
        for (int j = 0; j < c->ntests; j++) {
            found |= c->tests[j].suite == s &&
                     strcmp(c->tests[j].name, names.v[k]) == 0;
        }
        if (!found) {
            printf("%s: GR_TEST(%s) has no line in %s\n", c->suites[s].test_src,
                   names.v[k], c->suites[s].rubric);
            problems++;
        }
    }
    free(out);
    gr_strv_free(&names);
    unlink(t.log);
    free(t.log);
    gr_strv_free(&t.argv);
    return problems;
}

/* Every rubric test is in its binary and every binary test in the rubric:
   the reference's binaries (the exercises' in the student edition) are
   asked for their --list. */
static int check_lists(const struct gr_kit *kit, const struct gr_opts *o,
                       const bool *sel)
{
    struct gr_sub sub = { .name = "kit check" };
    sub.solutions = kit->has_solutions;
    sub.dir = kit->has_solutions ? NULL : gr_fmt("%s/exercises", kit->root);
    sub.work = gr_fmt("%s/build/grade/work/%d-check", kit->root, (int)getpid());
    gr_mkdir_p(sub.work);
    struct gr_built *built = gr_xcalloc((size_t)kit->nch, sizeof *built);
    gr_build_sub(kit, o, &sub, sel, built);
    int problems = 0;
    for (int i = 0; i < kit->nch; i++) {
        const struct gr_chapter *c = &kit->ch[i];
        for (int s = 0; sel[i] && s < c->nsuites; s++) {
            if (!built[i].ok) {
                printf("%s: does not build:\n%s\n", c->dir, built[i].error);
                problems++;
                break;
            }
            problems += compare_list(kit, c, s, built[i].bins[s]);
        }
    }
    gr_rm_rf(sub.work);
    free(sub.work);
    free(sub.dir);
    free(built);
    return problems;
}

/* --- Grading one submission ----------------------------------------------- */

/* The tests' environment: the user's, without anything that changes how
   the harness, Check or the sanitizers behave, plus the grading channel. */
static char **test_env(const struct gr_opts *o, const char *token)
{
    struct gr_strv env = { 0 };
    static const char *const drop[] = {
        "LC_",           "CK_",         "ASAN_OPTIONS=",    "UBSAN_OPTIONS=",
        "LSAN_OPTIONS=", "LD_PRELOAD=", "LD_LIBRARY_PATH=", NULL
    };
    for (char **e = environ; *e; e++) {
        bool keep = true;
        for (int i = 0; drop[i] && keep; i++) {
            keep = strncmp(*e, drop[i], strlen(drop[i])) != 0;
        }
        if (keep) {
            gr_strv_add(&env, *e);
        }
    }
    gr_strv_add(&env, "LC_GRADE_FD=3");
    gr_strv_addf(&env, "LC_GRADE_TOKEN=%s", token);
    if (o->variant == GR_SAN) {
        gr_strv_add(&env, "ASAN_OPTIONS=" GR_ASAN_OPTIONS);
        gr_strv_add(&env, "UBSAN_OPTIONS=" GR_UBSAN_OPTIONS);
        gr_strv_add(&env, "LSAN_OPTIONS=" GR_LSAN_OPTIONS);
    }
    return env.v;
}

static void free_env(char **env)
{
    for (char **e = env; e && *e; e++) {
        free(*e);
    }
    free(env);
}

static void test_task(struct gr_task *t, const struct gr_opts *o,
                      const struct gr_chapter *c, const struct gr_test *test,
                      const char *bin, const char *logdir)
{
    memset(t, 0, sizeof *t);
    gr_strv_add(&t->argv, bin);
    gr_strv_add(&t->argv, "--run");
    gr_strv_add(&t->argv, test->name);
    gr_token(t->token);
    t->env = test_env(o, t->token);
    t->log = gr_fmt("%s/%s.%s.log", logdir, c->dir, test->name);
    double scale = o->timeout_scale * (o->variant == GR_SAN ? SAN_SLOWER : 1);
    t->timeout = c->timeout * scale;
    t->cpu = (long)(t->timeout + 1.5);
    /* ASan reserves terabytes of shadow memory: no address-space limit. */
    t->mem = o->variant == GR_SAN ? 0 : (long long)(c->memory * 1048576.0);
    t->fsize = TEST_FSIZE;
    t->kind = GR_TASK_TEST;
}

/* Where a failing test's output is kept: build/grade/last/NN-slug/. */
static char *keep_log(const struct gr_kit *kit, const struct gr_chapter *c,
                      const struct gr_test *t, const char *log)
{
    char *dir = gr_fmt("%s/build/grade/last/%s", kit->root, c->dir);
    gr_mkdir_p(dir);
    char *to = gr_fmt("%s/%s.log", dir, t->name);
    free(dir);
    if (rename(log, to) != 0) {
        free(to);
        return NULL;
    }
    char cwd[PATH_MAX];
    size_t rl = strlen(kit->root);
    if (getcwd(cwd, sizeof cwd) && strcmp(cwd, kit->root) == 0) {
        char *rel = gr_xstrdup(to + rl + 1);
        free(to);
        return rel;
    }
    return to;
}

static void build_failed(struct gr_chapter_result *cr)
{
    for (int t = 0; t < cr->ch->ntests; t++) {
        cr->res[t].status = GR_BUILD;
        cr->res[t].message = gr_xstrdup(cr->built.error);
        cr->res[t].score = 0;
    }
}

/* The tests to run: every test of every built chapter ('only': just that
   test), one task each; the grader's own tasks in a run. */
struct test_run {
    struct gr_task *tasks;
    struct gr_task **todo;
    const struct gr_chapter **ch; /* the chapter of each task */
    int n;
};

static void prepare_tests(const struct gr_kit *kit, const struct gr_opts *o,
                          struct gr_report *r, const struct gr_test *only,
                          const char *logdir, struct test_run *tr)
{
    int n = 0;
    for (int c = 0; c < r->nchs; c++) {
        n += r->chs[c].ch->ntests;
    }
    tr->tasks = gr_xcalloc((size_t)n + 1, sizeof *tr->tasks);
    tr->todo = gr_xcalloc((size_t)n + 1, sizeof *tr->todo);
    tr->ch = gr_xcalloc((size_t)n + 1, sizeof *tr->ch);
    tr->n = 0;
    for (int c = 0; c < r->nchs && only == NULL && !o->batch; c++) {
        char *last =
                gr_fmt("%s/build/grade/last/%s", kit->root, r->chs[c].ch->dir);
        gr_rm_rf(last); /* the logs of the last grade, not older ones */
        free(last);
    }
    for (int c = 0; c < r->nchs; c++) {
        struct gr_chapter_result *cr = &r->chs[c];
        for (int t = 0; cr->built.ok && t < cr->ch->ntests; t++) {
            const struct gr_test *test = &cr->ch->tests[t];
            if (only == NULL || only == test) {
                struct gr_task *task = &tr->tasks[tr->n];
                test_task(task, o, cr->ch, test, cr->built.bins[test->suite],
                          logdir);
                task->user = &cr->res[t];
                tr->todo[tr->n] = task;
                tr->ch[tr->n] = cr->ch;
                tr->n++;
            }
        }
    }
}

/* Each test's result from how its process ended; the output of a test
   that did not pass is kept where the report says. */
static void collect_results(const struct gr_kit *kit, const struct gr_opts *o,
                            const struct gr_test *only, struct test_run *tr)
{
    for (int i = 0; i < tr->n; i++) {
        struct gr_task *task = &tr->tasks[i];
        struct gr_result *res = task->user;
        free(res->message);
        gr_verdict(res, task, o->variant == GR_SAN);
        res->seconds = task->out.seconds;
        if (only != NULL) {
            res->log = gr_xstrdup(task->log);
        } else if (res->status != GR_PASS && !o->batch) {
            res->log = keep_log(kit, tr->ch[i], res->test, task->log);
        }
        gr_strv_free(&task->argv);
        free_env(task->env);
        free(task->log);
    }
    free(tr->tasks);
    free(tr->todo);
    free(tr->ch);
}

static void total_up(struct gr_report *r)
{
    r->score = r->max = 0;
    for (int c = 0; c < r->nchs; c++) {
        struct gr_chapter_result *cr = &r->chs[c];
        cr->score = 0;
        cr->max = gr_chapter_max(cr->ch);
        cr->passed = 0;
        for (int t = 0; t < cr->ch->ntests; t++) {
            cr->score += cr->res[t].score;
            cr->passed += cr->res[t].status == GR_PASS;
        }
        r->score += cr->score;
        r->max += cr->max;
        for (int i = 0; i < cr->built.catch_up.n; i++) {
            if (!gr_strv_has(&r->catch_up, cr->built.catch_up.v[i])) {
                gr_strv_add(&r->catch_up, cr->built.catch_up.v[i]);
            }
        }
    }
}

static int work_serial;

/* The report's chapters, from what the build gave: a chapter that did not
   build has every test marked so; the others wait for their tests. */
static void build_chapters(const struct gr_kit *kit, const struct gr_opts *o,
                           struct gr_sub *sub, const bool *sel,
                           struct gr_report *r)
{
    struct gr_built *built = gr_xcalloc((size_t)kit->nch, sizeof *built);
    gr_build_sub(kit, o, sub, sel, built);
    r->chs = gr_xcalloc((size_t)kit->nch, sizeof *r->chs);
    for (int i = 0; i < kit->nch; i++) {
        if (!sel[i]) {
            continue;
        }
        struct gr_chapter_result *cr = &r->chs[r->nchs++];
        cr->ch = &kit->ch[i];
        cr->built = built[i];
        cr->res = gr_xcalloc((size_t)cr->ch->ntests, sizeof *cr->res);
        for (int t = 0; t < cr->ch->ntests; t++) {
            cr->res[t].test = &cr->ch->tests[t];
            cr->res[t].message = gr_xstrdup("not run");
            cr->res[t].status = GR_FAIL;
        }
        if (!cr->built.ok) {
            build_failed(cr);
        }
    }
    free(built);
}

/* Build, run and score the selected chapters of one submission. */
static void grade_sub(const struct gr_kit *kit, const struct gr_opts *o,
                      struct gr_sub *sub, const bool *sel,
                      const struct gr_test *only, struct gr_report *r)
{
    double t0 = gr_now();
    int id = work_serial++;
    sub->work =
            gr_fmt("%s/build/grade/work/%d-%d", kit->root, (int)getpid(), id);
    char *logdir =
            gr_fmt("%s/build/grade/logs/%d-%d", kit->root, (int)getpid(), id);
    gr_rm_rf(sub->work);
    gr_mkdir_p(sub->work);
    gr_mkdir_p(logdir);
    memset(r, 0, sizeof *r);
    r->kit = kit;
    r->submission = sub->name;
    r->variant = o->variant == GR_SAN ? "san" : "rel";
    r->unsandboxed = gr_unsandboxed();
    build_chapters(kit, o, sub, sel, r);
    struct test_run tr;
    prepare_tests(kit, o, r, only, logdir, &tr);
    gr_run_tasks(tr.todo, tr.n, o->jobs);
    collect_results(kit, o, only, &tr);
    total_up(r);
    if (only == NULL && !o->keep_logs) {
        gr_rm_rf(logdir);
    }
    if (!o->keep_logs) {
        gr_rm_rf(sub->work);
    }
    free(logdir);
    r->seconds = gr_now() - t0;
}

static void free_report(struct gr_report *r)
{
    for (int c = 0; c < r->nchs; c++) {
        struct gr_chapter_result *cr = &r->chs[c];
        for (int t = 0; t < cr->ch->ntests; t++) {
            free(cr->res[t].message);
            free(cr->res[t].log);
        }
        free(cr->res);
        free(cr->built.error);
        free(cr->built.warnings);
        free(cr->built.bins[0]);
        free(cr->built.bins[1]);
        gr_strv_free(&cr->built.catch_up);
    }
    free(r->chs);
    gr_strv_free(&r->catch_up);
}

/* --- Submissions ---------------------------------------------------------- */

/* Does 'dir' hold a folder (or a link: refused later, with a reason) of
   one of the kit's chapters? */
static bool has_chapters(const struct gr_kit *kit, const char *dir)
{
    for (int i = 0; i < kit->nch; i++) {
        char *p = gr_fmt("%s/%s", dir, kit->ch[i].dir);
        struct stat st;
        bool found = lstat(p, &st) == 0;
        free(p);
        if (found) {
            return true;
        }
    }
    return false;
}

/* A submission folder (--submission) holds NN-slug/ folders, or an
   exercises/ that does; a folder that does neither is an error. (In a
   batch, see open_student: the report says what is missing.) */
static void open_submission(const struct gr_kit *kit, const char *dir,
                            struct gr_sub *sub)
{
    struct stat st;
    char *real = realpath(dir, NULL);
    if (real == NULL || stat(real, &st) != 0) {
        gr_die(2, "no such folder: %s", dir);
    }
    if (!S_ISDIR(st.st_mode)) {
        gr_die(2,
               "%s is a file, not a folder: --submission wants a student's "
               "folder (with NN-slug/ folders, or an exercises/ folder "
               "holding them)",
               dir);
    }
    char *inner = gr_fmt("%s/exercises", real);
    bool exercises = lstat(inner, &st) == 0;
    sub->dir = real;
    sub->prefix = exercises ? "exercises/" : "";
    if (!has_chapters(kit, exercises ? inner : real)) {
        gr_die(2,
               "%s is not a submission: it holds no chapter folder "
               "(%s/, ...), neither directly nor in an exercises/ folder",
               dir, kit->nch ? kit->ch[0].dir : "NN-slug");
    }
    free(inner);
}

/* A student of a batch: the batch folder is the submission's root and the
   student's own folder the first step below it, so that a student folder
   that is a symbolic link is refused like any other link (every chapter
   then says so), not followed. Returns the prefix to free. */
static char *open_student(const char *batch, const char *name,
                          struct gr_sub *sub)
{
    char *real = realpath(batch, NULL);
    if (real == NULL) {
        gr_die(2, "no such folder: %s", batch);
    }
    char *inner = gr_fmt("%s/%s/exercises", real, name);
    struct stat st;
    char *prefix =
            gr_fmt("%s/%s", name, lstat(inner, &st) == 0 ? "exercises/" : "");
    free(inner);
    sub->dir = real;
    sub->prefix = prefix;
    return prefix;
}

static void write_out(const char *path, const struct gr_buf *b)
{
    if (path == NULL) {
        fwrite(gr_buf_str(b), 1, b->len, stdout);
        fflush(stdout);
    } else if (gr_write_file(path, gr_buf_str(b), b->len) != 0) {
        gr_die(1, "cannot write %s: %s", path, strerror(errno));
    }
}

static bool want_colour(const struct cli *c)
{
    if (c->colour != COLOUR_AUTO) {
        return c->colour == COLOUR_ALWAYS;
    }
    const char *term = getenv("TERM");
    return c->out == NULL && isatty(1) && getenv("NO_COLOR") == NULL &&
           !(term && strcmp(term, "dumb") == 0);
}

static void grade_one(const struct gr_kit *kit, struct cli *c, const bool *sel)
{
    struct gr_sub sub = { 0 };
    if (c->solutions) {
        sub.solutions = true;
        sub.name = "solutions/ (the reference)";
    } else if (c->submission) {
        open_submission(kit, c->submission, &sub);
        sub.name = (char *)c->submission;
    } else {
        sub.dir = gr_xstrdup(kit->root);
        sub.prefix = "exercises/";
        sub.name = "exercises/";
    }
    struct gr_report r;
    grade_sub(kit, &c->o, &sub, sel, NULL, &r);
    r.brief = c->brief;
    struct gr_buf b = { 0 };
    c->format->write(&b, &r, c->format->colour && want_colour(c));
    write_out(c->out, &b);
    gr_buf_free(&b);
    free_report(&r);
    free(sub.work);
}

/* --- --test --------------------------------------------------------------- */

static unsigned distance(const char *a, const char *b)
{
    size_t n = strlen(b);
    unsigned *row = gr_xcalloc(n + 1, sizeof *row);
    for (size_t j = 0; j <= n; j++) {
        row[j] = (unsigned)j;
    }
    for (size_t i = 1; a[i - 1]; i++) {
        unsigned diag = row[0];
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= n; j++) {
            unsigned up = row[j];
            unsigned sub = diag + (a[i - 1] != b[j - 1]);
            unsigned best = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
            row[j] = sub < best ? sub : best;
            diag = up;
        }
    }
    unsigned d = row[n];
    free(row);
    return d;
}

static const struct gr_test *find_test(struct gr_kit *kit, const char *name,
                                       int *ci)
{
    const struct gr_test *near = NULL;
    unsigned best = ~0u;
    for (int i = 0; i < kit->nch; i++) {
        for (int t = 0; t < kit->ch[i].ntests; t++) {
            const struct gr_test *test = &kit->ch[i].tests[t];
            if (strcmp(test->name, name) == 0) {
                *ci = i;
                return test;
            }
            unsigned d = distance(name, test->name);
            if (d < best) {
                best = d;
                near = test;
            }
        }
    }
    if (near != NULL && best <= strlen(name) / 3 + 2) {
        usage_error("no test named '%s' (did you mean %s?)", name, near->name);
    }
    usage_error("no test named '%s' (grader/grade --list shows them)", name);
}

static void run_one_test(struct gr_kit *kit, struct cli *c,
                         const struct gr_test *test, int ci)
{
    bool *sel = gr_xcalloc((size_t)kit->nch, sizeof *sel);
    sel[ci] = true;
    struct gr_sub sub = { 0 };
    sub.solutions = c->solutions;
    sub.name = c->solutions ? "solutions/" : "exercises/";
    if (c->submission) {
        open_submission(kit, c->submission, &sub);
    } else if (!c->solutions) {
        sub.dir = gr_xstrdup(kit->root);
        sub.prefix = "exercises/";
    }
    struct gr_report r;
    grade_sub(kit, &c->o, &sub, sel, test, &r);
    struct gr_chapter_result *cr = &r.chs[0];
    const struct gr_result *res = &cr->res[test - cr->ch->tests];
    printf("== %s (chapter %s, %s points): %s\n", test->name, cr->ch->id,
           gr_num(test->points), test->title);
    if (!cr->built.ok) {
        printf("%s\n", cr->built.error);
    } else {
        printf("-- output --\n");
        fflush(stdout);
        char *out = gr_read_tail(res->log, 1 << 20);
        fputs(out, stdout);
        if (*out && out[strlen(out) - 1] != '\n') {
            putchar('\n');
        }
        free(out);
        printf("-- %s  %s/%s (%.2f s)\n", gr_status_label(res->status),
               gr_num(res->score), gr_num(test->points), res->seconds);
        if (res->status != GR_PASS) {
            printf("%s\nHint: %s\n", res->message, test->hint);
        }
        const char *bin = cr->built.bins[test->suite];
        size_t rl = strlen(kit->root);
        printf("Debug it: gdb --args %s --run %s\n",
               strncmp(bin, kit->root, rl) == 0 ? bin + rl + 1 : bin,
               test->name);
    }
    if (res->log) {
        char *dir = gr_xstrdup(res->log);
        *strrchr(dir, '/') = '\0';
        gr_rm_rf(dir);
        free(dir);
    }
    free_report(&r);
    free(sel);
}

/* --- --batch -------------------------------------------------------------- */

/* What a batch worker hands back per student: read by the gradebook. */
struct slot {
    int done;
    double score, max;
    double ch[64];
    char status[200]; /* gr_report_status() */
};

#define REPORT_NAME_MAX 100 /* bytes of a report's name before ~HASH.EXT */

/* The report's file name for a student: the name itself when it is
   made of letters, digits, '.', '-' and '_' only; otherwise those
   characters with a short hash of the whole name, so that "x y" and "x_y"
   never share a report. */

static char *report_name(const char *s)
{
    char *out = gr_xstrdup(s);
    bool changed = out[0] == '.' || out[0] == '\0';
    /* A file name has at most 255 bytes: a longer student folder name
       (or one that its extension would make longer) is cut, and hashed
       like any other changed name. */
    if (strlen(out) > REPORT_NAME_MAX) {
        out[REPORT_NAME_MAX] = '\0';
        changed = true;
    }
    for (char *p = out; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
              *p == '_')) {
            *p = '_';
            changed = true;
        }
    }
    if (!changed) {
        return out;
    }
    struct gr_sha256 h;
    char hex[65];
    gr_sha256_init(&h);
    gr_sha256_add(&h, s, strlen(s));
    gr_sha256_hex(&h, hex);
    char *named = gr_fmt("%s~%.8s", out, hex);
    free(out);
    return named;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_students(const char *dir, struct gr_strv *out)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        gr_die(2, "cannot read the batch folder %s: %s", dir, strerror(errno));
    }
    /* Every entry but a plain file is a student: a folder, and also a
       link, a FIFO, a socket or a device, which then gets a row that
       says what it is (no chapter of it is opened), so that no student
       is left out of the gradebook without a word. A plain file (a
       roster, an archive) is not graded, and said so. */
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        if (e->d_name[0] == '.') {
            continue;
        }
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISREG(st.st_mode)) {
            char *shown = gr_line_clean(e->d_name);
            fprintf(stderr,
                    "grade: %s/%s is a file, not a student's folder: not "
                    "graded\n",
                    dir, shown);
            free(shown);
            continue;
        }
        gr_strv_add(out, e->d_name);
    }
    closedir(d);
    qsort(out->v, (size_t)out->n, sizeof(char *), by_name);
}

/* One worker of the batch: takes the next student until none is left. */
static void batch_worker(const struct gr_kit *kit, const struct cli *c,
                         const bool *sel, const struct gr_strv *students,
                         const char *outdir, struct slot *slots, int *next,
                         int worker)
{
    struct gr_opts o = c->o;
    o.jobs = 1;               /* the parallelism is across students */
    gr_run_init(NULL);        /* the watchdogs' orphans come to this worker */
    gr_run_slot_base(worker); /* user ids of its own, as root */
    for (;;) {
        int i = __atomic_fetch_add(next, 1, __ATOMIC_SEQ_CST);
        if (i >= students->n) {
            break;
        }
        char *dir = gr_fmt("%s/%s", c->batch, students->v[i]);
        struct gr_sub sub = { .name = students->v[i] };
        char *prefix = open_student(c->batch, students->v[i], &sub);
        struct gr_report r;
        grade_sub(kit, &o, &sub, sel, NULL, &r);
        struct gr_buf b = { 0 };
        c->format->write(&b, &r, false);
        char *safe = report_name(students->v[i]);
        char *path = gr_fmt("%s/reports/%s.%s", outdir, safe, c->format->ext);
        if (gr_write_file(path, gr_buf_str(&b), b.len) != 0) {
            char *who = gr_line_clean(students->v[i]);
            fprintf(stderr, "grade: cannot write the report of %s: %s\n", who,
                    strerror(errno));
            free(who);
        }
        slots[i].score = r.score;
        slots[i].max = r.max;
        for (int k = 0; k < r.nchs && k < 64; k++) {
            slots[i].ch[k] = r.chs[k].score;
        }
        struct gr_buf st = { 0 };
        gr_report_status(&st, &r);
        snprintf(slots[i].status, sizeof slots[i].status, "%s",
                 gr_buf_str(&st));
        gr_buf_free(&st);
        __atomic_store_n(&slots[i].done, 1, __ATOMIC_SEQ_CST);
        if (!c->o.quiet) {
            char *who = gr_line_clean(students->v[i]);
            fprintf(stderr, "grade: %-24s %6s/%-6s %5.1f s\n", who,
                    gr_num(r.score), gr_num(r.max), r.seconds);
            free(who);
        }
        gr_buf_free(&b);
        free_report(&r);
        free(safe);
        free(path);
        free(dir);
        free(prefix);
        free(sub.dir);
        free(sub.work);
    }
}

static void write_gradebook(const struct gr_kit *kit, const struct cli *c,
                            const bool *sel, const struct gr_strv *students,
                            const struct slot *slots, const char *path)
{
    struct gr_buf b = { 0 };
    gr_csv_header(&b, kit, sel);
    struct gr_buf cu = { 0 };
    for (int i = 0; i < c->o.catch_up.n; i++) {
        gr_buf_addf(&cu, "%s%s", i ? " " : "", c->o.catch_up.v[i]);
    }
    for (int i = 0; i < students->n; i++) {
        char *name = gr_utf8_clean(students->v[i], strlen(students->v[i]));
        gr_csv_field(&b, name);
        free(name);
        if (!slots[i].done) { /* the worker died: say so, score nothing */
            gr_buf_add(&b, ",,");
            for (int k = 0; k < kit->nch; k++) {
                gr_buf_add(&b, sel[k] ? "," : "");
            }
            gr_buf_add(&b, ",,not graded,\n");
            continue;
        }
        gr_buf_addf(&b, ",%s,%s", gr_num(slots[i].score), gr_num(slots[i].max));
        for (int k = 0, n = 0; k < kit->nch; k++) {
            if (sel[k]) {
                gr_buf_addf(&b, ",%s", gr_num(slots[i].ch[n++]));
            }
        }
        gr_buf_add(&b, ",");
        gr_csv_field(&b, gr_buf_str(&cu));
        gr_buf_add(&b, ",");
        gr_csv_field(&b, slots[i].status);
        /* Which report is the student's: two folder names that differ
           only in bytes that are not text look the same above. */
        char *safe = report_name(students->v[i]);
        char *report = gr_fmt("reports/%s.%s", safe, c->format->ext);
        gr_buf_add(&b, ",");
        gr_csv_field(&b, report);
        gr_buf_add(&b, "\n");
        free(report);
        free(safe);
    }
    if (gr_write_file(path, gr_buf_str(&b), b.len) != 0) {
        gr_die(1, "cannot write %s: %s", path, strerror(errno));
    }
    gr_buf_free(&b);
    gr_buf_free(&cu);
}

/* Where a batch's results go: --out, or build/grade/batch/<DIR's name>. */
static char *batch_outdir(const struct gr_kit *kit, const struct cli *c)
{
    if (c->out != NULL) {
        return gr_xstrdup(c->out);
    }
    char *base = gr_xstrdup(c->batch);
    while (strlen(base) > 1 && base[strlen(base) - 1] == '/') {
        base[strlen(base) - 1] = '\0';
    }
    const char *name = strrchr(base, '/') ? strrchr(base, '/') + 1 : base;
    char *out = gr_fmt("%s/build/grade/batch/%s", kit->root, name);
    free(base);
    return out;
}

/* The reports of an earlier batch (in any format) would sit beside the
   new ones and be mistaken for them: remove them. Only files named like
   reports go; anything else in the folder stays. */
static void remove_old_reports(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        const char *dot = strrchr(e->d_name, '.');
        if (e->d_name[0] != '.' && dot != NULL &&
            gr_report_ext_known(dot + 1)) {
            char *p = gr_fmt("%s/%s", dir, e->d_name);
            struct stat st;
            if (lstat(p, &st) == 0 && S_ISREG(st.st_mode)) {
                unlink(p);
            }
            free(p);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
}

/* Forks the workers and waits for them all. */
static void run_workers(const struct gr_kit *kit, const struct cli *c,
                        const bool *sel, const struct gr_strv *students,
                        const char *outdir, struct slot *slots, int *next)
{
    int workers = c->o.jobs < students->n ? c->o.jobs : students->n;
    fflush(NULL);
    for (int w = 0; w < workers; w++) {
        pid_t p = fork();
        if (p == 0) {
            batch_worker(kit, c, sel, students, outdir, slots, next, w);
            fflush(NULL);
            _exit(0);
        }
        if (p < 0) {
            gr_die(1, "fork: %s", strerror(errno));
        }
    }
    while (wait(NULL) > 0 || errno == EINTR) {
    }
}

static void grade_batch(const struct gr_kit *kit, struct cli *c,
                        const bool *sel)
{
    struct gr_strv students = { 0 };
    list_students(c->batch, &students);
    if (students.n == 0) {
        gr_die(2, "%s has no subfolders: one per student is expected",
               c->batch);
    }
    char *outdir = batch_outdir(kit, c);
    char *reports = gr_fmt("%s/reports", outdir);
    if (gr_mkdir_p(reports) != 0) {
        gr_die(1, "cannot create %s: %s", reports, strerror(errno));
    }
    remove_old_reports(reports);
    /* The first slot's room holds the counter of the next student. */
    size_t size = (size_t)(students.n + 1) * sizeof(struct slot);
    void *shared = mmap(NULL, size, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) {
        gr_die(1, "cannot map memory for %d students", students.n);
    }
    struct slot *slots = (struct slot *)((char *)shared + sizeof(struct slot));
    double t0 = gr_now();
    run_workers(kit, c, sel, &students, outdir, slots, shared);
    char *book = gr_fmt("%s/gradebook.csv", outdir);
    write_gradebook(kit, c, sel, &students, slots, book);
    int graded = 0;
    for (int i = 0; i < students.n; i++) {
        graded += slots[i].done;
    }
    printf("graded %d of %d submissions in %.1f s\ngradebook: %s\nreports:   "
           "%s/\n",
           graded, students.n, gr_now() - t0, book, reports);
    munmap(shared, size);
    free(book);
    free(reports);
    free(outdir);
    gr_strv_free(&students);
}

/* --- main ----------------------------------------------------------------- */

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "--sandbox-init") == 0) {
        gr_sandbox_init(argv + 2); /* inside a test's sandbox */
    }
    struct cli c = { .colour = COLOUR_AUTO, .format = gr_format_find("text") };
    parse_args(&c, argc, argv);
    read_env(&c);
    struct gr_kit kit = { 0 };
    char *root = find_root();
    if (gr_kit_load(&kit, root, c.hidden) != 0) {
        gr_die(1, "cannot read the rubrics (above): grading cannot start");
    }
    kit.version = kit_version(root);
    bool *sel = gr_xcalloc((size_t)kit.nch + 1, sizeof *sel);
    select_chapters(&kit, &c, sel);
    if (c.list) {
        list_tests(&kit, sel);
        return 0;
    }
    c.o.batch = c.batch != NULL;
    check_catch_up(&kit, &c, sel);
    int test_ch = 0;
    const struct gr_test *test =
            c.test ? find_test(&kit, c.test, &test_ch) : NULL;
    char *scratch = gr_fmt("%s/build/grade/tmp", root);
    gr_run_init(scratch);
    if (gr_build_kit(&kit, c.o.variant, c.o.quiet) != 0) {
        gr_die(1, "the kit failed to build (kernel or harness): see above");
    }
    if (c.check) {
        int problems = kit.broken.n + gr_kit_check(&kit) +
                       check_lists(&kit, &c.o, sel);
        printf("%s\n",
               problems ? "kit check: problems above" : "kit check: ok");
        return problems ? 1 : 0;
    }
    if (test != NULL) {
        run_one_test(&kit, &c, test, test_ch);
    } else if (c.batch) {
        grade_batch(&kit, &c, sel);
    } else {
        grade_one(&kit, &c, sel);
    }
    gr_cache_prune(&kit);
    free(scratch);
    free(sel);
    return 0;
}
