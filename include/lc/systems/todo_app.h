/*
 * todo_app.h - the whole to-do system (chapter 9): which stage of the book
 * this program runs, the start of the final system, and the storm that
 * tests it.
 *
 * The book's to-do system grows stage by stage (todo.h lists them): each
 * chapter adds a start function of its own. Chapter 9 runs whichever is
 * the latest one linked into the program -- the student who has written
 * chapter 8 gets the final tree, one who has stopped at chapter 6 the tree
 * of stage 3 -- so that its tests and its storm judge the system the
 * student has, not one the kit imagines.
 */
#ifndef LC_SYSTEMS_TODO_APP_H
#define LC_SYSTEMS_TODO_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc/systems/todo.h"

/* region: stage */
/* A system start function: as todo_system_start_link(). */
typedef int todo_start_fn(const struct todo_config *cfg, lc_pid *sup);

struct todo_stage {
    int number;       /* the book's stage: 2 todo_links ... 5 */
    const char *name; /* "supervise_database", ... */
    todo_start_fn *start;
};

/* The latest stage whose start function this program links (the
   chapters' start functions are weak references here: a chapter that is
   not linked in is skipped), or, once todo_stage_start() has run in this
   runtime, the stage it started. NULL if chapter 5 is not linked. */
const struct todo_stage *todo_stage_latest(void);

/* Start the latest stage that is written: the linked stages newest
   first, passing over one whose start returns LC_ENOSYS (an exercise not
   done yet: the grader then takes the next older stage, so chapter 9 is
   graded on whatever tree the student has). Returns what the stage's
   start returned (LC_ENOSYS if none is written). */
int todo_stage_start(const struct todo_config *cfg, lc_pid *sup);
/* endregion */

/* region: student */
/*
 * Chapter 9 (todo_app.c). Start the whole system: the latest stage's
 * tree (todo_stage_start()), with the hooks restore and commit replaced
 * by the chapter's todo_restore() and todo_commit(). Returns what the
 * stage's start returns.
 */
int todo_app_start_link(const struct todo_config *cfg, lc_pid *sup);

/* Chapter 9 (todo_app.c): the hooks restore and commit (todo.h). */
int todo_restore(const char *list, struct todo_list **out,
                 struct lc_reason *stop);
int todo_commit(const char *list, const struct todo_list *cur,
                const struct todo_change *c, struct todo_list **next,
                uint32_t *id, struct lc_reason *stop);
/* endregion */

/* region: storm */
/* What the storm does to the system, one fault at a time. */
enum todo_fault {
    TODO_FAULT_KILL,          /* kill a process of the tree (not its root) */
    TODO_FAULT_WRITE_FAILS,   /* the next write fails (EIO at some step) */
    TODO_FAULT_WORKER_CRASH,  /* the next write's worker crashes before the
                                 rename: a file aside is left behind */
    TODO_FAULT_SERVER_KILLED, /* the next write's server is killed once the
                                 file is on disk, before it answers */
    TODO_FAULT_KINDS
};

struct todo_storm_opts {
    uint64_t seed;      /* of the scheduler and of the faults (0: 1) */
    const char *folder; /* an empty scratch folder */
    todo_start_fn *start;
    int clients;  /* processes adding entries: 0: 4 */
    int lists;    /* lists they add to: 0: 3 (at most 16) */
    int faults;   /* faults injected: 0: 10 */
    int gap_ms;   /* virtual ms between faults: 0: 10000. One fault can
                     cost a supervisor up to three restarts (stage 3:
                     the database, the cache, and the cache again when
                     it is back before the database and its first
                     server finds none); faults two intensity periods
                     apart never add up to more than 3 in 5 s */
    int pause_ms; /* a client's pause after an add, at most: 0: 500 */
    int workers;  /* database workers: 0: 3 */
    /* Called in the storm's process once the checks are done, before the
       system is stopped (a figure of the tree after the storm). */
    void (*at_end)(lc_pid root);
};

struct todo_storm_result {
    int attempted;        /* adds the clients made */
    int acked;            /* of them, answered "done" */
    int unconfirmed;      /* of them, whose call failed (may or may not be on
                             disk: never retried blindly) */
    int unconfirmed_kept; /* of those, found on disk */
    int lost;             /* acknowledged but missing: must be 0 */
    int duplicated;       /* present more than once: must be 0 */
    int unknown;          /* present but never added: must be 0 */
    int faults[TODO_FAULT_KINDS];
    int killed[8];   /* TODO_FAULT_KILL by target: todo_storm_target() */
    bool tree_whole; /* the root alive, every child running, every list
                        served, the files the same as the servers say */
    int64_t virtual_ms;
    uint32_t restarts; /* restarts the supervisors counted, in all */
    char problem[256]; /* the first thing wrong, for a person; "" if none */
};

/* The names of the targets counted in killed[]. */
const char *todo_storm_target(int i);

/*
 * Run one storm: a fresh runtime (chaos scheduler, virtual clock, seed
 * o->seed), the system started with o->start on o->folder, clients adding
 * entries while faults are injected, then the checks. Returns 0 if every
 * check passed, LC_EINVAL with r->problem saying what failed. Call it
 * outside any runtime.
 */
int todo_storm_run(const struct todo_storm_opts *o,
                   struct todo_storm_result *r);

/* endregion */

#endif /* LC_SYSTEMS_TODO_APP_H */
