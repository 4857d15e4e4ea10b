/*
 * util.c - the grader's small tools: strings, files, SHA-256, escaping.
 *
 * The grader is a short-lived command: it dies with one clear line on out of
 * memory rather than threading errors through every caller, and frees what
 * it allocates only where it loops (a batch of submissions).
 */
#include "grade.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* --- Memory and strings --------------------------------------------------- */

void *gr_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        gr_die(1, "out of memory");
    }
    return p;
}

void *gr_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL) {
        gr_die(1, "out of memory");
    }
    return p;
}

void *gr_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (p == NULL) {
        gr_die(1, "out of memory");
    }
    return p;
}

char *gr_xstrdup(const char *s)
{
    return gr_xstrndup(s, strlen(s));
}

char *gr_xstrndup(const char *s, size_t n)
{
    char *p = gr_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* vasprintf(), or die: the grader has no use for a half-made string. */
static char *xvasprintf(int *len, const char *fmt, va_list ap)
{
    char *s = NULL;
    *len = vasprintf(&s, fmt, ap);
    if (*len < 0) {
        gr_die(1, "out of memory");
    }
    return s;
}

char *gr_fmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n;
    char *s = xvasprintf(&n, fmt, ap);
    va_end(ap);
    return s;
}

void gr_buf_addn(struct gr_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = gr_xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void gr_buf_add(struct gr_buf *b, const char *s)
{
    gr_buf_addn(b, s, strlen(s));
}

void gr_buf_addf(struct gr_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n;
    char *s = xvasprintf(&n, fmt, ap);
    va_end(ap);
    gr_buf_addn(b, s, (size_t)n);
    free(s);
}

const char *gr_buf_str(const struct gr_buf *b)
{
    return b->s ? b->s : "";
}

void gr_buf_free(struct gr_buf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

void gr_strv_add(struct gr_strv *v, const char *s)
{
    if (v->n + 2 > v->cap) {
        v->cap = (v->n + 2) * 2;
        v->v = gr_xrealloc(v->v, (size_t)v->cap * sizeof *v->v);
    }
    v->v[v->n++] = gr_xstrdup(s);
    v->v[v->n] = NULL;
}

void gr_strv_addf(struct gr_strv *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n;
    char *s = xvasprintf(&n, fmt, ap);
    va_end(ap);
    gr_strv_add(v, s);
    free(s);
}

bool gr_strv_has(const struct gr_strv *v, const char *s)
{
    for (int i = 0; i < v->n; i++) {
        if (strcmp(v->v[i], s) == 0) {
            return true;
        }
    }
    return false;
}

void gr_strv_free(struct gr_strv *v)
{
    for (int i = 0; i < v->n; i++) {
        free(v->v[i]);
    }
    free(v->v);
    v->v = NULL;
    v->n = v->cap = 0;
}

void gr_split_words(const char *s, struct gr_strv *out)
{
    while (*s) {
        size_t skip = strspn(s, " \t\r\n,");
        s += skip;
        size_t n = strcspn(s, " \t\r\n,");
        if (n > 0) {
            char *w = gr_xstrndup(s, n);
            gr_strv_add(out, w);
            free(w);
        }
        s += n;
    }
}

void gr_die(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("grade: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(status);
}

/* --- Files ---------------------------------------------------------------- */

char *gr_read_file(const char *path, size_t max, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return NULL;
    }
    struct gr_buf b = { 0 };
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        if (b.len + (size_t)n > max) {
            close(fd);
            gr_buf_free(&b);
            errno = EFBIG;
            return NULL;
        }
        gr_buf_addn(&b, chunk, (size_t)n);
    }
    close(fd);
    if (len) {
        *len = b.len;
    }
    return b.s ? b.s : gr_xstrdup("");
}

char *gr_read_tail(const char *path, size_t max)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return gr_xstrdup("");
    }
    struct stat st;
    off_t start = 0;
    if (fstat(fd, &st) == 0 && (size_t)st.st_size > max) {
        start = st.st_size - (off_t)max;
    }
    char *buf = gr_xmalloc(max + 1);
    ssize_t n = pread(fd, buf, max, start);
    close(fd);
    if (n < 0) {
        n = 0;
    }
    buf[n] = '\0';
    char *from = buf;
    if (start > 0) { /* begin at a whole line */
        char *nl = memchr(buf, '\n', (size_t)n);
        from = nl ? nl + 1 : buf;
    }
    /* Output is shown in reports: valid UTF-8, NUL bytes included. */
    char *out = gr_utf8_clean(from, (size_t)(buf + n - from));
    free(buf);
    return out;
}

int gr_write_file(const char *path, const char *data, size_t len)
{
    char *tmp = gr_fmt("%s.tmp%d", path, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int rc = -1;
    if (fd >= 0) {
        size_t off = 0;
        while (off < len) {
            ssize_t w = write(fd, data + off, len - off);
            if (w < 0 && errno == EINTR) {
                continue;
            }
            if (w <= 0) {
                break;
            }
            off += (size_t)w;
        }
        if (close(fd) == 0 && off == len && rename(tmp, path) == 0) {
            rc = 0;
        }
    }
    if (rc != 0) {
        unlink(tmp);
    }
    free(tmp);
    return rc;
}

int gr_mkdir_p(const char *path)
{
    char *p = gr_xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            if (mkdir(p, 0755) != 0 && errno != EEXIST) {
                free(p);
                return -1;
            }
            *s = '/';
        }
    }
    int rc = mkdir(p, 0755) != 0 && errno != EEXIST ? -1 : 0;
    free(p);
    return rc;
}

static void rm_at(int at, const char *name, int depth)
{
    if (unlinkat(at, name, 0) == 0 || depth > 64) {
        return;
    }
    /* A directory, or a file we may not remove: make it ours and retry. */
    fchmodat(at, name, 0700, 0);
    int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        DIR *d = fdopendir(fd);
        if (d != NULL) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                    rm_at(dirfd(d), e->d_name, depth + 1);
                }
            }
            closedir(d);
        } else {
            close(fd);
        }
    }
    unlinkat(at, name, AT_REMOVEDIR);
}

void gr_rm_rf(const char *path)
{
    rm_at(AT_FDCWD, path, 0);
}

bool gr_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool gr_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

long long gr_mtime(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        return -1;
    }
    return (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

double gr_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- SHA-256 (FIPS 180-4) ------------------------------------------------ */

/* Cache keys must not collide even when a submission is built to make them
   collide: a weaker hash would let one student's file stand for another's. */

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static void sha_block(struct gr_sha256 *c, const unsigned char *p)
{
    uint32_t w[64], s[8];
    for (int i = 0; i < 16; i++) {
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    }
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ w[i - 15] >> 3;
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ w[i - 2] >> 10;
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    for (int i = 0; i < 8; i++) {
        s[i] = c->h[i];
    }
    for (int i = 0; i < 64; i++) {
        uint32_t S1 = ror(s[4], 6) ^ ror(s[4], 11) ^ ror(s[4], 25);
        uint32_t ch = (s[4] & s[5]) ^ (~s[4] & s[6]);
        uint32_t t1 = s[7] + S1 + ch + K[i] + w[i];
        uint32_t S0 = ror(s[0], 2) ^ ror(s[0], 13) ^ ror(s[0], 22);
        uint32_t maj = (s[0] & s[1]) ^ (s[0] & s[2]) ^ (s[1] & s[2]);
        uint32_t t2 = S0 + maj;
        memmove(s + 1, s, 7 * sizeof s[0]);
        s[4] += t1;
        s[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++) {
        c->h[i] += s[i];
    }
}

void gr_sha256_init(struct gr_sha256 *c)
{
    static const uint32_t h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                    0xa54ff53a, 0x510e527f, 0x9b05688c,
                                    0x1f83d9ab, 0x5be0cd19 };
    memcpy(c->h, h0, sizeof h0);
    c->used = 0;
    c->total = 0;
}

void gr_sha256_add(struct gr_sha256 *c, const void *data, size_t n)
{
    const unsigned char *p = data;
    c->total += n;
    while (n > 0) {
        size_t take = 64 - c->used < n ? 64 - c->used : n;
        memcpy(c->block + c->used, p, take);
        c->used += take;
        p += take;
        n -= take;
        if (c->used == 64) {
            sha_block(c, c->block);
            c->used = 0;
        }
    }
}

void gr_sha256_hex(struct gr_sha256 *c, char out[65])
{
    unsigned long long bits = c->total * 8;
    unsigned char pad = 0x80, zero = 0, len[8];
    gr_sha256_add(c, &pad, 1);
    while (c->used != 56) {
        gr_sha256_add(c, &zero, 1);
    }
    for (int i = 0; i < 8; i++) {
        len[i] = (unsigned char)(bits >> (56 - 8 * i));
    }
    gr_sha256_add(c, len, 8);
    for (int i = 0; i < 8; i++) {
        snprintf(out + 8 * i, 9, "%08x", c->h[i]);
    }
}

/* --- Text for reports ----------------------------------------------------- */

/* The length of the well-formed UTF-8 character at p (n bytes left), or 0.
   Overlong forms, surrogates and code points past U+10FFFF are not. */
static size_t utf8_char(const unsigned char *p, size_t n, unsigned *cp)
{
    size_t len = p[0] < 0x80             ? 1
                 : (p[0] & 0xe0) == 0xc0 ? 2
                 : (p[0] & 0xf0) == 0xe0 ? 3
                 : (p[0] & 0xf8) == 0xf0 ? 4
                                         : 0;
    if (len == 0 || len > n) {
        return 0;
    }
    unsigned c = len == 1 ? p[0] : p[0] & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            return 0;
        }
        c = (c << 6) | (p[i] & 0x3f);
    }
    static const unsigned least[] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (c < least[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
        return 0;
    }
    *cp = c;
    return len;
}

char *gr_utf8_clean(const char *s, size_t n)
{
    static const char bad[] = "\xef\xbf\xbd"; /* U+FFFD */
    struct gr_buf b = { 0 };
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = 0;
        size_t len = utf8_char(p + i, n - i, &c);
        /* A carriage return alone would move a terminal back to the
           start of the line, where the text after it could write over
           the report's own indentation; before a newline it is dropped. */
        if (len == 1 && c == '\r' && i + 1 < n && p[i + 1] == '\n') {
            i++;
            continue;
        }
        bool control =
                len == 1 && ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f);
        /* C1 controls (0x9b is a terminal's CSI) and the marks that turn
           the direction of text (a line that displays other than it
           reads) are no text either. */
        bool hidden = (c >= 0x80 && c <= 0x9f) ||
                      (c >= 0x202a && c <= 0x202e) ||
                      (c >= 0x2066 && c <= 0x2069);
        if (len == 0 || control || hidden || c == 0xfffe || c == 0xffff) {
            gr_buf_add(&b, bad);
            i += len ? len : 1;
        } else {
            gr_buf_addn(&b, s + i, len);
            i += len;
        }
    }
    return b.s ? b.s : gr_xstrdup("");
}

char *gr_line_clean(const char *s)
{
    char *clean = gr_utf8_clean(s, strlen(s));
    struct gr_buf b = { 0 };
    for (const char *p = clean; *p; p++) {
        if (*p == '\n' || *p == '\t') {
            gr_buf_add(&b, "\xef\xbf\xbd");
        } else {
            gr_buf_addn(&b, p, 1);
        }
    }
    free(clean);
    return b.s ? b.s : gr_xstrdup("");
}

void gr_csv_field(struct gr_buf *b, const char *s)
{
    /* A field that starts like a formula (a student's folder named
       "=HYPERLINK(...)") would be run by a spreadsheet that opens the
       gradebook: a quote before it keeps it text. */
    bool formula = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
    if (!formula && strpbrk(s, ",\"\n\r") == NULL) {
        gr_buf_add(b, s);
        return;
    }
    gr_buf_add(b, formula ? "\"'" : "\"");
    for (; *s; s++) {
        gr_buf_addn(b, s, 1);
        if (*s == '"') {
            gr_buf_add(b, "\"");
        }
    }
    gr_buf_add(b, "\"");
}

const char *gr_num(double x)
{
    static char buf[8][32];
    static int i;
    i = (i + 1) % 8;
    snprintf(buf[i], sizeof buf[i], "%.2f", x);
    char *dot = strchr(buf[i], '.');
    char *end = buf[i] + strlen(buf[i]) - 1;
    while (end > dot && *end == '0') {
        *end-- = '\0';
    }
    if (end == dot) {
        *end = '\0';
    }
    if (strcmp(buf[i], "-0") == 0) {
        strcpy(buf[i], "0");
    }
    return buf[i];
}
