/*
 * figure.h - let an example program draw itself.
 *
 * The chapters' figures are drawn from live runs of the example programs:
 * at the moment worth showing, an example calls ex_figure(). Under
 * `make diagrams` (which sets LC_FIGURE_DIR) that writes the running system
 * as DOT into LC_FIGURE_DIR/<name>.dot; in a normal run it does nothing,
 * so the example's output stays what the chapter quotes.
 */
#ifndef EX_FIGURE_H
#define EX_FIGURE_H

#include "lc/lc.h"

/* Write the live system as <LC_FIGURE_DIR>/<name>.dot, with 'opts' (NULL:
 * all edges). Returns 0 (also when LC_FIGURE_DIR is not set), or a
 * negative LC_E* code. */
int ex_figure(const char *name, const struct lc_dot_opts *opts);

#endif /* EX_FIGURE_H */
