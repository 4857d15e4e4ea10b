/*
 * figure.c - see figure.h.
 */
#include "figure.h"

#include <stdio.h>
#include <stdlib.h>

int ex_figure(const char *name, const struct lc_dot_opts *opts)
{
    const char *dir = getenv("LC_FIGURE_DIR");
    if (dir == NULL || *dir == '\0') {
        return 0;
    }
    char path[512];
    if (snprintf(path, sizeof path, "%s/%s.dot", dir, name) >=
        (int)sizeof path) {
        return LC_EINVAL;
    }
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "ex_figure: cannot write %s\n", path);
        return LC_EINVAL;
    }
    int err = lc_dot_write(f, opts);
    if (fclose(f) != 0 && err == 0) {
        err = LC_EINVAL;
    }
    return err;
}
