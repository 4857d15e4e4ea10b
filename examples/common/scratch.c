/*
 * scratch.c - see scratch.h.
 */
#include "scratch.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The folder and the files in it (the to-do system makes no subfolders). */
static void remove_folder(const char *folder)
{
    DIR *d = opendir(folder);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            char p[512];
            snprintf(p, sizeof p, "%s/%s", folder, e->d_name);
            unlink(p);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    rmdir(folder);
}

int ex_run_in_folder(char *folder, size_t n, lc_proc_fn *session)
{
    snprintf(folder, n, "/tmp/lc-todo-example.XXXXXX");
    if (mkdtemp(folder) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    lc_init(NULL);
    lc_spawn(session, NULL);
    lc_run();
    lc_fini();
    remove_folder(folder);
    return 0;
}
