/*
 * names.c - registered names (chapter 4).
 *
 * The registry is one list of (name, pid) entries in the order they were
 * registered, shared by the whole runtime: a name is found by a linear
 * scan, which is all a system with a few dozen named servers needs
 * (chapter 7 builds a registry made for many keys). Each registered process
 * also points to its entry from its LC_LOCAL_NAMES slot, so that "one name
 * per process" is a single test and its exit finds the entry at once.
 *
 * The kernel knows nothing of names. This layer hooks into every process
 * exit (names_on_exit) and frees the dead process's name. Exit hooks all
 * run before any other process gets a turn, so by the time anyone receives
 * the DOWN or EXIT of a named process its name is already free (OTP's E6).
 */
#include "lc/otp/names.h"

#include <stdlib.h>
#include <string.h>

#include "lc/otp/exceptions.h"

/*
 * The kernel calls this at the end of every process (LC_ON_EXIT below),
 * before any other process runs again: if the dead process has a name, the
 * name is free from now on. Must not wait.
 */
static void names_on_exit(lc_pid dead, const struct lc_reason *why)
{
    /* TODO(ch04): write this (see its contract comment). */
    LC_TODO("ch04");
    (void)dead;
    (void)why;
}

LC_ON_EXIT(names_on_exit)

int lc_register(const char *name, lc_pid pid)
{
    /* TODO(ch04): write this (see its contract comment). */
    LC_TODO("ch04");
    return LC_ENOSYS;
}

int lc_unregister(const char *name)
{
    /* TODO(ch04): write this (see its contract comment). */
    LC_TODO("ch04");
    return LC_ENOSYS;
}

lc_pid lc_whereis(const char *name)
{
    /* TODO(ch04): write this (see its contract comment). */
    LC_TODO("ch04");
    return LC_NOPID;
}

const char *lc_name_of(lc_pid pid)
{
    /* TODO(ch04): write this (see its contract comment). */
    LC_TODO("ch04");
    return NULL;
}

size_t lc_registered(const char **out, size_t max)
{
    /* TODO(ch04): write this (see its contract comment). */
    LC_TODO("ch04");
    return 0;
}

int lc_send_named(const char *name, int tag, const void *data, size_t size)
{
    /* TODO(ch04): write this (see its contract comment). */
    LC_TODO("ch04");
    return LC_ENOSYS;
}
