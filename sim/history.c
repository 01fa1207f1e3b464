/* history.c — the client history of a run (sim/history.h): a growable array
 * of invoke / ok / fail / info events, and its two writers, JSON Lines and
 * Jepsen EDN. Output is integers and fixed keywords only, so equal histories
 * give byte-identical files.
 *
 * Finding an op by id: ids are handed out in increasing order and every
 * invoke is appended, so invokes sit in the array in op-id order with
 * completions between them. fl_history_complete binary-searches over the
 * invokes (stepping left over a run of completions, which is never longer
 * than the number of ops that were open at once): O(log n) per completion.
 * While an op is open its invoke's `value` is FL_NIL; completing it stores
 * the completion's index there, so a second completion is refused.
 *
 * Forgetting: events before the oldest open invoke may leave memory for
 * an unlinked temporary file, written as the raw records (the process
 * that wrote them is the one that reads them back). Searches for an open
 * invoke then stay inside the array, which still holds every open one. */
#include "sim/history.h"
#include "sim/util/vec.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The history is the one part of a run that grows with simulated time (a
 * long run keeps every event for the linearizability check): no padding. */
_Static_assert(sizeof(fl_hist_event) == 64, "fl_hist_event has a padding hole");

/* ---- names ---------------------------------------------------------------- */

const char *fl_op_kind_name(fl_op_kind k)
{
    switch (k) {
    case FL_OP_READ:    return "read";
    case FL_OP_WRITE:   return "write";
    case FL_OP_CAS:     return "cas";
    case FL_OP_ADD:     return "add";
    case FL_OP_ACQUIRE: return "acquire";
    case FL_OP_RELEASE: return "release";
    case FL_OP_KIND_COUNT: break;
    }
    return "?";
}

const char *fl_hist_type_name(fl_hist_type t)
{
    switch (t) {
    case FL_HIST_INVOKE: return "invoke";
    case FL_HIST_OK:     return "ok";
    case FL_HIST_FAIL:   return "fail";
    case FL_HIST_INFO:   return "info";
    }
    return "?";
}

/* ---- the event array ------------------------------------------------------ */

void fl_history_init(fl_history *h)
{
    memset(h, 0, sizeof *h);
    h->next_op_id = 1;
}

void fl_history_destroy(fl_history *h)
{
    free(h->events);
    if (h->spill)
        fclose(h->spill);
    fl_history_init(h);
}

static int fl_history_reserve(fl_history *h)
{
    return fl_vec_grow(&h->events, &h->cap, h->len + 1, sizeof *h->events, 256);
}

uint64_t fl_history_invoke(fl_history *h, int64_t process, fl_node_id client,
                           const fl_op *op, fl_time now)
{
    if (fl_history_reserve(h) != 0)
        return 0;
    if (h->next_op_id == 0)
        h->next_op_id = 1;
    fl_hist_event *e = &h->events[h->len++];
    e->type = FL_HIST_INVOKE;
    e->process = process;
    e->client = client;
    e->op_id = h->next_op_id++;
    e->op = *op;
    e->value = FL_NIL;          /* open; becomes the completion's index */
    e->time = now;
    if (op->kind >= 0 && op->kind < FL_OP_KIND_COUNT)
        h->invoked[op->kind]++;
    return e->op_id;
}

/* The nearest invoke at or left of `i`, or SIZE_MAX if none. */
static size_t invoke_at_or_before(const fl_history *h, size_t i)
{
    for (;;) {
        if (h->events[i].type == FL_HIST_INVOKE)
            return i;
        if (i == 0)
            return SIZE_MAX;
        i--;
    }
}

/* The index of the invoke of `op_id`, or SIZE_MAX. */
static size_t find_invoke(const fl_history *h, uint64_t op_id)
{
    size_t lo = 0, hi = h->len;            /* search [lo, hi) */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        size_t at = invoke_at_or_before(h, mid);
        if (at == SIZE_MAX || at < lo) {   /* no invoke in [lo, mid] */
            lo = mid + 1;
            continue;
        }
        uint64_t id = h->events[at].op_id;
        if (id == op_id)
            return at;
        if (id < op_id)
            lo = mid + 1;
        else
            hi = at;
    }
    return SIZE_MAX;
}

int fl_history_complete(fl_history *h, uint64_t op_id, fl_hist_type type,
                        int64_t value, fl_time now)
{
    if (type == FL_HIST_INVOKE || op_id == 0)
        return -1;
    size_t at = find_invoke(h, op_id);
    if (at == SIZE_MAX || h->events[at].value != FL_NIL)
        return -1;                          /* unknown, or already complete */
    if (fl_history_reserve(h) != 0)
        return -1;
    fl_hist_event *inv = &h->events[at];
    fl_hist_event *e = &h->events[h->len];
    *e = *inv;
    e->type = type;
    e->value = value;
    e->time = now;
    inv->value = (int64_t)(h->base + h->len);
    h->len++;
    return 0;
}

/* ---- forgetting -------------------------------------------------------------- */

size_t fl_history_open_floor(const fl_history *h)
{
    for (size_t i = 0; i < h->len; i++)
        if (h->events[i].type == FL_HIST_INVOKE && h->events[i].value == FL_NIL)
            return h->base + i;
    return h->base + h->len;
}

/* An unlinked file in $TMPDIR (or /tmp): gone with the process. */
static FILE *spill_open(void)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    if (!dir || !dir[0])
        dir = "/tmp";
    if (snprintf(path, sizeof path, "%s/faultline-history-XXXXXX", dir) >=
        (int)sizeof path)
        return NULL;
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    unlink(path);
    FILE *f = fdopen(fd, "w+b");
    if (!f)
        close(fd);
    return f;
}

long fl_history_forget(fl_history *h, size_t upto)
{
    size_t floor = fl_history_open_floor(h);
    if (upto > floor)
        upto = floor;
    if (upto <= h->base)
        return 0;
    size_t n = upto - h->base;
    if (!h->spill && !(h->spill = spill_open()))
        return -1;
    if (fseek(h->spill, 0, SEEK_END) != 0 ||
        fwrite(h->events, sizeof *h->events, n, h->spill) != n ||
        fflush(h->spill) != 0) {
        /* whatever part was written is overwritten by the next try */
        return -1;
    }
    memmove(h->events, h->events + n, (h->len - n) * sizeof *h->events);
    h->len -= n;
    h->base += n;
    return (long)n;
}

/* Reads forgotten events [from, from + n) into `out`. */
static int spill_read(const fl_history *h, size_t from, size_t n,
                      fl_hist_event *out)
{
    if (n == 0)
        return 0;
    if (fseek(h->spill, (long)(from * sizeof *out), SEEK_SET) != 0 ||
        fread(out, sizeof *out, n, h->spill) != n)
        return -1;
    return 0;
}

int fl_history_recall(fl_history *h)
{
    if (h->base == 0)
        return 0;
    size_t total = h->base + h->len;
    fl_hist_event *all = malloc(total * sizeof *all);
    if (!all || spill_read(h, 0, h->base, all) != 0) {
        free(all);
        return -1;
    }
    memcpy(all + h->base, h->events, h->len * sizeof *all);
    free(h->events);
    h->events = all;
    h->len = h->cap = total;
    h->base = 0;
    fclose(h->spill);
    h->spill = NULL;
    return 0;
}

/* Calls fn on every event in order, forgotten ones read back in chunks.
 * 0, or -1 on a read error. */
typedef void (*event_fn)(FILE *out, const fl_hist_event *e, size_t index);

static int for_each_event(const fl_history *h, FILE *out, event_fn fn)
{
    fl_hist_event chunk[256];
    for (size_t at = 0; at < h->base;) {
        size_t n = h->base - at < 256 ? h->base - at : 256;
        if (spill_read(h, at, n, chunk) != 0)
            return -1;
        for (size_t k = 0; k < n; k++)
            fn(out, &chunk[k], at + k);
        at += n;
    }
    for (size_t i = 0; i < h->len; i++)
        fn(out, &h->events[i], h->base + i);
    return 0;
}

/* ---- writers --------------------------------------------------------------- */

/* The syntax differences between the two formats. */
typedef struct fl_hist_syntax {
    const char *open, *close, *sep;           /* "{", "}\n", "," */
    const char *k_process, *k_type, *k_f, *k_key, *k_value, *k_result, *k_time;
    const char *nil, *pair_sep;               /* "null" / "nil", "," / " " */
    bool        edn;                          /* names as :keywords */
} fl_hist_syntax;

static const fl_hist_syntax fl_jsonl = {
    "{", "}\n", ",", "\"process\":", "\"type\":", "\"f\":", "\"key\":",
    "\"value\":", "\"result\":", "\"time_ns\":", "null", ",", false,
};

static const fl_hist_syntax fl_edn = {
    "{", "}\n", ", ", ":process ", ":type ", ":f ", ":key ", ":value ",
    ":result ", ":time ", "nil", " ", true,
};

static void put_name(FILE *out, const fl_hist_syntax *sx, const char *name)
{
    if (sx->edn)
        fprintf(out, ":%s", name);
    else
        fprintf(out, "\"%s\"", name);
}

static void put_int(FILE *out, const fl_hist_syntax *sx, int64_t v)
{
    if (v == FL_NIL)
        fputs(sx->nil, out);
    else
        fprintf(out, "%" PRId64, v);
}

/* The "value" of an event, following Jepsen: reads carry their result on
 * ok (null otherwise), CAS carries [expected new], acquire's completion
 * the token, everything else its argument. */
static void put_value(FILE *out, const fl_hist_syntax *sx,
                      const fl_hist_event *e)
{
    const fl_op *op = &e->op;
    switch (op->kind) {
    case FL_OP_READ:
        put_int(out, sx, e->type == FL_HIST_OK ? e->value : FL_NIL);
        return;
    case FL_OP_CAS:
        fputc('[', out);
        put_int(out, sx, op->arg);
        fputs(sx->pair_sep, out);
        put_int(out, sx, op->arg2);
        fputc(']', out);
        return;
    case FL_OP_ACQUIRE:
        put_int(out, sx, e->type == FL_HIST_OK ? e->value : op->arg);
        return;
    case FL_OP_WRITE:
    case FL_OP_ADD:
    case FL_OP_RELEASE:
    case FL_OP_KIND_COUNT:
        break;
    }
    put_int(out, sx, op->arg);
}

static void put_event(FILE *out, const fl_hist_syntax *sx,
                      const fl_hist_event *e)
{
    fputs(sx->open, out);
    fprintf(out, "%s%" PRId64 "%s%s", sx->k_process, e->process, sx->sep,
            sx->k_type);
    put_name(out, sx, fl_hist_type_name(e->type));
    fprintf(out, "%s%s", sx->sep, sx->k_f);
    put_name(out, sx, fl_op_kind_name(e->op.kind));
    fprintf(out, "%s%s%" PRIu32 "%s%s", sx->sep, sx->k_key, e->op.key,
            sx->sep, sx->k_value);
    put_value(out, sx, e);
    if (e->op.kind == FL_OP_CAS && e->type == FL_HIST_OK)
        fprintf(out, "%s%s%s", sx->sep, sx->k_result,
                e->value ? "true" : "false");
    fprintf(out, "%s%s%" PRId64, sx->sep, sx->k_time, e->time);
    fputs(sx->close, out);
}

static void put_jsonl_event(FILE *out, const fl_hist_event *e, size_t index)
{
    (void)index;
    put_event(out, &fl_jsonl, e);
}

static int write_all(const fl_history *h, FILE *out, event_fn fn)
{
    if (for_each_event(h, out, fn) != 0)
        return -1;
    if (fflush(out) != 0 || ferror(out))
        return -1;
    return 0;
}

/* {"process":0,"type":"ok","f":"cas","key":0,"value":[1,2],"result":false,
 *  "time_ns":130} — one object per line. */
int fl_history_write_jsonl(const fl_history *h, FILE *out)
{
    return write_all(h, out, put_jsonl_event);
}

/* ---- Jepsen EDN ------------------------------------------------------------ */

/* The first line of an EDN history: Knossos skips it as a comment;
 * faultline's reader (sim/check/hist_read.h, FL_HIST_EDN_MARK) reads the
 * file with faultline's semantics when it sees it. */
static const char fl_edn_mark[] =
    ";; faultline history: a read of nil saw nil (Knossos reads nil as "
    "unknown); :fail :cas with :error :mismatch ran and saw another value\n";

/* The Jepsen type of an event: a CAS whose comparison failed is :fail for
 * Knossos, which has no other way to say a CAS did not swap. */
static const char *edn_type(const fl_hist_event *e)
{
    if (e->op.kind == FL_OP_CAS && e->type == FL_HIST_OK && e->value == 0)
        return "fail";
    return fl_hist_type_name(e->type);
}

/* {:index 3, :type :ok, :f :cas, :value [0 [1 2]], :process 0,
 *  :time 130} — keys as Jepsen's independent tuples [k v]. */
static void put_edn_event(FILE *out, const fl_hist_event *e, size_t index)
{
    fprintf(out, "{:index %zu, :type :%s, :f :%s, :value [%" PRIu32 " ",
            index, edn_type(e), fl_op_kind_name(e->op.kind), e->op.key);
    put_value(out, &fl_edn, e);
    fprintf(out, "], :process %" PRId64 ", :time %" PRId64, e->process,
            e->time);
    if (e->op.kind == FL_OP_CAS && e->type == FL_HIST_OK && e->value == 0)
        fputs(", :error :mismatch", out);
    fputs("}\n", out);
}

/* One op map per line, the way Jepsen writes them and Knossos reads them:
 * :index on every op, :time in ns, :value [k v] (independent keys), and a
 * CAS whose comparison failed as :fail with :error :mismatch. */
int fl_history_write_edn(const fl_history *h, FILE *out)
{
    fputs(fl_edn_mark, out);
    return write_all(h, out, put_edn_event);
}
