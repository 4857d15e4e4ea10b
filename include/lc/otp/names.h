/*
 * names.h - registered names (chapter 4; the student writes names.c).
 *
 * A process can be given a name, so that others find it without knowing its
 * pid: a server that is restarted gets a new pid but keeps its name. Each
 * name belongs to at most one process, and each process has at most one
 * name. The name is freed automatically when the process ends, before any
 * process can notice the end (OTP's E6): whoever sees the DOWN or EXIT can
 * register the name again at once.
 *
 * Names are strings of 1 to 63 bytes; "undefined" is reserved (OTP uses it
 * to mean "no name"). A registered process also shows its name in the
 * process list and in figures (lc_proc_set_name()).
 */
#ifndef LC_NAMES_H
#define LC_NAMES_H

#include <stddef.h>

#include "lc/lc.h"

/* region: names */
/*
 * Give 'pid' the name 'name'. Returns 0, or (OTP raises badarg for all of
 * these; C returns the reason):
 *   LC_EINVAL   the name is NULL, "", "undefined" or longer than 63 bytes;
 *   LC_EEXIST   the name belongs to another process (or to 'pid' already);
 *   LC_ENOPROC  'pid' is not alive;
 *   LC_EBUSY    'pid' already has another name.
 */
int lc_register(const char *name, lc_pid pid);

/* Take the name away from its process. Returns 0, or LC_ENOENT if no
 * process has it. */
int lc_unregister(const char *name);

/* The process with 'name', or LC_NOPID. */
lc_pid lc_whereis(const char *name);

/* The name of 'pid', or NULL. Valid until the name is unregistered. */
const char *lc_name_of(lc_pid pid);

/* Write up to 'max' registered names into out[], in the order they were
 * registered. Returns how many names are registered. */
size_t lc_registered(const char **out, size_t max);
/* endregion */

/*
 * Send to the process registered as 'name'. An unregistered name is an
 * error of the *sender* (OTP raises badarg): the caller gets the error
 * `badarg` raised (lc_error). Otherwise as lc_send().
 */
int lc_send_named(const char *name, int tag, const void *data, size_t size);

#endif /* LC_NAMES_H */
