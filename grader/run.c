/*
 * run.c - runs compilers and tests under a watchdog, so that no submission
 * can stop grading from finishing.
 *
 * For every task the grader forks a watchdog (this file's code, not the
 * student's), and the watchdog forks the task:
 *
 *     grader --- watchdog --- task (its own process group)
 *                        \--- whatever the task left behind
 *
 * The task runs with resource limits (CPU time, address space, processes,
 * file size, no core dumps), stdin from /dev/null and its output in a file
 * -- never a pipe, which a stray child could hold open forever. A test also
 * gets a fresh scratch directory as its working directory and the grading
 * channel: an anonymous file on fd 3, where the harness writes its verdict
 * with a secret token (see harness.c). The grader never reads the test's
 * output to decide anything.
 *
 * The watchdog is a child subreaper (PR_SET_CHILD_SUBREAPER): when the task
 * ends, every process it left behind -- even one that forked twice and
 * called setsid() to leave the process group -- becomes the watchdog's
 * child. The watchdog kills the group, then kills and reaps its children
 * until none is left, and counts them: a test that leaves processes running
 * fails. After the time limit it kills the task the same way. So each task
 * ends in bounded time, and its stray processes are attributed to it even
 * when several tests run at once.
 *
 * The watchdog reports through a page of shared memory, not a pipe; the
 * grader is itself a subreaper, and sweeps up after a watchdog that the
 * task managed to kill.
 *
 * Honest limits: the task runs as the grader's user. It cannot forge a
 * verdict by printing, but code that sets out to attack the grader from
 * inside the test process (reading the token from memory, signalling other
 * processes of the same user) is not stopped here; official grading should
 * run the grader as a user of its own, in a container. RLIMIT_NPROC does
 * not bind root.
 */
#include "grade.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHANNEL_FD  3  /* where a test finds its grading channel */
#define KILL_GRACE  10 /* s to wait for a killed task to be reaped */
#define SWEEP_LIMIT 5  /* s to spend killing stray processes */
#define MAX_KIDS    512

extern char **environ;

static char *scratch_root;
static rlim_t nproc_cap; /* RLIMIT_NPROC for tests */

/* --- Setup ---------------------------------------------------------------- */

/* How many processes this user has now: RLIMIT_NPROC counts them all. */
static long user_processes(void)
{
    DIR *d = opendir("/proc");
    long n = 0;
    if (d == NULL) {
        return 1000;
    }
    struct dirent *e;
    uid_t me = getuid();
    while ((e = readdir(d)) != NULL) {
        if (!isdigit((unsigned char)e->d_name[0])) {
            continue;
        }
        char path[300];
        snprintf(path, sizeof path, "/proc/%s/status", e->d_name);
        char *st = gr_read_file(path, 1 << 16, NULL);
        char *uid = st ? strstr(st, "\nUid:") : NULL;
        if (uid != NULL && (uid_t)strtoul(uid + 5, NULL, 10) == me) {
            n++;
        }
        free(st);
    }
    closedir(d);
    return n;
}

void gr_run_init(const char *scratch)
{
    if (scratch != NULL) {
        free(scratch_root);
        scratch_root = gr_xstrdup(scratch);
        gr_mkdir_p(scratch);
    }
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGPIPE, SIG_IGN);
    if (nproc_cap == 0) {
        /* Tests never need a process of their own: the limit only stops a
           fork bomb, with room for the threads a sanitizer starts. */
        nproc_cap = (rlim_t)user_processes() + 256;
    }
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
    if (t->sandbox) {
        limit(RLIMIT_NPROC, nproc_cap, nproc_cap);
        limit(RLIMIT_NOFILE, 256, 256);
    }
}

__attribute__((noreturn)) static void exec_task(const struct gr_task *t,
                                                int channel, const char *cwd)
{
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* the watchdog died: so do we */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    int in = open("/dev/null", O_RDONLY);
    int out = open(t->log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
        dup2(out, 2) < 0) {
        _exit(126);
    }
    if (channel >= 0 && channel != CHANNEL_FD) {
        dup2(channel, CHANNEL_FD);
    }
    int first = channel >= 0 ? CHANNEL_FD + 1 : CHANNEL_FD;
    for (int fd = first; fd < 1024; fd++) { /* nothing of the grader's */
        close(fd);
    }
    set_limits(t);
    if (chdir(cwd) != 0) {
        dprintf(2, "grade: cannot enter %s: %s\n", cwd, strerror(errno));
        _exit(126);
    }
    execve(t->argv.v[0], t->argv.v, t->env ? t->env : environ);
    dprintf(2, "grade: cannot run %s: %s\n", t->argv.v[0], strerror(errno));
    _exit(127);
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

static void read_channel(int fd, struct gr_outcome *o)
{
    ssize_t n = pread(fd, o->verdict, sizeof o->verdict - 1, 0);
    o->verdict_len = n > 0 ? (int)n : 0;
    o->verdict[o->verdict_len] = '\0';
}

__attribute__((noreturn)) static void watchdog(const struct gr_task *t,
                                               const char *cwd,
                                               struct gr_outcome *o,
                                               pid_t grader)
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
    int channel = t->channel ? memfd_create("grade-channel", 0) : -1;
    if ((t->channel && channel < 0) || cwd == NULL) {
        snprintf(o->error, sizeof o->error, "cannot set up the test: %s",
                 strerror(errno));
        o->done = true;
        _exit(0);
    }
    double t0 = gr_now();
    pid_t pid = fork();
    if (pid == 0) {
        exec_task(t, channel, cwd);
    }
    if (pid < 0) {
        snprintf(o->error, sizeof o->error, "fork: %s", strerror(errno));
    } else {
        setpgid(pid, pid);
        wait_for(pid, t->timeout, &chld, o);
        o->strays = sweep(pid, &chld);
    }
    o->seconds = gr_now() - t0;
    if (channel >= 0) {
        read_channel(channel, o);
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

/* Forks the watchdog of task i; false if it could not (the outcome says
   why). A test's scratch directory is made here, and removed by the grader
   after the pool, even if the watchdog is killed. */
static bool start(struct gr_task **tasks, struct gr_outcome *outs, pid_t *pids,
                  char **scratch, int i, pid_t me)
{
    const char *cwd = tasks[i]->cwd;
    if (cwd == NULL) {
        scratch[i] = gr_fmt("%s/t.XXXXXX", scratch_root);
        cwd = mkdtemp(scratch[i]);
    }
    pid_t p = fork();
    if (p == 0) {
        watchdog(tasks[i], cwd, &outs[i], me);
    }
    if (p < 0) {
        snprintf(outs[i].error, sizeof outs[i].error, "fork: %s",
                 strerror(errno));
        outs[i].done = true;
        return false;
    }
    pids[i] = p;
    return true;
}

/* Waits for a watchdog to end: its index, or -1 when none is left. Strays
   that a killed watchdog left to us are reaped on the way. */
static int reap(pid_t *pids, int n)
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
            if (pids[i] == w) {
                pids[i] = 0;
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
    size_t size = (size_t)n * sizeof(struct gr_outcome);
    struct gr_outcome *outs = mmap(NULL, size, PROT_READ | PROT_WRITE,
                                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (outs == MAP_FAILED) {
        gr_die(1, "cannot map memory for %d tasks", n);
    }
    pid_t *pids = gr_xcalloc((size_t)n, sizeof *pids);
    char **scratch = gr_xcalloc((size_t)n, sizeof *scratch);
    pid_t me = getpid();
    int next = 0, running = 0;
    fflush(NULL); /* nothing buffered may be written twice */
    while (next < n || running > 0) {
        while (running < (jobs > 0 ? jobs : 1) && next < n) {
            running += start(tasks, outs, pids, scratch, next++, me);
        }
        if (running > 0 && reap(pids, n) < 0) {
            break;
        }
        running -= running > 0;
    }
    for (int i = 0; i < n; i++) {
        tasks[i]->out = outs[i];
        if (!outs[i].done && outs[i].error[0] == '\0') {
            tasks[i]->out.lost = true;
            snprintf(tasks[i]->out.error, sizeof tasks[i]->out.error,
                     "its watchdog was killed");
        }
    }
    munmap(outs, size);
    free(pids);
    sweep_orphans();
    for (int i = 0; i < n; i++) {
        if (scratch[i] != NULL) {
            gr_rm_rf(scratch[i]);
            free(scratch[i]);
        }
    }
    free(scratch);
}
