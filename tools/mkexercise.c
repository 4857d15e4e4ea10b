/*
 * mkexercise.c - write the students' files from the reference solutions.
 *
 * The exercises are never edited by hand: they are generated from the
 * reference files in solutions/, so the two cannot drift apart. In a
 * reference file, each piece of code the student must write is marked:
 *
 *     int lc_link(lc_pid pid)
 *     {
 *         / * BEGIN SOLUTION(ch02): return LC_ENOSYS; * /
 *         ... the reference code ...
 *         / * END SOLUTION * /
 *     }
 *
 * and becomes, in the exercise, a stub that compiles, says which function
 * is missing when it runs, and returns what the marker says:
 *
 *         / * TODO(ch02): write this (see its contract comment). * /
 *         LC_TODO("ch02");
 *         return LC_ENOSYS;
 *
 * A marker whose stub is "-" (BEGIN SOLUTION(ch02): -) is removed with no
 * stub at all: use it for helper functions at file scope. Lines that mark
 * regions for the handouts ("region: name", "endregion") are dropped.
 *
 * Usage:
 *     mkexercise gen   SOLUTION_FILE EXERCISE_FILE [LAST]   write the exercise
 *     mkexercise check SOLUTION_FILE EXERCISE_FILE          exit 1 if it
 * differs
 *
 * The exercise files are the students' work, so gen never loses an edit.
 * LAST is a copy of what gen wrote the previous time (gen updates it). If
 * the exercise differs from what gen would write now and also from LAST (or
 * there is no LAST), someone edited it: gen first copies it to
 * EXERCISE_FILE.orig-YYYYMMDD-HHMMSS and says so. An exercise equal to LAST
 * is regenerated silently: only the reference changed.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct buf {
    char *data;
    size_t len, cap;
};

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "mkexercise: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = realloc(b->data, b->cap);
        if (b->data == NULL) {
            die("out of memory");
        }
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void puts_buf(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    struct buf b = { 0 };
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        put(&b, chunk, n);
    }
    fclose(f);
    if (b.data == NULL) {
        put(&b, "", 0);
    }
    *len = b.len;
    return b.data;
}

/* If 'line' is a comment line "/ * WORD ... * /", return a pointer to what
   follows WORD; else NULL. */
static const char *marker(const char *line, const char *word)
{
    const char *p = line;
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    if (strncmp(p, "/* ", 3) != 0) {
        return NULL;
    }
    p += 3;
    size_t n = strlen(word);
    return strncmp(p, word, n) == 0 ? p + n : NULL;
}

/* The text between "(chNN):" and the closing comment, trimmed. */
static void parse_begin(const char *rest, const char *path, long lno,
                        char chapter[8], char *stub, size_t cap)
{
    const char *close = strstr(rest, "):");
    const char *end = strstr(rest, "*/");
    if (rest[0] != '(' || close == NULL || end == NULL || close > end ||
        close - rest - 1 <= 0 || close - rest - 1 >= 8) {
        die("%s:%ld: a marker reads \"BEGIN SOLUTION(chNN): stub */\"", path,
            lno);
    }
    memcpy(chapter, rest + 1, (size_t)(close - rest - 1));
    chapter[close - rest - 1] = '\0';
    const char *s = close + 2;
    while (s < end && isspace((unsigned char)*s)) {
        s++;
    }
    const char *e = end;
    while (e > s && isspace((unsigned char)e[-1])) {
        e--;
    }
    if ((size_t)(e - s) >= cap) {
        die("%s:%ld: stub too long", path, lno);
    }
    memcpy(stub, s, (size_t)(e - s));
    stub[e - s] = '\0';
}

static void emit_stub(struct buf *out, const char *line, const char *chapter,
                      const char *stub)
{
    if (strcmp(stub, "-") == 0) {
        return;
    }
    size_t ind = strspn(line, " \t");
    char text[512];
    snprintf(text, sizeof text,
             "%.*s/* TODO(%s): write this (see its contract comment). */\n"
             "%.*sLC_TODO(\"%s\");\n",
             (int)ind, line, chapter, (int)ind, line, chapter);
    puts_buf(out, text);
    /* One statement a line, as clang-format writes them: the stub
       "(void)t; return 0;" becomes two lines. */
    int depth = 0;
    bool quoted = false, line_open = false;
    for (const char *s = stub; *s != '\0'; s++) {
        if (!line_open) {
            put(out, line, ind);
            line_open = true;
        }
        put(out, s, 1);
        if (*s == '"' && (s == stub || s[-1] != '\\')) {
            quoted = !quoted;
        } else if (!quoted && (*s == '(' || *s == '{')) {
            depth++;
        } else if (!quoted && (*s == ')' || *s == '}')) {
            depth--;
        } else if (!quoted && depth == 0 && *s == ';') {
            puts_buf(out, "\n");
            line_open = false;
            while (s[1] == ' ') {
                s++;
            }
        }
    }
    if (line_open) {
        puts_buf(out, "\n");
    }
}

static char *generate(const char *path, const char *src)
{
    struct buf out = { 0 };
    put(&out, "", 0);
    int inside = 0, skip_blank = 0;
    long lno = 0, begin_lno = 0;
    char chapter[8], stub[400];
    for (const char *line = src; *line != '\0';) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) + 1 : strlen(line);
        char text[4096];
        snprintf(text, sizeof text, "%.*s",
                 (int)(n < sizeof text ? n : sizeof text - 1), line);
        lno++;
        const char *rest;
        if ((rest = marker(text, "BEGIN SOLUTION")) != NULL) {
            if (inside) {
                die("%s:%ld: BEGIN SOLUTION inside the one opened at line %ld",
                    path, lno, begin_lno);
            }
            parse_begin(rest, path, lno, chapter, stub, sizeof stub);
            emit_stub(&out, text, chapter, stub);
            inside = 1;
            begin_lno = lno;
        } else if (marker(text, "END SOLUTION") != NULL) {
            if (!inside) {
                die("%s:%ld: END SOLUTION without BEGIN SOLUTION", path, lno);
            }
            inside = 0;
            /* A removed helper leaves its blank separator line behind. */
            skip_blank = strcmp(stub, "-") == 0;
        } else if (skip_blank && text[0] == '\n' && out.len >= 2 &&
                   out.data[out.len - 1] == '\n' &&
                   out.data[out.len - 2] == '\n') {
            skip_blank = 0;
        } else if (marker(text, "region:") != NULL ||
                   marker(text, "endregion") != NULL) {
            /* handout markers: not for students */
        } else if (!inside) {
            put(&out, line, n);
            skip_blank = 0;
        }
        line += n;
    }
    if (inside) {
        die("%s:%ld: BEGIN SOLUTION never ended", path, begin_lno);
    }
    return out.data;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || fputs(text, f) == EOF || fclose(f) != 0) {
        die("%s: cannot write", path);
    }
}

/* Copy the student's version of 'path' to a name no other file has, and
   return that name (static). */
static const char *keep_copy(const char *path, const char *text)
{
    static char copy[4096];
    char stamp[32];
    time_t now = time(NULL);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime(&now));
    struct stat st;
    for (int i = 0; i < 100; i++) {
        if (i == 0) {
            snprintf(copy, sizeof copy, "%s.orig-%s", path, stamp);
        } else {
            snprintf(copy, sizeof copy, "%s.orig-%s-%d", path, stamp, i);
        }
        if (stat(copy, &st) != 0) {
            write_file(copy, text);
            return copy;
        }
    }
    die("%s: too many copies of it already", path);
    return NULL;
}

/* The line number of the first difference between a and b. */
static long first_difference(const char *a, const char *b)
{
    long line = 1;
    for (; *a && *a == *b; a++, b++) {
        line += *a == '\n';
    }
    return line;
}

static int gen(const char *exercise, const char *text, const char *last_path)
{
    size_t len;
    char *have = read_file(exercise, &len);
    char *last = last_path ? read_file(last_path, &len) : NULL;
    if (have != NULL && strcmp(have, text) != 0 &&
        (last == NULL || strcmp(have, last) != 0)) {
        const char *copy = keep_copy(exercise, have);
        fprintf(stderr,
                "mkexercise: %s had changes of yours (from line %ld): they "
                "are kept in %s\n",
                exercise, first_difference(have, text), copy);
    }
    if (have == NULL || strcmp(have, text) != 0) {
        write_file(exercise, text);
    }
    if (last_path != NULL) {
        write_file(last_path, text);
    }
    free(have);
    free(last);
    return 0;
}

static int check(const char *solution, const char *exercise, const char *text)
{
    size_t len;
    char *have = read_file(exercise, &len);
    int rc = 0;
    if (have == NULL) {
        fprintf(stderr,
                "mkexercise: %s is missing; 'make exercises' writes it from "
                "%s\n",
                exercise, solution);
        rc = 1;
    } else if (strcmp(have, text) != 0) {
        fprintf(stderr,
                "mkexercise: %s differs from what %s generates, from line "
                "%ld.\n"
                "  If these are your edits, they are yours to keep: 'make "
                "exercises' would\n"
                "  regenerate the file but first copies your version to "
                "%s.orig-<time>.\n",
                exercise, solution, first_difference(have, text), exercise);
        rc = 1;
    }
    free(have);
    return rc;
}

int main(int argc, char **argv)
{
    bool is_gen = argc >= 2 && strcmp(argv[1], "gen") == 0;
    bool is_check = argc >= 2 && strcmp(argv[1], "check") == 0;
    if (!((is_gen && (argc == 4 || argc == 5)) || (is_check && argc == 4))) {
        fprintf(stderr, "usage: mkexercise gen SOLUTION EXERCISE [LAST]\n"
                        "       mkexercise check SOLUTION EXERCISE\n");
        return 2;
    }
    size_t len;
    char *src = read_file(argv[2], &len);
    if (src == NULL) {
        die("%s: cannot read", argv[2]);
    }
    char *text = generate(argv[2], src);
    int rc = is_gen ? gen(argv[3], text, argc == 5 ? argv[4] : NULL)
                    : check(argv[2], argv[3], text);
    free(text);
    free(src);
    return rc;
}
