/*
 * cache.c - what was built before, under build/grade/<variant>/.
 *
 * Objects are named by the SHA-256 of everything that went into them --
 * flags, the file's name and its content, and for a student file the
 * content of all the chapter's files (they may include each other) -- and
 * are reused while the trusted headers they read are older, the way make
 * would check them. Binaries are named by the keys of their objects and
 * the kit's libraries. Every entry carries the hash of its own content
 * (NAME.sha256): an entry changed behind the grader's back no longer
 * matches and is made again. Tests never see the cache (their sandbox
 * shows them their binary, read-only), and when the grader runs as root
 * they run as other users, who cannot write it.
 */
#include "build.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gr-config.h"

#define KEEP_OBJECTS  3000 /* cache entries kept by gr_cache_prune() */
#define KEEP_BINARIES 400
/* Bytes kept of each, per variant: a class's objects and binaries are a
   few hundred KiB each, but a hostile one may be 16 or 64 MiB. */
#define KEEP_BYTES (2LL << 30)

/* --- Keeping the cache small ---------------------------------------------- */

struct aged {
    long long t;
    long long size;
    char *path;
};
/* The dependencies listed in a .dep file (make syntax), after the target. */
void gr_deps_read(const char *path, struct gr_strv *out)
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
void gr_cache_seal(const char *path)
{
    char hex[65];
    file_hash(path, hex);
    char *seal = gr_fmt("%s.sha256", path);
    gr_write_file(seal, hex, strlen(hex));
    free(seal);
}

bool gr_cache_intact(const char *path)
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
void gr_cache_store(const struct unit *u, const char *dep, const char *obj)
{
    /* Written by the compiler's user id (as root, one a test may run as):
       the cache's entries are the grader's alone. */
    if (getuid() == 0) {
        (void)!chown(dep, 0, 0);
        (void)!chown(obj, 0, 0);
    }
    rename(dep, u->dep);
    gr_cache_seal(obj);
    char *seal = gr_fmt("%s.sha256", obj), *to = gr_fmt("%s.sha256", u->obj);
    rename(seal, to);
    free(seal);
    free(to);
    rename(obj, u->obj); /* last: the object means "complete" */
}

/* A cached object is good while no trusted header it read has changed.
   The student's own files are in its key. */
bool gr_cache_good(const struct build *b, const struct unit *u)
{
    char *work = gr_fmt("%s/build/grade/work/", b->kit->root);
    long long t = gr_mtime(u->obj);
    if (t < 0 || gr_mtime(u->dep) < 0 || !gr_cache_intact(u->obj)) {
        free(work);
        return false;
    }
    struct gr_strv deps = { 0 };
    gr_deps_read(u->dep, &deps);
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

void gr_unit_key(const struct build *b, struct unit *u, const char *extra,
                 size_t extra_len)
{
    struct gr_sha256 h;
    gr_sha256_init(&h);
    struct gr_strv v = { 0 };
    gr_unit_cflags(b, u, &v);
    /* The rules' version: an object was cached only once it passed the
       checks of trust.c and elf.c, so a change to them changes it, and
       every handed-in file is checked again under the new rules. */
    gr_sha256_add(&h, "grade-obj-3", 12);
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

/* The binary's cache path: keyed by its objects and the kit's parts. */
char *gr_bin_path(const struct build *b, const struct link *l,
                  const char *suffix)
{
    struct gr_sha256 h;
    gr_sha256_init(&h);
    gr_sha256_add(&h, "grade-bin-1", 12);
    char *lib = gr_fmt("%s/build/%s/libkernel.a", b->kit->root, b->vname);
    char *har = gr_fmt("%s/build/%s/grader/harness.o", b->kit->root, b->vname);
    char *sys = gr_fmt("%s/build/%s/libsystems.a", b->kit->root, b->vname);
    long long m[3] = { gr_mtime(lib), gr_mtime(har),
                       gr_kit_has_systems(b->kit->root) ? gr_mtime(sys) : 0 };
    gr_sha256_add(&h, m, sizeof m);
    free(sys);
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

static int by_age(const void *a, const void *b)
{
    const struct aged *x = a, *y = b;
    return x->t < y->t ? 1 : x->t > y->t ? -1 : 0; /* newest first */
}

/* Keep the 'keep' most recently used entries named *suffix in 'dir', as
   long as they hold no more than KEEP_BYTES; each goes with its
   companions (an object's .dep and .log). */
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
        struct stat st;
        all[n].size = stat(all[n].path, &st) == 0 ? (long long)st.st_size : 0;
        n++;
    }
    closedir(d);
    qsort(all, (size_t)n, sizeof *all, by_age);
    long long bytes = 0;
    for (int i = 0; i < n; i++) {
        bytes += all[i].size;
        if (i >= keep || bytes > KEEP_BYTES) {
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
                           gr_variant_name((enum gr_variant)v));
        char *bin = gr_fmt("%s/build/grade/%s/bin", kit->root,
                           gr_variant_name((enum gr_variant)v));
        static const char *const objc[] = { ".dep", ".log", ".o.sha256", NULL };
        static const char *const binc[] = { "_test.log", "_test.sha256", NULL };
        prune_dir(obj, ".o", objc, KEEP_OBJECTS);
        prune_dir(bin, "_test", binc, KEEP_BINARIES);
        free(obj);
        free(bin);
    }
}
