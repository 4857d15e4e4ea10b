/*
 * kvcmd.c - the shell's applications and KV store (chapter 10).
 *
 * `app start kv` starts the KV store as an application (the shell loads
 * its spec on first use); `app stop`, `app ensure` and `apps` are the calls
 * of application.h, printed. `kv create NAME`, `kv put`, `kv get` and
 * `kv buckets` go through the store's registry, as any client does; `kv
 * crash NAME` kills a bucket, so that `kv buckets` and `tree` show what the
 * registry and the supervisors did about it. With `view 8080` the same
 * happens in a browser.
 */
#include "shell.h"

#include <stdio.h>
#include <string.h>

#include "lc/otp/application.h"
#include "lc/otp/links.h"
#include "lc/otp/names.h"
#include "lc/systems/kv.h"

static void load_apps(void)
{
    lc_app_load(&kv_app); /* LC_EEXIST after the first time: fine */
}

static void cmd_apps(int argc, char **argv)
{
    char names[LC_APP_MAX][LC_APP_NAME_MAX];
    load_apps();
    size_t n = lc_app_which(names, LC_APP_MAX);
    printf("running:");
    for (size_t i = 0; i < n && i < LC_APP_MAX; i++) {
        printf(" %s (top %s)", names[i], sh_pidstr(lc_app_top(names[i])));
    }
    printf("%s\n", n == 0 ? " none" : "");
    struct lc_app_error why;
    if (lc_app_halted(&why)) {
        char r[96];
        lc_reason_format(r, sizeof r, &why.reason);
        printf("halted: application %s ended with %s\n", why.app, r);
    }
}

static bool app_type(const char *s, enum lc_app_type *t)
{
    static const char *const names[] = { "temporary", "transient",
                                         "permanent" };
    for (int i = 0; i < 3; i++) {
        if (strcmp(s, names[i]) == 0) {
            *t = (enum lc_app_type)i;
            return true;
        }
    }
    sh_error("'%s' is not temporary, transient or permanent", s);
    return false;
}

static void report_start(const char *what, int err,
                         const struct lc_app_error *e)
{
    if (err == 0) {
        printf("%s: ok\n", what);
        return;
    }
    char r[96];
    lc_reason_format(r, sizeof r, &e->reason);
    sh_error("%s: %s, %s %s", what, lc_err_name(err), e->app, r);
}

static void cmd_app(int argc, char **argv)
{
    enum lc_app_type type = LC_APP_TEMPORARY;
    if (argc > 3 && !app_type(argv[3], &type)) {
        return;
    }
    load_apps();
    struct lc_app_error e = { "", lc_reason(LC_A_NONE) };
    const char *verb = argv[1], *name = argv[2];
    if (strcmp(verb, "start") == 0) {
        report_start("start", lc_app_start(name, type, &e), &e);
    } else if (strcmp(verb, "ensure") == 0) {
        char started[LC_APP_MAX][LC_APP_NAME_MAX];
        size_t n = 0;
        int err = lc_app_ensure_all_started(name, type, started, LC_APP_MAX, &n,
                                            &e);
        report_start("ensure_all_started", err, &e);
        for (size_t i = 0; err == 0 && i < n; i++) {
            printf("  started %s\n", started[i]);
        }
    } else if (strcmp(verb, "stop") == 0) {
        int err = lc_app_stop(name);
        if (err < 0) {
            sh_error("stop: %s does not run", name);
        } else {
            printf("stop: ok\n");
        }
    } else {
        sh_error("start, ensure or stop, not '%s'", verb);
    }
}

/* The store must run: its registry answers every kv command. */
static bool store_runs(void)
{
    if (lc_whereis(KV_REGISTRY_NAME) == LC_NOPID) {
        sh_error("the KV store does not run (`app start kv`)");
        return false;
    }
    return true;
}

static lc_pid bucket(const char *name)
{
    lc_pid b = kv_lookup(name);
    if (b == LC_NOPID) {
        sh_error("no bucket '%s' (`kv create %s`)", name, name);
    }
    return b;
}

static void kv_buckets(void)
{
    lc_pid bs = lc_whereis(KV_BUCKET_SUP_NAME);
    struct lc_info in;
    lc_pid pids[256];
    size_t n = lc_proc_list(pids, 256);
    printf("%zu bucket(s) known to the registry:", kv_count());
    for (size_t i = 0; i < n && i < 256; i++) {
        if (lc_proc_info(pids[i], &in) == 0 && in.parent == bs &&
            in.name != NULL && kv_lookup(in.name) == pids[i]) {
            printf(" %s=%s", in.name, sh_pidstr(pids[i]));
        }
    }
    printf("\n");
}

static void cmd_kv(int argc, char **argv)
{
    const char *verb = argv[1];
    if (!store_runs()) {
        return;
    }
    char value[KV_VALUE_MAX];
    lc_pid b;
    if (strcmp(verb, "buckets") == 0) {
        kv_buckets();
    } else if (argc < 3) {
        sh_error("kv %s needs a bucket name", verb);
    } else if (strcmp(verb, "create") == 0) {
        int err = kv_create(argv[2], &b);
        if (err < 0) {
            sh_error("create: %s", lc_strerror(err));
        } else {
            printf("bucket %s: %s\n", argv[2], sh_pidstr(b));
        }
    } else if ((b = bucket(argv[2])) == LC_NOPID) {
        return;
    } else if (strcmp(verb, "put") == 0 && argc > 4) {
        kv_bucket_put(b, argv[3], argv[4]);
        printf("%s: %s = %s\n", argv[2], argv[3], argv[4]);
    } else if (strcmp(verb, "get") == 0 && argc > 3) {
        if (kv_bucket_get(b, argv[3], value, sizeof value) < 0) {
            printf("%s: no %s\n", argv[2], argv[3]);
        } else {
            printf("%s: %s = %s\n", argv[2], argv[3], value);
        }
    } else if (strcmp(verb, "crash") == 0) {
        lc_exit_signal(b, lc_reason(lc_atom_intern("boom")));
        printf("sent exit boom to bucket %s %s\n", argv[2], sh_pidstr(b));
    } else {
        sh_error("kv create|put|get|crash BUCKET ... or kv buckets");
    }
}

const struct sh_command sh_kv_commands[] = {
    { "apps", "", "the running applications (chapter 10)", cmd_apps },
    { "app", "start|ensure|stop NAME [TYPE]",
      "start, start with dependencies, or stop an application (kv)", cmd_app },
    { "kv", "create|put|get|crash|buckets [BUCKET [KEY [VALUE]]]",
      "the KV store: buckets through its registry", cmd_kv },
    { NULL, NULL, NULL, NULL }
};
