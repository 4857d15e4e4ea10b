/*
 * regcmd.c - the shell's registry commands (chapter 7).
 *
 * `registry` starts a registry under a name; `lookup`, `keys` and
 * `entries` read one, as any process may, without a message to it;
 * `echoserver` starts the book's EchoServer under the via name {echo,ID}
 * in the registry "echo_registry" (started on first use), and `echocall`
 * calls it by that key. The registries and servers are started linked,
 * then unlinked, so that they outlive a shell process that is replaced.
 */
#include "shell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/names.h"
#include "lc/otp/registry.h"

#define ECHO_REGISTRY "echo_registry"

/* Names given to registries from the shell: they must outlive the
   registry (lc_reg_opts.name), so they are kept here for good. */
static char *keep_name(const char *name)
{
    static char names[32][64];
    static int n;
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i], name) == 0) {
            return names[i];
        }
    }
    if (n == 32 || strlen(name) >= sizeof names[0]) {
        return NULL;
    }
    snprintf(names[n], sizeof names[n], "%s", name);
    return names[n++];
}

static lc_pid start_registry(const char *name, enum lc_reg_keys kind)
{
    char *kept = keep_name(name);
    if (kept == NULL) {
        sh_error("too many registries, or '%s' is too long", name);
        return LC_NOPID;
    }
    struct lc_reg_opts o = { .keys = kind, .name = kept };
    lc_pid reg;
    bool trapped = lc_trap_exit(true);
    int err = lc_reg_start_link(&o, &reg, NULL);
    lc_trap_exit(trapped);
    if (err == LC_EALREADY) {
        sh_error("'%s' runs already: %s", name, sh_pidstr(reg));
        return LC_NOPID;
    }
    if (err < 0) {
        sh_error("the registry did not start: %s", lc_strerror(err));
        return LC_NOPID;
    }
    lc_unlink(reg);
    return reg;
}

static void cmd_registry(int argc, char **argv)
{
    enum lc_reg_keys kind = LC_REG_UNIQUE;
    if (argc > 2 && strcmp(argv[2], "duplicate") == 0) {
        kind = LC_REG_DUPLICATE;
    } else if (argc > 2 && strcmp(argv[2], "unique") != 0) {
        sh_error("keys are unique or duplicate, not '%s'", argv[2]);
        return;
    }
    lc_pid reg = start_registry(argv[1], kind);
    if (reg != LC_NOPID) {
        printf("started registry %s %s (%s keys)\n", argv[1], sh_pidstr(reg),
               kind == LC_REG_UNIQUE ? "unique" : "duplicate");
    }
}

/* The registry named by 'text', or LC_NOPID with an error. */
static lc_pid registry(const char *text)
{
    lc_pid reg = sh_pid(text);
    if (reg != LC_NOPID && lc_reg_count(reg) == 0) {
        struct lc_info info;
        if (lc_proc_info(reg, &info) < 0 || info.role != LC_ROLE_REGISTRY) {
            sh_error("%s is not a registry", text);
            return LC_NOPID;
        }
    }
    return reg;
}

static void cmd_lookup(int argc, char **argv)
{
    lc_pid reg = registry(argv[1]);
    if (reg == LC_NOPID) {
        return;
    }
    struct lc_reg_entry e[16];
    size_t n = lc_reg_lookup(reg, argv[2], e, 16);
    for (size_t i = 0; i < n && i < 16; i++) {
        char v[64];
        lc_term_format(v, sizeof v, e[i].value);
        printf("  {%s, %s}\n", sh_pidstr(e[i].pid), v);
    }
    printf("%zu entr%s under %s\n", n, n == 1 ? "y" : "ies", argv[2]);
}

static void cmd_keys(int argc, char **argv)
{
    lc_pid reg = registry(argv[1]), pid = sh_pid(argv[2]);
    if (reg == LC_NOPID || pid == LC_NOPID) {
        return;
    }
    const char *keys[32];
    size_t n = lc_reg_keys(reg, pid, keys, 32);
    for (size_t i = 0; i < n && i < 32; i++) {
        printf("  %s\n", keys[i]);
    }
    printf("%s holds %zu key%s\n", sh_pidstr(pid), n, n == 1 ? "" : "s");
}

static void cmd_entries(int argc, char **argv)
{
    lc_pid reg = registry(argv[1]);
    if (reg != LC_NOPID) {
        size_t n = lc_reg_count(reg);
        printf("%zu entr%s\n", n, n == 1 ? "y" : "ies");
    }
}

/* --- The EchoServer ---------------------------------------------------------
 */

static int echo_init(void *arg, void **state, struct lc_reason *stop)
{
    return LC_GS_CONTINUE;
}

static int echo_call(void *state, int tag, const void *data, size_t size,
                     struct lc_gs_from from, struct lc_reason *stop)
{
    lc_gs_reply(from, data, size);
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops echo_ops = { .init = echo_init,
                                           .handle_call = echo_call };

static bool echo_key(const char *id, char key[LC_REG_KEY_MAX])
{
    char *rest;
    long n = strtol(id, &rest, 10);
    if (*rest != '\0' || rest == id) {
        sh_error("'%s' is not a number", id);
        return false;
    }
    lc_reg_key_int(key, "echo", n);
    return true;
}

static void cmd_echoserver(int argc, char **argv)
{
    char key[LC_REG_KEY_MAX];
    if (!echo_key(argv[1], key)) {
        return;
    }
    lc_pid reg = lc_whereis(ECHO_REGISTRY);
    if (reg == LC_NOPID &&
        (reg = start_registry(ECHO_REGISTRY, LC_REG_UNIQUE)) != LC_NOPID) {
        printf("started registry %s %s\n", ECHO_REGISTRY, sh_pidstr(reg));
    }
    lc_pid pid;
    int err = lc_reg_via_start(reg, key, &echo_ops, NULL, NULL, &pid, NULL);
    if (err == 0) {
        printf("started %s %s\n", key, sh_pidstr(pid));
    } else if (err == LC_EALREADY) {
        sh_error("%s is already started: %s", key, sh_pidstr(pid));
    } else {
        sh_error("%s did not start: %s", key, lc_strerror(err));
    }
}

static void cmd_echocall(int argc, char **argv)
{
    char key[LC_REG_KEY_MAX];
    if (!echo_key(argv[1], key)) {
        return;
    }
    struct lc_msg *m = lc_reg_via_call(lc_whereis(ECHO_REGISTRY), key, 1,
                                       argv[2], strlen(argv[2]) + 1, 5000);
    printf("%s answers \"%s\" (%s)\n", key, (const char *)m->data,
           sh_pidstr(m->from));
    lc_msg_free(m);
}

const struct sh_command sh_reg_commands[] = {
    { "registry", "NAME [unique|duplicate]", "start a registry under a name",
      cmd_registry },
    { "lookup", "REG KEY", "the processes under a key, with their values",
      cmd_lookup },
    { "keys", "REG PID", "the keys a process holds in a registry", cmd_keys },
    { "entries", "REG", "how many registrations a registry holds",
      cmd_entries },
    { "echoserver", "ID",
      "start an EchoServer under {echo,ID} in "
      "echo_registry",
      cmd_echoserver },
    { "echocall", "ID TEXT", "call the EchoServer {echo,ID} by its key",
      cmd_echocall },
    { NULL, NULL, NULL, NULL }
};
