/*
 * err.h - the kit's error codes.
 *
 * A function that can fail returns an int: 0 (or a count) on success and a
 * negative LC_E* code on failure. One table, LC_ERR_MAP, generates both the
 * constants and their messages, so the two can never disagree. The values
 * are the negated errno numbers where one fits, which makes them familiar in
 * a debugger, but the kit never reads or sets errno itself.
 */
#ifndef LC_ERR_H
#define LC_ERR_H

#define LC_ERR_MAP(X)                                       \
    X(EPERM, -1, "operation not permitted in this context") \
    X(ENOENT, -2, "no such entry")                          \
    X(ENOPROC, -3, "no such process")                       \
    X(EINTR, -4, "interrupted")                             \
    X(ENOMEM, -12, "out of memory")                         \
    X(EBUSY, -16, "resource busy")                          \
    X(EEXIST, -17, "already exists")                        \
    X(EINVAL, -22, "invalid argument")                      \
    X(ENFILE, -23, "too many processes")                    \
    X(ERANGE, -34, "value out of range")                    \
    X(ENOSYS, -38, "not implemented yet")                   \
    X(ETIMEDOUT, -110, "timed out")                         \
    X(EALREADY, -114, "already started")                    \
    X(ESTART, -200, "start failed")                         \
    X(EIGNORE, -201, "start ignored")                       \
    X(EMAX, -202, "limit reached")                          \
    X(ERUNNING, -203, "still running")                      \
    X(ERESTARTING, -204, "being restarted")

enum lc_err {
#define LC__ERR_ENUM(name, value, msg) LC_##name = (value),
    LC_ERR_MAP(LC__ERR_ENUM)
#undef LC__ERR_ENUM
};

/* The message for an error code ("no such process"); never NULL. */
const char *lc_strerror(int err);

/* The constant's name for an error code ("LC_ENOPROC"); never NULL. */
const char *lc_err_name(int err);

#endif /* LC_ERR_H */
