/*
 * report.c - one grade, seven ways to write it down.
 *
 * Every format is written from the same struct gr_report, so they cannot
 * disagree: the text report for people (a table per chapter, then each test
 * that did not pass with its message and hint), JSON in the kit's own shape,
 * Gradescope's results.json (hidden tests visible only once published),
 * Autolab's feedback with its JSON score line last, JUnit XML and TAP for
 * CI systems, and a CSV row for a gradebook.
 */
#include "grade.h"

#include <stdlib.h>
#include <string.h>

/* --- Helpers -------------------------------------------------------------- */

int gr_format_parse(const char *s, enum gr_format *f)
{
    static const char *const names[] = { "text",    "json",  "gradescope",
                                         "autolab", "junit", "tap",
                                         "csv" };
    for (int i = 0; i < 7; i++) {
        if (strcmp(s, names[i]) == 0) {
            *f = (enum gr_format)i;
            return 0;
        }
    }
    return -1;
}

const char *gr_format_ext(enum gr_format f)
{
    static const char *const ext[] = { "txt", "json", "json", "txt",
                                       "xml", "tap",  "csv" };
    return ext[f];
}

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

static void text_catch_up(struct gr_buf *b, const struct gr_report *r)
{
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
    gr_buf_addf(b, "Grade of %s (kit %s, %s build, %.1f s)\n\n", r->submission,
                r->kit->version, r->variant, r->seconds);
    text_table(b, r, k);
    text_catch_up(b, r);
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

/* --- JSON ----------------------------------------------------------------- */

static void write_json(struct gr_buf *b, const struct gr_report *r)
{
    gr_buf_addf(b, "{\"score\": %s, \"max_score\": %s, \"chapters\": [",
                gr_num(r->score), gr_num(r->max));
    for (int c = 0; c < r->nchs; c++) {
        const struct gr_chapter_result *cr = &r->chs[c];
        gr_buf_add(b, c ? ",\n  {\"id\": " : "\n  {\"id\": ");
        gr_json_str(b, cr->ch->id);
        gr_buf_add(b, ", \"title\": ");
        gr_json_str(b, cr->ch->title);
        gr_buf_addf(b, ", \"score\": %s, \"max_score\": %s, \"tests\": [",
                    gr_num(cr->score), gr_num(cr->max));
        for (int t = 0; t < cr->ch->ntests; t++) {
            const struct gr_result *res = &cr->res[t];
            gr_buf_add(b, t ? ",\n    {\"name\": " : "\n    {\"name\": ");
            gr_json_str(b, res->test->name);
            gr_buf_add(b, ", \"title\": ");
            gr_json_str(b, res->test->title);
            gr_buf_addf(b, ", \"score\": %s, \"max_score\": %s, \"status\": ",
                        gr_num(res->score), gr_num(res->test->points));
            gr_json_str(b, gr_status_name(res->status));
            gr_buf_add(b, ", \"message\": ");
            gr_json_str(b, res->message);
            gr_buf_add(b, ", \"hint\": ");
            gr_json_str(b, res->test->hint);
            gr_buf_add(b, "}");
        }
        gr_buf_add(b, "]}");
    }
    gr_buf_add(b, "],\n \"catch_up\": [");
    for (int i = 0; i < r->catch_up.n; i++) {
        gr_buf_add(b, i ? ", " : "");
        gr_json_str(b, r->catch_up.v[i]);
    }
    gr_buf_add(b, "], \"kit_version\": ");
    gr_json_str(b, r->kit->version);
    gr_buf_add(b, "}\n");
}

/* --- Gradescope ----------------------------------------------------------- */

static void gradescope_test(struct gr_buf *b,
                            const struct gr_chapter_result *cr, int t)
{
    const struct gr_result *res = &cr->res[t];
    const struct gr_test *test = res->test;
    char *name = gr_fmt("%s %s: %s (%s)", cr->ch->id, cr->ch->title,
                        test->title, test->name);
    char *number = gr_fmt("%d.%d", cr->ch->num, t + 1);
    gr_buf_add(b, "\n  {\"name\": ");
    gr_json_str(b, name);
    gr_buf_add(b, ", \"number\": ");
    gr_json_str(b, number);
    gr_buf_addf(b, ", \"score\": %s, \"max_score\": %s, \"status\": \"%s\"",
                gr_num(res->score), gr_num(test->points),
                res->status == GR_PASS ? "passed" : "failed");
    if (res->status != GR_PASS) {
        char *out = gr_fmt("%s: %s\n\nHint: %s", gr_status_label(res->status),
                           res->message, test->hint);
        gr_buf_add(b, ", \"output\": ");
        gr_json_str(b, out);
        free(out);
    }
    gr_buf_add(b, ", \"tags\": [");
    gr_json_str(b, cr->ch->dir);
    gr_buf_addf(b, "], \"visibility\": \"%s\"}",
                test->hidden ? "after_published" : "visible");
    free(name);
    free(number);
}

static void write_gradescope(struct gr_buf *b, const struct gr_report *r)
{
    struct gr_buf summary = { 0 };
    text_table(&summary, r, &(struct colours){ "", "", "", "", "", "" });
    text_catch_up(&summary, r);
    for (int c = 0; c < r->nchs; c++) {
        if (!r->chs[c].built.ok) {
            gr_buf_addf(&summary, "\n%s %s does not build:\n%s\n",
                        r->chs[c].ch->id, r->chs[c].ch->title,
                        r->chs[c].built.error);
        }
    }
    gr_buf_addf(b, "{\"score\": %s, \"execution_time\": %.1f, \"output\": ",
                gr_num(r->score), r->seconds);
    gr_json_str(b, gr_buf_str(&summary));
    gr_buf_add(b, ", \"output_format\": \"text\", \"test_output_format\": "
                  "\"text\", \"stdout_visibility\": \"hidden\", "
                  "\"visibility\": \"visible\", \"tests\": [");
    bool first = true;
    for (int c = 0; c < r->nchs; c++) {
        for (int t = 0; t < r->chs[c].ch->ntests; t++) {
            gr_buf_add(b, first ? "" : ",");
            first = false;
            gradescope_test(b, &r->chs[c], t);
        }
    }
    gr_buf_add(b, "]}\n");
    gr_buf_free(&summary);
}

/* --- Autolab -------------------------------------------------------------- */

static void write_autolab(struct gr_buf *b, const struct gr_report *r)
{
    write_text(b, r, false);
    gr_buf_add(b, "\n{\"scores\": {");
    for (int c = 0; c < r->nchs; c++) {
        gr_buf_add(b, c ? ", " : "");
        gr_json_str(b, r->chs[c].ch->dir);
        gr_buf_addf(b, ": %s", gr_num(r->chs[c].score));
    }
    gr_buf_addf(b, "}, \"scoreboard\": [%s", gr_num(r->score));
    for (int c = 0; c < r->nchs; c++) {
        gr_buf_addf(b, ", %s", gr_num(r->chs[c].score));
    }
    gr_buf_add(b, "]}\n");
}

/* --- JUnit XML ------------------------------------------------------------ */

static void junit_case(struct gr_buf *b, const struct gr_chapter_result *cr,
                       const struct gr_result *res)
{
    gr_buf_add(b, "    <testcase classname=\"");
    gr_xml_esc(b, cr->ch->dir);
    gr_buf_add(b, "\" name=\"");
    gr_xml_esc(b, res->test->name);
    gr_buf_addf(b, "\" time=\"%.3f\"", res->seconds);
    if (res->status == GR_PASS) {
        gr_buf_add(b, "/>\n");
        return;
    }
    const char *tag = res->status == GR_FAIL ? "failure" : "error";
    char line[200];
    gr_buf_addf(b, ">\n      <%s type=\"%s\" message=\"", tag,
                gr_status_name(res->status));
    gr_xml_esc(b, first_line(res->message, line, sizeof line));
    gr_buf_add(b, "\">");
    char *body = gr_fmt("%s\n\n%s\nHint: %s", res->test->title, res->message,
                        res->test->hint);
    gr_xml_esc(b, body);
    free(body);
    gr_buf_addf(b, "</%s>\n    </testcase>\n", tag);
}

static void write_junit(struct gr_buf *b, const struct gr_report *r)
{
    gr_buf_addf(b,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<testsuites name=\"grade\" tests=\"%d\" failures=\"%d\" "
                "errors=\"%d\" time=\"%.3f\">\n",
                count_status(r, any), count_status(r, failed),
                count_status(r, errored), r->seconds);
    for (int c = 0; c < r->nchs; c++) {
        const struct gr_chapter_result *cr = &r->chs[c];
        int nf = 0, ne = 0;
        double secs = 0;
        for (int t = 0; t < cr->ch->ntests; t++) {
            nf += failed((int)cr->res[t].status);
            ne += errored((int)cr->res[t].status);
            secs += cr->res[t].seconds;
        }
        gr_buf_add(b, "  <testsuite name=\"");
        gr_xml_esc(b, cr->ch->dir);
        gr_buf_addf(b,
                    "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
                    "time=\"%.3f\">\n",
                    cr->ch->ntests, nf, ne, secs);
        gr_buf_addf(b,
                    "    <properties>\n      <property name=\"score\" "
                    "value=\"%s\"/>\n      <property name=\"max_score\" "
                    "value=\"%s\"/>\n    </properties>\n",
                    gr_num(cr->score), gr_num(cr->max));
        for (int t = 0; t < cr->ch->ntests; t++) {
            junit_case(b, cr, &cr->res[t]);
        }
        gr_buf_add(b, "  </testsuite>\n");
    }
    gr_buf_add(b, "</testsuites>\n");
}

/* --- TAP ------------------------------------------------------------------ */

static void write_tap(struct gr_buf *b, const struct gr_report *r)
{
    gr_buf_addf(b, "TAP version 13\n1..%d\n", count_status(r, any));
    for (int i = 0; i < r->catch_up.n; i++) {
        gr_buf_addf(b, "# catch-up: chapter %s built from the reference\n",
                    r->catch_up.v[i]);
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
            gr_json_str(b, gr_status_name(res->status));
            gr_buf_add(b, "\n  message: ");
            gr_json_str(b, res->message);
            gr_buf_add(b, "\n  hint: ");
            gr_json_str(b, res->test->hint);
            gr_buf_add(b, "\n  ...\n");
        }
    }
    gr_buf_addf(b, "# score %s/%s\n", gr_num(r->score), gr_num(r->max));
}

/* --- CSV ------------------------------------------------------------------ */

void gr_csv_header(struct gr_buf *b, const struct gr_kit *kit, const bool *sel)
{
    gr_buf_add(b, "student,score,max_score");
    for (int i = 0; i < kit->nch; i++) {
        if (sel[i]) {
            gr_buf_add(b, ",");
            gr_csv_field(b, kit->ch[i].dir);
        }
    }
    gr_buf_add(b, ",catch_up\n");
}

void gr_csv_row(struct gr_buf *b, const struct gr_report *r, const bool *sel)
{
    (void)sel;
    gr_csv_field(b, r->submission);
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
    gr_buf_add(b, "\n");
    gr_buf_free(&cu);
}

/* --- Dispatch ------------------------------------------------------------- */

void gr_report_write(struct gr_buf *b, const struct gr_report *r,
                     enum gr_format f, bool colour)
{
    switch (f) {
        case GR_TEXT:
            write_text(b, r, colour);
            break;
        case GR_JSON:
            write_json(b, r);
            break;
        case GR_GRADESCOPE:
            write_gradescope(b, r);
            break;
        case GR_AUTOLAB:
            write_autolab(b, r);
            break;
        case GR_JUNIT:
            write_junit(b, r);
            break;
        case GR_TAP:
            write_tap(b, r);
            break;
        case GR_CSV: {
            bool all[128];
            memset(all, 1, sizeof all);
            gr_buf_add(b, "student,score,max_score");
            for (int c = 0; c < r->nchs; c++) {
                gr_buf_add(b, ",");
                gr_csv_field(b, r->chs[c].ch->dir);
            }
            gr_buf_add(b, ",catch_up\n");
            gr_csv_row(b, r, all);
            break;
        }
    }
}
