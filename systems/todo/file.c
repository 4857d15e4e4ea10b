/*
 * file.c - list files: safe names, the text format, its checks, and the
 * atomic write (todo.h has the format).
 *
 * Text, because a person debugging the system should be able to read a
 * list with `cat` and see what the server saw. A header that says how much
 * follows and a CRC-32 (zlib's) of it, because a file that was damaged --
 * by a disk, an editor or a bug -- must be reported, not read as a shorter
 * list: losing entries without a word is the one thing a to-do system must
 * not do. The write goes aside and is renamed over the old file, with the
 * data and then the folder flushed to disk, because rename() is the one
 * step POSIX makes atomic: a reader, or a program started after a crash,
 * sees the old file or the new one.
 *
 * Encoding and checking are pure functions of bytes (unit-tested without
 * any process); reading and writing touch the disk and nothing else.
 */
#include "lc/systems/todo.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define MAGIC    "lc-todo "
#define VERSION  1
#define PATH_CAP (TODO_FOLDER_MAX + TODO_FILE_NAME_MAX + 32)

/* --- Names --------------------------------------------------------------- */

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    }
    return h;
}

int todo_file_name(const char *list, char out[TODO_FILE_NAME_MAX])
{
    int err = todo_name_check(list);
    if (err < 0) {
        return err;
    }
    char clean[33];
    size_t n = 0;
    for (const char *p = list; *p && n < 32; p++) {
        char c = *p;
        bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_';
        clean[n++] = safe ? c : '_';
    }
    clean[n] = '\0';
    snprintf(out, TODO_FILE_NAME_MAX, "%s-%016" PRIx64 ".todo", clean,
             fnv1a(list));
    return 0;
}

/* --- Errors -------------------------------------------------------------- */

__attribute__((format(printf, 4, 5))) static int
fail(struct todo_file_error *err, const char *file, const char *problem,
     const char *fmt, ...)
{
    if (err != NULL) {
        memset(err, 0, sizeof *err);
        snprintf(err->file, sizeof err->file, "%s", file);
        err->problem = lc_atom_intern(problem);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->detail, sizeof err->detail, fmt, ap);
        va_end(ap);
    }
    return LC_EINVAL;
}

struct lc_reason todo_file_reason(const struct todo_file_error *err)
{
    return lc_reason_with(err->problem,
                          lc_atom_term(lc_atom_intern(err->file)));
}

/* --- Escaping titles and names ------------------------------------------- */

struct text {
    char *data;
    size_t len, cap;
    bool oom;
};

static void put(struct text *t, const char *s, size_t n)
{
    if (t->oom) {
        return;
    }
    if (t->len + n + 1 > t->cap) {
        size_t cap = (t->len + n + 1) * 2;
        char *d = realloc(t->data, cap);
        if (d == NULL) {
            t->oom = true;
            return;
        }
        t->data = d;
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

static void put_escaped(struct text *t, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[8];
        if (c == '\\') {
            put(t, "\\\\", 2);
        } else if (c == '\n') {
            put(t, "\\n", 2);
        } else if (c == '\r') {
            put(t, "\\r", 2);
        } else if (c == '\t') {
            put(t, "\\t", 2);
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(esc, sizeof esc, "\\x%02x", c);
            put(t, esc, 4);
        } else {
            put(t, (const char *)&c, 1);
        }
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

/* Unescape s[0..n) into out[0..cap). Returns the length, or -1 for a bad
   escape or a result that does not fit. */
static long unescape(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\') {
            if (++i == n) {
                return -1;
            }
            switch (s[i]) {
                case '\\':
                    c = '\\';
                    break;
                case 'n':
                    c = '\n';
                    break;
                case 'r':
                    c = '\r';
                    break;
                case 't':
                    c = '\t';
                    break;
                case 'x': {
                    int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
                    int lo = hi >= 0 ? hexval(s[i + 2]) : -1;
                    if (lo < 0 || hi * 16 + lo == 0) {
                        return -1;
                    }
                    c = (char)(hi * 16 + lo);
                    i += 2;
                    break;
                }
                default:
                    return -1;
            }
        } else if ((unsigned char)c < 0x20 || c == 0x7f) {
            return -1; /* written escaped, so never raw */
        }
        if (o + 1 >= cap) {
            return -1;
        }
        out[o++] = c;
    }
    out[o] = '\0';
    return (long)o;
}

/* --- Encoding ------------------------------------------------------------ */

int todo_file_encode(const char *list, const struct todo_list *l, char **text,
                     size_t *len)
{
    struct text body = { 0 };
    put(&body, "", 0);
    for (size_t i = 0; i < l->n; i++) {
        const struct todo_entry *e = &l->entries[i];
        char head[48];
        char date[16];
        todo_date_format(date, sizeof date, e->date);
        int k = snprintf(head, sizeof head, "%" PRIu32 " %s ", e->id, date);
        put(&body, head, (size_t)k);
        put_escaped(&body, e->title);
        put(&body, "\n", 1);
    }
    struct text all = { 0 };
    char head[128];
    uLong crc = crc32(0L, (const Bytef *)body.data, (uInt)body.len);
    int k = snprintf(head, sizeof head,
                     MAGIC "%d entries=%zu next-id=%" PRIu32
                           " crc32=%08lx list=",
                     VERSION, l->n, l->next_id, (unsigned long)crc);
    put(&all, head, (size_t)k);
    put_escaped(&all, list);
    put(&all, "\n", 1);
    if (!body.oom) {
        put(&all, body.data, body.len);
    }
    free(body.data);
    if (body.oom || all.oom) {
        free(all.data);
        return LC_ENOMEM;
    }
    *text = all.data;
    *len = all.len;
    return 0;
}

/* --- Decoding and checking ----------------------------------------------- */

struct header {
    int version;
    size_t entries;
    uint32_t next_id;
    unsigned long crc;
    char list[TODO_NAME_MAX + 1];
};

/* Read "name=<number>" at *p; advance past it and one space. */
static bool field(const char **p, const char *name, int base,
                  unsigned long long *out)
{
    size_t n = strlen(name);
    if (strncmp(*p, name, n) != 0 || (*p)[n] != '=') {
        return false;
    }
    char *end;
    const char *s = *p + n + 1;
    if (!(base == 16 ? hexval(*s) >= 0 : (*s >= '0' && *s <= '9'))) {
        return false;
    }
    errno = 0;
    *out = strtoull(s, &end, base);
    if (errno != 0 || *end != ' ') {
        return false;
    }
    *p = end + 1;
    return true;
}

static int parse_header(const char *file, const char *line, size_t n,
                        struct header *h, struct todo_file_error *err)
{
    if (n < strlen(MAGIC) || memcmp(line, MAGIC, strlen(MAGIC)) != 0) {
        return fail(err, file, "bad_header",
                    "line 1 does not start with \"" MAGIC "\"");
    }
    char buf[256];
    if (n >= sizeof buf) {
        return fail(err, file, "bad_header", "line 1 is too long");
    }
    memcpy(buf, line, n);
    buf[n] = '\0';
    const char *p = buf + strlen(MAGIC);
    unsigned long long v, count, next, crc;
    char *vend;
    if (*p < '0' || *p > '9') {
        return fail(err, file, "bad_header", "line 1 has no version");
    }
    v = strtoull(p, &vend, 10);
    if (v != VERSION) {
        return fail(err, file, "bad_version",
                    "version %llu (this kit reads version %d)", v, VERSION);
    }
    if (*vend != ' ') {
        return fail(err, file, "bad_header", "line 1 ends after the version");
    }
    p = vend + 1;
    if (!field(&p, "entries", 10, &count) || !field(&p, "next-id", 10, &next) ||
        next == 0 || next > UINT32_MAX || !field(&p, "crc32", 16, &crc) ||
        crc > 0xffffffffu || strncmp(p, "list=", 5) != 0) {
        return fail(err, file, "bad_header",
                    "line 1 is not \"entries=N next-id=N crc32=X list=NAME\"");
    }
    p += 5;
    if (unescape(p, strlen(p), h->list, sizeof h->list) <= 0) {
        return fail(err, file, "bad_header", "line 1 has a bad list name");
    }
    h->version = (int)v;
    h->entries = (size_t)count;
    h->next_id = (uint32_t)next;
    h->crc = (unsigned long)crc;
    return 0;
}

/* One entry line (without its newline) into *e. */
static bool parse_entry(const char *s, size_t n, struct todo_entry *e)
{
    char num[16], date[16];
    size_t i = 0, k = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9' && k < sizeof num - 1) {
        num[k++] = s[i++];
    }
    num[k] = '\0';
    if (k == 0 || k > 10 || i >= n || s[i++] != ' ' || n - i < 11 ||
        s[i + 10] != ' ') {
        return false;
    }
    memcpy(date, s + i, 10);
    date[10] = '\0';
    unsigned long long id = strtoull(num, NULL, 10);
    memset(e, 0, sizeof *e);
    e->id = (uint32_t)id;
    i += 11;
    return id > 0 && id <= UINT32_MAX && todo_date_parse(date, &e->date) == 0 &&
           unescape(s + i, n - i, e->title, sizeof e->title) >= 0;
}

static int decode_body(const char *file, const struct header *h,
                       const char *body, size_t len, struct todo_list *l,
                       struct todo_file_error *err)
{
    size_t line = 2;
    const char *p = body, *end = body + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        struct todo_entry e;
        if (!parse_entry(p, (size_t)(nl - p), &e)) {
            return fail(err, file, "bad_entry",
                        "line %zu is not \"ID YYYY-MM-DD TITLE\"", line);
        }
        uint32_t last = l->n > 0 ? l->entries[l->n - 1].id : 0;
        if (e.id <= last || e.id >= h->next_id) {
            return fail(err, file, "bad_entry",
                        "line %zu: id %" PRIu32 " out of order", line, e.id);
        }
        l->next_id = e.id; /* so that the entry keeps its id */
        int rc = todo_list_add(l, e.date, e.title, NULL);
        if (rc < 0) {
            return rc == LC_ENOMEM
                           ? LC_ENOMEM
                           : fail(err, file, "bad_entry", "line %zu", line);
        }
        p = nl + 1;
        line++;
    }
    l->next_id = h->next_id;
    return 0;
}

static size_t count_lines(const char *s, size_t n)
{
    size_t c = 0;
    for (const char *p = s; (p = memchr(p, '\n', (size_t)(s + n - p)));) {
        c++;
        p++;
    }
    return c;
}

int todo_file_decode(const char *file, const char *list, const char *text,
                     size_t len, struct todo_list **out,
                     struct todo_file_error *err)
{
    const char *nl = memchr(text, '\n', len);
    if (nl == NULL) {
        return fail(err, file,
                    len >= strlen(MAGIC) &&
                                    memcmp(text, MAGIC, strlen(MAGIC)) == 0
                            ? "truncated"
                            : "bad_header",
                    "no complete header line (%zu bytes)", len);
    }
    struct header h;
    int rc = parse_header(file, text, (size_t)(nl - text), &h, err);
    if (rc < 0) {
        return rc;
    }
    if (strcmp(h.list, list) != 0) {
        return fail(err, file, "wrong_list", "it holds list \"%.64s\"", h.list);
    }
    const char *body = nl + 1;
    size_t blen = len - (size_t)(body - text);
    if (blen > 0 && body[blen - 1] != '\n') {
        return fail(err, file, "truncated",
                    "the last line has no end (a half-written file?)");
    }
    unsigned long crc = crc32(0L, (const Bytef *)body, (uInt)blen);
    if (crc != h.crc) {
        return fail(err, file, "bad_checksum",
                    "the header says crc32=%08lx, the entries give %08lx",
                    h.crc, crc);
    }
    size_t lines = count_lines(body, blen);
    if (lines != h.entries) {
        return fail(err, file, "bad_count",
                    "the header says %zu entries, the file has %zu", h.entries,
                    lines);
    }
    struct todo_list *l = todo_list_new();
    if (l == NULL) {
        return LC_ENOMEM;
    }
    rc = decode_body(file, &h, body, blen, l, err);
    if (rc < 0) {
        todo_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

/* --- Reading and writing the disk ---------------------------------------- */

static int path_of(char *buf, const char *folder, const char *file)
{
    int n = snprintf(buf, PATH_CAP, "%s/%s", folder, file);
    return n > 0 && n < PATH_CAP ? 0 : LC_ERANGE;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* --- Fault injection (tests only) --------------------------------------- */

static todo_file_fault_fn *fault_fn;

void todo_file_fault_set(todo_file_fault_fn *fn)
{
    fault_fn = fn;
}

/* 0, or the errno value the test's hook makes step 'step' fail with. */
static int fault(const char *file, enum todo_write_step step)
{
    return fault_fn != NULL ? fault_fn(file, step) : 0;
}

static void reset_fault(void)
{
    fault_fn = NULL;
}
LC_ON_FINI(reset_fault)

/* Flush the folder itself, so that the rename is on disk too. */
static int sync_folder(const char *folder)
{
    int fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int todo_file_write(const char *folder, const char *file, const char *text,
                    size_t len, struct todo_file_error *err)
{
    char path[PATH_CAP], tmp[PATH_CAP];
    if (path_of(path, folder, file) < 0 ||
        snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", folder, file) >=
                (int)sizeof tmp) {
        return fail(err, file, "io_error", "the path is too long");
    }
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        return fail(err, file, "io_error", "create: %s", strerror(errno));
    }
    const char *step = NULL;
    int e = 0;
    if ((e = fault(file, TODO_STEP_WRITE)) != 0 || !write_all(fd, text, len)) {
        step = "write";
    } else if ((e = fault(file, TODO_STEP_FSYNC)) != 0 || fsync(fd) != 0) {
        step = "fsync";
    }
    e = step != NULL && e == 0 ? errno : e;
    if (close(fd) != 0 && step == NULL) {
        step = "close";
        e = errno;
    }
    if (step == NULL &&
        ((e = fault(file, TODO_STEP_RENAME)) != 0 || rename(tmp, path) != 0)) {
        step = "rename";
        e = e != 0 ? e : errno;
    }
    if (step != NULL) {
        unlink(tmp);
        return fail(err, file, "io_error", "%s: %s", step, strerror(e));
    }
    /* From here on the new list is the file: a failure is reported (the
       server cannot promise the entry survives a power cut), never undone. */
    if ((e = fault(file, TODO_STEP_FSYNC_FOLDER)) != 0 ||
        sync_folder(folder) != 0) {
        return fail(err, file, "io_error", "fsync of the folder: %s",
                    strerror(e != 0 ? e : errno));
    }
    if ((e = fault(file, TODO_STEP_DONE)) != 0) {
        return fail(err, file, "io_error", "done: %s", strerror(e));
    }
    return 0;
}

int todo_file_read(const char *folder, const char *file, char **text,
                   size_t *len, struct todo_file_error *err)
{
    char path[PATH_CAP];
    *text = NULL;
    *len = 0;
    if (path_of(path, folder, file) < 0) {
        return fail(err, file, "io_error", "the path is too long");
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return errno == ENOENT ? LC_ENOENT
                               : fail(err, file, "io_error", "open: %s",
                                      strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return fail(err, file, "io_error", "fstat: %s", strerror(e));
    }
    if (st.st_size > TODO_FILE_MAX) {
        close(fd);
        return fail(err, file, "too_large", "over %d bytes", TODO_FILE_MAX);
    }
    char *buf = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (buf != NULL && got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        got += (size_t)r;
    }
    int e = errno;
    close(fd);
    if (buf == NULL) {
        return LC_ENOMEM;
    }
    if (got != (size_t)st.st_size) {
        free(buf);
        return fail(err, file, "io_error", "read: %s", strerror(e));
    }
    buf[got] = '\0';
    *text = buf;
    *len = got;
    return 0;
}

int todo_file_sweep(const char *folder)
{
    DIR *d = opendir(folder);
    if (d == NULL) {
        return LC_ENOENT;
    }
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        /* ".NAME.todo.XXXXXX": what todo_file_write() creates aside */
        const char *t = strstr(e->d_name, ".todo.");
        char path[PATH_CAP];
        if (e->d_name[0] == '.' && t != NULL && strlen(t) == 12 &&
            path_of(path, folder, e->d_name) == 0 && unlink(path) == 0) {
            n++;
        }
    }
    closedir(d);
    return n;
}

int todo_folder_prepare(const char *folder, struct todo_file_error *err)
{
    if (mkdir(folder, 0777) != 0 && errno != EEXIST) {
        return fail(err, "", "bad_folder", "%s: %s", folder, strerror(errno));
    }
    if (todo_file_sweep(folder) < 0) {
        return fail(err, "", "bad_folder", "%s: not a folder", folder);
    }
    return 0;
}
