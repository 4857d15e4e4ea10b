/*
 * todo_show.h - how the to-do examples print what their session sees.
 *
 * Every line starts with the virtual time ("t=300   kill todo_cache"), so
 * the output reads as a timeline, the same on every machine: that is what
 * the chapters quote and `make test` compares with the .out files.
 *
 * Header only, and static: show_entries() calls the to-do system, which
 * only the to-do examples link (the .c files of examples/common are linked
 * into every example, and must need nothing but the kernel). An example
 * that does not use one of these gets no warning for it.
 */
#ifndef EX_TODO_SHOW_H
#define EX_TODO_SHOW_H

#include <stdio.h>

#include "lc/lc.h"
#include "lc/systems/todo.h"

#define EX_SHARED static __attribute__((unused))

/* A line of the session's, or of the to-do system's log (todo_log_set). */
EX_SHARED void say(const char *line)
{
    printf("t=%-5lld %s\n", (long long)lc_now(), line);
}

/* "what = <0.12.0>" */
EX_SHARED void show(const char *what, lc_pid pid)
{
    char p[32];
    lc_pid_format(p, sizeof p, pid);
    printf("t=%-5lld %s = %s\n", (long long)lc_now(), what, p);
}

/* The entries of 'list' on day 'd' (the examples' day, 2026-12-19). */
EX_SHARED void show_entries(const char *list, struct todo_date d)
{
    struct todo_entry e[8];
    int n = todo_entries(list, d, e, 8);
    printf("t=%-5lld %s on 2026-12-19: %d %s\n", (long long)lc_now(), list, n,
           n == 1 ? "entry" : "entries");
    for (int i = 0; i < n && i < 8; i++) {
        printf("          #%u %s\n", (unsigned)e[i].id, e[i].title);
    }
}

#endif /* EX_TODO_SHOW_H */
