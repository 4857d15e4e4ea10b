/*
 * shell.h - the kit's shell, lcsh: a live system under a prompt.
 *
 * The shell is three parts:
 *
 *   lcsh.c      the program: options, the prompt and line editing, and the
 *               loop that runs the system between commands;
 *   command.c   the command table and the commands that look at and act on
 *               processes (ps, info, send, exit, link, monitor, flush, tree,
 *               draw, clock, trace, ...);
 *   systems.c   what the shell can start: small processes and servers, and
 *               the systems of the chapters (a supervision tree, ...);
 *   supcmd.c    the supervisor commands (which, count, terminate, ...);
 *   todocmd.c   the to-do system (start, add, list, update, delete).
 *   regcmd.c    the registry commands (registry, lookup, echoserver, ...).
 *   dyncmd.c    the dynamic supervisor commands (dynsup, dynstart, ...).
 *
 * Commands run inside a process of their own, the shell process, so that
 * they can do what only a process can do: link, monitor, call a server,
 * receive. The program sends each line to that process and runs the system
 * until the command is over and every process waits again; then it reads
 * the next line. A command that raises is reported and the shell process
 * goes on; a shell process killed by a signal (a link to a process that
 * crashed, say) is replaced by a new one, as iex does.
 */
#ifndef SHELL_SHELL_H
#define SHELL_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc/lc.h"

/* One command: its name, its arguments for help, what it does, and the
   function that runs it in the shell process with argc/argv (argv[0] is
   the name). A command prints its own output and errors. */
struct sh_command {
    const char *name;
    const char *args;
    const char *help;
    void (*run)(int argc, char **argv);
};

/* The commands of each part, ended by an entry whose name is NULL. */
extern const struct sh_command sh_core_commands[];
extern const struct sh_command sh_system_commands[];
extern const struct sh_command sh_sup_commands[];
extern const struct sh_command sh_todo_commands[];
extern const struct sh_command sh_dyn_commands[];
extern const struct sh_command sh_reg_commands[];

/* Run one line in the calling process (the shell process). */
void sh_run_line(char *line);

/* Find the command called 'name' (or the only one it is a prefix of). */
const struct sh_command *sh_find_command(const char *name);

/* Call fn(name, ctx) for every command name, and for every name a process
   has (registered or shown), for completion. */
void sh_each_command(void (*fn)(const char *name, void *ctx), void *ctx);
void sh_each_process_name(void (*fn)(const char *name, void *ctx), void *ctx);

/*
 * Turn what the user typed into a pid: "<0.5.0>", "0.5.0", "5" (a slot:
 * the live process in it), a registered name, or the name a process shows
 * in ps. Prints an error naming the text and returns LC_NOPID if none.
 */
lc_pid sh_pid(const char *text);

/* As sh_pid(), but quietly: a pid typed as <0.5.0> is taken dead or
   alive, and a name nobody has is LC_NOPID -- for the commands whose
   point is what the layers do then (link, monitor, send, exit, call). */
lc_pid sh_target(const char *text);

/* Parse a reason: an atom (kill, normal, shutdown, boom) or a pair
   {shutdown,db_down} / {boom,42}. Returns false (and prints why) if bad. */
bool sh_reason(const char *text, struct lc_reason *out);

/* Print an error for the command being run: "lcsh: <cmd>: <message>". */
void sh_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The clock the shell runs (virtual in scripts unless --real). */
bool sh_virtual_clock(void);

/* Write the pid as text into a static buffer (two of them, alternating, so
   two pids can be printed in one printf). */
const char *sh_pidstr(lc_pid pid);

/* Print every command's help, or one command's. */
void sh_help(const char *name);

#endif /* SHELL_SHELL_H */
