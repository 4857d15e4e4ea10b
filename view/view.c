/*
 * view.c - the live view: the running system as SVG in a web page
 * (lc/view.h).
 *
 * Two threads, one rule: only the thread that runs the kernel looks at the
 * kernel. lv_poll() (that thread) hashes what a drawing shows -- each
 * process's pid, role, name and restart count, each edge -- and when the
 * hash changed writes the DOT (lc_dot_write()), has `dot -Tsvg` render it
 * (a subprocess: Graphviz's library keeps global state and leaks by
 * design, a process of its own does not), and swaps the SVG in under the
 * mutex. libmicrohttpd's thread answers requests from that copy alone.
 *
 * The page is one small HTML file with a script that asks for /version
 * every 300 ms and fetches /svg when it changed: no framework, nothing to
 * install, and a page that says so when the program has ended.
 */
#include "lc/view.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#define LV_MIN_INTERVAL_NS (100 * 1000000LL)
#define LV_MAX_PROCS       4096

static struct {
    struct MHD_Daemon *daemon;
    unsigned port;
    char title[128];
    uint64_t hash;       /* of the system as last drawn */
    int64_t drawn_at_ns; /* when */
    pthread_mutex_t lock;
    /* shared with the server's thread, under lock: */
    char *svg;
    size_t svg_len;
    uint64_t version;
} V = { .lock = PTHREAD_MUTEX_INITIALIZER };

static const char PAGE[] =
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        "<title>%s</title>\n<style>\n"
        "body{font-family:sans-serif;margin:1em;background:#fafafa}\n"
        "h1{font-size:1.2em;margin:0 0 .3em 0}\n"
        "#status{color:#666;font-size:.85em;margin-bottom:.8em}\n"
        "#tree svg{max-width:100%%;height:auto}\n"
        "</style></head><body>\n<h1>%s</h1>\n"
        "<div id=\"status\">waiting for the first drawing</div>\n"
        "<div id=\"tree\"></div>\n<script>\n"
        "let shown = null;\n"
        "async function tick() {\n"
        "  const st = document.getElementById('status');\n"
        "  try {\n"
        "    const v = (await (await fetch('/version')).text()).trim();\n"
        "    if (v !== shown) {\n"
        "      const r = await fetch('/svg');\n"
        "      document.getElementById('tree').innerHTML = await r.text();\n"
        "      shown = r.headers.get('X-LV-Version') || v;\n"
        "      document.body.dataset.version = shown;\n"
        "      st.textContent = 'drawing ' + shown + ', ' +\n"
        "        new Date().toLocaleTimeString();\n"
        "    }\n"
        "  } catch (e) {\n"
        "    st.textContent = 'the program is not answering (it has ended?)';\n"
        "  }\n"
        "  setTimeout(tick, 300);\n"
        "}\n"
        "tick();\n</script></body></html>\n";

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* --- What the system looks like ------------------------------------------ */

static void mix(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        *h = (*h ^ b[i]) * 1099511628211ULL; /* FNV-1a */
    }
}

static void mix_edge(const struct lc_edge *e, void *ctx)
{
    uint64_t *h = ctx;
    mix(h, &e->kind, sizeof e->kind);
    mix(h, &e->from, sizeof e->from);
    mix(h, &e->to, sizeof e->to);
    mix(h, &e->flags, sizeof e->flags);
    if (e->label != NULL) {
        mix(h, e->label, strlen(e->label));
    }
}

/* A hash of everything a drawing shows. */
static uint64_t system_hash(void)
{
    static lc_pid pids[LV_MAX_PROCS];
    uint64_t h = 14695981039346656037ULL;
    size_t n = lc_proc_list(pids, LV_MAX_PROCS);
    for (size_t i = 0; i < n && i < LV_MAX_PROCS; i++) {
        struct lc_info in;
        if (lc_proc_info(pids[i], &in) < 0) {
            continue;
        }
        mix(&h, &in.pid, sizeof in.pid);
        mix(&h, &in.role, sizeof in.role);
        mix(&h, &in.restarts, sizeof in.restarts);
        if (in.name != NULL) {
            mix(&h, in.name, strlen(in.name));
        }
        if (in.detail != NULL) {
            mix(&h, in.detail, strlen(in.detail));
        }
    }
    lc_edges(mix_edge, &h);
    return h;
}

/* --- Drawing
 * ------------------------------------------------------------------ */

/* Render the system as SVG into a malloc()ed buffer. Returns 0 or
   LC_EINVAL (no `dot`, or it failed), LC_ENOMEM. */
static int render(char **svg, size_t *len)
{
    char dotpath[] = "/tmp/lc-view-XXXXXX";
    int fd = mkstemp(dotpath);
    if (fd < 0) {
        return LC_EINVAL;
    }
    FILE *f = fdopen(fd, "w");
    struct lc_dot_opts o = { .title = V.title[0] ? V.title : NULL,
                             .links = true,
                             .monitors = true,
                             .supervision = true,
                             .registrations = true,
                             .legend = true };
    int rc = f != NULL ? lc_dot_write(f, &o) : LC_EINVAL;
    if (f != NULL && fclose(f) != 0) {
        rc = LC_EINVAL;
    }
    char cmd[64];
    snprintf(cmd, sizeof cmd, "dot -Tsvg %s 2>/dev/null", dotpath);
    FILE *p = rc == 0 ? popen(cmd, "r") : NULL;
    char *buf = NULL;
    size_t n = 0;
    if (p != NULL) {
        FILE *m = open_memstream(&buf, &n);
        char chunk[8192];
        size_t got;
        while (m != NULL && (got = fread(chunk, 1, sizeof chunk, p)) > 0) {
            fwrite(chunk, 1, got, m);
        }
        if (m != NULL) {
            fclose(m);
        }
        rc = pclose(p) == 0 && n > 0 ? 0 : LC_EINVAL;
    } else {
        rc = LC_EINVAL;
    }
    unlink(dotpath);
    if (rc < 0) {
        free(buf);
        return rc;
    }
    *svg = buf;
    *len = n;
    return 0;
}

/* Draw now and hand the drawing to the server. */
static int redraw(uint64_t hash)
{
    char *svg;
    size_t len;
    int rc = render(&svg, &len);
    if (rc < 0) {
        return rc;
    }
    pthread_mutex_lock(&V.lock);
    char *old = V.svg;
    V.svg = svg;
    V.svg_len = len;
    V.version++;
    pthread_mutex_unlock(&V.lock);
    free(old);
    V.hash = hash;
    V.drawn_at_ns = now_ns();
    return 0;
}

/* --- The server's thread: never touches the kernel
 * ---------------------------- */

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status,
                                 const char *type, const void *data, size_t len,
                                 uint64_t version)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
            len, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (r == NULL) {
        return MHD_NO;
    }
    char v[24];
    snprintf(v, sizeof v, "%llu", (unsigned long long)version);
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-LV-Version", v);
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    if (strcmp(method, "GET") != 0) {
        return send_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
                         "GET only\n", 9, 0);
    }
    pthread_mutex_lock(&V.lock);
    uint64_t ver = V.version;
    enum MHD_Result ok;
    if (strcmp(url, "/") == 0) {
        char page[sizeof PAGE + 2 * sizeof V.title];
        int n = snprintf(page, sizeof page, PAGE, V.title, V.title);
        ok = send_text(c, MHD_HTTP_OK, "text/html; charset=utf-8", page,
                       (size_t)n, ver);
    } else if (strcmp(url, "/version") == 0) {
        char v[24];
        int n = snprintf(v, sizeof v, "%llu\n", (unsigned long long)ver);
        ok = send_text(c, MHD_HTTP_OK, "text/plain", v, (size_t)n, ver);
    } else if (strcmp(url, "/svg") == 0 && V.svg != NULL) {
        ok = send_text(c, MHD_HTTP_OK, "image/svg+xml", V.svg, V.svg_len, ver);
    } else {
        ok = send_text(c, MHD_HTTP_NOT_FOUND, "text/plain", "not found\n", 10,
                       ver);
    }
    pthread_mutex_unlock(&V.lock);
    return ok;
}

/* --- The calls --------------------------------------------------------------
 */

int lv_start(unsigned port, const char *title)
{
    if (V.daemon != NULL) {
        return LC_EBUSY;
    }
    snprintf(V.title, sizeof V.title, "%s",
             title != NULL ? title : "Let It Crash");
    int rc = redraw(system_hash());
    if (rc < 0) {
        return rc;
    }
    struct sockaddr_in a = { .sin_family = AF_INET,
                             .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    V.daemon = MHD_start_daemon(
            MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, (uint16_t)port,
            NULL, NULL, answer, NULL, MHD_OPTION_SOCK_ADDR, &a, MHD_OPTION_END);
    if (V.daemon == NULL) {
        return LC_EINVAL;
    }
    const union MHD_DaemonInfo *info =
            MHD_get_daemon_info(V.daemon, MHD_DAEMON_INFO_BIND_PORT);
    V.port = info != NULL ? info->port : port;
    return 0;
}

unsigned lv_port(void)
{
    return V.daemon != NULL ? V.port : 0;
}

bool lv_poll(void)
{
    if (V.daemon == NULL || now_ns() - V.drawn_at_ns < LV_MIN_INTERVAL_NS) {
        return false;
    }
    uint64_t h = system_hash();
    return h != V.hash && redraw(h) == 0;
}

uint64_t lv_version(void)
{
    pthread_mutex_lock(&V.lock);
    uint64_t v = V.version;
    pthread_mutex_unlock(&V.lock);
    return v;
}

int lv_write_svg(const char *path)
{
    char *svg;
    size_t len;
    int rc = render(&svg, &len);
    if (rc < 0) {
        return rc;
    }
    FILE *f = fopen(path, "w");
    if (f == NULL || fwrite(svg, 1, len, f) != len) {
        rc = LC_EINVAL;
    }
    if (f != NULL && fclose(f) != 0) {
        rc = LC_EINVAL;
    }
    free(svg);
    return rc;
}

void lv_stop(void)
{
    if (V.daemon != NULL) {
        MHD_stop_daemon(V.daemon);
        V.daemon = NULL;
    }
    pthread_mutex_lock(&V.lock);
    free(V.svg);
    V.svg = NULL;
    V.svg_len = 0;
    V.version = 0;
    pthread_mutex_unlock(&V.lock);
    V.hash = 0;
    V.port = 0;
}
