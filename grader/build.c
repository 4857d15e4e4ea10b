/*
 * build.c - turns a submission into one test binary per chapter, using only
 * the files the rubric names and the kit's own trusted parts.
 *
 * Chapter N's binary is: its tests (grader/tests/NN-slug.c), the code of
 * every chapter in its rubric's 'uses' and its own files (from the
 * submission, or from solutions/ for --solutions and catch-up), the harness,
 * the kit's systems (build/<variant>/libsystems.a, when the kit has any:
 * after the student's objects, which they call, and before the kernel) and
 * the kernel library that the Makefile builds in build/<variant>/.
 *
 * The student's files are copied into a private tree first (trust.c says
 * how), and each is compiled in a sandbox that sees only the kit's headers,
 * the chapter's files and an output folder (run.c); what the compiler read
 * and what the object holds are then judged by trust.c. Objects and
 * binaries come from, and go to, the cache (cache.c): fifty copies of the
 * same submission compile once, and a warm regrade compiles nothing.
 */
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gr-config.h"

#define COMPILE_TIMEOUT 120.0        /* s, before the scale */
#define OBJECT_FSIZE    (16LL << 20) /* bytes of a handed-in file's object */
#define BINARY_FSIZE    (64LL << 20) /* bytes of a test binary */
#define COMPILE_MEMORY  (3LL << 30)  /* bytes of address space of a compiler */

const char *gr_variant_name(enum gr_variant v)
{
    return v == GR_SAN ? "san" : "rel";
}

/* Compiler flags: words separated by spaces (commas belong to -Wl,...). */
static void add_words(struct gr_strv *v, const char *s)
{
    while (*s) {
        s += strspn(s, " \t");
        size_t n = strcspn(s, " \t");
        if (n > 0) {
            char *w = gr_xstrndup(s, n);
            gr_strv_add(v, w);
            free(w);
        }
        s += n;
    }
}

/* --- The kit's own parts -------------------------------------------------- */

/* Is 'target' missing, or older than 'src' or than a dependency listed in
   the compiler's dependency file 'dfile' (paths from 'root')? */
static bool outdated(const char *root, const char *target, const char *src,
                     const char *dfile)
{
    long long t = gr_mtime(target);
    if (t < 0 || gr_mtime(src) > t) {
        return true;
    }
    struct gr_strv deps = { 0 };
    gr_deps_read(dfile, &deps);
    bool old = false;
    for (int i = 0; i < deps.n && !old; i++) {
        const char *dep = deps.v[i];
        char *abs =
                dep[0] == '/' ? gr_xstrdup(dep) : gr_fmt("%s/%s", root, dep);
        old = gr_mtime(abs) > t;
        free(abs);
    }
    gr_strv_free(&deps);
    return old;
}

/* The kernel library is outdated when a kernel source or a header one of
   its objects was compiled from is newer: the Makefile's own rules. */
static bool kernel_outdated(const char *root, const char *vn, const char *lib)
{
    char *dir = gr_fmt("%s/kernel", root);
    DIR *d = opendir(dir);
    bool old = d == NULL;
    struct dirent *e;
    while (d != NULL && !old && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 2 && (strcmp(e->d_name + n - 2, ".c") == 0 ||
                      strcmp(e->d_name + n - 2, ".S") == 0)) {
            char *src = gr_fmt("%s/%s", dir, e->d_name);
            char *dfile = gr_fmt("%s/build/%s/kernel/%.*s.d", root, vn,
                                 (int)n - 2, e->d_name);
            old = outdated(root, lib, src, dfile);
            free(src);
            free(dfile);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    free(dir);
    return old;
}

/* The kit's systems (the to-do code): systems/NAME/FILE.c. A kit without
   any links no systems library. */
static void systems_sources(const char *root, glob_t *g)
{
    char *pat = gr_fmt("%s/systems/*/*.c", root);
    if (glob(pat, 0, NULL, g) != 0) {
        g->gl_pathc = 0;
    }
    free(pat);
}

bool gr_kit_has_systems(const char *root)
{
    glob_t g = { 0 };
    systems_sources(root, &g);
    bool any = g.gl_pathc > 0;
    globfree(&g);
    return any;
}

/* The systems library is outdated like the kernel's: a source, or a header
   one of its objects read, is newer. */
static bool systems_outdated(const char *root, const char *vn, const char *lib)
{
    glob_t g = { 0 };
    systems_sources(root, &g);
    bool old = false;
    size_t rl = strlen(root);
    for (size_t i = 0; i < g.gl_pathc && !old; i++) {
        const char *src = g.gl_pathv[i];
        char *dfile = gr_fmt("%s/build/%s/%.*s.d", root, vn,
                             (int)(strlen(src) - rl - 3), src + rl + 1);
        old = outdated(root, lib, src, dfile);
        free(dfile);
    }
    globfree(&g);
    return old;
}

/* Runs make for the kernel library, the systems library and the harness
   when they are missing or older than their sources. */
int gr_build_kit(const struct gr_kit *kit, enum gr_variant v, bool quiet)
{
    const char *vn = gr_variant_name(v);
    const char *root = kit->root;
    char *lib = gr_fmt("%s/build/%s/libkernel.a", root, vn);
    char *har = gr_fmt("%s/build/%s/grader/harness.o", root, vn);
    char *harc = gr_fmt("%s/grader/harness.c", root);
    char *hard = gr_fmt("%s/build/%s/grader/harness.d", root, vn);
    char *sys = gr_fmt("%s/build/%s/libsystems.a", root, vn);
    bool systems = gr_kit_has_systems(root);
    int rc = 0;
    if (kernel_outdated(root, vn, lib) || outdated(root, har, harc, hard) ||
        (systems && systems_outdated(root, vn, sys))) {
        if (!quiet) {
            fprintf(stderr,
                    "grade: building the kernel and the harness "
                    "(build/%s)\n",
                    vn);
        }
        struct gr_task t = { 0 };
        gr_strv_add(&t.argv, "/usr/bin/env");
        gr_strv_add(&t.argv, "make");
        gr_strv_add(&t.argv, "-s");
        gr_strv_add(&t.argv, "--no-print-directory");
        gr_strv_addf(&t.argv, "SAN=%d", v == GR_SAN);
        gr_strv_addf(&t.argv, "build/%s/libkernel.a", vn);
        if (systems) {
            gr_strv_addf(&t.argv, "build/%s/libsystems.a", vn);
        }
        gr_strv_addf(&t.argv, "build/%s/grader/harness.o", vn);
        t.cwd = root;
        char *dir = gr_fmt("%s/build/grade", root);
        gr_mkdir_p(dir);
        t.log = gr_fmt("%s/make-%s.log", dir, vn);
        t.timeout = 600;
        free(dir);
        struct gr_task *tp = &t;
        gr_run_tasks(&tp, 1, 1);
        if (!WIFEXITED(t.out.wstatus) || WEXITSTATUS(t.out.wstatus) != 0 ||
            t.out.error[0]) {
            char *tail = gr_read_tail(t.log, 4000);
            fprintf(stderr, "%s", tail);
            free(tail);
            rc = -1;
        }
        gr_strv_free(&t.argv);
        free(t.log);
    }
    free(lib);
    free(har);
    free(harc);
    free(hard);
    free(sys);
    return rc;
}

/* --- Units and the cache -------------------------------------------------- */

static int find_unit(struct build *b, const char *key)
{
    for (int i = 0; i < b->nu; i++) {
        if (strcmp(b->u[i].key, key) == 0) {
            return i;
        }
    }
    return -1;
}

/* The compiler's flags for a unit, without the file names. */
void gr_unit_cflags(const struct build *b, const struct unit *u,
                    struct gr_strv *v)
{
    add_words(v, GR_CFLAGS);
    add_words(v, u->variant == GR_SAN || u->shadow ? GR_OPT_SAN : GR_OPT_REL);
    if (u->variant == GR_SAN) {
        add_words(v, GR_SANFLAGS);
    }
    if (u->shadow) {
        /* The sanitizer build's view of the file, without the sanitizer:
           code that only exists there is checked here. */
        gr_strv_add(v, "-D__SANITIZE_ADDRESS__=1");
    }
    gr_strv_addf(v, "-I%s/include", b->kit->root);
    if (u->test) {
        gr_strv_addf(v, "-I%s/grader", b->kit->root);
    }
    add_words(v, GR_CHECK_CFLAGS);
    if (u->prefix_map != NULL) {
        gr_strv_add(v, u->prefix_map);
    }
}

/* Adds a unit (or finds the same one); returns its index. 'content' is what
   the key covers besides the flags and the name. */
static int add_unit(struct build *b, struct unit *proto, const char *content,
                    size_t len)
{
    if (!proto->shadow) {
        proto->variant = b->o->variant;
    }
    gr_unit_key(b, proto, content, len);
    int i = find_unit(b, proto->key);
    if (i >= 0) {
        return i;
    }
    b->u = gr_xrealloc(b->u, (size_t)(b->nu + 1) * sizeof *b->u);
    struct unit *u = &b->u[b->nu];
    *u = *proto;
    /* A shadow is a normal build's object: it lives in that cache. */
    char *cache = gr_fmt("%s/build/grade/%s", b->kit->root,
                         gr_variant_name(u->variant));
    u->obj = gr_fmt("%s/obj/%s.o", cache, u->key);
    u->dep = gr_fmt("%s/obj/%s.dep", cache, u->key);
    u->log = gr_fmt("%s/obj/%s.log", cache, u->key);
    free(cache);
    return b->nu++;
}

bool gr_task_ok(const struct gr_task *t)
{
    return WIFEXITED(t->out.wstatus) && WEXITSTATUS(t->out.wstatus) == 0 &&
           !t->out.timed_out && t->out.error[0] == '\0';
}

/* --- Compiling ------------------------------------------------------------ */

/* Where the compiler writes: a student file's own output folder (the
   only place its sandbox may write), or beside the cache entry. */
static char *out_path(const struct unit *u, const char *what)
{
    if (u->outdir != NULL) {
        return gr_fmt("%s/%s", u->outdir, what);
    }
    const char *final = strcmp(what, "obj.o") == 0 ? u->obj : u->dep;
    return gr_fmt("%s.%d.tmp", final, (int)getpid());
}

static void prepare_compile(struct build *b, struct unit *u)
{
    struct gr_task *t = &u->task;
    memset(t, 0, sizeof *t);
    gr_strv_add(&t->argv, "/usr/bin/env");
    gr_strv_add(&t->argv, GR_CC);
    gr_unit_cflags(b, u, &t->argv);
    /* -MD, not -MMD: a line marker or a pragma can make any file look
       like a system header, which -MMD would leave out. */
    gr_strv_add(&t->argv, u->own_dir ? "-MD" : "-MMD");
    char *dep = out_path(u, "obj.d"), *obj = out_path(u, "obj.o");
    gr_strv_add(&t->argv, "-MF");
    gr_strv_add(&t->argv, dep);
    gr_strv_add(&t->argv, "-c");
    gr_strv_add(&t->argv, u->src);
    gr_strv_add(&t->argv, "-o");
    gr_strv_add(&t->argv, obj);
    free(dep);
    free(obj);
    t->cwd = u->cwd;
    t->log = gr_fmt("%s.%d.tmp", u->log, (int)getpid());
    t->timeout = COMPILE_TIMEOUT * b->o->timeout_scale;
    t->cpu = (long)(COMPILE_TIMEOUT * b->o->timeout_scale) + 1;
    /* One line (char big[200 << 20] = {1};) makes an object of that
       size, which the cache would keep, with its binary: a handed-in
       file's object is bounded, far above what code compiles to. */
    t->fsize = u->own_dir != NULL ? OBJECT_FSIZE : 256LL << 20;
    /* A few lines of macros can expand to gigabytes in the compiler: its
       address space is bounded, as a test's is. */
    t->mem = COMPILE_MEMORY;
    if (u->own_dir != NULL) {
        /* A handed-in file: the compiler sees the kit's headers, the
           chapter's files and its output folder, nothing else. */
        t->kind = GR_TASK_COMPILE;
        gr_mkdir_p(u->outdir);
        gr_strv_addf(&t->ro, "%s/include", b->kit->root);
        gr_strv_add(&t->ro, u->own_dir);
        t->rw = u->outdir;
        t->cwd = u->outdir;
    }
}

/* The compiler's messages, with the private paths made readable. */
static char *clean_log(const struct build *b, const char *text)
{
    struct gr_buf out = { 0 };
    const char *p = text;
    const char *work = b->sub && b->sub->work ? b->sub->work : NULL;
    size_t wl = work ? strlen(work) : 0;
    size_t rl = strlen(b->kit->root);
    while (*p) {
        if (work && strncmp(p, work, wl) == 0 && p[wl] == '/') {
            p += wl + 1;
        } else if (strncmp(p, b->kit->root, rl) == 0 && p[rl] == '/') {
            p += rl + 1;
        } else {
            gr_buf_addn(&out, p, 1);
            p++;
        }
    }
    return out.s ? out.s : gr_xstrdup("");
}

static void compile_failed(struct unit *u, char *msg)
{
    struct gr_task *t = &u->task;
    u->state = UNIT_FAILED;
    if (t->out.timed_out) {
        u->error = gr_fmt("%s: the compiler did not finish within %.0f s",
                          u->shown, t->timeout);
        free(msg);
    } else if (strstr(msg, "File size limit exceeded") != NULL) {
        u->error = gr_fmt("%s: its object would be larger than %lld MiB, "
                          "the limit for a handed-in file (a large "
                          "initialized array?)",
                          u->shown, OBJECT_FSIZE >> 20);
        free(msg);
    } else {
        u->error = *msg ? msg
                        : gr_fmt("%s: the compiler failed (%s)", u->shown,
                                 t->out.error);
    }
}

static void finish_compile(struct build *b, struct unit *u)
{
    struct gr_task *t = &u->task;
    char *tmp_obj = out_path(u, "obj.o");
    char *tmp_dep = out_path(u, "obj.d");
    char *raw = gr_read_tail(t->log, 16000);
    char *msg = clean_log(b, raw);
    free(raw);
    /* What a handed-in file read is checked first, whether it compiled or
       not: a build error must not show a file it had no right to read. */
    char *err = u->own_dir ? gr_trust_includes(b, u, tmp_dep) : NULL;
    if (err == NULL && !gr_task_ok(t)) {
        compile_failed(u, msg);
        msg = NULL;
    } else if (err == NULL && u->own_dir != NULL) {
        err = gr_trust_symbols(b, u, tmp_obj);
    }
    if (err != NULL) {
        u->state = UNIT_FAILED;
        u->error = err;
        free(msg);
    } else if (u->state != UNIT_FAILED) {
        gr_write_file(u->log, msg, strlen(msg));
        gr_cache_store(u, tmp_dep, tmp_obj);
        u->state = UNIT_READY;
        u->warnings = msg;
    }
    unlink(tmp_obj);
    unlink(tmp_dep);
    unlink(t->log);
    if (u->outdir != NULL) {
        rmdir(u->outdir);
    }
    free(tmp_obj);
    free(tmp_dep);
}

static void compile_all(struct build *b)
{
    struct gr_task **todo = gr_xcalloc((size_t)b->nu + 1, sizeof *todo);
    int n = 0;
    for (int i = 0; i < b->nu; i++) {
        struct unit *u = &b->u[i];
        if (u->state != UNIT_TO_COMPILE) {
            continue;
        }
        if (gr_cache_good(b, u)) {
            u->state = UNIT_READY;
            u->warnings = gr_read_file(u->log, 1 << 20, NULL);
            utimensat(AT_FDCWD, u->obj, NULL, 0); /* recently used */
            continue;
        }
        prepare_compile(b, u);
        u->task.user = u;
        todo[n++] = &u->task;
    }
    gr_run_tasks(todo, n, b->o->jobs);
    for (int i = 0; i < n; i++) {
        finish_compile(b, todo[i]->user);
    }
    free(todo);
}

/* --- Sources of each chapter ---------------------------------------------- */

static void student_source(struct build *b, int ci, struct source *s)
{
    const struct gr_chapter *c = &b->kit->ch[ci];
    char *to_dir = gr_fmt("%s/exercises/%s", b->sub->work, c->dir);
    gr_mkdir_p(to_dir);
    struct gr_buf all = { 0 }; /* every file of the chapter: in each key */
    for (int f = 0; f < c->files.n && s->error == NULL; f++) {
        char *shown = gr_fmt("exercises/%s/%s", c->dir, c->files.v[f]);
        char *to = gr_fmt("%s/%s", to_dir, c->files.v[f]);
        char *content = NULL;
        size_t len = 0;
        char *rel = gr_fmt("%s%s/%s", b->sub->prefix ? b->sub->prefix : "",
                           c->dir, c->files.v[f]);
        s->error = gr_trust_copy_in(b->sub->dir, rel, to, shown, &content, &len,
                                    &s->missing);
        free(rel);
        if (s->error == NULL) {
            gr_buf_addf(&all, "%s%c%zu%c", c->files.v[f], 0, len, 0);
            gr_buf_addn(&all, content, len);
        }
        free(content);
        free(shown);
        free(to);
    }
    for (int f = 0; f < c->files.n && s->error == NULL; f++) {
        const char *name = c->files.v[f];
        if (strcmp(name + strlen(name) - 2, ".c") != 0) {
            continue;
        }
        struct unit u = { 0 };
        u.src = gr_fmt("%s/%s", to_dir, name);
        u.cwd = gr_xstrdup(b->sub->work);
        u.shown = gr_fmt("exercises/%s/%s", c->dir, name);
        u.own_dir = gr_xstrdup(to_dir);
        /* Messages and debug info name the student's real file; in a batch
           the same placeholder for all, so identical files share objects. */
        const char *shown_dir = b->o->batch ? "exercises" : b->sub->dir;
        u.prefix_map = gr_fmt("-ffile-prefix-map=%s/exercises=%s", b->sub->work,
                              shown_dir);
        u.key_name = gr_fmt("%s/%s/%s", shown_dir, c->dir, name);
        u.outdir = gr_fmt("%s/out/%d", b->sub->work, b->nout++);
        if (b->o->variant == GR_SAN) {
            struct unit shadow = u;
            shadow.outdir = gr_fmt("%s/out/%d", b->sub->work, b->nout++);
            shadow.src = gr_xstrdup(u.src);
            shadow.cwd = gr_xstrdup(u.cwd);
            shadow.shown = gr_xstrdup(u.shown);
            shadow.own_dir = gr_xstrdup(u.own_dir);
            shadow.prefix_map = gr_xstrdup(u.prefix_map);
            shadow.key_name = gr_xstrdup(u.key_name);
            shadow.shadow = true;
            shadow.variant = GR_REL;
            s->units[s->nunits++] =
                    add_unit(b, &shadow, all.s ? all.s : "", all.len);
        }
        s->units[s->nunits++] = add_unit(b, &u, all.s ? all.s : "", all.len);
    }
    gr_buf_free(&all);
    free(to_dir);
}

static void reference_source(struct build *b, int ci, struct source *s)
{
    const struct gr_chapter *c = &b->kit->ch[ci];
    for (int f = 0; f < c->files.n && s->error == NULL; f++) {
        const char *name = c->files.v[f];
        char *rel = gr_fmt("solutions/%s/%s", c->dir, name);
        char *abs = gr_fmt("%s/%s", b->kit->root, rel);
        size_t len;
        char *content = gr_read_file(abs, MAX_SOURCE, &len);
        if (content == NULL) {
            s->error = gr_fmt("the reference %s is missing from the kit", rel);
        } else if (strcmp(name + strlen(name) - 2, ".c") == 0) {
            struct unit u = { 0 };
            u.src = gr_xstrdup(rel);
            u.cwd = gr_xstrdup(b->kit->root);
            u.shown = gr_xstrdup(rel);
            s->units[s->nunits++] = add_unit(b, &u, content, len);
        }
        free(content);
        free(rel);
        free(abs);
    }
}

static int test_unit(struct build *b, const struct gr_suite *suite)
{
    struct unit u = { 0 };
    size_t rl = strlen(b->kit->root), len;
    bool inside = strncmp(suite->test_src, b->kit->root, rl) == 0 &&
                  suite->test_src[rl] == '/';
    u.src = gr_xstrdup(inside ? suite->test_src + rl + 1 : suite->test_src);
    u.cwd = gr_xstrdup(b->kit->root);
    u.shown = gr_xstrdup(u.src);
    u.test = true;
    char *content = gr_read_file(suite->test_src, 16 << 20, &len);
    if (content == NULL) {
        content = gr_xstrdup("");
        len = 0;
    }
    int i = add_unit(b, &u, content, len);
    free(content);
    return i;
}

/* Chapter ci's code comes from the reference when grading --solutions, or
   when it is used by another chapter and named for catch-up. */
static void want_source(struct build *b, int ci, bool reference)
{
    struct source *s = &b->src[ci + (reference ? b->kit->nch : 0)];
    if (s->wanted) {
        return;
    }
    s->wanted = true;
    s->reference = reference;
    if (reference) {
        reference_source(b, ci, s);
    } else {
        student_source(b, ci, s);
    }
}

static int chapter_index(const struct gr_kit *kit, const char *id)
{
    for (int i = 0; i < kit->nch; i++) {
        if (strcmp(kit->ch[i].id, id) == 0) {
            return i;
        }
    }
    return -1;
}

/* The source of chapter 'id' as used by another chapter. */
static struct source *used_source(struct build *b, const char *id, int *ci)
{
    *ci = chapter_index(b->kit, id);
    bool ref = b->sub->solutions || gr_strv_has(&b->o->catch_up, id);
    return &b->src[*ci + (ref ? b->kit->nch : 0)];
}

static void gather(struct build *b, const bool *sel)
{
    for (int i = 0; i < b->kit->nch; i++) {
        if (!sel[i]) {
            continue;
        }
        const struct gr_chapter *c = &b->kit->ch[i];
        want_source(b, i, b->sub->solutions);
        for (int k = 0; k < c->uses.n; k++) {
            int ui = chapter_index(b->kit, c->uses.v[k]);
            bool ref = b->sub->solutions ||
                       gr_strv_has(&b->o->catch_up, c->uses.v[k]);
            want_source(b, ui, ref);
        }
        for (int s = 0; s < c->nsuites; s++) {
            test_unit(b, &c->suites[s]);
        }
    }
}

/* --- Linking -------------------------------------------------------------- */

/* The first error among a chapter's parts, as the student should read it. */
static char *chapter_error(struct build *b, int ci, struct link *l)
{
    const struct gr_chapter *c = &b->kit->ch[ci];
    struct source *own = &b->src[ci + (b->sub->solutions ? b->kit->nch : 0)];
    if (own->error) {
        return gr_xstrdup(own->error);
    }
    for (int k = 0; k < own->nunits; k++) {
        if (b->u[own->units[k]].state == UNIT_FAILED) {
            return gr_xstrdup(b->u[own->units[k]].error);
        }
    }
    for (int k = 0; k < c->uses.n; k++) {
        int ui;
        struct source *s = used_source(b, c->uses.v[k], &ui);
        bool bad = s->error != NULL;
        for (int j = 0; j < s->nunits; j++) {
            bad |= b->u[s->units[j]].state == UNIT_FAILED;
        }
        if (bad && s->reference) {
            return gr_fmt("the reference of chapter %s does not build (a "
                          "problem of the kit)",
                          c->uses.v[k]);
        }
        if (bad) {
            const char *why = s->error;
            for (int j = 0; why == NULL && j < s->nunits; j++) {
                why = b->u[s->units[j]].error;
            }
            return gr_fmt("chapter %s uses chapter %s (%s), which does not "
                          "build: fix it, or grade with --catch-up %s to "
                          "link the reference of chapter %s instead.\n%s",
                          c->id, c->uses.v[k], b->kit->ch[ui].title,
                          c->uses.v[k], c->uses.v[k], why ? why : "");
        }
    }
    for (int k = 0; l && k < l->nunits; k++) {
        struct unit *u = &b->u[l->units[k]];
        if (u->state == UNIT_FAILED && u->test) {
            return gr_fmt("the tests %s do not compile (a problem of the "
                          "kit, not of your code):\n%s",
                          u->shown, u->error);
        }
    }
    return NULL;
}

static void link_units(struct build *b, struct link *l)
{
    const struct gr_chapter *c = &b->kit->ch[l->ch];
    struct source *own = &b->src[l->ch + (b->sub->solutions ? b->kit->nch : 0)];
    l->nunits = 0;
    l->units[l->nunits++] = test_unit(b, &c->suites[l->suite]);
    for (int k = 0; k < c->uses.n; k++) {
        int ui;
        struct source *s = used_source(b, c->uses.v[k], &ui);
        for (int j = 0; j < s->nunits && l->nunits < 60; j++) {
            if (!b->u[s->units[j]].shadow) {
                l->units[l->nunits++] = s->units[j];
            }
        }
    }
    for (int j = 0; j < own->nunits && l->nunits < 60; j++) {
        if (!b->u[own->units[j]].shadow) {
            l->units[l->nunits++] = own->units[j];
        }
    }
}

static void prepare_link(struct build *b, struct link *l, const char *suffix)
{
    l->bin = gr_bin_path(b, l, suffix);
    struct gr_task *t = &l->task;
    memset(t, 0, sizeof *t);
    /* The linker reads handed-in objects (their sections, their debug
       information for its messages): it runs in a sandbox, as a compiler
       does, that shows it only the files it links and a folder of its
       own for the binary -- not the cache, not another student's files. */
    t->kind = GR_TASK_COMPILE;
    l->outdir = gr_fmt("%s.%d.d", l->bin, (int)getpid());
    gr_rm_rf(l->outdir);
    gr_mkdir_p(l->outdir);
    t->rw = l->outdir;
    gr_strv_add(&t->argv, "/usr/bin/env");
    gr_strv_add(&t->argv, GR_CC);
    gr_strv_add(&t->argv, "-o");
    gr_strv_addf(&t->argv, "%s/test", l->outdir);
    for (int k = 0; k < l->nunits; k++) {
        gr_strv_add(&t->argv, b->u[l->units[k]].obj);
        gr_strv_add(&t->ro, b->u[l->units[k]].obj);
    }
    gr_strv_addf(&t->argv, "%s/build/%s/grader/harness.o", b->kit->root,
                 b->vname);
    /* The systems call the student's layers: after the student's objects,
       before the kernel they both use. */
    if (gr_kit_has_systems(b->kit->root)) {
        gr_strv_addf(&t->argv, "%s/build/%s/libsystems.a", b->kit->root,
                     b->vname);
    }
    gr_strv_addf(&t->argv, "%s/build/%s/libkernel.a", b->kit->root, b->vname);
    for (int k = 2 + 2 * 0 + 1 + l->nunits; k < t->argv.n; k++) {
        gr_strv_add(&t->ro, t->argv.v[k]); /* harness, systems, kernel */
    }
    add_words(&t->argv, GR_LDFLAGS);
    /* The kernel's objects carry LTO code too; linking them without it
       takes a tenth of the time. */
    gr_strv_add(&t->argv, "-fno-lto");
    if (b->o->variant == GR_SAN) {
        add_words(&t->argv, GR_SANFLAGS);
    }
    add_words(&t->argv, GR_CHECK_LIBS);
    t->cwd = l->outdir;
    t->log = gr_fmt("%s.log", l->bin);
    t->timeout = COMPILE_TIMEOUT * b->o->timeout_scale;
    t->cpu = (long)(COMPILE_TIMEOUT * b->o->timeout_scale) + 1;
    t->fsize = BINARY_FSIZE;
    t->mem = 2 * COMPILE_MEMORY;
}

/* Linker messages name cache objects: show the sources instead. */
static char *link_message(struct build *b, struct link *l)
{
    char *raw = gr_read_tail(l->task.log, 8000);
    for (int k = 0; k < l->nunits; k++) {
        struct unit *u = &b->u[l->units[k]];
        char *at;
        while ((at = strstr(raw, u->obj)) != NULL) {
            char *fixed = gr_fmt("%.*s%s%s", (int)(at - raw), raw, u->shown,
                                 at + strlen(u->obj));
            free(raw);
            raw = fixed;
        }
    }
    char *msg = clean_log(b, raw);
    free(raw);
    return msg;
}

static void link_all(struct build *b, const bool *sel, struct gr_built *built)
{
    struct link *ls = gr_xcalloc((size_t)b->kit->nch * 2, sizeof *ls);
    struct gr_task **todo = gr_xcalloc((size_t)b->kit->nch * 2, sizeof *todo);
    int nl = 0, nt = 0;
    for (int i = 0; i < b->kit->nch; i++) {
        const struct gr_chapter *c = &b->kit->ch[i];
        for (int s = 0; sel[i] && s < c->nsuites; s++) {
            struct link *l = &ls[nl++];
            l->ch = i;
            l->suite = s;
            link_units(b, l);
            char *err = chapter_error(b, i, l);
            if (err != NULL) {
                if (built[i].error == NULL) {
                    built[i].error = err;
                } else {
                    free(err);
                }
                continue;
            }
            prepare_link(b, l, "_test");
            if (gr_is_file(l->bin) && gr_cache_intact(l->bin)) {
                utimensat(AT_FDCWD, l->bin, NULL, 0);
            } else {
                l->task.user = l;
                todo[nt++] = &l->task;
            }
        }
    }
    gr_run_tasks(todo, nt, b->o->jobs);
    for (int k = 0; k < nt; k++) {
        struct link *l = todo[k]->user;
        char *tmp = gr_fmt("%s/test", l->outdir);
        if (WIFEXITED(l->task.out.wstatus) &&
            WEXITSTATUS(l->task.out.wstatus) == 0 && !l->task.out.timed_out) {
            /* Made by the linker's user id (as root, one a test may run
               as): the cache's binaries are the grader's alone. */
            if (getuid() == 0 && chown(tmp, 0, 0) != 0) {
                unlink(tmp);
            }
            gr_cache_seal(tmp);
            char *seal = gr_fmt("%s.sha256", tmp);
            char *to = gr_fmt("%s.sha256", l->bin);
            rename(seal, to);
            free(seal);
            free(to);
            rename(tmp, l->bin);
            unlink(l->task.log);
        } else if (built[l->ch].error == NULL) {
            char *msg = link_message(b, l);
            built[l->ch].error =
                    strstr(msg, "File size limit exceeded") != NULL
                            ? gr_fmt("the chapter does not link: its test "
                                     "binary would be larger than %lld MiB",
                                     BINARY_FSIZE >> 20)
                            : gr_fmt("the chapter does not link:\n%s", msg);
            free(msg);
        }
        unlink(tmp);
        free(tmp);
    }
    for (int k = 0; k < nl; k++) {
        struct link *l = &ls[k];
        if (l->outdir != NULL) {
            gr_rm_rf(l->outdir);
            free(l->outdir);
        }
        gr_strv_free(&l->task.ro);
        if (built[l->ch].error == NULL && l->bin) {
            built[l->ch].bins[l->suite] = gr_xstrdup(l->bin);
        }
        gr_strv_free(&l->task.argv);
        free(l->task.log);
        free(l->bin);
    }
    free(todo);
    free(ls);
}

/* --- Putting it together -------------------------------------------------- */

static void init_build(struct build *b, const struct gr_kit *kit,
                       const struct gr_opts *o, struct gr_sub *sub)
{
    memset(b, 0, sizeof *b);
    b->kit = kit;
    b->o = o;
    b->sub = sub;
    b->vname = gr_variant_name(o->variant);
    b->cache = gr_fmt("%s/build/grade/%s", kit->root, b->vname);
    for (int v = 0; v < 2; v++) {
        char *d = gr_fmt("%s/build/grade/%s/obj", kit->root,
                         gr_variant_name((enum gr_variant)v));
        gr_mkdir_p(d);
        free(d);
    }
    char *d = gr_fmt("%s/bin", b->cache);
    gr_mkdir_p(d);
    free(d);
    b->src = gr_xcalloc((size_t)kit->nch * 2, sizeof *b->src);
}

static void free_build(struct build *b)
{
    for (int i = 0; i < b->nu; i++) {
        struct unit *u = &b->u[i];
        free(u->src);
        free(u->cwd);
        free(u->shown);
        free(u->own_dir);
        free(u->prefix_map);
        free(u->key_name);
        free(u->outdir);
        gr_strv_free(&u->task.ro);
        free(u->obj);
        free(u->dep);
        free(u->log);
        free(u->error);
        free(u->warnings);
        gr_strv_free(&u->task.argv);
        free(u->task.log);
    }
    for (int i = 0; i < b->kit->nch * 2; i++) {
        free(b->src[i].error);
    }
    free(b->u);
    free(b->src);
    free(b->cache);
}

/* Compiler warnings about the chapter's own student files. */
static char *own_warnings(struct build *b, int ci)
{
    if (b->sub->solutions) {
        return NULL;
    }
    struct source *own = &b->src[ci];
    struct gr_buf w = { 0 };
    for (int k = 0; k < own->nunits; k++) {
        if (b->u[own->units[k]].shadow) {
            continue;
        }
        const char *msg = b->u[own->units[k]].warnings;
        if (msg && *msg) {
            gr_buf_add(&w, msg);
        }
    }
    return w.s;
}

void gr_build_sub(const struct gr_kit *kit, const struct gr_opts *o,
                  struct gr_sub *sub, const bool *sel, struct gr_built *built)
{
    struct build b;
    init_build(&b, kit, o, sub);
    gather(&b, sel);
    compile_all(&b);
    link_all(&b, sel, built);
    for (int i = 0; i < kit->nch; i++) {
        if (!sel[i]) {
            continue;
        }
        built[i].ok = built[i].error == NULL;
        bool missing = !sub->solutions && b.src[i].missing;
        built[i].state = built[i].ok ? GR_BUILT
                         : missing   ? GR_BUILT_MISSING
                                     : GR_BUILT_FAILED;
        built[i].warnings = own_warnings(&b, i);
        const struct gr_chapter *c = &kit->ch[i];
        for (int k = 0; k < c->uses.n && !sub->solutions; k++) {
            if (gr_strv_has(&o->catch_up, c->uses.v[k])) {
                gr_strv_add(&built[i].catch_up, c->uses.v[k]);
            }
        }
    }
    free_build(&b);
}
