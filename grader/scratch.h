/*
 * scratch.h - a folder of its own for a graded test whose system writes
 * files (the to-do system's lists).
 *
 *     #include "harness.h"
 *     #include "scratch.h"
 *
 *     scratch_make("lc-todo-grade");      first in the test: a fresh folder
 *     ... todo_config_init(&cfg, scratch_dir) ...
 *
 * The folder is made under $TMPDIR, or in memory (/dev/shm) before the
 * disk (/tmp): every save flushes the file and its folder, which on a busy
 * disk can take tens of milliseconds, and these tests are about processes,
 * not disks (tests/systems/ writes to a real one). A test that runs over
 * many seeds makes a new folder each time: the previous one is removed
 * then, and the last one when the test program ends.
 *
 * Included by one test file per chapter: its data and functions are
 * defined here, static (GR_SHARED), and a chapter that does not use one
 * gets no warning for it.
 */
#ifndef GR_SCRATCH_H
#define GR_SCRATCH_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/* The test's folder: "" before scratch_make() and after scratch_remove(). */
GR_SHARED char scratch_dir[256];

/* Remove the folder and the files in it (the to-do system makes no
   subfolders), if there is one. */
GR_SHARED void scratch_remove(void)
{
    if (scratch_dir[0] == '\0') {
        return;
    }
    DIR *d = opendir(scratch_dir);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            char p[512];
            snprintf(p, sizeof p, "%s/%s", scratch_dir, e->d_name);
            unlink(p);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    rmdir(scratch_dir);
    scratch_dir[0] = '\0';
}

/* A fresh, empty folder NAME.XXXXXX in scratch_dir, after removing the
   previous one. */
GR_SHARED void scratch_make(const char *name)
{
    static bool registered;
    scratch_remove();
    const char *t = getenv("TMPDIR");
    if (t == NULL || *t == '\0') {
        t = access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
    }
    snprintf(scratch_dir, sizeof scratch_dir, "%s/%s.XXXXXX", t, name);
    ck_assert_msg(mkdtemp(scratch_dir) != NULL, "cannot make a scratch folder");
    if (!registered) {
        atexit(scratch_remove);
        registered = true;
    }
}

#endif /* GR_SCRATCH_H */
