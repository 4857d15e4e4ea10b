/*
 * report.c - one grade, seven ways to write it down.
 *
 * Every format is written from the same struct gr_report, so they cannot
 * disagree: the text report for people (a table per chapter, then each test
 * that did not pass with its message and hint), JSON in the kit's own shape,
 * Gradescope's results.json (hidden tests visible only once published),
 * Autolab's feedback with its JSON score line last, JUnit XML and TAP for
 * CI systems, and a CSV row for a gradebook. The formats are one table
 * (name, file extension, writer) at the end of this file.
 *
 * JSON is written with jansson and XML with libxml2's writer, never by
 * hand. Every string that came from a test's output or a compiler is made
 * valid UTF-8 first (bad bytes and control characters become U+FFFD), so a
 * report is always readable by the platform that reads it.
 */
#include "grade.h"

#include <jansson.h>
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* --- Helpers -------------------------------------------------------------- */

static int count_status(const struct gr_report *r, bool (*pick)(int))
{
    int n = 0;
    for (int c = 0; c < r->nchs; c++) {
        for (int t = 0; t < r->chs[c].ch->ntests; t++) {
            n += pick((int)r->chs[c].res[t].status);
        }
    }
    return n;
}

static bool any(int s)
{
    (void)s;
    return true;
}

static bool failed(int s)
{
    return s == GR_FAIL;
}

static bool errored(int s)
{
    return s != GR_FAIL && s != GR_PASS;
}

/* Indent every line of 's' after the first by 'pad'. */
static void add_indented(struct gr_buf *b, const char *s, const char *pad)
{
    for (; *s; s++) {
        gr_buf_addn(b, s, 1);
        if (*s == '\n' && s[1]) {
            gr_buf_add(b, pad);
        }
    }
}

static const char *first_line(const char *s, char *buf, size_t cap)
{
    size_t n = strcspn(s, "\n");
    snprintf(buf, cap, "%.*s", (int)(n < cap ? n : cap - 1), s);
    return buf;
}

/* --- Text ----------------------------------------------------------------- */

struct colours {
    const char *good, *bad, *warn, *bold, *dim, *off;
};

static void text_table(struct gr_buf *b, const struct gr_report *r,
                       const struct colours *k)
{
    gr_buf_addf(b, "%s  %-30s %9s   %s%s\n", k->bold, "Chapter", "Points",
                "Tests passed", k->off);
    for (int c = 0; c < r->nchs; c++) {
        const struct gr_chapter_result *cr = &r->chs[c];
        char name[64], pts[32];
        snprintf(name, sizeof name, "%s %s", cr->ch->id, cr->ch->title);
        snprintf(pts, sizeof pts, "%s/%s", gr_num(cr->score), gr_num(cr->max));
        const char *col = cr->score >= cr->max ? k->good
                          : cr->built.ok       ? k->bad
                                               : k->warn;
        gr_buf_addf(b, "  %-30.30s %s%9s%s   %5d/%d%s\n", name, col, pts,
                    k->off, cr->passed, cr->ch->ntests,
                    cr->built.ok ? "" : "  does not build");
    }
    char pts[32];
    snprintf(pts, sizeof pts, "%s/%s", gr_num(r->score), gr_num(r->max));
    gr_buf_addf(b, "  %-30s %s%9s%s\n", "Total", k->bold, pts, k->off);
}

/* What the reader must know besides the scores: catch-up, and a grade
   that was not sandboxed. */
static void text_notes(struct gr_buf *b, const struct gr_report *r)
{
    if (r->unsandboxed != NULL) {
        gr_buf_addf(b,
                    "\nNot sandboxed: %s. The tests ran without namespaces "
                    "of their own (README: Grading).\n",
                    r->unsandboxed);
    }
    if (r->catch_up.n == 0) {
        return;
    }
    gr_buf_add(b, "\nCatch-up: built from the reference solutions instead "
                  "of the submission's code:");
    for (int i = 0; i < r->catch_up.n; i++) {
        gr_buf_addf(b, " chapter %s", r->catch_up.v[i]);
        gr_buf_add(b, i + 1 < r->catch_up.n ? "," : ".");
    }
    gr_buf_add(b, " Those chapters' own scores still come from the "
                  "submission.\n");
}

static void text_test(struct gr_buf *b, const struct gr_chapter_result *cr,
                      const struct gr_result *res, const struct colours *k,
                      bool *structure)
{
    const struct gr_test *t = res->test;
    const char *pad = "      ";
    gr_buf_addf(b, "  %s%s%s %s%s%s (%s/%s)%s: %s\n%s", k->bad,
                gr_status_label(res->status), k->off, k->bold, t->name, k->off,
                gr_num(res->score), gr_num(t->points),
                t->hidden ? " [hidden]" : "", t->title, pad);
    add_indented(b, res->message, pad);
    gr_buf_addf(b, "\n%s%sHint:%s %s\n", pad, k->bold, k->off, t->hint);
    if (res->log != NULL && gr_is_file(res->log)) {
        gr_buf_addf(b, "%s%sAll its output: %s%s\n", pad, k->dim, res->log,
                    k->off);
    }
    *structure |= gr_strv_has(&cr->ch->structure, t->name);
}

static void text_chapter(struct gr_buf *b, const struct gr_chapter_result *cr,
                         const struct colours *k)
{
    const struct gr_chapter *c = cr->ch;
    if (!cr->built.ok) {
        gr_buf_addf(b, "\n%s== %s %s: does not build ==%s\n  ", k->bold, c->id,
                    c->title, k->off);
        add_indented(b, cr->built.error, "  ");
        gr_buf_addf(b, "\n  (all %d tests of the chapter score 0)\n",
                    c->ntests);
        return;
    }
    bool header = false, structure = false;
    for (int t = 0; t < c->ntests; t++) {
        if (cr->res[t].status == GR_PASS) {
            continue;
        }
        if (!header) {
            gr_buf_addf(b, "\n%s== %s %s ==%s\n", k->bold, c->id, c->title,
                        k->off);
            header = true;
        }
        text_test(b, cr, &cr->res[t], k, &structure);
    }
    if (structure) {
        gr_buf_addf(b,
                    "  Draw your system beside the reference: make "
                    "picture CH=%s\n",
                    c->id);
    }
    if (cr->built.warnings && *cr->built.warnings) {
        if (!header) {
            gr_buf_addf(b, "\n%s== %s %s ==%s\n", k->bold, c->id, c->title,
                        k->off);
        }
        gr_buf_add(b, "  Compiler warnings about your files:\n    ");
        add_indented(b, cr->built.warnings, "    ");
        if (b->len && b->s[b->len - 1] != '\n') {
            gr_buf_add(b, "\n");
        }
    }
}

static void write_text(struct gr_buf *b, const struct gr_report *r, bool colour)
{
    static const struct colours plain = { "", "", "", "", "", "" };
    static const struct colours ansi = { "\033[32m", "\033[31m", "\033[33m",
                                         "\033[1m",  "\033[2m",  "\033[0m" };
    const struct colours *k = colour ? &ansi : &plain;
    char *who = gr_line_clean(r->submission);
    gr_buf_addf(b, "Grade of %s (kit %s, %s build, %.1f s)\n\n", who,
                r->kit->version, r->variant, r->seconds);
    free(who);
    text_table(b, r, k);
    text_notes(b, r);
    if (r->brief) {
        bool all = true;
        for (int c = 0; c < r->nchs; c++) {
            all &= r->chs[c].passed == r->chs[c].ch->ntests;
        }
        if (!all) {
            gr_buf_addf(b,
                        "\n%sEach test that did not pass, with its message "
                        "and hint: grader/grade [CHAPTER]%s\n",
                        k->dim, k->off);
        }
        return;
    }
    bool failures = false;
    for (int c = 0; c < r->nchs; c++) {
        text_chapter(b, &r->chs[c], k);
        failures |= r->chs[c].passed < r->chs[c].ch->ntests;
    }
    if (failures) {
        gr_buf_addf(b,
                    "\n%sRun one test alone, with all its output: "
                    "grader/grade --test NAME%s\n",
                    k->dim, k->off);
    }
}

/* --- JSON (jansson) ------------------------------------------------------ */

/* A JSON string from any bytes: made valid UTF-8 first. */
static json_t *jstr(const char *s)
{
    char *clean = gr_utf8_clean(s ? s : "", strlen(s ? s : ""));
    json_t *j = json_string(clean);
    free(clean);
    return j;
}

/* Scores as integers when they are whole ("25", not "25.0"). */
static json_t *jnum(double x)
{
    return x == (double)(long long)x ? json_integer((json_int_t)x)
                                     : json_real(x);
}

static void add_json(struct gr_buf *b, json_t *root, size_t flags)
{
    char *text = json_dumps(root, flags | JSON_PRESERVE_ORDER);
    if (text == NULL) {
        gr_die(1, "cannot write a JSON report (out of memory)");
    }
    gr_buf_add(b, text);
    gr_buf_add(b, "\n");
    free(text);
    json_decref(root);
}

/* null when sandboxed, or why the tests were not. */
static json_t *jsandbox(const struct gr_report *r)
{
    return r->unsandboxed ? jstr(r->unsandboxed) : json_null();
}

static void write_json(struct gr_buf *b, const struct gr_report *r, bool colour)
{
    (void)colour;
    json_t *chapters = json_array();
    for (int c = 0; c < r->nchs; c++) {
        const struct gr_chapter_result *cr = &r->chs[c];
        json_t *tests = json_array();
        for (int t = 0; t < cr->ch->ntests; t++) {
            const struct gr_result *res = &cr->res[t];
            json_array_append_new(
                    tests,
                    json_pack("{s:o, s:o, s:o, s:o, s:s, s:o, s:o}", "name",
                              jstr(res->test->name), "title",
                              jstr(res->test->title), "score", jnum(res->score),
                              "max_score", jnum(res->test->points), "status",
                              gr_status_name(res->status), "message",
                              jstr(res->message), "hint",
                              jstr(res->test->hint)));
        }
        json_array_append_new(
                chapters,
                json_pack("{s:o, s:o, s:o, s:o, s:s, s:o}", "id",
                          jstr(cr->ch->id), "title", jstr(cr->ch->title),
                          "score", jnum(cr->score), "max_score", jnum(cr->max),
                          "status", gr_chapter_status(cr), "tests", tests));
    }
    json_t *catch_up = json_array();
    for (int i = 0; i < r->catch_up.n; i++) {
        json_array_append_new(catch_up, jstr(r->catch_up.v[i]));
    }
    add_json(b,
             json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "score",
                       jnum(r->score), "max_score", jnum(r->max), "chapters",
                       chapters, "catch_up", catch_up, "kit_version",
                       jstr(r->kit->version), "unsandboxed", jsandbox(r)),
             JSON_INDENT(1));
}

/* --- Gradescope ----------------------------------------------------------- */

static json_t *gradescope_test(const struct gr_chapter_result *cr, int t)
{
    const struct gr_result *res = &cr->res[t];
    const struct gr_test *test = res->test;
    char *name = gr_fmt("%s %s: %s (%s)", cr->ch->id, cr->ch->title,
                        test->title, test->name);
    char *number = gr_fmt("%d.%d", cr->ch->num, t + 1);
    json_t *j =
            json_pack("{s:o, s:s, s:o, s:o, s:s, s:[o], s:s}", "name",
                      jstr(name), "number", number, "score", jnum(res->score),
                      "max_score", jnum(test->points), "status",
                      res->status == GR_PASS ? "passed" : "failed", "tags",
                      jstr(cr->ch->dir), "visibility",
                      test->hidden ? "after_published" : "visible");
    if (res->status != GR_PASS) {
        char *out = gr_fmt("%s: %s\n\nHint: %s", gr_status_label(res->status),
                           res->message, test->hint);
        json_object_set_new(j, "output", jstr(out));
        free(out);
    }
    free(name);
    free(number);
    return j;
}

static void write_gradescope(struct gr_buf *b, const struct gr_report *r,
                             bool colour)
{
    (void)colour;
    struct gr_buf summary = { 0 };
    text_table(&summary, r, &(struct colours){ "", "", "", "", "", "" });
    text_notes(&summary, r);
    for (int c = 0; c < r->nchs; c++) {
        if (!r->chs[c].built.ok) {
            gr_buf_addf(&summary, "\n%s %s does not build:\n%s\n",
                        r->chs[c].ch->id, r->chs[c].ch->title,
                        r->chs[c].built.error);
        }
    }
    json_t *tests = json_array();
    for (int c = 0; c < r->nchs; c++) {
        for (int t = 0; t < r->chs[c].ch->ntests; t++) {
            json_array_append_new(tests, gradescope_test(&r->chs[c], t));
        }
    }
    add_json(b,
             json_pack("{s:o, s:f, s:o, s:s, s:s, s:s, s:s, s:o}", "score",
                       jnum(r->score), "execution_time",
                       (double)(long long)(r->seconds * 10) / 10, "output",
                       jstr(gr_buf_str(&summary)), "output_format", "text",
                       "test_output_format", "text", "stdout_visibility",
                       "hidden", "visibility", "visible", "tests", tests),
             JSON_INDENT(1));
    gr_buf_free(&summary);
}

/* --- Autolab -------------------------------------------------------------- */

static void write_autolab(struct gr_buf *b, const struct gr_report *r,
                          bool colour)
{
    (void)colour;
    write_text(b, r, false);
    json_t *scores = json_object();
    json_t *board = json_array();
    json_array_append_new(board, jnum(r->score));
    for (int c = 0; c < r->nchs; c++) {
        json_object_set_new(scores, r->chs[c].ch->dir, jnum(r->chs[c].score));
        json_array_append_new(board, jnum(r->chs[c].score));
    }
    gr_buf_add(b, "\n");
    /* Autolab reads the last line: one line, compact. */
    add_json(b, json_pack("{s:o, s:o}", "scores", scores, "scoreboard", board),
             JSON_COMPACT);
}

/* --- JUnit XML (libxml2) -------------------------------------------------- */

/* Writes text made valid UTF-8 (XML allows no other, and no control
   characters but tab and newline). */
static void xml_text(xmlTextWriterPtr w, const char *s)
{
    char *clean = gr_utf8_clean(s ? s : "", strlen(s ? s : ""));
    xmlTextWriterWriteString(w, BAD_CAST clean);
    free(clean);
}

static void xml_attr(xmlTextWriterPtr w, const char *name, const char *value)
{
    char *clean = gr_utf8_clean(value ? value : "", strlen(value ? value : ""));
    xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST clean);
    free(clean);
}

static void xml_attrf(xmlTextWriterPtr w, const char *name, const char *fmt,
                      ...) __attribute__((format(printf, 3, 4)));
static void xml_attrf(xmlTextWriterPtr w, const char *name, const char *fmt,
                      ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[64];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    xml_attr(w, name, buf);
}

static void junit_case(xmlTextWriterPtr w, const struct gr_chapter_result *cr,
                       const struct gr_result *res)
{
    xmlTextWriterStartElement(w, BAD_CAST "testcase");
    xml_attr(w, "classname", cr->ch->dir);
    xml_attr(w, "name", res->test->name);
    xml_attrf(w, "time", "%.3f", res->seconds);
    if (res->status != GR_PASS) {
        char line[200];
        xmlTextWriterStartElement(
                w, BAD_CAST(res->status == GR_FAIL ? "failure" : "error"));
        xml_attr(w, "type", gr_status_name(res->status));
        xml_attr(w, "message", first_line(res->message, line, sizeof line));
        char *body = gr_fmt("%s\n\n%s\nHint: %s", res->test->title,
                            res->message, res->test->hint);
        xml_text(w, body);
        free(body);
        xmlTextWriterEndElement(w);
    }
    xmlTextWriterEndElement(w);
}

/* One <testsuite> per chapter, in the form of the Apache Ant JUnit schema
   (the one CI servers and course platforms read): the attributes it
   requires, then properties, the test cases, system-out and system-err. */
static void junit_suite(xmlTextWriterPtr w, const struct gr_chapter_result *cr,
                        int id, const char *stamp, const char *host)
{
    int nf = 0, ne = 0;
    double secs = 0;
    for (int t = 0; t < cr->ch->ntests; t++) {
        nf += failed((int)cr->res[t].status);
        ne += errored((int)cr->res[t].status);
        secs += cr->res[t].seconds;
    }
    xmlTextWriterStartElement(w, BAD_CAST "testsuite");
    xml_attr(w, "name", cr->ch->dir);
    xml_attr(w, "package", "lc");
    xml_attrf(w, "id", "%d", id);
    xml_attr(w, "timestamp", stamp);
    xml_attr(w, "hostname", host);
    xml_attrf(w, "tests", "%d", cr->ch->ntests);
    xml_attrf(w, "failures", "%d", nf);
    xml_attrf(w, "errors", "%d", ne);
    xml_attrf(w, "time", "%.3f", secs);
    xmlTextWriterStartElement(w, BAD_CAST "properties");
    const char *props[][2] = { { "score", gr_num(cr->score) },
                               { "max_score", gr_num(cr->max) } };
    for (int i = 0; i < 2; i++) {
        xmlTextWriterStartElement(w, BAD_CAST "property");
        xml_attr(w, "name", props[i][0]);
        xml_attr(w, "value", props[i][1]);
        xmlTextWriterEndElement(w);
    }
    xmlTextWriterEndElement(w);
    for (int t = 0; t < cr->ch->ntests; t++) {
        junit_case(w, cr, &cr->res[t]);
    }
    xmlTextWriterWriteElement(w, BAD_CAST "system-out", BAD_CAST "");
    xmlTextWriterWriteElement(w, BAD_CAST "system-err", BAD_CAST "");
    xmlTextWriterEndElement(w);
}

static void write_junit(struct gr_buf *b, const struct gr_report *r,
                        bool colour)
{
    (void)colour;
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
    if (w == NULL) {
        gr_die(1, "cannot write an XML report (out of memory)");
    }
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
    char stamp[32] = "1970-01-01T00:00:00", host[256] = "localhost";
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm) != NULL) {
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    }
    if (gethostname(host, sizeof host) != 0 || host[0] == '\0') {
        snprintf(host, sizeof host, "localhost");
    }
    host[sizeof host - 1] = '\0';
    xmlTextWriterStartElement(w, BAD_CAST "testsuites");
    for (int c = 0; c < r->nchs; c++) {
        junit_suite(w, &r->chs[c], c, stamp, host);
    }
    xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w);
    gr_buf_addn(b, (const char *)xmlBufferContent(buf),
                (size_t)xmlBufferLength(buf));
    xmlBufferFree(buf);
}

/* --- TAP ------------------------------------------------------------------ */

/* A YAML scalar: a JSON string is one (jansson quotes it). */
static void tap_str(struct gr_buf *b, const char *s)
{
    json_t *j = jstr(s);
    char *text = json_dumps(j, JSON_ENCODE_ANY);
    gr_buf_add(b, text ? text : "\"\"");
    free(text);
    json_decref(j);
}

static void write_tap(struct gr_buf *b, const struct gr_report *r, bool colour)
{
    (void)colour;
    gr_buf_addf(b, "TAP version 13\n1..%d\n", count_status(r, any));
    for (int i = 0; i < r->catch_up.n; i++) {
        gr_buf_addf(b, "# catch-up: chapter %s built from the reference\n",
                    r->catch_up.v[i]);
    }
    if (r->unsandboxed != NULL) {
        gr_buf_add(b, "# not sandboxed: ");
        tap_str(b, r->unsandboxed);
        gr_buf_add(b, "\n");
    }
    int n = 0;
    for (int c = 0; c < r->nchs; c++) {
        const struct gr_chapter_result *cr = &r->chs[c];
        for (int t = 0; t < cr->ch->ntests; t++) {
            const struct gr_result *res = &cr->res[t];
            gr_buf_addf(b, "%s %d - %s %s (%s/%s)\n",
                        res->status == GR_PASS ? "ok" : "not ok", ++n,
                        cr->ch->dir, res->test->name, gr_num(res->score),
                        gr_num(res->test->points));
            if (res->status == GR_PASS) {
                continue;
            }
            gr_buf_add(b, "  ---\n  status: ");
            tap_str(b, gr_status_name(res->status));
            gr_buf_add(b, "\n  message: ");
            tap_str(b, res->message);
            gr_buf_add(b, "\n  hint: ");
            tap_str(b, res->test->hint);
            gr_buf_add(b, "\n  ...\n");
        }
    }
    gr_buf_addf(b, "# score %s/%s\n", gr_num(r->score), gr_num(r->max));
}

/* --- CSV ------------------------------------------------------------------ */

static void csv_field(struct gr_buf *b, const char *s)
{
    char *clean = gr_utf8_clean(s, strlen(s));
    gr_csv_field(b, clean);
    free(clean);
}

const char *gr_chapter_status(const struct gr_chapter_result *cr)
{
    return cr->built.ok                          ? "graded"
           : cr->built.state == GR_BUILT_MISSING ? "missing"
                                                 : "build_failed";
}

void gr_report_status(struct gr_buf *b, const struct gr_report *r)
{
    static const char *const what[] = { "missing", "build_failed" };
    size_t start = b->len;
    for (int k = 0; k < 2; k++) {
        int n = 0;
        for (int c = 0; c < r->nchs; c++) {
            if (strcmp(gr_chapter_status(&r->chs[c]), what[k]) == 0) {
                if (n++ == 0) {
                    gr_buf_addf(b, "%s%s:", b->len > start ? "; " : "",
                                what[k]);
                }
                gr_buf_addf(b, " %s", r->chs[c].ch->id);
            }
        }
    }
    if (b->len == start) {
        gr_buf_add(b, "graded");
    }
}

void gr_csv_header(struct gr_buf *b, const struct gr_kit *kit, const bool *sel)
{
    gr_buf_add(b, "student,score,max_score");
    for (int i = 0; i < kit->nch; i++) {
        if (sel[i]) {
            gr_buf_add(b, ",");
            gr_csv_field(b, kit->ch[i].dir);
        }
    }
    gr_buf_add(b, ",catch_up,status,report\n");
}

void gr_csv_row(struct gr_buf *b, const struct gr_report *r)
{
    csv_field(b, r->submission);
    gr_buf_addf(b, ",%s,%s", gr_num(r->score), gr_num(r->max));
    for (int c = 0; c < r->nchs; c++) {
        gr_buf_addf(b, ",%s", gr_num(r->chs[c].score));
    }
    struct gr_buf cu = { 0 };
    for (int i = 0; i < r->catch_up.n; i++) {
        gr_buf_addf(&cu, "%s%s", i ? " " : "", r->catch_up.v[i]);
    }
    gr_buf_add(b, ",");
    gr_csv_field(b, gr_buf_str(&cu));
    gr_buf_add(b, ",");
    struct gr_buf st = { 0 };
    gr_report_status(&st, r);
    gr_csv_field(b, gr_buf_str(&st));
    gr_buf_add(b, "\n");
    gr_buf_free(&cu);
    gr_buf_free(&st);
}

static void write_csv(struct gr_buf *b, const struct gr_report *r, bool colour)
{
    (void)colour;
    gr_buf_add(b, "student,score,max_score");
    for (int c = 0; c < r->nchs; c++) {
        gr_buf_add(b, ",");
        gr_csv_field(b, r->chs[c].ch->dir);
    }
    gr_buf_add(b, ",catch_up,status\n");
    gr_csv_row(b, r);
}

/* --- The formats ---------------------------------------------------------- */

static const struct gr_format formats[] = {
    { "text", "txt", true, write_text },
    { "json", "json", false, write_json },
    { "gradescope", "json", false, write_gradescope },
    { "autolab", "txt", false, write_autolab },
    { "junit", "xml", false, write_junit },
    { "tap", "tap", false, write_tap },
    { "csv", "csv", false, write_csv },
};

#define NFORMATS (sizeof formats / sizeof formats[0])

const struct gr_format *gr_format_find(const char *name)
{
    for (size_t i = 0; i < NFORMATS; i++) {
        if (strcmp(name, formats[i].name) == 0) {
            return &formats[i];
        }
    }
    return NULL;
}

const char *gr_format_names(void)
{
    return "text, json, gradescope, autolab, junit, tap, csv";
}

bool gr_report_ext_known(const char *ext)
{
    for (size_t i = 0; i < NFORMATS; i++) {
        if (strcmp(ext, formats[i].ext) == 0) {
            return true;
        }
    }
    return false;
}
