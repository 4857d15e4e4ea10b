/*
 * command.c - the shell's commands on processes: list, inspect, send,
 * signal, link, monitor, read the mailbox, draw, trace, move the clock.
 *
 * Every command runs in the shell process (see shell.h), so the shell can
 * link to and monitor processes as any process can, and what arrives in
 * its mailbox is shown by `flush`, as in iex. Nothing here reaches into the
 * kernel's insides: processes are seen through info.h, as a student's own
 * tool would see them.
 */
#include "shell.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/otp/exceptions.h"
#include "lc/otp/links.h"
#include "lc/otp/monitors.h"
#include "lc/otp/names.h"

static const char *current_cmd = "lcsh";

void sh_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("** %s: ", current_cmd);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

const char *sh_pidstr(lc_pid pid)
{
    static char buf[2][32];
    static int next;
    next ^= 1;
    lc_pid_format(buf[next], sizeof buf[next], pid);
    return buf[next];
}

/* --- Reading what the user typed ---------------------------------------- */

/* "<0.5.0>", "0.5.0" or "5": the pid, or LC_NOPID if it is none of these
   or no such process lives. */
static lc_pid pid_of_text(const char *t)
{
    unsigned slot, gen;
    char end;
    if (sscanf(t, "<0.%u.%u%c", &slot, &gen, &end) == 3 && end == '>') {
        return ((lc_pid)gen << 32) | slot;
    }
    if (sscanf(t, "0.%u.%u%c", &slot, &gen, &end) == 2) {
        return ((lc_pid)gen << 32) | slot;
    }
    char *rest;
    errno = 0;
    unsigned long n = strtoul(t, &rest, 10);
    if (errno != 0 || *rest != '\0' || rest == t) {
        return LC_NOPID;
    }
    lc_pid pids[4096];
    size_t count = lc_proc_list(pids, 4096);
    for (size_t i = 0; i < count && i < 4096; i++) {
        if ((pids[i] & 0xffffffffu) == n) {
            return pids[i];
        }
    }
    return LC_NOPID;
}

/* The live process that shows 'name' in ps (its registered name or the
   label it was given), or LC_NOPID. */
static lc_pid pid_of_label(const char *name)
{
    lc_pid pids[4096];
    size_t count = lc_proc_list(pids, 4096);
    for (size_t i = 0; i < count && i < 4096; i++) {
        struct lc_info in;
        if (lc_proc_info(pids[i], &in) == 0 && in.name != NULL &&
            strcmp(in.name, name) == 0) {
            return pids[i];
        }
    }
    return LC_NOPID;
}

lc_pid sh_target(const char *text)
{
    unsigned slot, gen;
    if (sscanf(text, "<0.%u.%u>", &slot, &gen) == 2 ||
        sscanf(text, "0.%u.%u", &slot, &gen) == 2) {
        return ((lc_pid)gen << 32) | slot; /* dead or alive, as typed */
    }
    lc_pid p = pid_of_text(text);
    if (p == LC_NOPID && strlen(text) < 64) {
        p = lc_whereis(text);
    }
    return p != LC_NOPID ? p : pid_of_label(text);
}

static lc_pid target_or_error(const char *text)
{
    lc_pid p = sh_target(text);
    if (p == LC_NOPID) {
        sh_error("nobody is called '%s' (`ps` lists the processes)", text);
    }
    return p;
}

lc_pid sh_pid(const char *text)
{
    lc_pid p = sh_target(text);
    if (p == LC_NOPID || !lc_alive(p)) {
        sh_error("no process '%s' (a pid like <0.5.0>, a slot number or a "
                 "name; `ps` lists them)",
                 text);
        return LC_NOPID;
    }
    return p;
}

static bool parse_term(const char *t, struct lc_term *out)
{
    char *rest;
    errno = 0;
    long long n = strtoll(t, &rest, 10);
    if (*t != '\0' && *rest == '\0' && errno == 0) {
        *out = lc_int(n);
        return true;
    }
    for (const char *c = t; *c != '\0'; c++) {
        if (!isalnum((unsigned char)*c) && *c != '_') {
            return false;
        }
    }
    lc_atom a = lc_atom_intern(t);
    if (a == LC_A_NONE) {
        return false;
    }
    *out = lc_atom_term(a);
    return true;
}

bool sh_reason(const char *text, struct lc_reason *out)
{
    char kind[64], value[64];
    struct lc_term k, v;
    if (sscanf(text, "{%63[^,}],%63[^}]}", kind, value) == 2 &&
        parse_term(kind, &k) && k.type == LC_T_ATOM && parse_term(value, &v)) {
        *out = lc_reason_with(k.u.atom, v);
        return true;
    }
    if (parse_term(text, &k) && k.type == LC_T_ATOM) {
        *out = lc_reason(k.u.atom);
        return true;
    }
    sh_error("'%s' is not a reason: write an atom (kill, shutdown, boom) or "
             "a pair such as {shutdown,db_down} or {boom,42}",
             text);
    return false;
}

static const char *reason_str(const struct lc_reason *r)
{
    static char buf[2][160];
    static int next;
    next ^= 1;
    lc_reason_format(buf[next], sizeof buf[next], r);
    return buf[next];
}

/* --- Processes ----------------------------------------------------------- */

static const char *state_name(enum lc_state s)
{
    static const char *const names[] = { "runnable", "running", "waiting",
                                         "exiting" };
    return names[s & 3];
}

static const char *role_name(enum lc_role r)
{
    static const char *const names[] = { "worker", "supervisor", "registry",
                                         "application" };
    return names[r & 3];
}

static void cmd_ps(int argc, char **argv)
{
    lc_pid pids[4096];
    size_t n = lc_proc_list(pids, 4096);
    printf("%-12s %-16s %-9s %-10s %5s %8s %4s  %s\n", "PID", "NAME", "STATE",
           "ROLE", "MBOX", "MEMORY", "RST", "DETAIL");
    for (size_t i = 0; i < n && i < 4096; i++) {
        struct lc_info in;
        if (lc_proc_info(pids[i], &in) != 0) {
            continue;
        }
        bool self = pids[i] == lc_self();
        printf("%-12s %-16s %-9s %-10s %5zu %8zu %4" PRIu32 "  %s\n",
               sh_pidstr(pids[i]),
               self ? "(this shell)" : (in.name ? in.name : "-"),
               self ? "running" : state_name(in.state), role_name(in.role),
               in.mailbox_len, in.memory, in.restarts,
               in.detail ? in.detail : "");
    }
    printf("%zu process%s\n", n, n == 1 ? "" : "es");
}

static void print_links(lc_pid p)
{
    lc_pid peers[16];
    size_t n = lc_links(p, peers, 16);
    printf("  links:       ");
    for (size_t i = 0; i < n && i < 16; i++) {
        printf("%s%s", i ? " " : "", sh_pidstr(peers[i]));
    }
    printf(n > 16 ? " ...\n" : n == 0 ? "none\n" : "\n");
}

static void cmd_info(int argc, char **argv)
{
    lc_pid p = sh_pid(argv[1]);
    struct lc_info in;
    if (p == LC_NOPID || lc_proc_info(p, &in) != 0) {
        return;
    }
    printf("%s\n", sh_pidstr(p));
    printf("  name:        %s\n", in.name ? in.name : "-");
    printf("  registered:  %s\n", lc_name_of(p) ? lc_name_of(p) : "-");
    printf("  state:       %s\n", state_name(in.state));
    printf("  role:        %s%s%s\n", role_name(in.role), in.detail ? ", " : "",
           in.detail ? in.detail : "");
    printf("  parent:      %s\n", sh_pidstr(in.parent));
    printf("  mailbox:     %zu message%s\n", in.mailbox_len,
           in.mailbox_len == 1 ? "" : "s");
    printf("  memory:      %zu bytes, stack %zu of %zu bytes touched\n",
           in.memory, in.stack_touched, in.stack_size);
    printf("  reductions:  %" PRIu64 "\n", in.reductions);
    printf("  restarts:    %" PRIu32 "\n", in.restarts);
    printf("  started at:  %" PRId64 " ms\n", in.started);
    printf("  traps exits: %s\n", lc_traps_exit(p) ? "yes" : "no");
    print_links(p);
}

/* --- Signals, links and monitors ------------------------------------------ */

static void cmd_exit(int argc, char **argv)
{
    lc_pid p = target_or_error(argv[1]);
    struct lc_reason r;
    if (p == LC_NOPID || !sh_reason(argc > 2 ? argv[2] : "kill", &r)) {
        return;
    }
    lc_exit_signal(p, r);
    printf("sent an exit signal %s to %s\n", reason_str(&r), sh_pidstr(p));
}

static void cmd_kill(int argc, char **argv)
{
    char *args[] = { "exit", argv[1], "kill", NULL };
    cmd_exit(3, args);
}

static void cmd_link(int argc, char **argv)
{
    lc_pid p = target_or_error(argv[1]);
    if (p != LC_NOPID) {
        lc_link(p);
        printf("linked %s and this shell (%s)\n", sh_pidstr(p),
               sh_pidstr(lc_self()));
    }
}

static void cmd_unlink(int argc, char **argv)
{
    lc_pid p = target_or_error(argv[1]);
    if (p != LC_NOPID) {
        lc_unlink(p);
        printf("unlinked %s\n", sh_pidstr(p));
    }
}

static void cmd_monitor(int argc, char **argv)
{
    lc_pid p = target_or_error(argv[1]);
    if (p != LC_NOPID) {
        uint64_t ref = lc_monitor(p);
        printf("monitoring %s: #Ref<%" PRIu64 ">\n", sh_pidstr(p), ref);
    }
}

static void cmd_trap(int argc, char **argv)
{
    bool on = argc < 2 || strcmp(argv[1], "off") != 0;
    if (argc > 1 && strcmp(argv[1], "on") != 0 && strcmp(argv[1], "off")) {
        sh_error("say `trap on` or `trap off`");
        return;
    }
    lc_trap_exit(on);
    printf("this shell %s exits\n", on ? "traps" : "does not trap");
}

/* --- Messages ---------------------------------------------------------------
 */

static void cmd_send(int argc, char **argv)
{
    lc_pid p = target_or_error(argv[1]);
    char *rest;
    errno = 0;
    long tag = strtol(argv[2], &rest, 10);
    if (p == LC_NOPID) {
        return;
    }
    if (*rest != '\0' || errno != 0 || tag < 0 || tag > 1000000) {
        sh_error("'%s' is not a message tag: a number from 0 to 1000000",
                 argv[2]);
        return;
    }
    const char *text = argc > 3 ? argv[3] : "";
    lc_send(p, (int)tag, text, strlen(text) + 1);
    printf("sent tag %ld \"%s\" to %s\n", tag, text, sh_pidstr(p));
}

static void print_msg(const struct lc_msg *m)
{
    if (m->tag == LC_TAG_EXIT && m->size == sizeof(struct lc_exit_msg)) {
        struct lc_exit_msg e;
        memcpy(&e, m->data, sizeof e);
        printf("{'EXIT', %s, %s}\n", sh_pidstr(e.from), reason_str(&e.reason));
    } else if (m->tag == LC_TAG_DOWN && m->size == sizeof(struct lc_down_msg)) {
        struct lc_down_msg d;
        memcpy(&d, m->data, sizeof d);
        printf("{'DOWN', #Ref<%" PRIu64 ">, process, %s, %s}\n", d.ref,
               sh_pidstr(d.pid), reason_str(&d.reason));
    } else {
        bool text = m->size > 0 && m->data[m->size - 1] == '\0';
        for (uint32_t i = 0; text && i + 1 < m->size; i++) {
            text = isprint(m->data[i]);
        }
        printf("{tag %d from %s, ", m->tag, sh_pidstr(m->from));
        if (text) {
            printf("\"%s\"}\n", (const char *)m->data);
        } else {
            printf("%" PRIu32 " bytes}\n", m->size);
        }
    }
}

static void cmd_flush(int argc, char **argv)
{
    struct lc_msg *m;
    int n = 0;
    while ((m = lc_receive(0)) != NULL) {
        print_msg(m);
        lc_msg_free(m);
        n++;
    }
    if (n == 0) {
        printf("(the mailbox of this shell is empty)\n");
    }
}

/* --- The tree --------------------------------------------------------------
 */

struct tree {
    struct lc_edge e[4096];
    char label[4096][32];
    size_t n;
};

static void collect_edge(const struct lc_edge *e, void *ctx)
{
    struct tree *t = ctx;
    if (e->kind == LC_EDGE_SUPERVISES && t->n < 4096) {
        t->e[t->n] = *e;
        snprintf(t->label[t->n], sizeof t->label[0], "%s",
                 e->label ? e->label : "");
        t->n++;
    }
}

static bool supervised(const struct tree *t, lc_pid p)
{
    for (size_t i = 0; i < t->n; i++) {
        if (t->e[i].to == p) {
            return true;
        }
    }
    return false;
}

static void print_node(lc_pid p, const char *id)
{
    struct lc_info in;
    struct lc_reason why;
    if (lc_proc_info(p, &in) == 0) {
        printf("%s %s", in.name ? in.name : id, sh_pidstr(p));
        if (in.role == LC_ROLE_SUPERVISOR) {
            printf(" [supervisor%s%s]", in.detail ? " " : "",
                   in.detail ? in.detail : "");
        }
        if (in.restarts > 0) {
            printf(" (restarted %" PRIu32 "x)", in.restarts);
        }
    } else if (lc_ghost_info(p, &in, &why) == 0) {
        printf("%s %s (exited: %s)", in.name ? in.name : id, sh_pidstr(p),
               reason_str(&why));
    } else {
        printf("%s (not running)", id);
    }
    printf("\n");
}

static void print_subtree(const struct tree *t, lc_pid p, const char *id,
                          char *indent, size_t depth)
{
    print_node(p, id);
    size_t last = t->n;
    for (size_t i = 0; i < t->n; i++) {
        if (t->e[i].from == p) {
            last = i;
        }
    }
    for (size_t i = 0; i < t->n && depth < 30; i++) {
        if (t->e[i].from != p) {
            continue;
        }
        size_t len = strlen(indent);
        printf("%s%s", indent, i == last ? "`-- " : "|-- ");
        strcat(indent, i == last ? "    " : "|   ");
        print_subtree(t, t->e[i].to, t->label[i], indent, depth + 1);
        indent[len] = '\0';
    }
}

static void cmd_tree(int argc, char **argv)
{
    static struct tree t;
    static char indent[256];
    t.n = 0;
    lc_edges(collect_edge, &t);
    if (argc > 1) {
        lc_pid p = sh_pid(argv[1]);
        if (p != LC_NOPID) {
            indent[0] = '\0';
            print_subtree(&t, p, argv[1], indent, 0);
        }
        return;
    }
    size_t roots = 0;
    lc_pid pids[4096];
    size_t n = lc_proc_list(pids, 4096);
    for (size_t i = 0; i < n && i < 4096; i++) {
        struct lc_info in;
        if (lc_proc_info(pids[i], &in) == 0 && in.role == LC_ROLE_SUPERVISOR &&
            !supervised(&t, pids[i])) {
            indent[0] = '\0';
            print_subtree(&t, pids[i], "?", indent, 0);
            roots++;
        }
    }
    if (roots == 0) {
        printf("(no supervisor is running: `demo` or `nested` starts a "
               "tree)\n");
    }
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void cmd_draw(int argc, char **argv)
{
    const char *out = argv[1];
    const char *fmt = ends_with(out, ".svg")   ? "svg"
                      : ends_with(out, ".png") ? "png"
                      : ends_with(out, ".dot") ? "dot"
                                               : NULL;
    if (fmt == NULL) {
        sh_error("say where to draw: FILE.dot, FILE.svg or FILE.png");
        return;
    }
    char dot[4096];
    snprintf(dot, sizeof dot, "%s%s", out, strcmp(fmt, "dot") ? ".dot" : "");
    FILE *f = fopen(dot, "w");
    if (f == NULL) {
        sh_error("cannot write %s: %s", dot, strerror(errno));
        return;
    }
    struct lc_dot_opts o = { .links = true,
                             .monitors = true,
                             .supervision = true,
                             .registrations = true,
                             .lonely = true,
                             .legend = true };
    int err = lc_dot_write(f, &o);
    if (fclose(f) != 0 || err < 0) {
        sh_error("writing %s failed", dot);
        return;
    }
    if (strcmp(fmt, "dot") != 0) {
        char cmd[8300];
        snprintf(cmd, sizeof cmd, "dot -T%s%s -o '%s' '%s'", fmt,
                 strcmp(fmt, "png") ? "" : " -Gdpi=150", out, dot);
        if (strchr(out, '\'') != NULL || system(cmd) != 0) {
            sh_error("graphviz's dot could not draw %s (is graphviz "
                     "installed?); the DOT is in %s",
                     out, dot);
            return;
        }
        remove(dot);
    }
    printf("drew the running system in %s\n", out);
}

/* --- Time and tracing --------------------------------------------------------
 */

static void cmd_clock(int argc, char **argv)
{
    printf("%s clock, now %" PRId64 " ms\n",
           sh_virtual_clock() ? "virtual" : "real", lc_now());
}

static void cmd_advance(int argc, char **argv)
{
    char *rest;
    errno = 0;
    long long ms = strtoll(argv[1], &rest, 10);
    if (*rest != '\0' || errno != 0 || ms < 0) {
        sh_error("'%s' is not a number of milliseconds", argv[1]);
        return;
    }
    if (!sh_virtual_clock()) {
        sh_error("the clock is real: time passes by itself (start lcsh "
                 "with --virtual to move it by hand)");
        return;
    }
    int64_t until = lc_now() + ms;
    lc_sleep(ms); /* the system runs meanwhile; the clock jumps */
    printf("now %" PRId64 " ms\n", until);
}

static unsigned trace_mask;

static void tracer(const struct lc_event *ev, void *ctx)
{
    if (!(trace_mask & (1u << ev->kind))) {
        return;
    }
    char line[512];
    lc_event_format(line, sizeof line, ev);
    printf("  trace: %s\n", line);
}

static void cmd_trace(int argc, char **argv)
{
    static const char *const kinds[] = { "spawn",   "exit", "send",  "receive",
                                         "timeout", "kill", "fault", "edge",
                                         "unedge",  "note" };
    unsigned mask = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "off") == 0) {
            mask = 0;
            break;
        }
        if (strcmp(argv[i], "on") == 0) {
            mask |= 1u << LC_EV_SPAWN | 1u << LC_EV_EXIT | 1u << LC_EV_KILL |
                    1u << LC_EV_FAULT | 1u << LC_EV_NOTE;
            continue;
        }
        if (strcmp(argv[i], "all") == 0) {
            mask = ~0u;
            continue;
        }
        size_t k = 0;
        while (k < 10 && strcmp(argv[i], kinds[k]) != 0) {
            k++;
        }
        if (k == 10) {
            sh_error("no event '%s': on, off, all, or any of spawn exit "
                     "send receive timeout kill fault edge unedge note",
                     argv[i]);
            return;
        }
        mask |= 1u << k;
    }
    trace_mask = argc > 1 ? mask : trace_mask;
    lc_trace_set(trace_mask ? tracer : NULL, NULL);
    printf("tracing %s\n", trace_mask ? "on" : "off");
}

static void cmd_help(int argc, char **argv)
{
    sh_help(argc > 1 ? argv[1] : NULL);
}

static void cmd_quit(int argc, char **argv)
{
    /* lcsh.c sees these words (quit, repeat) before the shell process
       does: they are about the loop, not about a process. */
}

const struct sh_command sh_core_commands[] = {
    { "help", "[COMMAND]", "list the commands, or explain one", cmd_help },
    { "ps", "",
      "list the processes: pid, name, state, role, mailbox, "
      "memory, restarts",
      cmd_ps },
    { "info", "PROC", "everything about one process", cmd_info },
    { "tree", "[PROC]", "the supervision trees as text (or one subtree)",
      cmd_tree },
    { "draw", "FILE.svg|.png|.dot", "draw the running system with graphviz",
      cmd_draw },
    { "send", "PROC TAG [TEXT]",
      "send a message with a tag (a number) and "
      "a text",
      cmd_send },
    { "exit", "PROC [REASON]", "send an exit signal (default: kill)",
      cmd_exit },
    { "kill", "PROC", "send the exit signal kill: the process ends killed",
      cmd_kill },
    { "link", "PROC", "link this shell to a process", cmd_link },
    { "unlink", "PROC", "remove a link", cmd_unlink },
    { "monitor", "PROC", "monitor a process from this shell", cmd_monitor },
    { "trap", "on|off",
      "make this shell trap exits (EXIT messages instead "
      "of dying)",
      cmd_trap },
    { "flush", "", "show and empty this shell's mailbox", cmd_flush },
    { "clock", "", "which clock runs, and the time", cmd_clock },
    { "advance", "MS",
      "move the virtual clock forward, running what falls "
      "due",
      cmd_advance },
    { "trace", "on|off|all|KIND...",
      "print events as they happen (on: "
      "spawn, exit, kill, fault, note)",
      cmd_trace },
    { "repeat", "N COMMAND...",
      "run a command N times, the system running "
      "in between",
      cmd_quit },
    { "quit", "", "leave the shell (also Ctrl-D)", cmd_quit },
    { NULL, NULL, NULL, NULL }
};

/* --- Running a line --------------------------------------------------------
 */

static const struct sh_command *const tables[] = {
    sh_core_commands, sh_system_commands, sh_sup_commands,
    sh_todo_commands, sh_reg_commands,    sh_dyn_commands
};

const struct sh_command *sh_find_command(const char *name)
{
    const struct sh_command *found = NULL;
    int prefixes = 0;
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        for (const struct sh_command *c = tables[t]; c->name; c++) {
            if (strcmp(c->name, name) == 0) {
                return c;
            }
            if (strncmp(c->name, name, strlen(name)) == 0) {
                found = c;
                prefixes++;
            }
        }
    }
    return prefixes == 1 ? found : NULL;
}

void sh_each_command(void (*fn)(const char *name, void *ctx), void *ctx)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        for (const struct sh_command *c = tables[t]; c->name; c++) {
            fn(c->name, ctx);
        }
    }
}

void sh_each_process_name(void (*fn)(const char *name, void *ctx), void *ctx)
{
    lc_pid pids[4096];
    size_t n = lc_proc_list(pids, 4096);
    for (size_t i = 0; i < n && i < 4096; i++) {
        struct lc_info in;
        if (lc_proc_info(pids[i], &in) == 0 && in.name != NULL) {
            fn(in.name, ctx);
        }
    }
}

void sh_help(const char *name)
{
    if (name != NULL) {
        const struct sh_command *c = sh_find_command(name);
        if (c == NULL) {
            sh_error("no command '%s' (`help` lists them)", name);
            return;
        }
        printf("%s %s\n    %s\n", c->name, c->args, c->help);
        return;
    }
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        for (const struct sh_command *c = tables[t]; c->name; c++) {
            char head[64];
            snprintf(head, sizeof head, "%s %s", c->name, c->args);
            printf("  %-32s %s\n", head, c->help);
        }
    }
    printf("PROC is a pid (<0.5.0>), a slot number (5) or a name.\n");
}

/* How many words each command needs at least, from its args text: the
   words before the first optional one. */
static int required_args(const struct sh_command *c)
{
    int n = 0;
    bool word = false;
    for (const char *s = c->args; *s != '\0' && *s != '['; s++) {
        if (!isspace((unsigned char)*s) && !word) {
            n++;
        }
        word = !isspace((unsigned char)*s);
    }
    return n;
}

static void run_guarded(const struct sh_command *c, int argc, char **argv)
{
    LC_TRY
    {
        c->run(argc, argv);
    }
    LC_CATCH_ANY(e)
    {
        sh_error("raised %s", reason_str(&e->reason));
    }
    LC_END_TRY;
}

void sh_run_line(char *line)
{
    char *argv[16];
    int argc = 0;
    for (char *tok = strtok(line, " \t\n"); tok != NULL && argc < 15;
         tok = strtok(NULL, " \t\n")) {
        argv[argc++] = tok;
    }
    argv[argc] = NULL;
    if (argc == 0 || argv[0][0] == '#') {
        return;
    }
    const struct sh_command *c = sh_find_command(argv[0]);
    current_cmd = c ? c->name : "lcsh";
    if (c == NULL) {
        sh_error("no command '%s' (`help` lists them)", argv[0]);
        return;
    }
    if (argc - 1 < required_args(c)) {
        sh_error("needs %s (`help %s`)", c->args, c->name);
        return;
    }
    run_guarded(c, argc, argv);
}
