/*
 * scratch.h - run an example whose system keeps files, in a folder of its
 * own.
 *
 * The to-do examples keep their lists in files. Each runs in a fresh
 * folder under /tmp (made by mkdtemp, so two runs at once never share
 * one), removed when the run ends: every run starts from no lists, and
 * prints the same output.
 */
#ifndef EX_SCRATCH_H
#define EX_SCRATCH_H

#include <stddef.h>

#include "lc/lc.h"

/* Make a fresh folder /tmp/lc-todo-example.XXXXXX, its name into 'folder'
 * (n bytes), run 'session' as the first process of a runtime until nothing
 * is left to do, then remove the folder and the files in it. Returns what
 * main() returns: 0, or 1 if the folder cannot be made (said on stderr). */
int ex_run_in_folder(char *folder, size_t n, lc_proc_fn *session);

#endif /* EX_SCRATCH_H */
