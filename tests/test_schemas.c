/* test_schemas.c — what faultline writes matches what docs/ publishes:
 * every line of a trace and of a history from real runs validates against
 * docs/trace.schema.json and docs/history.schema.json; lines that break the
 * schema are rejected (so the check can fail). */
#include <stdlib.h>
#include <string.h>

#include "sim/engine.h"
#include "sim/run/registry.h"
#include "sim/scenario/scenario.h"
#include "tests/cu.h"
#include "tests/json_schema.h"

static cJSON *load_schema(const char *name)
{
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s/docs/%s", fl_cu_srcdir(), name);
    cJSON *s = fl_json_load_file(path, err, sizeof err);
    if (!s)
        fprintf(stderr, "%s\n", err);
    return s;
}

/* Runs a scenario, capturing the trace and the history in memory. */
static int run_capture(const char *rel, char **trace, size_t *tlen,
                       char **hist, size_t *hlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", fl_cu_srcdir(), rel);
    fl_error err = { { 0 } };
    fl_scenario *s = fl_scenario_load(path, &err);
    const fl_algorithm *alg = s ? fl_registry_find(s->algorithm) : NULL;
    if (!s || !alg || fl_scenario_bind(s, alg, &err) < 0) {
        fl_scenario_free(s);
        return -1;
    }
    fl_engine *e = fl_engine_new(s, alg, 3, s->duration, &err);
    if (!e) {
        fl_scenario_free(s);
        return -1;
    }
    FILE *t = open_memstream(trace, tlen);
    FILE *h = open_memstream(hist, hlen);
    fl_engine_trace_to(e, t, FL_TRACE_JSONL);
    fl_engine_run(e);
    fl_engine_finish(e);
    fl_history_write_jsonl(fl_engine_history(e), h);
    fclose(t);
    fclose(h);
    fl_engine_free(e);
    fl_scenario_free(s);
    return 0;
}

/* Validates every line; returns the number of lines, -1 at the first bad one. */
static long validate_lines(const cJSON *schema, char *text)
{
    long n = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        cJSON *doc = cJSON_Parse(line);
        char err[512] = "";
        int rc = doc ? fl_json_schema_validate(schema, doc, err, sizeof err) : -1;
        cJSON_Delete(doc);
        if (rc != 0) {
            fprintf(stderr, "line %ld: %s\n  %s\n", n + 1, err, line);
            return -1;
        }
        n++;
    }
    return n;
}

static void check_scenario_min(const char *rel, long min_hist)
{
    cJSON *ts = load_schema("trace.schema.json");
    cJSON *hs = load_schema("history.schema.json");
    CU_ASSERT_FATAL(ts && hs);
    char *trace = NULL, *hist = NULL;
    size_t tl = 0, hl = 0;
    CU_ASSERT_FATAL(run_capture(rel, &trace, &tl, &hist, &hl) == 0);
    long tn = validate_lines(ts, trace);
    long hn = validate_lines(hs, hist);
    CU_ASSERT(tn > 100);
    CU_ASSERT(hn >= min_hist);
    free(trace);
    free(hist);
    cJSON_Delete(ts);
    cJSON_Delete(hs);
}

static void check_scenario(const char *rel)
{
    check_scenario_min(rel, 11);
}

static void test_kv_outputs(void)
{
    check_scenario("scenarios/kv/faults-tour.json");
    check_scenario("scenarios/kv/crash-restart.json");
}

/* Every algorithm's traces, with link faults, partitions and drops: the
 * structured fields (from/to, reason, groups, link flags) validate. */
static void test_structured_fields(void)
{
    check_scenario("scenarios/raft/leader-oneway.json");
    check_scenario("scenarios/paxos/basic-dueling.json");
    check_scenario_min("scenarios/lock/paused-client.json", 0);
    check_scenario("scenarios/counter/crdt-partition.json");
    check_scenario_min("scenarios/sort/partition.json", 0);
}

static void test_rejects(void)
{
    cJSON *ts = load_schema("trace.schema.json");
    cJSON *hs = load_schema("history.schema.json");
    CU_ASSERT_FATAL(ts && hs);
    char bad1[] = "{\"t\":-5,\"ev\":\"send\",\"node\":0}";
    char bad2[] = "{\"t\":5,\"ev\":\"teleport\",\"node\":0}";
    char bad3[] = "{\"process\":0,\"type\":\"maybe\",\"f\":\"read\",\"key\":0,\"value\":null,\"time_ns\":1}";
    char bad4[] = "{\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"key\":0,\"value\":\"x\",\"time_ns\":1}";
    CU_ASSERT_EQUAL(validate_lines(ts, bad1), -1);
    CU_ASSERT_EQUAL(validate_lines(ts, bad2), -1);
    CU_ASSERT_EQUAL(validate_lines(hs, bad3), -1);
    CU_ASSERT_EQUAL(validate_lines(hs, bad4), -1);
    /* structured fields are required where readers need them */
    char drop_no_reason[] = "{\"t\":5,\"ev\":\"drop\",\"node\":0,\"peer\":1,\"id\":3,"
                            "\"from\":0,\"to\":1,\"kind\":\"X\",\"text\":\"loss\"}";
    char part_no_groups[] = "{\"t\":5,\"ev\":\"partition\",\"node\":-1,\"a\":2,\"b\":0,"
                            "\"text\":\"[0] [1,2]\"}";
    char link_no_flags[] = "{\"t\":5,\"ev\":\"link\",\"node\":0,\"peer\":1,\"a\":-1,"
                           "\"b\":0,\"text\":\"0 -> 1 cut\"}";
    char send_no_id[] = "{\"t\":5,\"ev\":\"send\",\"node\":0,\"peer\":1,\"from\":0,"
                        "\"to\":1,\"kind\":\"X\"}";
    char drop_ok[] = "{\"t\":5,\"ev\":\"drop\",\"node\":0,\"peer\":1,\"id\":3,"
                     "\"from\":0,\"to\":1,\"kind\":\"X\",\"reason\":\"loss\"}";
    CU_ASSERT_EQUAL(validate_lines(ts, drop_no_reason), -1);
    CU_ASSERT_EQUAL(validate_lines(ts, part_no_groups), -1);
    CU_ASSERT_EQUAL(validate_lines(ts, link_no_flags), -1);
    CU_ASSERT_EQUAL(validate_lines(ts, send_no_id), -1);
    CU_ASSERT_EQUAL(validate_lines(ts, drop_ok), 1);
    cJSON_Delete(ts);
    cJSON_Delete(hs);
}

static const fl_cu_test tests[] = {
    { "traces and histories match docs/ schemas", test_kv_outputs },
    { "every algorithm's structured trace fields validate", test_structured_fields },
    { "schemas reject malformed lines", test_rejects },
    { NULL, NULL },
};

int main(void)
{
    static const fl_cu_suite suites[] = {
        { "schemas", tests },
        { NULL, NULL },
    };
    return fl_cu_main(suites);
}
