/*
 * dot.c - the live system as a Graphviz graph.
 *
 * Every figure of the course is drawn by this function from a running
 * system, never by hand, so a figure cannot disagree with the code. It uses
 * only the public introspection API (info.h): a student can write the same
 * thing. The output depends only on the run -- processes in slot order,
 * edges in the order they were made, no addresses, no time of day -- so the
 * same run gives the same bytes, and figures can be committed and compared.
 *
 * The picture language (every element is shown in
 * diagrams/00-processes-figures.svg, drawn by examples/00-processes/figures.c):
 *
 *   supervisor   blue square box with a double border; its detail line
 *                says strategy and intensity ("one_for_one 3/5s")
 *   application  violet square box with a double border
 *   registry     green rounded box
 *   worker       grey rounded box; a name in bold, then pid and detail
 *   restarted    amber box, "restarted 2x" (its supervisor sets the count)
 *   exited       dashed grey box, "exited: <reason>": a process that ended
 *                but that a kept edge (LC_EDGE_KEEP) still points to, such
 *                as a temporary child of a supervisor
 *   supervises   grey line, parent on the left, children in start order
 *   link         thick blue line with no arrow: a link has no direction
 *   monitor      orange dashed arrow from the watcher to the watched
 *   registered   green dotted arrow from a registry to a process, key as
 *                the edge's label
 *
 * With opts->legend, a small table beside the graph shows the elements that
 * this figure uses, and only those.
 *
 * Labels are Graphviz "HTML-like" labels, so a name can be bold and the
 * details small; '&', '<', '>' and '"' are escaped (a pid such as <0.3.0>
 * always needs it). Each node and edge also carries lc_* attributes (role,
 * name, detail, restarts, exit, kind). Graphviz ignores them; they let a tool
 * compare two drawings of the same program without parsing the labels:
 * `make picture` matches a student's system to the reference that way.
 */
#include "kernel.h"

#include <stdlib.h>
#include <string.h>

/* The elements a figure can show, for the legend: only the ones used. */
enum {
    U_SUPERVISOR = 1u << 0,
    U_APPLICATION = 1u << 1,
    U_REGISTRY = 1u << 2,
    U_WORKER = 1u << 3,
    U_RESTARTED = 1u << 4,
    U_EXITED = 1u << 5,
    U_SUPERVISES = 1u << 6,
    U_LINK = 1u << 7,
    U_MONITOR = 1u << 8,
    U_REGISTERED = 1u << 9
};

struct graph {
    struct lc_edge *edges; /* copies of the edges drawn */
    size_t nedges, cap;
    const struct lc_dot_opts *o;
    bool oom;
    bool tree;     /* supervision edges present: they decide the layout */
    unsigned used; /* U_* bits of what was drawn */
};

/* Colours: fill, border. Kept in one place so the legend cannot differ. */
#define C_SUP_FILL  "#dbe4f0"
#define C_SUP_LINE  "#3b5b8c"
#define C_APP_FILL  "#e5dbff"
#define C_APP_LINE  "#5f3dc4"
#define C_REG_FILL  "#e6f4ea"
#define C_REG_LINE  "#2b8a3e"
#define C_WRK_FILL  "#f1f3f5"
#define C_WRK_LINE  "#495057"
#define C_RST_FILL  "#ffe8a3"
#define C_RST_LINE  "#d9480f"
#define C_DEAD_LINE "#868e96"
#define C_LINK      "#1c7ed6"
#define C_MONITOR   "#e8590c"

#define A_SUPERVISES "color=\"" C_WRK_LINE "\""
#define A_LINK       "dir=none, color=\"" C_LINK "\", penwidth=2"
#define A_MONITOR    "style=dashed, arrowhead=vee, color=\"" C_MONITOR "\""
#define A_REGISTERED \
    "style=dotted, arrowhead=vee, color=\"" C_REG_LINE "\", penwidth=1.5"
#define A_EXITED                                     \
    "style=\"rounded,dashed\", color=\"" C_DEAD_LINE \
    "\", fontcolor=\"" C_DEAD_LINE "\", fillcolor=\"#ffffff\""
#define A_SQUARE_SUP                                       \
    "style=filled, peripheries=2, fillcolor=\"" C_SUP_FILL \
    "\", color=\"" C_SUP_LINE "\""
#define A_SQUARE_APP                                       \
    "style=filled, peripheries=2, fillcolor=\"" C_APP_FILL \
    "\", color=\"" C_APP_LINE "\""
#define A_REGISTRY "fillcolor=\"" C_REG_FILL "\", color=\"" C_REG_LINE "\""
#define A_RESTARTED \
    "fillcolor=\"" C_RST_FILL "\", color=\"" C_RST_LINE "\", penwidth=2"

static bool wanted(const struct lc_dot_opts *o, enum lc_edge_kind k)
{
    switch (k) {
        case LC_EDGE_LINK:
            return o->links;
        case LC_EDGE_MONITOR:
            return o->monitors;
        case LC_EDGE_SUPERVISES:
            return o->supervision;
        case LC_EDGE_REGISTERED:
            return o->registrations;
    }
    return false;
}

static void collect(const struct lc_edge *e, void *ctx)
{
    struct graph *g = ctx;
    if (!wanted(g->o, e->kind) || g->oom) {
        return;
    }
    if (g->nedges == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 64;
        struct lc_edge *a = realloc(g->edges, cap * sizeof *a);
        if (a == NULL) {
            g->oom = true;
            return;
        }
        g->edges = a;
        g->cap = cap;
    }
    g->edges[g->nedges++] = *e;
    g->tree |= e->kind == LC_EDGE_SUPERVISES;
}

/* Write 's' inside a DOT "..." string: only '"' and '\' need a backslash (a
 * lone backslash would start a label escape such as \n). Control characters
 * become spaces, so that one attribute stays on one line. */
static void put_escaped(FILE *out, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            fputc('\\', out);
        }
        fputc(c < ' ' || c == 0x7f ? ' ' : c, out);
    }
}

/* Text in an HTML-like label; the contract is in info.h. */
void lc_dot_html(FILE *out, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
            case '&':
                fputs("&amp;", out);
                break;
            case '<':
                fputs("&lt;", out);
                break;
            case '>':
                fputs("&gt;", out);
                break;
            case '"':
                fputs("&quot;", out);
                break;
            default:
                fputc(c < ' ' || c == 0x7f ? ' ' : c, out);
        }
    }
}

/* name="value" with a DOT-escaped value; nothing if 'value' is NULL. */
static void put_attr(FILE *out, const char *name, const char *value)
{
    if (value != NULL) {
        fprintf(out, ", %s=\"", name);
        put_escaped(out, value);
        fputc('"', out);
    }
}

static void node_id(FILE *out, lc_pid pid)
{
    fprintf(out, "p%u_%u", (unsigned)(uint32_t)pid,
            (unsigned)(uint32_t)(pid >> 32));
}

static bool has_edge(const struct graph *g, lc_pid pid)
{
    for (size_t i = 0; i < g->nedges; i++) {
        if (g->edges[i].from == pid || g->edges[i].to == pid) {
            return true;
        }
    }
    return false;
}

/* True if edge i is the first one that points to its 'to' process. */
static bool first_to(const struct graph *g, size_t i)
{
    for (size_t j = 0; j < i; j++) {
        if (g->edges[j].to == g->edges[i].to) {
            return false;
        }
    }
    return true;
}

/* The label of the first kept edge that points to 'pid': a supervisor's
 * child id names a dead child that had no name of its own. */
static const char *kept_label(const struct graph *g, lc_pid pid)
{
    for (size_t i = 0; i < g->nedges; i++) {
        if (g->edges[i].to == pid && g->edges[i].label != NULL) {
            return g->edges[i].label;
        }
    }
    return NULL;
}

static const char *role_name(enum lc_role r)
{
    switch (r) {
        case LC_ROLE_SUPERVISOR:
            return "supervisor";
        case LC_ROLE_REGISTRY:
            return "registry";
        case LC_ROLE_APPLICATION:
            return "application";
        case LC_ROLE_WORKER:
            break;
    }
    return "worker";
}

/* One small grey line of a label. */
static void small_line(FILE *out, const char *text)
{
    fputs("<BR/><FONT POINT-SIZE=\"9\">", out);
    lc_dot_html(out, text);
    fputs("</FONT>", out);
}

/* The label: the name in bold (or the pid alone), then small lines for the
 * pid, the detail and the restart count or the exit reason. */
static void put_label(FILE *out, const char *name, const char *pid,
                      const char *detail, uint32_t restarts, const char *exit)
{
    fputs(", label=<", out);
    if (name != NULL) {
        fputs("<B>", out);
        lc_dot_html(out, name);
        fputs("</B>", out);
        small_line(out, pid);
    } else {
        lc_dot_html(out, pid);
    }
    if (detail != NULL) {
        small_line(out, detail);
    }
    if (restarts > 0) {
        fprintf(out, "<BR/><FONT POINT-SIZE=\"9\">restarted %ux</FONT>",
                (unsigned)restarts);
    }
    if (exit != NULL) {
        fputs("<BR/><FONT POINT-SIZE=\"9\">exited: ", out);
        lc_dot_html(out, exit);
        fputs("</FONT>", out);
    }
    fputc('>', out);
}

static const char *role_style(enum lc_role role, uint32_t restarts,
                              unsigned *used)
{
    switch (role) {
        case LC_ROLE_SUPERVISOR:
            *used |= U_SUPERVISOR | (restarts ? U_RESTARTED : 0);
            return restarts ? A_SQUARE_SUP ", color=\"" C_RST_LINE "\""
                            : A_SQUARE_SUP;
        case LC_ROLE_APPLICATION:
            *used |= U_APPLICATION;
            return A_SQUARE_APP;
        case LC_ROLE_REGISTRY:
            *used |= U_REGISTRY | (restarts ? U_RESTARTED : 0);
            return restarts ? A_REGISTRY ", color=\"" C_RST_LINE "\""
                            : A_REGISTRY;
        case LC_ROLE_WORKER:
            break;
    }
    *used |= restarts ? U_RESTARTED : U_WORKER;
    return restarts ? A_RESTARTED : NULL;
}

static void live_node(FILE *out, struct graph *g, const struct lc_info *in)
{
    char pid[32];
    lc_pid_format(pid, sizeof pid, in->pid);
    fputs("  ", out);
    node_id(out, in->pid);
    fprintf(out, " [lc_role=%s", role_name(in->role));
    put_attr(out, "lc_name", in->name);
    put_attr(out, "lc_detail", in->detail);
    if (in->restarts > 0) {
        fprintf(out, ", lc_restarts=%u", (unsigned)in->restarts);
    }
    put_label(out, in->name, pid, in->detail, in->restarts, NULL);
    const char *style = role_style(in->role, in->restarts, &g->used);
    if (style != NULL) {
        fprintf(out, ", %s", style);
    }
    fputs("];\n", out);
}

static void ghost_node(FILE *out, struct graph *g, lc_pid pid)
{
    struct lc_info in;
    struct lc_reason why;
    if (lc_ghost_info(pid, &in, &why) < 0) {
        return;
    }
    const char *name = in.name;
    char p[32], r[160];
    lc_pid_format(p, sizeof p, pid);
    lc_reason_format(r, sizeof r, &why);
    if (name == NULL) {
        name = kept_label(g, pid);
    }
    fputs("  ", out);
    node_id(out, pid);
    fputs(" [lc_role=exited", out);
    put_attr(out, "lc_name", name);
    put_attr(out, "lc_exit", lc_atom_name(why.kind));
    put_label(out, name, p, in.detail, 0, r);
    fputs(", " A_EXITED "];\n", out);
    g->used |= U_EXITED;
}

static const char *kind_name(enum lc_edge_kind k)
{
    switch (k) {
        case LC_EDGE_LINK:
            return "link";
        case LC_EDGE_MONITOR:
            return "monitor";
        case LC_EDGE_SUPERVISES:
            return "supervises";
        case LC_EDGE_REGISTERED:
            return "registered";
    }
    return "?";
}

static const char *edge_style(enum lc_edge_kind k, unsigned *used)
{
    switch (k) {
        case LC_EDGE_SUPERVISES:
            *used |= U_SUPERVISES;
            return A_SUPERVISES;
        case LC_EDGE_LINK:
            *used |= U_LINK;
            return A_LINK;
        case LC_EDGE_MONITOR:
            *used |= U_MONITOR;
            return A_MONITOR;
        case LC_EDGE_REGISTERED:
            *used |= U_REGISTERED;
            return A_REGISTERED;
    }
    return "";
}

static void edge_line(FILE *out, struct graph *g, const struct lc_edge *e)
{
    fputs("  ", out);
    node_id(out, e->from);
    fputs(" -> ", out);
    node_id(out, e->to);
    fprintf(out, " [lc_kind=%s", kind_name(e->kind));
    put_attr(out, "lc_label", e->label);
    fprintf(out, ", %s", edge_style(e->kind, &g->used));
    if (e->kind == LC_EDGE_SUPERVISES) {
        /* from the parent's right side to the child's left side */
        fputs(", tailport=e, headport=w", out);
        if (!lc_alive(e->to)) {
            fputs(", style=dashed, color=\"" C_DEAD_LINE "\"", out);
        }
    } else if (g->tree) {
        /* only the tree decides where the boxes go */
        fputs(", constraint=false", out);
    }
    if (e->kind == LC_EDGE_REGISTERED && e->label != NULL) {
        fputs(", fontsize=9, fontcolor=\"" C_REG_LINE "\"", out);
        put_attr(out, "label", e->label);
    }
    fputs("];\n", out);
}

/* --- The legend --------------------------------------------------------- */

/* One row of the legend: a sample (a small box or a line drawn with text
 * characters) and what it means. */
struct legend_row {
    unsigned bit;
    const char *sample; /* HTML-like cell content */
    const char *text;
};

/* A small box, as a table with the border and fill of a kind of process. */
#define SAMPLE_BOX(attrs)                                      \
    "<TABLE " attrs " CELLBORDER=\"0\" CELLPADDING=\"0\"><TR>" \
    "<TD WIDTH=\"16\" HEIGHT=\"8\"></TD></TR></TABLE>"
/* A square box with a double border: a box inside a box. */
#define SAMPLE_DOUBLE(fill, line)                                          \
    "<TABLE BORDER=\"1\" COLOR=\"" line "\" CELLBORDER=\"0\" "             \
    "CELLPADDING=\"1\"><TR><TD>" SAMPLE_BOX("BORDER=\"1\" BGCOLOR=\"" fill \
                                            "\" COLOR=\"" line             \
                                            "\"") "</TD></TR></TABLE>"
#define SAMPLE_LINE(colour, chars) "<FONT COLOR=\"" colour "\">" chars "</FONT>"

static const struct legend_row legend_rows[] = {
    { U_APPLICATION, SAMPLE_DOUBLE(C_APP_FILL, C_APP_LINE), "application" },
    { U_SUPERVISOR, SAMPLE_DOUBLE(C_SUP_FILL, C_SUP_LINE), "supervisor" },
    { U_REGISTRY,
      SAMPLE_BOX("BORDER=\"1\" STYLE=\"rounded\" BGCOLOR=\"" C_REG_FILL
                 "\" COLOR=\"" C_REG_LINE "\""),
      "registry" },
    { U_WORKER,
      SAMPLE_BOX("BORDER=\"1\" STYLE=\"rounded\" BGCOLOR=\"" C_WRK_FILL
                 "\" COLOR=\"" C_WRK_LINE "\""),
      "worker" },
    { U_RESTARTED,
      SAMPLE_BOX("BORDER=\"2\" STYLE=\"rounded\" BGCOLOR=\"" C_RST_FILL
                 "\" COLOR=\"" C_RST_LINE "\""),
      "restarted" },
    { U_EXITED,
      SAMPLE_BOX("BORDER=\"1\" STYLE=\"rounded,dashed\" BGCOLOR=\"#ffffff\" "
                 "COLOR=\"" C_DEAD_LINE "\""),
      "exited" },
    { U_SUPERVISES, SAMPLE_LINE(C_WRK_LINE, "&#x2500;&#x2500;&#x2500;"),
      "supervises" },
    { U_LINK, SAMPLE_LINE(C_LINK, "&#x2501;&#x2501;&#x2501;"), "link" },
    { U_MONITOR, SAMPLE_LINE(C_MONITOR, "&#x254c;&#x254c;&#x25b8;"),
      "monitors" },
    { U_REGISTERED, SAMPLE_LINE(C_REG_LINE, "&#x2508;&#x2508;&#x25b8;"),
      "registered" },
};

/* A small table of the elements this figure uses, in the rightmost column
 * (rank=sink). No edge joins it to the system, so it never moves a box. */
static void legend(FILE *out, unsigned used)
{
    fputs("  legend [shape=plain, style=\"\", label=<"
          "<TABLE BORDER=\"1\" STYLE=\"rounded\" COLOR=\"#adb5bd\" "
          "CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"1\">"
          "<TR><TD COLSPAN=\"2\"><FONT POINT-SIZE=\"9\" "
          "COLOR=\"#868e96\">legend</FONT></TD>"
          "</TR>",
          out);
    for (size_t i = 0; i < sizeof legend_rows / sizeof legend_rows[0]; i++) {
        if (used & legend_rows[i].bit) {
            fprintf(out,
                    "<TR><TD>%s</TD><TD ALIGN=\"LEFT\"><FONT "
                    "POINT-SIZE=\"9\">%s</FONT></TD></TR>",
                    legend_rows[i].sample, legend_rows[i].text);
        }
    }
    fputs("</TABLE>>];\n  { rank=sink; legend; }\n", out);
}

static void header(FILE *out, const struct lc_dot_opts *o)
{
    fputs("digraph lc {\n"
          "  graph [rankdir=LR, nodesep=0.25, ranksep=0.45, "
          "splines=true, ordering=out, fontname=Helvetica, fontsize=11",
          out);
    if (o->title != NULL) {
        fputs(", labelloc=t", out);
        put_attr(out, "label", o->title);
    }
    fputs("];\n"
          "  node [shape=box, style=\"rounded,filled\", fontname=Helvetica, "
          "fontsize=11, margin=\"0.1,0.04\", fillcolor=\"" C_WRK_FILL
          "\", color=\"" C_WRK_LINE "\"];\n"
          "  edge [arrowhead=none, color=\"" C_WRK_LINE
          "\", fontname=Helvetica];\n",
          out);
}

static void nodes(FILE *out, struct graph *g, const lc_pid *pids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct lc_info in;
        if (lc_proc_info(pids[i], &in) == 0 &&
            (g->o->lonely || has_edge(g, pids[i]))) {
            live_node(out, g, &in);
        }
    }
    for (size_t i = 0; i < g->nedges; i++) {
        if (!lc_alive(g->edges[i].to) && first_to(g, i)) {
            ghost_node(out, g, g->edges[i].to);
        }
    }
}

int lc_dot_write(FILE *out, const struct lc_dot_opts *opts)
{
    static const struct lc_dot_opts all = { .links = true,
                                            .monitors = true,
                                            .supervision = true,
                                            .registrations = true };
    struct graph g = { .o = opts ? opts : &all };
    lc_edges(collect, &g);
    size_t n = lc_proc_list(NULL, 0);
    lc_pid *pids = malloc((n ? n : 1) * sizeof *pids);
    if (g.oom || pids == NULL) {
        free(pids);
        free(g.edges);
        return LC_ENOMEM;
    }
    n = lc_proc_list(pids, n);
    header(out, g.o);
    nodes(out, &g, pids, n);
    for (size_t i = 0; i < g.nedges; i++) {
        edge_line(out, &g, &g.edges[i]);
    }
    if (g.o->legend && g.used != 0) {
        legend(out, g.used);
    }
    fputs("}\n", out);
    free(pids);
    free(g.edges);
    return ferror(out) ? LC_EINVAL : 0;
}
