/* test_scenario.c — the scenario loader's tests: a table of malformed
 * scenarios (each must be refused with "bad.json: $.exact.path: ..."),
 * real files that cannot be scenarios, what a good scenario turns into,
 * fl_scenario_bind, and every shipped scenario against the loader. Every
 * document the tests expect to load is also written out for
 * tests/test_schemas.sh, which validates it against
 * docs/scenario.schema.json (FL_SCHEMA_DUMP below).
 *
 * Scenario text in the tables is written with ' where JSON wants ", to
 * keep it readable; fl_dq turns it back. */
#include "sim/scenario/scenario.h"
#include "tests/cu.h"

#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

#define BAD_FILE "bad.json"
#define BASE "{'name':'t','algorithm':'fake','duration_ms':10000,'nodes':5"

/* ---- Helpers ---------------------------------------------------------------- */

static char *fl_dq(const char *text)
{
    char *s = strdup(text);
    if (s)
        for (char *p = s; *p; p++)
            if (*p == '\'')
                *p = '"';
    return s;
}

/* `members` added to BASE, or a whole document when whole is true. */
static char *fl_doc(const char *members, bool whole)
{
    if (whole)
        return fl_dq(members);
    size_t n = strlen(BASE) + strlen(members) + 4;
    char *buf = malloc(n);
    if (!buf)
        return NULL;
    snprintf(buf, n, "%s%s%s}", BASE, members[0] ? "," : "", members);
    char *s = fl_dq(buf);
    free(buf);
    return s;
}

static char *fl_src_path(const char *rel)
{
    const char *dir = fl_cu_srcdir();
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, rel);
    return p;
}

/* A document the loader accepted must be valid against the schema too: a
 * loader and a schema that disagree about a good scenario are a bug in one
 * of them. When FL_SCHEMA_DUMP names a file, each such document is
 * appended to it as one line (JSON allows no raw newline inside a string,
 * so the others become spaces); tests/test_schemas.sh runs this program
 * so and validates every line with python3-jsonschema. */
static void fl_expect_schema_ok(const char *text)
{
    const char *dump = getenv("FL_SCHEMA_DUMP");
    if (!dump || !*dump)
        return;
    FILE *f = fopen(dump, "a");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    for (const char *c = text; *c; c++)
        fputc(*c == '\n' || *c == '\r' ? ' ' : *c, f);
    fputc('\n', f);
    CU_ASSERT_EQUAL(fclose(f), 0);
}

/* Parses members added to BASE (or a whole document); must succeed. */
static fl_scenario *fl_parse_ok(const char *members, bool whole)
{
    char *text = fl_doc(members, whole);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    fl_error err = { "" };
    fl_scenario *s = fl_scenario_parse(text, strlen(text), "ok.json", &err);
    if (!s)
        printf("\n  refused a good scenario: %s\n  %s\n", err.msg, text);
    CU_ASSERT_PTR_NOT_NULL(s);
    fl_expect_schema_ok(text);
    free(text);
    return s;
}

/* ---- The fake algorithm for fl_scenario_bind -------------------------------- */

static int fake_validate(const cJSON *params, char *err, size_t len)
{
    if (cJSON_GetObjectItemCaseSensitive(params, "bad")) {
        snprintf(err, len, "bad: not a setting of fake");
        return -1;
    }
    if (cJSON_GetObjectItemCaseSensitive(params, "vague")) {
        snprintf(err, len, "something is off");
        return -1;
    }
    return 0;
}

static const fl_role fake_roles[] = {
    { .name = "server" }, { .name = "storage" }, { .name = NULL }
};

static const fl_algorithm fake_alg = {
    .abi_version = FL_ABI_VERSION,
    .struct_size = sizeof(fl_algorithm),
    .name = "fake",
    .description = "roles only, for the loader's tests",
    .roles = fake_roles,
    .validate = fake_validate,
};

static const fl_role other_roles[] = {
    { .name = "proposer" }, { .name = "acceptor" }, { .name = NULL }
};

static const fl_algorithm other_alg = {
    .abi_version = FL_ABI_VERSION,
    .struct_size = sizeof(fl_algorithm),
    .name = "other",
    .roles = other_roles,
};

/* ---- Malformed scenarios ------------------------------------------------------ */

typedef struct fl_bad_case {
    bool        whole;  /* text is the whole document (else members for BASE) */
    const char *text;
    const char *path;   /* the message must start "bad.json: PATH: " */
    const char *what;   /* ...and contain this */
} fl_bad_case;

#define W(text, path, what) { true, text, path, what }
#define A(text, path, what) { false, text, path, what }

static const fl_bad_case bad_cases[] = {
    /* the document itself */
    W("hello", "$", "JSON syntax error near line 1"),
    W("{'name':'t',\n'algorithm':", "$", "JSON syntax error near line 2"),
    W("{'name':'t','algorithm':'fake','nodes':3,'duration_ms':10} x", "$",
      "text after the JSON value"),
    W("[1,2]", "$", "must be an object (got an array)"),
    W("   \n  ", "$", "the file is empty"),
    W("{'algorithm':'fake','nodes':3,'duration_ms':10}", "$.name",
      "required key is missing"),
    W("{'name':5,'algorithm':'fake','nodes':3,'duration_ms':10}", "$.name",
      "must be a string"),
    W("{'name':'0123456789012345678901234567890123456789012345678901234567890123456789',"
      "'algorithm':'fake','nodes':3,'duration_ms':10}", "$.name", "1 to 63"),
    W("{'name':'t','nodes':3,'duration_ms':10}", "$.algorithm", "required"),
    W("{'name':'t','algorithm':'fake','nodes':3}", "$.duration_ms", "required"),
    W("{'name':'t','algorithm':'fake','duration_ms':10}", "$.nodes", "required"),
    A("'description':5", "$.description", "must be a string"),
    A("'duraton_ms':5", "$.duraton_ms", "unknown key (did you mean \"duration_ms\"?)"),
    A("'faults':[],'faults':[]", "$.faults", "duplicate key"),
    A("'params':{'a':{'b':1,'b':2}}", "$.params.a.b", "duplicate key"),
    A("'params':[]", "$.params", "must be an object"),
    /* duration and seed */
    W("{'name':'t','algorithm':'fake','nodes':3,'duration_ms':0}", "$.duration_ms",
      "must be > 0"),
    W("{'name':'t','algorithm':'fake','nodes':3,'duration_ms':'10s'}", "$.duration_ms",
      "must be a number > 0 (got a string)"),
    W("{'name':'t','algorithm':'fake','nodes':3,'duration_ms':1e999}", "$.duration_ms",
      "finite"),
    A("'seed':-1", "$.seed", "must be an integer >= 0"),
    A("'seed':1.5", "$.seed", "must be an integer >= 0"),
    A("'seed':true", "$.seed", "must be an integer >= 0 or a string"),
    A("'seed':'0xZZ'", "$.seed", "is not a seed"),
    A("'seed':'0x'", "$.seed", "is not a seed"),
    A("'seed':'18446744073709551616'", "$.seed", "does not fit in 64 bits"),
    A("'seed':1e17", "$.seed", "write the seed as a string"),
    /* nodes */
    W("{'name':'t','algorithm':'fake','duration_ms':10,'nodes':0}", "$.nodes",
      "must be an integer in [1, 1024]"),
    W("{'name':'t','algorithm':'fake','duration_ms':10,'nodes':2000}", "$.nodes",
      "must be an integer in [1, 1024]"),
    W("{'name':'t','algorithm':'fake','duration_ms':10,'nodes':'five'}", "$.nodes",
      "an integer >= 1 or an object"),
    W("{'name':'t','algorithm':'fake','duration_ms':10,'nodes':{'server':-1}}",
      "$.nodes.server", "must be an integer in [0, 1024]"),
    W("{'name':'t','algorithm':'fake','duration_ms':10,'nodes':{'a':1,'b':1,'c':1,"
      "'d':1,'e':1,'f':1,'g':1,'h':1,'i':1}}", "$.nodes", "at most 8 roles"),
    W("{'name':'t','algorithm':'fake','duration_ms':10,'nodes':{'a':1,'b':1,'c':1,"
      "'d':1,'e':1,'f':1,'g':1,'h':1},'workload':{'clients':1}}", "$.nodes",
      "no room for the \"client\" role"),
    W("{'name':'t','algorithm':'fake','duration_ms':10,'nodes':{'Bad Role':1}}",
      "$.nodes[\"Bad Role\"]", "must match [a-z][a-z0-9_-]*"),
    W("{'name':'t','algorithm':'fake','duration_ms':10,'nodes':{'leader':1}}",
      "$.nodes.leader", "is a selector word"),
    W("{'name':'t','algorithm':'fake','duration_ms':10,'nodes':{}}", "$.nodes",
      "must add up to 1..1024 nodes"),
    W("{'name':'t','algorithm':'fake','duration_ms':10,'nodes':{'server':0}}", "$.nodes",
      "(got 0)"),
    W("{'name':'t','algorithm':'fake','duration_ms':10,'nodes':{'server':3,'client':2},"
      "'workload':{'clients':3}}", "$.nodes.client", "must equal $.workload.clients (3)"),
    W("{'name':'t','algorithm':'fake','duration_ms':10,'nodes':1000,"
      "'workload':{'clients':100}}", "$.nodes", "(got 1100)"),
    /* network */
    A("'network':{'dorp':0.1}", "$.network.dorp", "unknown key (did you mean \"drop\"?)"),
    A("'network':{'Drop':0.1}", "$.network.Drop", "did you mean \"drop\"?"),
    A("'network':{'bandwidth':5}", "$.network.bandwidth",
      "expected one of: latency, drop, duplicate, fifo"),
    A("'network':5", "$.network", "must be an object"),
    A("'network':{'drop':1.5}", "$.network.drop", "must be a probability in [0, 1]"),
    A("'network':{'duplicate':-0.1}", "$.network.duplicate", "probability"),
    A("'network':{'fifo':'yes'}", "$.network.fifo", "must be true or false"),
    A("'network':{'latency':'fast'}", "$.network.latency", "a number of ms or an object"),
    A("'network':{'latency':-1}", "$.network.latency", "must be >= 0"),
    A("'network':{'latency':{'ms':3}}", "$.network.latency.dist", "required"),
    A("'network':{'latency':{'dist':'normel','mean_ms':1,'stddev_ms':1}}",
      "$.network.latency.dist", "unknown distribution \"normel\" (did you mean \"normal\"?)"),
    A("'network':{'latency':{'dist':'uniform','min_ms':5,'max_ms':1}}",
      "$.network.latency.max_ms", "must be >= min_ms"),
    A("'network':{'latency':{'dist':'normal','mean_ms':5}}",
      "$.network.latency.stddev_ms", "required key is missing"),
    A("'network':{'latency':{'dist':'constant','ms':1,'sigma':2}}",
      "$.network.latency.sigma", "unknown key"),
    A("'network':{'latency':{'dist':'pareto','scale_ms':1,'alpha':0}}",
      "$.network.latency.alpha", "must be > 0"),
    A("'network':{'latency':{'dist':'lognormal','median_ms':0,'sigma':1}}",
      "$.network.latency.median_ms", "must be > 0"),
    A("'network':{'latency':{'dist':'exponential','mean_ms':'x'}}",
      "$.network.latency.mean_ms", "must be a number > 0"),
    /* links */
    A("'links':{}", "$.links", "must be an array"),
    A("'links':[{'from':0,'to':7,'drop':1}]", "$.links[0].to",
      "node 7 does not exist (the scenario has 5 nodes: 0..4)"),
    A("'links':[{'from':'leader','to':1,'drop':1}]", "$.links[0].from",
      "must be a node id"),
    A("'links':[{'from':0,'to':1}]", "$.links[0]", "needs at least one of"),
    A("'links':[{'to':1,'drop':1}]", "$.links[0].from", "required"),
    A("'links':[{'from':0,'to':1,'drop':1},{'from':0,'to':1,'drop':0.5}]", "$.links[1]",
      "link 0 -> 1 is already overridden at $.links[0]"),
    /* disk */
    A("'disk':{'sink':1}", "$.disk.sink", "did you mean \"sync\"?"),
    A("'disk':{'sync':{'dist':'gamma'}}", "$.disk.sync.dist", "unknown distribution"),
    A("'disk':{'torn_writes':1}", "$.disk.torn_writes", "must be true or false"),
    /* workload */
    A("'workload':{'clients':-2}", "$.workload.clients", "must be an integer in [0, 1024]"),
    A("'workload':{'clients':2,'rate_per_s':0}", "$.workload.rate_per_s", "must be > 0"),
    A("'workload':{'clients':2,'model':'kvv'}", "$.workload.model",
      "unknown model \"kvv\" (did you mean \"kv\"?)"),
    A("'workload':{'clients':2,'mix':{'add':1}}", "$.workload.mix.add",
      "not an operation of model \"kv\""),
    A("'workload':{'clients':2,'model':'lock','mix':{'read':1}}", "$.workload.mix.read",
      "not an operation of model \"lock\""),
    A("'workload':{'clients':2,'mix':{'read':0,'write':0}}", "$.workload.mix",
      "must not all be 0"),
    A("'workload':{'clients':2,'mix':{'wrte':1}}", "$.workload.mix.wrte",
      "did you mean \"write\"?"),
    A("'workload':{'clients':2,'mix':{'read':-1}}", "$.workload.mix.read", "must be >= 0"),
    A("'workload':{'clients':2,'keys':0}", "$.workload.keys", "must be an integer in [1, "),
    A("'workload':{'clients':2,'model':'register','keys':3}", "$.workload.keys",
      "must be 1 for model \"register\""),
    /* skewed keys: "keys" as an object */
    A("'workload':{'clients':2,'keys':'many'}", "$.workload.keys",
      "must be an integer in [1, 4294967295] or an object with \"count\""),
    A("'workload':{'clients':2,'keys':{'distribution':'zipf'}}", "$.workload.keys.count",
      "required key is missing"),
    A("'workload':{'clients':2,'keys':{'count':0}}", "$.workload.keys.count",
      "must be an integer in [1, "),
    A("'workload':{'clients':2,'keys':{'count':2.5}}", "$.workload.keys.count",
      "must be an integer in [1, "),
    A("'workload':{'clients':2,'keys':{'count':10,'distribution':'zipfian'}}",
      "$.workload.keys.distribution", "did you mean \"zipf\"?"),
    A("'workload':{'clients':2,'keys':{'count':10,'distribution':3}}",
      "$.workload.keys.distribution", "must be one of: uniform, zipf (got a number)"),
    A("'workload':{'clients':2,'keys':{'count':10,'distrbution':'zipf'}}",
      "$.workload.keys.distrbution", "did you mean \"distribution\"?"),
    A("'workload':{'clients':2,'keys':{'count':10,'distribution':'zipf','s':0}}",
      "$.workload.keys.s", "must be > 0"),
    A("'workload':{'clients':2,'keys':{'count':10,'distribution':'zipf','s':-1.1}}",
      "$.workload.keys.s", "must be > 0"),
    A("'workload':{'clients':2,'keys':{'count':10,'distribution':'zipf','s':'1.1'}}",
      "$.workload.keys.s", "must be a number > 0 (got a string)"),
    A("'workload':{'clients':2,'keys':{'count':10,'distribution':'zipf','s':11}}",
      "$.workload.keys.s", "must be at most 10"),
    A("'workload':{'clients':2,'keys':{'count':10,'s':1.1}}", "$.workload.keys.s",
      "only with \"distribution\": \"zipf\""),
    A("'workload':{'clients':2,'keys':{'count':10,'distribution':'uniform','s':1.1}}",
      "$.workload.keys.s", "only with \"distribution\": \"zipf\""),
    A("'workload':{'clients':2,'keys':{'count':2000000,'distribution':'zipf'}}",
      "$.workload.keys.count", "must be at most 1048576 for \"distribution\": \"zipf\""),
    A("'workload':{'clients':2,'model':'register','keys':{'count':3}}",
      "$.workload.keys.count", "must be 1 for model \"register\""),
    A("'workload':{'clients':1,'timeout_ms':0}", "$.workload.timeout_ms", "must be > 0"),
    A("'workload':{'clients':1,'retry_ms':-5}", "$.workload.retry_ms", "must be > 0"),
    A("'workload':{'clients':2,'stop_ms':20000}", "$.workload.stop_ms",
      "must be <= duration_ms (10000)"),
    A("'workload':{'clients':2,'start_ms':500,'stop_ms':100}", "$.workload.stop_ms",
      "must be >= start_ms"),
    A("'workload':{'clients':2,'add_min':3,'add_max':1}", "$.workload.add_max",
      "must be >= add_min (3)"),
    A("'workload':{'clients':2,'add_min':0.5}", "$.workload.add_min",
      "must be an integer in [-1000000, 1000000]"),
    /* faults: common */
    A("'faults':{}", "$.faults", "must be an array"),
    A("'faults':[5]", "$.faults[0]", "must be an object"),
    A("'faults':[{'type':'heal','at_ms':1},{'type':'heal','at_ms':2},"
      "{'type':'crash','at_ms':-5,'node':0}]", "$.faults[2].at_ms", "must be >= 0"),
    A("'faults':[{'type':'heal','at_ms':20000}]", "$.faults[0].at_ms",
      "must be <= duration_ms (10000)"),
    A("'faults':[{'type':'crash','node':1}]", "$.faults[0].at_ms", "required key is missing"),
    /* event-triggered crashes (issue 14) */
    A("'faults':[{'type':'crash','at_ms':1,'on':{}}]", "$.faults[0].on",
      "needs exactly one of"),
    A("'faults':[{'type':'crash','at_ms':1,'on':{'sent':'X','sync':true}}]",
      "$.faults[0].on", "needs exactly one of"),
    A("'faults':[{'type':'crash','at_ms':1,'on':{'sync':false}}]",
      "$.faults[0].on.sync", "must be true"),
    A("'faults':[{'type':'crash','at_ms':1,'on':{'sync':true,'ok':true}}]",
      "$.faults[0].on.ok", "only with"),
    A("'faults':[{'type':'crash','at_ms':1,'on':{'sent':'X','sends':1}}]",
      "$.faults[0].on.sends", "did you mean"),
    A("'faults':[{'type':'crash','at_ms':1,'node':1,'down_ms':5}]",
      "$.faults[0].down_ms", "only with \"on\""),
    A("'faults':[{'type':'crash','at_ms':1,'on':{'sent':'X'},'times':0}]",
      "$.faults[0].times", "must be an integer"),
    A("'faults':[{'type':'crash','at_ms':1,'on':{'sent':'X','from':9}}]",
      "$.faults[0].on.from", "does not exist"),
    /* event-triggered partitions */
    A("'faults':[{'type':'partition','at_ms':1,'groups':[[0],'rest'],'down_ms':5}]",
      "$.faults[0].down_ms", "only with \"on\""),
    A("'faults':[{'type':'partition','at_ms':1,'groups':[[0],'rest'],'after_ms':5}]",
      "$.faults[0].after_ms", "only with \"on\""),
    A("'faults':[{'type':'partition','at_ms':1,'groups':[[0],'rest'],'on':{}}]",
      "$.faults[0].on", "needs exactly one of"),
    A("'faults':[{'type':'partition','at_ms':1,'groups':[[0],'rest'],"
      "'on':{'sent':'*','from':9}}]", "$.faults[0].on.from", "does not exist"),
    A("'faults':[{'type':'partition','at_ms':1,'groups':[[0],'rest'],"
      "'on':{'sent':'*'},'times':2}]", "$.faults[0].times", "unknown key"),
    A("'faults':[{'at_ms':1}]", "$.faults[0].type", "required key is missing"),
    A("'faults':[{'type':'crsh','at_ms':1,'node':1}]", "$.faults[0].type",
      "unknown fault type \"crsh\" (did you mean \"crash\"?)"),
    A("'faults':[{'type':'heal','at_ms':1,'node':1}]", "$.faults[0].node",
      "unknown key (expected one of: type, at_ms)"),
    /* faults: selectors */
    A("'faults':[{'type':'crash','at_ms':1,'node':5}]", "$.faults[0].node",
      "node 5 does not exist"),
    A("'faults':[{'type':'crash','at_ms':1,'node':-1}]", "$.faults[0].node",
      "must be a node id"),
    A("'faults':[{'type':'crash','at_ms':1,'node':true}]", "$.faults[0].node",
      "must be a node selector"),
    A("'faults':[{'type':'crash','at_ms':1,'node':'ledaer'}]", "$.faults[0].node",
      "unknown selector \"ledaer\" (did you mean \"leader\"?)"),
    A("'faults':[{'type':'crash','at_ms':1,'node':'storage'}]", "$.faults[0].node",
      "unknown selector \"storage\""),
    A("'faults':[{'type':'crash','at_ms':1,'node':'rest'}]", "$.faults[0].node",
      "only allowed in partition groups"),
    A("'faults':[{'type':'crash','at_ms':1,'node':'server:x'}]", "$.faults[0].node",
      "is not a selector"),
    A("'faults':[{'type':'crash','at_ms':1,'node':'server:5'}]", "$.faults[0].node",
      "\"server:5\" does not exist (role \"server\" has 5 nodes)"),
    A("'faults':[{'type':'restart','at_ms':1,'node':'storage:0'}]", "$.faults[0].node",
      "the scenario has no role \"storage\""),
    W("{'name':'t','algorithm':'fake','duration_ms':10,'nodes':{'server':3,'storage':0},"
      "'faults':[{'type':'crash','at_ms':1,'node':'storage'}]}", "$.faults[0].node",
      "role \"storage\" has no nodes"),
    /* faults: partition */
    A("'faults':[{'type':'partition','at_ms':1}]", "$.faults[0].groups", "required"),
    A("'faults':[{'type':'partition','at_ms':1,'groups':[[0,1]]}]", "$.faults[0].groups",
      "must be an array of 2 to 8 groups"),
    A("'faults':[{'type':'partition','at_ms':1,'groups':[[0],[1],[2],[3],[4],'rest',"
      "['leader'],['random'],['crashed']]}]", "$.faults[0].groups", "2 to 8 groups"),
    A("'faults':[{'type':'partition','at_ms':1,'groups':[[0],[]]}]", "$.faults[0].groups[1]",
      "array of 1 to 16 node selectors"),
    A("'faults':[{'type':'partition','at_ms':1,'groups':[[0],'others']}]",
      "$.faults[0].groups[1]", "a group must be \"rest\" or an array"),
    A("'faults':[{'type':'partition','at_ms':1,'groups':[[0],[9]]}]",
      "$.faults[0].groups[1][0]", "node 9 does not exist"),
    A("'faults':[{'type':'partition','at_ms':1,'groups':[['rest'],'rest']}]",
      "$.faults[0].groups[1]", "already in groups[0]"),
    A("'faults':[{'type':'partition','at_ms':1,'groups':[[0,1],[2,1]]}]",
      "$.faults[0].groups[1][1]", "already in groups[0]"),
    /* faults: link, pause, clock */
    A("'faults':[{'type':'link','at_ms':1,'from':0,'to':1}]", "$.faults[0]",
      "a link fault needs at least one of drop, latency, duplicate"),
    A("'faults':[{'type':'link','at_ms':1,'from':0,'to':1,'drop':2}]", "$.faults[0].drop",
      "probability"),
    A("'faults':[{'type':'link','at_ms':1,'from':0,'drop':1}]", "$.faults[0].to",
      "required"),
    A("'faults':[{'type':'link','at_ms':1,'from':0,'to':1,'drop':1,'symmetric':'no'}]",
      "$.faults[0].symmetric", "must be true or false"),
    A("'faults':[{'type':'pause','at_ms':1,'node':0,'duration_ms':-1}]",
      "$.faults[0].duration_ms", "must be >= 0"),
    A("'faults':[{'type':'clock','at_ms':1,'node':0,'drift_ppm':600000}]",
      "$.faults[0].drift_ppm", "must be an integer in [-500000, 500000]"),
    A("'faults':[{'type':'clock','at_ms':1,'node':0,'drift_ppm':1.5}]",
      "$.faults[0].drift_ppm", "must be an integer"),
    A("'faults':[{'type':'clock','at_ms':1,'node':0}]", "$.faults[0]",
      "a clock fault needs skew_ms and/or drift_ppm"),
    /* faults: nemesis */
    A("'faults':[{'type':'nemesis','kind':'random-crsh','every_ms':[1,2]}]",
      "$.faults[0].kind", "unknown nemesis \"random-crsh\" (did you mean \"random-crash\"?)"),
    A("'faults':[{'type':'nemesis','kind':'random-crash'}]", "$.faults[0].every_ms",
      "required key is missing"),
    A("'faults':[{'type':'nemesis','kind':'random-crash','every_ms':'often'}]",
      "$.faults[0].every_ms", "must be [lo_ms, hi_ms]"),
    A("'faults':[{'type':'nemesis','kind':'random-crash','every_ms':[300,100]}]",
      "$.faults[0].every_ms[1]", "must be >= every_ms[0]"),
    A("'faults':[{'type':'nemesis','kind':'random-crash','every_ms':[0,100]}]",
      "$.faults[0].every_ms[0]", "must be > 0"),
    A("'faults':[{'type':'nemesis','kind':'random-crash','every_ms':[1,2],'max_down':0}]",
      "$.faults[0].max_down", "must be an integer in [1, 1024]"),
    A("'faults':[{'type':'nemesis','kind':'random-crash','every_ms':[1,2],"
      "'until_ms':20000}]", "$.faults[0].until_ms", "must be <= duration_ms"),
    A("'faults':[{'type':'nemesis','at_ms':500,'kind':'random-pause','every_ms':[1,2],"
      "'until_ms':100}]", "$.faults[0].until_ms", "must be >= at_ms"),
    /* expect */
    A("'expect':{'linearisable':true}", "$.expect.linearisable",
      "did you mean \"linearizable\"?"),
    A("'expect':{'invariants':'some'}", "$.expect.invariants",
      "unknown invariants setting \"some\""),
    A("'expect':{'violation':''}", "$.expect.violation", "1 to 63"),
    A("'expect':{'violation':'raft election'}", "$.expect.violation", "must name a check"),
    A("'expect':{'min_ok_ops':-1}", "$.expect.min_ok_ops", "must be an integer >= 0"),
    A("'expect':{'leader_within_ms':0}", "$.expect.leader_within_ms", "must be > 0"),
};

static void check_bad_case(size_t i, const fl_bad_case *c)
{
    char *text = fl_doc(c->text, c->whole);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    fl_error err = { "" };
    fl_scenario *s = fl_scenario_parse(text, strlen(text), BAD_FILE, &err);
    char head[256];
    snprintf(head, sizeof head, "%s: %s: ", BAD_FILE, c->path);
    bool path_ok = strncmp(err.msg, head, strlen(head)) == 0;
    bool what_ok = !c->what || strstr(err.msg, c->what) != NULL;
    if (s || !path_ok || !what_ok)
        printf("\n  bad case %zu: %s\n    wanted \"%s...%s\"\n    got    \"%s\"\n", i,
               text, head, c->what ? c->what : "", s ? "(accepted)" : err.msg);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, c->path));
    CU_ASSERT(path_ok);
    CU_ASSERT(what_ok);
    fl_scenario_free(s);
    free(text);
}

static void test_malformed_table(void)
{
    size_t n = sizeof bad_cases / sizeof bad_cases[0];
    CU_ASSERT(n >= 35);
    for (size_t i = 0; i < n; i++)
        check_bad_case(i, &bad_cases[i]);
    printf(" (%zu malformed scenarios) ", n);
}

static void test_malformed_exact_message(void)
{
    char *text = fl_doc("'faults':[{'type':'heal','at_ms':1},{'type':'heal','at_ms':2},"
                        "{'type':'crash','at_ms':-5,'node':0}]", false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    fl_error err = { "" };
    fl_scenario *s = fl_scenario_parse(text, strlen(text), "s.json", &err);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_STRING_EQUAL(err.msg, "s.json: $.faults[2].at_ms: must be >= 0");
    free(text);

    text = fl_doc("'network':{'dorp':0.1}", false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    s = fl_scenario_parse(text, strlen(text), "x.json", &err);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_STRING_EQUAL(err.msg,
                           "x.json: $.network.dorp: unknown key (did you mean \"drop\"?)");
    free(text);
}

/* A string that is not NUL-terminated at len, and one with a NUL inside. */
static void test_malformed_lengths(void)
{
    const char text[] = "{\"name\":\"t\"}GARBAGE";
    fl_error err = { "" };
    fl_scenario *s = fl_scenario_parse(text, 12, BAD_FILE, &err);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "bad.json: $.algorithm: required"));
    const char nul[] = "{\"name\":\0\"t\"}";
    s = fl_scenario_parse(nul, sizeof nul - 1, BAD_FILE, &err);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "bad.json: $: JSON syntax error near line 1"));
    s = fl_scenario_parse(NULL, 0, BAD_FILE, &err);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "the file is empty"));
}

/* ---- Real files that are not scenarios ------------------------------------------- */

static void check_bad_file(const char *rel, const char *what)
{
    char *path = fl_src_path(rel);
    CU_ASSERT_PTR_NOT_NULL_FATAL(path);
    fl_error err = { "" };
    fl_scenario *s = fl_scenario_load(path, &err);
    if (s || strncmp(err.msg, path, strlen(path)) != 0 || !strstr(err.msg, what))
        printf("\n  %s: wanted \"%s\", got \"%s\"\n", rel, what, err.msg);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL(strncmp(err.msg, path, strlen(path)), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, what));
    fl_scenario_free(s);
    free(path);
}

static void test_file_missing(void)
{
    check_bad_file("tests/fixtures/scenario/no-such-file.json",
                   ": cannot open: No such file or directory");
}

static void test_file_directory(void)
{
    check_bad_file("tests/fixtures/scenario", ": cannot read: Is a directory");
}

static void test_file_empty(void)
{
    check_bad_file("tests/fixtures/scenario/bad-empty.json",
                   ": $: the file is empty (expected a JSON object)");
}

static void test_file_truncated(void)
{
    check_bad_file("tests/fixtures/scenario/bad-truncated.json",
                   ": $: JSON syntax error near line 5");
}

/* ---- Good scenarios ------------------------------------------------------------------ */

static void test_defaults(void)
{
    fl_scenario *s = fl_parse_ok("", false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s->path, "ok.json");
    CU_ASSERT_STRING_EQUAL(s->name, "t");
    CU_ASSERT_STRING_EQUAL(s->algorithm, "fake");
    CU_ASSERT_STRING_EQUAL(s->description, "");
    CU_ASSERT_EQUAL(s->duration, FL_MS(10000));
    CU_ASSERT_FALSE(s->has_seed);
    CU_ASSERT_EQUAL(s->nroles, 1);
    CU_ASSERT_STRING_EQUAL(s->roles[0].role, "server");
    CU_ASSERT_EQUAL(s->roles[0].count, 5);
    CU_ASSERT_EQUAL(fl_scenario_node_count(s), 5);
    CU_ASSERT_EQUAL(s->network.base.latency.kind, FL_DIST_CONSTANT);
    CU_ASSERT_DOUBLE_EQUAL(s->network.base.latency.a, 1.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(s->network.base.drop, 0.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(s->network.base.duplicate, 0.0, 0);
    CU_ASSERT_FALSE(s->network.fifo);
    CU_ASSERT_EQUAL(s->nlinks, 0);
    CU_ASSERT_PTR_NULL(s->links);
    CU_ASSERT_EQUAL(s->disk.sync.kind, FL_DIST_CONSTANT);
    CU_ASSERT_DOUBLE_EQUAL(s->disk.sync.a, 1.0, 1e-12);
    CU_ASSERT_FALSE(s->disk.torn_writes);
    CU_ASSERT_EQUAL(s->workload.clients, 0);
    CU_ASSERT_EQUAL(s->workload.model, FL_MODEL_NONE);
    CU_ASSERT_EQUAL(s->workload.stop, s->duration);
    CU_ASSERT_EQUAL(s->nfaults, 0);
    CU_ASSERT_TRUE(s->expect.linearizable);
    CU_ASSERT_TRUE(s->expect.invariants);
    CU_ASSERT_STRING_EQUAL(s->expect.violation, "");
    CU_ASSERT_EQUAL(s->expect.min_ok_ops, -1);
    CU_ASSERT_EQUAL(s->expect.leader_within, -1);
    CU_ASSERT_TRUE(cJSON_IsObject(s->params));
    CU_ASSERT_PTR_NULL(s->params->child);
    CU_ASSERT_PTR_EQUAL(s->params, cJSON_GetObjectItemCaseSensitive(s->json, "params"));
    fl_scenario_free(s);
}

static void test_workload_defaults(void)
{
    fl_scenario *s = fl_parse_ok("'workload':{'clients':3}", false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->nroles, 2);
    CU_ASSERT_STRING_EQUAL(s->roles[1].role, "client");
    CU_ASSERT_EQUAL(s->roles[1].count, 3);
    CU_ASSERT_EQUAL(fl_scenario_node_count(s), 8);
    CU_ASSERT_EQUAL(fl_scenario_role_base(s, "client", NULL), 5);
    const fl_workload_spec *w = &s->workload;
    CU_ASSERT_EQUAL(w->clients, 3);
    CU_ASSERT_EQUAL(w->model, FL_MODEL_KV);
    CU_ASSERT_EQUAL(w->keys, 5);
    CU_ASSERT_DOUBLE_EQUAL(w->rate_per_s, 10, 0);
    CU_ASSERT_DOUBLE_EQUAL(w->mix[FL_OP_READ], 0.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(w->mix[FL_OP_WRITE], 0.4, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(w->mix[FL_OP_CAS], 0.1, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(w->mix[FL_OP_ADD], 0, 0);
    CU_ASSERT_EQUAL(w->timeout, FL_MS(1000));
    CU_ASSERT_EQUAL(w->retry, FL_MS(200));
    CU_ASSERT_EQUAL(w->start, 0);
    CU_ASSERT_EQUAL(w->stop, FL_MS(10000));
    fl_scenario_free(s);

    s = fl_parse_ok("'workload':{'clients':1,'model':'counter'}", false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->workload.keys, 1);
    CU_ASSERT_DOUBLE_EQUAL(s->workload.mix[FL_OP_READ], 0.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(s->workload.mix[FL_OP_ADD], 0.5, 1e-12);
    fl_scenario_free(s);

    s = fl_parse_ok("'workload':{'clients':1,'model':'lock','mix':{'acquire':3}}", false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_DOUBLE_EQUAL(s->workload.mix[FL_OP_ACQUIRE], 3, 0);
    CU_ASSERT_DOUBLE_EQUAL(s->workload.mix[FL_OP_RELEASE], 0, 0);
    fl_scenario_free(s);

    s = fl_parse_ok("'workload':{'clients':1,'model':'register'}", false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->workload.model, FL_MODEL_REGISTER);
    CU_ASSERT_EQUAL(s->workload.keys, 1);
    fl_scenario_free(s);
}

/* "keys" as an object: uniform by default (the draw of the integer form),
 * or Zipf with its table built once, at load. */
static void test_workload_keys(void)
{
    fl_scenario *s = fl_parse_ok("'workload':{'clients':2,'keys':{'count':9}}", false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->workload.keys, 9);
    CU_ASSERT_EQUAL(s->workload.key_dist, FL_KEYS_UNIFORM);
    CU_ASSERT_PTR_NULL(s->workload.key_cdf);
    fl_scenario_free(s);

    s = fl_parse_ok("'workload':{'clients':2,'keys':9}", false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->workload.key_dist, FL_KEYS_UNIFORM);
    CU_ASSERT_PTR_NULL(s->workload.key_cdf);
    fl_scenario_free(s);

    s = fl_parse_ok("'workload':{'clients':2,'keys':{'count':50,'distribution':'zipf',"
                    "'s':1.1}}", false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->workload.keys, 50);
    CU_ASSERT_EQUAL(s->workload.key_dist, FL_KEYS_ZIPF);
    CU_ASSERT_DOUBLE_EQUAL(s->workload.zipf_s, 1.1, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s->workload.key_cdf);
    CU_ASSERT_EQUAL(s->workload.key_cdf[49], FL_KEYS_ONE);
    fl_scenario_free(s);

    s = fl_parse_ok("'workload':{'clients':2,'keys':{'count':4,'distribution':'zipf'}}",
                    false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_DOUBLE_EQUAL(s->workload.zipf_s, 1.0, 0);   /* the default exponent */
    fl_scenario_free(s);
}

/* The Zipf table: P(k) = (k+1)^-s / H(n, s), a binary search picks the
 * smallest k with u < cdf[k]; frequencies over a fixed grid of u match. */
static void test_zipf_table(void)
{
    const uint32_t n = 100;
    const double sx = 1.1;
    uint64_t *cdf = fl_keys_zipf_table(n, sx);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cdf);
    double h = 0;
    for (uint32_t k = 0; k < n; k++)
        h += pow(k + 1.0, -sx);
    double acc = 0;
    for (uint32_t k = 0; k < n; k++) {
        acc += pow(k + 1.0, -sx) / h;
        CU_ASSERT(fabs((double)cdf[k] / (double)FL_KEYS_ONE - acc) < 1e-12);
        if (k)
            CU_ASSERT(cdf[k] > cdf[k - 1]);
    }
    CU_ASSERT_EQUAL(cdf[n - 1], FL_KEYS_ONE);
    /* the edges of the search */
    CU_ASSERT_EQUAL(fl_keys_pick(cdf, n, 0), 0);
    CU_ASSERT_EQUAL(fl_keys_pick(cdf, n, cdf[0] - 1), 0);
    CU_ASSERT_EQUAL(fl_keys_pick(cdf, n, cdf[0]), 1);
    CU_ASSERT_EQUAL(fl_keys_pick(cdf, n, cdf[41]), 42);
    CU_ASSERT_EQUAL(fl_keys_pick(cdf, n, FL_KEYS_ONE - 1), n - 1);
    /* a fine grid of u: counts follow the probabilities */
    enum { GRID = 1 << 20 };
    static uint32_t count[100];
    for (uint64_t i = 0; i < GRID; i++)
        count[fl_keys_pick(cdf, n, (i * 2 + 1) * (FL_KEYS_ONE / GRID / 2))]++;
    for (uint32_t k = 0; k < n; k++) {
        double want = pow(k + 1.0, -sx) / h * GRID;
        CU_ASSERT(fabs(count[k] - want) <= 1.0);
    }
    CU_ASSERT(count[0] > 10 * count[20]);    /* skewed: 21^1.1 ~ 28 */
    free(cdf);
    /* out of range: no table */
    CU_ASSERT_PTR_NULL(fl_keys_zipf_table(0, 1.0));
    CU_ASSERT_PTR_NULL(fl_keys_zipf_table(10, 0.0));
    CU_ASSERT_PTR_NULL(fl_keys_zipf_table(10, 10.5));
    CU_ASSERT_PTR_NULL(fl_keys_zipf_table(FL_KEYS_ZIPF_MAX + 1, 1.0));
    /* one key: always key 0 */
    cdf = fl_keys_zipf_table(1, 2.0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cdf);
    CU_ASSERT_EQUAL(fl_keys_pick(cdf, 1, FL_KEYS_ONE - 1), 0);
    free(cdf);
}

static void test_nodes_object(void)
{
    fl_scenario *s = fl_parse_ok(
        "{'name':'t','algorithm':'fake','duration_ms':100,"
        "'nodes':{'client':2,'storage':1,'server':3}}", true);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->nroles, 3);
    CU_ASSERT_STRING_EQUAL(s->roles[0].role, "storage");
    CU_ASSERT_STRING_EQUAL(s->roles[1].role, "server");
    CU_ASSERT_STRING_EQUAL(s->roles[2].role, "client");   /* moved last */
    CU_ASSERT_EQUAL(s->workload.clients, 2);              /* from nodes.client */
    CU_ASSERT_EQUAL(s->workload.model, FL_MODEL_KV);
    CU_ASSERT_EQUAL(fl_scenario_node_count(s), 6);
    size_t count = 99;
    CU_ASSERT_EQUAL(fl_scenario_role_base(s, "nope", &count), -1);
    CU_ASSERT_EQUAL(count, 0);
    fl_scenario_free(s);

    /* workload.clients adds the client role when nodes does not name it */
    s = fl_parse_ok("{'name':'t','algorithm':'fake','duration_ms':100,"
                    "'nodes':{'server':3},'workload':{'clients':4}}", true);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->nroles, 2);
    CU_ASSERT_STRING_EQUAL(s->roles[1].role, "client");
    CU_ASSERT_EQUAL(s->roles[1].count, 4);
    fl_scenario_free(s);
}

static void test_selectors(void)
{
    fl_scenario *s = fl_parse_ok(
        "'workload':{'clients':3},'faults':["
        "{'type':'partition','at_ms':1,'groups':[['leader',1,'client:2'],'rest']},"
        "{'type':'crash','at_ms':2,'node':'client:1','torn':true},"
        "{'type':'restart','at_ms':3,'node':'crashed'},"
        "{'type':'pause','at_ms':4,'node':'random','duration_ms':2.5},"
        "{'type':'resume','at_ms':5,'node':'server'},"
        "{'type':'link','at_ms':6,'from':'server:4','to':7,'drop':0.5,'symmetric':true},"
        "{'type':'partition','at_ms':7,'groups':[['crashed','rest'],['random']]}]", false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(s->nfaults, 7);
    const fl_fault *f = s->faults;
    CU_ASSERT_EQUAL(f[0].kind, FL_FAULT_PARTITION);
    CU_ASSERT_EQUAL(f[0].ngroups, 2);
    CU_ASSERT_EQUAL(f[0].group_len[0], 3);
    CU_ASSERT_EQUAL(f[0].groups[0][0].kind, FL_SEL_LEADER);
    CU_ASSERT_EQUAL(f[0].groups[0][1].kind, FL_SEL_INDEX);
    CU_ASSERT_EQUAL(f[0].groups[0][1].index, 1);
    CU_ASSERT_EQUAL(f[0].groups[0][2].kind, FL_SEL_ROLE_INDEX);
    CU_ASSERT_STRING_EQUAL(f[0].groups[0][2].role, "client");
    CU_ASSERT_EQUAL(f[0].groups[0][2].index, 2);
    CU_ASSERT_EQUAL(f[0].group_len[1], 1);
    CU_ASSERT_EQUAL(f[0].groups[1][0].kind, FL_SEL_REST);
    CU_ASSERT_EQUAL(f[1].node.kind, FL_SEL_ROLE_INDEX);
    CU_ASSERT_EQUAL(f[1].node.index, 1);
    CU_ASSERT_TRUE(f[1].torn);
    CU_ASSERT_EQUAL(f[2].node.kind, FL_SEL_CRASHED);
    CU_ASSERT_EQUAL(f[3].node.kind, FL_SEL_RANDOM);
    CU_ASSERT_EQUAL(f[3].duration, 2500000);
    CU_ASSERT_EQUAL(f[4].node.kind, FL_SEL_ROLE);
    CU_ASSERT_STRING_EQUAL(f[4].node.role, "server");
    CU_ASSERT_EQUAL(f[5].kind, FL_FAULT_LINK);
    CU_ASSERT_EQUAL(f[5].from.kind, FL_SEL_ROLE_INDEX);
    CU_ASSERT_EQUAL(f[5].to.index, 7);
    CU_ASSERT_TRUE(f[5].symmetric);
    CU_ASSERT_TRUE(f[5].link.has_drop);
    CU_ASSERT_FALSE(f[5].link.has_latency);
    CU_ASSERT_DOUBLE_EQUAL(f[5].link.drop, 0.5, 0);
    CU_ASSERT_EQUAL(f[6].groups[0][1].kind, FL_SEL_REST);
    fl_scenario_free(s);
}

static void test_faults_sorted(void)
{
    fl_scenario *s = fl_parse_ok(
        "'faults':[{'type':'heal','at_ms':300},"
        "{'type':'crash','at_ms':100,'node':0},"
        "{'type':'clock','at_ms':200,'node':1,'skew_ms':-12.5},"
        "{'type':'restart','at_ms':100,'node':0},"
        "{'type':'nemesis','kind':'random-pause','every_ms':[10,20]}]", false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(s->nfaults, 5);
    CU_ASSERT_EQUAL(s->faults[0].kind, FL_FAULT_NEMESIS);   /* at 0 by default */
    CU_ASSERT_EQUAL(s->faults[0].at, 0);
    CU_ASSERT_EQUAL(s->faults[0].until, s->duration);
    CU_ASSERT_EQUAL(s->faults[0].down_lo, FL_MS(500));
    CU_ASSERT_EQUAL(s->faults[0].down_hi, FL_MS(1500));
    CU_ASSERT_EQUAL(s->faults[0].max_down, 1);
    CU_ASSERT_EQUAL(s->faults[0].nemesis, FL_NEMESIS_RANDOM_PAUSE);
    CU_ASSERT_EQUAL(s->faults[1].kind, FL_FAULT_CRASH);     /* ties: file order */
    CU_ASSERT_EQUAL(s->faults[2].kind, FL_FAULT_RESTART);
    CU_ASSERT_EQUAL(s->faults[3].kind, FL_FAULT_CLOCK);
    CU_ASSERT_EQUAL(s->faults[3].skew, -12500000);
    CU_ASSERT_EQUAL(s->faults[3].drift_ppm, 0);
    CU_ASSERT_EQUAL(s->faults[4].kind, FL_FAULT_HEAL);
    CU_ASSERT_EQUAL(s->faults[4].at, FL_MS(300));
    fl_scenario_free(s);
}

static void check_seed(const char *members, uint64_t want)
{
    fl_scenario *s = fl_parse_ok(members, false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_TRUE(s->has_seed);
    if (s->seed != want)
        printf("\n  %s: got %llu\n", members, (unsigned long long)s->seed);
    CU_ASSERT_EQUAL(s->seed, want);
    fl_scenario_free(s);
}

static void test_seeds(void)
{
    check_seed("'seed':'0xFFFFFFFFFFFFFFFF'", UINT64_MAX);
    check_seed("'seed':'18446744073709551615'", UINT64_MAX);
    check_seed("'seed':'0x5eed'", 0x5eed);
    check_seed("'seed':42", 42);
    check_seed("'seed':0", 0);
    check_seed("'seed':9007199254740992", 9007199254740992ull);
}

static void test_dists(void)
{
    static const struct {
        const char *members;
        fl_dist_kind kind;
        double a, b;
    } cases[] = {
        { "'network':{'latency':0.5}", FL_DIST_CONSTANT, 0.5, 0 },
        { "'network':{'latency':{'dist':'constant','ms':3}}", FL_DIST_CONSTANT, 3, 0 },
        { "'network':{'latency':{'dist':'uniform','min_ms':1,'max_ms':4}}",
          FL_DIST_UNIFORM, 1, 4 },
        { "'network':{'latency':{'dist':'normal','mean_ms':5,'stddev_ms':2}}",
          FL_DIST_NORMAL, 5, 2 },
        { "'network':{'latency':{'dist':'lognormal','median_ms':10,'sigma':0.5}}",
          FL_DIST_LOGNORMAL, 10, 0.5 },
        { "'network':{'latency':{'dist':'exponential','mean_ms':7}}",
          FL_DIST_EXPONENTIAL, 7, 0 },
        { "'network':{'latency':{'dist':'pareto','scale_ms':2,'alpha':1.5}}",
          FL_DIST_PARETO, 2, 1.5 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fl_scenario *s = fl_parse_ok(cases[i].members, false);
        CU_ASSERT_PTR_NOT_NULL_FATAL(s);
        CU_ASSERT_EQUAL(s->network.base.latency.kind, cases[i].kind);
        CU_ASSERT_DOUBLE_EQUAL(s->network.base.latency.a, cases[i].a, 1e-12);
        CU_ASSERT_DOUBLE_EQUAL(s->network.base.latency.b, cases[i].b, 1e-12);
        fl_scenario_free(s);
    }
}

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001b3ull;
    return h;
}

static void test_hash(void)
{
    char *text = fl_doc("", false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    fl_error err;
    fl_scenario *s = fl_scenario_parse(text, strlen(text), "h.json", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->hash, fnv1a(text, strlen(text)));
    fl_scenario_free(s);
    /* FNV-1a 64 of "a" is a published test vector */
    CU_ASSERT_EQUAL(fnv1a("a", 1), 0xaf63dc4c8601ec8cull);
    free(text);
}

static char *fl_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 16);
    *len = buf ? fread(buf, 1, 1 << 16, f) : 0;
    fclose(f);
    return buf;
}

static void test_ok_full_fixture(void)
{
    char *path = fl_src_path("tests/fixtures/scenario/ok-full.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(path);
    fl_error err = { "" };
    fl_scenario *s = fl_scenario_load(path, &err);
    if (!s)
        printf("\n  %s\n", err.msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->seed, UINT64_MAX);
    CU_ASSERT_EQUAL(s->nroles, 3);
    CU_ASSERT_STRING_EQUAL(s->roles[2].role, "client");
    CU_ASSERT_EQUAL(s->network.base.latency.kind, FL_DIST_LOGNORMAL);
    CU_ASSERT_TRUE(s->network.fifo);
    CU_ASSERT_EQUAL(s->nlinks, 3);
    CU_ASSERT_EQUAL(s->links[1].from, 1);
    CU_ASSERT_TRUE(s->links[1].spec.has_drop);
    CU_ASSERT_FALSE(s->links[1].spec.has_latency);
    CU_ASSERT_EQUAL(s->disk.sync.kind, FL_DIST_EXPONENTIAL);
    CU_ASSERT_TRUE(s->disk.torn_writes);
    CU_ASSERT_EQUAL(s->workload.keys, 7);
    CU_ASSERT_EQUAL(s->workload.start, FL_MS(100));
    CU_ASSERT_EQUAL(s->workload.stop, FL_MS(9000));
    CU_ASSERT_EQUAL(s->nfaults, 17);
    for (size_t i = 1; i < s->nfaults; i++)
        CU_ASSERT(s->faults[i - 1].at <= s->faults[i].at);
    CU_ASSERT_EQUAL(s->faults[0].nemesis, FL_NEMESIS_RANDOM_CRASH);   /* at 0 */
    CU_ASSERT_EQUAL(s->faults[0].max_down, 2);
    CU_ASSERT_EQUAL(s->faults[1].nemesis, FL_NEMESIS_RANDOM_PARTITION);
    CU_ASSERT_EQUAL(s->faults[1].down_hi, 200500000);
    CU_ASSERT_EQUAL(s->faults[1].until, FL_MS(8000));
    CU_ASSERT_EQUAL(s->faults[2].every_lo, 700250000);
    CU_ASSERT_STRING_EQUAL(s->expect.violation, "raft.election_safety");
    CU_ASSERT_EQUAL(s->expect.min_ok_ops, 10);
    CU_ASSERT_EQUAL(s->expect.leader_within, FL_MS(2500));
    size_t len = 0;
    char *raw = fl_slurp(path, &len);
    CU_ASSERT_PTR_NOT_NULL(raw);
    CU_ASSERT_EQUAL(s->hash, fnv1a(raw, len));
    free(raw);
    fl_scenario_free(s);
    free(path);
}

/* ---- fl_scenario_bind ---------------------------------------------------------------- */

static void test_bind_reorders_roles(void)
{
    fl_scenario *s = fl_parse_ok(
        "{'name':'t','algorithm':'fake','duration_ms':100,"
        "'nodes':{'client':2,'storage':1,'server':3},'params':{'ok':1},"
        "'faults':[{'type':'crash','at_ms':1,'node':'storage:0'}]}", true);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    fl_error err = { "" };
    int rc = fl_scenario_bind(s, &fake_alg, &err);
    if (rc != 0)
        printf("\n  %s\n", err.msg);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_STRING_EQUAL(s->roles[0].role, "server");
    CU_ASSERT_STRING_EQUAL(s->roles[1].role, "storage");
    CU_ASSERT_STRING_EQUAL(s->roles[2].role, "client");
    size_t n = 0;
    CU_ASSERT_EQUAL(fl_scenario_role_base(s, "server", &n), 0);
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT_EQUAL(fl_scenario_role_base(s, "storage", &n), 3);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_EQUAL(fl_scenario_role_base(s, "client", &n), 4);
    CU_ASSERT_EQUAL(n, 2);
    fl_scenario_free(s);
}

static void check_bind_error(const char *doc, const fl_algorithm *alg, const char *want)
{
    fl_scenario *s = fl_parse_ok(doc, true);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    fl_error err = { "" };
    int rc = fl_scenario_bind(s, alg, &err);
    if (rc == 0 || strncmp(err.msg, want, strlen(want)) != 0)
        printf("\n  bind: wanted \"%s...\", got \"%s\"\n", want, err.msg);
    CU_ASSERT_EQUAL(rc, -1);
    CU_ASSERT_EQUAL(strncmp(err.msg, want, strlen(want)), 0);
    fl_scenario_free(s);
}

static void test_bind_errors(void)
{
    check_bind_error("{'name':'t','algorithm':'fake','duration_ms':100,"
                     "'nodes':{'server':3,'cache':1}}", &fake_alg,
                     "ok.json: $.nodes.cache: algorithm \"fake\" has no role \"cache\"");
    check_bind_error("{'name':'t','algorithm':'fake','duration_ms':100,"
                     "'nodes':{'server':3,'storag':1}}", &fake_alg,
                     "ok.json: $.nodes.storag: algorithm \"fake\" has no role \"storag\" "
                     "(did you mean \"storage\"?)");
    check_bind_error("{'name':'t','algorithm':'fake','duration_ms':100,"
                     "'nodes':{'storage':3}}", &fake_alg,
                     "ok.json: $.nodes: algorithm \"fake\" needs at least one \"server\"");
    check_bind_error("{'name':'t','algorithm':'other','duration_ms':100,'nodes':3}",
                     &other_alg, "ok.json: $.nodes: algorithm \"other\" has no role "
                     "\"server\"");
    check_bind_error("{'name':'t','algorithm':'fake','duration_ms':100,'nodes':3,"
                     "'params':{'bad':1}}", &fake_alg,
                     "ok.json: $.params.bad: not a setting of fake");
    check_bind_error("{'name':'t','algorithm':'fake','duration_ms':100,'nodes':3,"
                     "'params':{'vague':1}}", &fake_alg,
                     "ok.json: $.params: something is off");
}

/* ---- Shipped scenarios against the loader -------------------------------- */

typedef struct fl_paths {
    char  **v;
    size_t  n, cap;
} fl_paths;

static int fl_paths_add(fl_paths *p, const char *path)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        char **v = realloc(p->v, cap * sizeof *v);
        if (!v)
            return -1;
        p->v = v;
        p->cap = cap;
    }
    if (!(p->v[p->n] = strdup(path)))
        return -1;
    p->n++;
    return 0;
}

static void fl_paths_free(fl_paths *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i]);
    free(p->v);
}

static bool fl_ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

/* Every file under `dir` (recursively) whose name starts with `prefix` and
 * ends in ".json". A missing directory holds nothing. */
static int fl_find_json(const char *dir, const char *prefix, fl_paths *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *path = malloc(n);
        if (!path) {
            rc = -1;
            break;
        }
        snprintf(path, n, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            rc = fl_find_json(path, prefix, out);
        else if (fl_ends_with(e->d_name, ".json") &&
                 strcmp(e->d_name, "suite.json") != 0 &&
                 strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            rc = fl_paths_add(out, path);
        free(path);
    }
    closedir(d);
    return rc;
}

static int fl_strcmp_p(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void check_shipped_file(const char *path)
{
    fl_error err = { "" };
    fl_scenario *s = fl_scenario_load(path, &err);
    if (!s)
        printf("\n  loader: %s\n", err.msg);
    CU_ASSERT_PTR_NOT_NULL(s);
    fl_scenario_free(s);
}

static void test_shipped_scenarios(void)
{
    char *scen = fl_src_path("scenarios");
    char *fix = fl_src_path("tests/fixtures/scenario");
    CU_ASSERT_PTR_NOT_NULL_FATAL(scen);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fix);
    fl_paths shipped = { NULL, 0, 0 }, fixtures = { NULL, 0, 0 };
    CU_ASSERT_EQUAL(fl_find_json(scen, "", &shipped), 0);
    CU_ASSERT_EQUAL(fl_find_json(fix, "ok-", &fixtures), 0);
    if (shipped.n)
        qsort(shipped.v, shipped.n, sizeof *shipped.v, fl_strcmp_p);
    printf(" (found %zu scenario files under %s, %zu ok-* fixtures) ", shipped.n,
           scen, fixtures.n);
    CU_ASSERT(fixtures.n >= 1);
    for (size_t i = 0; i < shipped.n; i++)
        check_shipped_file(shipped.v[i]);
    for (size_t i = 0; i < fixtures.n; i++)
        check_shipped_file(fixtures.v[i]);
    fl_paths_free(&shipped);
    fl_paths_free(&fixtures);
    free(scen);
    free(fix);
}

/* ---- The table ------------------------------------------------------------------------------- */

static const fl_cu_test malformed_tests[] = {
    { "table of malformed scenarios", test_malformed_table },
    { "exact message format", test_malformed_exact_message },
    { "length-bounded text, NUL bytes, no text", test_malformed_lengths },
    { "missing file", test_file_missing },
    { "directory", test_file_directory },
    { "empty file", test_file_empty },
    { "truncated file", test_file_truncated },
    { NULL, NULL }
};

static const fl_cu_test good_tests[] = {
    { "defaults", test_defaults },
    { "workload defaults by model", test_workload_defaults },
    { "workload keys: uniform and Zipf", test_workload_keys },
    { "Zipf table and pick", test_zipf_table },
    { "nodes object", test_nodes_object },
    { "selectors", test_selectors },
    { "faults sorted, stable", test_faults_sorted },
    { "seeds (64-bit hex and decimal)", test_seeds },
    { "distributions", test_dists },
    { "hash is FNV-1a of the bytes", test_hash },
    { "ok-full fixture", test_ok_full_fixture },
    { NULL, NULL }
};

static const fl_cu_test bind_tests[] = {
    { "reorders roles", test_bind_reorders_roles },
    { "errors", test_bind_errors },
    { NULL, NULL }
};

static const fl_cu_test shipped_tests[] = {
    { "shipped scenarios and ok-* fixtures load", test_shipped_scenarios },
    { NULL, NULL }
};

int main(void)
{
    static const fl_cu_suite suites[] = {
        { "scenario: malformed", malformed_tests },
        { "scenario: good", good_tests },
        { "scenario: bind", bind_tests },
        { "scenario: shipped", shipped_tests },
        { NULL, NULL }
    };
    return fl_cu_main(suites);
}
