/*
 * build.h - what the three parts of the build share: build.c (what is
 * compiled and linked), trust.c (what a handed-in file may read, define
 * and be) and cache.c (what was built before, and whether it is intact).
 * Private to those files; grade.h is the grader's map.
 */
#ifndef GR_BUILD_H
#define GR_BUILD_H

#include "grade.h"

#define MAX_SOURCE (1 << 20) /* bytes: larger is not a handed-in file */

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

struct link {
    int ch, suite;
    int units[64];
    int nunits;
    char *bin;
    char *outdir; /* the only folder its sandbox may write */
    struct gr_task task;
};

/* --- build.c -------------------------------------------------------------- */

/* "rel" or "san": the folder of the variant under build/. */
const char *gr_variant_name(enum gr_variant v);
/* The compiler's flags for a unit, without the file names. */
void gr_unit_cflags(const struct build *b, const struct unit *u,
                    struct gr_strv *v);
/* Does the kit have systems (systems/NAME/FILE.c, built into
   build/<variant>/libsystems.a and linked into every chapter test)? */
bool gr_kit_has_systems(const char *root);
/* Did the task run to a zero exit status, in time? */
bool gr_task_ok(const struct gr_task *t);

/* --- trust.c -------------------------------------------------------------- */

/* NULL, or why the handed-in file 'u' read something it may not: every
   file in the compiler's dependency list 'dep' (-MD) must be one of the
   kit's headers, a system header or one of the chapter's own files. */
char *gr_trust_includes(const struct build *b, const struct unit *u,
                        const char *dep);
/* NULL, or why the object 'obj' of 'u' is refused: code that runs outside
   the test (elf.c), or a name it may not define. */
char *gr_trust_symbols(struct build *b, const struct unit *u, const char *obj);
/* Copies the handed-in file 'rel' (below 'sub_dir', no link followed on
   the way) to 'to'; its bytes in *content. NULL, or why not ('*missing':
   the file is not there). */
char *gr_trust_copy_in(const char *sub_dir, const char *rel, const char *to,
                       const char *shown, char **content, size_t *len,
                       bool *missing);

/* --- cache.c -------------------------------------------------------------- */

/* The dependencies listed in a .d or .dep file (make syntax). */
void gr_deps_read(const char *path, struct gr_strv *out);
/* The key of a unit: flags, name and 'extra' (the content it covers). */
void gr_unit_key(const struct build *b, struct unit *u, const char *extra,
                 size_t extra_len);
/* Record the hash of a cache entry's content (PATH.sha256); is the entry
   still what was recorded? */
void gr_cache_seal(const char *path);
bool gr_cache_intact(const char *path);
/* Moves a fresh object and its dependency list into the cache. */
void gr_cache_store(const struct unit *u, const char *dep, const char *obj);
/* Is the cached object of 'u' intact and newer than the headers it read? */
bool gr_cache_good(const struct build *b, const struct unit *u);
/* The cache path of a link's binary, keyed by its objects and the kit's
   libraries. */
char *gr_bin_path(const struct build *b, const struct link *l,
                  const char *suffix);

#endif /* GR_BUILD_H */
