/*
 * grade.h - the grader's private map: what its modules share.
 *
 * grader/grade builds a submission's chapters against the kit's trusted
 * tests and kernel, runs every graded test in its own sandboxed process and
 * writes a report. The modules, in the order a grade flows through them:
 *
 *   rubric.c   reads grader/rubric/NN-slug.rubric (and an instructor's
 *              hidden rubrics): chapters, files, tests and their points
 *   build.c    compiles the files a rubric names (copied out of a
 *              submission into a private tree) and links one test binary
 *              per chapter and suite (build.h: what its parts share)
 *   trust.c    what a handed-in file may be, read and define: folders
 *              opened without following links, the compiler's -MD list,
 *              the names an object defines
 *   cache.c    content-addressed objects and binaries, sealed with their
 *              hash, and pruned
 *   elf.c      reads a compiled student file: what it defines, and whether
 *              it would run code outside the test (constructors ...)
 *   run.c      runs processes (compilers and tests) under a watchdog, each
 *              test in namespaces of its own (bubblewrap) when the system
 *              has them: limits, a timeout, a scratch folder, output to
 *              files, the verdict pipe, nothing left running
 *   verdict.c  turns how a test process ended into one status
 *   report.c   writes the reports (one table of formats): text, JSON,
 *              Gradescope, Autolab, JUnit, TAP, CSV
 *   grade.c    the command line, and grading one submission (build, run,
 *              collect) or a batch
 *   util.c     strings, files, SHA-256, UTF-8 for reports
 */
#ifndef GR_GRADE_H
#define GR_GRADE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* --- util.c --------------------------------------------------------------- */

/* A growable string; 's' is always NUL-terminated once anything was added. */
struct gr_buf {
    char *s;
    size_t len, cap;
};

/* A growable array of owned strings, NULL-terminated (usable as argv). */
struct gr_strv {
    char **v;
    int n, cap;
};

void *gr_xmalloc(size_t n);
void *gr_xcalloc(size_t n, size_t size);
void *gr_xrealloc(void *p, size_t n);
char *gr_xstrdup(const char *s);
char *gr_xstrndup(const char *s, size_t n);
/* printf into a fresh string; never NULL (dies on out of memory). */
char *gr_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void gr_buf_add(struct gr_buf *b, const char *s);
void gr_buf_addn(struct gr_buf *b, const char *s, size_t n);
void gr_buf_addf(struct gr_buf *b, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* The string so far ("" when empty), still owned by 'b'. */
const char *gr_buf_str(const struct gr_buf *b);
void gr_buf_free(struct gr_buf *b);

void gr_strv_add(struct gr_strv *v, const char *s);
void gr_strv_addf(struct gr_strv *v, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
bool gr_strv_has(const struct gr_strv *v, const char *s);
void gr_strv_free(struct gr_strv *v);

/* Split 's' on spaces, tabs and commas into 'out' (appending). */
void gr_split_words(const char *s, struct gr_strv *out);

/* Print "grade: <message>" on stderr and exit with 'status'. */
void gr_die(int status, const char *fmt, ...)
        __attribute__((format(printf, 2, 3), noreturn));

/* Whole file into a fresh NUL-terminated buffer; at most 'max' bytes
   (more is an error: EFBIG). NULL with errno set on failure. */
char *gr_read_file(const char *path, size_t max, size_t *len);
/* The last 'max' bytes of a file, cut at a line start; "" on failure. */
char *gr_read_tail(const char *path, size_t max);
/* Write 'len' bytes to path through a temporary file and rename(). */
int gr_write_file(const char *path, const char *data, size_t len);
int gr_mkdir_p(const char *path);
/* Remove a tree without following symbolic links; ignores errors. */
void gr_rm_rf(const char *path);
bool gr_is_dir(const char *path);
bool gr_is_file(const char *path);
/* Modification time in nanoseconds, -1 if the file does not exist. */
long long gr_mtime(const char *path);
/* Seconds since some fixed point (CLOCK_MONOTONIC). */
double gr_now(void);

/* SHA-256 of the bytes, as 64 lowercase hex digits plus NUL. */
struct gr_sha256 {
    unsigned int h[8];
    unsigned char block[64];
    size_t used;
    unsigned long long total;
};
void gr_sha256_init(struct gr_sha256 *c);
void gr_sha256_add(struct gr_sha256 *c, const void *data, size_t n);
void gr_sha256_hex(struct gr_sha256 *c, char out[65]);

/* 'n' bytes made valid UTF-8, in a fresh string: a byte that does not
   start a well-formed character, NUL, the control characters other than
   tab and newline (C1 too), a carriage return not before a newline, and
   the marks that reverse the direction of text become U+FFFD; a carriage
   return before a newline is dropped. */
char *gr_utf8_clean(const char *s, size_t n);
/* 's' cleaned for one line of a report (a student's folder name): as
   gr_utf8_clean, and a newline or tab becomes U+FFFD too. */
char *gr_line_clean(const char *s);
/* Append 's' to 'b' as one CSV field (quoted when needed). */
void gr_csv_field(struct gr_buf *b, const char *s);
/* A number for reports: "2", "2.5" (at most 2 decimals, no trailing 0). */
const char *gr_num(double x);

/* --- rubric.c ------------------------------------------------------------- */

/* One graded test: a GR_TEST in a chapter's test file, plus its rubric line. */
struct gr_test {
    char *name; /* the GR_TEST name */
    double points;
    char *title; /* what the test checks, one line */
    char *hint;  /* the section to re-read and the likely mistake */
    int suite;   /* index into the chapter's suites */
    bool hidden; /* from an instructor's --hidden directory */
    int line;    /* of its rubric line */
};

/* The tests of a chapter compiled into one binary: the public suite from
   grader/, or an instructor's hidden suite. */
struct gr_suite {
    char *test_src; /* absolute path of the tests' C file */
    char *rubric;   /* absolute path of the rubric */
    bool hidden;
};

struct gr_chapter {
    int num;                  /* 3 */
    char *id;                 /* "03" */
    char *slug;               /* "monitors" */
    char *dir;                /* "03-monitors": exercises/, solutions/, tests */
    char *title;              /* "Monitors" */
    struct gr_strv files;     /* the student's files, in exercises/<dir>/ */
    struct gr_strv uses;      /* ids of earlier chapters linked in */
    struct gr_strv structure; /* tests about the running system's shape */
    double declared;          /* "points =" in the rubric, or -1 */
    double timeout;           /* seconds per test before the scale */
    double memory;            /* MiB of address space per test */
    struct gr_test *tests;
    int ntests;
    struct gr_suite suites[2];
    int nsuites;
};

struct gr_kit {
    char *root;            /* absolute, no trailing slash */
    struct gr_chapter *ch; /* sorted by number */
    int nch;
    struct gr_strv broken; /* NN-slug of chapters whose rubric is wrong */
    bool has_solutions;    /* false in the student edition */
    char *version;
};

/* Load every rubric of the kit, then the hidden ones (hidden_dir may be
   NULL). Each mistake is printed as "file:line: what" on stderr and its
   chapter is listed in kit->broken (and left out); -1 only when a rubric
   folder cannot be read. */
int gr_kit_load(struct gr_kit *kit, const char *root, const char *hidden_dir);
/* The chapter named by "3", "03", "03-monitors" or "monitors"; NULL if
   none. */
struct gr_chapter *gr_kit_find(struct gr_kit *kit, const char *name);
struct gr_chapter *gr_kit_by_id(struct gr_kit *kit, const char *id);
double gr_chapter_max(const struct gr_chapter *c);
/* Kit consistency: sums, names, uses. Prints problems; returns how many. */
int gr_kit_check(struct gr_kit *kit);

/* --- run.c ---------------------------------------------------------------- */

/* How a watched process ended. Written by the watchdog, read by the grader. */
struct gr_outcome {
    bool done;          /* the watchdog finished its report */
    bool lost;          /* the watchdog was killed before it could */
    int wstatus;        /* from waitpid() */
    bool timed_out;     /* killed at the time limit */
    int strays;         /* processes it left behind (all killed) */
    double seconds;     /* wall time */
    char verdict[4096]; /* what arrived on the grading channel */
    int verdict_len;
    bool verdict_overflow; /* more than fits: never a valid verdict */
    char error[256];       /* the watchdog could not start it: why */
};

/* What a task is, which decides how it is confined. */
enum gr_task_kind {
    GR_TASK_TOOL,    /* the kit's own tools on trusted files (make, nm, ld) */
    GR_TASK_COMPILE, /* the compiler on handed-in files: sees only 'ro' */
    GR_TASK_TEST     /* a graded test: sees its binary and a scratch folder */
};

/* One process to run under a watchdog. */
struct gr_task {
    enum gr_task_kind kind;
    struct gr_strv argv;
    char **env;        /* NULL: the grader's environment */
    const char *cwd;   /* NULL: a fresh scratch directory */
    char *log;         /* stdout and stderr go to this file */
    double timeout;    /* seconds of wall time */
    long cpu;          /* seconds of CPU time, 0 = no limit */
    long long mem;     /* bytes of address space, 0 = no limit */
    long long fsize;   /* largest file it may write, 0 = no limit */
    struct gr_strv ro; /* GR_TASK_COMPILE: folders it may read */
    const char *rw;    /* GR_TASK_COMPILE: the folder it writes to */
    char token[33];    /* GR_TASK_TEST: the grading channel's secret */
    struct gr_outcome out;
    void *user;
};

/* Set up this process: child subreaper, SIGPIPE ignored; scratch
   directories go under 'scratch_root' (NULL: where they went before).
   The first call decides whether tests run in namespaces (bubblewrap), by
   trying it; LC_GRADE_SANDBOX=off forbids it. */
void gr_run_init(const char *scratch_root);
/* NULL when tasks run sandboxed, or why they do not. */
const char *gr_unsandboxed(void);
/* Tasks started by this process use user ids (when the grader is root)
   from 'slot' on: each batch worker takes its own range. */
void gr_run_slot_base(int slot);
/* Run the tasks, at most 'jobs' at a time; fills each task's 'out'. */
void gr_run_tasks(struct gr_task **tasks, int n, int jobs);
/* A fresh random token (32 hex digits). */
void gr_token(char out[33]);
/* The sandbox's first process (grade --sandbox-init PROG ARGS...): runs the
   test, then kills what it left and reports on fd 4. Never returns. */
__attribute__((noreturn)) void gr_sandbox_init(char **argv);

/* --- build.c -------------------------------------------------------------- */

enum gr_variant {
    GR_REL, /* the normal build: build/rel */
    GR_SAN  /* AddressSanitizer + UBSan: build/san */
};

/* Where each chapter's code comes from. */
enum gr_source {
    GR_FROM_STUDENT,  /* the submission */
    GR_FROM_REFERENCE /* solutions/ (--solutions, or catch-up) */
};

/* A submission being graded. */
struct gr_sub {
    char *name; /* in reports and the gradebook */
    char *dir;  /* absolute: the submission's folder; NULL for --solutions */
    const char *prefix; /* "exercises/" or "": where its NN-slug/ folders
                           are below 'dir' (opened without following links) */
    bool solutions;
    char *work; /* private copy of its files */
};

enum gr_build_state {
    GR_BUILT,         /* ok */
    GR_BUILT_MISSING, /* the submission lacks the chapter's files */
    GR_BUILT_FAILED   /* did not compile or link, or was refused */
};

/* What building a chapter gave. */
struct gr_built {
    bool ok;
    enum gr_build_state state;
    char *error;             /* the build error, for the report (ok == false) */
    char *warnings;          /* compiler warnings about the student's files */
    char *bins[2];           /* the test binaries, one per suite */
    struct gr_strv catch_up; /* ids of chapters linked from the reference */
};

struct gr_opts; /* grade.c */

/* Check that the kernel library and the harness of the variant are built
   and up to date, running make if not. Returns 0, or -1 after printing. */
int gr_build_kit(const struct gr_kit *kit, enum gr_variant v, bool quiet);
/* Build the selected chapters of 'sub' (built[i] for kit->ch[i] where
   sel[i]). Compiles at most 'jobs' files at a time. */
void gr_build_sub(const struct gr_kit *kit, const struct gr_opts *o,
                  struct gr_sub *sub, const bool *sel, struct gr_built *built);
void gr_cache_prune(const struct gr_kit *kit);

/* Reads a compiled student file: its defined global names go to 'defined'.
   NULL, or why it is refused ("has a .init_array section ..."), to be put
   after the file's name. 'san': an object of the sanitizer build, whose
   own constructor and destructor are allowed. (elf.c) */
char *gr_elf_check(const char *path, bool san, struct gr_strv *defined);

/* --- verdict.c / report.c ------------------------------------------------- */

enum gr_status {
    GR_PASS,
    GR_FAIL,       /* an assertion failed: expected vs actual, file:line */
    GR_CRASH,      /* a signal ended the test process */
    GR_TIMEOUT,    /* killed at the time limit */
    GR_MEMORY,     /* a sanitizer found a memory error or a leak */
    GR_BUILD,      /* the chapter did not build */
    GR_EARLY_EXIT, /* the process ended before the test finished */
};

const char *gr_status_name(enum gr_status s);  /* "pass", "early_exit" ... */
const char *gr_status_label(enum gr_status s); /* "PASS", "EARLY EXIT" ... */

struct gr_result {
    const struct gr_test *test;
    enum gr_status status;
    double score;
    char *message;
    char *log; /* where the test's output was kept, or NULL */
    double seconds;
};

struct gr_chapter_result {
    const struct gr_chapter *ch;
    struct gr_built built;
    struct gr_result *res; /* one per test of the chapter, rubric order */
    double score, max;
    int passed;
};

struct gr_report {
    const struct gr_kit *kit;
    const char *submission; /* name */
    const char *variant;    /* "rel" / "san" */
    struct gr_chapter_result *chs;
    int nchs;
    double score, max;
    struct gr_strv catch_up; /* chapters built from the reference */
    double seconds;
    bool brief;              /* text: the table only */
    const char *unsandboxed; /* NULL, or why the tests were not sandboxed */
};

/* Decide a test's status from how its process ended. */
void gr_verdict(struct gr_result *r, const struct gr_task *t, bool san);

/* A report format: its name (--format NAME), the extension of its files
   and its writer (report.c holds the one table of them). */
struct gr_format {
    const char *name;
    const char *ext;
    bool colour; /* may use colours on a terminal */
    void (*write)(struct gr_buf *b, const struct gr_report *r, bool colour);
};

/* The format named 'name', or NULL. */
const struct gr_format *gr_format_find(const char *name);
/* "text, json, ...": for messages. */
const char *gr_format_names(void);
/* Is 'ext' the extension of a report format's files? */
bool gr_report_ext_known(const char *ext);
/* "graded", "missing" or "build_failed". */
const char *gr_chapter_status(const struct gr_chapter_result *cr);
/* The status of a whole report: "graded", or which chapters are missing
   or did not build ("build_failed: 01 03"). */
void gr_report_status(struct gr_buf *b, const struct gr_report *r);
/* The gradebook: a header (its last column, "report", names each
   student's report file), then one row per report. */
void gr_csv_header(struct gr_buf *b, const struct gr_kit *kit, const bool *sel);
void gr_csv_row(struct gr_buf *b, const struct gr_report *r);

/* --- grade.c -------------------------------------------------------------- */

struct gr_opts {
    enum gr_variant variant;
    int jobs;
    double timeout_scale;
    struct gr_strv catch_up; /* chapter ids */
    bool batch;              /* grading a class: names kept neutral */
    bool keep_logs;          /* keep failing tests' output in build/grade */
    bool quiet;
};

#endif /* GR_GRADE_H */
