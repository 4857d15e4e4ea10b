/*
 * event_log.h - the event log of the supervisor chapters' graded tests, and
 * the driver that closes it.
 *
 *     #include "harness.h"
 *     #include "event_log.h"
 *
 * A test's processes write what happened into the log with note() ("init
 * a", "term a shutdown", with the virtual time of each entry); the test
 * reads it back after the run with log_from(). run(fn, arg) is gr_run()
 * with the log closed when fn returns: the driver's end stops the
 * supervisor it linked to, and that teardown is not the test's.
 *
 * Included by one test file per chapter, so it defines its data and its
 * functions here, static (GR_SHARED): every chapter gets its own log, and
 * one that does not use a function gets no warning for it.
 */
#ifndef GR_EVENT_LOG_H
#define GR_EVENT_LOG_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

#define MAX_LOG 64

/* The log: what the workers' init and terminate did, in order, with the
   time. Each entry reads "init a" or "term a shutdown". */
GR_SHARED struct {
    char text[48];
    int64_t t;
} events[MAX_LOG];
GR_SHARED int nevents;
GR_SHARED bool
        log_frozen; /* the driver has returned: what follows is teardown */

/* An empty, open log: part of every test's reset(). */
GR_SHARED void log_reset(void)
{
    memset(events, 0, sizeof events);
    nevents = 0;
    log_frozen = false;
}

/* gr_run(fn, arg), with the log closed when fn returns. */
GR_SHARED lc_proc_fn *driver_fn;
GR_SHARED void *driver_arg;

GR_SHARED void driver(void *arg)
{
    (void)arg;
    driver_fn(driver_arg);
    log_frozen = true;
}

GR_SHARED struct lc_reason run(lc_proc_fn *fn, void *arg)
{
    driver_fn = fn;
    driver_arg = arg;
    return gr_run(driver, NULL);
}

GR_SHARED void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
GR_SHARED void note(const char *fmt, ...)
{
    if (nevents == MAX_LOG || log_frozen) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(events[nevents].text, sizeof events[nevents].text, fmt, ap);
    va_end(ap);
    events[nevents].t = lc_now();
    nevents++;
}

/* The log from entry 'from' on, as "init a, term b shutdown", in one of
   four static buffers (an assertion may show two logs). */
GR_SHARED const char *log_from(int from)
{
    static char buf[4][1024];
    static int k;
    k = (k + 1) % 4;
    buf[k][0] = '\0';
    size_t len = 0;
    for (int i = from; i < nevents && len < sizeof buf[k] - 64; i++) {
        len += (size_t)snprintf(buf[k] + len, sizeof buf[k] - len, "%s%s",
                                i > from ? ", " : "", events[i].text);
    }
    return buf[k];
}

/* The reason {kind, v}. */
GR_SHARED struct lc_reason reason2(const char *kind, int64_t v)
{
    return lc_reason_with(lc_atom_intern(kind), lc_int(v));
}

GR_SHARED bool reason_is(const struct lc_reason *r, struct lc_reason want)
{
    return lc_reason_eq(r, &want);
}

#endif /* GR_EVENT_LOG_H */
