/*
 * dot.c - the live system as a Graphviz graph.
 *
 * Every figure of the course is drawn by this function from a running
 * system, never by hand, so a figure cannot disagree with the code. It uses
 * only the public introspection API (info.h): a student can write the same
 * thing. The output depends only on the run -- processes in pid order, edges
 * in the order they were made, no addresses -- so the same run gives the
 * same bytes, and figures can be committed and compared.
 *
 * The picture language (see chapters/00-processes.md, "Reading the figures"):
 *
 *   supervisor   blue box, strategy and intensity on its second line
 *   worker       grey box
 *   restarted    amber box, "restarted 2x"
 *   dead         dashed grey box (a kept edge points to a process that ended)
 *   supervises   grey line, parent on the left, children in start order
 *   link         blue line, no arrow (links have no direction)
 *   monitor      orange dashed arrow from the watcher to the watched
 *   registered   green dotted arrow from a registry to a process, key as label
 */
#include "kernel.h"

#include <stdlib.h>
#include <string.h>

struct graph {
    struct lc_edge *edges; /* copies of the edges drawn */
    size_t nedges, cap;
    const struct lc_dot_opts *o;
    bool oom;
    bool tree; /* supervision edges present: they decide the layout */
};

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

/* Write 's' inside a DOT string: only '"' and '\' need escaping. */
static void put_escaped(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') {
            fputc('\\', out);
        }
        fputc(*s == '\n' ? ' ' : *s, out);
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

static void live_node(FILE *out, const struct lc_info *in)
{
    char pid[32];
    lc_pid_format(pid, sizeof pid, in->pid);
    node_id(out, in->pid);
    fputs(" [label=\"", out);
    if (in->name != NULL) {
        put_escaped(out, in->name);
        fputs("\\n", out);
    }
    fputs(pid, out);
    if (in->detail != NULL) {
        fputs("\\n", out);
        put_escaped(out, in->detail);
    }
    if (in->restarts > 0) {
        fprintf(out, "\\nrestarted %ux", (unsigned)in->restarts);
    }
    fputc('"', out);
    if (in->role == LC_ROLE_SUPERVISOR || in->role == LC_ROLE_APPLICATION) {
        fputs(", fillcolor=\"#dbe4f0\", color=\"#3b5b8c\", penwidth=2", out);
    } else if (in->role == LC_ROLE_REGISTRY) {
        fputs(", fillcolor=\"#e6f4ea\", color=\"#2b8a3e\"", out);
    } else if (in->restarts > 0) {
        fputs(", fillcolor=\"#ffe8a3\", color=\"#d9480f\", penwidth=2", out);
    }
    fputs("];\n", out);
}

static void ghost_node(FILE *out, lc_pid pid)
{
    const char *name = NULL;
    struct lc_reason why;
    if (lc_ghost_info(pid, &name, &why) < 0) {
        return;
    }
    char p[32], r[160];
    lc_pid_format(p, sizeof p, pid);
    lc_reason_format(r, sizeof r, &why);
    fputs("  ", out);
    node_id(out, pid);
    fputs(" [label=\"", out);
    if (name != NULL) {
        put_escaped(out, name);
        fputs("\\n", out);
    }
    fprintf(out, "%s\\nexited: ", p);
    put_escaped(out, r);
    fputs("\", style=\"rounded,dashed\", color=\"#868e96\", "
          "fontcolor=\"#868e96\", fillcolor=\"#ffffff\"];\n",
          out);
}

static void edge_line(FILE *out, const struct graph *g, const struct lc_edge *e)
{
    fputs("  ", out);
    node_id(out, e->from);
    fputs(" -> ", out);
    node_id(out, e->to);
    switch (e->kind) {
        case LC_EDGE_SUPERVISES:
            fputs(" [tailport=e, headport=w", out);
            if (!lc_alive(e->to)) {
                fputs(", style=dashed, color=\"#868e96\"", out);
            }
            break;
        case LC_EDGE_LINK:
            fputs(" [dir=none, color=\"#1c7ed6\", penwidth=1.5", out);
            break;
        case LC_EDGE_MONITOR:
            fputs(" [style=dashed, arrowhead=vee, color=\"#e8590c\"", out);
            break;
        case LC_EDGE_REGISTERED:
            fputs(" [style=dotted, arrowhead=vee, color=\"#2b8a3e\"", out);
            break;
    }
    if (g->tree && e->kind != LC_EDGE_SUPERVISES) {
        fputs(", constraint=false", out);
    }
    if (e->label != NULL && e->kind != LC_EDGE_SUPERVISES) {
        fputs(", label=\"", out);
        put_escaped(out, e->label);
        fputs("\", fontsize=9", out);
    }
    fputs("];\n", out);
}

static void legend(FILE *out)
{
    fputs("  subgraph cluster_legend {\n"
          "    label=\"legend\"; fontsize=9; style=dashed; color=\"#adb5bd\";\n"
          "    node [fontsize=9, width=0, height=0, margin=\"0.06,0.03\"];\n"
          "    lg_sup [label=\"supervisor\", fillcolor=\"#dbe4f0\", "
          "color=\"#3b5b8c\", penwidth=2];\n"
          "    lg_wrk [label=\"worker\"];\n"
          "    lg_rst [label=\"restarted\", fillcolor=\"#ffe8a3\", "
          "color=\"#d9480f\", penwidth=2];\n"
          "    lg_dead [label=\"exited\", style=\"rounded,dashed\", "
          "color=\"#868e96\", fontcolor=\"#868e96\", fillcolor=\"#ffffff\"];\n"
          "    lg_sup -> lg_wrk [label=\"supervises\", fontsize=8];\n"
          "    lg_rst -> lg_dead [dir=none, color=\"#1c7ed6\", penwidth=1.5, "
          "label=\"link\", fontsize=8];\n"
          "    lg_wrk -> lg_rst [style=dashed, arrowhead=vee, "
          "color=\"#e8590c\", label=\"monitor\", fontsize=8];\n"
          "  }\n",
          out);
}

static void header(FILE *out, const struct lc_dot_opts *o)
{
    fputs("digraph lc {\n"
          "  graph [rankdir=LR, nodesep=0.25, ranksep=0.5, "
          "splines=polyline, ordering=out, fontname=Helvetica, "
          "fontsize=11",
          out);
    if (o->title != NULL) {
        fputs(", labelloc=t, label=\"", out);
        put_escaped(out, o->title);
        fputc('"', out);
    }
    fputs("];\n"
          "  node [shape=box, style=\"rounded,filled\", fontname=Helvetica, "
          "fontsize=11, fillcolor=\"#f1f3f5\", color=\"#495057\"];\n"
          "  edge [arrowhead=none, color=\"#495057\", fontname=Helvetica];\n",
          out);
}

int lc_dot_write(FILE *out, const struct lc_dot_opts *opts)
{
    static const struct lc_dot_opts all = { .links = true,
                                            .monitors = true,
                                            .supervision = true,
                                            .registrations = true };
    struct graph g = { .o = opts ? opts : &all };
    lc_edges(collect, &g);
    if (g.oom) {
        free(g.edges);
        return LC_ENOMEM;
    }
    header(out, g.o);
    size_t n = lc_processes(NULL, 0);
    lc_pid *pids = malloc((n ? n : 1) * sizeof *pids);
    if (pids == NULL) {
        free(g.edges);
        return LC_ENOMEM;
    }
    lc_processes(pids, n);
    for (size_t i = 0; i < n; i++) {
        struct lc_info in;
        if (lc_process_info(pids[i], &in) == 0 &&
            (g.o->lonely || has_edge(&g, pids[i]))) {
            fputs("  ", out);
            live_node(out, &in);
        }
    }
    for (size_t i = 0; i < g.nedges; i++) {
        if (!lc_alive(g.edges[i].to) && first_to(&g, i)) {
            ghost_node(out, g.edges[i].to);
        }
    }
    for (size_t i = 0; i < g.nedges; i++) {
        edge_line(out, &g, &g.edges[i]);
    }
    if (g.o->legend) {
        legend(out);
    }
    fputs("}\n", out);
    free(pids);
    free(g.edges);
    return ferror(out) ? LC_EINVAL : 0;
}
