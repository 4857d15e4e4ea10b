/*
 * todocmd.c - the to-do system in the shell: start it on a folder, add,
 * list, change and delete entries, find a list's server.
 *
 * The system is the book's last stage (chapter 8), or an earlier one on
 * request, on the student's layers or the reference's, so the
 * seeds' experiments -- start the system, kill the cache, watch it come
 * back with the lists still on disk -- are a few commands away.
 */
#include "shell.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/otp/links.h"
#include "lc/systems/todo.h"
#include "lc/systems/todo_app.h"

static bool parse_date(const char *text, struct todo_date *d)
{
    if (todo_date_parse(text, d) < 0) {
        sh_error("'%s' is not a date: write YYYY-MM-DD", text);
        return false;
    }
    return true;
}

/* The words argv[from..argc) joined by spaces: an entry's title. */
static const char *title_of(int argc, char **argv, int from)
{
    static char title[TODO_TITLE_MAX + 2];
    title[0] = '\0';
    for (int i = from; i < argc; i++) {
        size_t len = strlen(title);
        snprintf(title + len, sizeof title - len, "%s%s", i > from ? " " : "",
                 argv[i]);
    }
    return title;
}

static bool ok(int err, const char *what)
{
    if (err < 0) {
        sh_error("%s: %s (%s)", what, lc_strerror(err), lc_err_name(err));
        return false;
    }
    return true;
}

/* The stages the shell can start, the book's last one first (the
   default): each is the start function of the chapter that wrote it. */
static const struct {
    const char *name;
    int (*start)(const struct todo_config *cfg, lc_pid *sup);
    const char *what;
} stages[] = {
    { "dynamic", todo_dynamic_system_start_link,
      "chapter 8: servers under a dynamic cache, found by {server,List}" },
    { "pool", todo_pool_system_start_link,
      "chapter 7: database workers under a pool, found by {worker,N}" },
    { "database", todo_system_start_link,
      "chapters 5-6: the database and the cache under the system" },
    { "whole", todo_app_start_link,
      "chapter 9: the whole system, its error kernel saving and restoring "
      "state" },
};

static void todo_start(int argc, char **argv)
{
    struct todo_config cfg;
    size_t stage = 0;
    if (argc < 3) {
        sh_error("say where the lists live: todo start FOLDER "
                 "[dynamic|pool|database|whole]");
        return;
    }
    if (argc > 3) {
        while (stage < sizeof stages / sizeof stages[0] &&
               strcmp(argv[3], stages[stage].name) != 0) {
            stage++;
        }
        if (stage == sizeof stages / sizeof stages[0]) {
            sh_error("no stage '%s': dynamic (the default), pool, database "
                     "or whole",
                     argv[3]);
            return;
        }
    }
    if (!ok(todo_config_init(&cfg, argv[2]), "the folder")) {
        return;
    }
    lc_pid sup;
    bool trapped = lc_trap_exit(true); /* a failed start must not end us */
    int err = stages[stage].start(&cfg, &sup);
    lc_trap_exit(trapped);
    if (err == LC_EALREADY) {
        sh_error("the to-do system runs already: %s", sh_pidstr(sup));
        return;
    }
    if (!ok(err, "the to-do system did not start")) {
        return;
    }
    lc_unlink(sup); /* the system outlives this shell process */
    printf("started the to-do system %s on %s (%s)\n", sh_pidstr(sup), argv[2],
           stages[stage].what);
}

/* `todo whole DIR`: the whole system of chapter 9 (todo start DIR whole). */
static void todo_whole(int argc, char **argv)
{
    char *args[] = { argv[0], "start", argc > 2 ? argv[2] : NULL, "whole",
                     NULL };
    todo_start(argc > 2 ? 4 : 2, args);
}

static void todo_add_cmd(int argc, char **argv)
{
    struct todo_date d;
    uint32_t id;
    if (argc < 5) {
        sh_error("todo add LIST YYYY-MM-DD TITLE...");
        return;
    }
    if (parse_date(argv[3], &d) &&
        ok(todo_add(argv[2], d, title_of(argc, argv, 4), &id), "add")) {
        printf("added entry %" PRIu32 " to %s\n", id, argv[2]);
    }
}

static void todo_list_cmd(int argc, char **argv)
{
    struct todo_date d;
    struct todo_entry e[64];
    if (argc < 4) {
        sh_error("todo list LIST YYYY-MM-DD");
        return;
    }
    if (!parse_date(argv[3], &d)) {
        return;
    }
    int n = todo_entries(argv[2], d, e, 64);
    if (!ok(n, "list")) {
        return;
    }
    for (int i = 0; i < n && i < 64; i++) {
        printf("  %" PRIu32 "  %s  %s\n", e[i].id, argv[3], e[i].title);
    }
    printf("%d entr%s on %s\n", n, n == 1 ? "y" : "ies", argv[3]);
}

static bool parse_id(const char *text, uint32_t *id)
{
    char *rest;
    errno = 0;
    unsigned long v = strtoul(text, &rest, 10);
    if (*rest != '\0' || errno != 0 || v == 0 || v > UINT32_MAX) {
        sh_error("'%s' is not an entry id", text);
        return false;
    }
    *id = (uint32_t)v;
    return true;
}

static void todo_update_cmd(int argc, char **argv)
{
    struct todo_date d;
    uint32_t id;
    if (argc < 6) {
        sh_error("todo update LIST ID YYYY-MM-DD TITLE...");
        return;
    }
    if (parse_id(argv[3], &id) && parse_date(argv[4], &d) &&
        ok(todo_update(argv[2], id, d, title_of(argc, argv, 5)), "update")) {
        printf("changed entry %" PRIu32 " of %s\n", id, argv[2]);
    }
}

static void todo_delete_cmd(int argc, char **argv)
{
    uint32_t id;
    if (argc < 4) {
        sh_error("todo delete LIST ID");
        return;
    }
    if (parse_id(argv[3], &id) && ok(todo_delete(argv[2], id), "delete")) {
        printf("deleted entry %" PRIu32 " of %s\n", id, argv[2]);
    }
}

static void todo_server_cmd(int argc, char **argv)
{
    if (argc < 3) {
        sh_error("todo server LIST");
        return;
    }
    lc_pid p = todo_hooks()->server_process(argv[2]);
    printf("the server of %s is %s\n", argv[2], sh_pidstr(p));
}

static void cmd_todo(int argc, char **argv)
{
    static const struct {
        const char *word;
        void (*run)(int argc, char **argv);
    } subs[] = { { "start", todo_start },       { "whole", todo_whole },
                 { "add", todo_add_cmd },       { "list", todo_list_cmd },
                 { "update", todo_update_cmd }, { "delete", todo_delete_cmd },
                 { "server", todo_server_cmd } };
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        if (strcmp(argv[1], subs[i].word) == 0) {
            subs[i].run(argc, argv);
            return;
        }
    }
    sh_error("no to-do command '%s': start, whole, add, list, update, "
             "delete or server",
             argv[1]);
}

const struct sh_command sh_todo_commands[] = {
    { "todo", "start|add|list|update|delete|server ...",
      "the to-do system: `todo start DIR [dynamic|pool|database|whole]`, "
      "`todo whole DIR` (chapter 9's), `todo add "
      "LIST DATE TITLE`, "
      "`todo list LIST DATE`, `todo update LIST ID DATE TITLE`, `todo "
      "delete LIST ID`, `todo server LIST`",
      cmd_todo },
    { NULL, NULL, NULL, NULL }
};
