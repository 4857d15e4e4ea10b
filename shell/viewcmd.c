/*
 * viewcmd.c - the shell's live view: `view PORT` serves the running system
 * as a web page (lc/view.h), redrawn as it changes.
 *
 * The command only starts or stops the server; the drawing is refreshed by
 * the shell's main loop (lcsh.c calls lv_poll() each time the system has
 * run), on the thread that runs the kernel -- never on the server's.
 */
#include "shell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/view.h"

static void cmd_view(int argc, char **argv)
{
    if (argc < 2) {
        if (lv_port() != 0) {
            printf("view: http://127.0.0.1:%u/ (drawing %llu)\n", lv_port(),
                   (unsigned long long)lv_version());
        } else {
            printf("view: off (`view 8080` serves it)\n");
        }
        return;
    }
    if (strcmp(argv[1], "off") == 0) {
        lv_stop();
        printf("view: off\n");
        return;
    }
    if (strcmp(argv[1], "svg") == 0) {
        if (argc < 3 || lv_write_svg(argv[2]) < 0) {
            sh_error("say where to write the SVG (and have graphviz's dot)");
        } else {
            printf("view: wrote %s\n", argv[2]);
        }
        return;
    }
    char *end;
    unsigned long port = strtoul(argv[1], &end, 10);
    if (*end != '\0' || port > 65535) {
        sh_error("a port number (0: any free one), `off` or `svg FILE`");
        return;
    }
    int rc = lv_start((unsigned)port, "lcsh");
    if (rc < 0) {
        sh_error("cannot serve on 127.0.0.1:%lu: %s", port,
                 rc == LC_EBUSY ? "a view is served already (`view off`)"
                                : "the port is taken, or dot is missing");
        return;
    }
    printf("view: http://127.0.0.1:%u/ -- open it in a browser; it follows "
           "the system as it changes\n",
           lv_port());
}

const struct sh_command sh_view_commands[] = {
    { "view", "[PORT|off|svg FILE]",
      "serve the running system as a live web page on 127.0.0.1:PORT",
      cmd_view },
    { NULL, NULL, NULL, NULL }
};
