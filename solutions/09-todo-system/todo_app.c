/*
 * todo_app.c - chapter 9: the whole to-do system, and the two places where
 * its state could be lost.
 *
 * Everything else is built: your supervisors, links, registry and dynamic
 * supervisor run the tree of the latest stage you have done
 * (todo_stage_start()). What is left is the part of the system that must
 * never be wrong, its error kernel: the moment a list's state changes. A
 * to-do server holds its list in memory, and memory is lost with the
 * process -- so the list's true home is its file, and the server keeps two
 * promises:
 *
 *  1. todo_commit(): save before acknowledging. A change is made on a
 *     copy; the copy is saved through the database; only once the file is
 *     on disk does the copy become the list (and the client hear "done").
 *     If the save fails, the copy is thrown away -- the list the server
 *     holds is still exactly what is on disk -- and the server crashes: it
 *     cannot keep its promise, so it must not go on as if it had. The
 *     copy is handed to the server (*next) as soon as it exists, so that
 *     it is freed whatever happens: a process can be killed in the middle
 *     of the save, and memory from malloc() is not freed with it.
 *
 *  2. todo_restore(): restore after a restart. A server that starts (the
 *     first time, or after any crash) reads its list back from disk. A
 *     missing file is an expected case, handled where it happens: a new,
 *     empty list. A file that fails its check is not: the server ends
 *     with the reason that names the file and the problem, and the rest of
 *     the system runs on.
 *
 *  3. todo_app_start_link(): the system, with these two in its hooks.
 */
#include "lc/otp/gen_server.h"
#include "lc/otp/supervisor.h"
#include "lc/systems/todo.h"
#include "lc/systems/todo_app.h"

/* region: restore */
int todo_restore(const char *list, struct todo_list **out,
                 struct lc_reason *stop)
{
    /* BEGIN SOLUTION(ch09): return LC_ENOSYS; */
    struct todo_file_error err = { 0 };
    int rc = todo_db_load(list, out, &err); /* no file: an empty list */
    if (rc == LC_EINVAL) {
        *stop = todo_file_reason(&err); /* {bad_checksum, 'File.todo'} */
        return 1;
    }
    if (rc < 0) {
        *stop = lc_reason_with(LC_A_ERROR, lc_int(rc));
        return 1;
    }
    return 0;
    /* END SOLUTION */
}
/* endregion */

/* region: commit */
int todo_commit(const char *list, const struct todo_list *cur,
                const struct todo_change *c, struct todo_list **next,
                uint32_t *id, struct lc_reason *stop)
{
    /* BEGIN SOLUTION(ch09): return LC_ENOSYS; */
    /* The copy goes into *next at once: from then on the server owns it
       and frees it if anything below fails -- or if it is killed here. */
    *next = todo_list_clone(cur);
    if (*next == NULL) {
        return LC_ENOMEM;
    }
    int rc = todo_change_apply(*next, c, id);
    if (rc < 0) {
        return rc; /* a bad change: nothing saved, 'cur' stays */
    }
    struct todo_file_error err = { 0 };
    rc = todo_db_save(list, *next, &err);
    if (rc < 0) {
        /* Roll back: the copy is dropped, 'cur' is what the disk holds. */
        *stop = rc == LC_EINVAL ? todo_file_reason(&err)
                                : lc_reason_with(LC_A_ERROR, lc_int(rc));
        return 1;
    }
    return 0; /* on disk: now it may be acknowledged */
    /* END SOLUTION */
}
/* endregion */

/* region: system */
int todo_app_start_link(const struct todo_config *cfg, lc_pid *sup)
{
    /* BEGIN SOLUTION(ch09): return LC_ENOSYS; */
    int rc = todo_stage_start(cfg, sup); /* sets the stage's own hooks */
    if (rc == 0) {
        /* The stage's hooks, with the error kernel's two replaced. No
           server exists yet: each starts on its list's first use. */
        struct todo_hooks h = *todo_hooks();
        h.restore = todo_restore;
        h.commit = todo_commit;
        todo_hooks_set(&h);
    }
    return rc;
    /* END SOLUTION */
}
/* endregion */
