/*
 * stages.c - which stage of the book this program runs (todo_app.h).
 *
 * Each chapter from 5 on adds a system start function to the to-do
 * system. This file refers to them weakly: the linker fills in the ones
 * whose chapter is linked into the program and leaves the rest NULL, so
 * one table, newest stage first, finds the latest system the student has
 * built without the kit having to know which chapters they have done.
 */
#include "lc/systems/todo_app.h"

#include <stddef.h>

/* Chapter 5 (todo_system.c) and 6 (todo_database.c). */
extern int todo_system_start_link(const struct todo_config *cfg, lc_pid *sup)
        __attribute__((weak));
extern bool todo_system_database_spec(const struct todo_config *cfg,
                                      struct lc_child_spec *spec)
        __attribute__((weak));
/* Chapter 7 (todo_pool.c): stage pool_supervision. */
extern int todo_pool_system_start_link(const struct todo_config *cfg,
                                       lc_pid *sup) __attribute__((weak));
/* Chapter 8 (todo_cache.c): stage dynamic_workers, the book's last. */
extern int todo_dynamic_system_start_link(const struct todo_config *cfg,
                                          lc_pid *sup) __attribute__((weak));

/* The linked stages, newest first, into out[0..5): how many. */
static size_t stages(struct todo_stage out[5])
{
    size_t n = 0;
    if (todo_dynamic_system_start_link != NULL) {
        out[n++] = (struct todo_stage){ 5, "dynamic_workers",
                                        todo_dynamic_system_start_link };
    }
    if (todo_pool_system_start_link != NULL) {
        out[n++] = (struct todo_stage){ 4, "pool_supervision",
                                        todo_pool_system_start_link };
    }
    if (todo_system_start_link != NULL) {
        /* Chapter 6 is linked when its database spec is there to give. */
        struct todo_config cfg;
        struct lc_child_spec spec;
        todo_config_init(&cfg, "/");
        bool db = todo_system_database_spec != NULL &&
                  todo_system_database_spec(&cfg, &spec);
        out[n++] =
                (struct todo_stage){ db ? 3 : 2,
                                     db ? "supervise_database" : "todo_links",
                                     todo_system_start_link };
    }
    return n;
}

static struct todo_stage started; /* the stage todo_stage_start() ran */

const struct todo_stage *todo_stage_latest(void)
{
    static struct todo_stage st[5];
    if (started.start != NULL) {
        return &started;
    }
    return stages(st) > 0 ? &st[0] : NULL;
}

int todo_stage_start(const struct todo_config *cfg, lc_pid *sup)
{
    struct todo_stage st[5];
    size_t n = stages(st);
    int rc = LC_ENOSYS;
    for (size_t i = 0; i < n && rc == LC_ENOSYS; i++) {
        rc = st[i].start(cfg, sup); /* LC_ENOSYS: a stage not written yet */
        started = st[i];
    }
    return rc;
}

static void forget(void)
{
    started = (struct todo_stage){ 0 };
}
LC_ON_FINI(forget)
