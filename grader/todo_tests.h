/*
 * todo_tests.h - what the to-do stages of chapters 5 and 6 are tested with:
 * a scratch folder, the record 'td' and the helpers that start, poke and
 * read the to-do system.
 *
 *     #include "harness.h"
 *     #include "todo_tests.h"
 *
 * Each test runs the to-do system (include/lc/systems/todo.h) on the
 * chapter's supervisor, in a folder of its own (scratch.h), removed when
 * the test program ends. A driver process plays the user, as the book's
 * shell sessions do; what it saw goes into 'td', which the test checks
 * after lc_run() has returned.
 *
 * Included by one test file per chapter: its data and functions are
 * defined here, static (GR_SHARED), and a chapter that does not use one
 * gets no warning for it.
 */
#ifndef GR_TODO_TESTS_H
#define GR_TODO_TESTS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "scratch.h"
#include "lc/otp/exceptions.h"
#include "lc/otp/links.h"
#include "lc/otp/names.h"
#include "lc/systems/todo.h"

/* The test's folder (scratch.h). */
GR_SHARED char *const td_dir = scratch_dir;

GR_SHARED struct {
    int rc[8];
    lc_pid pid[16];
    bool ok[8];
    size_t n[8];
    int count[8];
    struct todo_entry e[8];
    struct lc_reason why;
    lc_pid order[32]; /* processes in the order they ended, when recording */
    int norder;
    bool recording;
} td;

GR_SHARED struct todo_config td_cfg;
GR_SHARED const struct todo_date td_day = { 2026, 12, 19 };

GR_SHARED void td_on_exit(lc_pid pid, const struct lc_reason *why)
{
    if (td.recording && td.norder < 32) {
        td.order[td.norder++] = pid;
    }
}

/* A fresh folder and record: call first in every to-do test. */
GR_SHARED void td_reset(void)
{
    memset(&td, 0, sizeof td);
    scratch_make("lc-todo-grade");
    ck_assert_int_eq(todo_config_init(&td_cfg, td_dir), 0);
    gr_record_exits();
    lc_exit_hook_add(td_on_exit);
}

/* Start the system from the driver; td.rc[0] is what the start returned. */
GR_SHARED lc_pid td_start(void)
{
    lc_pid sup = LC_NOPID;
    td.rc[0] = todo_system_start_link(&td_cfg, &sup);
    return td.rc[0] == 0 ? sup : LC_NOPID;
}

GR_SHARED void td_kill(lc_pid pid)
{
    lc_exit_signal(pid, lc_reason(LC_A_KILL));
    lc_sleep(10); /* the supervisor's turn */
}

GR_SHARED lc_pid td_server(const char *list)
{
    return todo_hooks()->server_process(list);
}

/* True if 'a' and 'b' are linked. */
GR_SHARED bool td_linked(lc_pid a, lc_pid b)
{
    lc_pid l[64];
    size_t n = lc_links(a, l, 64);
    for (size_t i = 0; i < n && i < 64; i++) {
        if (l[i] == b) {
            return true;
        }
    }
    return false;
}

/* The database's workers: the processes linked to it, but its parent. */
GR_SHARED size_t td_workers(lc_pid db, lc_pid parent, lc_pid *out)
{
    lc_pid l[64];
    size_t n = lc_links(db, l, 64), k = 0;
    for (size_t i = 0; i < n && i < 64; i++) {
        if (l[i] != parent && k < 8) {
            out[k++] = l[i];
        }
    }
    return k;
}

/* Write a list file for 'list' whose checksum is wrong. */
GR_SHARED void td_corrupt(const char *list)
{
    char name[TODO_FILE_NAME_MAX], path[512], text[256];
    ck_assert_int_eq(todo_file_name(list, name), 0);
    snprintf(path, sizeof path, "%s/%s", td_dir, name);
    snprintf(text, sizeof text,
             "lc-todo 1 entries=1 next-id=2 crc32=00000000 list=%s\n"
             "1 2026-12-19 Dentist\n",
             list);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* Add to 'list', catching the exit of a call whose server died:
   td.why gets its reason, and the result is 1. */
GR_SHARED int td_try_add(const char *list, const char *title)
{
    volatile int rc = 0;
    LC_TRY
    {
        rc = todo_add(list, td_day, title, NULL);
    }
    LC_CATCH(LC_CLASS_EXIT, e)
    {
        td.why = e->reason;
        rc = 1;
    }
    LC_END_TRY;
    return rc;
}

/* The entries of 'list' on the test's day: how many, first ones in td.e. */
GR_SHARED int td_entries(const char *list)
{
    return todo_entries(list, td_day, td.e, 8);
}

#define TD_STARTED()                                                     \
    ck_assert_msg(td.rc[0] == 0, "todo_system_start_link() returned %s", \
                  lc_err_name(td.rc[0]))

#endif /* GR_TODO_TESTS_H */
