/* progress.c — the progress line (see progress.h). */
#include "sim/batch/progress.h"

#include <time.h>
#include <unistd.h>

double fl_progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void fl_progress_start(fl_progress *p, FILE *out, uint64_t total, bool quiet)
{
    p->out = out;
    p->tty = isatty(fileno(out)) == 1;
    p->quiet = quiet;
    p->total = total;
    p->start = fl_progress_now();
    p->last_draw = 0;
    p->last_tenth = 0;
    p->drawn = false;
}

double fl_progress_elapsed(const fl_progress *p)
{
    return fl_progress_now() - p->start;
}

static void draw(fl_progress *p, uint64_t done, uint64_t failed, double t)
{
    double el = t - p->start;
    double rate = el > 0 ? (double)done / el : 0;
    double frac = p->total ? (double)done / (double)p->total : 1;
    char bar[21];
    int fill = (int)(frac * 20 + 0.5);
    for (int i = 0; i < 20; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[20] = '\0';
    double eta = rate > 0 ? (double)(p->total - done) / rate : 0;
    fprintf(p->out, "%s[%s] %llu/%llu runs  %.1f runs/s  %llu failed  %s %.0f s%s",
            p->tty ? "\r" : "", bar, (unsigned long long)done,
            (unsigned long long)p->total, rate, (unsigned long long)failed,
            done < p->total ? "eta" : "took", done < p->total ? eta : el,
            p->tty ? "\033[K" : "\n");
    fflush(p->out);
    p->drawn = true;
    p->last_draw = t;
}

void fl_progress_update(fl_progress *p, uint64_t done, uint64_t failed)
{
    if (p->quiet)
        return;
    double t = fl_progress_now();
    if (p->tty) {
        if (t - p->last_draw >= 0.1)
            draw(p, done, failed, t);
        return;
    }
    unsigned tenth = p->total ? (unsigned)(10 * done / p->total) : 10;
    if (tenth > p->last_tenth && done < p->total) {
        p->last_tenth = tenth;
        draw(p, done, failed, t);
    }
}

void fl_progress_end(fl_progress *p, uint64_t done, uint64_t failed)
{
    if (p->quiet)
        return;
    draw(p, done, failed, fl_progress_now());
    if (p->tty)
        fputc('\n', p->out);
}
