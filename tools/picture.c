/*
 * picture.c - draw a student's system beside the reference, differences
 * marked.
 *
 * `make picture CH=NN` runs a chapter's example programs twice, once built
 * on the student's code and once on the reference, and each run writes its
 * figures as DOT (kernel/dot.c). This tool reads the two drawings of one
 * figure and writes a third: the student's graph above the reference, both
 * sharing the same columns (one per depth of the tree, as in the chapters'
 * figures, drawn left to right), with what is missing from the student's (in
 * the reference only) and what is extra (in the student's only) in red. It also
 * prints the differences as text.
 *
 * Processes are matched by what a reader would match them by -- their name,
 * role and detail -- never by pid alone: a student's code may spawn one
 * process more and shift every pid after it. Each node written by dot.c
 * carries lc_role, lc_name, lc_detail, lc_restarts and lc_exit attributes,
 * and each edge lc_kind and lc_label, so nothing here parses a label. Edges
 * match when their kind and both (matched) ends agree; a link has no
 * direction.
 *
 * The drawings are read with Graphviz's own graph library, cgraph, so any
 * valid DOT is understood, however it is laid out; and the text that goes
 * into the picture's HTML-like labels is escaped by the kernel's own
 * lc_dot_html(), the one dot.c uses.
 *
 * The student's drawing may be missing (the program crashed or hung before
 * drawing) or cut short; the picture then says so in a note, and still shows
 * the reference.
 *
 * Usage:
 *     picture [--title T] [--note TEXT]... [--notes FILE] -o OUT.dot
 *             REF.dot [YOURS.dot]
 * The differences are printed on stdout, one per line.
 * Exit status: 0 when the two drawings match, 1 when they differ or yours is
 * missing, 2 on a usage or reading error.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <graphviz/cgraph.h>

#include "lc/lc.h"

#define RED "#e03131"

struct attr {
    char *key;
    char *value; /* as cgraph read it: unquoted, unescaped */
    char *raw;   /* as DOT writes it: "quoted", <html> or bare */
};

struct item {
    char *id, *to; /* 'to' is NULL for a node */
    struct attr *attrs;
    size_t nattrs;
    int match; /* index of the matching item on the other side, or -1 */
    bool differs;
    char why[160];    /* for a matched node that differs: the other side */
    char report[240]; /* ... and both sides, for the text report */
};

struct graph {
    struct item *nodes, *edges;
    size_t nnodes, nedges;
    char *node_defaults, *edge_defaults; /* "node [...]" lines */
    bool found;                          /* the file exists */
    bool complete;                       /* it ends with the closing brace */
};

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("picture: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void *grow(void *p, size_t n, size_t size)
{
    p = realloc(p, (n + 1) * size);
    if (p == NULL) {
        die("out of memory");
    }
    return p;
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d == NULL) {
        die("out of memory");
    }
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* --- Reading what dot.c wrote -------------------------------------------- */

/* The value of attribute 'key'; NULL if absent. */
static const char *get(const struct item *it, const char *key)
{
    for (size_t i = 0; i < it->nattrs; i++) {
        if (strcmp(it->attrs[i].key, key) == 0) {
            return it->attrs[i].value;
        }
    }
    return NULL;
}

/* A string compare that treats NULL as "". */
static bool same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* A copy of 'value' (a string of cgraph's) as DOT writes it: quoted if
   needed, <...> if it is an HTML-like label. */
static char *canonical(char *value)
{
    const char *c = agcanonStr(value);
    return dup_n(c, strlen(c));
}

/* A node's name: dot.c writes pids as bare identifiers (p3_0). */
static char *name_of(Agnode_t *n)
{
    const char *name = agnameof(n);
    return dup_n(name, strlen(name));
}

/* The attributes of 'obj' that differ from their default, in the order the
   graph declares them. */
static void read_attrs(Agraph_t *g, int kind, void *obj, struct item *it)
{
    for (Agsym_t *sym = agnxtattr(g, kind, NULL); sym != NULL;
         sym = agnxtattr(g, kind, sym)) {
        char *v = agxget(obj, sym);
        if (strcmp(v, sym->defval) == 0) {
            continue;
        }
        it->attrs = grow(it->attrs, it->nattrs, sizeof *it->attrs);
        it->attrs[it->nattrs++] =
                (struct attr){ dup_n(sym->name, strlen(sym->name)),
                               dup_n(v, strlen(v)), canonical(v) };
    }
}

/* "node [k=v, ...]": the defaults the graph declares for 'kind'. */
static char *read_defaults(Agraph_t *g, int kind)
{
    char *line = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&line, &len);
    if (f == NULL) {
        die("out of memory");
    }
    fputs(kind == AGNODE ? "node [" : "edge [", f);
    const char *sep = "";
    for (Agsym_t *sym = agnxtattr(g, kind, NULL); sym != NULL;
         sym = agnxtattr(g, kind, sym)) {
        if (sym->defval[0] != '\0') {
            fprintf(f, "%s%s=%s", sep, sym->name, agcanonStr(sym->defval));
            sep = ", ";
        }
    }
    fputs("]", f);
    fclose(f);
    return line;
}

static int by_seq(const void *a, const void *b)
{
    IDTYPE x = AGSEQ(*(Agedge_t *const *)a);
    IDTYPE y = AGSEQ(*(Agedge_t *const *)b);
    return (x > y) - (x < y);
}

/* Take the processes and edges of a parsed drawing, in the order they were
   written. The legend is not a process. */
static void take_graph(struct graph *g, Agraph_t *dg)
{
    g->node_defaults = read_defaults(dg, AGNODE);
    g->edge_defaults = read_defaults(dg, AGEDGE);
    Agedge_t **edges = NULL;
    size_t nedges = 0;
    for (Agnode_t *n = agfstnode(dg); n != NULL; n = agnxtnode(dg, n)) {
        if (strcmp(agnameof(n), "legend") != 0) {
            struct item it = { .id = name_of(n), .match = -1 };
            read_attrs(dg, AGNODE, n, &it);
            g->nodes = grow(g->nodes, g->nnodes, sizeof it);
            g->nodes[g->nnodes++] = it;
        }
        for (Agedge_t *e = agfstout(dg, n); e != NULL; e = agnxtout(dg, e)) {
            edges = grow(edges, nedges, sizeof *edges);
            edges[nedges++] = e;
        }
    }
    if (nedges > 0) {
        qsort(edges, nedges, sizeof *edges, by_seq);
    }
    for (size_t i = 0; i < nedges; i++) {
        struct item it = { .id = name_of(agtail(edges[i])),
                           .to = name_of(aghead(edges[i])),
                           .match = -1 };
        read_attrs(dg, AGEDGE, edges[i], &it);
        g->edges = grow(g->edges, g->nedges, sizeof it);
        g->edges[g->nedges++] = it;
    }
    free(edges);
}

/* cgraph's error messages: a drawing cut short is expected here. */
static int quiet(char *message)
{
    (void)message;
    return 0;
}

static Agraph_t *parse(const char *text)
{
    agseterrf(quiet);
    agreadline(1);
    return agmemread(text);
}

/*
 * Read the drawing in 'path'. A program that crashed while it drew leaves
 * the file cut short: then the text is cut back to its last whole statement
 * (each of dot.c's ends with ";\n"), closed with '}', and read as far as it
 * got; 'complete' says which happened.
 */
static void read_graph(struct graph *g, const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return;
    }
    g->found = true;
    char *text = NULL;
    size_t cap = 0;
    ssize_t len = getdelim(&text, &cap, '\0', f);
    fclose(f);
    Agraph_t *dg = len > 0 ? parse(text) : NULL;
    g->complete = dg != NULL;
    size_t end = len > 0 ? (size_t)len : 0;
    while (dg == NULL && end > 0) {
        char *last = NULL;
        for (char *p = text;
             (p = strstr(p, ";\n")) != NULL && (size_t)(p - text) + 2 <= end;
             p++) {
            last = p;
        }
        if (last == NULL) {
            break;
        }
        end = (size_t)(last - text);
        char *closed = malloc(end + 5);
        if (closed == NULL) {
            die("out of memory");
        }
        memcpy(closed, text, end + 2);
        strcpy(closed + end + 2, "}\n");
        dg = parse(closed);
        free(closed);
    }
    free(text);
    if (dg != NULL) {
        take_graph(g, dg);
        agclose(dg);
    }
}

/* --- Matching ----------------------------------------------------------- */

static int node_index(const struct graph *g, const char *id)
{
    for (size_t i = 0; i < g->nnodes; i++) {
        if (strcmp(g->nodes[i].id, id) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* How strongly two nodes are the same process: 4 the same name, role and
 * detail; 3 the same name; 2 no names, the same role, detail and pid; 1 no
 * names, the same role and detail; 0 not the same. A process that has
 * exited (a ghost) keeps only its name: it matches by name, or, with no
 * name, another ghost. */
static int likeness(const struct item *a, const struct item *b)
{
    char an[256], ar[32], ad[256];
    snprintf(an, sizeof an, "%s", get(a, "lc_name") ? get(a, "lc_name") : "");
    snprintf(ar, sizeof ar, "%s", get(a, "lc_role") ? get(a, "lc_role") : "");
    snprintf(ad, sizeof ad, "%s",
             get(a, "lc_detail") ? get(a, "lc_detail") : "");
    bool ghost = same(ar, "exited") || same(get(b, "lc_role"), "exited");
    bool same_pid = strcmp(a->id, b->id) == 0;
    if (an[0] != '\0') {
        if (!same(an, get(b, "lc_name"))) {
            return 0;
        }
        return ghost || (same(ar, get(b, "lc_role")) &&
                         same(ad, get(b, "lc_detail")))
                       ? 4
                       : 3;
    }
    if (get(b, "lc_name") != NULL || !same(ar, get(b, "lc_role")) ||
        (!ghost && !same(ad, get(b, "lc_detail")))) {
        return 0;
    }
    return same_pid ? 2 : 1;
}

/* Pair the nodes, strongest likeness first, each side in drawing order. */
static void match_nodes(struct graph *ref, struct graph *you)
{
    for (int level = 4; level >= 1; level--) {
        for (size_t i = 0; i < ref->nnodes; i++) {
            for (size_t j = 0; j < you->nnodes && ref->nodes[i].match < 0;
                 j++) {
                if (you->nodes[j].match < 0 &&
                    likeness(&ref->nodes[i], &you->nodes[j]) == level) {
                    ref->nodes[i].match = (int)j;
                    you->nodes[j].match = (int)i;
                }
            }
        }
    }
}

/* The aspects in which two matched processes can differ, in the order they
 * are checked: only the first one that differs is reported. */
enum aspect {
    A_NONE,
    A_ALIVE,
    A_EXIT,
    A_ROLE,
    A_DETAIL,
    A_RESTARTS
};

static enum aspect differing(const struct item *r, const struct item *y)
{
    char role[32], rs[16];
    snprintf(role, sizeof role, "%s", get(r, "lc_role"));
    bool dead = same(role, "exited");
    if (dead != same(get(y, "lc_role"), "exited")) {
        return A_ALIVE;
    }
    char exit[64];
    snprintf(exit, sizeof exit, "%s",
             get(r, "lc_exit") ? get(r, "lc_exit") : "");
    if (dead) {
        return same(exit, get(y, "lc_exit")) ? A_NONE : A_EXIT;
    }
    if (!same(role, get(y, "lc_role"))) {
        return A_ROLE;
    }
    char detail[200];
    snprintf(detail, sizeof detail, "%s",
             get(r, "lc_detail") ? get(r, "lc_detail") : "");
    if (!same(detail, get(y, "lc_detail"))) {
        return A_DETAIL;
    }
    snprintf(rs, sizeof rs, "%s",
             get(r, "lc_restarts") ? get(r, "lc_restarts") : "0");
    const char *ys = get(y, "lc_restarts");
    return same(rs, ys ? ys : "0") ? A_NONE : A_RESTARTS;
}

/* How one side stands in aspect 'a': "alive", "exited (killed)", ... */
static void describe_aspect(char *buf, size_t n, const struct item *it,
                            enum aspect a)
{
    const char *v;
    switch (a) {
        case A_ALIVE:
        case A_EXIT:
            v = get(it, "lc_exit");
            if (same(get(it, "lc_role"), "exited")) {
                snprintf(buf, n, "exited (%s)", v ? v : "?");
            } else {
                snprintf(buf, n, "alive");
            }
            return;
        case A_ROLE:
            snprintf(buf, n, "a %s", get(it, "lc_role"));
            return;
        case A_DETAIL:
            v = get(it, "lc_detail");
            snprintf(buf, n, "%s", v ? v : "no detail");
            return;
        case A_RESTARTS:
            v = get(it, "lc_restarts");
            snprintf(buf, n, "restarted %sx", v ? v : "0");
            return;
        case A_NONE:
            break;
    }
    buf[0] = '\0';
}

/* For a matched pair that differs, each side's note says how the other side
 * stands: "yours: alive" on the reference's box, "reference: exited
 * (killed)" on yours. */
static void compare_pair(struct item *r, struct item *y)
{
    enum aspect a = differing(r, y);
    if (a == A_NONE) {
        return;
    }
    char rd[100], yd[100];
    describe_aspect(rd, sizeof rd, r, a);
    describe_aspect(yd, sizeof yd, y, a);
    snprintf(r->why, sizeof r->why, "yours: %s", yd);
    snprintf(y->why, sizeof y->why, "reference: %s", rd);
    snprintf(r->report, sizeof r->report, "reference %s, yours %s", rd, yd);
    r->differs = y->differs = true;
}

static bool edge_same(const struct graph *ref, const struct item *re,
                      const struct graph *you, const struct item *ye)
{
    if (!same(get(re, "lc_kind"), get(ye, "lc_kind"))) {
        return false;
    }
    char kind[32];
    snprintf(kind, sizeof kind, "%s", get(re, "lc_kind"));
    if (same(kind, "registered")) {
        char label[256];
        snprintf(label, sizeof label, "%s",
                 get(re, "lc_label") ? get(re, "lc_label") : "");
        if (!same(label, get(ye, "lc_label"))) {
            return false;
        }
    }
    int rf = node_index(ref, re->id), rt = node_index(ref, re->to);
    int yf = node_index(you, ye->id), yt = node_index(you, ye->to);
    if (rf < 0 || rt < 0 || yf < 0 || yt < 0) {
        return false;
    }
    int mf = you->nodes[yf].match, mt = you->nodes[yt].match;
    return (mf == rf && mt == rt) ||
           (same(kind, "link") && mf == rt && mt == rf);
}

static void match_edges(struct graph *ref, struct graph *you)
{
    for (size_t i = 0; i < ref->nedges; i++) {
        for (size_t j = 0; j < you->nedges && ref->edges[i].match < 0; j++) {
            if (you->edges[j].match < 0 &&
                edge_same(ref, &ref->edges[i], you, &you->edges[j])) {
                ref->edges[i].match = (int)j;
                you->edges[j].match = (int)i;
            }
        }
    }
}

/* --- Writing the picture ------------------------------------------------ */

/* Write an item's attributes, with 'mark' (red words) added to its label
 * and red attributes added after the others (the last value wins). */
static void put_item(FILE *out, const char *prefix, const struct item *it,
                     const char *mark)
{
    fprintf(out, "    %s%s", prefix, it->id);
    if (it->to != NULL) {
        fprintf(out, " -> %s%s", prefix, it->to);
    }
    fputs(" [", out);
    const char *sep = "";
    for (size_t i = 0; i < it->nattrs; i++) {
        const struct attr *a = &it->attrs[i];
        if (strncmp(a->key, "lc_", 3) == 0) {
            continue; /* only for matching */
        }
        /* an edge label inside a cluster on an edge that does not
         * decide the layout crashes Graphviz 2.43 ("trouble in
         * init_rank"): an external label (xlabel) does not */
        bool edge_label = it->to != NULL && strcmp(a->key, "label") == 0;
        fprintf(out, "%s%s=", sep, edge_label ? "xlabel" : a->key);
        sep = ", ";
        size_t n = strlen(a->raw);
        if (mark != NULL && strcmp(a->key, "label") == 0 && a->raw[0] == '<') {
            /* an HTML-like label: add a red line before its closing '>' */
            fprintf(out,
                    "%.*s<BR/><FONT COLOR=\"" RED "\" POINT-SIZE=\"9\"><B>",
                    (int)(n - 1), a->raw);
            lc_dot_html(out, mark);
            fputs("</B></FONT>>", out);
        } else {
            fputs(a->raw, out);
        }
    }
    if (mark != NULL) {
        /* a red edge says enough: its words would crowd the boxes */
        fprintf(out, "%scolor=\"" RED "\", penwidth=3", sep);
    }
    fputs("];\n", out);
}

/* What a reader calls a node in the text report: name or pid, and role. */
static void describe(char *buf, size_t n, const struct graph *g, int i)
{
    if (i < 0) {
        snprintf(buf, n, "?");
        return;
    }
    const struct item *it = &g->nodes[i];
    const char *name = get(it, "lc_name");
    char nm[200];
    snprintf(nm, sizeof nm, "%s", name ? name : "");
    const char *p = it->id + 1; /* pN_G -> <0.N.G> */
    unsigned slot = 0, gen = 0;
    sscanf(p, "%u_%u", &slot, &gen);
    if (nm[0] != '\0') {
        snprintf(buf, n, "%s <0.%u.%u>", nm, slot, gen);
    } else {
        snprintf(buf, n, "%s <0.%u.%u>", get(it, "lc_role"), slot, gen);
    }
}

struct counts {
    unsigned missing, extra, differ;
};

/* The red words an item carries, or NULL: what it lacks on the other side,
 * or how the other side differs. */
static const char *mark_of(const struct item *it, const char *what)
{
    if (what == NULL) {
        return NULL;
    }
    return it->match < 0 ? what : it->differs ? it->why : NULL;
}

/* Print the differences one side holds and count them. */
static void report_side(const struct graph *g, struct counts *c, bool reference)
{
    const char *word = reference ? "missing:" : "extra:  ";
    char a[256], b[256];
    for (size_t i = 0; i < g->nnodes; i++) {
        const struct item *it = &g->nodes[i];
        describe(a, sizeof a, g, (int)i);
        if (it->match < 0) {
            printf("  %s process %s\n", word, a);
            *(reference ? &c->missing : &c->extra) += 1;
        } else if (it->differs && reference) {
            printf("  differs: process %s: %s\n", a, it->report);
            c->differ++;
        }
    }
    for (size_t i = 0; i < g->nedges; i++) {
        const struct item *it = &g->edges[i];
        if (it->match < 0) {
            describe(a, sizeof a, g, node_index(g, it->id));
            describe(b, sizeof b, g, node_index(g, it->to));
            const char *k = get(it, "lc_kind");
            printf("  %s %s %s %s %s\n", word, k, a,
                   same(k, "link") ? "--" : "->", b);
            *(reference ? &c->missing : &c->extra) += 1;
        }
    }
}

/* One side of the picture, inside its cluster. Graphviz 2.43 stacks a
 * cluster's boxes bottom-up under rankdir=LR (outside clusters they go
 * top-down), so the items are written in reverse to keep each supervisor's
 * children top-down in start order, as in the chapter's figure. */
static void put_side(FILE *out, const struct graph *g, const char *prefix,
                     const char *what)
{
    for (size_t i = g->nnodes; i-- > 0;) {
        put_item(out, prefix, &g->nodes[i], mark_of(&g->nodes[i], what));
    }
    for (size_t i = g->nedges; i-- > 0;) {
        put_item(out, prefix, &g->edges[i], mark_of(&g->edges[i], what));
    }
}

/* The notes about your run (it crashed, it is unfinished...) go under the
 * title, where their width moves no box. */
static void put_notes(FILE *out, char **notes, size_t nnotes)
{
    for (size_t i = 0; i < nnotes; i++) {
        fputs("<BR/><FONT COLOR=\"#a34700\" POINT-SIZE=\"10\">", out);
        lc_dot_html(out, notes[i]);
        fputs("</FONT>", out);
    }
}

static void cluster(FILE *out, const char *name, const char *title,
                    const char *colour)
{
    fprintf(out,
            "  subgraph cluster_%s {\n"
            "    label=<<B>%s</B>>; labeljust=l; fontsize=12; "
            "style=\"rounded\"; color=\"%s\"; margin=10;\n",
            name, title, colour);
}

/* The whole picture: a title with the counts, yours, then the reference. */
static struct counts put_picture(FILE *out, const char *title,
                                 const struct graph *ref,
                                 const struct graph *you, char **notes,
                                 size_t nnotes)
{
    struct counts c = { 0 };
    fputs("digraph picture {\n"
          "  graph [rankdir=LR, nodesep=0.25, ranksep=0.45, splines=true, "
          "ordering=out, fontname=Helvetica, fontsize=11, labelloc=t];\n",
          out);
    fprintf(out, "  %s\n  %s\n",
            ref->node_defaults ? ref->node_defaults : "node [shape=box]",
            ref->edge_defaults ? ref->edge_defaults : "edge [arrowhead=none]");
    if (you->found) {
        report_side(ref, &c, true);
        report_side(you, &c, false);
    }
    /* Graphviz stacks clusters bottom-up: the reference first puts yours
     * above it. Both share the columns (one per depth), so a box sits right
     * above the one it should match. */
    cluster(out, "ref", "The reference", "#3b5b8c");
    /* with no drawing of yours, everything would be red: mark nothing */
    put_side(out, ref, "r_", you->found ? "missing from yours" : NULL);
    fputs("  }\n", out);
    cluster(out, "you", "Yours", "#868e96");
    if (you->nnodes == 0) {
        /* an empty cluster is not drawn at all: say it is empty */
        fputs("    y_none [shape=plaintext, style=\"\", "
              "label=\"(nothing)\"];\n",
              out);
    }
    put_side(out, you, "y_", "extra: not in the reference");
    fputs("  }\n", out);
    fputs("  graph [label=<", out);
    if (title[0] != '\0') {
        fputs("<B>", out);
        lc_dot_html(out, title);
        fputs("</B><BR/>", out);
    }
    if (!you->found) {
        fputs("<FONT COLOR=\"" RED "\">Yours drew nothing: the reference "
              "alone is shown.</FONT>",
              out);
    } else if (c.missing + c.extra + c.differ == 0 && you->complete) {
        fputs("Yours draws the same system as the reference.", out);
    } else {
        fprintf(out,
                "<FONT COLOR=\"" RED "\">In red: %u missing from yours, %u "
                "extra in yours, %u that differ.</FONT>",
                c.missing, c.extra, c.differ);
    }
    put_notes(out, notes, nnotes);
    fputs(">];\n}\n", out);
    return c;
}

struct notes {
    char **line;
    size_t n;
};

static void add_note(struct notes *ns, const char *text)
{
    ns->line = grow(ns->line, ns->n, sizeof *ns->line);
    ns->line[ns->n++] = dup_n(text, strlen(text));
}

/* Add each non-empty line of file 'path' (if it exists) as a note. */
static void read_notes(const char *path, struct notes *ns)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while (f != NULL && (len = getline(&line, &cap, f)) > 0) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] != '\0') {
            add_note(ns, line);
        }
    }
    free(line);
    if (f != NULL) {
        fclose(f);
    }
}

int main(int argc, char **argv)
{
    const char *title = "", *outpath = NULL;
    struct notes ns = { 0 };
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "--title") == 0) {
            title = argv[i + 1];
        } else if (strcmp(argv[i], "--note") == 0) {
            add_note(&ns, argv[i + 1]);
        } else if (strcmp(argv[i], "--notes") == 0) {
            read_notes(argv[i + 1], &ns);
        } else if (strcmp(argv[i], "-o") == 0) {
            outpath = argv[i + 1];
        } else {
            die("unknown option %s", argv[i]);
        }
    }
    if (outpath == NULL || i >= argc || argc - i > 2) {
        die("usage: picture [--title T] [--note TEXT]... [--notes FILE] "
            "-o OUT.dot REF.dot [YOURS.dot]");
    }
    struct graph ref = { 0 }, you = { 0 };
    read_graph(&ref, argv[i]);
    if (!ref.found || !ref.complete) {
        die("cannot read the reference's drawing %s", argv[i]);
    }
    if (i + 1 < argc) {
        read_graph(&you, argv[i + 1]);
    }
    if (you.found && !you.complete) {
        add_note(&ns, "Your program stopped while it was drawing this "
                      "figure: here is what it had written.");
    } else if (you.found && you.nnodes == 0) {
        add_note(&ns, "Your drawing is empty: no process has an edge of the "
                      "kinds this figure shows. Does your code record them "
                      "with lc_edge_add()?");
    }
    match_nodes(&ref, &you);
    for (size_t n = 0; n < ref.nnodes; n++) {
        if (ref.nodes[n].match >= 0) {
            compare_pair(&ref.nodes[n], &you.nodes[ref.nodes[n].match]);
        }
    }
    match_edges(&ref, &you);
    FILE *out = fopen(outpath, "w");
    if (out == NULL) {
        die("cannot write %s", outpath);
    }
    struct counts c = put_picture(out, title, &ref, &you, ns.line, ns.n);
    if (fclose(out) != 0) {
        die("cannot write %s", outpath);
    }
    bool differ =
            c.missing + c.extra + c.differ > 0 || !you.found || !you.complete;
    return differ ? 1 : 0;
}
