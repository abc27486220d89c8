/*
** Tests of the fact model and its JSON form (facts.h, facts_json.h).
**
** A self-contained program: each test is a function that records its
** checks in a tally; the last line printed is "N passed, M failed" and the
** exit status is nonzero when anything failed.  The analysis is tested
** elsewhere (lit tests over mapsafe-facts).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapsafe/facts.h"
#include "mapsafe/facts_json.h"

typedef struct tally {
  int passed, failed;
  int bad; /* checks failed in the current test */
  const char *test;
} tally;

#define CHECK(t, cond)                                                                  \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__, (t)->test, #cond); \
      (t)->bad++;                                                                       \
    }                                                                                   \
  } while (0)

static void run(tally *t, const char *name, void (*fn)(tally *)) {
  t->test = name;
  t->bad = 0;
  fn(t);
  if (t->bad) t->failed++;
  else t->passed++;
}

/* ---------------------------------------------------------------------- */
/* Building facts.                                                         */
/* ---------------------------------------------------------------------- */

static ms_path global_path(ms_facts *f, const char *name) {
  ms_path p = ms_path_unknown();
  p.base = MS_BASE_GLOBAL;
  p.name = ms_str(f, name);
  p.display = ms_str(f, name);
  return p;
}

static ms_path param_field_path(ms_facts *f, int param, const char *owner, const char *field) {
  ms_path p = ms_path_unknown();
  p.base = MS_BASE_PARAM;
  p.param = param;
  p.depth = 1;
  p.field = ms_str(f, field);
  p.field_owner = ms_str(f, owner);
  return p;
}

static ms_path local_path(ms_facts *f, const char *name, const char *display) {
  ms_path p = ms_path_unknown();
  p.base = MS_BASE_LOCAL;
  p.name = ms_str(f, name);
  p.display = ms_str(f, display);
  return p;
}

static ms_id loc(ms_facts *f, const char *file, uint32_t line, uint32_t col) {
  return ms_add_loc(f, ms_str(f, file), line, col);
}

static ms_id add_fn(ms_facts *f, const char *name, uint32_t params, int defined, ms_id at) {
  ms_function fn;
  memset(&fn, 0, sizeof fn);
  fn.name = ms_str(f, name);
  fn.loc = at;
  fn.param_count = params;
  fn.defined = defined;
  return ms_add_function(f, &fn);
}

/* A fact set that uses every kind of fact, path base and optional member:
**   main spawns worker (many, with a per-instance arg) and calls lookup;
**   worker locks cache_lock around accesses of sessions and srv->tbl. */
static ms_facts *sample_facts(void) {
  ms_facts *f = ms_facts_new();
  if (!f) return NULL;
  ms_id l_main = loc(f, "server.c", 10, 1);
  ms_id l_worker = loc(f, "server.c", 30, 1);
  ms_id l_lock = loc(f, "server.c", 32, 3);
  ms_id f_main = add_fn(f, "main", 0, 1, l_main);
  ms_id f_worker = add_fn(f, "worker", 1, 1, l_worker);
  ms_id f_lookup = add_fn(f, "lookup", 2, 0, MS_NONE);

  ms_held cache = {global_path(f, "cache_lock"), MS_LOCK_EXCLUSIVE, l_lock};
  ms_held rw = {param_field_path(f, 0, "struct server", "rwlock"), MS_LOCK_SHARED,
                loc(f, "server.c", 33, 5)};
  ms_held locks[2] = {cache, rw};
  ms_id spawn0 = 0;
  ms_id handle = ms_str(f, "tid");
  ms_lockset acq = {locks, 1}, none = {NULL, 0};
  ms_idset live_exit = {&spawn0, 1}, joins = {&handle, 1}, no_ids = {NULL, 0};
  /* worker returns holding cache_lock; main may leave spawn 0 running and joins tid. */
  ms_set_function_effects(f, f_worker, &acq, &none, &no_ids, &no_ids);
  ms_set_function_effects(f, f_main, &none, &none, &live_exit, &joins);

  /* main: spawn worker(&srv) in a loop. */
  ms_field_value sf[2] = {{ms_str(f, "tbl"), local_path(f, "main::tbl", "tbl"), 1},
                          {ms_str(f, "name"), ms_path_unknown(), 0}};
  ms_spawn s;
  memset(&s, 0, sizeof s);
  s.func = f_main;
  s.entry = f_worker;
  s.loc = loc(f, "server.c", 12, 5);
  s.api = ms_str(f, "pthread_create");
  s.handle = handle;
  s.multiplicity = MS_MULT_MANY;
  s.arg_param = 0;
  s.arg.path = local_path(f, "main::srv", "srv");
  s.arg.per_instance = 1;
  s.arg.fields = sf;
  s.arg.field_count = 2;
  s.live = live_exit; /* itself: spawned in a loop */
  ms_add_spawn(f, &s);

  /* main: lookup(sessions, srv) with rw held, worker running. */
  ms_field_value cf = {ms_str(f, "tbl"), global_path(f, "sessions"), 0};
  ms_value args[2];
  memset(args, 0, sizeof args);
  args[0].path = global_path(f, "sessions");
  args[1].path = local_path(f, "main::srv", "srv");
  args[1].fields = &cf;
  args[1].field_count = 1;
  ms_call c;
  memset(&c, 0, sizeof c);
  c.caller = f_main;
  c.callee = f_lookup;
  c.loc = loc(f, "server.c", 14, 3);
  c.locks.items = &locks[1];
  c.locks.count = 1;
  c.live = live_exit;
  c.args = args;
  c.arg_count = 2;
  ms_add_call(f, &c);

  /* worker: accesses with every base. */
  ms_access a;
  memset(&a, 0, sizeof a);
  a.func = f_worker;
  a.loc = loc(f, "server.c", 34, 3);
  a.kind = MS_ACC_WRITE;
  a.api = ms_str(f, "g_hash_table_insert");
  a.library = ms_str(f, "GLib GHashTable");
  a.map = global_path(f, "sessions");
  a.key_type = ms_str(f, "char *");
  a.value_type = ms_str(f, "struct session *");
  a.locks.items = locks;
  a.locks.count = 2;
  ms_add_access(f, &a);

  a.loc = loc(f, "server.c", 35, 3);
  a.kind = MS_ACC_READ;
  a.api = ms_str(f, "g_hash_table_lookup");
  a.map = param_field_path(f, 0, "struct server", "tbl");
  a.value_type = MS_NONE;
  a.locks.count = 0;
  ms_add_access(f, &a);

  a.func = f_main;
  a.loc = ms_add_loc(f, MS_NONE, 0, 0); /* a location without a file */
  a.kind = MS_ACC_ITERATE;
  a.api = ms_str(f, "g_hash_table_foreach");
  a.map = ms_path_unknown();
  a.key_type = MS_NONE;
  a.live = live_exit;
  ms_add_access(f, &a);

  a.loc = MS_NONE;
  a.kind = MS_ACC_DESTROY;
  a.map = local_path(f, "main::tbl", "tbl");
  a.live = no_ids;
  ms_add_access(f, &a);
  return f;
}

/* ---------------------------------------------------------------------- */
/* Round trips.                                                            */
/* ---------------------------------------------------------------------- */

static int contains(const char *s, const char *sub) { return s && strstr(s, sub) != NULL; }

static void test_sample_built(tally *t) {
  ms_facts *f = sample_facts();
  CHECK(t, f != NULL);
  if (!f) return;
  CHECK(t, f->functions.count == 3);
  CHECK(t, f->calls.count == 1);
  CHECK(t, f->spawns.count == 1);
  CHECK(t, f->accesses.count == 4);
  CHECK(t, ms_find_function(f, "lookup") == 2);
  CHECK(t, ms_find_function(f, "nothing") == MS_NONE);
  ms_facts_free(f);
}

static void test_round_trip(tally *t) {
  ms_facts *f = sample_facts();
  char *j1 = ms_facts_to_json(f);
  CHECK(t, j1 != NULL);
  ms_error err = {"", 0};
  ms_facts *g = j1 ? ms_facts_from_json(j1, strlen(j1), &err) : NULL;
  if (!g) fprintf(stderr, "read failed: %u: %s\n", err.line, err.message);
  CHECK(t, g != NULL);
  char *j2 = g ? ms_facts_to_json(g) : NULL;
  CHECK(t, j2 != NULL && strcmp(j1, j2) == 0);
  if (g) {
    CHECK(t, g->functions.count == 3 && g->calls.count == 1);
    CHECK(t, g->spawns.count == 1 && g->accesses.count == 4);
    const ms_function *w = &g->functions.items[1];
    CHECK(t, strcmp(ms_str_get(g, w->name), "worker") == 0);
    CHECK(t, w->defined == 1 && w->param_count == 1 && w->acquires.count == 1);
    CHECK(t, strcmp(ms_str_get(g, w->acquires.items[0].lock.name), "cache_lock") == 0);
    const ms_function *m = &g->functions.items[0];
    CHECK(t, m->live_at_exit.count == 1 && m->live_at_exit.items[0] == 0);
    CHECK(t, m->joins.count == 1 && strcmp(ms_str_get(g, m->joins.items[0]), "tid") == 0);
    CHECK(t, g->functions.items[2].defined == 0 && g->functions.items[2].loc == MS_NONE);
    const ms_call *c = &g->calls.items[0];
    CHECK(t, c->caller == 0 && c->callee == 2 && c->arg_count == 2);
    CHECK(t, c->args[1].field_count == 1);
    CHECK(t, strcmp(ms_str_get(g, c->args[1].fields[0].field), "tbl") == 0);
    CHECK(t, c->locks.count == 1 && c->locks.items[0].mode == MS_LOCK_SHARED);
    const ms_path *p = &c->locks.items[0].lock;
    CHECK(t, p->base == MS_BASE_PARAM && p->param == 0 && p->depth == 1);
    CHECK(t, strcmp(ms_str_get(g, p->field_owner), "struct server") == 0);
    CHECK(t, p->name == MS_NONE && p->display == MS_NONE);
    const ms_spawn *s = &g->spawns.items[0];
    CHECK(t, s->multiplicity == MS_MULT_MANY && s->arg_param == 0 && s->arg.per_instance);
    CHECK(t, s->arg.field_count == 2 && s->arg.fields[0].per_instance == 1);
    CHECK(t, s->live.count == 1 && s->live.items[0] == 0);
    const ms_access *a = &g->accesses.items[1];
    CHECK(t, a->kind == MS_ACC_READ && a->value_type == MS_NONE);
    CHECK(t, strcmp(ms_str_get(g, a->key_type), "char *") == 0);
    CHECK(t, g->accesses.items[2].map.base == MS_BASE_UNKNOWN);
    CHECK(t, g->locs.items[g->accesses.items[2].loc].file == MS_NONE);
    CHECK(t, g->accesses.items[3].loc == MS_NONE);
    CHECK(t, g->accesses.items[3].kind == MS_ACC_DESTROY);
  }
  free(j1);
  free(j2);
  ms_facts_free(g);
  ms_facts_free(f);
}

static void test_json_shape(tally *t) {
  ms_facts *f = sample_facts();
  char *j = ms_facts_to_json(f);
  CHECK(t, contains(j, "\"format\": \"mapsafe-facts\""));
  CHECK(t, contains(j, "\"version\": 1"));
  CHECK(t, contains(j, "\"file\": \"server.c\""));
  CHECK(t, contains(j, "\"kind\": \"iterate\""));
  CHECK(t, contains(j, "\"mode\": \"shared\""));
  CHECK(t, contains(j, "\"multiplicity\": \"many\""));
  CHECK(t, contains(j, "\"base\": \"local\""));
  CHECK(t, contains(j, "\"field_owner\": \"struct server\""));
  CHECK(t, contains(j, "\"value_type\": null"));
  /* Absent path members are left out. */
  CHECK(t, !contains(j, "\"param\": -1"));
  CHECK(t, !contains(j, "\"depth\": 0"));
  CHECK(t, j && j[strlen(j) - 1] == '\n');
  free(j);
  ms_facts_free(f);
}

static void test_empty_facts(tally *t) {
  ms_facts *f = ms_facts_new();
  char *j = ms_facts_to_json(f);
  ms_error err = {"", 0};
  ms_facts *g = j ? ms_facts_from_json(j, strlen(j), &err) : NULL;
  CHECK(t, g != NULL && g->functions.count == 0 && g->accesses.count == 0);
  char *j2 = g ? ms_facts_to_json(g) : NULL;
  CHECK(t, j && j2 && strcmp(j, j2) == 0);
  free(j);
  free(j2);
  ms_facts_free(g);
  ms_facts_free(f);
}

/* Strings that are not UTF-8 are written with U+FFFD and then read back. */
static void test_non_utf8(tally *t) {
  ms_facts *f = ms_facts_new();
  ms_id l = ms_add_loc(f, ms_str(f, "caf\xe9.c"), 1, 1);
  add_fn(f, "f\xff\xfe", 0, 1, l);
  char *j1 = ms_facts_to_json(f);
  CHECK(t, contains(j1, "caf\xef\xbf\xbd.c"));
  ms_error err = {"", 0};
  ms_facts *g = j1 ? ms_facts_from_json(j1, strlen(j1), &err) : NULL;
  CHECK(t, g != NULL);
  char *j2 = g ? ms_facts_to_json(g) : NULL;
  CHECK(t, j1 && j2 && strcmp(j1, j2) == 0);
  free(j1);
  free(j2);
  ms_facts_free(g);
  ms_facts_free(f);
}

/* Facts may refer to spawns and functions that come later in the file. */
static void test_forward_refs(tally *t) {
  const char *doc =
      "{\"format\":\"mapsafe-facts\",\"version\":1,"
      "\"functions\":[{\"name\":\"main\",\"loc\":null,\"param_count\":0,\"defined\":true,"
      "\"acquires\":[],\"releases\":[],\"live_at_exit\":[0],\"joins\":[]},"
      "{\"name\":\"w\",\"loc\":null,\"param_count\":1,\"defined\":true,"
      "\"acquires\":[],\"releases\":[],\"live_at_exit\":[],\"joins\":[]}],"
      "\"calls\":[],"
      "\"spawns\":[{\"func\":0,\"entry\":1,\"loc\":null,\"api\":\"pthread_create\","
      "\"handle\":null,\"multiplicity\":\"one\",\"arg_param\":-1,"
      "\"arg\":{\"path\":{\"base\":\"unknown\"},\"per_instance\":false,\"fields\":[]},"
      "\"locks\":[],\"live\":[]}],"
      "\"accesses\":[]}";
  ms_error err = {"", 0};
  ms_facts *f = ms_facts_from_json(doc, strlen(doc), &err);
  if (!f) fprintf(stderr, "read failed: %s\n", err.message);
  CHECK(t, f != NULL);
  CHECK(t, f && f->functions.items[0].live_at_exit.items[0] == 0);
  CHECK(t, f && f->spawns.items[0].arg_param == -1 && f->spawns.items[0].handle == MS_NONE);
  ms_facts_free(f);
}

/* ---------------------------------------------------------------------- */
/* Malformed documents.                                                    */
/* ---------------------------------------------------------------------- */

#define HDR "{\"format\":\"mapsafe-facts\",\"version\":1,"
#define FN(extra) \
  "{\"name\":\"f\",\"loc\":null,\"param_count\":0,\"defined\":true,\"acquires\":[]," \
  "\"releases\":[],\"live_at_exit\":[],\"joins\":[]" extra "}"
#define NOFACTS "\"calls\":[],\"spawns\":[],\"accesses\":[]}"
#define ACC(kind, map, live)                                                              \
  "{\"func\":0,\"loc\":null,\"kind\":" kind ",\"api\":\"a\",\"library\":null,\"map\":" map \
  ",\"key_type\":null,\"value_type\":null,\"locks\":[],\"live\":" live "}"
#define GMAP "{\"base\":\"global\",\"name\":\"m\"}"

typedef struct bad_doc {
  const char *what;
  const char *text;
  const char *expect; /* a substring of the message */
} bad_doc;

static const bad_doc bad_docs[] = {
    {"empty input", "", "invalid JSON"},
    {"syntax error", "{\n\"format\": \"mapsafe-facts\",\n\"version\": 1,,\n}", "invalid JSON"},
    {"truncated", HDR "\"functions\":[", "invalid JSON"},
    {"top level array", "[1,2]", "top level"},
    {"wrong format", "{\"format\":\"other\",\"version\":1,\"functions\":[]," NOFACTS, "format"},
    {"wrong version", "{\"format\":\"mapsafe-facts\",\"version\":2,\"functions\":[]," NOFACTS,
     "version 2"},
    {"version as string", "{\"format\":\"mapsafe-facts\",\"version\":\"1\",\"functions\":[]," NOFACTS,
     "version: expected an integer"},
    {"missing member", HDR "\"functions\":[],\"spawns\":[],\"accesses\":[]}", "\"calls\""},
    {"unknown member", HDR "\"functions\":[],\"extra\":1," NOFACTS, "unknown member \"extra\""},
    {"duplicate key", HDR "\"functions\":[],\"functions\":[]," NOFACTS, "invalid JSON"},
    {"functions not an array", HDR "\"functions\":{}," NOFACTS, "functions: expected an array"},
    {"fact not an object", HDR "\"functions\":[3]," NOFACTS, "functions[0]: expected an object"},
    {"defined as integer",
     HDR "\"functions\":[{\"name\":\"f\",\"loc\":null,\"param_count\":0,\"defined\":1,"
         "\"acquires\":[],\"releases\":[],\"live_at_exit\":[],\"joins\":[]}]," NOFACTS,
     "functions[0].defined: expected true or false"},
    {"null function name",
     HDR "\"functions\":[{\"name\":null,\"loc\":null,\"param_count\":0,\"defined\":true,"
         "\"acquires\":[],\"releases\":[],\"live_at_exit\":[],\"joins\":[]}]," NOFACTS,
     "functions[0].name"},
    {"missing function member",
     HDR "\"functions\":[{\"name\":\"f\",\"loc\":null,\"param_count\":0,\"defined\":true,"
         "\"acquires\":[],\"releases\":[],\"live_at_exit\":[]}]," NOFACTS,
     "missing member \"joins\""},
    {"duplicate function", HDR "\"functions\":[" FN("") "," FN("") "]," NOFACTS, "duplicate function"},
    {"live_at_exit spawn out of range",
     HDR "\"functions\":[{\"name\":\"f\",\"loc\":null,\"param_count\":0,\"defined\":true,"
         "\"acquires\":[],\"releases\":[],\"live_at_exit\":[0],\"joins\":[]}]," NOFACTS,
     "functions[0].live_at_exit[0]: spawn id 0 out of range"},
    {"negative line",
     HDR "\"functions\":[{\"name\":\"f\",\"loc\":{\"file\":\"a.c\",\"line\":-1,\"col\":1},"
         "\"param_count\":0,\"defined\":true,\"acquires\":[],\"releases\":[],"
         "\"live_at_exit\":[],\"joins\":[]}]," NOFACTS,
     "functions[0].loc.line"},
    {"line too large",
     HDR "\"functions\":[{\"name\":\"f\",\"loc\":{\"file\":\"a.c\",\"line\":4294967296,\"col\":1},"
         "\"param_count\":0,\"defined\":true,\"acquires\":[],\"releases\":[],"
         "\"live_at_exit\":[],\"joins\":[]}]," NOFACTS,
     "out of range"},
    {"loc without col",
     HDR "\"functions\":[{\"name\":\"f\",\"loc\":{\"file\":\"a.c\",\"line\":1},"
         "\"param_count\":0,\"defined\":true,\"acquires\":[],\"releases\":[],"
         "\"live_at_exit\":[],\"joins\":[]}]," NOFACTS,
     "missing member \"col\""},
    {"bad lock mode",
     HDR "\"functions\":[{\"name\":\"f\",\"loc\":null,\"param_count\":0,\"defined\":true,"
         "\"acquires\":[{\"lock\":" GMAP ",\"mode\":\"recursive\",\"acquired_at\":null}],"
         "\"releases\":[],\"live_at_exit\":[],\"joins\":[]}]," NOFACTS,
     "functions[0].acquires[0].mode: unknown name \"recursive\""},
    {"callee out of range",
     HDR "\"functions\":[" FN("") "],\"calls\":[{\"caller\":0,\"callee\":1,\"loc\":null,"
         "\"locks\":[],\"live\":[],\"args\":[]}],\"spawns\":[],\"accesses\":[]}",
     "calls[0].callee: function id 1 out of range"},
    {"negative caller",
     HDR "\"functions\":[" FN("") "],\"calls\":[{\"caller\":-1,\"callee\":0,\"loc\":null,"
         "\"locks\":[],\"live\":[],\"args\":[]}],\"spawns\":[],\"accesses\":[]}",
     "calls[0].caller"},
    {"real id",
     HDR "\"functions\":[" FN("") "],\"calls\":[{\"caller\":0.5,\"callee\":0,\"loc\":null,"
         "\"locks\":[],\"live\":[],\"args\":[]}],\"spawns\":[],\"accesses\":[]}",
     "expected an integer, found a real number"},
    {"args not an array",
     HDR "\"functions\":[" FN("") "],\"calls\":[{\"caller\":0,\"callee\":0,\"loc\":null,"
         "\"locks\":[],\"live\":[],\"args\":{}}],\"spawns\":[],\"accesses\":[]}",
     "calls[0].args: expected an array"},
    {"bad arg field",
     HDR "\"functions\":[" FN("") "],\"calls\":[{\"caller\":0,\"callee\":0,\"loc\":null,"
         "\"locks\":[],\"live\":[],\"args\":[{\"path\":{\"base\":\"unknown\"},"
         "\"per_instance\":false,\"fields\":[{\"field\":\"x\",\"value\":{\"base\":\"param\","
         "\"param\":-2},\"per_instance\":false}]}]}],\"spawns\":[],\"accesses\":[]}",
     "calls[0].args[0].fields[0].value.param"},
    {"bad multiplicity",
     HDR "\"functions\":[" FN("") "],\"calls\":[],\"spawns\":[{\"func\":0,\"entry\":0,"
         "\"loc\":null,\"api\":\"pthread_create\",\"handle\":null,\"multiplicity\":\"few\","
         "\"arg_param\":-1,\"arg\":{\"path\":{\"base\":\"unknown\"},\"per_instance\":false,"
         "\"fields\":[]},\"locks\":[],\"live\":[]}],\"accesses\":[]}",
     "spawns[0].multiplicity"},
    {"bad arg_param",
     HDR "\"functions\":[" FN("") "],\"calls\":[],\"spawns\":[{\"func\":0,\"entry\":0,"
         "\"loc\":null,\"api\":\"pthread_create\",\"handle\":null,\"multiplicity\":\"one\","
         "\"arg_param\":-2,\"arg\":{\"path\":{\"base\":\"unknown\"},\"per_instance\":false,"
         "\"fields\":[]},\"locks\":[],\"live\":[]}],\"accesses\":[]}",
     "spawns[0].arg_param"},
    {"bad access kind", HDR "\"functions\":[" FN("") "],\"calls\":[],\"spawns\":[],\"accesses\":["
         ACC("\"scribble\"", GMAP, "[]") "]}",
     "accesses[0].kind: unknown name \"scribble\""},
    {"bad base", HDR "\"functions\":[" FN("") "],\"calls\":[],\"spawns\":[],\"accesses\":["
         ACC("\"read\"", "{\"base\":\"heap\"}", "[]") "]}",
     "accesses[0].map.base"},
    {"path name null", HDR "\"functions\":[" FN("") "],\"calls\":[],\"spawns\":[],\"accesses\":["
         ACC("\"read\"", "{\"base\":\"global\",\"name\":null}", "[]") "]}",
     "accesses[0].map.name: expected a string"},
    {"unknown path member", HDR "\"functions\":[" FN("") "],\"calls\":[],\"spawns\":[],\"accesses\":["
         ACC("\"read\"", "{\"base\":\"global\",\"nmae\":\"m\"}", "[]") "]}",
     "unknown member \"nmae\""},
    {"access live out of range", HDR "\"functions\":[" FN("") "],\"calls\":[],\"spawns\":[],"
         "\"accesses\":[" ACC("\"write\"", GMAP, "[0]") "]}",
     "accesses[0].live[0]: spawn id 0 out of range"},
    {"access func out of range", HDR "\"functions\":[],\"calls\":[],\"spawns\":[],"
         "\"accesses\":[" ACC("\"write\"", GMAP, "[]") "]}",
     "accesses[0].func"},
    {"kind as number", HDR "\"functions\":[" FN("") "],\"calls\":[],\"spawns\":[],\"accesses\":["
         ACC("1", GMAP, "[]") "]}",
     "accesses[0].kind: expected a string"},
    {"embedded NUL", HDR "\"functions\":[{\"name\":\"a\\u0000b\",\"loc\":null,\"param_count\":0,"
         "\"defined\":true,\"acquires\":[],\"releases\":[],\"live_at_exit\":[],\"joins\":[]}],"
         NOFACTS,
     "invalid JSON"},
};

static void test_bad_docs(tally *t) {
  for (size_t i = 0; i < sizeof bad_docs / sizeof bad_docs[0]; i++) {
    const bad_doc *d = &bad_docs[i];
    ms_error err = {"", 0};
    ms_facts *f = ms_facts_from_json(d->text, strlen(d->text), &err);
    int ok = f == NULL && err.message[0] && strstr(err.message, d->expect);
    if (!ok)
      fprintf(stderr, "  bad document \"%s\": %s -> \"%s\"\n", d->what,
              f ? "accepted" : "rejected", err.message);
    CHECK(t, ok);
    ms_facts_free(f);
    /* Also without an error to fill. */
    CHECK(t, ms_facts_from_json(d->text, strlen(d->text), NULL) == NULL);
  }
}

static void test_syntax_error_line(tally *t) {
  const char *doc = "{\n\"format\": \"mapsafe-facts\",\n\"version\": 1,,\n}";
  ms_error err = {"", 0};
  CHECK(t, ms_facts_from_json(doc, strlen(doc), &err) == NULL);
  CHECK(t, err.line == 3);
  CHECK(t, ms_facts_from_json(NULL, 0, &err) == NULL && err.message[0]);
}

/* Every prefix of a valid document is rejected cleanly (run under ASan). */
static void test_truncations(tally *t) {
  ms_facts *f = sample_facts();
  char *j = ms_facts_to_json(f);
  size_t n = j ? strlen(j) : 0;
  int rejected = 0;
  for (size_t len = 0; len + 1 < n; len += 7) {
    ms_error err = {"", 0};
    ms_facts *g = ms_facts_from_json(j, len, &err);
    rejected += g == NULL && err.message[0];
    ms_facts_free(g);
  }
  CHECK(t, n > 0 && rejected == (int)((n - 2) / 7 + 1));
  free(j);
  ms_facts_free(f);
}

/* ---------------------------------------------------------------------- */
/* Merging.                                                                */
/* ---------------------------------------------------------------------- */

/* a.c: main spawns worker (declared here) and reads `sessions`. */
static ms_facts *unit_a(void) {
  ms_facts *f = ms_facts_new();
  ms_id f_main = add_fn(f, "main", 0, 1, loc(f, "a.c", 5, 1));
  ms_id f_worker = add_fn(f, "worker", 1, 0, MS_NONE);
  ms_spawn s;
  memset(&s, 0, sizeof s);
  s.func = f_main;
  s.entry = f_worker;
  s.loc = loc(f, "a.c", 7, 3);
  s.api = ms_str(f, "pthread_create");
  s.handle = MS_NONE;
  s.arg_param = -1;
  s.arg.path = ms_path_unknown();
  ms_add_spawn(f, &s);
  ms_access a;
  memset(&a, 0, sizeof a);
  ms_id live = 0;
  a.func = f_main;
  a.loc = loc(f, "a.c", 8, 3);
  a.kind = MS_ACC_READ;
  a.api = ms_str(f, "g_hash_table_lookup");
  a.library = ms_str(f, "GLib GHashTable");
  a.map = global_path(f, "sessions");
  a.key_type = a.value_type = MS_NONE;
  a.live.items = &live;
  a.live.count = 1;
  ms_add_access(f, &a);
  return f;
}

/* b.c: worker (defined here) returns holding b_lock, leaves its own spawn
** of helper running; helper writes `sessions`. */
static ms_facts *unit_b(void) {
  ms_facts *f = ms_facts_new();
  ms_str(f, "padding so string ids differ");
  ms_id f_helper = add_fn(f, "helper", 0, 1, loc(f, "b.c", 2, 1));
  ms_id f_worker = add_fn(f, "worker", 1, 1, loc(f, "b.c", 10, 1));
  ms_id f_main = add_fn(f, "main", 0, 0, MS_NONE); /* declared: the definition in a.c stays */
  (void)f_main;
  ms_held h = {global_path(f, "b_lock"), MS_LOCK_EXCLUSIVE, loc(f, "b.c", 11, 3)};
  ms_lockset acq = {&h, 1}, none = {NULL, 0};
  ms_id spawn0 = 0, handle = ms_str(f, "th");
  ms_idset live = {&spawn0, 1}, joins = {&handle, 1}, no_ids = {NULL, 0};
  ms_set_function_effects(f, f_worker, &acq, &none, &live, &joins);
  ms_set_function_effects(f, f_main, &acq, &none, &live, &no_ids); /* ignored: a declaration */

  ms_spawn s;
  memset(&s, 0, sizeof s);
  s.func = f_worker;
  s.entry = f_helper;
  s.loc = loc(f, "b.c", 12, 3);
  s.api = ms_str(f, "pthread_create");
  s.handle = handle;
  s.arg_param = -1;
  s.arg.path = ms_path_unknown();
  s.live = live;
  ms_add_spawn(f, &s);

  ms_call c;
  memset(&c, 0, sizeof c);
  c.caller = f_worker;
  c.callee = f_helper;
  c.loc = loc(f, "b.c", 13, 3);
  c.locks = acq;
  c.live = live;
  ms_add_call(f, &c);

  ms_access a;
  memset(&a, 0, sizeof a);
  a.func = f_helper;
  a.loc = loc(f, "b.c", 3, 3);
  a.kind = MS_ACC_WRITE;
  a.api = ms_str(f, "g_hash_table_insert");
  a.library = ms_str(f, "GLib GHashTable");
  a.map = global_path(f, "sessions");
  a.key_type = a.value_type = MS_NONE;
  a.live = live;
  ms_add_access(f, &a);
  return f;
}

static const char *loc_file(const ms_facts *f, ms_id l) {
  return l < f->locs.count ? ms_str_get(f, f->locs.items[l].file) : "(none)";
}

static void test_merge(tally *t) {
  ms_facts *a = unit_a(), *b = unit_b();
  ms_error err = {"", 0};
  CHECK(t, ms_facts_merge(a, b, &err) == 0);
  CHECK(t, a->functions.count == 3);
  ms_id main_id = ms_find_function(a, "main"), worker = ms_find_function(a, "worker");
  ms_id helper = ms_find_function(a, "helper");
  CHECK(t, main_id == 0 && worker == 1 && helper == 2);
  if (a->functions.count != 3 || helper != 2) goto out;

  /* main stays a.c's definition; worker becomes b.c's. */
  const ms_function *m = &a->functions.items[main_id];
  CHECK(t, m->defined && strcmp(loc_file(a, m->loc), "a.c") == 0 && m->acquires.count == 0);
  const ms_function *w = &a->functions.items[worker];
  CHECK(t, w->defined == 1 && strcmp(loc_file(a, w->loc), "b.c") == 0);
  CHECK(t, w->acquires.count == 1);
  CHECK(t, strcmp(ms_str_get(a, w->acquires.items[0].lock.name), "b_lock") == 0);
  CHECK(t, a->locs.items[w->acquires.items[0].acquired_at].line == 11);
  CHECK(t, w->live_at_exit.count == 1 && w->live_at_exit.items[0] == 1);
  CHECK(t, w->joins.count == 1 && strcmp(ms_str_get(a, w->joins.items[0]), "th") == 0);

  /* Spawns: a.c's first, then b.c's with ids remapped. */
  CHECK(t, a->spawns.count == 2);
  CHECK(t, a->spawns.items[0].entry == worker && a->spawns.items[0].func == main_id);
  const ms_spawn *s = &a->spawns.items[1];
  CHECK(t, s->func == worker && s->entry == helper);
  CHECK(t, s->live.count == 1 && s->live.items[0] == 1);
  CHECK(t, strcmp(ms_str_get(a, s->handle), "th") == 0 && strcmp(loc_file(a, s->loc), "b.c") == 0);

  CHECK(t, a->calls.count == 1);
  const ms_call *c = &a->calls.items[0];
  CHECK(t, c->caller == worker && c->callee == helper);
  CHECK(t, c->live.count == 1 && c->live.items[0] == 1);
  CHECK(t, strcmp(ms_str_get(a, c->locks.items[0].lock.name), "b_lock") == 0);

  CHECK(t, a->accesses.count == 2);
  const ms_access *x = &a->accesses.items[0], *y = &a->accesses.items[1];
  CHECK(t, x->func == main_id && x->live.items[0] == 0);
  CHECK(t, y->func == helper && y->live.items[0] == 1 && y->kind == MS_ACC_WRITE);
  CHECK(t, y->map.name == x->map.name); /* one string table: same string, same id */
  CHECK(t, strcmp(ms_str_get(a, y->api), "g_hash_table_insert") == 0);
  CHECK(t, strcmp(loc_file(a, y->loc), "b.c") == 0 && a->locs.items[y->loc].line == 3);

  /* The merged set is well formed: it survives a round trip. */
  char *j1 = ms_facts_to_json(a);
  ms_facts *g = j1 ? ms_facts_from_json(j1, strlen(j1), &err) : NULL;
  char *j2 = g ? ms_facts_to_json(g) : NULL;
  CHECK(t, j1 && j2 && strcmp(j1, j2) == 0);
  free(j1);
  free(j2);
  ms_facts_free(g);
out:
  ms_facts_free(a);
  ms_facts_free(b);
}

/* A definition already in `into` is not replaced by a declaration or by a
** second definition. */
static void test_merge_keeps_definition(tally *t) {
  ms_facts *a = unit_b(), *b = unit_a();
  ms_error err = {"", 0};
  CHECK(t, ms_facts_merge(a, b, &err) == 0);
  ms_id worker = ms_find_function(a, "worker"), main_id = ms_find_function(a, "main");
  CHECK(t, a->functions.count == 3);
  if (worker != MS_NONE && main_id != MS_NONE) {
    CHECK(t, a->functions.items[worker].defined && a->functions.items[worker].acquires.count == 1);
    CHECK(t, a->functions.items[worker].live_at_exit.items[0] == 0);
    /* main was declared in b.c with (bogus) effects; a.c's definition replaces them. */
    CHECK(t, a->functions.items[main_id].defined && a->functions.items[main_id].acquires.count == 0);
    CHECK(t, a->functions.items[main_id].live_at_exit.count == 0);
    CHECK(t, a->spawns.items[1].entry == worker && a->spawns.items[1].func == main_id);
    CHECK(t, a->accesses.items[1].live.items[0] == 1);
  }
  ms_facts_free(a);
  ms_facts_free(b);
}

/* Merging into an empty set gives the same facts. */
static void test_merge_into_empty(tally *t) {
  ms_facts *f = sample_facts(), *e = ms_facts_new();
  ms_error err = {"", 0};
  CHECK(t, ms_facts_merge(e, f, &err) == 0);
  char *j1 = ms_facts_to_json(f), *j2 = ms_facts_to_json(e);
  CHECK(t, j1 && j2 && strcmp(j1, j2) == 0);
  free(j1);
  free(j2);
  ms_facts_free(e);
  ms_facts_free(f);
}

static void test_merge_rejects(tally *t) {
  ms_facts *a = unit_a(), *b = unit_b();
  ms_error err = {"", 0};
  CHECK(t, ms_facts_merge(a, a, &err) != 0 && err.message[0]);
  b->calls.items[0].callee = 99; /* broken on purpose */
  err.message[0] = '\0';
  uint32_t before = a->functions.count;
  CHECK(t, ms_facts_merge(a, b, &err) != 0 && strstr(err.message, "calls[0]"));
  CHECK(t, a->functions.count == before); /* nothing half-merged */
  b->calls.items[0].callee = 0;
  b->accesses.items[0].live.items[0] = 5;
  CHECK(t, ms_facts_merge(a, b, &err) != 0 && strstr(err.message, "accesses[0]"));
  ms_facts_free(a);
  ms_facts_free(b);
}

int main(void) {
  tally t = {0, 0, 0, NULL};
  run(&t, "sample_built", test_sample_built);
  run(&t, "round_trip", test_round_trip);
  run(&t, "json_shape", test_json_shape);
  run(&t, "empty_facts", test_empty_facts);
  run(&t, "non_utf8", test_non_utf8);
  run(&t, "forward_refs", test_forward_refs);
  run(&t, "bad_docs", test_bad_docs);
  run(&t, "syntax_error_line", test_syntax_error_line);
  run(&t, "truncations", test_truncations);
  run(&t, "merge", test_merge);
  run(&t, "merge_keeps_definition", test_merge_keeps_definition);
  run(&t, "merge_into_empty", test_merge_into_empty);
  run(&t, "merge_rejects", test_merge_rejects);
  printf("%d passed, %d failed\n", t.passed, t.failed);
  return t.failed ? 1 : 0;
}
