#include "grade.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHANNEL_FD  3  /* where a test finds its grading channel */
#define STATUS_FD   4  /* where the sandbox's first process reports */
#define FIRST_BIND  5  /* folders and files handed to bubblewrap */
#define KILL_GRACE  10 /* s to wait for a killed task to be reaped */
#define SWEEP_LIMIT 5  /* s to spend killing stray processes */
#define MAX_KIDS    512
#define TMPFS_SIZE  "67108864" /* bytes of /tmp and of the scratch folder */
/* User ids of tasks when the grader is root: UID_SLOTS for each run, one
   for each concurrent task (--jobs is at most 1000), the run's range picked
   by its pid modulo 2^21 (2^22 is the largest pid_max). Two graders that
   run at the same time then share no user id, unless their pids differ by
   exactly 2^21. A bubblewrap runs as its test's user id outside every
   namespace, and an unsandboxed test of one grader could otherwise kill
   the other's. */
#define UID_BASE    1818427392u
#define UID_SLOTS   1024u
#define UID_RUNS    2097152u /* 2^21: UID_BASE + UID_RUNS * UID_SLOTS < 2^32 */
#define NPROC_SPARE 128 /* processes the sandbox may start beyond its test */

extern char **environ;

static char *scratch_root;
static rlim_t nproc_cap; /* RLIMIT_NPROC for tests */
static bool probed;
static char unsandboxed[300]; /* why tasks are not sandboxed, or "" */
static int self_fd = -1;      /* this program: the sandbox's first process */
static int slot_base;
static uid_t uid_first; /* this run's first task user id (as root) */

/* --- Setup ---------------------------------------------------------------- */

/* How many processes the user 'uid' has now: RLIMIT_NPROC counts them. */
static long user_processes(uid_t uid)
{
    DIR *d = opendir("/proc");
    long n = 0;
    if (d == NULL) {
        return 1000;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!isdigit((unsigned char)e->d_name[0])) {
            continue;
        }
        char path[300];
        snprintf(path, sizeof path, "/proc/%s/status", e->d_name);
        char *st = gr_read_file(path, 1 << 16, NULL);
        char *u = st ? strstr(st, "\nUid:") : NULL;
        if (u != NULL && (uid_t)strtoul(u + 5, NULL, 10) == uid) {
            n++;
        }
        free(st);
    }
    closedir(d);
    return n;
}

static void probe_sandbox(void);
static void deny_syscalls(void);

void gr_run_init(const char *scratch)
{
    if (scratch != NULL) {
        free(scratch_root);
        scratch_root = gr_xstrdup(scratch);
        gr_mkdir_p(scratch);
    }
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGPIPE, SIG_IGN);
    if (uid_first == 0) { /* the first call, in the run's first process */
        uid_first = UID_BASE + ((uid_t)getpid() % UID_RUNS) * UID_SLOTS;
    }
    if (nproc_cap == 0) {
        /* Tests never need a process of their own: the limit only stops a
           fork bomb, with room for the threads a sanitizer starts. As
           root, each task has a user id of its own, with no process yet. */
        nproc_cap =
                (rlim_t)(getuid() == 0 ? 0 : user_processes(getuid())) + 256;
    }
    if (!probed) {
        probed = true;
        probe_sandbox();
    }
}

const char *gr_unsandboxed(void)
{
    return unsandboxed[0] ? unsandboxed : NULL;
}

void gr_run_slot_base(int slot)
{
    slot_base = slot;
}

void gr_token(char out[33])
{
    unsigned char raw[16];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
        gr_die(1, "no random numbers for the grading channel");
    }
    for (int i = 0; i < 16; i++) {
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    }
}

/* --- The task's side of the fork ------------------------------------------ */

static void limit(int what, rlim_t soft, rlim_t hard)
{
    struct rlimit rl = { soft, hard };
    setrlimit(what, &rl);
}

static void set_limits(const struct gr_task *t)
{
    limit(RLIMIT_CORE, 0, 0);
    if (t->cpu > 0) {
        limit(RLIMIT_CPU, (rlim_t)t->cpu, (rlim_t)t->cpu + 2);
    }
    if (t->mem > 0) {
        limit(RLIMIT_AS, (rlim_t)t->mem, (rlim_t)t->mem);
    }
    if (t->fsize > 0) {
        limit(RLIMIT_FSIZE, (rlim_t)t->fsize, (rlim_t)t->fsize);
    }
    if (t->kind == GR_TASK_TEST) {
        /* RLIMIT_NPROC counts every process of the user, and is checked
           against the limit of the process that forks. The sandbox's own
           processes get more room than the test (gr_sandbox_init lowers
           it), so that a fork bomb in one test, which stops at the test's
           limit, cannot keep another test's sandbox from starting. */
        rlim_t n = nproc_cap + (unsandboxed[0] ? 0 : NPROC_SPARE);
        limit(RLIMIT_NPROC, n, n);
        limit(RLIMIT_NOFILE, 256, 256);
    }
}

/* As root, a task that runs handed-in code becomes user 'uid': nothing of
   root's, of the grader's or of another task is within its reach. */
static int drop_privileges(uid_t uid)
{
    if (getuid() != 0) {
        return 0;
    }
    if (setgroups(0, NULL) != 0 || setresgid(uid, uid, uid) != 0 ||
        setresuid(uid, uid, uid) != 0) {
        return -1;
    }
    return 0;
}

/* An open path for bubblewrap to bind ("--ro-bind-fd N DEST"); -1 if it
   cannot be opened. Opened before the privileges are dropped. */
static int bind_fd(const char *path, int *next)
{
    int fd = open(path, O_PATH | O_CLOEXEC);
    int to = (*next)++;
    if (fd < 0) {
        return -1;
    }
    if (fd == to) {
        return fcntl(fd, F_SETFD, 0) == 0 ? to : -1;
    }
    if (dup2(fd, to) < 0) {
        return -1;
    }
    close(fd);
    return to;
}

/* /usr and what the system links into it (/bin, /lib ... as symbolic
   links on a merged-/usr system, as folders otherwise). */
static void system_binds(struct gr_strv *a)
{
    static const char *const dirs[] = { "/bin",   "/sbin",   "/lib", "/lib32",
                                        "/lib64", "/libx32", NULL };
    gr_strv_add(a, "--ro-bind");
    gr_strv_add(a, "/usr");
    gr_strv_add(a, "/usr");
    for (int i = 0; dirs[i]; i++) {
        char target[256];
        ssize_t n = readlink(dirs[i], target, sizeof target - 1);
        if (n > 0) {
            target[n] = '\0';
            gr_strv_add(a, "--symlink");
            gr_strv_add(a, target);
        } else {
            gr_strv_add(a, "--ro-bind-try");
            gr_strv_add(a, dirs[i]);
        }
        gr_strv_add(a, dirs[i]);
    }
    static const char *const etc[] = { "/etc/alternatives", "/etc/ld.so.cache",
                                       NULL };
    for (int i = 0; etc[i]; i++) {
        gr_strv_add(a, "--ro-bind-try");
        gr_strv_add(a, etc[i]);
        gr_strv_add(a, etc[i]);
    }
}

/* The sandbox's root and its /dev are folders in memory of no fixed
   size (bubblewrap's own tmpfs): left writable, a test could fill the
   machine's memory through them, past every limit of its own. Read-only,
   the only places it may write are /tmp and its scratch folder, which
   have a size. */
static void read_only_root(struct gr_strv *a)
{
    gr_strv_add(a, "--remount-ro");
    gr_strv_add(a, "/dev");
    gr_strv_add(a, "--remount-ro");
    gr_strv_add(a, "/");
}

/* bubblewrap's command line for a task: the namespaces, the view of the
   file system, then the task's own command. */
static int sandbox_argv(const struct gr_task *t, struct gr_strv *a)
{
    int next = FIRST_BIND;
    gr_strv_add(a, "/usr/bin/bwrap");
    const char *common[] = { "--unshare-all", "--die-with-parent",
                             "--new-session", "--cap-drop",
                             "ALL",           "--dev",
                             "/dev",          "--proc",
                             "/proc",         "--size",
                             TMPFS_SIZE,      "--tmpfs",
                             "/tmp",          NULL };
    for (int i = 0; common[i]; i++) {
        gr_strv_add(a, common[i]);
    }
    system_binds(a);
    if (t->kind == GR_TASK_COMPILE) {
        for (int i = 0; i < t->ro.n; i++) {
            int fd = bind_fd(t->ro.v[i], &next);
            if (fd < 0) {
                return -1;
            }
            gr_strv_add(a, "--ro-bind-fd");
            gr_strv_addf(a, "%d", fd);
            gr_strv_add(a, t->ro.v[i]);
        }
        int fd = bind_fd(t->rw, &next);
        if (fd < 0) {
            return -1;
        }
        gr_strv_add(a, "--bind-fd");
        gr_strv_addf(a, "%d", fd);
        gr_strv_add(a, t->rw);
        read_only_root(a);
        gr_strv_add(a, "--chdir");
        gr_strv_add(a, t->rw);
        for (int i = 0; i < t->argv.n; i++) {
            gr_strv_add(a, t->argv.v[i]);
        }
        return 0;
    }
    int exe = bind_fd(t->argv.v[0], &next);
    int me = self_fd >= 0 ? dup2(self_fd, next++) : -1;
    if (exe < 0 || me < 0) {
        return -1;
    }
    gr_strv_add(a, "--ro-bind-fd");
    gr_strv_addf(a, "%d", exe);
    gr_strv_add(a, "/grade/test");
    gr_strv_add(a, "--ro-bind-fd");
    gr_strv_addf(a, "%d", me);
    gr_strv_add(a, "/grade/init");
    gr_strv_add(a, "--size");
    gr_strv_add(a, TMPFS_SIZE);
    gr_strv_add(a, "--tmpfs");
    gr_strv_add(a, "/grade/scratch");
    read_only_root(a);
    gr_strv_add(a, "--chdir");
    gr_strv_add(a, "/grade/scratch");
    gr_strv_add(a, "--as-pid-1");
    gr_strv_add(a, "/grade/init");
    gr_strv_add(a, "--sandbox-init");
    gr_strv_add(a, "/grade/test");
    for (int i = 1; i < t->argv.n; i++) {
        gr_strv_add(a, t->argv.v[i]);
    }
    return 0;
}

/* The fds the task gets: 0 /dev/null, 1 and 2 its log, 3 the grading
   channel, 4 the sandbox's status pipe; nothing else of the grader's. */
static int task_fds(const struct gr_task *t, int channel, int status)
{
    int in = open("/dev/null", O_RDONLY);
    int out = open(t->log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
        dup2(out, 2) < 0) {
        return -1;
    }
    if ((channel >= 0 && dup2(channel, CHANNEL_FD) < 0) ||
        (status >= 0 && dup2(status, STATUS_FD) < 0)) {
        return -1;
    }
    int first = status >= 0    ? STATUS_FD + 1
                : channel >= 0 ? CHANNEL_FD + 1
                               : CHANNEL_FD;
    for (int fd = first; fd < 1024; fd++) {
        if (fd != self_fd) {
            close(fd);
        }
    }
    return 0;
}

__attribute__((noreturn)) static void exec_task(const struct gr_task *t,
                                                int channel, int status,
                                                const char *cwd, uid_t uid)
{
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* the watchdog died: so do we */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    if (task_fds(t, channel, status) != 0) {
        _exit(126);
    }
    bool confined = t->kind != GR_TASK_TOOL;
    bool sandboxed = confined && !unsandboxed[0];
    if (confined) {
        /* The limits bound each process, not their sum (a test may start
           a few hundred, of 2 GiB each): if the machine runs out of
           memory anyway, the kernel ends handed-in code first, never the
           grader or a process of someone else. */
        int adj = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
        if (adj >= 0) {
            (void)!write(adj, "1000", 4);
            close(adj);
        }
    }
    struct gr_strv argv = { 0 };
    if (sandboxed && sandbox_argv(t, &argv) != 0) {
        dprintf(2, "grade: cannot set up the sandbox: %s\n", strerror(errno));
        _exit(126);
    }
    if (confined && drop_privileges(uid) != 0) {
        dprintf(2, "grade: cannot become user %u: %s\n", (unsigned)uid,
                strerror(errno));
        _exit(126);
    }
    if (self_fd >= 0) {
        close(self_fd);
    }
    set_limits(t);
    if (!sandboxed && chdir(cwd) != 0) {
        dprintf(2, "grade: cannot enter %s: %s\n", cwd, strerror(errno));
        _exit(126);
    }
    if (t->kind == GR_TASK_TEST && !sandboxed) {
        deny_syscalls(); /* in a sandbox, its first process does it */
    }
    char *const *args = sandboxed ? argv.v : t->argv.v;
    execve(args[0], args, t->env ? t->env : environ);
    dprintf(2, "grade: cannot run %s: %s\n", args[0], strerror(errno));
    _exit(127);
}

/* --- System calls a test may not make ------------------------------------ */

/* Memory that belongs to no process -- a SysV shared segment, attached,
   filled and detached again; a memfd kept open -- outlives every limit of
   a test (its address space, its file size counts per file) and is
   charged to no process the out-of-memory killer would pick: a test
   could take the machine's memory with it. Nothing the kit or its tests
   do needs it, nor the kernel's key rings, userfaultfd, perf events,
   io_uring or BPF, which are refused too (EPERM), as is every call of
   another ABI (i386's int 0x80, x32: libseccomp's "bad architecture"). */
static void deny_syscalls(void)
{
    static const int denied[] = {
        SCMP_SYS(shmget),
        SCMP_SYS(msgget),
        SCMP_SYS(memfd_create),
        SCMP_SYS(userfaultfd),
        SCMP_SYS(perf_event_open),
        SCMP_SYS(add_key),
        SCMP_SYS(request_key),
        SCMP_SYS(keyctl),
        SCMP_SYS(bpf),
        SCMP_SYS(io_uring_setup),
    };
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (ctx == NULL) {
        return;
    }
    seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(EPERM));
    for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++) {
        seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), denied[i], 0);
    }
    seccomp_load(ctx); /* sets no_new_privs too */
    seccomp_release(ctx);
}

/* --- The sandbox's first process ------------------------------------------ */

void gr_sandbox_init(char **argv)
{
    /* Not debuggable, and its /proc entries closed: the test cannot reach
       into it. As the namespace's first process, it gets no signal from
       the test that it did not ask for. */
    prctl(PR_SET_DUMPABLE, 0);
    pid_t test = fork();
    if (test == 0) {
        for (int fd = STATUS_FD; fd < 1024; fd++) {
            close(fd);
        }
        struct rlimit rl;
        if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
            rl.rlim_cur > 2 * NPROC_SPARE) {
            rl.rlim_cur = rl.rlim_max = rl.rlim_cur - NPROC_SPARE;
            setrlimit(RLIMIT_NPROC, &rl);
        }
        deny_syscalls();
        execv(argv[0], argv);
        dprintf(2, "grade: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int st = 0, strays = 0;
    pid_t w;
    while (test > 0 && (w = waitpid(-1, &st, 0)) != test) {
        if (w < 0 && errno != EINTR) {
            break;
        }
    }
    if (test < 0) {
        st = 127 << 8;
    }
    /* Everything else in the namespace is a stray: kill it, reap it. */
    for (;;) {
        kill(-1, SIGKILL);
        w = waitpid(-1, NULL, 0);
        if (w < 0 && errno == ECHILD) {
            break;
        }
        strays += w > 0;
    }
    dprintf(STATUS_FD, "%d %d\n", st, strays);
    _exit(0);
}

/* --- The watchdog --------------------------------------------------------- */
static void wait_for(pid_t pid, double timeout, const sigset_t *chld,
                     struct gr_outcome *o)
{
    double deadline = gr_now() + timeout;
    bool killed = false;
    for (;;) {
        int st;
        pid_t w;
        while ((w = waitpid(-1, &st, WNOHANG)) > 0) {
            if (w == pid) {
                o->wstatus = st;
                return;
            }
        }
        double left = deadline - gr_now();
        if (left <= 0 && killed) {
            snprintf(o->error, sizeof o->error,
                     "the process would not die after SIGKILL");
            return;
        }
        if (left <= 0) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            o->timed_out = killed = true;
            deadline = gr_now() + KILL_GRACE;
            continue;
        }
        struct timespec ts = { (time_t)left,
                               (long)((left - (double)(time_t)left) * 1e9) };
        sigtimedwait(chld, NULL, &ts);
    }
}

/* Our living children, from /proc (the "children" file, or a scan). */
static int list_children(pid_t *out, int max)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
    char *s = gr_read_file(path, 1 << 20, NULL);
    int n = 0;
    if (s != NULL) {
        for (char *p = s; *p && n < max;) {
            char *end;
            long v = strtol(p, &end, 10);
            if (end == p) {
                break;
            }
            out[n++] = (pid_t)v;
            p = end;
        }
        free(s);
        return n;
    }
    DIR *d = opendir("/proc"); /* kernels without CONFIG_PROC_CHILDREN */
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL && n < max) {
        if (!isdigit((unsigned char)e->d_name[0])) {
            continue;
        }
        snprintf(path, sizeof path, "/proc/%.20s/stat", e->d_name);
        char *st = gr_read_file(path, 4096, NULL);
        char *rp = st ? strrchr(st, ')') : NULL;
        int ppid = 0;
        if (rp && sscanf(rp + 1, " %*c %d", &ppid) == 1 && ppid == getpid()) {
            out[n++] = (pid_t)atoi(e->d_name);
        }
        free(st);
    }
    if (d != NULL) {
        closedir(d);
    }
    return n;
}

static bool seen_before(pid_t *seen, int n, pid_t p)
{
    for (int i = 0; i < n; i++) {
        if (seen[i] == p) {
            return true;
        }
    }
    return false;
}

/* Kill everything the task left behind; return how many processes. */
static int sweep(pid_t pgid, const sigset_t *chld)
{
    static pid_t seen[MAX_KIDS];
    int nseen = 0;
    double give_up = gr_now() + SWEEP_LIMIT;
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
    for (;;) {
        pid_t kids[MAX_KIDS];
        int n = list_children(kids, MAX_KIDS);
        kill(-pgid, SIGKILL);
        if (n == 0 || gr_now() > give_up) {
            break;
        }
        for (int i = 0; i < n; i++) {
            kill(kids[i], SIGKILL);
            if (!seen_before(seen, nseen, kids[i]) && nseen < MAX_KIDS) {
                seen[nseen++] = kids[i];
            }
        }
        /* Reap what died; its own children are ours now: go round. */
        struct timespec ts = { 0, 5 * 1000 * 1000 };
        sigtimedwait(chld, NULL, &ts);
        while (waitpid(-1, NULL, WNOHANG) > 0) {
        }
    }
    return nseen;
}

/* What arrived on the grading channel: at most one page, read once the
   task and everything it started have ended. */
static void read_channel(int fd, struct gr_outcome *o)
{
    size_t got = 0;
    ssize_t n;
    while (got < sizeof o->verdict - 1 &&
           (n = read(fd, o->verdict + got, sizeof o->verdict - 1 - got)) > 0) {
        got += (size_t)n;
    }
    o->verdict_len = (int)got;
    o->verdict[got] = '\0';
    char more;
    if (got == sizeof o->verdict - 1 && read(fd, &more, 1) > 0) {
        o->verdict_overflow = true;
    }
}

/* The sandbox's first process reports "WSTATUS STRAYS" on its pipe. */
static void read_status(int fd, struct gr_outcome *o)
{
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    int st, strays;
    if (n > 0 && (buf[n] = '\0', sscanf(buf, "%d %d", &st, &strays) == 2)) {
        o->wstatus = st;
        o->strays = strays;
    } else if (!o->timed_out && o->error[0] == '\0') {
        snprintf(o->error, sizeof o->error,
                 "the sandbox did not start (bubblewrap: see the test's "
                 "output)");
    }
}

/* A pipe whose two ends are far from the fds a task is given (0-4). */
static int high_pipe(int p[2])
{
    int raw[2];
    if (pipe2(raw, O_CLOEXEC) != 0) {
        return -1;
    }
    for (int i = 0; i < 2; i++) {
        p[i] = fcntl(raw[i], F_DUPFD_CLOEXEC, 64);
        close(raw[i]);
    }
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    return p[0] >= 0 && p[1] >= 0 ? 0 : -1;
}

__attribute__((noreturn)) static void watchdog(const struct gr_task *t,
                                               const char *cwd,
                                               struct gr_outcome *o,
                                               pid_t grader, uid_t uid)
{
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != grader) {
        _exit(1); /* the grader is gone already */
    }
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    bool test = t->kind == GR_TASK_TEST;
    bool sandboxed = test && !unsandboxed[0];
    int channel[2] = { -1, -1 }, status[2] = { -1, -1 };
    if ((test && high_pipe(channel) != 0) ||
        (sandboxed && high_pipe(status) != 0) || cwd == NULL) {
        snprintf(o->error, sizeof o->error, "cannot set up the test: %s",
                 strerror(errno));
        o->done = true;
        _exit(0);
    }
    double t0 = gr_now();
    pid_t pid = fork();
    if (pid == 0) {
        exec_task(t, channel[1], status[1], cwd, uid);
    }
    if (channel[1] >= 0) {
        close(channel[1]); /* the task holds the only writing end */
    }
    if (status[1] >= 0) {
        close(status[1]);
    }
    if (pid < 0) {
        snprintf(o->error, sizeof o->error, "fork: %s", strerror(errno));
    } else {
        setpgid(pid, pid);
        wait_for(pid, t->timeout, &chld, o);
        int left = sweep(pid, &chld);
        o->strays = left;
        if (sandboxed) {
            read_status(status[0], o);
        }
    }
    o->seconds = gr_now() - t0;
    if (channel[0] >= 0) {
        read_channel(channel[0], o);
    }
    o->done = true;
    _exit(0);
}

/* --- The grader's side ---------------------------------------------------- */

/* After the pool: kill whatever a killed watchdog left to us. */
static void sweep_orphans(void)
{
    pid_t kids[MAX_KIDS];
    double give_up = gr_now() + SWEEP_LIMIT;
    int n;
    while ((n = list_children(kids, MAX_KIDS)) > 0 && gr_now() < give_up) {
        for (int i = 0; i < n; i++) {
            kill(kids[i], SIGKILL);
        }
        for (int i = 0; i < n; i++) {
            waitpid(kids[i], NULL, 0);
        }
    }
}

/* The pool: which slot (and so which user id) each running task has. */
struct pool {
    struct gr_task **tasks;
    struct gr_outcome *outs;
    pid_t *pids;
    int *slot_of;
    char **scratch;
    bool *busy;
    pid_t me;
};

/* A scratch directory on disk, for a task that is not sandboxed (a
   sandboxed test has a tmpfs of its own). */
static char *make_scratch(struct pool *pl, int i, uid_t uid)
{
    pl->scratch[i] = gr_fmt("%s/t.XXXXXX", scratch_root);
    char *dir = mkdtemp(pl->scratch[i]);
    if (dir != NULL && getuid() == 0 && pl->tasks[i]->kind != GR_TASK_TOOL) {
        if (chown(dir, uid, uid) != 0) {
            return NULL;
        }
    }
    return dir;
}

/* Forks the watchdog of task i; false if it could not (the outcome says
   why). A scratch directory is made here, and removed by the grader after
   the pool, even if the watchdog is killed. */
static bool start(struct pool *pl, int i, int jobs)
{
    int slot = 0;
    while (slot < jobs - 1 && pl->busy[slot]) {
        slot++;
    }
    uid_t uid = uid_first + (uid_t)(slot_base + slot) % UID_SLOTS;
    const char *cwd = pl->tasks[i]->cwd;
    if (cwd == NULL && pl->tasks[i]->kind == GR_TASK_TEST && !unsandboxed[0]) {
        cwd = "/";
    } else if (cwd == NULL) {
        cwd = make_scratch(pl, i, uid);
    }
    const struct gr_task *t = pl->tasks[i];
    if (t->kind == GR_TASK_COMPILE && t->rw != NULL && getuid() == 0 &&
        chown(t->rw, uid, uid) != 0) {
        cwd = NULL; /* the watchdog reports it */
    }
    pid_t p = fork();
    if (p == 0) {
        watchdog(pl->tasks[i], cwd, &pl->outs[i], pl->me, uid);
    }
    if (p < 0) {
        snprintf(pl->outs[i].error, sizeof pl->outs[i].error, "fork: %s",
                 strerror(errno));
        pl->outs[i].done = true;
        return false;
    }
    pl->pids[i] = p;
    pl->slot_of[i] = slot;
    pl->busy[slot] = true;
    return true;
}

/* Waits for a watchdog to end: its index, or -1 when none is left. Strays
   that a killed watchdog left to us are reaped on the way. */
static int reap(struct pool *pl, int n)
{
    for (;;) {
        pid_t w = waitpid(-1, NULL, 0);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0) {
            return -1;
        }
        for (int i = 0; i < n; i++) {
            if (pl->pids[i] == w) {
                pl->pids[i] = 0;
                pl->busy[pl->slot_of[i]] = false;
                return i;
            }
        }
    }
}

void gr_run_tasks(struct gr_task **tasks, int n, int jobs)
{
    if (n == 0) {
        return;
    }
    jobs = jobs > 0 ? jobs : 1;
    size_t size = (size_t)n * sizeof(struct gr_outcome);
    struct pool pl = { .tasks = tasks, .me = getpid() };
    pl.outs = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (pl.outs == MAP_FAILED) {
        gr_die(1, "cannot map memory for %d tasks", n);
    }
    pl.pids = gr_xcalloc((size_t)n, sizeof *pl.pids);
    pl.slot_of = gr_xcalloc((size_t)n, sizeof *pl.slot_of);
    pl.scratch = gr_xcalloc((size_t)n, sizeof *pl.scratch);
    pl.busy = gr_xcalloc((size_t)jobs, sizeof *pl.busy);
    int next = 0, running = 0;
    fflush(NULL); /* nothing buffered may be written twice */
    while (next < n || running > 0) {
        while (running < jobs && next < n) {
            running += start(&pl, next++, jobs);
        }
        if (running > 0 && reap(&pl, n) < 0) {
            break;
        }
        running -= running > 0;
    }
    for (int i = 0; i < n; i++) {
        tasks[i]->out = pl.outs[i];
        if (!pl.outs[i].done && pl.outs[i].error[0] == '\0') {
            tasks[i]->out.lost = true;
            snprintf(tasks[i]->out.error, sizeof tasks[i]->out.error,
                     "its watchdog was killed");
        }
    }
    munmap(pl.outs, size);
    sweep_orphans();
    for (int i = 0; i < n; i++) {
        if (pl.scratch[i] != NULL) {
            gr_rm_rf(pl.scratch[i]);
            free(pl.scratch[i]);
        }
    }
    free(pl.pids);
    free(pl.slot_of);
    free(pl.scratch);
    free(pl.busy);
}

/* --- Is there a sandbox? -------------------------------------------------- */

/* Runs one sandboxed test of the sandbox (/usr/bin/true) and keeps why
   it failed, if it did: grading then goes on without. */
static void probe_sandbox(void)
{
    const char *want = getenv("LC_GRADE_SANDBOX");
    if (want != NULL && strcmp(want, "off") == 0) {
        snprintf(unsandboxed, sizeof unsandboxed,
                 "LC_GRADE_SANDBOX=off was set");
        return;
    }
    int fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);
    self_fd = fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 900) : -1;
    if (fd >= 0) {
        close(fd);
    }
    if (access("/usr/bin/bwrap", X_OK) != 0 || self_fd < 0) {
        snprintf(unsandboxed, sizeof unsandboxed,
                 "bubblewrap (/usr/bin/bwrap) is not installed");
        return;
    }
    struct gr_task t = { .kind = GR_TASK_TEST };
    gr_strv_add(&t.argv, "/usr/bin/true");
    char *dir = gr_fmt("%s/probe.XXXXXX", scratch_root ? scratch_root : "/tmp");
    if (mkdtemp(dir) == NULL) {
        snprintf(unsandboxed, sizeof unsandboxed, "no scratch folder");
        free(dir);
        return;
    }
    t.log = gr_fmt("%s/log", dir);
    t.timeout = 30;
    struct gr_task *tp = &t;
    gr_run_tasks(&tp, 1, 1);
    if (t.out.error[0] || !WIFEXITED(t.out.wstatus) ||
        WEXITSTATUS(t.out.wstatus) != 0) {
        char *why = gr_read_tail(t.log, 200);
        why[strcspn(why, "\n")] = '\0';
        snprintf(unsandboxed, sizeof unsandboxed,
                 "namespaces are not available here (%s)",
                 *why ? why : t.out.error);
        free(why);
    }
    gr_strv_free(&t.argv);
    free(t.log);
    gr_rm_rf(dir);
    free(dir);
}
