/* test_check_semantics.c — each history format read with its own tool's
 * documented semantics (issue 15), the models Jepsen users expect,
 * exact numbers in every reader (issue 17), faultline's EDN written the
 * way Jepsen writes op maps (issue 20), several files in one `check`, and
 * a violation found fast whatever the timeout and the other partitions.
 * Every test pairs a history with the broken one it tells apart. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/cli/cmd_check.h"
#include "sim/check/hist_read.h"
#include "sim/check/lin.h"
#include "sim/check/model.h"
#include "sim/history.h"
#include "tests/cu.h"

/* The verdict for `text` (format detected) under `model` (NULL: guessed)
 * and `init` (NULL: the default); on a read error, FL_LIN_ERROR with the
 * message in *msg (may be NULL). */
static fl_lin_result verdict(const char *text, const char *model,
                             const fl_lin_val *init, char *msg, size_t len)
{
    fl_lin_history h;
    fl_error err;
    fl_lin_result res = FL_LIN_ERROR;
    if (fl_hist_read_text("h", text, strlen(text), FL_HFMT_AUTO, &h, NULL,
                          &err) != 0) {
        if (msg)
            snprintf(msg, len, "%s", err.msg);
    } else {
        const fl_model *m = fl_model_find(model ? model
                                                : fl_hist_guess_model(&h));
        CU_ASSERT_PTR_NOT_NULL_FATAL(m);
        fl_lin_report r;
        res = fl_lin_check(&h, m, init, 30, &r);
        if (res == FL_LIN_ERROR && msg)
            snprintf(msg, len, "%s", r.err.msg);
        fl_lin_report_free(&r);
    }
    fl_lin_history_free(&h);
    return res;
}

#define YES(t, m) CU_ASSERT_EQUAL(verdict(t, m, NULL, NULL, 0), FL_LIN_OK)
#define NO(t, m)  CU_ASSERT_EQUAL(verdict(t, m, NULL, NULL, 0), \
                                  FL_LIN_VIOLATION)

/* ---- Knossos EDN ------------------------------------------------------------ */

/* Knossos' register and cas-register: a read of nil is a read of an
 * unknown value ("We don't know what the read was"), so it matches any
 * state; in faultline's JSON Lines a null read saw nil. */
static void test_knossos_nil_read(void)
{
    const char *edn =
        "[{:process 0, :type :invoke, :f :write, :value 1}\n"
        " {:process 0, :type :ok, :f :write, :value 1}\n"
        " {:process 1, :type :invoke, :f :read, :value nil}\n"
        " {:process 1, :type :ok, :f :read, :value nil}]\n";
    const char *jsonl =
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":1}\n"
        "{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"value\":1}\n"
        "{\"process\":1,\"type\":\"invoke\",\"f\":\"read\",\"value\":null}\n"
        "{\"process\":1,\"type\":\"ok\",\"f\":\"read\",\"value\":null}\n";
    YES(edn, "register");
    YES(edn, "cas-register");
    YES(edn, NULL);
    NO(jsonl, "register");
    /* Knossos' cas-register with (cas-register 0): a read of 0 first */
    const char *zero =
        "{:process 0, :type :invoke, :f :read, :value nil}\n"
        "{:process 0, :type :ok, :f :read, :value 0}\n";
    fl_lin_val z = fl_lin_int(0);
    CU_ASSERT_EQUAL(verdict(zero, "cas-register", &z, NULL, 0), FL_LIN_OK);
    NO(zero, "cas-register");
}

/* :fail did not happen; :info may have happened, any time after it was
 * invoked, or never. */
static void test_knossos_fail_info(void)
{
    const char *fail_cas =
        "{:process 0, :type :invoke, :f :write, :value 1}\n"
        "{:process 0, :type :ok, :f :write, :value 1}\n"
        "{:process 1, :type :invoke, :f :cas, :value [1 2]}\n"
        "{:process 1, :type :fail, :f :cas, :value [1 2]}\n"
        "{:process 2, :type :invoke, :f :read, :value nil}\n"
        "{:process 2, :type :ok, :f :read, :value 1}\n";
    YES(fail_cas, "cas-register");
    /* the same CAS acknowledged: 1 cannot be read after it */
    const char *ok_cas =
        "{:process 0, :type :invoke, :f :write, :value 1}\n"
        "{:process 0, :type :ok, :f :write, :value 1}\n"
        "{:process 1, :type :invoke, :f :cas, :value [1 2]}\n"
        "{:process 1, :type :ok, :f :cas, :value [1 2]}\n"
        "{:process 2, :type :invoke, :f :read, :value nil}\n"
        "{:process 2, :type :ok, :f :read, :value 1}\n";
    NO(ok_cas, "cas-register");
    const char *info_later =
        "{:process 0, :type :invoke, :f :write, :value 3}\n"
        "{:process 0, :type :info, :f :write, :value 3}\n"
        "{:process 1, :type :invoke, :f :read, :value nil}\n"
        "{:process 1, :type :ok, :f :read, :value 3}\n";
    YES(info_later, "cas-register");
    const char *info_too_early =
        "{:process 1, :type :invoke, :f :read, :value nil}\n"
        "{:process 1, :type :ok, :f :read, :value 3}\n"
        "{:process 0, :type :invoke, :f :write, :value 3}\n"
        "{:process 0, :type :info, :f :write, :value 3}\n";
    NO(info_too_early, "cas-register");
    const char *fail_write =
        "{:process 0, :type :invoke, :f :write, :value 3}\n"
        "{:process 0, :type :fail, :f :write, :value 3}\n"
        "{:process 1, :type :invoke, :f :read, :value nil}\n"
        "{:process 1, :type :ok, :f :read, :value 3}\n";
    NO(fail_write, "cas-register");
}

/* Jepsen's independent keys: :value [k v], a CAS [k [old new]]. */
static void test_independent_tuples(void)
{
    const char *good =
        "{:process 0, :type :invoke, :f :write, :value [:a 1], :index 0}\n"
        "{:process 0, :type :ok, :f :write, :value [:a 1], :index 1}\n"
        "{:process 1, :type :invoke, :f :write, :value [:b 2], :index 2}\n"
        "{:process 1, :type :ok, :f :write, :value [:b 2], :index 3}\n"
        "{:process 2, :type :invoke, :f :cas, :value [:a [1 5]], :index 4}\n"
        "{:process 2, :type :ok, :f :cas, :value [:a [1 5]], :index 5}\n"
        "{:process 3, :type :invoke, :f :read, :value [:b nil], :index 6}\n"
        "{:process 3, :type :ok, :f :read, :value [:b 2], :index 7}\n"
        "{:process 3, :type :invoke, :f :read, :value [:a nil], :index 8}\n"
        "{:process 3, :type :ok, :f :read, :value [:a 5], :index 9}\n";
    YES(good, "cas-register");
    /* key b never held 5 */
    const char *bad =
        "{:process 0, :type :invoke, :f :write, :value [:a 5], :index 0}\n"
        "{:process 0, :type :ok, :f :write, :value [:a 5], :index 1}\n"
        "{:process 3, :type :invoke, :f :read, :value [:b nil], :index 2}\n"
        "{:process 3, :type :ok, :f :read, :value [:b 5], :index 3}\n";
    NO(bad, "cas-register");
    char msg[512] = "";
    const char *untupled =
        "{:process 3, :type :invoke, :f :read, :value [:b nil]}\n"
        "{:process 3, :type :ok, :f :read, :value 5}\n";
    CU_ASSERT_EQUAL(verdict(untupled, "register", NULL, msg, sizeof msg),
                    FL_LIN_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "h:2:"));
}

/* ---- Porcupine's kv format ---------------------------------------------------- */

static void test_porcupine_kv_fresh_key(void)
{
    const char *fresh =
        "{:process 0, :type :invoke, :f :get, :key \"3\", :value nil}\n"
        "{:process 0, :type :ok, :f :get, :key \"3\", :value \"\"}\n";
    YES(fresh, NULL);
    YES(fresh, "kv");
    fl_lin_val nil = fl_lin_nil();
    CU_ASSERT_EQUAL(verdict(fresh, "kv", &nil, NULL, 0), FL_LIN_VIOLATION);
    const char *stale =
        "{:process 0, :type :invoke, :f :put, :key \"3\", :value \"x\"}\n"
        "{:process 0, :type :ok, :f :put, :key \"3\", :value \"x\"}\n"
        "{:process 1, :type :invoke, :f :get, :key \"3\", :value nil}\n"
        "{:process 1, :type :ok, :f :get, :key \"3\", :value \"\"}\n";
    NO(stale, NULL);
    fl_lin_history h;
    fl_error err;
    CU_ASSERT_EQUAL_FATAL(fl_hist_read_text("h", fresh, strlen(fresh),
                                            FL_HFMT_AUTO, &h, NULL, &err), 0);
    CU_ASSERT_STRING_EQUAL(fl_hist_guess_model(&h), "kv");
    CU_ASSERT_EQUAL(h.init_hint.type, FL_LV_STR);
    fl_lin_history_free(&h);
}

/* ---- models ------------------------------------------------------------------- */

static void test_mutex(void)
{
    const char *twice =
        "{:process 0, :type :invoke, :f :acquire}\n"
        "{:process 0, :type :ok, :f :acquire}\n"
        "{:process 1, :type :invoke, :f :acquire}\n"
        "{:process 1, :type :ok, :f :acquire}\n";
    NO(twice, "mutex");
    const char *released =
        "{:process 0, :type :invoke, :f :acquire}\n"
        "{:process 0, :type :ok, :f :acquire}\n"
        "{:process 0, :type :invoke, :f :release}\n"
        "{:process 0, :type :ok, :f :release}\n"
        "{:process 1, :type :invoke, :f :acquire}\n"
        "{:process 1, :type :ok, :f :acquire}\n";
    YES(released, "mutex");
    const char *free_release =
        "{:process 0, :type :invoke, :f :release}\n"
        "{:process 0, :type :ok, :f :release}\n";
    NO(free_release, "mutex");
}

static void test_multi_register(void)
{
    const char *good =
        "; x and y start at 0\n"
        "[{:type :invoke, :f :txn, :value [[:read :x nil]], :process 3}\n"
        " {:type :invoke, :f :txn, :value [[:write :y 2]], :process 4}\n"
        " {:type :ok, :f :txn, :value [[:read :x 0]], :process 3}\n"
        " {:type :ok, :f :txn, :value [[:write :y 2]], :process 4}\n"
        " {:type :invoke, :f :txn, :value [[:read :x nil] [:read :y nil]],"
        "  :process 1}\n"
        " {:type :ok, :f :txn, :value [[:read :x 0] [:read :y 2]],"
        "  :process 1}\n"
        " {:type :invoke, :f :txn, :value [[:write :x 1] [:write :y 1]],"
        "  :process 2}\n"
        " {:type :ok, :f :txn, :value [[:write :x 1] [:write :y 1]],"
        "  :process 2}\n"
        " {:type :invoke, :f :txn, :value [[:read :x nil] [:read :y nil]],"
        "  :process 0}\n"
        " {:type :ok, :f :txn, :value [[:read :x 1] [:read :y nil]],"
        "  :process 0}]\n";
    fl_lin_val z = fl_lin_int(0);
    CU_ASSERT_EQUAL(verdict(good, NULL, &z, NULL, 0), FL_LIN_OK);
    CU_ASSERT_EQUAL(verdict(good, "multi-register", &z, NULL, 0), FL_LIN_OK);
    /* x and y written together: a read of both sees both or neither */
    const char *torn =
        "[{:type :invoke, :f :txn, :value [[:write :x 1] [:write :y 1]],"
        "  :process 2}\n"
        " {:type :ok, :f :txn, :value [[:write :x 1] [:write :y 1]],"
        "  :process 2}\n"
        " {:type :invoke, :f :txn, :value [[:read :x nil] [:read :y nil]],"
        "  :process 0}\n"
        " {:type :ok, :f :txn, :value [[:read :x 1] [:read :y 0]],"
        "  :process 0}]\n";
    CU_ASSERT_EQUAL(verdict(torn, "multi-register", &z, NULL, 0),
                    FL_LIN_VIOLATION);
    /* without --init 0 the first good read of 0 is impossible */
    CU_ASSERT_EQUAL(verdict(good, "multi-register", NULL, NULL, 0),
                    FL_LIN_VIOLATION);
}

/* ---- exact numbers ------------------------------------------------------------ */

/* The same history in the three formats: one verdict, and the same
 * refusal (with the line) for what no history field can hold. */
static void numbers_case(const char *w, const char *r, fl_lin_result want)
{
    char jsonl[512], edn[512], etcd[512];
    snprintf(jsonl, sizeof jsonl,
             "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":%s}\n"
             "{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"value\":%s}\n"
             "{\"process\":1,\"type\":\"invoke\",\"f\":\"read\",\"value\":null}\n"
             "{\"process\":1,\"type\":\"ok\",\"f\":\"read\",\"value\":%s}\n",
             w, w, r);
    snprintf(edn, sizeof edn,
             "{:process 0, :type :invoke, :f :write, :value %s}\n"
             "{:process 0, :type :ok, :f :write, :value %s}\n"
             "{:process 1, :type :invoke, :f :read, :value nil}\n"
             "{:process 1, :type :ok, :f :read, :value %s}\n", w, w, r);
    snprintf(etcd, sizeof etcd,
             "INFO  jepsen.util - 0\t:invoke\t:write\t%s\n"
             "INFO  jepsen.util - 0\t:ok\t:write\t%s\n"
             "INFO  jepsen.util - 1\t:invoke\t:read\tnil\n"
             "INFO  jepsen.util - 1\t:ok\t:read\t%s\n", w, w, r);
    const char *texts[3] = { jsonl, edn, etcd };
    for (int i = 0; i < 3; i++) {
        char msg[512] = "";
        fl_lin_result got = verdict(texts[i], "register", NULL, msg,
                                    sizeof msg);
        CU_ASSERT_EQUAL(got, want);
        if (got != want)
            printf("\n  format %d: %s %s -> %s (%s)\n", i, w, r,
                   fl_lin_result_name(got), msg);
        if (want == FL_LIN_ERROR)
            CU_ASSERT_PTR_NOT_NULL(strstr(msg, "h:1:"));
    }
}

static void test_exact_numbers(void)
{
    /* 2^53 + 1 is not a double: a reader going through one would see
     * 2^53 and judge the first history linearizable */
    numbers_case("9007199254740993", "9007199254740992", FL_LIN_VIOLATION);
    numbers_case("9007199254740993", "9007199254740993", FL_LIN_OK);
    numbers_case("9223372036854775807", "9223372036854775807", FL_LIN_OK);
    numbers_case("-9223372036854775807", "-9223372036854775807", FL_LIN_OK);
    numbers_case("9223372036854775808", "1", FL_LIN_ERROR);
    numbers_case("99999999999999999999", "1", FL_LIN_ERROR);
}

static void test_non_integers_refused(void)
{
    char msg[512] = "";
    CU_ASSERT_EQUAL(verdict("{\"process\":0,\"type\":\"invoke\",\"f\":\"write\","
                            "\"value\":1e3}\n", "register", NULL, msg,
                            sizeof msg), FL_LIN_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "h:1: expected an integer, found 1e3"));
    CU_ASSERT_EQUAL(verdict("{\"process\":0,\"type\":\"invoke\",\"f\":\"write\","
                            "\"value\":\"a\\\"1.5\",\"time_ns\":2.5}\n",
                            "register", NULL, msg, sizeof msg), FL_LIN_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "found 2.5"));
    CU_ASSERT_EQUAL(verdict("{:process 0, :type :invoke, :f :write, "
                            ":value 1.5}\n", "register", NULL, msg,
                            sizeof msg), FL_LIN_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "h:1:"));
}

/* ---- faultline's EDN, field by field ---------------------------------------------- */

static uint64_t inv(fl_history *h, int64_t p, fl_op_kind k, uint32_t key,
                    int64_t a, int64_t b, int64_t t)
{
    fl_op op = { .kind = k, .key = key, .arg = a, .arg2 = b };
    return fl_history_invoke(h, p, FL_NO_NODE, &op, t);
}

/* The value of `name` in the op map `line` ("{:k v, :k v}"), at depth 0;
 * NULL if absent. Fills buf. */
static const char *field(const char *line, const char *name, char *buf,
                         size_t len)
{
    size_t n = strlen(name);
    int depth = 0;
    for (const char *c = line; *c; c++) {
        if (*c == '[' || *c == '{')
            depth++;
        else if (*c == ']' || *c == '}')
            depth--;
        else if (depth == 1 && *c == ':' && (c[-1] == '{' || c[-1] == ' ') &&
                 strncmp(c + 1, name, n) == 0 && c[1 + n] == ' ') {
            const char *v = c + n + 2, *e = v;
            int d = 0;
            while (*e && !(d == 0 && (*e == ',' || *e == '}'))) {
                d += *e == '[' ? 1 : *e == ']' ? -1 : 0;
                e++;
            }
            snprintf(buf, len, "%.*s", (int)(e - v), v);
            return buf;
        }
    }
    return NULL;
}

/* The number of top-level keys of an op map. */
static int key_count(const char *line)
{
    int depth = 0, keys = 0;
    for (const char *c = line; *c; c++) {
        depth += (*c == '[' || *c == '{') ? 1 : (*c == ']' || *c == '}') ? -1
                                                                          : 0;
        keys += depth == 1 && *c == ':' && (c[-1] == '{' || c[-1] == ' ') &&
                (c[-1] == '{' || c[-2] == ',');
    }
    return keys;
}

static void test_edn_op_maps(void)
{
    fl_history h;
    fl_history_init(&h);
    uint64_t w = inv(&h, 0, FL_OP_WRITE, 2, 7, 0, 1000);
    uint64_t c = inv(&h, 1, FL_OP_CAS, 2, 7, 8, 2000);
    uint64_t c2 = inv(&h, 2, FL_OP_CAS, 3, 1, 2, 2500);
    fl_history_complete(&h, w, FL_HIST_OK, 0, 3000);
    fl_history_complete(&h, c, FL_HIST_OK, 1, 4000);     /* swapped */
    fl_history_complete(&h, c2, FL_HIST_OK, 0, 4500);    /* did not */
    uint64_t r = inv(&h, 0, FL_OP_READ, 2, 0, 0, 5000);
    fl_history_complete(&h, r, FL_HIST_OK, 8, 6000);
    uint64_t i = inv(&h, 1, FL_OP_WRITE, 3, 9, 0, 7000);
    fl_history_complete(&h, i, FL_HIST_INFO, FL_NIL, 8000);
    uint64_t f = inv(&h, 4, FL_OP_WRITE, 3, 10, 0, 9000);
    fl_history_complete(&h, f, FL_HIST_FAIL, FL_NIL, 9500);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
    CU_ASSERT_EQUAL(fl_history_write_edn(&h, mem), 0);
    fclose(mem);
    static const char *const types[] = { "invoke", "invoke", "invoke", "ok",
        "ok", "fail", "invoke", "ok", "invoke", "info", "invoke", "fail" };
    static const char *const values[] = { "[2 7]", "[2 [7 8]]", "[3 [1 2]]",
        "[2 7]", "[2 [7 8]]", "[3 [1 2]]", "[2 nil]", "[2 8]", "[3 9]",
        "[3 9]", "[3 10]", "[3 10]" };
    static const char *const fs[] = { "write", "cas", "cas", "write", "cas",
        "cas", "read", "read", "write", "write", "write", "write" };
    char *save = NULL, buf[128];
    char *line = strtok_r(text, "\n", &save);
    CU_ASSERT_PTR_NOT_NULL_FATAL(line);
    CU_ASSERT_EQUAL(strncmp(line, FL_HIST_EDN_MARK, strlen(FL_HIST_EDN_MARK)),
                    0);
    size_t k = 0;
    for (line = strtok_r(NULL, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save), k++) {
        CU_ASSERT_FATAL(k < h.len);
        const fl_hist_event *e = &h.events[k];
        char want[64];
        CU_ASSERT_EQUAL(line[0], '{');
        CU_ASSERT_EQUAL(line[strlen(line) - 1], '}');
        snprintf(want, sizeof want, "%zu", k);
        CU_ASSERT_STRING_EQUAL(field(line, "index", buf, sizeof buf), want);
        snprintf(want, sizeof want, ":%s", types[k]);
        CU_ASSERT_STRING_EQUAL(field(line, "type", buf, sizeof buf), want);
        snprintf(want, sizeof want, ":%s", fs[k]);
        CU_ASSERT_STRING_EQUAL(field(line, "f", buf, sizeof buf), want);
        CU_ASSERT_STRING_EQUAL(field(line, "value", buf, sizeof buf),
                               values[k]);
        snprintf(want, sizeof want, "%" PRId64, e->process);
        CU_ASSERT_STRING_EQUAL(field(line, "process", buf, sizeof buf), want);
        snprintf(want, sizeof want, "%" PRId64, e->time);  /* ns */
        CU_ASSERT_STRING_EQUAL(field(line, "time", buf, sizeof buf), want);
        /* nothing else, but :error on the CAS that did not swap */
        bool err = k == 5;
        CU_ASSERT_EQUAL(key_count(line), err ? 7 : 6);
        if (err)
            CU_ASSERT_STRING_EQUAL(field(line, "error", buf, sizeof buf),
                                   ":mismatch");
        CU_ASSERT_PTR_NULL(field(line, "key", buf, sizeof buf));
        CU_ASSERT_PTR_NULL(field(line, "result", buf, sizeof buf));
    }
    CU_ASSERT_EQUAL(k, h.len);
    free(text);
    fl_history_destroy(&h);
}

/* The EDN of a run reads back to the run's own verdict; without its first
 * line it is Knossos' EDN, where the nil read below is unknown. */
static void test_edn_round_trip(void)
{
    fl_history h;
    fl_history_init(&h);
    uint64_t w = inv(&h, 0, FL_OP_WRITE, 0, 1, 0, 10);
    fl_history_complete(&h, w, FL_HIST_OK, 0, 20);
    uint64_t c = inv(&h, 1, FL_OP_CAS, 0, 5, 6, 30);
    fl_history_complete(&h, c, FL_HIST_OK, 0, 40);
    uint64_t r = inv(&h, 2, FL_OP_READ, 0, 0, 0, 50);
    fl_history_complete(&h, r, FL_HIST_OK, FL_NIL, 60);   /* stale */
    CU_ASSERT_EQUAL(fl_lin_check_history(&h, "register", FL_NIL, 10, NULL),
                    FL_LIN_VIOLATION);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
    CU_ASSERT_EQUAL(fl_history_write_edn(&h, mem), 0);
    fclose(mem);
    NO(text, "register");
    const char *knossos = strchr(text, '\n') + 1;
    YES(knossos, "register");
    free(text);
    fl_history_destroy(&h);
}

/* ---- the command: several files, guesses printed ---------------------------------- */

static char *write_tmp(const char *text)
{
    char *path = strdup("/tmp/fl-check-sem-XXXXXX");
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL((size_t)write(fd, text, strlen(text)), strlen(text));
    close(fd);
    return path;
}

static int run_check(int argc, const char *const *argv)
{
    fflush(stdout);
    return fl_cmd_check(argc, (char **)argv);
}

static void test_many_files(void)
{
    char *ok = write_tmp("{:process 0, :type :invoke, :f :read, :value nil}\n"
                         "{:process 0, :type :ok, :f :read, :value nil}\n");
    char *bad = write_tmp("{:process 0, :type :invoke, :f :write, :value 1}\n"
                          "{:process 0, :type :ok, :f :write, :value 1}\n"
                          "{:process 1, :type :invoke, :f :read, :value nil}\n"
                          "{:process 1, :type :ok, :f :read, :value 2}\n");
    char *broken = write_tmp("{:process 0, :type :what}\n");
    CU_ASSERT_EQUAL(run_check(3, (const char *[]){ "check", ok, ok }), 0);
    CU_ASSERT_EQUAL(run_check(3, (const char *[]){ "check", ok, bad }), 1);
    CU_ASSERT_EQUAL(run_check(3, (const char *[]){ "check", bad, ok }), 1);
    CU_ASSERT_EQUAL(run_check(4, (const char *[]){ "check", ok, broken, bad }),
                    2);
    CU_ASSERT_EQUAL(run_check(5, (const char *[]){ "check", ok, bad,
                                                   "--html", "/tmp/x" }), 2);
    unlink(ok);
    unlink(bad);
    unlink(broken);
    free(ok);
    free(bad);
    free(broken);
}

/* What `check` prints on stdout, and its status in *rc. */
static char *capture(int argc, const char *const *argv, int *rc)
{
    fflush(stdout);
    char path[] = "/tmp/fl-check-cap-XXXXXX";
    int fd = mkstemp(path), saved = dup(1);
    CU_ASSERT_FATAL(fd >= 0 && saved >= 0);
    dup2(fd, 1);
    *rc = fl_cmd_check(argc, (char **)argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    off_t n = lseek(fd, 0, SEEK_END);
    char *out = calloc((size_t)n + 1, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_EQUAL(pread(fd, out, (size_t)n, 0), n);
    close(fd);
    unlink(path);
    return out;
}

/* A guessed model and an initial value the format implies are printed;
 * --model and --init win over both, and then nothing is said of them. */
static void test_guess_printed(void)
{
    char *kv = write_tmp(
        "{:process 0, :type :invoke, :f :get, :key \"3\", :value nil}\n"
        "{:process 0, :type :ok, :f :get, :key \"3\", :value \"\"}\n");
    int rc;
    char *out = capture(2, (const char *[]){ "check", kv }, &rc);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "model kv (guessed"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "initial value from the format: "
                                       "Porcupine's kv format"));
    free(out);
    out = capture(6, (const char *[]){ "check", kv, "--model", "kv",
                                       "--init", "nil" }, &rc);
    CU_ASSERT_EQUAL(rc, 1);                 /* nil is not "" */
    CU_ASSERT_PTR_NULL(strstr(out, "guessed"));
    CU_ASSERT_PTR_NULL(strstr(out, "initial value from the format"));
    free(out);
    unlink(kv);
    free(kv);
}

/* ---- a violation found fast -------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Porcupine's kv format: key "hard" first — 400 random concurrent ops of
 * 40 processes (gets, puts, appends, some timed out), linearizable by
 * construction and far too costly to decide in a second (one thread
 * leaves it undecided for over a minute) — then key "bad", a read that
 * misses an acknowledged put. */
static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

typedef struct hb_buf {
    char  *t;
    size_t at, cap;
} hb_buf;

static void hb_event(hb_buf *b, long p, const char *type, const char *f,
                     const char *key, const char *v)
{
    if (b->cap - b->at < 4200) {
        b->cap = b->cap * 2 + 8192;
        b->t = realloc(b->t, b->cap);
        CU_ASSERT_PTR_NOT_NULL_FATAL(b->t);
    }
    b->at += (size_t)snprintf(b->t + b->at, b->cap - b->at,
                              "{:process %ld, :type :%s, :f :%s, :key \"%s\","
                              " :value %s}\n", p, type, f, key, v);
}

static char *hard_then_bad(void)
{
    enum { P = 40, N = 400 };
    static const char *const fs[] = { "get", "append", "append", "put" };
    hb_buf b = { 0 };
    uint64_t seed = 1;
    char state[4096] = "", val[P][4096], q[4200];
    int phase[P] = { 0 }, f[P];
    long pid[P], next = P;
    int count = 0, open = 0;
    for (int p = 0; p < P; p++)
        pid[p] = p;
    for (;;) {
        int p = (int)(mix(&seed) % P);
        if (phase[p] == 0) {
            if (count >= N) {
                if (!open)
                    break;
                continue;
            }
            count++;
            open++;
            f[p] = (int)(mix(&seed) % 4);
            snprintf(val[p], sizeof val[p], "%d ", count);
            snprintf(q, sizeof q, "\"%s\"", val[p]);
            hb_event(&b, pid[p], "invoke", fs[f[p]], "hard",
                     f[p] ? q : "nil");
            phase[p] = 1;
        } else if (phase[p] == 1 && mix(&seed) % 10 < 3) {
            if (f[p] == 0)
                snprintf(val[p], sizeof val[p], "%s", state);
            else if (f[p] == 3)
                snprintf(state, sizeof state, "%s", val[p]);
            else if (strlen(state) + strlen(val[p]) < sizeof state)
                strcat(state, val[p]);
            phase[p] = 2;
        } else if (phase[p] == 2 && mix(&seed) % 2) {
            bool info = f[p] != 0 && mix(&seed) % 100 < 15;
            snprintf(q, sizeof q, "\"%s\"", val[p]);
            hb_event(&b, pid[p], info ? "info" : "ok", fs[f[p]], "hard", q);
            if (info)
                pid[p] = next++;
            phase[p] = 0;
            open--;
        }
    }
    hb_event(&b, 9000, "invoke", "put", "bad", "\"1\"");
    hb_event(&b, 9000, "ok", "put", "bad", "\"1\"");
    hb_event(&b, 9001, "invoke", "get", "bad", "nil");
    hb_event(&b, 9001, "ok", "get", "bad", "\"\"");
    return b.t;
}

static void test_fast_violation(void)
{
    char *text = hard_then_bad();
    fl_lin_history h;
    fl_error err;
    CU_ASSERT_EQUAL_FATAL(fl_hist_read_text("hard", text, strlen(text),
                                            FL_HFMT_AUTO, &h, NULL, &err), 0);
    const fl_model *kv = fl_model_find("kv");
    /* one thread: the hard key holds up the bad one for the whole
     * timeout (what partitions checked one after another cost) */
    fl_lin_options one = { .timeout_s = 1, .threads = 1 };
    fl_lin_report r;
    double t0 = now_s();
    fl_lin_result res = fl_lin_check_opts(&h, kv, NULL, &one, &r);
    CU_ASSERT_EQUAL(res, FL_LIN_VIOLATION);
    CU_ASSERT(now_s() - t0 >= 0.9);
    fl_lin_report_free(&r);
    /* the hard key alone: undecided, and named */
    char *cut = strstr(text, "{:process 9000");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cut);
    fl_lin_history hard;
    CU_ASSERT_EQUAL_FATAL(fl_hist_read_text("hard", text,
                                            (size_t)(cut - text),
                                            FL_HFMT_AUTO, &hard, NULL, &err),
                          0);
    fl_lin_options sec = { .timeout_s = 1 };
    CU_ASSERT_EQUAL(fl_lin_check_opts(&hard, kv, NULL, &sec, &r),
                    FL_LIN_UNKNOWN);
    CU_ASSERT_STRING_EQUAL(r.undecided, "\"hard\"");
    CU_ASSERT_PTR_NOT_NULL(strstr(r.summary, "first undecided: key \"hard\""));
    fl_lin_report_free(&r);
    fl_lin_history_free(&hard);
    /* with the default threads, NO in well under a second, whatever the
     * timeout */
    double timeouts[] = { 600, 5, 0 };
    for (int i = 0; i < 3; i++) {
        fl_lin_options o = { .timeout_s = timeouts[i] };
        t0 = now_s();
        res = fl_lin_check_opts(&h, kv, NULL, &o, &r);
        double took = now_s() - t0;
        CU_ASSERT_EQUAL(res, FL_LIN_VIOLATION);
        CU_ASSERT_STRING_EQUAL(r.key, "\"bad\"");
        CU_ASSERT(took < 0.9);
        if (took >= 0.9 || res != FL_LIN_VIOLATION)
            printf("\n  timeout %g: %s in %.3f s\n", timeouts[i],
                   fl_lin_result_name(res), took);
        fl_lin_report_free(&r);
    }
    (void)t0;
    fl_lin_history_free(&h);
    free(text);
}

static const fl_cu_test formats_tests[] = {
    { "Knossos: a nil read is unknown", test_knossos_nil_read },
    { "Knossos: :fail did not happen, :info may have", test_knossos_fail_info },
    { "Jepsen independent keys [k v]", test_independent_tuples },
    { "Porcupine kv: every key starts at \"\"", test_porcupine_kv_fresh_key },
    { "exact numbers, the same in every reader", test_exact_numbers },
    { "non-integers refused with the line", test_non_integers_refused },
    { NULL, NULL }
};

static const fl_cu_test models_tests[] = {
    { "mutex", test_mutex },
    { "multi-register", test_multi_register },
    { NULL, NULL }
};

static const fl_cu_test edn_tests[] = {
    { "op maps as Jepsen writes them, field by field", test_edn_op_maps },
    { "read back: the run's verdict; as Knossos EDN: weaker",
      test_edn_round_trip },
    { NULL, NULL }
};

static const fl_cu_test command_tests[] = {
    { "several files: the worst status", test_many_files },
    { "a guess is printed; --model and --init win", test_guess_printed },
    { "a violation found fast, whatever the timeout", test_fast_violation },
    { NULL, NULL }
};

int main(void)
{
    static const fl_cu_suite suites[] = {
        { "check.formats", formats_tests },
        { "check.models", models_tests },
        { "check.edn", edn_tests },
        { "check.fast", command_tests },
        { NULL, NULL }
    };
    return fl_cu_main(suites);
}
