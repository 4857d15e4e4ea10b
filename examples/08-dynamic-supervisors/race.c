/*
 * race.c - chapter 8: "start it, or find it". Two clients ask for the
 * server of the same list at the same moment. Each asks the dynamic
 * supervisor to start it; the supervisor runs the two start functions one
 * after the other, the first registers the list's name, the second finds
 * the name taken and answers LC_EALREADY with the holder -- which the
 * client takes as its answer. One server, two clients, the same pid.
 * Two more lists get their servers (the figure of the chapter shows the
 * supervisor with its three), and are stopped again. Then Bob's server is
 * killed: temporary, it is not restarted, and the next client to ask
 * starts a new one.
 */
#include <stdio.h>
#include <string.h>

#include "lc/otp/dynamic_supervisor.h"
#include "lc/otp/gen_server.h"
#include "lc/otp/links.h"
#include "lc/otp/names.h"
#include "figure.h"

static int list_init(void *arg, void **state, struct lc_reason *stop)
{
    printf("  server for %s starts\n", (const char *)arg);
    return LC_GS_CONTINUE;
}

static const struct lc_gs_ops list_ops = { .init = list_init };

/* region: start */
/* The child registers under the list's name as it starts: if the name is
   taken, lc_gs_start_link() answers LC_EALREADY with its holder, and so
   does this start function, and so does start_child. */
static int list_start(void *arg, lc_pid *pid, struct lc_reason *why)
{
    struct lc_gs_opts o = { .name = arg };
    return lc_gs_start_link(&list_ops, arg, &o, pid, why);
}

static lc_pid server_process(lc_pid sup, const char *list)
{
    struct lc_dynsup_child spec = { .start = list_start,
                                    .arg = list,
                                    .arg_size = strlen(list) + 1 };
    lc_pid pid = LC_NOPID;
    int rc = lc_dynsup_start_child(sup, &spec, &pid, NULL);
    return rc == 0 || rc == LC_EALREADY ? pid : LC_NOPID;
}
/* endregion */

static lc_pid the_sup;

static void client(void *arg)
{
    char p[32];
    lc_pid_format(p, sizeof p, server_process(the_sup, "bob_list"));
    printf("%s gets %s\n", (const char *)arg, p);
}

static void main_process(void *arg)
{
    (void)arg;
    const struct lc_dynsup_opts o = { .name = "list_servers" };
    lc_dynsup_start_link(NULL, &o, &the_sup, NULL);
    lc_spawn(client, "client 1");
    lc_spawn(client, "client 2");
    lc_sleep(10);
    printf("children: %zu\n", lc_dynsup_which_children(the_sup, NULL, 0));
    server_process(the_sup, "ann_list");
    server_process(the_sup, "cid_list");
    const struct lc_dot_opts d = { .supervision = true, .legend = true };
    ex_figure("08-dynamic-supervisors-servers", &d);
    lc_dynsup_terminate_child(the_sup, lc_whereis("ann_list"));
    lc_dynsup_terminate_child(the_sup, lc_whereis("cid_list"));
    printf("the server is killed\n");
    lc_exit_signal(lc_whereis("bob_list"), lc_reason(LC_A_KILL));
    lc_sleep(10);
    printf("children: %zu\n", lc_dynsup_which_children(the_sup, NULL, 0));
    lc_spawn(client, "client 3");
    lc_sleep(10);
    printf("children: %zu\n", lc_dynsup_which_children(the_sup, NULL, 0));
}

int main(void)
{
    lc_init(NULL);
    lc_spawn(main_process, NULL);
    lc_run();
    lc_fini();
    return 0;
}
