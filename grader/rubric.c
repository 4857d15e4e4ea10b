/*
 * rubric.c - reads the chapters' rubrics: which files are the student's,
 * which chapters are linked in, and every graded test with its points,
 * title and hint.
 *
 *     [chapter]
 *     id = 03
 *     slug = monitors
 *     title = Monitors
 *     files = monitors.c
 *     uses = 01 02
 *     structure = down_reaches_every_watcher     (optional)
 *     points = 25                                 (optional: checks the sum)
 *     timeout = 10                                (optional: s per test)
 *     memory = 2048                               (optional: MiB per test)
 *
 *     [tests]
 *     name | points | title | hint
 *
 * A rubric is kit data that authors edit by hand, so every mistake is
 * reported as "file:line: what is wrong" and grading does not start: a
 * grade computed from a half-read rubric would be silently wrong.
 */
#include "grade.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_TIMEOUT 10.0
#define DEFAULT_MEMORY  2048.0 /* MiB: the kernel reserves 256 MiB chunks */

struct parser {
    const char *path; /* for messages */
    int line;
    int errors;
};

__attribute__((format(printf, 2, 3))) static void bad(struct parser *p,
                                                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s:%d: ", p->path, p->line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    p->errors++;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) {
        s++;
    }
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1])) {
        *--end = '\0';
    }
    return s;
}

static bool is_ident(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_') {
        return false;
    }
    for (; *s; s++) {
        if (!isalnum((unsigned char)*s) && *s != '_') {
            return false;
        }
    }
    return true;
}

static bool is_id(const char *s)
{
    return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
           s[2] == '\0';
}

/* A student file name: a plain name ending in .c or .h, nothing that could
   reach outside the chapter's folder. */
static bool is_file_name(const char *s)
{
    size_t n = strlen(s);
    if (n < 3 || strchr(s, '/') || s[0] == '.') {
        return false;
    }
    for (const char *p = s; *p; p++) {
        if (!isalnum((unsigned char)*p) && !strchr("._-", *p)) {
            return false;
        }
    }
    return strcmp(s + n - 2, ".c") == 0 || strcmp(s + n - 2, ".h") == 0;
}

static bool parse_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0 || !(x >= 0) || x > 1e6) {
        return false;
    }
    *out = x;
    return true;
}

/* --- [chapter] ------------------------------------------------------------ */

/* One parser per key: it stores 'val' in 'c' or says what is wrong. */
typedef void key_parser(struct parser *p, struct gr_chapter *c, char *val);

static void key_id(struct parser *p, struct gr_chapter *c, char *val)
{
    if (!is_id(val)) {
        bad(p, "id '%s' must be two digits, like 03", val);
    }
    c->id = gr_xstrdup(val);
}

static void key_slug(struct parser *p, struct gr_chapter *c, char *val)
{
    (void)p;
    c->slug = gr_xstrdup(val);
}

static void key_title(struct parser *p, struct gr_chapter *c, char *val)
{
    if (*val == '\0') {
        bad(p, "the title is empty");
    }
    c->title = gr_xstrdup(val);
}

static void key_files(struct parser *p, struct gr_chapter *c, char *val)
{
    gr_split_words(val, &c->files);
    for (int i = 0; i < c->files.n; i++) {
        if (!is_file_name(c->files.v[i])) {
            bad(p,
                "'%s' is not a file name like monitors.c (a plain .c or .h "
                "name, no folder)",
                c->files.v[i]);
        }
    }
    if (c->files.n == 0) {
        bad(p, "'files' names no file");
    }
}

static void key_uses(struct parser *p, struct gr_chapter *c, char *val)
{
    gr_split_words(val, &c->uses);
    for (int i = 0; i < c->uses.n; i++) {
        if (!is_id(c->uses.v[i])) {
            bad(p, "uses: '%s' is not a chapter id like 01", c->uses.v[i]);
        }
    }
}

static void key_structure(struct parser *p, struct gr_chapter *c, char *val)
{
    (void)p;
    gr_split_words(val, &c->structure);
}

static void key_points(struct parser *p, struct gr_chapter *c, char *val)
{
    if (!parse_number(val, &c->declared)) {
        bad(p, "points '%s' is not a number", val);
    }
}

static void key_timeout(struct parser *p, struct gr_chapter *c, char *val)
{
    if (!parse_number(val, &c->timeout) || c->timeout <= 0) {
        bad(p, "timeout '%s' is not a positive number of seconds", val);
        c->timeout = DEFAULT_TIMEOUT;
    }
}

static void key_memory(struct parser *p, struct gr_chapter *c, char *val)
{
    if (!parse_number(val, &c->memory) || c->memory < 64) {
        bad(p, "memory '%s' is not a number of MiB (64 or more)", val);
        c->memory = DEFAULT_MEMORY;
    }
}

/* The keys of [chapter]: adding one is adding a line here. */
static const struct {
    const char *name;
    key_parser *parse;
    bool required;
} chapter_keys[] = {
    { "id", key_id, true },          { "slug", key_slug, true },
    { "title", key_title, true },    { "files", key_files, true },
    { "uses", key_uses, true },      { "structure", key_structure, false },
    { "points", key_points, false }, { "timeout", key_timeout, false },
    { "memory", key_memory, false },
};

#define NKEYS ((int)(sizeof chapter_keys / sizeof chapter_keys[0]))

static void chapter_key(struct parser *p, struct gr_chapter *c, char *key,
                        char *val, bool *seen)
{
    int k = 0;
    while (k < NKEYS && strcmp(key, chapter_keys[k].name) != 0) {
        k++;
    }
    if (k == NKEYS) {
        struct gr_buf known = { 0 };
        for (int i = 0; i < NKEYS; i++) {
            gr_buf_addf(&known, "%s%s", i ? ", " : "", chapter_keys[i].name);
        }
        bad(p, "unknown key '%s' in [chapter] (known: %s)", key,
            gr_buf_str(&known));
        gr_buf_free(&known);
        return;
    }
    if (seen[k]) {
        bad(p, "'%s' is given twice", key);
        return;
    }
    seen[k] = true;
    chapter_keys[k].parse(p, c, val);
}

/* --- [tests] -------------------------------------------------------------- */

static void test_line(struct parser *p, struct gr_chapter *c, char *line,
                      int suite, bool hidden)
{
    char *field[4];
    int n = 0;
    char *s = line;
    /* name | points | title | hint -- the hint may itself contain '|'. */
    while (n < 3) {
        char *bar = strchr(s, '|');
        if (bar == NULL) {
            break;
        }
        *bar = '\0';
        field[n++] = trim(s);
        s = bar + 1;
    }
    field[n++] = trim(s);
    if (n != 4) {
        bad(p,
            "a test line reads 'name | points | title | hint' (found %d "
            "field%s)",
            n, n == 1 ? "" : "s");
        return;
    }
    if (!is_ident(field[0])) {
        bad(p, "test name '%s' is not a C identifier", field[0]);
        return;
    }
    double points;
    if (!parse_number(field[1], &points)) {
        bad(p, "points '%s' of %s is not a number", field[1], field[0]);
        return;
    }
    if (*field[2] == '\0' || *field[3] == '\0') {
        bad(p, "test %s needs a title and a hint", field[0]);
        return;
    }
    for (int i = 0; i < c->ntests; i++) {
        if (strcmp(c->tests[i].name, field[0]) == 0) {
            bad(p, "test %s is listed twice", field[0]);
            return;
        }
    }
    c->tests =
            gr_xrealloc(c->tests, (size_t)(c->ntests + 1) * sizeof *c->tests);
    c->tests[c->ntests++] = (struct gr_test){
        .name = gr_xstrdup(field[0]),
        .points = points,
        .title = gr_xstrdup(field[2]),
        .hint = gr_xstrdup(field[3]),
        .suite = suite,
        .hidden = hidden,
        .line = p->line,
    };
}

/* --- One file ------------------------------------------------------------- */

static bool same_words(const struct gr_strv *a, const struct gr_strv *b)
{
    if (a->n != b->n) {
        return false;
    }
    for (int i = 0; i < a->n; i++) {
        if (!gr_strv_has(b, a->v[i])) {
            return false;
        }
    }
    return true;
}

/* Where the parser is in a rubric: the sections come in this order. */
enum section {
    IN_NOTHING,
    IN_CHAPTER,
    IN_TESTS
};

/* One line of a rubric, in the section it belongs to. */
static void parse_line(struct parser *p, char *s, enum section *section,
                       struct gr_chapter *mine, bool *seen,
                       struct gr_chapter *c, int suite, bool hidden)
{
    if (strcmp(s, "[chapter]") == 0 || strcmp(s, "[tests]") == 0) {
        enum section want = s[1] == 'c' ? IN_CHAPTER : IN_TESTS;
        if (want <= *section) {
            bad(p, "%s must come once, [chapter] before [tests]", s);
        }
        *section = want;
    } else if (*section == IN_CHAPTER) {
        char *eq = strchr(s, '=');
        if (eq == NULL) {
            bad(p, "expected 'key = value' in [chapter]");
            return;
        }
        *eq = '\0';
        chapter_key(p, mine, trim(s), trim(eq + 1), seen);
    } else if (*section == IN_TESTS) {
        test_line(p, c, s, suite, hidden);
    } else {
        bad(p, "expected [chapter] first");
    }
}

/* The [chapter] section is complete and agrees with the file's name. */
static void check_header(struct parser *p, const char *dirname,
                         const struct gr_chapter *mine, const bool *seen,
                         int ntests)
{
    p->line = 1; /* whole-file problems */
    bool complete = mine->id && mine->slug && mine->title;
    for (int k = 0; k < NKEYS; k++) {
        complete &= seen[k] || !chapter_keys[k].required;
    }
    if (!complete) {
        bad(p, "[chapter] needs id, slug, title, files and uses "
               "(uses may be empty)");
    } else if (strncmp(dirname, mine->id, 2) != 0 ||
               strcmp(dirname + 3, mine->slug) != 0) {
        bad(p, "the file is named %s.rubric but says id = %s, slug = %s",
            dirname, mine->id, mine->slug);
    }
    if (ntests == 0) {
        bad(p, "no tests: add lines 'name | points | title | hint' under "
               "[tests]");
    }
}

/* A new chapter takes the [chapter] section as it is; a hidden suite of a
   public chapter must link the same code. */
static void adopt(struct parser *p, struct gr_chapter *c,
                  struct gr_chapter *mine, const char *dirname)
{
    if (c->id == NULL) {
        c->num = atoi(mine->id);
        c->id = mine->id;
        c->slug = mine->slug;
        c->dir = gr_xstrdup(dirname);
        c->title = mine->title;
        c->files = mine->files;
        c->uses = mine->uses;
        c->structure = mine->structure;
        c->declared = mine->declared;
        c->timeout = mine->timeout;
        c->memory = mine->memory;
        return;
    }
    if (!same_words(&mine->files, &c->files) ||
        !same_words(&mine->uses, &c->uses)) {
        bad(p,
            "files and uses must be those of the public rubric of %s: the "
            "hidden tests link the same code",
            dirname);
    }
    if (mine->declared >= 0) {
        c->declared = c->declared < 0 ? -1 : c->declared + mine->declared;
    }
    for (int i = 0; i < mine->structure.n; i++) {
        gr_strv_add(&c->structure, mine->structure.v[i]);
    }
}

/* Reads 'path' into 'c' (a fresh chapter, or the public one that a hidden
   rubric adds tests to). 'dirname' is "NN-slug" from the file's name. On
   an error 'c' keeps the tests it had. */
static int parse_rubric(const char *path, const char *shown,
                        const char *dirname, struct gr_chapter *c, int suite,
                        bool hidden)
{
    struct parser p = { .path = shown };
    char *text = gr_read_file(path, 1 << 20, NULL);
    if (text == NULL) {
        fprintf(stderr, "%s: cannot read: %s\n", shown, strerror(errno));
        return -1;
    }
    struct gr_chapter mine = { .declared = -1,
                               .timeout = DEFAULT_TIMEOUT,
                               .memory = DEFAULT_MEMORY };
    bool seen[NKEYS] = { false };
    enum section section = IN_NOTHING;
    int had_tests = c->ntests;
    for (char *line = text, *next; line != NULL; line = next) {
        next = strchr(line, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }
        p.line++;
        char *s = trim(line);
        if (*s != '\0' && *s != '#') {
            parse_line(&p, s, &section, &mine, seen, c, suite, hidden);
        }
    }
    free(text);
    check_header(&p, dirname, &mine, seen, c->ntests - had_tests);
    if (p.errors == 0) {
        adopt(&p, c, &mine, dirname);
    }
    if (p.errors != 0) {
        c->ntests = had_tests;
    }
    return p.errors ? -1 : 0;
}

/* "NN-slug.rubric" names in a folder, sorted. */
static int list_rubrics(const char *dir, struct gr_strv *out)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 10 && strcmp(e->d_name + n - 7, ".rubric") == 0 &&
            isdigit((unsigned char)e->d_name[0]) &&
            isdigit((unsigned char)e->d_name[1]) && e->d_name[2] == '-') {
            char *base = gr_xstrndup(e->d_name, n - 7);
            gr_strv_add(out, base);
            free(base);
        }
    }
    closedir(d);
    for (int i = 1; i < out->n; i++) { /* insertion sort: a few names */
        for (int j = i; j > 0 && strcmp(out->v[j - 1], out->v[j]) > 0; j--) {
            char *t = out->v[j];
            out->v[j] = out->v[j - 1];
            out->v[j - 1] = t;
        }
    }
    return 0;
}

static struct gr_chapter *add_chapter(struct gr_kit *kit)
{
    kit->ch = gr_xrealloc(kit->ch, (size_t)(kit->nch + 1) * sizeof *kit->ch);
    struct gr_chapter *c = &kit->ch[kit->nch++];
    memset(c, 0, sizeof *c);
    return c;
}

/* One folder of rubrics (grader/rubric, or DIR/rubric of --hidden). */
static int load_dir(struct gr_kit *kit, const char *base, bool hidden)
{
    char *rdir = gr_fmt("%s/rubric", base);
    struct gr_strv names = { 0 };
    int rc = 0;
    if (list_rubrics(rdir, &names) != 0) {
        fprintf(stderr, "%s: cannot read the folder: %s\n", rdir,
                strerror(errno));
        free(rdir);
        return -1;
    }
    for (int i = 0; i < names.n; i++) {
        char *path = gr_fmt("%s/%s.rubric", rdir, names.v[i]);
        char *src = gr_fmt("%s/tests/%s.c", base, names.v[i]);
        const char *shown = path;
        size_t rl = strlen(kit->root);
        if (strncmp(path, kit->root, rl) == 0 && path[rl] == '/') {
            shown = path + rl + 1;
        }
        struct gr_chapter *c = NULL;
        for (int k = 0; k < kit->nch; k++) {
            if (strcmp(kit->ch[k].dir, names.v[i]) == 0) {
                c = &kit->ch[k];
            }
        }
        if (c == NULL) {
            c = add_chapter(kit);
        }
        if (c->nsuites == 2) {
            fprintf(stderr, "%s: chapter %s has a hidden suite already\n",
                    shown, names.v[i]);
            gr_strv_add(&kit->broken, names.v[i]);
        } else if (!gr_is_file(src)) {
            fprintf(stderr, "%s: its tests %s do not exist\n", shown, src);
            gr_strv_add(&kit->broken, names.v[i]);
        } else if (parse_rubric(path, shown, names.v[i], c, c->nsuites,
                                hidden) != 0) {
            gr_strv_add(&kit->broken, names.v[i]);
        } else {
            c->suites[c->nsuites++] = (struct gr_suite){ .test_src = src,
                                                         .rubric = path,
                                                         .hidden = hidden };
            src = path = NULL;
        }
        if (c->id == NULL) { /* a failed new chapter: drop it */
            kit->nch--;
        }
        free(path);
        free(src);
    }
    gr_strv_free(&names);
    free(rdir);
    return rc;
}

static int by_num(const void *a, const void *b)
{
    const struct gr_chapter *x = a, *y = b;
    return x->num - y->num;
}

/* Every chapter a rubric uses exists and comes earlier; structure names
   are tests. A chapter that fails is marked broken. */
static void check_links(struct gr_kit *kit)
{
    for (int i = 0; i < kit->nch; i++) {
        struct gr_chapter *c = &kit->ch[i];
        int errors = 0;
        const char *shown = c->suites[0].rubric;
        for (int u = 0; u < c->uses.n; u++) {
            struct gr_chapter *d = gr_kit_by_id(kit, c->uses.v[u]);
            if (d == NULL || d->num >= c->num) {
                fprintf(stderr,
                        "%s: uses %s, which is not an earlier "
                        "chapter of the kit\n",
                        shown, c->uses.v[u]);
                errors++;
            }
        }
        for (int s = 0; s < c->structure.n; s++) {
            bool found = false;
            for (int t = 0; t < c->ntests; t++) {
                found |= strcmp(c->tests[t].name, c->structure.v[s]) == 0;
            }
            if (!found) {
                fprintf(stderr,
                        "%s: structure names %s, which is not one "
                        "of its tests\n",
                        shown, c->structure.v[s]);
                errors++;
            }
        }
        for (int k = 0; k < i; k++) {
            if (kit->ch[k].num == c->num) {
                fprintf(stderr, "%s: chapter %s has two rubrics (%s, %s)\n",
                        shown, c->id, kit->ch[k].dir, c->dir);
                errors++;
            }
        }
        if (errors && !gr_strv_has(&kit->broken, c->dir)) {
            gr_strv_add(&kit->broken, c->dir);
        }
    }
}

int gr_kit_load(struct gr_kit *kit, const char *root, const char *hidden_dir)
{
    kit->root = gr_xstrdup(root);
    char *sol = gr_fmt("%s/solutions", root);
    kit->has_solutions = gr_is_dir(sol);
    free(sol);
    char *grader = gr_fmt("%s/grader", root);
    int rc = load_dir(kit, grader, false);
    free(grader);
    if (rc == 0 && hidden_dir != NULL) {
        rc = load_dir(kit, hidden_dir, true);
    }
    qsort(kit->ch, (size_t)kit->nch, sizeof *kit->ch, by_num);
    check_links(kit);
    return rc;
}

struct gr_chapter *gr_kit_by_id(struct gr_kit *kit, const char *id)
{
    for (int i = 0; i < kit->nch; i++) {
        if (strcmp(kit->ch[i].id, id) == 0) {
            return &kit->ch[i];
        }
    }
    return NULL;
}

struct gr_chapter *gr_kit_find(struct gr_kit *kit, const char *name)
{
    char *end;
    long n = strtol(name, &end, 10);
    bool numeric = end != name && *end == '\0' && n >= 0 && n < 100;
    for (int i = 0; i < kit->nch; i++) {
        struct gr_chapter *c = &kit->ch[i];
        if ((numeric && c->num == n) || strcmp(c->dir, name) == 0 ||
            strcmp(c->slug, name) == 0) {
            return c;
        }
    }
    return NULL;
}

double gr_chapter_max(const struct gr_chapter *c)
{
    double sum = 0;
    for (int i = 0; i < c->ntests; i++) {
        sum += c->tests[i].points;
    }
    return sum;
}

/* --- Kit checks ----------------------------------------------------------- */

static bool uses_closed(struct gr_kit *kit, struct gr_chapter *c,
                        struct gr_buf *missing)
{
    bool ok = true;
    for (int u = 0; u < c->uses.n; u++) {
        struct gr_chapter *d = gr_kit_by_id(kit, c->uses.v[u]);
        for (int k = 0; d != NULL && k < d->uses.n; k++) {
            if (!gr_strv_has(&c->uses, d->uses.v[k])) {
                gr_buf_addf(missing, " %s (used by %s)", d->uses.v[k], d->id);
                ok = false;
            }
        }
    }
    return ok;
}

int gr_kit_check(struct gr_kit *kit)
{
    int problems = 0;
    double total = 0;
    for (int i = 0; i < kit->nch; i++) {
        struct gr_chapter *c = &kit->ch[i];
        double sum = gr_chapter_max(c);
        total += sum;
        const char *r = c->suites[0].rubric;
        if (c->declared >= 0 &&
            (sum - c->declared > 1e-9 || c->declared - sum > 1e-9)) {
            printf("%s: the tests add up to %s points, the rubric declares "
                   "points = %s\n",
                   r, gr_num(sum), gr_num(c->declared));
            problems++;
        }
        for (int t = 0; t < c->ntests; t++) {
            if (c->tests[t].points <= 0) {
                printf("%s:%d: test %s is worth no points\n",
                       c->suites[c->tests[t].suite].rubric, c->tests[t].line,
                       c->tests[t].name);
                problems++;
            }
        }
        struct gr_buf missing = { 0 };
        if (!uses_closed(kit, c, &missing)) {
            printf("%s: uses must also list the chapters its uses use:%s\n", r,
                   gr_buf_str(&missing));
            problems++;
        }
        gr_buf_free(&missing);
        printf("%-16s %3d tests  %6s points\n", c->dir, c->ntests, gr_num(sum));
    }
    printf("%-16s %3s        %6s points\n", "kit", "", gr_num(total));
    return problems;
}
