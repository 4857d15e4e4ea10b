/*
 * build.c - turns a submission into one test binary per chapter, using only
 * the files the rubric names and the kit's own trusted parts.
 *
 * Chapter N's binary is: its tests (grader/tests/NN-slug.c), the code of
 * every chapter in its rubric's 'uses' and its own files (from the
 * submission, or from solutions/ for --solutions and catch-up), the harness
 * and the kernel library that the Makefile builds in build/<variant>/.
 *
 * Trust. The student's files are copied into a private tree first, and
 * compiled there, so a quoted #include finds only those files; afterwards
 * the compiler's dependency list must name nothing but them, the kit's
 * include/ and system headers (no reading the reference through
 * "../../solutions/..."), and the object may define no name that belongs to
 * the C library, Check, the harness or the kernel (no replacing write() to
 * rewrite the harness's verdict). Symbolic links and huge files are
 * refused.
 *
 * Speed. Objects are cached by the SHA-256 of everything that went into
 * them -- flags, the file's name and its content, and for a student file
 * the content of all the chapter's files (they may include each other) --
 * plus the modification times of the trusted headers they included, the
 * way make would check them. Binaries are cached by the keys of their
 * objects. Fifty copies of the same submission compile once, and a warm
 * regrade compiles nothing.
 */
#include "grade.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gr-config.h"

#define MAX_SOURCE      (1 << 20) /* bytes: larger is not a handed-in file */
#define COMPILE_TIMEOUT 120.0     /* s, before the scale */
#define KEEP_OBJECTS    3000      /* cache entries kept by gr_cache_prune() */
#define KEEP_BINARIES   400

enum unit_state {
    UNIT_TO_COMPILE,
    UNIT_READY, /* compiled (or found in the cache) and accepted */
    UNIT_FAILED /* did not compile, or refused: 'error' says why */
};

/* One C file to compile. */
struct unit {
    char key[65];
    char *src;      /* the path given to the compiler */
    char *cwd;      /* where the compiler runs */
    char *shown;    /* the name in messages: exercises/00-processes/echo.c */
    char *key_name; /* what the key covers instead of the private path */
    char *own_dir;  /* student file: its private folder (includes allowed) */
    bool test;      /* a test file: may include harness.h */
    enum gr_variant variant;
    bool shadow;      /* compiled only to be checked, never linked */
    char *prefix_map; /* -ffile-prefix-map=... or NULL */
    char *obj, *dep, *log;
    char *outdir; /* student file: the only folder its compiler writes */
    enum unit_state state;
    char *error;
    char *warnings;
    struct gr_task task;
};

/* Where a chapter's code comes from in this build, and whether it is
   usable. */
struct source {
    bool wanted, reference;
    bool missing;  /* the submission lacks a file */
    char *error;   /* missing or refused files */
    int units[16]; /* its .c files */
    int nunits;
};

struct build {
    const struct gr_kit *kit;
    const struct gr_opts *o;
    struct gr_sub *sub;
    const char *vname; /* "rel" / "san" */
    char *cache;       /* build/grade/<v> */
    struct unit *u;
    int nu;
    struct source *src; /* per chapter */
    int nout;           /* output folders of student files so far */
};

static const char *variant_name(enum gr_variant v)
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

/* The dependencies listed in a .d or .dep file (make syntax). */
static void read_deps(const char *path, struct gr_strv *out);

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
    read_deps(dfile, &deps);
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

/* Runs make for the kernel library and the harness when they are missing
   or older than their sources. */
int gr_build_kit(const struct gr_kit *kit, enum gr_variant v, bool quiet)
{
    const char *vn = variant_name(v);
    const char *root = kit->root;
    char *lib = gr_fmt("%s/build/%s/libkernel.a", root, vn);
    char *har = gr_fmt("%s/build/%s/grader/harness.o", root, vn);
    char *harc = gr_fmt("%s/grader/harness.c", root);
    char *hard = gr_fmt("%s/build/%s/grader/harness.d", root, vn);
    int rc = 0;
    if (kernel_outdated(root, vn, lib) || outdated(root, har, harc, hard)) {
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
    return rc;
}

/* --- Names that student code may not define ------------------------------- */

static struct gr_strv reserved; /* sorted */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names the C run-time start-up code and the linker give a meaning to:
   defining one runs code before main() or changes what runs at all. */
static const char *const startup_names[] = { "main",  "_start",     "_init",
                                             "_fini", "_etext",     "_edata",
                                             "_end",  "etext",      "edata",
                                             "end",   "data_start", NULL };

/* A name a handed-in file may not define: the C library's, Check's, the
   harness's, the kit's libraries', the start-up code's, and every name
   the C standard reserves for the implementation (a leading underscore
   and a capital or a second underscore: __gmon_start__,
   __asan_default_options, _ITM_registerTMCloneTable, __start_SECTION ...). */
static bool is_reserved(const char *name)
{
    if (name[0] == '_' &&
        (name[1] == '_' || (name[1] >= 'A' && name[1] <= 'Z'))) {
        return true;
    }
    for (int i = 0; startup_names[i]; i++) {
        if (strcmp(name, startup_names[i]) == 0) {
            return true;
        }
    }
    return reserved.n > 0 && bsearch(&name, reserved.v, (size_t)reserved.n,
                                     sizeof(char *), cmp_str) != NULL;
}

/* Defined global names from "nm" output: "addr T name[@version]". */
static void nm_names(const char *text, struct gr_strv *out)
{
    const char *p = text;
    while (*p) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char *line = gr_xstrndup(p, n);
        char *last = strrchr(line, ' ');
        if (last != NULL && last > line + 2 && last[-2] == ' ') {
            char type = last[-1];
            char *name = last + 1;
            name[strcspn(name, "@")] = '\0';
            if (type != 'U' && type != 'w' && type != 'v' && *name) {
                gr_strv_add(out, name);
            }
        }
        free(line);
        p += n + (end != NULL);
    }
}

static char *run_nm(const char *cache, const char *opt, const char *file)
{
    struct gr_task t = { 0 };
    gr_strv_add(&t.argv, "/usr/bin/env");
    gr_strv_add(&t.argv, "nm");
    gr_strv_add(&t.argv, opt);
    gr_strv_add(&t.argv, "--defined-only");
    gr_strv_add(&t.argv, file);
    t.cwd = "/";
    t.log = gr_fmt("%s/nm.%d.out", cache, (int)getpid());
    t.timeout = 60;
    struct gr_task *tp = &t;
    gr_run_tasks(&tp, 1, 1);
    char *text = NULL;
    if (WIFEXITED(t.out.wstatus) && WEXITSTATUS(t.out.wstatus) == 0) {
        text = gr_read_file(t.log, 64 << 20, NULL);
    }
    unlink(t.log);
    free(t.log);
    gr_strv_free(&t.argv);
    return text;
}

static char *lib_path(const char *cache, const char *name)
{
    struct gr_task t = { 0 };
    static int n;
    gr_strv_add(&t.argv, "/usr/bin/env");
    gr_strv_add(&t.argv, GR_CC);
    gr_strv_addf(&t.argv, "-print-file-name=%s", name);
    t.cwd = "/";
    t.log = gr_fmt("%s/libpath.%d.%d", cache, (int)getpid(), n++);
    t.timeout = 30;
    struct gr_task *tp = &t;
    gr_run_tasks(&tp, 1, 1);
    char *s = gr_read_file(t.log, 4096, NULL);
    unlink(t.log);
    free(t.log);
    gr_strv_free(&t.argv);
    if (s != NULL) {
        s[strcspn(s, "\n")] = '\0';
    }
    return s;
}

/* The reserved names: cached in build/grade/<v>/reserved, redone when a
   library is newer. */
static void load_reserved(struct build *b)
{
    if (reserved.n > 0) {
        return;
    }
    static const char *const libs[] = { "libc.so.6", "libm.so.6",
                                        "libcheck_pic.a", "libsubunit.so" };
    struct gr_strv files = { 0 };
    for (int i = 0; i < 4; i++) {
        char *p = lib_path(b->cache, libs[i]);
        if (p != NULL && p[0] == '/') {
            gr_strv_add(&files, p);
        }
        free(p);
    }
    gr_strv_addf(&files, "%s/build/%s/libkernel.a", b->kit->root, b->vname);
    char *systems = gr_fmt("%s/build/%s/libsystems.a", b->kit->root, b->vname);
    if (gr_is_file(systems)) {
        gr_strv_add(&files, systems);
    }
    free(systems);
    gr_strv_addf(&files, "%s/build/%s/grader/harness.o", b->kit->root,
                 b->vname);
    char *path = gr_fmt("%s/reserved", b->cache);
    long long mine = gr_mtime(path), theirs = 0;
    for (int i = 0; i < files.n; i++) {
        long long m = gr_mtime(files.v[i]);
        theirs = m > theirs ? m : theirs;
    }
    char *text = mine > theirs ? gr_read_file(path, 64 << 20, NULL) : NULL;
    if (text == NULL) {
        struct gr_buf all = { 0 };
        for (int i = 0; i < files.n; i++) {
            bool shared = strstr(files.v[i], ".so") != NULL;
            char *out = run_nm(b->cache, shared ? "-D" : "-g", files.v[i]);
            if (out != NULL) {
                gr_buf_add(&all, out);
            }
            free(out);
        }
        text = gr_xstrdup(gr_buf_str(&all));
        gr_write_file(path, text, strlen(text));
        gr_buf_free(&all);
    }
    nm_names(text, &reserved);
    qsort(reserved.v, (size_t)reserved.n, sizeof(char *), cmp_str);
    free(text);
    free(path);
    gr_strv_free(&files);
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
static void cflags(const struct build *b, const struct unit *u,
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

static void unit_key(const struct build *b, struct unit *u, const char *extra,
                     size_t extra_len)
{
    struct gr_sha256 h;
    gr_sha256_init(&h);
    struct gr_strv v = { 0 };
    cflags(b, u, &v);
    gr_sha256_add(&h, "grade-obj-1", 12);
    gr_sha256_add(&h, GR_CC, strlen(GR_CC) + 1);
    for (int i = 0; i < v.n; i++) {
        if (v.v[i] != NULL &&
            (u->prefix_map == NULL || strcmp(v.v[i], u->prefix_map) != 0)) {
            gr_sha256_add(&h, v.v[i], strlen(v.v[i]) + 1);
        }
    }
    /* A student file's private path differs from run to run: the key has
       its place in the chapter and where the prefix map points instead. */
    const char *name = u->key_name ? u->key_name : u->src;
    gr_sha256_add(&h, name, strlen(name) + 1);
    gr_sha256_add(&h, extra, extra_len);
    gr_sha256_hex(&h, u->key);
    gr_strv_free(&v);
}

/* Adds a unit (or finds the same one); returns its index. 'content' is what
   the key covers besides the flags and the name. */
static int add_unit(struct build *b, struct unit *proto, const char *content,
                    size_t len)
{
    if (!proto->shadow) {
        proto->variant = b->o->variant;
    }
    unit_key(b, proto, content, len);
    int i = find_unit(b, proto->key);
    if (i >= 0) {
        return i;
    }
    b->u = gr_xrealloc(b->u, (size_t)(b->nu + 1) * sizeof *b->u);
    struct unit *u = &b->u[b->nu];
    *u = *proto;
    /* A shadow is a normal build's object: it lives in that cache. */
    char *cache =
            gr_fmt("%s/build/grade/%s", b->kit->root, variant_name(u->variant));
    u->obj = gr_fmt("%s/obj/%s.o", cache, u->key);
    u->dep = gr_fmt("%s/obj/%s.dep", cache, u->key);
    u->log = gr_fmt("%s/obj/%s.log", cache, u->key);
    free(cache);
    return b->nu++;
}

/* The dependencies listed in a .dep file (make syntax), after the target. */
static void read_deps(const char *path, struct gr_strv *out)
{
    char *s = gr_read_file(path, 1 << 20, NULL);
    if (s == NULL) {
        return;
    }
    char *p = strchr(s, ':');
    struct gr_buf word = { 0 };
    for (p = p ? p + 1 : s; *p; p++) {
        if (*p == '\\' && (p[1] == '\n' || p[1] == '\r')) {
            p++;
        } else if (*p == '\\' && p[1] == ' ') {
            gr_buf_add(&word, " ");
            p++;
        } else if (*p == ' ' || *p == '\n' || *p == '\t') {
            if (word.len > 0) {
                gr_strv_add(out, word.s);
                word.len = 0;
            }
            if (*p == '\n' && p[1] != ' ') {
                break; /* -MP adds phony targets after the first rule */
            }
        } else {
            gr_buf_addn(&word, p, 1);
        }
    }
    if (word.len > 0) {
        gr_strv_add(out, word.s);
    }
    gr_buf_free(&word);
    free(s);
}

/* The SHA-256 of a file's content, or "" if it cannot be read. */
static void file_hash(const char *path, char out[65])
{
    size_t len;
    char *data = gr_read_file(path, 1u << 30, &len);
    out[0] = '\0';
    if (data != NULL) {
        struct gr_sha256 h;
        gr_sha256_init(&h);
        gr_sha256_add(&h, data, len);
        gr_sha256_hex(&h, out);
        free(data);
    }
}

/* Cache entries are named by what went into them and carry the hash of
   what came out (NAME.sha256): an entry whose content no longer matches
   was changed behind the grader's back, and is made again. */
static void cache_seal(const char *path)
{
    char hex[65];
    file_hash(path, hex);
    char *seal = gr_fmt("%s.sha256", path);
    gr_write_file(seal, hex, strlen(hex));
    free(seal);
}

static bool cache_intact(const char *path)
{
    char hex[65];
    char *seal = gr_fmt("%s.sha256", path);
    char *want = gr_read_file(seal, 128, NULL);
    free(seal);
    file_hash(path, hex);
    bool ok = want != NULL && hex[0] && strcmp(want, hex) == 0;
    free(want);
    return ok;
}

/* Moves a fresh object and its dependency list into the cache. */
static void cache_store(const struct unit *u, const char *dep, const char *obj)
{
    rename(dep, u->dep);
    cache_seal(obj);
    char *seal = gr_fmt("%s.sha256", obj), *to = gr_fmt("%s.sha256", u->obj);
    rename(seal, to);
    free(seal);
    free(to);
    rename(obj, u->obj); /* last: the object means "complete" */
}

/* A cached object is good while no trusted header it read has changed.
   The student's own files are in its key. */
static bool cache_good(const struct build *b, const struct unit *u)
{
    char *work = gr_fmt("%s/build/grade/work/", b->kit->root);
    long long t = gr_mtime(u->obj);
    if (t < 0 || gr_mtime(u->dep) < 0 || !cache_intact(u->obj)) {
        free(work);
        return false;
    }
    struct gr_strv deps = { 0 };
    read_deps(u->dep, &deps);
    bool ok = true;
    for (int i = 0; i < deps.n && ok; i++) {
        const char *d = deps.v[i];
        if (strncmp(d, work, strlen(work)) == 0) {
            continue; /* a private copy: in the key */
        }
        char *abs = d[0] == '/' ? gr_xstrdup(d) : gr_fmt("%s/%s", u->cwd, d);
        long long m = gr_mtime(abs);
        ok = m >= 0 && m <= t;
        free(abs);
    }
    gr_strv_free(&deps);
    free(work);
    return ok;
}

/* --- Checks on a freshly compiled student file ---------------------------- */

static bool under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static bool compiled(const struct gr_task *t)
{
    return WIFEXITED(t->out.wstatus) && WEXITSTATUS(t->out.wstatus) == 0 &&
           !t->out.timed_out && t->out.error[0] == '\0';
}

/* Every file the compiler read, from its own dependency output (-MD:
   system headers included, whatever line markers or pragmas said), must
   be one of the kit's headers, a header of the system's compiler and C
   library, or one of the chapter's own files. */
static char *check_includes(const struct build *b, const struct unit *u,
                            const char *dep)
{
    struct gr_strv deps = { 0 };
    read_deps(dep, &deps);
    char *inc = gr_fmt("%s/include", b->kit->root);
    char *real_inc = realpath(inc, NULL);
    char *real_own = realpath(u->own_dir, NULL);
    char *err = NULL;
    static const char *const sys[] = { "/usr/include", "/usr/lib/gcc",
                                       "/usr/local/include", NULL };
    if (deps.n == 0 && compiled(&u->task)) {
        err = gr_fmt("%s: the compiler did not say which files it read",
                     u->shown);
    }
    for (int i = 0; i < deps.n && err == NULL; i++) {
        char *abs = deps.v[i][0] == '/' ? gr_xstrdup(deps.v[i])
                                        : gr_fmt("%s/%s", u->cwd, deps.v[i]);
        char *real = realpath(abs, NULL);
        bool ok = real != NULL && ((real_inc && under(real, real_inc)) ||
                                   (real_own && under(real, real_own)));
        for (int k = 0; real != NULL && sys[k] && !ok; k++) {
            ok = under(real, sys[k]);
        }
        if (!ok) {
            err = gr_fmt("%s includes %s: a handed-in file may include only "
                         "the kit's headers (include/), system headers and "
                         "the chapter's own files (the compiler's messages "
                         "are not shown)",
                         u->shown, deps.v[i]);
        }
        free(real);
        free(abs);
    }
    free(inc);
    free(real_inc);
    free(real_own);
    gr_strv_free(&deps);
    return err;
}

static char *check_symbols(struct build *b, const struct unit *u,
                           const char *tmp_obj)
{
    struct gr_strv names = { 0 };
    char *why = gr_elf_check(tmp_obj, u->variant == GR_SAN, &names);
    if (why != NULL) {
        char *err = gr_fmt("%s %s", u->shown, why);
        free(why);
        gr_strv_free(&names);
        return err;
    }
    load_reserved(b);
    struct gr_buf bad = { 0 };
    int nbad = 0;
    for (int i = 0; i < names.n; i++) {
        if (is_reserved(names.v[i]) && nbad++ < 5) {
            gr_buf_addf(&bad, "%s%s()", nbad > 1 ? ", " : "", names.v[i]);
        }
    }
    char *err = NULL;
    if (nbad > 0) {
        err = gr_fmt("%s defines %s, a name that belongs to the C library, "
                     "Check, the harness, the kernel, the kit's systems or "
                     "the start-up code (or is reserved: a leading _ and a "
                     "capital, or __): make it static or rename it (the "
                     "grader refuses code that replaces library functions)",
                     u->shown, gr_buf_str(&bad));
    }
    gr_buf_free(&bad);
    gr_strv_free(&names);
    return err;
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
    cflags(b, u, &t->argv);
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
    t->fsize = 256LL << 20;
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
    char *err = u->own_dir ? check_includes(b, u, tmp_dep) : NULL;
    if (err == NULL && !compiled(t)) {
        compile_failed(u, msg);
        msg = NULL;
    } else if (err == NULL && u->own_dir != NULL) {
        err = check_symbols(b, u, tmp_obj);
    }
    if (err != NULL) {
        u->state = UNIT_FAILED;
        u->error = err;
        free(msg);
    } else if (u->state != UNIT_FAILED) {
        gr_write_file(u->log, msg, strlen(msg));
        cache_store(u, tmp_dep, tmp_obj);
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
        if (cache_good(b, u)) {
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

/* Opens 'rel' (a/b/c) below the folder 'dir' one component at a time,
   never following a symbolic link: a chapter folder, exercises/ or a file
   that is a link (into solutions/, say) is refused, not followed. The
   submission's own folder, named by the instructor, may be a link. */
static int open_below(const char *dir, const char *rel, int flags, char **why)
{
    int at = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    char *path = gr_xstrdup(rel);
    char *save = NULL;
    *why = NULL;
    for (char *part = strtok_r(path, "/", &save); part && at >= 0;) {
        char *next = strtok_r(NULL, "/", &save);
        int fl = O_NOFOLLOW | O_CLOEXEC |
                 (next ? O_RDONLY | O_DIRECTORY : flags);
        int fd = openat(at, part, fl);
        if (fd < 0 && (errno == ELOOP || errno == ENOTDIR)) {
            struct stat st;
            bool link = fstatat(at, part, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                        S_ISLNK(st.st_mode);
            *why = gr_fmt("%s is %s", part,
                          link ? "a symbolic link: hand in the folder or "
                                 "file itself"
                               : "not a folder");
        }
        close(at);
        at = fd;
        part = next;
    }
    free(path);
    return at;
}

/* Copies one handed-in file into the private tree. */
static char *copy_in(const char *sub_dir, const char *rel, const char *to,
                     const char *shown, char **content, size_t *len,
                     bool *missing)
{
    char *why = NULL;
    int fd = open_below(sub_dir, rel, O_RDONLY, &why);
    struct stat st;
    char *err = NULL;
    if (fd < 0) {
        err = why ? gr_fmt("%s: %s", shown, why)
                  : gr_fmt("%s is missing from the submission", shown);
        *missing = why == NULL;
    } else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        err = gr_fmt("%s is not a regular file", shown);
    } else if (st.st_size > MAX_SOURCE) {
        err = gr_fmt("%s cannot be read (larger than 1 MiB)", shown);
    } else {
        char *proc = gr_fmt("/proc/self/fd/%d", fd);
        *content = gr_read_file(proc, MAX_SOURCE, len);
        free(proc);
        if (*content == NULL) {
            err = gr_fmt("%s cannot be read (%s)", shown,
                         errno == EFBIG ? "larger than 1 MiB"
                                        : strerror(errno));
        } else if (gr_write_file(to, *content, *len) != 0) {
            err = gr_fmt("cannot copy %s into %s: %s", shown, to,
                         strerror(errno));
        }
    }
    if (fd >= 0) {
        close(fd);
    }
    free(why);
    return err;
}

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
        s->error = copy_in(b->sub->dir, rel, to, shown, &content, &len,
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

struct link {
    int ch, suite;
    int units[64];
    int nunits;
    char *bin;
    struct gr_task task;
};

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

/* The binary's cache path: keyed by its objects and the kit's parts. */
static char *bin_path(const struct build *b, const struct link *l,
                      const char *suffix)
{
    struct gr_sha256 h;
    gr_sha256_init(&h);
    gr_sha256_add(&h, "grade-bin-1", 12);
    char *lib = gr_fmt("%s/build/%s/libkernel.a", b->kit->root, b->vname);
    char *har = gr_fmt("%s/build/%s/grader/harness.o", b->kit->root, b->vname);
    long long m[2] = { gr_mtime(lib), gr_mtime(har) };
    gr_sha256_add(&h, m, sizeof m);
    gr_sha256_add(&h, suffix, strlen(suffix));
    for (int k = 0; k < l->nunits; k++) {
        gr_sha256_add(&h, b->u[l->units[k]].key, 64);
    }
    char key[65];
    gr_sha256_hex(&h, key);
    free(lib);
    free(har);
    return gr_fmt("%s/bin/%s%s", b->cache, key, suffix);
}

static void prepare_link(struct build *b, struct link *l, const char *suffix)
{
    l->bin = bin_path(b, l, suffix);
    struct gr_task *t = &l->task;
    memset(t, 0, sizeof *t);
    gr_strv_add(&t->argv, "/usr/bin/env");
    gr_strv_add(&t->argv, GR_CC);
    gr_strv_add(&t->argv, "-o");
    gr_strv_addf(&t->argv, "%s.%d.tmp", l->bin, (int)getpid());
    for (int k = 0; k < l->nunits; k++) {
        gr_strv_add(&t->argv, b->u[l->units[k]].obj);
    }
    gr_strv_addf(&t->argv, "%s/build/%s/grader/harness.o", b->kit->root,
                 b->vname);
    gr_strv_addf(&t->argv, "%s/build/%s/libkernel.a", b->kit->root, b->vname);
    add_words(&t->argv, GR_LDFLAGS);
    /* The kernel's objects carry LTO code too; linking them without it
       takes a tenth of the time. */
    gr_strv_add(&t->argv, "-fno-lto");
    if (b->o->variant == GR_SAN) {
        add_words(&t->argv, GR_SANFLAGS);
    }
    add_words(&t->argv, GR_CHECK_LIBS);
    t->cwd = b->kit->root;
    t->log = gr_fmt("%s.log", l->bin);
    t->timeout = COMPILE_TIMEOUT * b->o->timeout_scale;
    t->fsize = 512LL << 20;
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
            if (gr_is_file(l->bin) && cache_intact(l->bin)) {
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
        char *tmp = gr_fmt("%s.%d.tmp", l->bin, (int)getpid());
        if (WIFEXITED(l->task.out.wstatus) &&
            WEXITSTATUS(l->task.out.wstatus) == 0 && !l->task.out.timed_out) {
            cache_seal(tmp);
            char *seal = gr_fmt("%s.sha256", tmp);
            char *to = gr_fmt("%s.sha256", l->bin);
            rename(seal, to);
            free(seal);
            free(to);
            rename(tmp, l->bin);
            unlink(l->task.log);
        } else if (built[l->ch].error == NULL) {
            char *msg = link_message(b, l);
            built[l->ch].error = gr_fmt("the chapter does not link:\n%s", msg);
            free(msg);
        }
        unlink(tmp);
        free(tmp);
    }
    for (int k = 0; k < nl; k++) {
        struct link *l = &ls[k];
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
    b->vname = variant_name(o->variant);
    b->cache = gr_fmt("%s/build/grade/%s", kit->root, b->vname);
    for (int v = 0; v < 2; v++) {
        char *d = gr_fmt("%s/build/grade/%s/obj", kit->root,
                         variant_name((enum gr_variant)v));
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

/* --- Keeping the cache small ---------------------------------------------- */

struct aged {
    long long t;
    char *path;
};

static int by_age(const void *a, const void *b)
{
    const struct aged *x = a, *y = b;
    return x->t < y->t ? 1 : x->t > y->t ? -1 : 0; /* newest first */
}

/* Keep the 'keep' most recently used entries named *suffix in 'dir';
   each goes with its companions (an object's .dep and .log). */
static void prune_dir(const char *dir, const char *suffix,
                      const char *const *companions, int keep)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        return;
    }
    struct aged *all = NULL;
    int n = 0, cap = 0;
    struct dirent *e;
    size_t sl = strlen(suffix);
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len <= sl || strcmp(e->d_name + len - sl, suffix) != 0) {
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            all = gr_xrealloc(all, (size_t)cap * sizeof *all);
        }
        all[n].path = gr_fmt("%s/%s", dir, e->d_name);
        all[n].t = gr_mtime(all[n].path);
        n++;
    }
    closedir(d);
    if (n > keep) {
        qsort(all, (size_t)n, sizeof *all, by_age);
    }
    for (int i = 0; i < n; i++) {
        if (i >= keep) {
            size_t stem = strlen(all[i].path) - sl;
            for (int k = 0; companions[k]; k++) {
                char *p =
                        gr_fmt("%.*s%s", (int)stem, all[i].path, companions[k]);
                unlink(p);
                free(p);
            }
            unlink(all[i].path);
        }
        free(all[i].path);
    }
    free(all);
}

void gr_cache_prune(const struct gr_kit *kit)
{
    for (int v = 0; v < 2; v++) {
        char *obj = gr_fmt("%s/build/grade/%s/obj", kit->root,
                           variant_name((enum gr_variant)v));
        char *bin = gr_fmt("%s/build/grade/%s/bin", kit->root,
                           variant_name((enum gr_variant)v));
        static const char *const objc[] = { ".dep", ".log", ".o.sha256", NULL };
        static const char *const binc[] = { "_test.log", "_test.sha256", NULL };
        prune_dir(obj, ".o", objc, KEEP_OBJECTS);
        prune_dir(bin, "_test", binc, KEEP_BINARIES);
        free(obj);
        free(bin);
    }
}
