/* svg.c — the space-time diagram of a time window written as an SVG file
 * (for reports): the shapes of diagram.c as SVG elements, written under a
 * temporary name and renamed into place. */
#include "viz/diagram.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void color(FILE *out, const char *attr, viz_rgba c)
{
    fprintf(out, " %s=\"#%02x%02x%02x\"", attr, c.r, c.g, c.b);
    if (c.a != 255)
        fprintf(out, " %s-opacity=\"%.2f\"", attr, c.a / 255.0);
}

static void escaped(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        default: fputc(*s, out); break;
        }
    }
}

static void arrow_head(FILE *out, const viz_dg_item *it)
{
    float dx = it->x1 - it->x0, dy = it->y1 - it->y0, len = sqrtf(dx * dx + dy * dy);
    if (len < 1)
        return;
    dx /= len;
    dy /= len;
    fprintf(out, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"", it->x1, it->y1,
            it->x1 - dx * 7 - dy * 3.5f, it->y1 - dy * 7 + dx * 3.5f,
            it->x1 - dx * 7 + dy * 3.5f, it->y1 - dy * 7 - dx * 3.5f);
    color(out, "fill", it->c);
    fputs("/>\n", out);
}

static void write_item(FILE *out, const viz_diagram *d, const viz_dg_item *it)
{
    switch ((viz_dg_kind)it->kind) {
    case VIZ_DG_RECT:
        fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"", it->x0,
                it->y0, it->x1 - it->x0, it->y1 - it->y0);
        color(out, "fill", it->c);
        fputs("/>\n", out);
        break;
    case VIZ_DG_LINE:
    case VIZ_DG_ARROW:
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                     "stroke-width=\"%.1f\"%s", it->x0, it->y0, it->x1, it->y1, it->width,
                it->dashed ? " stroke-dasharray=\"5 3\"" : "");
        color(out, "stroke", it->c);
        fputs("/>\n", out);
        if (it->kind == VIZ_DG_ARROW)
            arrow_head(out, it);
        break;
    case VIZ_DG_CROSS:
        fprintf(out, "<path d=\"M%.1f %.1fl8 8m0 -8l-8 8\" stroke-width=\"2\"",
                it->x1 - 4, it->y1 - 4);
        color(out, "stroke", it->c);
        fputs("/>\n", out);
        break;
    case VIZ_DG_TEXT: {
        const char *s = viz_diagram_str(d, it->text);
        if (!s)
            break;
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\"%s", it->x0,
                it->y0 + (it->small ? 10 : 11), it->small ? 10 : 12,
                it->x1 < 0 ? " text-anchor=\"end\"" : "");
        color(out, "fill", it->c);
        fputc('>', out);
        escaped(out, s);
        fputs("</text>\n", out);
        break;
    }
    }
}

static int write_file(FILE *out, const viz_model *m, const viz_diagram *d, float w, float h,
                      fl_time from, fl_time to)
{
    char a[32], b[32];
    viz_format_time(from, a, sizeof a);
    viz_format_time(to, b, sizeof b);
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                 "viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, sans-serif\">\n",
            w, h, w, h);
    fputs("<title>", out);
    escaped(out, viz_model_scenario(m));
    fprintf(out, " (%s): space-time diagram, %s .. %s</title>\n", viz_model_algorithm(m), a, b);
    fprintf(out, "<rect width=\"100%%\" height=\"100%%\"");
    color(out, "fill", VIZ_PANEL);
    fputs("/>\n<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\"", out);
    color(out, "fill", VIZ_TEXT);
    fputc('>', out);
    escaped(out, viz_model_scenario(m));
    fprintf(out, "  %s .. %s</text>\n", a, b);
    for (size_t i = 0; i < d->n; i++)
        write_item(out, d, &d->items[i]);
    fputs("</svg>\n", out);
    return ferror(out) ? -1 : 0;
}

int viz_svg_write(const viz_model *m, const char *path, fl_time from, fl_time to,
                  char *err, size_t errlen)
{
    if (to <= from) {
        snprintf(err, errlen, "--svg: --to must be after --from");
        return -1;
    }
    size_t n = viz_model_node_count(m);
    float w = 1400, h = 30 + 30 + 14 + 36 * (float)n + 36 + 10;
    viz_dg_in in = { .r = { 0, 30, w, h - 30 }, .from = from, .to = to, .now = -1,
                     .idx = viz_model_event_count(m), .selected = FL_NO_NODE,
                     .current_msg = VIZ_NONE, .s = 1.0f };
    viz_diagram d;
    viz_diagram_init(&d);
    if (viz_diagram_build(&d, m, &in) < 0) {
        viz_diagram_free(&d);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t len = strlen(path) + 32;
    char *tmp = malloc(len);
    FILE *out = NULL;
    int rc = -1;
    if (tmp) {
        snprintf(tmp, len, "%s.partial.%ld", path, (long)getpid());
        out = fopen(tmp, "w");
    }
    if (!out) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    } else {
        rc = write_file(out, m, &d, w, h, from, to);
        if (fclose(out) != 0)
            rc = -1;
        if (rc == 0 && rename(tmp, path) != 0)
            rc = -1;
        if (rc != 0) {
            snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
            unlink(tmp);
        }
    }
    free(tmp);
    viz_diagram_free(&d);
    return rc;
}
