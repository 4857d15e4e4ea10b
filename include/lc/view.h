/*
 * view.h - the live view: the running system's tree in a web page.
 *
 * The Observer of Erlang shows a running node's supervision trees and lets
 * one watch them change. The kit's live view does the same in a browser:
 * a program calls lv_start(8080, "my system"), then lv_poll() from its
 * main loop, and http://127.0.0.1:8080/ shows its processes, supervision,
 * links, monitors, registered names and restart counts, redrawn as
 * processes crash and restart. The drawing is the kit's own figure
 * (lc_dot_write(), the same as the chapters' figures) rendered to SVG by
 * Graphviz's `dot`.
 *
 * Threads: the kernel is single-threaded, and the HTTP server
 * (libmicrohttpd) answers requests on a thread of its own. That thread
 * never touches the kernel: it only copies out the last SVG the main
 * thread handed over, under a mutex. lv_poll(), on the thread that runs
 * the kernel (between lc_run_until_idle() calls, or in a process), looks
 * at the system, and only when something changed -- a process, an edge, a
 * restart count -- renders a new SVG and bumps the version number. The
 * page asks for /version a few times a second and fetches /svg when it
 * changed.
 *
 * The server listens on 127.0.0.1 only: a running system's insides are
 * nobody else's business.
 *
 *   GET /          the page
 *   GET /version   the version of the drawing: a number, as text
 *   GET /svg       the drawing (header X-LV-Version: its version)
 */
#ifndef LC_VIEW_H
#define LC_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "lc/lc.h"

/*
 * Serve the live view on 127.0.0.1:'port' (0: a free port, see lv_port())
 * with 'title' over the drawing (copied; NULL: "Let It Crash"). Renders
 * the system once before it returns. Returns 0, LC_EBUSY if a view is
 * already served, LC_EINVAL if the port cannot be had (in use), LC_ENOMEM.
 * Call it on the thread that runs the kernel, after lc_init().
 */
int lv_start(unsigned port, const char *title);

/* The port the view is served on, or 0 if none. */
unsigned lv_port(void);

/*
 * Look at the system; if it changed since the last drawing (and the last
 * one is at least 100 ms old), draw it again and hand it to the server.
 * Returns true if it drew. Cheap when nothing changed. Does nothing
 * without lv_start() except for lv_write_svg()'s benefit.
 */
bool lv_poll(void);

/* The version of the drawing the server hands out (1 after lv_start(),
   then one more per new drawing). */
uint64_t lv_version(void);

/* Draw the system now and write the SVG to 'path' (for handouts; works
   with or without a server). Returns 0, or LC_EINVAL (no `dot`, or the
   file cannot be written). */
int lv_write_svg(const char *path);

/* Stop serving and free the view. Call it before lc_fini(). */
void lv_stop(void);

#endif /* LC_VIEW_H */
