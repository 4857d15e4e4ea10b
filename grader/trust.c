/*
 * trust.c - what a handed-in file may be, read and define.
 *
 * The rules rest on what the operating system and the toolchain say, not
 * on parsing the student's text:
 *
 *   - a file is opened one folder at a time, below the submission's own
 *     folder, never following a symbolic link (a chapter folder or
 *     exercises/ that links into solutions/ is refused, not followed);
 *   - what a file read comes from the compiler's own dependency list (-MD,
 *     which line markers and '#pragma GCC system_header' cannot hide): only
 *     the kit's include/, system headers and the chapter's own files, and
 *     a build error that read anything else shows none of it;
 *   - what an object runs and defines comes from its ELF sections and
 *     symbols (elf.c): no constructor or destructor of any name, no table
 *     of the linker's, and no definition of a name (before any '@'
 *     version) that belongs to the C library, zlib, Check, the
 *     harness, the kernel, the kit's systems or the start-up code, or that
 *     the C standard reserves.
 */
#include "build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gr-config.h"

/* --- Names that student code may not define ------------------------------- */

static struct gr_strv reserved; /* sorted */

/* Names the C run-time start-up code and the linker give a meaning to:
   defining one runs code before main() or changes what runs at all. */
static const char *const startup_names[] = { "main",  "_start",     "_init",
                                             "_fini", "_etext",     "_edata",
                                             "_end",  "etext",      "edata",
                                             "end",   "data_start", NULL };

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

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
        char *last = line[0] == '#' ? NULL : strrchr(line, ' ');
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
    /* Every library a test binary links (GR_LDFLAGS, GR_CHECK_LIBS):
       libz's crc32() is what the to-do system's files are checked with. */
    static const char *const libs[] = { "libc.so.6",      "libm.so.6",
                                        "libcheck_pic.a", "libsubunit.so",
                                        "libz.so",        NULL };
    struct gr_strv files = { 0 };
    for (int i = 0; libs[i]; i++) {
        char *p = lib_path(b->cache, libs[i]);
        if (p != NULL && p[0] == '/') {
            gr_strv_add(&files, p);
        }
        free(p);
    }
    gr_strv_addf(&files, "%s/build/%s/libkernel.a", b->kit->root, b->vname);
    char *systems = gr_fmt("%s/build/%s/libsystems.a", b->kit->root, b->vname);
    if (gr_kit_has_systems(b->kit->root)) {
        gr_strv_add(&files, systems);
    }
    free(systems);
    gr_strv_addf(&files, "%s/build/%s/grader/harness.o", b->kit->root,
                 b->vname);
    char *path = gr_fmt("%s/reserved", b->cache);
    long long mine = gr_mtime(path), theirs = 0;
    struct gr_buf head = { 0 }; /* the first line: which files were read */
    gr_buf_add(&head, "#");
    for (int i = 0; i < files.n; i++) {
        long long m = gr_mtime(files.v[i]);
        theirs = m > theirs ? m : theirs;
        gr_buf_addf(&head, " %s", files.v[i]);
    }
    gr_buf_add(&head, "\n");
    char *text = mine > theirs ? gr_read_file(path, 64 << 20, NULL) : NULL;
    if (text != NULL && strncmp(text, gr_buf_str(&head), head.len) != 0) {
        free(text);
        text = NULL;
    }
    if (text == NULL) {
        struct gr_buf all = { 0 };
        gr_buf_add(&all, gr_buf_str(&head));
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
    gr_buf_free(&head);
    nm_names(text, &reserved);
    qsort(reserved.v, (size_t)reserved.n, sizeof(char *), cmp_str);
    free(text);
    free(path);
    gr_strv_free(&files);
}

static bool under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Every file the compiler read, from its own dependency output (-MD:
   system headers included, whatever line markers or pragmas said), must
   be one of the kit's headers, a header of the system's compiler and C
   library, or one of the chapter's own files. */
char *gr_trust_includes(const struct build *b, const struct unit *u,
                        const char *dep)
{
    struct gr_strv deps = { 0 };
    gr_deps_read(dep, &deps);
    char *inc = gr_fmt("%s/include", b->kit->root);
    char *real_inc = realpath(inc, NULL);
    char *real_own = realpath(u->own_dir, NULL);
    char *err = NULL;
    static const char *const sys[] = { "/usr/include", "/usr/lib/gcc",
                                       "/usr/local/include", NULL };
    if (deps.n == 0 && gr_task_ok(&u->task)) {
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

char *gr_trust_symbols(struct build *b, const struct unit *u,
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
        /* A versioned name (".symver f, write@@GLIBC_2.2.5") is the name
           before its '@'. */
        names.v[i][strcspn(names.v[i], "@")] = '\0';
        if (is_reserved(names.v[i]) && nbad++ < 5) {
            gr_buf_addf(&bad, "%s%s()", nbad > 1 ? ", " : "", names.v[i]);
        }
    }
    char *err = NULL;
    if (nbad > 0) {
        err = gr_fmt(
                "%s defines %s, a name that belongs to the C library, "
                "zlib, Check, the harness, the kernel, the kit's systems or "
                "the start-up code (or is reserved: a leading _ and a "
                "capital, or __): make it static or rename it (the "
                "grader refuses code that replaces library functions)",
                u->shown, gr_buf_str(&bad));
    }
    gr_buf_free(&bad);
    gr_strv_free(&names);
    return err;
}

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
                 (next ? O_RDONLY | O_DIRECTORY : flags | O_NONBLOCK);
        /* The file itself is looked at before it is opened: opening a
           FIFO waits for a writer, forever, and opening a device may do
           something; only a regular file (or a link, refused below) is
           opened, and never blocks. */
        struct stat pre;
        if (next == NULL && fstatat(at, part, &pre, AT_SYMLINK_NOFOLLOW) == 0 &&
            !S_ISREG(pre.st_mode) && !S_ISLNK(pre.st_mode)) {
            *why = gr_fmt("%s is not a regular file", part);
            close(at);
            at = -1;
            break;
        }
        int fd = openat(at, part, fl);
        if (fd < 0 && (errno == ELOOP || errno == ENOTDIR)) {
            struct stat st;
            bool link = fstatat(at, part, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                        S_ISLNK(st.st_mode);
            *why = gr_fmt("%s is %s", part,
                          link ? "a symbolic link: hand in the folder or "
                                 "file itself"
                               : "not a folder");
        } else if (fd < 0 && errno != ENOENT) {
            *why = gr_fmt("%s cannot be opened (%s)", part, strerror(errno));
        }
        close(at);
        at = fd;
        part = next;
    }
    free(path);
    return at;
}

/* Copies one handed-in file into the private tree. */
char *gr_trust_copy_in(const char *sub_dir, const char *rel, const char *to,
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
