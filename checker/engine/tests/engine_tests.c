/*
** Tests of the fact model, its JSON form and merging (facts.h,
** facts_json.h, merge.h).
**
** A self-contained program: each test is a function that records its
** checks in a tally; the last line printed is "N passed, M failed" and the
** exit status is nonzero when anything failed.  The analysis is tested
** elsewhere (lit tests over mapsafe-facts).  Run it under AddressSanitizer
** or valgrind: several tests are there to show that no input makes the
** reader or the merge read or write out of bounds, or leak.
*/
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapsafe/facts.h"
#include "mapsafe/facts_json.h"
#include "mapsafe/merge.h"

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

/* Checks that a string is `want`, showing both when it is not. */
#define CHECK_STR(t, got, want)                                                         \
  do {                                                                                  \
    const char *got_ = (got), *want_ = (want);                                          \
    if (!got_ || strcmp(got_, want_) != 0) {                                            \
      fprintf(stderr, "%s:%d: %s: check failed: %s is \"%s\", expected \"%s\"\n",       \
              __FILE__, __LINE__, (t)->test, #got, got_ ? got_ : "(null)", want_);      \
      (t)->bad++;                                                                       \
    }                                                                                   \
  } while (0)

/* A check that what follows depends on: on failure, goes to `out`. */
#define REQUIRE(t, cond)                                                                \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__, (t)->test, #cond); \
      (t)->bad++;                                                                       \
      goto out;                                                                         \
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

/* A path with every member: `name`.`field` of a global struct. */
static ms_path global_field_path(ms_facts *f, const char *name, const char *owner,
                                 const char *field) {
  ms_path p = global_path(f, name);
  p.depth = 1;
  p.field = ms_str(f, field);
  p.field_owner = ms_str(f, owner);
  return p;
}

static ms_path param_path(int param) {
  ms_path p = ms_path_unknown();
  p.base = MS_BASE_PARAM;
  p.param = param;
  return p;
}

static ms_path param_field_path(ms_facts *f, int param, const char *owner, const char *field) {
  ms_path p = param_path(param);
  p.depth = 1;
  p.field = ms_str(f, field);
  p.field_owner = ms_str(f, owner);
  return p;
}

static ms_path local_path(ms_facts *f, const char *name, const char *display) {
  ms_path p = ms_path_unknown();
  p.base = MS_BASE_LOCAL;
  p.name = ms_str(f, name);
  p.display = display ? ms_str(f, display) : MS_NONE;
  return p;
}

/* A field of something that is not named (a call result, *pp). */
static ms_path unknown_field_path(ms_facts *f, uint32_t depth, const char *owner,
                                  const char *field) {
  ms_path p = ms_path_unknown();
  p.depth = depth;
  p.field = ms_str(f, field);
  p.field_owner = ms_str(f, owner);
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
  fn.returns = defined;
  return ms_add_function(f, &fn);
}

/* Sets of ids and paths, and set entries, for the builders (which copy
** them: compound literals will do). */
#define IDS(...) \
  ((ms_idset){(ms_id[]){__VA_ARGS__}, (uint32_t)(sizeof((ms_id[]){__VA_ARGS__}) / sizeof(ms_id))})
#define PATHS(...)                                 \
  ((ms_pathset){(ms_path[]){__VA_ARGS__},          \
                (uint32_t)(sizeof((ms_path[]){__VA_ARGS__}) / sizeof(ms_path))})
#define LOCKS(...)                                 \
  ((ms_lockset){(ms_held[]){__VA_ARGS__},          \
                (uint32_t)(sizeof((ms_held[]){__VA_ARGS__}) / sizeof(ms_held))})
#define THREADS(...)                               \
  ((ms_threadset){(ms_running[]){__VA_ARGS__},     \
                  (uint32_t)(sizeof((ms_running[]){__VA_ARGS__}) / sizeof(ms_running))})
#define RELEASES(...)                              \
  ((ms_releaseset){(ms_release[]){__VA_ARGS__},    \
                   (uint32_t)(sizeof((ms_release[]){__VA_ARGS__}) / sizeof(ms_release))})
static const ms_idset no_ids = {NULL, 0};
static const ms_pathset no_paths = {NULL, 0};
static const ms_lockset no_locks = {NULL, 0};
static const ms_threadset no_threads = {NULL, 0};
static const ms_releaseset no_releases = {NULL, 0};

/* A lock the function took itself. */
static ms_held own_lock(ms_path lock, ms_lock_mode mode, ms_id at, ms_idset released_by) {
  ms_held h;
  memset(&h, 0, sizeof h);
  h.lock = lock;
  h.mode = mode;
  h.acquired_at = at;
  h.call = MS_NONE;
  h.released_by = released_by;
  return h;
}

/* What call `call`'s callee returns holding. */
static ms_held call_lock(ms_id call, ms_id at, ms_pathset released, ms_idset released_by) {
  ms_held h;
  memset(&h, 0, sizeof h);
  h.lock = ms_path_unknown();
  h.mode = MS_LOCK_EXCLUSIVE;
  h.acquired_at = at;
  h.call = call;
  h.released = released;
  h.released_by = released_by;
  return h;
}

/* The threads spawn `spawn` started. */
static ms_running own_spawn(ms_id spawn, ms_idset joined_by) {
  ms_running r;
  memset(&r, 0, sizeof r);
  r.spawn = spawn;
  r.call = MS_NONE;
  r.joined_by = joined_by;
  return r;
}

/* The threads call `call`'s callee leaves running. */
static ms_running call_threads(ms_id call, ms_pathset joined, ms_idset joined_by) {
  ms_running r;
  memset(&r, 0, sizeof r);
  r.spawn = MS_NONE;
  r.call = call;
  r.joined = joined;
  r.joined_by = joined_by;
  return r;
}

static ms_release release_of(ms_path lock, ms_idset unless_acquired_by) {
  ms_release r;
  r.lock = lock;
  r.unless_acquired_by = unless_acquired_by;
  return r;
}

/* A function body (defined) with the given exit state. */
static ms_function body(int returns, ms_lockset locks, ms_threadset threads,
                        ms_releaseset releases, ms_pathset joins) {
  ms_function b;
  memset(&b, 0, sizeof b);
  b.defined = 1;
  b.returns = returns;
  b.exit_locks = locks;
  b.exit_threads = threads;
  b.releases = releases;
  b.joins = joins;
  return b;
}

static ms_call make_call(ms_id caller, ms_id callee, ms_id at, ms_lockset locks,
                         ms_threadset live) {
  ms_call c;
  memset(&c, 0, sizeof c);
  c.caller = caller;
  c.callee = callee;
  c.loc = at;
  c.locks = locks;
  c.live = live;
  return c;
}

static ms_spawn make_spawn(ms_facts *f, ms_id func, ms_id entry, ms_id at, const char *api,
                           ms_path handle) {
  ms_spawn s;
  memset(&s, 0, sizeof s);
  s.func = func;
  s.entry = entry;
  s.loc = at;
  s.api = ms_str(f, api);
  s.handle = handle;
  s.multiplicity = MS_MULT_ONE;
  s.arg_param = -1;
  s.arg.path = ms_path_unknown();
  return s;
}

static ms_access make_access(ms_facts *f, ms_id func, ms_id at, ms_access_kind kind,
                             const char *api, ms_path map) {
  ms_access a;
  memset(&a, 0, sizeof a);
  a.func = func;
  a.loc = at;
  a.kind = kind;
  a.api = ms_str(f, api);
  a.library = ms_str(f, "GLib GHashTable");
  a.map = map;
  a.key_type = a.value_type = MS_NONE;
  return a;
}

/* The sample program, server.c:
**
**   main takes main_lock, calls lock_cache() (a lock wrapper: returns
**   holding cache_lock), start_pool() (starts a pool of pool_worker threads
**   and leaves them running), release_all() (may release what its caller
**   holds, unless it took it itself through lock_cache), stop_pool(&pool)
**   (joins pool.tid) and lookup(sessions, &srv) (declared only); it spawns
**   worker in a loop (so that thread runs at its own spawn), and a thread
**   whose entry is not known; it creates, iterates and destroys maps.
**   worker runs visit() as a g_hash_table_foreach callback and accesses
**   sessions and srv->tbl under locks; spin's dataflow did not settle.
**
** It uses every kind of fact, path base, optional member and set entry. */
enum {
  F_MAIN, F_WORKER, F_LOCK_CACHE, F_RELEASE_ALL, F_START_POOL, F_STOP_POOL,
  F_LOOKUP, F_VISIT, F_POOL_WORKER, F_SPIN, F_COUNT
};
enum { C_LOCK, C_START, C_RELEASE, C_STOP, C_LOOKUP, C_VISIT, C_RELOCK, C_COUNT };
enum { S_WORKER, S_POOL, S_ANON, S_COUNT };
enum { A_INSERT, A_LOOKUP, A_FOREACH, A_DESTROY, A_CREATE, A_SIZE, A_COUNT };

static ms_facts *sample_facts(void) {
  ms_facts *f = ms_facts_new();
  if (!f) return NULL;
  const char *src = "server.c";
  ms_id l_main_lock = loc(f, src, 11, 3);
  ms_id l_call[C_COUNT];
  for (uint32_t i = 0; i < C_COUNT; i++) l_call[i] = loc(f, src, 12 + i, 3);

  /* Functions, declared first; the bodies refer to calls and spawns that
  ** are added later. */
  add_fn(f, "main", 0, 1, loc(f, src, 10, 1));
  add_fn(f, "worker", 1, 1, loc(f, src, 30, 1));
  {
    /* lock_cache comes with its body: ms_add_function copies it too. */
    ms_function fn = body(1, LOCKS(own_lock(global_path(f, "cache_lock"), MS_LOCK_EXCLUSIVE,
                                            loc(f, src, 41, 3), no_ids)),
                          no_threads, no_releases, no_paths);
    fn.name = ms_str(f, "lock_cache");
    fn.loc = loc(f, src, 40, 1);
    ms_add_function(f, &fn);
  }
  add_fn(f, "release_all", 0, 1, loc(f, src, 50, 1));
  add_fn(f, "start_pool", 0, 1, loc(f, src, 60, 1));
  add_fn(f, "stop_pool", 1, 1, loc(f, src, 70, 1));
  add_fn(f, "lookup", 2, 0, MS_NONE);
  add_fn(f, "visit", 3, 1, loc(f, src, 80, 1));
  add_fn(f, "pool_worker", 2, 1, loc(f, src, 90, 1));
  add_fn(f, "spin", 0, 1, loc(f, src, 95, 1));

  ms_path main_lock = global_path(f, "main_lock");
  ms_path pool_tid = global_field_path(f, "pool", "struct pool", "tid");
  ms_path rwlock = param_field_path(f, 0, "struct server", "rwlock");
  ms_id l_rwlock = loc(f, src, 32, 3);

  /* main's body: every kind of set entry. */
  ms_function main_body = body(
      1,
      LOCKS(own_lock(main_lock, MS_LOCK_EXCLUSIVE, l_main_lock, IDS(C_RELEASE)),
            call_lock(C_LOCK, l_call[C_LOCK], PATHS(global_path(f, "stats_lock")),
                      IDS(C_RELEASE, C_STOP))),
      THREADS(own_spawn(S_WORKER, IDS(C_STOP)),
              call_threads(C_START, PATHS(pool_tid), IDS(C_STOP)), own_spawn(S_ANON, no_ids)),
      RELEASES(release_of(global_path(f, "outer_lock"), IDS(C_LOCK)),
               release_of(unknown_field_path(f, 2, "struct ctx", "lock"), no_ids)),
      PATHS(local_path(f, "main::tid", "tid")));
  ms_set_function_body(f, F_MAIN, &main_body);
  ms_function b;
  b = body(1, no_locks, no_threads, no_releases, no_paths);
  ms_set_function_body(f, F_WORKER, &b);
  b = body(1, no_locks, no_threads,
           RELEASES(release_of(global_path(f, "cache_lock"), IDS(C_RELOCK))), no_paths);
  ms_set_function_body(f, F_RELEASE_ALL, &b);
  b = body(1, no_locks, THREADS(own_spawn(S_POOL, no_ids)), no_releases, no_paths);
  ms_set_function_body(f, F_START_POOL, &b);
  b = body(1, no_locks, no_threads, no_releases,
           PATHS(param_field_path(f, 0, "struct pool", "tid")));
  ms_set_function_body(f, F_STOP_POOL, &b);
  b = body(0, no_locks, no_threads, no_releases, no_paths);
  b.unsettled = 1;
  ms_set_function_body(f, F_SPIN, &b);

  /* Calls. */
  ms_held held_main = own_lock(main_lock, MS_LOCK_EXCLUSIVE, l_main_lock, no_ids);
  ms_call c;
  c = make_call(F_MAIN, F_LOCK_CACHE, l_call[C_LOCK], LOCKS(held_main), no_threads);
  ms_add_call(f, &c);
  c = make_call(F_MAIN, F_START_POOL, l_call[C_START],
                LOCKS(held_main, call_lock(C_LOCK, l_call[C_LOCK], no_paths, no_ids)),
                THREADS(own_spawn(S_WORKER, no_ids)));
  ms_add_call(f, &c);
  c = make_call(F_MAIN, F_RELEASE_ALL, l_call[C_RELEASE],
                LOCKS(held_main, call_lock(C_LOCK, l_call[C_LOCK],
                                           PATHS(global_path(f, "stats_lock")), no_ids)),
                THREADS(own_spawn(S_WORKER, no_ids), call_threads(C_START, no_paths, no_ids)));
  ms_add_call(f, &c);
  c = make_call(F_MAIN, F_STOP_POOL, l_call[C_STOP],
                LOCKS(own_lock(main_lock, MS_LOCK_EXCLUSIVE, l_main_lock, IDS(C_RELEASE)),
                      call_lock(C_LOCK, l_call[C_LOCK], no_paths, IDS(C_RELEASE))),
                THREADS(own_spawn(S_WORKER, no_ids),
                        call_threads(C_START, PATHS(pool_tid), no_ids)));
  ms_value stop_arg;
  memset(&stop_arg, 0, sizeof stop_arg);
  stop_arg.path = global_path(f, "pool");
  c.args = &stop_arg;
  c.arg_count = 1;
  ms_add_call(f, &c);
  c = make_call(F_MAIN, F_LOOKUP, l_call[C_LOOKUP], no_locks,
                THREADS(own_spawn(S_WORKER, IDS(C_STOP)),
                        call_threads(C_START, PATHS(pool_tid), IDS(C_STOP))));
  ms_field_value srv_tbl = {ms_str(f, "tbl"), global_path(f, "sessions"), 0};
  ms_value lookup_args[2];
  memset(lookup_args, 0, sizeof lookup_args);
  lookup_args[0].path = global_path(f, "sessions");
  lookup_args[1].path = local_path(f, "main::srv", "srv");
  lookup_args[1].fields = &srv_tbl;
  lookup_args[1].field_count = 1;
  c.args = lookup_args;
  c.arg_count = 2;
  ms_add_call(f, &c);
  c = make_call(F_WORKER, F_VISIT, l_call[C_VISIT],
                LOCKS(own_lock(rwlock, MS_LOCK_SHARED, l_rwlock, no_ids)), no_threads);
  c.callback = 1;
  ms_value visit_arg;
  memset(&visit_arg, 0, sizeof visit_arg);
  visit_arg.path = param_path(0);
  c.args = &visit_arg;
  c.arg_count = 1;
  ms_add_call(f, &c);
  c = make_call(F_RELEASE_ALL, F_LOCK_CACHE, l_call[C_RELOCK], no_locks, no_threads);
  ms_add_call(f, &c);

  /* Spawns. */
  ms_spawn s = make_spawn(f, F_MAIN, F_WORKER, loc(f, src, 20, 5), "pthread_create",
                          local_path(f, "main::tid", "tid"));
  s.arg_param = 0;
  ms_field_value srv_fields[2] = {{ms_str(f, "tbl"), local_path(f, "main::tbl", "tbl"), 1},
                                  {ms_str(f, "name"), ms_path_unknown(), 0}};
  s.arg.path = local_path(f, "main::srv", "srv");
  s.arg.per_instance = 1;
  s.arg.fields = srv_fields;
  s.arg.field_count = 2;
  s.locks = LOCKS(held_main);
  s.live = THREADS(own_spawn(S_WORKER, no_ids)); /* itself: spawned in a loop */
  ms_add_spawn(f, &s);
  s = make_spawn(f, F_START_POOL, F_POOL_WORKER, loc(f, src, 61, 3), "g_thread_pool_new",
                 pool_tid);
  s.multiplicity = MS_MULT_MANY;
  s.arg_param = 1;
  ms_add_spawn(f, &s);
  s = make_spawn(f, F_MAIN, MS_NONE, MS_NONE, "pthread_create", ms_path_unknown());
  s.live = THREADS(own_spawn(S_WORKER, no_ids), call_threads(C_START, no_paths, no_ids));
  ms_add_spawn(f, &s);

  /* Accesses, of every kind. */
  ms_access a = make_access(f, F_WORKER, loc(f, src, 34, 3), MS_ACC_WRITE,
                            "g_hash_table_insert", global_path(f, "sessions"));
  a.key_type = ms_str(f, "char *");
  a.value_type = ms_str(f, "struct session *");
  a.locks = LOCKS(own_lock(rwlock, MS_LOCK_SHARED, l_rwlock, no_ids),
                  own_lock(global_path(f, "cache_lock"), MS_LOCK_EXCLUSIVE, loc(f, src, 31, 3),
                           no_ids));
  ms_add_access(f, &a);
  a = make_access(f, F_WORKER, loc(f, src, 35, 3), MS_ACC_READ, "g_hash_table_lookup",
                  param_field_path(f, 0, "struct server", "tbl"));
  a.key_type = ms_str(f, "char *");
  ms_add_access(f, &a);
  a = make_access(f, F_MAIN, ms_add_loc(f, MS_NONE, 0, 0), /* a location without a file */
                  MS_ACC_ITERATE, "g_hash_table_foreach", ms_path_unknown());
  a.locks = LOCKS(call_lock(C_LOCK, l_call[C_LOCK], PATHS(global_path(f, "stats_lock")),
                            IDS(C_RELEASE)));
  a.live = THREADS(own_spawn(S_WORKER, IDS(C_STOP)),
                   call_threads(C_START, PATHS(pool_tid), IDS(C_STOP)));
  ms_add_access(f, &a);
  a = make_access(f, F_MAIN, MS_NONE, MS_ACC_DESTROY, "g_hash_table_destroy",
                  local_path(f, "main::tbl", "tbl"));
  a.live = THREADS(own_spawn(S_ANON, no_ids));
  ms_add_access(f, &a);
  a = make_access(f, F_MAIN, loc(f, src, 17, 3), MS_ACC_CREATE, "g_hash_table_new",
                  local_path(f, "main::tbl", NULL));
  a.api = MS_NONE;
  a.library = MS_NONE;
  ms_add_access(f, &a);
  a = make_access(f, F_POOL_WORKER, loc(f, src, 91, 3), MS_ACC_READ, "g_hash_table_size",
                  param_path(1));
  ms_add_access(f, &a);
  return f;
}

/* ---------------------------------------------------------------------- */
/* Comparing fact sets: strings and locations by content, other ids as    */
/* they are (a round trip and a merge into an empty set keep them).        */
/* ---------------------------------------------------------------------- */

static int str_same(const ms_facts *a, ms_id x, const ms_facts *b, ms_id y) {
  if ((x == MS_NONE) != (y == MS_NONE)) return 0;
  return x == MS_NONE || strcmp(ms_str_get(a, x), ms_str_get(b, y)) == 0;
}

static int loc_same(const ms_facts *a, ms_id x, const ms_facts *b, ms_id y) {
  if ((x == MS_NONE) != (y == MS_NONE)) return 0;
  if (x == MS_NONE) return 1;
  if (x >= a->locs.count || y >= b->locs.count) return 0;
  const ms_loc *p = &a->locs.items[x], *q = &b->locs.items[y];
  return str_same(a, p->file, b, q->file) && p->line == q->line && p->col == q->col;
}

static int path_same(const ms_facts *a, const ms_path *p, const ms_facts *b, const ms_path *q) {
  return p->base == q->base && p->param == q->param && p->depth == q->depth &&
         str_same(a, p->name, b, q->name) && str_same(a, p->display, b, q->display) &&
         str_same(a, p->field, b, q->field) && str_same(a, p->field_owner, b, q->field_owner);
}

static int ids_same(const ms_idset *x, const ms_idset *y) {
  if (x->count != y->count) return 0;
  for (uint32_t i = 0; i < x->count; i++)
    if (x->items[i] != y->items[i]) return 0;
  return 1;
}

static int paths_same(const ms_facts *a, const ms_pathset *x, const ms_facts *b,
                      const ms_pathset *y) {
  if (x->count != y->count) return 0;
  for (uint32_t i = 0; i < x->count; i++)
    if (!path_same(a, &x->items[i], b, &y->items[i])) return 0;
  return 1;
}

/* A lock held through a call has no lock or mode of its own (the JSON form
** leaves them out), so they are compared for own locks only. */
static int locks_same(const ms_facts *a, const ms_lockset *x, const ms_facts *b,
                      const ms_lockset *y) {
  if (x->count != y->count) return 0;
  for (uint32_t i = 0; i < x->count; i++) {
    const ms_held *p = &x->items[i], *q = &y->items[i];
    if (p->call != q->call || !loc_same(a, p->acquired_at, b, q->acquired_at) ||
        !paths_same(a, &p->released, b, &q->released) || !ids_same(&p->released_by, &q->released_by))
      return 0;
    if (p->call == MS_NONE && (p->mode != q->mode || !path_same(a, &p->lock, b, &q->lock)))
      return 0;
  }
  return 1;
}

static int threads_same(const ms_facts *a, const ms_threadset *x, const ms_facts *b,
                        const ms_threadset *y) {
  if (x->count != y->count) return 0;
  for (uint32_t i = 0; i < x->count; i++) {
    const ms_running *p = &x->items[i], *q = &y->items[i];
    if (p->spawn != q->spawn || p->call != q->call || !paths_same(a, &p->joined, b, &q->joined) ||
        !ids_same(&p->joined_by, &q->joined_by))
      return 0;
  }
  return 1;
}

static int releases_same(const ms_facts *a, const ms_releaseset *x, const ms_facts *b,
                         const ms_releaseset *y) {
  if (x->count != y->count) return 0;
  for (uint32_t i = 0; i < x->count; i++)
    if (!path_same(a, &x->items[i].lock, b, &y->items[i].lock) ||
        !ids_same(&x->items[i].unless_acquired_by, &y->items[i].unless_acquired_by))
      return 0;
  return 1;
}

static int value_same(const ms_facts *a, const ms_value *x, const ms_facts *b, const ms_value *y) {
  if (!path_same(a, &x->path, b, &y->path) || x->per_instance != y->per_instance ||
      x->field_count != y->field_count)
    return 0;
  for (uint32_t i = 0; i < x->field_count; i++) {
    const ms_field_value *p = &x->fields[i], *q = &y->fields[i];
    if (!str_same(a, p->field, b, q->field) || !path_same(a, &p->value, b, &q->value) ||
        p->per_instance != q->per_instance)
      return 0;
  }
  return 1;
}

static int function_same(const ms_facts *a, const ms_function *x, const ms_facts *b,
                         const ms_function *y) {
  return str_same(a, x->name, b, y->name) && loc_same(a, x->loc, b, y->loc) &&
         x->param_count == y->param_count && x->defined == y->defined &&
         x->unsettled == y->unsettled && x->returns == y->returns &&
         locks_same(a, &x->exit_locks, b, &y->exit_locks) &&
         threads_same(a, &x->exit_threads, b, &y->exit_threads) &&
         releases_same(a, &x->releases, b, &y->releases) && paths_same(a, &x->joins, b, &y->joins);
}

static int call_same(const ms_facts *a, const ms_call *x, const ms_facts *b, const ms_call *y) {
  if (x->caller != y->caller || x->callee != y->callee || !loc_same(a, x->loc, b, y->loc) ||
      x->callback != y->callback || !locks_same(a, &x->locks, b, &y->locks) ||
      !threads_same(a, &x->live, b, &y->live) || x->arg_count != y->arg_count)
    return 0;
  for (uint32_t i = 0; i < x->arg_count; i++)
    if (!value_same(a, &x->args[i], b, &y->args[i])) return 0;
  return 1;
}

static int spawn_same(const ms_facts *a, const ms_spawn *x, const ms_facts *b, const ms_spawn *y) {
  return x->func == y->func && x->entry == y->entry && loc_same(a, x->loc, b, y->loc) &&
         str_same(a, x->api, b, y->api) && path_same(a, &x->handle, b, &y->handle) &&
         x->multiplicity == y->multiplicity && x->arg_param == y->arg_param &&
         value_same(a, &x->arg, b, &y->arg) && locks_same(a, &x->locks, b, &y->locks) &&
         threads_same(a, &x->live, b, &y->live);
}

static int access_same(const ms_facts *a, const ms_access *x, const ms_facts *b,
                       const ms_access *y) {
  return x->func == y->func && loc_same(a, x->loc, b, y->loc) && x->kind == y->kind &&
         str_same(a, x->api, b, y->api) && str_same(a, x->library, b, y->library) &&
         path_same(a, &x->map, b, &y->map) && str_same(a, x->key_type, b, y->key_type) &&
         str_same(a, x->value_type, b, y->value_type) && locks_same(a, &x->locks, b, &y->locks) &&
         threads_same(a, &x->live, b, &y->live);
}

/* Whether two fact sets say the same; tells the first difference. */
static int facts_same(const ms_facts *a, const ms_facts *b) {
  if (a->functions.count != b->functions.count || a->calls.count != b->calls.count ||
      a->spawns.count != b->spawns.count || a->accesses.count != b->accesses.count) {
    fprintf(stderr, "  fact counts differ\n");
    return 0;
  }
#define SAME_ALL(arr, same)                                                           \
  for (uint32_t i = 0; i < a->arr.count; i++)                                         \
    if (!same(a, &a->arr.items[i], b, &b->arr.items[i])) {                            \
      fprintf(stderr, "  " #arr "[%u] differs\n", i);                                  \
      return 0;                                                                       \
    }
  SAME_ALL(functions, function_same)
  SAME_ALL(calls, call_same)
  SAME_ALL(spawns, spawn_same)
  SAME_ALL(accesses, access_same)
#undef SAME_ALL
  return 1;
}

/* Whether two facts have sets of the same sizes, down to the nested ones:
** what must hold before a test looks into the sets of a fact built or
** copied by the code under test. */
static int locks_shape(const ms_lockset *x, const ms_lockset *y) {
  if (x->count != y->count) return 0;
  for (uint32_t i = 0; i < x->count; i++)
    if (x->items[i].released.count != y->items[i].released.count ||
        x->items[i].released_by.count != y->items[i].released_by.count)
      return 0;
  return 1;
}

static int threads_shape(const ms_threadset *x, const ms_threadset *y) {
  if (x->count != y->count) return 0;
  for (uint32_t i = 0; i < x->count; i++)
    if (x->items[i].joined.count != y->items[i].joined.count ||
        x->items[i].joined_by.count != y->items[i].joined_by.count)
      return 0;
  return 1;
}

static int function_shape(const ms_function *x, const ms_function *y) {
  if (!locks_shape(&x->exit_locks, &y->exit_locks) ||
      !threads_shape(&x->exit_threads, &y->exit_threads) ||
      x->releases.count != y->releases.count || x->joins.count != y->joins.count)
    return 0;
  for (uint32_t i = 0; i < x->releases.count; i++)
    if (x->releases.items[i].unless_acquired_by.count != y->releases.items[i].unless_acquired_by.count)
      return 0;
  return 1;
}

static int call_shape(const ms_call *x, const ms_call *y) {
  if (!locks_shape(&x->locks, &y->locks) || !threads_shape(&x->live, &y->live) ||
      x->arg_count != y->arg_count)
    return 0;
  for (uint32_t i = 0; i < x->arg_count; i++)
    if (x->args[i].field_count != y->args[i].field_count) return 0;
  return 1;
}

static int spawn_shape(const ms_spawn *x, const ms_spawn *y) {
  return locks_shape(&x->locks, &y->locks) && threads_shape(&x->live, &y->live) &&
         x->arg.field_count == y->arg.field_count;
}

static int access_shape(const ms_access *x, const ms_access *y) {
  return locks_shape(&x->locks, &y->locks) && threads_shape(&x->live, &y->live);
}

/* Whether the calls, spawns and accesses of `part` are, in shape, those of
** `whole` from the given offsets on (functions are compared one by one). */
static int facts_shape(const ms_facts *whole, const ms_facts *part, uint32_t call_at,
                       uint32_t spawn_at, uint32_t access_at) {
  if (whole->calls.count < call_at + part->calls.count ||
      whole->spawns.count < spawn_at + part->spawns.count ||
      whole->accesses.count < access_at + part->accesses.count)
    return 0;
  for (uint32_t i = 0; i < part->calls.count; i++)
    if (!call_shape(&whole->calls.items[call_at + i], &part->calls.items[i])) return 0;
  for (uint32_t i = 0; i < part->spawns.count; i++)
    if (!spawn_shape(&whole->spawns.items[spawn_at + i], &part->spawns.items[i])) return 0;
  for (uint32_t i = 0; i < part->accesses.count; i++)
    if (!access_shape(&whole->accesses.items[access_at + i], &part->accesses.items[i])) return 0;
  return 1;
}

/* ---------------------------------------------------------------------- */
/* Small helpers.                                                          */
/* ---------------------------------------------------------------------- */

static int contains(const char *s, const char *sub) { return s && strstr(s, sub) != NULL; }

static const char *loc_file(const ms_facts *f, ms_id l) {
  return l < f->locs.count ? ms_str_get(f, f->locs.items[l].file) : "(none)";
}

static uint32_t loc_line(const ms_facts *f, ms_id l) {
  return l < f->locs.count ? f->locs.items[l].line : 0;
}

/* Reads a document, telling why when it is rejected. */
static ms_facts *read_doc(const char *text) {
  ms_error err = {"", 0};
  ms_facts *f = text ? ms_facts_from_json(text, strlen(text), &err) : NULL;
  if (text && !f) fprintf(stderr, "  read failed: line %u: %s\n", err.line, err.message);
  return f;
}

/* The JSON value at a path of members and indices ("functions/0/loc"). */
static json_t *jget(json_t *v, const char *path) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *tok = strtok(buf, "/"); tok && v; tok = strtok(NULL, "/")) {
    if (json_is_array(v)) v = json_array_get(v, (size_t)strtoul(tok, NULL, 10));
    else v = json_object_get(v, tok);
  }
  return v;
}

/* Whether object v has exactly the members in `keys` (space-separated), in
** that order. */
static int members_are(json_t *v, const char *keys) {
  if (!json_is_object(v)) return 0;
  const char *k;
  json_t *x;
  json_object_foreach(v, k, x) {
    size_t n = strlen(k);
    if (strncmp(keys, k, n) != 0 || (keys[n] != ' ' && keys[n] != '\0')) return 0;
    keys += n + (keys[n] == ' ');
  }
  return *keys == '\0';
}

static const char *jstr(json_t *root, const char *path) { return json_string_value(jget(root, path)); }

static long long jint(json_t *root, const char *path) {
  json_t *v = jget(root, path);
  return json_is_integer(v) ? (long long)json_integer_value(v) : -12345;
}

/* ---------------------------------------------------------------------- */
/* The fact model.                                                         */
/* ---------------------------------------------------------------------- */

static void test_strings(tally *t) {
  ms_facts *f = ms_facts_new();
  ms_id a = ms_str(f, "alpha");
  CHECK(t, a == 0 && ms_str(f, "alpha") == a);
  CHECK(t, ms_strn(f, "alphabet", 5) == a);
  ms_id b = ms_strn(f, "betamax", 4);
  CHECK(t, b != a && strcmp(ms_str_get(f, b), "beta") == 0 && ms_str(f, "beta") == b);
  CHECK(t, ms_str(f, NULL) == MS_NONE && ms_strn(f, NULL, 0) == MS_NONE);
  CHECK_STR(t, ms_str_get(f, MS_NONE), "");
  CHECK_STR(t, ms_str_get(f, 12345), "");
  ms_id empty = ms_str(f, "");
  CHECK(t, empty != MS_NONE && ms_str(f, "") == empty);
  /* Many strings: the table grows and keeps every id. */
  char name[32];
  ms_id first = ms_str_count(f);
  for (int i = 0; i < 2000; i++) {
    snprintf(name, sizeof name, "s%d", i);
    CHECK(t, ms_str(f, name) == first + (ms_id)i);
  }
  int stable = 1;
  for (int i = 0; i < 2000; i++) {
    snprintf(name, sizeof name, "s%d", i);
    stable &= ms_str(f, name) == first + (ms_id)i && strcmp(ms_str_get(f, first + i), name) == 0;
  }
  CHECK(t, stable);
  CHECK(t, ms_str_count(f) == first + 2000);
  CHECK(t, ms_str(f, "alpha") == a);
  ms_facts_free(f);
  ms_facts_free(NULL);
}

static void test_paths_and_names(tally *t) {
  ms_facts *f = ms_facts_new();
  ms_path u = ms_path_unknown();
  CHECK(t, u.base == MS_BASE_UNKNOWN && u.name == MS_NONE && u.display == MS_NONE);
  CHECK(t, u.param == -1 && u.depth == 0 && u.field == MS_NONE && u.field_owner == MS_NONE);
  CHECK(t, ms_path_is_unknown(&u));
  ms_path uf = unknown_field_path(f, 1, "struct s", "m");
  CHECK(t, !ms_path_is_unknown(&uf)); /* a field of something unknown still names the field */
  ms_path g = global_path(f, "m"), g2 = g;
  CHECK(t, ms_path_is_unknown(&g) == 0 && ms_path_equal(&g, &g2));
  g2.display = ms_str(f, "other name");
  CHECK(t, ms_path_equal(&g, &g2)); /* the display name is for users only */
  g2 = g;
  g2.depth = 1;
  CHECK(t, !ms_path_equal(&g, &g2));
  ms_path p0 = param_path(0), p1 = param_path(1);
  CHECK(t, !ms_path_equal(&p0, &p1));
  ms_path l = local_path(f, "m", "m");
  CHECK(t, !ms_path_equal(&g, &l) && l.name == g.name);
  ms_path gf = global_field_path(f, "m", "struct s", "a"), gf2 = gf;
  CHECK(t, ms_path_equal(&gf, &gf2));
  gf2.field = ms_str(f, "b");
  CHECK(t, !ms_path_equal(&gf, &gf2));
  gf2 = gf;
  gf2.field_owner = ms_str(f, "struct t");
  CHECK(t, !ms_path_equal(&gf, &gf2));

  /* Every enum name reads back as its value; other names are unknown. */
  int ok = 1;
  for (int k = 0; k < MS_ACC_COUNT; k++) {
    ms_access_kind out = MS_ACC_COUNT;
    ok &= ms_access_kind_from_name(ms_access_kind_name((ms_access_kind)k), &out) == 0 &&
          out == (ms_access_kind)k;
  }
  for (int k = 0; k < MS_BASE_COUNT; k++) {
    ms_base out = MS_BASE_COUNT;
    ok &= ms_base_from_name(ms_base_name((ms_base)k), &out) == 0 && out == (ms_base)k;
  }
  for (int k = 0; k < MS_LOCK_MODE_COUNT; k++) {
    ms_lock_mode out = MS_LOCK_MODE_COUNT;
    ok &= ms_lock_mode_from_name(ms_lock_mode_name((ms_lock_mode)k), &out) == 0 &&
          out == (ms_lock_mode)k;
  }
  for (int k = 0; k < MS_MULT_COUNT; k++) {
    ms_multiplicity out = MS_MULT_COUNT;
    ok &= ms_multiplicity_from_name(ms_multiplicity_name((ms_multiplicity)k), &out) == 0 &&
          out == (ms_multiplicity)k;
  }
  CHECK(t, ok);
  CHECK_STR(t, ms_access_kind_name(MS_ACC_ITERATE), "iterate");
  CHECK_STR(t, ms_base_name(MS_BASE_LOCAL), "local");
  CHECK_STR(t, ms_lock_mode_name(MS_LOCK_SHARED), "shared");
  CHECK_STR(t, ms_multiplicity_name(MS_MULT_MANY), "many");
  CHECK_STR(t, ms_access_kind_name(MS_ACC_COUNT), "?");
  ms_access_kind k = MS_ACC_READ;
  ms_base bs = MS_BASE_GLOBAL;
  CHECK(t, ms_access_kind_from_name("Read", &k) != 0 && k == MS_ACC_READ);
  CHECK(t, ms_base_from_name("heap", &bs) != 0 && bs == MS_BASE_GLOBAL);
  ms_lock_mode m = MS_LOCK_SHARED;
  ms_multiplicity mu = MS_MULT_MANY;
  CHECK(t, ms_lock_mode_from_name("", &m) != 0 && ms_multiplicity_from_name("few", &mu) != 0);

  ms_error err = {"", 0};
  CHECK(t, ms_fail(&err, 7, "%s %d", "x", 3) == 1 && err.line == 7);
  CHECK_STR(t, err.message, "x 3");
  CHECK(t, ms_fail(NULL, 0, "nothing to fill") == 1);
  ms_facts_free(f);
}

static void test_sample_built(tally *t) {
  ms_facts *f = sample_facts();
  REQUIRE(t, f != NULL);
  REQUIRE(t, f->functions.count == F_COUNT && f->calls.count == C_COUNT);
  REQUIRE(t, f->spawns.count == S_COUNT && f->accesses.count == A_COUNT);
  ms_error err = {"", 0};
  CHECK(t, ms_facts_check(f, &err) == 0);
  if (err.message[0]) fprintf(stderr, "  %s\n", err.message);
  CHECK(t, ms_find_function(f, "lookup") == F_LOOKUP);
  CHECK(t, ms_find_function(f, "spin") == F_SPIN);
  CHECK(t, ms_find_function(f, "nothing") == MS_NONE);

  /* ms_add_function copied lock_cache's body; ms_set_function_body the rest. */
  const ms_function *lc = &f->functions.items[F_LOCK_CACHE];
  REQUIRE(t, lc->defined && lc->returns && lc->exit_locks.count == 1);
  CHECK(t, lc->exit_locks.items[0].call == MS_NONE);
  CHECK_STR(t, ms_str_get(f, lc->exit_locks.items[0].lock.name), "cache_lock");
  const ms_function *m = &f->functions.items[F_MAIN];
  REQUIRE(t, m->exit_locks.count == 2 && m->exit_threads.count == 3);
  REQUIRE(t, m->releases.count == 2 && m->joins.count == 1);
  REQUIRE(t, m->exit_locks.items[1].released_by.count == 2);
  CHECK(t, m->exit_locks.items[1].released_by.items[1] == C_STOP);
  const ms_function *sp = &f->functions.items[F_SPIN];
  CHECK(t, sp->defined && sp->unsettled && !sp->returns);
  CHECK(t, f->functions.items[F_LOOKUP].defined == 0 && f->functions.items[F_LOOKUP].loc == MS_NONE);
  CHECK(t, f->spawns.items[S_ANON].entry == MS_NONE && f->calls.items[C_VISIT].callback == 1);
out:
  ms_facts_free(f);
}

/* The builders copy what they are given, down to the arrays. */
static void test_builders_copy(tally *t) {
  ms_facts *f = ms_facts_new();
  ms_id fn = add_fn(f, "f", 0, 1, MS_NONE);
  ms_id ids[2] = {0, 0};
  ms_path paths[1] = {global_path(f, "l")};
  ms_held held[1] = {call_lock(0, MS_NONE, (ms_pathset){paths, 1}, (ms_idset){ids, 2})};
  ms_running run1[1] = {call_threads(0, (ms_pathset){paths, 1}, (ms_idset){ids, 1})};
  ms_call c = make_call(fn, fn, MS_NONE, (ms_lockset){held, 1}, (ms_threadset){run1, 1});
  ms_field_value fv = {ms_str(f, "x"), global_path(f, "m"), 0};
  ms_value arg;
  memset(&arg, 0, sizeof arg);
  arg.path = param_path(0);
  arg.fields = &fv;
  arg.field_count = 1;
  c.args = &arg;
  c.arg_count = 1;
  CHECK(t, ms_add_call(f, &c) == 0);
  ms_function b = body(1, (ms_lockset){held, 1}, (ms_threadset){run1, 1},
                       RELEASES(release_of(paths[0], (ms_idset){ids, 1})), (ms_pathset){paths, 1});
  CHECK(t, ms_set_function_body(f, fn, &b) == 0);
  /* Scribble over everything that was given. */
  ids[0] = ids[1] = 77;
  paths[0].name = 99;
  held[0].call = 5;
  run1[0].call = 6;
  fv.field = 42;
  arg.path = ms_path_unknown();
  const ms_call *s = &f->calls.items[0];
  REQUIRE(t, call_shape(s, &c));
  CHECK(t, s->locks.items[0].call == 0 && s->locks.items[0].released_by.items[1] == 0);
  CHECK_STR(t, ms_str_get(f, s->locks.items[0].released.items[0].name), "l");
  CHECK(t, s->live.items[0].call == 0 && s->live.items[0].joined_by.items[0] == 0);
  CHECK_STR(t, ms_str_get(f, s->args[0].fields[0].field), "x");
  CHECK(t, s->args[0].path.base == MS_BASE_PARAM);
  const ms_function *d = &f->functions.items[fn];
  REQUIRE(t, function_shape(d, &b));
  CHECK(t, d->exit_locks.items[0].released_by.items[0] == 0 && d->exit_threads.items[0].call == 0);
  CHECK(t, d->releases.items[0].unless_acquired_by.items[0] == 0);
  CHECK_STR(t, ms_str_get(f, d->joins.items[0].name), "l");
  ms_error err = {"", 0};
  CHECK(t, ms_facts_check(f, &err) == 0);

  /* Replacing a body frees the old one (a leak checker tells) and keeps the
  ** rest of the function. */
  ms_function empty = body(0, no_locks, no_threads, no_releases, no_paths);
  empty.unsettled = 1;
  empty.name = ms_str(f, "ignored");
  empty.param_count = 9;
  CHECK(t, ms_set_function_body(f, fn, &empty) == 0);
  d = &f->functions.items[fn];
  CHECK(t, d->exit_locks.count == 0 && d->exit_threads.count == 0 && d->releases.count == 0);
  CHECK(t, d->joins.count == 0 && d->unsettled && !d->returns && d->defined);
  CHECK_STR(t, ms_str_get(f, d->name), "f");
  CHECK(t, d->param_count == 0);
  CHECK(t, ms_set_function_body(f, 1, &empty) != 0);      /* no such function */
  CHECK(t, ms_set_function_body(f, MS_NONE, &empty) != 0);
out:
  ms_facts_free(f);
}

/* ms_facts_check over fact sets built wrong through the builders. */
typedef struct bad_set {
  const char *what;
  void (*spoil)(ms_facts *f);
  const char *expect;
} bad_set;

static void spoil_other_call(ms_facts *f) {
  f->functions.items[F_MAIN].exit_locks.items[1].call = C_RELOCK;
}
static void spoil_callback(ms_facts *f) { f->calls.items[C_STOP].callback = 1; }
static void spoil_other_spawn(ms_facts *f) {
  f->functions.items[F_MAIN].exit_threads.items[0].spawn = S_POOL;
}
static void spoil_spawn_range(ms_facts *f) {
  f->accesses.items[A_DESTROY].live.items[0].spawn = S_COUNT;
}
static void spoil_call_range(ms_facts *f) { f->calls.items[C_START].locks.items[1].call = C_COUNT; }
static void spoil_no_entry(ms_facts *f) { f->spawns.items[S_WORKER].live.items[0].spawn = MS_NONE; }
static void spoil_two_entries(ms_facts *f) {
  f->calls.items[C_RELEASE].live.items[0].call = C_LOCK;
}
static void spoil_released_by(ms_facts *f) {
  f->functions.items[F_MAIN].exit_locks.items[0].released_by.items[0] = C_VISIT;
}
static void spoil_joined_by(ms_facts *f) {
  f->accesses.items[A_FOREACH].live.items[1].joined_by.items[0] = C_RELOCK;
}
static void spoil_unless(ms_facts *f) {
  f->functions.items[F_RELEASE_ALL].releases.items[0].unless_acquired_by.items[0] = C_LOCK;
}
static void spoil_wrapper_callback(ms_facts *f) { f->calls.items[C_LOCK].callback = 1; }
static void spoil_string(ms_facts *f) { f->accesses.items[A_INSERT].map.name = 100000; }
static void spoil_released_path(ms_facts *f) {
  f->functions.items[F_MAIN].exit_locks.items[1].released.items[0].field = 100000;
}
static void spoil_loc(ms_facts *f) { f->calls.items[C_LOOKUP].loc = 100000; }
static void spoil_acquired_at(ms_facts *f) {
  f->spawns.items[S_WORKER].locks.items[0].acquired_at = 100000;
}
static void spoil_mode(ms_facts *f) {
  f->accesses.items[A_INSERT].locks.items[0].mode = (ms_lock_mode)7;
}
static void spoil_base(ms_facts *f) { f->functions.items[F_MAIN].joins.items[0].base = (ms_base)9; }
static void spoil_kind(ms_facts *f) { f->accesses.items[A_SIZE].kind = MS_ACC_COUNT; }
static void spoil_mult(ms_facts *f) { f->spawns.items[S_POOL].multiplicity = MS_MULT_COUNT; }
static void spoil_entry(ms_facts *f) { f->spawns.items[S_POOL].entry = F_COUNT; }
static void spoil_callee(ms_facts *f) { f->calls.items[C_VISIT].callee = F_COUNT; }
static void spoil_loc_file(ms_facts *f) { f->locs.items[0].file = 100000; }
static void spoil_name(ms_facts *f) { f->functions.items[F_SPIN].name = MS_NONE; }
static void spoil_field(ms_facts *f) { f->spawns.items[S_WORKER].arg.fields[1].field = 100000; }
static void spoil_api(ms_facts *f) { f->spawns.items[S_ANON].api = 100000; }

static const bad_set bad_sets[] = {
    {"call of another function", spoil_other_call,
     "functions[0]: refers to a call of another function"},
    {"callback", spoil_callback,
     "functions[0]: refers to a callback, which has no effects on its caller"},
    {"spawn of another function", spoil_other_spawn,
     "functions[0]: refers to a spawn of another function"},
    {"spawn out of range", spoil_spawn_range, "accesses[3]: a spawn id is out of range"},
    {"call out of range", spoil_call_range, "calls[1]: a call id is out of range"},
    {"neither spawn nor call", spoil_no_entry,
     "spawns[0]: a running thread entry needs exactly one of spawn and call"},
    {"both spawn and call", spoil_two_entries,
     "calls[2]: a running thread entry needs exactly one of spawn and call"},
    {"released_by another function's call", spoil_released_by,
     "functions[0]: refers to a call of another function"},
    {"joined_by another function's call", spoil_joined_by,
     "accesses[2]: refers to a call of another function"},
    {"unless_acquired_by another function's call", spoil_unless,
     "functions[3]: refers to a call of another function"},
    {"the lock wrapper's call made a callback", spoil_wrapper_callback,
     "functions[0]: refers to a callback, which has no effects on its caller"},
    {"bad string in a path", spoil_string, "accesses[0]: a path has a bad string id"},
    {"bad string in a released path", spoil_released_path,
     "functions[0]: a path has a bad string id"},
    {"bad loc", spoil_loc, "calls[4]: bad loc id"},
    {"bad acquired_at", spoil_acquired_at, "spawns[0]: a lock's acquired_at is a bad loc id"},
    {"bad mode", spoil_mode, "accesses[0]: a lock has an unknown mode"},
    {"bad base", spoil_base, "functions[0]: a path has an unknown base"},
    {"bad kind", spoil_kind, "accesses[5]: unknown access kind"},
    {"bad multiplicity", spoil_mult, "spawns[1]: unknown multiplicity"},
    {"bad entry", spoil_entry, "spawns[1]: a function id is out of range"},
    {"bad callee", spoil_callee, "calls[5]: a function id is out of range"},
    {"bad file", spoil_loc_file, "locs[0]: bad file string id"},
    {"no name", spoil_name, "functions[9]: bad name"},
    {"bad field name", spoil_field, "spawns[0]: a value's field has a bad string id"},
    {"bad api", spoil_api, "spawns[2]: bad string id"},
};

static void test_check(tally *t) {
  for (size_t i = 0; i < sizeof bad_sets / sizeof bad_sets[0]; i++) {
    ms_facts *f = sample_facts();
    bad_sets[i].spoil(f);
    ms_error err = {"", 0};
    int rc = ms_facts_check(f, &err);
    if (rc == 0 || strcmp(err.message, bad_sets[i].expect) != 0) {
      fprintf(stderr, "  %s: %s -> \"%s\"\n", bad_sets[i].what, rc ? "rejected" : "accepted",
              err.message);
      t->bad++;
    }
    CHECK(t, err.line == 0);
    CHECK(t, ms_facts_check(f, NULL) == 1);
    /* The writer does not trip over it either (what it writes of a broken
    ** set is not specified: it may well read back). */
    char *j = ms_facts_to_json(f);
    CHECK(t, j != NULL);
    ms_facts_free(j ? ms_facts_from_json(j, strlen(j), NULL) : NULL);
    free(j);
    ms_facts_free(f);
  }
  ms_facts *e = ms_facts_new();
  CHECK(t, ms_facts_check(e, NULL) == 0);
  ms_facts_free(e);
}

/* ---------------------------------------------------------------------- */
/* JSON: round trips and the form of the document.                         */
/* ---------------------------------------------------------------------- */

static void test_round_trip(tally *t) {
  ms_facts *f = sample_facts();
  char *j1 = ms_facts_to_json(f);
  CHECK(t, j1 != NULL);
  ms_facts *g = read_doc(j1);
  CHECK(t, g != NULL);
  char *j2 = g ? ms_facts_to_json(g) : NULL;
  CHECK(t, j1 && j2 && strcmp(j1, j2) == 0);
  if (g && facts_same(f, g)) {
    ms_error err = {"", 0};
    CHECK(t, ms_facts_check(g, &err) == 0);
    /* Spot checks of what facts_same compares. */
    const ms_function *m = &g->functions.items[F_MAIN];
    CHECK_STR(t, ms_str_get(g, m->name), "main");
    CHECK(t, m->defined && m->returns && !m->unsettled && m->param_count == 0);
    CHECK_STR(t, loc_file(g, m->loc), "server.c");
    CHECK(t, loc_line(g, m->loc) == 10);
    const ms_held *own = &m->exit_locks.items[0], *via = &m->exit_locks.items[1];
    CHECK(t, own->call == MS_NONE && own->mode == MS_LOCK_EXCLUSIVE && own->released.count == 0);
    CHECK_STR(t, ms_str_get(g, own->lock.name), "main_lock");
    CHECK(t, own->released_by.count == 1 && own->released_by.items[0] == C_RELEASE);
    CHECK(t, loc_line(g, own->acquired_at) == 11);
    CHECK(t, via->call == C_LOCK && ms_path_is_unknown(&via->lock));
    CHECK(t, loc_line(g, via->acquired_at) == 12 + C_LOCK);
    CHECK(t, via->released.count == 1 && via->released_by.count == 2);
    CHECK_STR(t, ms_str_get(g, via->released.items[0].name), "stats_lock");
    CHECK(t, via->released_by.items[0] == C_RELEASE && via->released_by.items[1] == C_STOP);
    const ms_running *r0 = &m->exit_threads.items[0], *r1 = &m->exit_threads.items[1];
    CHECK(t, r0->spawn == S_WORKER && r0->call == MS_NONE && r0->joined.count == 0);
    CHECK(t, r0->joined_by.count == 1 && r0->joined_by.items[0] == C_STOP);
    CHECK(t, r1->spawn == MS_NONE && r1->call == C_START && r1->joined.count == 1);
    const ms_path *jp = &r1->joined.items[0];
    CHECK(t, jp->base == MS_BASE_GLOBAL && jp->depth == 1 && jp->param == -1);
    CHECK_STR(t, ms_str_get(g, jp->name), "pool");
    CHECK_STR(t, ms_str_get(g, jp->field), "tid");
    CHECK_STR(t, ms_str_get(g, jp->field_owner), "struct pool");
    CHECK(t, m->exit_threads.items[2].spawn == S_ANON && m->exit_threads.items[2].joined_by.count == 0);
    CHECK(t, m->releases.items[0].unless_acquired_by.count == 1);
    CHECK(t, m->releases.items[0].unless_acquired_by.items[0] == C_LOCK);
    const ms_path *up = &m->releases.items[1].lock;
    CHECK(t, up->base == MS_BASE_UNKNOWN && up->depth == 2 && up->name == MS_NONE);
    CHECK(t, m->releases.items[1].unless_acquired_by.count == 0);
    CHECK(t, m->joins.count == 1 && m->joins.items[0].base == MS_BASE_LOCAL);
    CHECK_STR(t, ms_str_get(g, m->joins.items[0].display), "tid");
    CHECK(t, g->functions.items[F_LOOKUP].defined == 0 && g->functions.items[F_LOOKUP].loc == MS_NONE);
    CHECK(t, g->functions.items[F_LOOKUP].param_count == 2);
    CHECK(t, g->functions.items[F_SPIN].unsettled == 1 && g->functions.items[F_SPIN].returns == 0);
    CHECK(t, g->functions.items[F_STOP_POOL].joins.items[0].base == MS_BASE_PARAM);

    const ms_call *c = &g->calls.items[C_LOOKUP];
    CHECK(t, c->caller == F_MAIN && c->callee == F_LOOKUP && c->arg_count == 2 && !c->callback);
    CHECK(t, c->args[1].field_count == 1 && c->args[1].fields[0].per_instance == 0);
    CHECK_STR(t, ms_str_get(g, c->args[1].fields[0].field), "tbl");
    CHECK(t, c->live.items[1].call == C_START && c->live.items[1].joined_by.items[0] == C_STOP);
    const ms_call *v = &g->calls.items[C_VISIT];
    CHECK(t, v->callback == 1 && v->caller == F_WORKER && v->locks.items[0].mode == MS_LOCK_SHARED);
    const ms_path *p = &v->locks.items[0].lock;
    CHECK(t, p->base == MS_BASE_PARAM && p->param == 0 && p->depth == 1);
    CHECK(t, p->name == MS_NONE && p->display == MS_NONE);
    CHECK_STR(t, ms_str_get(g, p->field_owner), "struct server");

    const ms_spawn *s = &g->spawns.items[S_WORKER];
    CHECK(t, s->func == F_MAIN && s->entry == F_WORKER && s->multiplicity == MS_MULT_ONE);
    CHECK(t, s->arg_param == 0 && s->arg.per_instance && s->arg.field_count == 2);
    CHECK(t, s->arg.fields[0].per_instance == 1 && ms_path_is_unknown(&s->arg.fields[1].value));
    CHECK(t, s->handle.base == MS_BASE_LOCAL);
    CHECK_STR(t, ms_str_get(g, s->handle.name), "main::tid");
    CHECK(t, s->live.count == 1 && s->live.items[0].spawn == S_WORKER);
    const ms_spawn *pool = &g->spawns.items[S_POOL];
    CHECK(t, pool->multiplicity == MS_MULT_MANY && pool->arg_param == 1);
    CHECK_STR(t, ms_str_get(g, pool->handle.field), "tid");
    const ms_spawn *anon = &g->spawns.items[S_ANON];
    CHECK(t, anon->entry == MS_NONE && anon->loc == MS_NONE && ms_path_is_unknown(&anon->handle));
    CHECK(t, anon->arg_param == -1 && anon->live.count == 2);

    const ms_access *a = &g->accesses.items[A_LOOKUP];
    CHECK(t, a->kind == MS_ACC_READ && a->value_type == MS_NONE);
    CHECK_STR(t, ms_str_get(g, a->key_type), "char *");
    const ms_access *it = &g->accesses.items[A_FOREACH];
    CHECK(t, it->map.base == MS_BASE_UNKNOWN && it->loc != MS_NONE);
    CHECK(t, g->locs.items[it->loc].file == MS_NONE);
    CHECK(t, it->locks.items[0].call == C_LOCK && it->live.items[1].joined.count == 1);
    CHECK(t, g->accesses.items[A_DESTROY].loc == MS_NONE);
    CHECK(t, g->accesses.items[A_DESTROY].kind == MS_ACC_DESTROY);
    const ms_access *cr = &g->accesses.items[A_CREATE];
    CHECK(t, cr->kind == MS_ACC_CREATE && cr->api == MS_NONE && cr->library == MS_NONE);
    CHECK(t, cr->map.display == MS_NONE && cr->map.name != MS_NONE);
    CHECK(t, g->accesses.items[A_SIZE].map.base == MS_BASE_PARAM);
    CHECK(t, g->accesses.items[A_SIZE].map.param == 1);
  } else {
    CHECK(t, g && facts_same(f, g));
  }
  free(j1);
  free(j2);
  ms_facts_free(g);
  ms_facts_free(f);
}

static void test_json_shape(tally *t) {
  ms_facts *f = sample_facts();
  char *j = ms_facts_to_json(f);
  CHECK(t, j && j[0] == '{' && j[strlen(j) - 1] == '\n');
  json_error_t jerr;
  json_t *d = j ? json_loads(j, 0, &jerr) : NULL;
  CHECK(t, d != NULL);
  if (!d) goto out;
  CHECK(t, members_are(d, "format version functions calls spawns accesses"));
  CHECK_STR(t, jstr(d, "format"), "mapsafe-facts");
  CHECK(t, jint(d, "version") == MS_FACTS_VERSION);
  CHECK(t, json_array_size(jget(d, "functions")) == F_COUNT);

  /* Facts have all their members. */
  CHECK(t, members_are(jget(d, "functions/0"), "name loc param_count defined unsettled returns "
                                               "exit_locks exit_threads releases joins"));
  CHECK(t, members_are(jget(d, "calls/0"), "caller callee loc callback locks live args"));
  CHECK(t, members_are(jget(d, "spawns/0"), "func entry loc api handle multiplicity arg_param "
                                            "arg locks live"));
  CHECK(t, members_are(jget(d, "accesses/0"), "func loc kind api library map key_type "
                                              "value_type locks live"));
  CHECK(t, members_are(jget(d, "spawns/0/arg"), "path per_instance fields"));
  CHECK(t, members_are(jget(d, "spawns/0/arg/fields/0"), "field value per_instance"));
  CHECK(t, members_are(jget(d, "functions/0/loc"), "file line col"));
  CHECK_STR(t, jstr(d, "functions/0/loc/file"), "server.c");
  CHECK(t, jint(d, "functions/0/loc/line") == 10 && jint(d, "functions/0/loc/col") == 1);
  CHECK(t, json_is_true(jget(d, "functions/0/defined")));
  CHECK(t, json_is_true(jget(d, "functions/9/unsettled")));
  CHECK(t, json_is_false(jget(d, "functions/9/returns")));

  /* Set entries leave out what is empty or absent. */
  CHECK(t, members_are(jget(d, "functions/0/exit_locks/0"), "lock mode acquired_at released_by"));
  CHECK_STR(t, jstr(d, "functions/0/exit_locks/0/mode"), "exclusive");
  CHECK(t, members_are(jget(d, "functions/0/exit_locks/1"), "call acquired_at released released_by"));
  CHECK(t, jint(d, "functions/0/exit_locks/1/call") == C_LOCK);
  CHECK(t, jint(d, "functions/0/exit_locks/1/released_by/1") == C_STOP);
  CHECK(t, members_are(jget(d, "functions/2/exit_locks/0"), "lock mode acquired_at"));
  CHECK(t, members_are(jget(d, "calls/1/locks/1"), "call acquired_at"));
  CHECK(t, members_are(jget(d, "functions/0/exit_threads/0"), "spawn joined_by"));
  CHECK(t, members_are(jget(d, "functions/0/exit_threads/1"), "call joined joined_by"));
  CHECK(t, members_are(jget(d, "functions/0/exit_threads/2"), "spawn"));
  CHECK(t, members_are(jget(d, "calls/2/live/1"), "call"));
  CHECK(t, members_are(jget(d, "functions/0/releases/0"), "lock unless_acquired_by"));
  CHECK(t, members_are(jget(d, "functions/0/releases/1"), "lock"));
  CHECK(t, jint(d, "functions/0/releases/0/unless_acquired_by/0") == C_LOCK);
  CHECK(t, members_are(jget(d, "accesses/0/locks/0"), "lock mode acquired_at"));
  CHECK_STR(t, jstr(d, "accesses/0/locks/0/mode"), "shared");

  /* Paths leave out what they do not have. */
  CHECK(t, members_are(jget(d, "functions/0/exit_locks/0/lock"), "base name display"));
  CHECK_STR(t, jstr(d, "functions/0/exit_locks/0/lock/base"), "global");
  CHECK(t, members_are(jget(d, "functions/0/exit_threads/1/joined/0"),
                       "base name display depth field field_owner"));
  CHECK(t, members_are(jget(d, "accesses/1/map"), "base param depth field field_owner"));
  CHECK(t, jint(d, "accesses/1/map/param") == 0 && jint(d, "accesses/1/map/depth") == 1);
  CHECK(t, members_are(jget(d, "accesses/5/map"), "base param"));
  CHECK(t, members_are(jget(d, "accesses/2/map"), "base"));
  CHECK_STR(t, jstr(d, "accesses/2/map/base"), "unknown");
  CHECK(t, members_are(jget(d, "functions/0/releases/1/lock"), "base depth field field_owner"));
  CHECK(t, members_are(jget(d, "accesses/4/map"), "base name"));
  CHECK_STR(t, jstr(d, "accesses/4/map/base"), "local");
  CHECK(t, members_are(jget(d, "spawns/0/handle"), "base name display"));

  /* Absent strings, locations and entries are null. */
  CHECK(t, json_is_null(jget(d, "functions/6/loc")));
  CHECK(t, json_is_null(jget(d, "spawns/2/entry")) && json_is_null(jget(d, "spawns/2/loc")));
  CHECK(t, jint(d, "spawns/0/entry") == F_WORKER && jint(d, "spawns/2/arg_param") == -1);
  CHECK(t, json_is_null(jget(d, "accesses/1/value_type")));
  CHECK(t, json_is_null(jget(d, "accesses/4/api")) && json_is_null(jget(d, "accesses/4/library")));
  CHECK(t, json_is_null(jget(d, "accesses/2/loc/file")));
  CHECK(t, json_is_null(jget(d, "accesses/3/loc")));
  CHECK(t, json_is_true(jget(d, "calls/5/callback")) && json_is_false(jget(d, "calls/4/callback")));

  /* Enums by name. */
  const char *kinds[A_COUNT] = {"write", "read", "iterate", "destroy", "create", "read"};
  for (int i = 0; i < A_COUNT; i++) {
    char path[32];
    snprintf(path, sizeof path, "accesses/%d/kind", i);
    CHECK_STR(t, jstr(d, path), kinds[i]);
  }
  CHECK_STR(t, jstr(d, "spawns/0/multiplicity"), "one");
  CHECK_STR(t, jstr(d, "spawns/1/multiplicity"), "many");

  /* The text is indented, with each member on its own line. */
  CHECK(t, contains(j, "\n \"format\": \"mapsafe-facts\",\n \"version\": 1,\n"));
  CHECK(t, contains(j, "\"entry\": null"));
  CHECK(t, !contains(j, "\"param\": -1") && !contains(j, "\"depth\": 0"));
  CHECK(t, !contains(j, "\"released\": []") && !contains(j, "\"joined_by\": []"));
  CHECK(t, !contains(j, "4294967295")); /* MS_NONE is never written as a number */
  json_decref(d);
out:
  free(j);
  ms_facts_free(f);
}

/* A fact file with a spawn whose entry is not known (a thread started
** through a function pointer) reads back. */
static void test_unknown_entry(tally *t) {
  ms_facts *f = ms_facts_new();
  ms_id fn = add_fn(f, "main", 0, 1, loc(f, "p.c", 1, 1));
  ms_spawn s = make_spawn(f, fn, MS_NONE, loc(f, "p.c", 3, 3), "pthread_create",
                          local_path(f, "main::t", "t"));
  CHECK(t, ms_add_spawn(f, &s) == 0);
  ms_access a = make_access(f, fn, loc(f, "p.c", 4, 3), MS_ACC_WRITE, "g_hash_table_insert",
                            global_path(f, "m"));
  a.live = THREADS(own_spawn(0, no_ids));
  CHECK(t, ms_add_access(f, &a) == 0);
  char *j = ms_facts_to_json(f);
  CHECK(t, contains(j, "\"entry\": null,"));
  ms_facts *g = read_doc(j);
  CHECK(t, g != NULL);
  if (g && facts_same(f, g)) {
    CHECK(t, g->spawns.count == 1 && g->spawns.items[0].entry == MS_NONE);
    CHECK(t, g->accesses.items[0].live.items[0].spawn == 0);
  } else {
    CHECK(t, g && facts_same(f, g));
  }
  char *j2 = g ? ms_facts_to_json(g) : NULL;
  CHECK(t, j && j2 && strcmp(j, j2) == 0);
  free(j);
  free(j2);
  ms_facts_free(g);
  ms_facts_free(f);
}

static void test_empty_facts(tally *t) {
  ms_facts *f = ms_facts_new();
  char *j = ms_facts_to_json(f);
  CHECK_STR(t, j,
            "{\n \"format\": \"mapsafe-facts\",\n \"version\": 1,\n \"functions\": [],\n"
            " \"calls\": [],\n \"spawns\": [],\n \"accesses\": []\n}\n");
  ms_facts *g = read_doc(j);
  CHECK(t, g != NULL);
  CHECK(t, g && g->functions.count == 0 && g->calls.count == 0);
  CHECK(t, g && g->spawns.count == 0 && g->accesses.count == 0);
  CHECK(t, g && g->locs.count == 0 && ms_str_count(g) == 0);
  char *j2 = g ? ms_facts_to_json(g) : NULL;
  CHECK(t, j && j2 && strcmp(j, j2) == 0);
  /* Compact, in another member order: the same facts. */
  const char *other = "{\"accesses\":[],\"spawns\":[],\"calls\":[],\"functions\":[],"
                      "\"version\":1,\"format\":\"mapsafe-facts\"}";
  ms_facts *h = read_doc(other);
  CHECK(t, h != NULL && h->functions.count == 0);
  free(j);
  free(j2);
  ms_facts_free(h);
  ms_facts_free(g);
  ms_facts_free(f);
}

/* Strings that are not UTF-8 are written with U+FFFD and then read back;
** UTF-8 is kept as it is. */
static void test_non_utf8(tally *t) {
  ms_facts *f = ms_facts_new();
  ms_id l = ms_add_loc(f, ms_str(f, "caf\xe9.c"), 1, 1);
  add_fn(f, "f\xff\xfe", 0, 1, l);
  add_fn(f, "g\xc0\xaf", 0, 1, l);             /* overlong '/' */
  add_fn(f, "h\xed\xa0\x80", 0, 1, l);         /* a surrogate */
  add_fn(f, "i\xf4\x90\x80\x80", 0, 1, l);     /* above U+10FFFF */
  add_fn(f, "j\xe2\x82", 0, 1, l);             /* cut short at the end */
  add_fn(f, "k\xe2\x82x", 0, 1, l);            /* cut short in the middle */
  add_fn(f, "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e", 0, 1, l); /* été € 𝄞 */
  char *j1 = ms_facts_to_json(f);
  CHECK(t, j1 != NULL);
  CHECK(t, contains(j1, "\"caf\xef\xbf\xbd.c\""));
  CHECK(t, contains(j1, "\"f\xef\xbf\xbd\xef\xbf\xbd\""));
  CHECK(t, contains(j1, "\"g\xef\xbf\xbd\xef\xbf\xbd\""));
  CHECK(t, contains(j1, "\"h\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""));
  CHECK(t, contains(j1, "\"i\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""));
  CHECK(t, contains(j1, "\"j\xef\xbf\xbd\xef\xbf\xbd\""));
  CHECK(t, contains(j1, "\"k\xef\xbf\xbd\xef\xbf\xbdx\""));
  CHECK(t, contains(j1, "\"\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e\""));
  ms_facts *g = read_doc(j1);
  CHECK(t, g != NULL);
  CHECK(t, g && g->functions.count == 7);
  if (g && g->functions.count == 7) {
    CHECK_STR(t, ms_str_get(g, g->functions.items[0].name), "f\xef\xbf\xbd\xef\xbf\xbd");
    CHECK_STR(t, loc_file(g, g->functions.items[0].loc), "caf\xef\xbf\xbd.c");
    CHECK_STR(t, ms_str_get(g, g->functions.items[6].name),
              "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e");
  }
  char *j2 = g ? ms_facts_to_json(g) : NULL;
  CHECK(t, j1 && j2 && strcmp(j1, j2) == 0);
  /* The reader takes only UTF-8. */
  const char *bad = "{\"format\":\"mapsafe-\xff\",\"version\":1}";
  ms_error err = {"", 0};
  CHECK(t, ms_facts_from_json(bad, strlen(bad), &err) == NULL);
  CHECK(t, strncmp(err.message, "invalid JSON: ", 14) == 0 && err.line == 1);
  free(j1);
  free(j2);
  ms_facts_free(g);
  ms_facts_free(f);
}

/* Facts may refer to facts that come later in the document: a function's
** exit state to calls and spawns, a call or a spawn to later ones, and
** here the accesses come first of all. */
static void test_forward_refs(tally *t) {
  const char *doc =
      "{\"format\":\"mapsafe-facts\",\"version\":1,"
      "\"accesses\":[{\"func\":0,\"loc\":null,\"kind\":\"write\",\"api\":\"g_hash_table_insert\","
      "\"library\":null,\"map\":{\"base\":\"global\",\"name\":\"m\"},\"key_type\":null,"
      "\"value_type\":null,\"locks\":[{\"call\":1,\"acquired_at\":null,\"released_by\":[2]}],"
      "\"live\":[{\"spawn\":1,\"joined_by\":[2]},{\"call\":0}]}],"
      "\"functions\":[{\"name\":\"main\",\"loc\":null,\"param_count\":0,\"defined\":true,"
      "\"unsettled\":false,\"returns\":true,"
      "\"exit_locks\":[{\"call\":1,\"acquired_at\":{\"file\":\"m.c\",\"line\":3,\"col\":3},"
      "\"released\":[{\"base\":\"global\",\"name\":\"l\"}],\"released_by\":[2]}],"
      "\"exit_threads\":[{\"spawn\":1},{\"call\":0,\"joined\":[{\"base\":\"local\",\"name\":\"main::t\"}],"
      "\"joined_by\":[2]}],"
      "\"releases\":[{\"lock\":{\"base\":\"global\",\"name\":\"l\"},\"unless_acquired_by\":[2]}],"
      "\"joins\":[{\"base\":\"local\",\"name\":\"main::t\"}]},"
      "{\"name\":\"w\",\"loc\":null,\"param_count\":1,\"defined\":true,\"unsettled\":false,"
      "\"returns\":true,\"exit_locks\":[],\"exit_threads\":[],\"releases\":[],\"joins\":[]}],"
      "\"calls\":["
      "{\"caller\":0,\"callee\":1,\"loc\":null,\"callback\":false,\"locks\":[],"
      "\"live\":[{\"spawn\":1}],\"args\":[]},"
      "{\"caller\":0,\"callee\":1,\"loc\":null,\"callback\":false,"
      "\"locks\":[],\"live\":[{\"call\":0,\"joined_by\":[2]}],\"args\":[]},"
      "{\"caller\":0,\"callee\":1,\"loc\":null,\"callback\":false,\"locks\":[],\"live\":[],"
      "\"args\":[]}],"
      "\"spawns\":[{\"func\":0,\"entry\":1,\"loc\":null,\"api\":\"pthread_create\","
      "\"handle\":{\"base\":\"local\",\"name\":\"main::t\"},\"multiplicity\":\"one\",\"arg_param\":-1,"
      "\"arg\":{\"path\":{\"base\":\"unknown\"},\"per_instance\":false,\"fields\":[]},"
      "\"locks\":[],\"live\":[{\"spawn\":1}]},"
      "{\"func\":0,\"entry\":null,\"loc\":null,\"api\":\"pthread_create\","
      "\"handle\":{\"base\":\"unknown\"},\"multiplicity\":\"one\",\"arg_param\":-1,"
      "\"arg\":{\"path\":{\"base\":\"unknown\"},\"per_instance\":false,\"fields\":[]},"
      "\"locks\":[],\"live\":[{\"spawn\":0},{\"spawn\":1}]}]}";
  ms_facts *f = read_doc(doc), *g = NULL;
  char *j1 = NULL, *j2 = NULL;
  REQUIRE(t, f != NULL);
  REQUIRE(t, f->functions.count == 2 && f->calls.count == 3 && f->spawns.count == 2);
  REQUIRE(t, f->accesses.count == 1);
  const ms_function *m = &f->functions.items[0];
  REQUIRE(t, m->exit_locks.count == 1 && m->exit_threads.count == 2 && m->releases.count == 1);
  REQUIRE(t, m->exit_locks.items[0].released_by.count == 1 && m->exit_threads.items[1].joined.count == 1);
  REQUIRE(t, m->exit_threads.items[1].joined_by.count == 1);
  REQUIRE(t, m->releases.items[0].unless_acquired_by.count == 1);
  REQUIRE(t, f->calls.items[0].live.count == 1 && f->calls.items[1].live.count == 1);
  REQUIRE(t, f->spawns.items[0].live.count == 1);
  const ms_access *a = &f->accesses.items[0];
  REQUIRE(t, a->locks.count == 1 && a->locks.items[0].released_by.count == 1);
  REQUIRE(t, a->live.count == 2 && a->live.items[0].joined_by.count == 1);
  CHECK(t, m->exit_locks.items[0].call == 1);
  CHECK(t, m->exit_locks.items[0].released_by.items[0] == 2);
  CHECK(t, loc_line(f, m->exit_locks.items[0].acquired_at) == 3);
  CHECK(t, m->exit_threads.count == 2 && m->exit_threads.items[0].spawn == 1);
  CHECK(t, m->exit_threads.items[1].call == 0 && m->exit_threads.items[1].joined_by.items[0] == 2);
  CHECK_STR(t, ms_str_get(f, m->exit_threads.items[1].joined.items[0].name), "main::t");
  CHECK(t, m->releases.items[0].unless_acquired_by.items[0] == 2);
  CHECK(t, f->calls.items[0].live.items[0].spawn == 1);
  CHECK(t, f->calls.items[1].live.items[0].call == 0);
  CHECK(t, f->spawns.items[0].live.items[0].spawn == 1 && f->spawns.items[1].entry == MS_NONE);
  CHECK(t, a->locks.items[0].call == 1 && a->locks.items[0].released_by.items[0] == 2);
  CHECK(t, a->live.items[0].spawn == 1 && a->live.items[1].call == 0);
  CHECK_STR(t, ms_str_get(f, f->spawns.items[0].handle.name), "main::t");
  /* Written back in the usual order, it reads again. */
  j1 = ms_facts_to_json(f);
  g = read_doc(j1);
  j2 = g ? ms_facts_to_json(g) : NULL;
  CHECK(t, j1 && j2 && strcmp(j1, j2) == 0);
out:
  free(j1);
  free(j2);
  ms_facts_free(g);
  ms_facts_free(f);
}

static ms_facts *unit_b(void);

/* ---------------------------------------------------------------------- */
/* Malformed documents.                                                    */
/* ---------------------------------------------------------------------- */

#define HDR "{\"format\":\"mapsafe-facts\",\"version\":1,"
#define DOC(fns, calls, spawns, accs)                                                   \
  HDR "\"functions\":[" fns "],\"calls\":[" calls "],\"spawns\":[" spawns               \
      "],\"accesses\":[" accs "]}"
#define NOFACTS "\"calls\":[],\"spawns\":[],\"accesses\":[]}"
#define FNX(name, locks, threads, rels, joins)                                          \
  "{\"name\":\"" name "\",\"loc\":null,\"param_count\":0,\"defined\":true,"             \
  "\"unsettled\":false,\"returns\":true,\"exit_locks\":[" locks "],\"exit_threads\":["  \
  threads "],\"releases\":[" rels "],\"joins\":[" joins "]}"
#define FN(name) FNX(name, "", "", "", "")
#define CALLX(caller, callee, callback, locks, live, args)                               \
  "{\"caller\":" caller ",\"callee\":" callee ",\"loc\":null,\"callback\":" callback    \
  ",\"locks\":[" locks "],\"live\":[" live "],\"args\":[" args "]}"
#define CALL(caller, callee) CALLX(caller, callee, "false", "", "", "")
#define UNK "{\"base\":\"unknown\"}"
#define GMAP "{\"base\":\"global\",\"name\":\"m\"}"
#define ARG0 "{\"path\":" UNK ",\"per_instance\":false,\"fields\":[]}"
#define SPAWNX(func, entry, handle, mult, arg_param, arg, locks, live)                   \
  "{\"func\":" func ",\"entry\":" entry ",\"loc\":null,\"api\":\"pthread_create\","     \
  "\"handle\":" handle ",\"multiplicity\":" mult ",\"arg_param\":" arg_param            \
  ",\"arg\":" arg ",\"locks\":[" locks "],\"live\":[" live "]}"
#define SPAWN(func) SPAWNX(func, "null", UNK, "\"one\"", "-1", ARG0, "", "")
#define ACCX(func, kind, map, locks, live)                                              \
  "{\"func\":" func ",\"loc\":null,\"kind\":" kind ",\"api\":\"a\",\"library\":null,"   \
  "\"map\":" map ",\"key_type\":null,\"value_type\":null,\"locks\":[" locks             \
  "],\"live\":[" live "]}"
#define ACC(func) ACCX(func, "\"read\"", GMAP, "", "")

/* The base document: functions f (0) and g (1); calls 0: f -> g, 1: g -> f,
** 2: a callback f's library call runs (g); spawns 0 by f, 1 by g.  Each
** malformed document changes one thing in it. */
#define FNS FN("f") "," FN("g")
#define CALLS CALL("0", "1") "," CALL("1", "0") "," CALLX("0", "1", "true", "", "", "")
#define SPAWNS SPAWN("0") "," SPAWN("1")
#define GOOD DOC(FNS, CALLS, SPAWNS, ACC("0"))
/* f's exit state replaced. */
#define F_EXIT(locks, threads, rels, joins) \
  DOC(FNX("f", locks, threads, rels, joins) "," FN("g"), CALLS, SPAWNS, ACC("0"))
#define F_LOCKS(locks) F_EXIT(locks, "", "", "")
#define F_THREADS(threads) F_EXIT("", threads, "", "")
#define OWN "\"lock\":" GMAP ",\"mode\":\"exclusive\",\"acquired_at\":null"
/* The first call, the first spawn or the access replaced. */
#define WITH_CALL(call) \
  DOC(FNS, call "," CALL("1", "0") "," CALLX("0", "1", "true", "", "", ""), SPAWNS, ACC("0"))
#define WITH_SPAWN(spawn) DOC(FNS, CALLS, spawn "," SPAWN("1"), ACC("0"))
#define WITH_ACC(acc) DOC(FNS, CALLS, SPAWNS, acc)

/* Documents that use every kind of entry of the base document, well. */
static const char *const good_docs[] = {
    GOOD,
    F_EXIT("{" OWN ",\"released_by\":[0]},{\"call\":0,\"acquired_at\":null,\"released\":[" GMAP
           "],\"released_by\":[0]}",
           "{\"spawn\":0,\"joined_by\":[0]},{\"call\":0,\"joined\":[" GMAP "],\"joined_by\":[0]}",
           "{\"lock\":" GMAP ",\"unless_acquired_by\":[0]}", GMAP),
    WITH_CALL(CALLX("0", "1", "false", "{\"call\":0,\"acquired_at\":null}", "{\"spawn\":0}", "")),
    WITH_SPAWN(SPAWNX("0", "1", GMAP, "\"many\"", "0", ARG0, "{\"call\":0,\"acquired_at\":null}",
                      "{\"spawn\":0},{\"call\":0}")),
    WITH_ACC(ACCX("1", "\"destroy\"", UNK, "{\"call\":1,\"acquired_at\":null}", "{\"spawn\":1}")),
    /* Explicit members with the values the writer leaves out. */
    WITH_ACC(ACCX("0", "\"read\"",
                  "{\"base\":\"local\",\"name\":\"x\",\"depth\":0}",
                  "{" OWN ",\"released_by\":[]}", "{\"spawn\":0,\"joined_by\":[]}")),
    F_LOCKS("{\"call\":0,\"acquired_at\":null,\"released\":[],\"released_by\":[]}"),
};

static void test_good_docs(tally *t) {
  for (size_t i = 0; i < sizeof good_docs / sizeof good_docs[0]; i++) {
    ms_facts *f = read_doc(good_docs[i]);
    if (!f) fprintf(stderr, "  good document %zu rejected\n", i);
    CHECK(t, f != NULL);
    ms_facts_free(f);
  }
}

typedef struct bad_doc {
  const char *what;
  const char *text;
  const char *expect; /* the message; for JSON syntax errors, its beginning */
} bad_doc;

#define IJ "invalid JSON: " /* jansson's words follow: only the beginning is compared */

static const bad_doc bad_docs[] = {
    /* The document. */
    {"empty input", "", IJ},
    {"syntax error", "{\n\"format\": \"mapsafe-facts\",\n\"version\": 1,,\n}", IJ},
    {"truncated", HDR "\"functions\":[", IJ},
    {"duplicate key", HDR "\"functions\":[],\"functions\":[]," NOFACTS, IJ},
    {"embedded NUL", DOC(FNX("a\\u0000b", "", "", "", ""), "", "", ""), IJ},
    {"top level array", "[1,2]", "expected an object at the top level, found an array"},
    {"wrong format", "{\"format\":\"other\",\"version\":1,\"functions\":[]," NOFACTS,
     "format: expected \"mapsafe-facts\": not a mapsafe fact file"},
    {"format not a string", "{\"format\":1,\"version\":1,\"functions\":[]," NOFACTS,
     "format: expected \"mapsafe-facts\": not a mapsafe fact file"},
    {"wrong version", "{\"format\":\"mapsafe-facts\",\"version\":2,\"functions\":[]," NOFACTS,
     "version: unsupported version 2 (this reader reads version 1)"},
    {"version as string",
     "{\"format\":\"mapsafe-facts\",\"version\":\"1\",\"functions\":[]," NOFACTS,
     "version: expected an integer, found a string"},
    {"missing member", HDR "\"functions\":[],\"spawns\":[],\"accesses\":[]}",
     "missing member \"calls\""},
    {"unknown member", HDR "\"functions\":[],\"extra\":1," NOFACTS, "unknown member \"extra\""},
    {"functions not an array", HDR "\"functions\":{}," NOFACTS,
     "functions: expected an array, found an object"},
    {"accesses not an array", HDR "\"functions\":[],\"calls\":[],\"spawns\":[],\"accesses\":null}",
     "accesses: expected an array, found null"},
    {"fact not an object", HDR "\"functions\":[3]," NOFACTS,
     "functions[0]: expected an object, found an integer"},

    /* Functions. */
    {"old function members",
     HDR "\"functions\":[{\"name\":\"f\",\"loc\":null,\"param_count\":0,\"defined\":true,"
         "\"acquires\":[],\"releases\":[],\"live_at_exit\":[],\"joins\":[]}]," NOFACTS,
     "functions[0]: unknown member \"acquires\""},
    {"missing unsettled",
     HDR "\"functions\":[{\"name\":\"f\",\"loc\":null,\"param_count\":0,\"defined\":true,"
         "\"returns\":true,\"exit_locks\":[],\"exit_threads\":[],\"releases\":[],\"joins\":[]}],"
         NOFACTS,
     "functions[0]: missing member \"unsettled\""},
    {"defined as integer",
     HDR "\"functions\":[{\"name\":\"f\",\"loc\":null,\"param_count\":0,\"defined\":1,"
         "\"unsettled\":false,\"returns\":true,\"exit_locks\":[],\"exit_threads\":[],"
         "\"releases\":[],\"joins\":[]}]," NOFACTS,
     "functions[0].defined: expected true or false, found an integer"},
    {"null function name",
     HDR "\"functions\":[{\"name\":null,\"loc\":null,\"param_count\":0,\"defined\":true,"
         "\"unsettled\":false,\"returns\":true,\"exit_locks\":[],\"exit_threads\":[],"
         "\"releases\":[],\"joins\":[]}]," NOFACTS,
     "functions[0].name: expected a string, found null"},
    {"negative param_count",
     HDR "\"functions\":[{\"name\":\"f\",\"loc\":null,\"param_count\":-1,\"defined\":true,"
         "\"unsettled\":false,\"returns\":true,\"exit_locks\":[],\"exit_threads\":[],"
         "\"releases\":[],\"joins\":[]}]," NOFACTS,
     "functions[0].param_count: -1 is out of range [0, 4294967295]"},
    {"duplicate function", DOC(FN("f") "," FN("g") "," FN("f"), "", "", ""),
     "functions[2].name: duplicate function \"f\" (also functions[0])"},
    {"line too large",
     HDR "\"functions\":[{\"name\":\"f\",\"loc\":{\"file\":\"a.c\",\"line\":4294967296,\"col\":1},"
         "\"param_count\":0,\"defined\":true,\"unsettled\":false,\"returns\":true,"
         "\"exit_locks\":[],\"exit_threads\":[],\"releases\":[],\"joins\":[]}]," NOFACTS,
     "functions[0].loc.line: 4294967296 is out of range [0, 4294967295]"},
    {"loc without col",
     HDR "\"functions\":[{\"name\":\"f\",\"loc\":{\"file\":\"a.c\",\"line\":1},"
         "\"param_count\":0,\"defined\":true,\"unsettled\":false,\"returns\":true,"
         "\"exit_locks\":[],\"exit_threads\":[],\"releases\":[],\"joins\":[]}]," NOFACTS,
     "functions[0].loc: missing member \"col\""},
    {"loc as string",
     HDR "\"functions\":[{\"name\":\"f\",\"loc\":\"a.c:1\","
         "\"param_count\":0,\"defined\":true,\"unsettled\":false,\"returns\":true,"
         "\"exit_locks\":[],\"exit_threads\":[],\"releases\":[],\"joins\":[]}]," NOFACTS,
     "functions[0].loc: expected a location object or null, found a string"},
    {"exit_locks null",
     HDR "\"functions\":[{\"name\":\"f\",\"loc\":null,\"param_count\":0,\"defined\":true,"
         "\"unsettled\":false,\"returns\":true,\"exit_locks\":null,\"exit_threads\":[],"
         "\"releases\":[],\"joins\":[]}]," NOFACTS,
     "functions[0].exit_locks: expected an array, found null"},
    {"held not an object", F_LOCKS("0"),
     "functions[0].exit_locks[0]: expected an object, found an integer"},
    {"held unknown member", F_LOCKS("{" OWN ",\"lokc\":1}"),
     "functions[0].exit_locks[0]: unknown member \"lokc\""},
    {"held lock and call", F_LOCKS("{" OWN ",\"call\":0}"),
     "functions[0].exit_locks[0]: needs exactly one of \"lock\" and \"call\""},
    {"held neither lock nor call", F_LOCKS("{\"mode\":\"exclusive\",\"acquired_at\":null}"),
     "functions[0].exit_locks[0]: needs exactly one of \"lock\" and \"call\""},
    {"held own without mode", F_LOCKS("{\"lock\":" GMAP ",\"acquired_at\":null}"),
     "functions[0].exit_locks[0]: missing member \"mode\""},
    {"held unknown mode", F_LOCKS("{\"lock\":" GMAP ",\"mode\":\"recursive\",\"acquired_at\":null}"),
     "functions[0].exit_locks[0].mode: unknown name \"recursive\""},
    {"held mode as number", F_LOCKS("{\"lock\":" GMAP ",\"mode\":1,\"acquired_at\":null}"),
     "functions[0].exit_locks[0].mode: expected a string, found an integer"},
    {"held without acquired_at", F_LOCKS("{\"lock\":" GMAP ",\"mode\":\"shared\"}"),
     "functions[0].exit_locks[0]: missing member \"acquired_at\""},
    {"held acquired_at a number", F_LOCKS("{\"lock\":" GMAP ",\"mode\":\"shared\",\"acquired_at\":5}"),
     "functions[0].exit_locks[0].acquired_at: expected a location object or null, found an integer"},
    {"held lock not a path", F_LOCKS("{\"lock\":\"m\",\"mode\":\"shared\",\"acquired_at\":null}"),
     "functions[0].exit_locks[0].lock: expected a path object, found a string"},
    {"held through a call with mode",
     F_LOCKS("{\"call\":0,\"mode\":\"shared\",\"acquired_at\":null}"),
     "functions[0].exit_locks[0].mode: a lock held through a call has the mode its callee took it in"},
    {"own lock with released", F_LOCKS("{" OWN ",\"released\":[" GMAP "]}"),
     "functions[0].exit_locks[0].released: only a lock held through a call lists what was "
     "released since"},
    {"held call out of range", F_LOCKS("{\"call\":3,\"acquired_at\":null}"),
     "functions[0].exit_locks[0].call: call id 3 out of range (3 calls in the file)"},
    {"held call negative", F_LOCKS("{\"call\":-1,\"acquired_at\":null}"),
     "functions[0].exit_locks[0].call: call id -1 out of range (3 calls in the file)"},
    {"held call as string", F_LOCKS("{\"call\":\"0\",\"acquired_at\":null}"),
     "functions[0].exit_locks[0].call: expected an integer, found a string"},
    {"held call null", F_LOCKS("{\"call\":null,\"acquired_at\":null}"),
     "functions[0].exit_locks[0].call: expected an integer, found null"},
    {"released_by out of range", F_LOCKS("{" OWN ",\"released_by\":[0,7]}"),
     "functions[0].exit_locks[0].released_by[1]: call id 7 out of range (3 calls in the file)"},
    {"released_by not an array", F_LOCKS("{" OWN ",\"released_by\":0}"),
     "functions[0].exit_locks[0].released_by: expected an array, found an integer"},
    {"released path bad base",
     F_LOCKS("{\"call\":0,\"acquired_at\":null,\"released\":[{\"base\":\"heap\"}]}"),
     "functions[0].exit_locks[0].released[0].base: unknown name \"heap\""},
    {"acquired_at without line",
     F_LOCKS("{\"call\":0,\"acquired_at\":{\"file\":null,\"col\":1}}"),
     "functions[0].exit_locks[0].acquired_at: missing member \"line\""},
    {"running spawn and call", F_THREADS("{\"spawn\":0,\"call\":0}"),
     "functions[0].exit_threads[0]: needs exactly one of \"spawn\" and \"call\""},
    {"running neither spawn nor call", F_THREADS("{\"joined_by\":[0]}"),
     "functions[0].exit_threads[0]: needs exactly one of \"spawn\" and \"call\""},
    {"running spawn out of range", F_THREADS("{\"spawn\":2}"),
     "functions[0].exit_threads[0].spawn: spawn id 2 out of range (2 spawns in the file)"},
    {"running call out of range", F_THREADS("{\"call\":3}"),
     "functions[0].exit_threads[0].call: call id 3 out of range (3 calls in the file)"},
    {"running spawn with joined", F_THREADS("{\"spawn\":0,\"joined\":[" GMAP "]}"),
     "functions[0].exit_threads[0].joined: only threads left running by a call list what was "
     "joined since"},
    {"joined_by out of range", F_THREADS("{\"spawn\":0,\"joined_by\":[3]}"),
     "functions[0].exit_threads[0].joined_by[0]: call id 3 out of range (3 calls in the file)"},
    {"joined not paths", F_THREADS("{\"call\":0,\"joined\":[\"tid\"]}"),
     "functions[0].exit_threads[0].joined[0]: expected a path object, found a string"},
    {"running unknown member", F_THREADS("{\"spawn\":0,\"joind_by\":[]}"),
     "functions[0].exit_threads[0]: unknown member \"joind_by\""},
    {"old thread set", F_THREADS("0"),
     "functions[0].exit_threads[0]: expected an object, found an integer"},
    {"release without lock", F_EXIT("", "", "{\"unless_acquired_by\":[0]}", ""),
     "functions[0].releases[0]: missing member \"lock\""},
    {"unless_acquired_by out of range",
     F_EXIT("", "", "{\"lock\":" GMAP ",\"unless_acquired_by\":[9]}", ""),
     "functions[0].releases[0].unless_acquired_by[0]: call id 9 out of range (3 calls in the file)"},
    {"old joins", F_EXIT("", "", "", "\"tid\""),
     "functions[0].joins[0]: expected a path object, found a string"},

    /* References that must stay within the function the set belongs to. */
    {"held through another function's call", F_LOCKS("{\"call\":1,\"acquired_at\":null}"),
     "functions[0]: refers to a call of another function"},
    {"held through a callback", F_LOCKS("{\"call\":2,\"acquired_at\":null}"),
     "functions[0]: refers to a callback, which has no effects on its caller"},
    {"released_by another function's call", F_LOCKS("{" OWN ",\"released_by\":[0,1]}"),
     "functions[0]: refers to a call of another function"},
    {"released_by a callback", F_LOCKS("{\"call\":0,\"acquired_at\":null,\"released_by\":[2]}"),
     "functions[0]: refers to a callback, which has no effects on its caller"},
    {"running another function's spawn", F_THREADS("{\"spawn\":1}"),
     "functions[0]: refers to a spawn of another function"},
    {"running through another function's call", F_THREADS("{\"call\":1}"),
     "functions[0]: refers to a call of another function"},
    {"running through a callback", F_THREADS("{\"call\":2}"),
     "functions[0]: refers to a callback, which has no effects on its caller"},
    {"joined_by a callback", F_THREADS("{\"spawn\":0,\"joined_by\":[2]}"),
     "functions[0]: refers to a callback, which has no effects on its caller"},
    {"unless_acquired_by another function's call",
     F_EXIT("", "", "{\"lock\":" GMAP ",\"unless_acquired_by\":[1]}", ""),
     "functions[0]: refers to a call of another function"},
    {"call's locks through another function's call",
     WITH_CALL(CALLX("0", "1", "false", "{\"call\":1,\"acquired_at\":null}", "", "")),
     "calls[0]: refers to a call of another function"},
    {"call's live with another function's spawn",
     WITH_CALL(CALLX("0", "1", "false", "", "{\"spawn\":1}", "")),
     "calls[0]: refers to a spawn of another function"},
    {"a callback's own set through a callback",
     DOC(FNS, CALL("0", "1") "," CALL("1", "0") "," CALLX("0", "1", "true", "", "{\"call\":2}", ""),
         SPAWNS, ACC("0")),
     "calls[2]: refers to a callback, which has no effects on its caller"},
    {"spawn's locks through a callback",
     WITH_SPAWN(SPAWNX("0", "1", UNK, "\"one\"", "-1", ARG0, "{\"call\":2,\"acquired_at\":null}", "")),
     "spawns[0]: refers to a callback, which has no effects on its caller"},
    {"spawn's live with another function's spawn",
     WITH_SPAWN(SPAWNX("0", "1", UNK, "\"one\"", "-1", ARG0, "", "{\"spawn\":1}")),
     "spawns[0]: refers to a spawn of another function"},
    {"access's locks through another function's call",
     WITH_ACC(ACCX("0", "\"read\"", GMAP, "{\"call\":1,\"acquired_at\":null}", "")),
     "accesses[0]: refers to a call of another function"},
    {"access's live with another function's spawn",
     WITH_ACC(ACCX("1", "\"read\"", GMAP, "", "{\"spawn\":0}")),
     "accesses[0]: refers to a spawn of another function"},
    {"access's live joined_by a callback",
     WITH_ACC(ACCX("0", "\"read\"", GMAP, "", "{\"spawn\":0,\"joined_by\":[2]}")),
     "accesses[0]: refers to a callback, which has no effects on its caller"},

    /* Calls. */
    {"callee out of range", WITH_CALL(CALL("0", "2")),
     "calls[0].callee: function id 2 out of range (2 functions in the file)"},
    {"negative caller", WITH_CALL(CALL("-1", "0")),
     "calls[0].caller: function id -1 out of range (2 functions in the file)"},
    {"real id", WITH_CALL(CALL("0.5", "0")), "calls[0].caller: expected an integer, found a real number"},
    {"callback as string", WITH_CALL(CALLX("0", "1", "\"no\"", "", "", "")),
     "calls[0].callback: expected true or false, found a string"},
    {"missing callback",
     WITH_CALL("{\"caller\":0,\"callee\":1,\"loc\":null,\"locks\":[],\"live\":[],\"args\":[]}"),
     "calls[0]: missing member \"callback\""},
    {"call locks not an array",
     WITH_CALL("{\"caller\":0,\"callee\":1,\"loc\":null,\"callback\":false,\"locks\":{},"
               "\"live\":[],\"args\":[]}"),
     "calls[0].locks: expected an array, found an object"},
    {"call live out of range", WITH_CALL(CALLX("0", "1", "false", "", "{\"spawn\":5}", "")),
     "calls[0].live[0].spawn: spawn id 5 out of range (2 spawns in the file)"},
    {"args not an array",
     WITH_CALL("{\"caller\":0,\"callee\":1,\"loc\":null,\"callback\":false,\"locks\":[],"
               "\"live\":[],\"args\":{}}"),
     "calls[0].args: expected an array, found an object"},
    {"arg without per_instance",
     WITH_CALL(CALLX("0", "1", "false", "", "", "{\"path\":" UNK ",\"fields\":[]}")),
     "calls[0].args[0]: missing member \"per_instance\""},
    {"bad arg field",
     WITH_CALL(CALLX("0", "1", "false", "", "",
                     "{\"path\":" UNK ",\"per_instance\":false,\"fields\":[{\"field\":\"x\","
                     "\"value\":{\"base\":\"param\",\"param\":-2},\"per_instance\":false}]}")),
     "calls[0].args[0].fields[0].value.param: -2 is out of range [0, 2147483647]"},

    /* Spawns. */
    {"entry out of range", WITH_SPAWN(SPAWNX("0", "5", UNK, "\"one\"", "-1", ARG0, "", "")),
     "spawns[0].entry: function id 5 out of range (2 functions in the file)"},
    {"entry as string", WITH_SPAWN(SPAWNX("0", "\"g\"", UNK, "\"one\"", "-1", ARG0, "", "")),
     "spawns[0].entry: expected an integer, found a string"},
    {"func null", WITH_SPAWN(SPAWNX("null", "1", UNK, "\"one\"", "-1", ARG0, "", "")),
     "spawns[0].func: expected an integer, found null"},
    {"old handle null", WITH_SPAWN(SPAWNX("0", "1", "null", "\"one\"", "-1", ARG0, "", "")),
     "spawns[0].handle: expected a path object, found null"},
    {"old handle string", WITH_SPAWN(SPAWNX("0", "1", "\"tid\"", "\"one\"", "-1", ARG0, "", "")),
     "spawns[0].handle: expected a path object, found a string"},
    {"bad multiplicity", WITH_SPAWN(SPAWNX("0", "1", UNK, "\"few\"", "-1", ARG0, "", "")),
     "spawns[0].multiplicity: unknown name \"few\""},
    {"bad arg_param", WITH_SPAWN(SPAWNX("0", "1", UNK, "\"one\"", "-2", ARG0, "", "")),
     "spawns[0].arg_param: -2 is out of range [-1, 2147483647]"},
    {"arg null", WITH_SPAWN(SPAWNX("0", "1", UNK, "\"one\"", "-1", "null", "", "")),
     "spawns[0].arg: expected an object, found null"},
    {"arg path bad", WITH_SPAWN(SPAWNX("0", "1", UNK, "\"one\"", "-1",
                                       "{\"path\":{},\"per_instance\":false,\"fields\":[]}", "", "")),
     "spawns[0].arg.path: missing member \"base\""},
    {"spawn live out of range",
     WITH_SPAWN(SPAWNX("0", "1", UNK, "\"one\"", "-1", ARG0, "", "{\"spawn\":2}")),
     "spawns[0].live[0].spawn: spawn id 2 out of range (2 spawns in the file)"},

    /* Accesses and paths. */
    {"bad access kind", WITH_ACC(ACCX("0", "\"scribble\"", GMAP, "", "")),
     "accesses[0].kind: unknown name \"scribble\""},
    {"kind as number", WITH_ACC(ACCX("0", "1", GMAP, "", "")),
     "accesses[0].kind: expected a string, found an integer"},
    {"bad base", WITH_ACC(ACCX("0", "\"read\"", "{\"base\":\"heap\"}", "", "")),
     "accesses[0].map.base: unknown name \"heap\""},
    {"path without base", WITH_ACC(ACCX("0", "\"read\"", "{\"name\":\"m\"}", "", "")),
     "accesses[0].map: missing member \"base\""},
    {"path name null", WITH_ACC(ACCX("0", "\"read\"", "{\"base\":\"global\",\"name\":null}", "", "")),
     "accesses[0].map.name: expected a string, found null"},
    {"unknown path member", WITH_ACC(ACCX("0", "\"read\"", "{\"base\":\"global\",\"nmae\":\"m\"}", "", "")),
     "accesses[0].map: unknown member \"nmae\""},
    {"path param -1", WITH_ACC(ACCX("0", "\"read\"", "{\"base\":\"param\",\"param\":-1}", "", "")),
     "accesses[0].map.param: -1 is out of range [0, 2147483647]"},
    {"path depth negative", WITH_ACC(ACCX("0", "\"read\"", "{\"base\":\"unknown\",\"depth\":-1}", "", "")),
     "accesses[0].map.depth: -1 is out of range [0, 4294967295]"},
    {"path field not a string",
     WITH_ACC(ACCX("0", "\"read\"", "{\"base\":\"unknown\",\"field\":3}", "", "")),
     "accesses[0].map.field: expected a string, found an integer"},
    {"map not a path", WITH_ACC(ACCX("0", "\"read\"", "[]", "", "")),
     "accesses[0].map: expected a path object, found an array"},
    {"key_type as integer",
     WITH_ACC("{\"func\":0,\"loc\":null,\"kind\":\"read\",\"api\":\"a\",\"library\":null,"
              "\"map\":" GMAP ",\"key_type\":1,\"value_type\":null,\"locks\":[],\"live\":[]}"),
     "accesses[0].key_type: expected a string or null, found an integer"},
    {"access without library",
     WITH_ACC("{\"func\":0,\"loc\":null,\"kind\":\"read\",\"api\":\"a\",\"map\":" GMAP
              ",\"key_type\":null,\"value_type\":null,\"locks\":[],\"live\":[]}"),
     "accesses[0]: missing member \"library\""},
    {"owned not a boolean",
     WITH_ACC(ACCX("0", "\"write\"", "{\"base\":\"local\",\"name\":\"m\",\"owned\":1}", "", "")),
     "accesses[0].map.owned: expected true or false, found an integer"},
    {"owned global",
     WITH_ACC(ACCX("0", "\"write\"", "{\"base\":\"global\",\"name\":\"m\",\"owned\":true}", "", "")),
     "accesses[0]: a path that is not a local's is owned"},
    {"old access live", WITH_ACC(ACCX("0", "\"write\"", GMAP, "", "0")),
     "accesses[0].live[0]: expected an object, found an integer"},
    {"access func out of range", HDR "\"functions\":[],\"calls\":[],\"spawns\":[],"
         "\"accesses\":[" ACCX("0", "\"write\"", GMAP, "", "") "]}",
     "accesses[0].func: function id 0 out of range (0 functions in the file)"},
    {"access lock call, no calls", HDR "\"functions\":[" FN("f") "],\"calls\":[],\"spawns\":[],"
         "\"accesses\":[" ACCX("0", "\"write\"", GMAP, "{\"call\":0,\"acquired_at\":null}", "") "]}",
     "accesses[0].locks[0].call: call id 0 out of range (0 calls in the file)"},
    {"access live, one spawn",
     DOC(FNS, CALLS, SPAWN("0"), ACCX("0", "\"read\"", GMAP, "", "{\"spawn\":1}")),
     "accesses[0].live[0].spawn: spawn id 1 out of range (1 spawn in the file)"},
};

static void test_bad_docs(tally *t) {
  for (size_t i = 0; i < sizeof bad_docs / sizeof bad_docs[0]; i++) {
    const bad_doc *d = &bad_docs[i];
    ms_error err = {"", 99};
    ms_facts *f = ms_facts_from_json(d->text, strlen(d->text), &err);
    int syntax = strcmp(d->expect, IJ) == 0;
    int ok = f == NULL && (syntax ? strncmp(err.message, IJ, strlen(IJ)) == 0 &&
                                        strlen(err.message) > strlen(IJ)
                                  : strcmp(err.message, d->expect) == 0);
    /* Messages about the content carry no line. */
    ok &= syntax || err.line == 0;
    if (!ok)
      fprintf(stderr, "  bad document \"%s\": %s -> line %u \"%s\"\n", d->what,
              f ? "accepted" : "rejected", err.line, err.message);
    CHECK(t, ok);
    ms_facts_free(f);
    /* Also without an error to fill. */
    f = ms_facts_from_json(d->text, strlen(d->text), NULL);
    CHECK(t, f == NULL);
    ms_facts_free(f);
  }
}

static void test_syntax_error_line(tally *t) {
  const char *doc = "{\n\"format\": \"mapsafe-facts\",\n\"version\": 1,,\n}";
  ms_error err = {"", 0};
  CHECK(t, ms_facts_from_json(doc, strlen(doc), &err) == NULL);
  CHECK(t, err.line == 3);
  CHECK(t, strncmp(err.message, IJ, strlen(IJ)) == 0 && contains(err.message, "(column "));
  /* An error deep in a written document: its line there. */
  ms_facts *f = sample_facts();
  char *j = ms_facts_to_json(f);
  char *p = j ? strstr(j, "\"unsettled\": true") : NULL;
  CHECK(t, p != NULL);
  if (p) {
    unsigned line = 1;
    for (const char *q = j; q < p; q++) line += *q == '\n';
    p[0] = '\'';
    err.line = 0;
    CHECK(t, ms_facts_from_json(j, strlen(j), &err) == NULL);
    CHECK(t, err.line == line && line > 100);
    CHECK(t, strncmp(err.message, IJ, strlen(IJ)) == 0);
  }
  free(j);
  ms_facts_free(f);
  /* No text at all. */
  err.message[0] = '\0';
  CHECK(t, ms_facts_from_json(NULL, 0, &err) == NULL && strncmp(err.message, IJ, strlen(IJ)) == 0);
  /* Text after the document. */
  const char *twice = HDR "\"functions\":[]," NOFACTS " {}";
  CHECK(t, ms_facts_from_json(twice, strlen(twice), &err) == NULL);
  CHECK(t, strncmp(err.message, IJ, strlen(IJ)) == 0 && err.line == 1);
}

/* Reads prefixes of `text` (every `step`th length, and the whole): each is
** rejected with a message but the whole text and the text without its
** final newline.  Returns the number of prefixes that did otherwise. */
static size_t wrong_prefixes(const char *text, size_t step) {
  size_t n = strlen(text), wrong = 0;
  for (size_t len = 0; len <= n; len = len + step > n && len < n ? n : len + step) {
    /* A copy of exactly `len` bytes, so that reading past the end is
    ** caught by the sanitizer or valgrind. */
    char *copy = malloc(len ? len : 1);
    if (!copy) return wrong + 1;
    memcpy(copy, text, len);
    ms_error err = {"", 0};
    ms_facts *g = ms_facts_from_json(copy, len, &err);
    int whole = len + 1 >= n;
    if (whole ? g == NULL : g != NULL || !err.message[0]) {
      fprintf(stderr, "  prefix of %zu bytes (of %zu): %s\n", len, n, g ? "read" : err.message);
      wrong++;
    }
    ms_facts_free(g);
    free(copy);
  }
  return wrong;
}

/* Every prefix of a valid document is rejected cleanly, with a message. */
static void test_truncations(tally *t) {
  ms_facts *b = unit_b(), *f = sample_facts();
  char *jb = ms_facts_to_json(b), *jf = ms_facts_to_json(f);
  CHECK(t, jb && jf && strlen(jb) > 1000 && strlen(jf) > 1000);
  if (jb && jf) {
    CHECK(t, wrong_prefixes(jb, 1) == 0);
    CHECK(t, wrong_prefixes(jf, 7) == 0);
  }
  free(jb);
  free(jf);
  ms_facts_free(b);
  ms_facts_free(f);
}

/* Every member and element of a valid document removed, or replaced with
** values of other types: each document is read or rejected with a message,
** and what is read is well formed and reads back. */
typedef struct mutator {
  json_t *root;
  json_t *values[8]; /* what replaces a member or element */
  unsigned accepted, rejected, broken;
} mutator;

static void try_doc(mutator *m) {
  char *text = json_dumps(m->root, JSON_COMPACT);
  if (!text) return;
  ms_error err = {"", 0};
  ms_facts *f = ms_facts_from_json(text, strlen(text), &err);
  if (!f) {
    if (err.message[0]) m->rejected++;
    else m->broken++;
  } else {
    m->accepted++;
    char *again = ms_facts_to_json(f);
    ms_facts *g = again ? ms_facts_from_json(again, strlen(again), &err) : NULL;
    if (ms_facts_check(f, NULL) || !g) {
      m->broken++;
      fprintf(stderr, "  accepted, but %s: %s\n  in %s\n", g ? "not well formed" : "not read back",
              err.message, text);
    }
    ms_facts_free(g);
    free(again);
    ms_facts_free(f);
  }
  free(text);
}

/* Applies every mutation at every node under `node`, restoring each. */
static void mutate_all(mutator *m, json_t *node) {
  size_t nvalues = sizeof m->values / sizeof m->values[0];
  if (json_is_object(node)) {
    /* Keys are copied: a member deleted and set again moves to the end
    ** (and after all of them, the order is as it was). */
    size_t n = json_object_size(node), k = 0;
    char **keys = calloc(n ? n : 1, sizeof *keys);
    const char *key;
    json_t *child;
    if (!keys) return;
    json_object_foreach(node, key, child) {
      size_t len = strlen(key) + 1;
      if ((keys[k] = malloc(len)) != NULL) memcpy(keys[k], key, len);
      k++;
    }
    for (k = 0; k < n; k++) {
      if (!keys[k]) continue;
      child = json_incref(json_object_get(node, keys[k]));
      json_object_del(node, keys[k]);
      try_doc(m);
      for (size_t v = 0; v < nvalues; v++) {
        json_object_set(node, keys[k], m->values[v]);
        try_doc(m);
      }
      json_object_set_new(node, keys[k], child);
      mutate_all(m, child);
      free(keys[k]);
    }
    free(keys);
  } else if (json_is_array(node)) {
    for (size_t i = 0; i < json_array_size(node); i++) {
      json_t *child = json_incref(json_array_get(node, i));
      json_array_remove(node, i);
      try_doc(m);
      json_array_insert(node, i, child);
      for (size_t v = 0; v < nvalues; v++) {
        json_array_set(node, i, m->values[v]);
        try_doc(m);
      }
      json_array_set_new(node, i, child);
      mutate_all(m, child);
    }
  }
}

static void test_mutations(tally *t) {
  ms_facts *f = unit_b(); /* the sample's every kind of entry, in fewer facts */
  char *j = ms_facts_to_json(f);
  json_error_t jerr;
  mutator m;
  memset(&m, 0, sizeof m);
  m.root = j ? json_loads(j, 0, &jerr) : NULL;
  CHECK(t, m.root != NULL);
  m.values[0] = json_null();
  m.values[1] = json_integer(0);
  m.values[2] = json_integer(-1);
  m.values[3] = json_integer(4294967295LL);
  m.values[4] = json_string("x");
  m.values[5] = json_object();
  m.values[6] = json_array();
  m.values[7] = json_true();
  if (m.root) mutate_all(&m, m.root);
  CHECK(t, m.broken == 0);
  CHECK(t, m.rejected > 1000 && m.accepted > 200);
  /* The document is as it was. */
  char *back = m.root ? json_dumps(m.root, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
  CHECK(t, back && j && strlen(back) + 1 == strlen(j) && strncmp(back, j, strlen(back)) == 0);
  for (size_t v = 0; v < sizeof m.values / sizeof m.values[0]; v++) json_decref(m.values[v]);
  free(back);
  json_decref(m.root);
  free(j);
  ms_facts_free(f);
}

/* ---------------------------------------------------------------------- */
/* Merging.                                                                */
/* ---------------------------------------------------------------------- */

/* a.c: main calls lock_all() (declared here: a lock wrapper defined in
** b.c) and worker(), spawns worker (declared) and reads sessions under
** what lock_all returns holding. */
enum { A_F_MAIN, A_F_WORKER, A_F_LOCK_ALL };
enum { A_C_LOCK_ALL, A_C_WORKER };
static ms_facts *unit_a(void) {
  ms_facts *f = ms_facts_new();
  ms_id f_main = add_fn(f, "main", 0, 1, loc(f, "a.c", 5, 1));
  ms_id f_worker = add_fn(f, "worker", 0, 0, MS_NONE); /* void *worker(); */
  ms_id f_lock_all = add_fn(f, "lock_all", 0, 0, MS_NONE);
  ms_id l_lock_all = loc(f, "a.c", 6, 3);
  ms_function b = body(1, LOCKS(call_lock(A_C_LOCK_ALL, l_lock_all, no_paths, no_ids)),
                       THREADS(own_spawn(0, no_ids)), no_releases, no_paths);
  ms_set_function_body(f, f_main, &b);
  ms_call c = make_call(f_main, f_lock_all, l_lock_all, no_locks, no_threads);
  ms_add_call(f, &c);
  c = make_call(f_main, f_worker, loc(f, "a.c", 7, 3),
                LOCKS(call_lock(A_C_LOCK_ALL, l_lock_all, no_paths, no_ids)),
                THREADS(own_spawn(0, no_ids)));
  ms_add_call(f, &c);
  ms_spawn s = make_spawn(f, f_main, f_worker, loc(f, "a.c", 8, 3), "pthread_create",
                          local_path(f, "main::t", "t"));
  ms_add_spawn(f, &s);
  ms_access a = make_access(f, f_main, loc(f, "a.c", 9, 3), MS_ACC_READ, "g_hash_table_lookup",
                            global_path(f, "sessions"));
  a.locks = LOCKS(call_lock(A_C_LOCK_ALL, l_lock_all, no_paths, IDS(A_C_WORKER)));
  a.live = THREADS(own_spawn(0, IDS(A_C_WORKER)));
  ms_add_access(f, &a);
  return f;
}

/* b.c: worker (defined here) takes w_lock, calls lock_all() (defined
** here) and helper(ctx) (which may release and join), spawns helper and a
** thread whose entry is not known, and returns with all of that in its
** exit state; helper writes sessions and runs visit as a foreach
** callback; main is only declared here, with an exit state a declaration
** should not have. */
enum { B_F_HELPER, B_F_WORKER, B_F_MAIN, B_F_LOCK_ALL, B_F_VISIT };
enum { B_C_LOCK_ALL, B_C_HELPER, B_C_VISIT };
enum { B_S_HELPER, B_S_ANON };
static ms_facts *unit_b(void) {
  ms_facts *f = ms_facts_new();
  ms_str(f, "padding so string ids differ");
  loc(f, "b.c", 1, 1); /* and loc ids */
  ms_id f_helper = add_fn(f, "helper", 0, 1, loc(f, "b.c", 2, 1));
  ms_id f_worker = add_fn(f, "worker", 1, 1, loc(f, "b.c", 10, 1));
  ms_id f_main = add_fn(f, "main", 0, 0, MS_NONE);
  ms_id f_lock_all = add_fn(f, "lock_all", 0, 1, loc(f, "b.c", 30, 1));
  ms_id f_visit = add_fn(f, "visit", 2, 1, loc(f, "b.c", 40, 1));
  ms_id l_w_lock = loc(f, "b.c", 11, 3), l_lock_all = loc(f, "b.c", 12, 3);
  ms_path th = global_field_path(f, "threads", "struct threads", "th");

  ms_function b = body(
      1,
      LOCKS(own_lock(global_path(f, "w_lock"), MS_LOCK_SHARED, l_w_lock, IDS(B_C_HELPER)),
            call_lock(B_C_LOCK_ALL, l_lock_all, PATHS(global_path(f, "x_lock")), IDS(B_C_HELPER))),
      THREADS(own_spawn(B_S_HELPER, IDS(B_C_HELPER)),
              call_threads(B_C_HELPER, PATHS(th), IDS(B_C_HELPER)), own_spawn(B_S_ANON, no_ids)),
      RELEASES(release_of(global_path(f, "outer"), IDS(B_C_LOCK_ALL))),
      PATHS(local_path(f, "worker::th", "th")));
  ms_set_function_body(f, f_worker, &b);
  b = body(1, LOCKS(own_lock(global_path(f, "b_lock"), MS_LOCK_EXCLUSIVE, loc(f, "b.c", 31, 3),
                             no_ids)),
           no_threads, no_releases, no_paths);
  ms_set_function_body(f, f_lock_all, &b);
  b = body(1, LOCKS(own_lock(global_path(f, "bogus"), MS_LOCK_EXCLUSIVE, MS_NONE, no_ids)),
           no_threads, no_releases, no_paths);
  b.defined = 0; /* declared: what it says of a body is no definition */
  ms_set_function_body(f, f_main, &b);

  ms_call c = make_call(f_worker, f_lock_all, l_lock_all,
                        LOCKS(own_lock(global_path(f, "w_lock"), MS_LOCK_SHARED, l_w_lock, no_ids)),
                        no_threads);
  ms_add_call(f, &c);
  c = make_call(f_worker, f_helper, loc(f, "b.c", 13, 3),
                LOCKS(call_lock(B_C_LOCK_ALL, l_lock_all, PATHS(global_path(f, "x_lock")), no_ids)),
                THREADS(own_spawn(B_S_HELPER, no_ids)));
  ms_field_value ctx_tbl = {ms_str(f, "tbl"), global_path(f, "sessions"), 0};
  ms_value helper_arg;
  memset(&helper_arg, 0, sizeof helper_arg);
  helper_arg.path = local_path(f, "worker::ctx", "ctx");
  helper_arg.fields = &ctx_tbl;
  helper_arg.field_count = 1;
  c.args = &helper_arg;
  c.arg_count = 1;
  ms_add_call(f, &c);
  c = make_call(f_helper, f_visit, loc(f, "b.c", 4, 3), no_locks, no_threads);
  c.callback = 1;
  ms_add_call(f, &c);

  ms_spawn s = make_spawn(f, f_worker, f_helper, loc(f, "b.c", 14, 3), "pthread_create", th);
  ms_field_value fv = {ms_str(f, "tbl"), global_path(f, "sessions"), 1};
  s.arg.path = local_path(f, "worker::ctx", "ctx");
  s.arg.fields = &fv;
  s.arg.field_count = 1;
  s.arg_param = 0;
  s.live = THREADS(own_spawn(B_S_HELPER, no_ids), call_threads(B_C_HELPER, no_paths, no_ids));
  ms_add_spawn(f, &s);
  s = make_spawn(f, f_worker, MS_NONE, loc(f, "b.c", 15, 3), "pthread_create", ms_path_unknown());
  s.multiplicity = MS_MULT_MANY;
  ms_add_spawn(f, &s);

  ms_access a = make_access(f, f_helper, loc(f, "b.c", 3, 3), MS_ACC_WRITE,
                            "g_hash_table_insert", global_path(f, "sessions"));
  ms_add_access(f, &a);
  a = make_access(f, f_worker, loc(f, "b.c", 16, 3), MS_ACC_ITERATE, "g_hash_table_foreach",
                  global_path(f, "sessions"));
  a.locks = LOCKS(call_lock(B_C_LOCK_ALL, l_lock_all, no_paths, IDS(B_C_HELPER)));
  a.live = THREADS(own_spawn(B_S_HELPER, IDS(B_C_HELPER)),
                   call_threads(B_C_HELPER, PATHS(th), IDS(B_C_HELPER)));
  ms_add_access(f, &a);
  return f;
}

/* Whether a fact set is well formed and survives a round trip. */
static int well_formed(const ms_facts *f) {
  ms_error err = {"", 0};
  if (ms_facts_check(f, &err)) {
    fprintf(stderr, "  not well formed: %s\n", err.message);
    return 0;
  }
  char *j1 = ms_facts_to_json(f);
  ms_facts *g = read_doc(j1);
  char *j2 = g ? ms_facts_to_json(g) : NULL;
  int ok = j1 && j2 && strcmp(j1, j2) == 0;
  free(j1);
  free(j2);
  ms_facts_free(g);
  return ok;
}

static void test_merge(tally *t) {
  ms_facts *a = unit_a(), *b = unit_b(), *a0 = unit_a();
  ms_error err = {"", 0};
  uint32_t ncalls = a->calls.count, nspawns = a->spawns.count; /* 2, 1 */
  uint32_t naccesses = a->accesses.count;
  REQUIRE(t, ms_facts_merge(a, b, &err) == 0);
  REQUIRE(t, a->functions.count == 5);
  ms_id f_main = ms_find_function(a, "main"), f_worker = ms_find_function(a, "worker");
  ms_id f_lock_all = ms_find_function(a, "lock_all"), f_helper = ms_find_function(a, "helper");
  ms_id f_visit = ms_find_function(a, "visit");
  REQUIRE(t, f_main == 0 && f_worker == 1 && f_lock_all == 2 && f_helper == 3 && f_visit == 4);
  /* Every fact is there, with sets of the sizes it had. */
  REQUIRE(t, a->calls.count == ncalls + b->calls.count);
  REQUIRE(t, a->spawns.count == nspawns + b->spawns.count);
  REQUIRE(t, a->accesses.count == naccesses + b->accesses.count);
  REQUIRE(t, facts_shape(a, a0, 0, 0, 0) && facts_shape(a, b, ncalls, nspawns, naccesses));
  REQUIRE(t, function_shape(&a->functions.items[f_main], &a0->functions.items[A_F_MAIN]));
  REQUIRE(t, function_shape(&a->functions.items[f_worker], &b->functions.items[B_F_WORKER]));
  REQUIRE(t, function_shape(&a->functions.items[f_lock_all], &b->functions.items[B_F_LOCK_ALL]));
  /* b's ids, in a. */
  ms_id c_lock_all = ncalls + B_C_LOCK_ALL, c_helper = ncalls + B_C_HELPER;
  ms_id c_visit = ncalls + B_C_VISIT;
  ms_id s_helper = nspawns + B_S_HELPER, s_anon = nspawns + B_S_ANON;

  /* main stays a.c's definition: b.c's declaration brings nothing. */
  const ms_function *m = &a->functions.items[f_main];
  CHECK(t, m->defined && strcmp(loc_file(a, m->loc), "a.c") == 0);
  CHECK(t, m->exit_locks.count == 1 && m->exit_locks.items[0].call == A_C_LOCK_ALL);
  CHECK(t, m->exit_threads.count == 1 && m->exit_threads.items[0].spawn == 0);

  /* worker and lock_all become b.c's definitions, with their exit states,
  ** every id in them remapped. */
  const ms_function *w = &a->functions.items[f_worker];
  CHECK(t, w->defined && w->returns && w->param_count == 1);
  CHECK_STR(t, loc_file(a, w->loc), "b.c");
  CHECK(t, loc_line(a, w->loc) == 10);
  CHECK(t, w->exit_locks.count == 2);
  const ms_held *own = &w->exit_locks.items[0], *via = &w->exit_locks.items[1];
  CHECK(t, own->call == MS_NONE && own->mode == MS_LOCK_SHARED);
  CHECK_STR(t, ms_str_get(a, own->lock.name), "w_lock");
  CHECK(t, loc_line(a, own->acquired_at) == 11 && strcmp(loc_file(a, own->acquired_at), "b.c") == 0);
  CHECK(t, own->released_by.count == 1 && own->released_by.items[0] == c_helper);
  CHECK(t, via->call == c_lock_all && loc_line(a, via->acquired_at) == 12);
  CHECK(t, via->released.count == 1 && via->released_by.count == 1);
  CHECK_STR(t, ms_str_get(a, via->released.items[0].name), "x_lock");
  CHECK(t, via->released_by.items[0] == c_helper);
  CHECK(t, w->exit_threads.count == 3);
  const ms_running *r0 = &w->exit_threads.items[0], *r1 = &w->exit_threads.items[1];
  CHECK(t, r0->spawn == s_helper && r0->call == MS_NONE);
  CHECK(t, r0->joined_by.count == 1 && r0->joined_by.items[0] == c_helper);
  CHECK(t, r1->call == c_helper && r1->spawn == MS_NONE && r1->joined.count == 1);
  CHECK_STR(t, ms_str_get(a, r1->joined.items[0].name), "threads");
  CHECK_STR(t, ms_str_get(a, r1->joined.items[0].field), "th");
  CHECK_STR(t, ms_str_get(a, r1->joined.items[0].field_owner), "struct threads");
  CHECK(t, r1->joined_by.count == 1 && r1->joined_by.items[0] == c_helper);
  CHECK(t, w->exit_threads.items[2].spawn == s_anon);
  CHECK(t, w->releases.count == 1 && w->releases.items[0].unless_acquired_by.items[0] == c_lock_all);
  CHECK_STR(t, ms_str_get(a, w->releases.items[0].lock.name), "outer");
  CHECK(t, w->joins.count == 1);
  CHECK_STR(t, ms_str_get(a, w->joins.items[0].name), "worker::th");
  const ms_function *la = &a->functions.items[f_lock_all];
  CHECK(t, la->defined && la->exit_locks.count == 1);
  CHECK_STR(t, ms_str_get(a, la->exit_locks.items[0].lock.name), "b_lock");
  CHECK(t, loc_line(a, la->exit_locks.items[0].acquired_at) == 31);
  CHECK(t, a->functions.items[f_helper].defined && a->functions.items[f_visit].param_count == 2);

  /* Calls: a.c's first, then b.c's, with their sets remapped. */
  CHECK(t, a->calls.count == ncalls + 3);
  CHECK(t, a->calls.items[A_C_LOCK_ALL].callee == f_lock_all);
  CHECK(t, a->calls.items[A_C_WORKER].locks.items[0].call == A_C_LOCK_ALL);
  const ms_call *ch = &a->calls.items[c_helper];
  CHECK(t, ch->caller == f_worker && ch->callee == f_helper && !ch->callback);
  CHECK(t, ch->locks.count == 1 && ch->locks.items[0].call == c_lock_all);
  CHECK_STR(t, ms_str_get(a, ch->locks.items[0].released.items[0].name), "x_lock");
  CHECK(t, ch->live.count == 1 && ch->live.items[0].spawn == s_helper);
  CHECK(t, loc_line(a, ch->loc) == 13 && ch->arg_count == 1);
  CHECK_STR(t, ms_str_get(a, ch->args[0].path.name), "worker::ctx");
  CHECK_STR(t, ms_str_get(a, ch->args[0].path.display), "ctx");
  CHECK(t, ch->args[0].field_count == 1);
  CHECK_STR(t, ms_str_get(a, ch->args[0].fields[0].field), "tbl");
  CHECK_STR(t, ms_str_get(a, ch->args[0].fields[0].value.name), "sessions");
  const ms_call *cl = &a->calls.items[c_lock_all];
  CHECK(t, cl->caller == f_worker && cl->callee == f_lock_all);
  CHECK_STR(t, ms_str_get(a, cl->locks.items[0].lock.name), "w_lock");
  const ms_call *cv = &a->calls.items[c_visit];
  CHECK(t, cv->caller == f_helper && cv->callee == f_visit && cv->callback == 1);

  /* Spawns: a.c's first, then b.c's, handles and all. */
  CHECK(t, a->spawns.count == nspawns + 2);
  CHECK(t, a->spawns.items[0].entry == f_worker && a->spawns.items[0].func == f_main);
  CHECK_STR(t, ms_str_get(a, a->spawns.items[0].handle.name), "main::t");
  const ms_spawn *s = &a->spawns.items[s_helper];
  CHECK(t, s->func == f_worker && s->entry == f_helper && s->arg_param == 0);
  CHECK(t, s->handle.base == MS_BASE_GLOBAL && s->handle.depth == 1);
  CHECK_STR(t, ms_str_get(a, s->handle.name), "threads");
  CHECK_STR(t, ms_str_get(a, s->handle.field), "th");
  CHECK_STR(t, ms_str_get(a, s->api), "pthread_create");
  CHECK_STR(t, loc_file(a, s->loc), "b.c");
  CHECK(t, s->live.count == 2 && s->live.items[0].spawn == s_helper);
  CHECK(t, s->live.items[1].call == c_helper);
  CHECK(t, s->arg.field_count == 1 && s->arg.fields[0].per_instance == 1);
  CHECK_STR(t, ms_str_get(a, s->arg.fields[0].field), "tbl");
  CHECK_STR(t, ms_str_get(a, s->arg.fields[0].value.name), "sessions");
  CHECK_STR(t, ms_str_get(a, s->arg.path.name), "worker::ctx");
  const ms_spawn *anon = &a->spawns.items[s_anon];
  CHECK(t, anon->entry == MS_NONE && anon->func == f_worker && anon->multiplicity == MS_MULT_MANY);

  /* Accesses: a.c's, then b.c's. */
  CHECK(t, a->accesses.count == 3);
  const ms_access *x = &a->accesses.items[0], *y = &a->accesses.items[1];
  const ms_access *z = &a->accesses.items[2];
  CHECK(t, x->func == f_main && x->live.items[0].spawn == 0);
  CHECK(t, x->locks.items[0].released_by.items[0] == A_C_WORKER);
  CHECK(t, y->func == f_helper && y->kind == MS_ACC_WRITE);
  CHECK(t, y->map.name == x->map.name); /* one string table: same string, same id */
  CHECK(t, y->library == x->library);
  CHECK_STR(t, ms_str_get(a, y->api), "g_hash_table_insert");
  CHECK(t, strcmp(loc_file(a, y->loc), "b.c") == 0 && loc_line(a, y->loc) == 3);
  CHECK(t, z->func == f_worker && z->locks.items[0].call == c_lock_all);
  CHECK(t, z->locks.items[0].released_by.items[0] == c_helper);
  CHECK(t, z->live.items[0].spawn == s_helper && z->live.items[0].joined_by.items[0] == c_helper);
  CHECK(t, z->live.items[1].call == c_helper && z->live.items[1].joined_by.items[0] == c_helper);
  CHECK_STR(t, ms_str_get(a, z->live.items[1].joined.items[0].field_owner), "struct threads");

  /* The merged set is well formed: checked, and it survives a round trip. */
  CHECK(t, well_formed(a));
out:
  ms_facts_free(a);
  ms_facts_free(a0);
  ms_facts_free(b);
}

/* The other way round: a definition already in `into` is not replaced by
** a declaration, and a declaration in `into` takes the definition from
** `from` with its exit state, remapped into `into`'s ids. */
static void test_merge_definition_wins(tally *t) {
  ms_facts *b = unit_b(), *a = unit_a(), *b0 = unit_b();
  ms_error err = {"", 0};
  uint32_t ncalls = b->calls.count, nspawns = b->spawns.count, naccesses = b->accesses.count;
  REQUIRE(t, ms_facts_merge(b, a, &err) == 0);
  REQUIRE(t, b->functions.count == 5);
  ms_id f_main = ms_find_function(b, "main"), f_worker = ms_find_function(b, "worker");
  REQUIRE(t, f_main == B_F_MAIN && f_worker == B_F_WORKER);
  REQUIRE(t, b->calls.count == ncalls + a->calls.count);
  REQUIRE(t, b->spawns.count == nspawns + a->spawns.count);
  REQUIRE(t, b->accesses.count == naccesses + a->accesses.count);
  REQUIRE(t, facts_shape(b, b0, 0, 0, 0) && facts_shape(b, a, ncalls, nspawns, naccesses));
  REQUIRE(t, function_shape(&b->functions.items[f_worker], &b0->functions.items[B_F_WORKER]));
  REQUIRE(t, function_shape(&b->functions.items[f_main], &a->functions.items[A_F_MAIN]));
  const ms_function *w = &b->functions.items[f_worker];
  CHECK(t, w->defined && w->param_count == 1 && w->exit_locks.items[1].call == B_C_LOCK_ALL);
  CHECK(t, w->exit_threads.items[0].spawn == B_S_HELPER);
  CHECK_STR(t, loc_file(b, w->loc), "b.c");
  /* main was declared in b.c with an exit state; a.c's definition replaces it. */
  const ms_function *m = &b->functions.items[f_main];
  CHECK(t, m->defined && m->returns);
  CHECK_STR(t, loc_file(b, m->loc), "a.c");
  CHECK(t, loc_line(b, m->loc) == 5);
  CHECK(t, m->exit_locks.count == 1 && m->exit_locks.items[0].call == ncalls + A_C_LOCK_ALL);
  CHECK(t, m->exit_locks.items[0].lock.name == MS_NONE);
  CHECK(t, loc_line(b, m->exit_locks.items[0].acquired_at) == 6);
  CHECK(t, m->exit_threads.count == 1 && m->exit_threads.items[0].spawn == nspawns);
  CHECK(t, b->spawns.items[nspawns].entry == f_worker && b->spawns.items[nspawns].func == f_main);
  CHECK(t, b->calls.items[ncalls + A_C_WORKER].locks.items[0].call == ncalls + A_C_LOCK_ALL);
  const ms_access *x = &b->accesses.items[2];
  CHECK(t, x->func == f_main && x->live.items[0].spawn == nspawns);
  CHECK(t, x->live.items[0].joined_by.items[0] == ncalls + A_C_WORKER);
  CHECK(t, well_formed(b));
out:
  ms_facts_free(a);
  ms_facts_free(b);
  ms_facts_free(b0);
}

/* Merging a unit twice: its functions are one, the second definition is
** not taken, its other facts are there twice. */
static void test_merge_twice(tally *t) {
  ms_facts *into = unit_b(), *b = unit_b();
  ms_error err = {"", 0};
  REQUIRE(t, ms_facts_merge(into, b, &err) == 0);
  REQUIRE(t, into->functions.count == b->functions.count);
  REQUIRE(t, into->calls.count == 2 * b->calls.count && into->spawns.count == 2 * b->spawns.count);
  REQUIRE(t, into->accesses.count == 2 * b->accesses.count);
  REQUIRE(t, facts_shape(into, b, 0, 0, 0));
  REQUIRE(t, facts_shape(into, b, b->calls.count, b->spawns.count, b->accesses.count));
  REQUIRE(t, function_shape(&into->functions.items[B_F_WORKER], &b->functions.items[B_F_WORKER]));
  const ms_function *w = &into->functions.items[B_F_WORKER];
  CHECK(t, w->exit_locks.items[1].call == B_C_LOCK_ALL); /* the first definition's */
  const ms_call *c = &into->calls.items[b->calls.count + B_C_HELPER];
  CHECK(t, c->caller == B_F_WORKER && c->locks.items[0].call == b->calls.count + B_C_LOCK_ALL);
  CHECK(t, c->live.items[0].spawn == b->spawns.count + B_S_HELPER);
  CHECK(t, ms_str_count(into) == ms_str_count(b));
  CHECK(t, well_formed(into));
out:
  ms_facts_free(into);
  ms_facts_free(b);
}

/* Merging into an empty set gives the same facts; merging an empty set
** changes nothing. */
static void test_merge_into_empty(tally *t) {
  ms_facts *f = sample_facts(), *e = ms_facts_new();
  ms_error err = {"", 0};
  CHECK(t, ms_facts_merge(e, f, &err) == 0);
  CHECK(t, facts_same(f, e));
  char *j1 = ms_facts_to_json(f), *j2 = ms_facts_to_json(e);
  CHECK(t, j1 && j2 && strcmp(j1, j2) == 0);
  ms_facts *empty = ms_facts_new();
  CHECK(t, ms_facts_merge(e, empty, &err) == 0);
  char *j3 = ms_facts_to_json(e);
  CHECK(t, j1 && j3 && strcmp(j1, j3) == 0);
  free(j1);
  free(j2);
  free(j3);
  ms_facts_free(empty);
  ms_facts_free(e);
  ms_facts_free(f);
}

/* A broken `from` is rejected before anything of it reaches `into`. */
typedef struct bad_merge {
  const char *what;
  void (*spoil)(ms_facts *b);
  const char *expect;
} bad_merge;

static void b_callee(ms_facts *b) { b->calls.items[0].callee = 99; }
static void b_other_call(ms_facts *b) {
  b->functions.items[B_F_WORKER].exit_locks.items[1].call = B_C_VISIT;
}
static void b_callback(ms_facts *b) { b->calls.items[B_C_HELPER].callback = 1; }
static void b_other_spawn(ms_facts *b) { b->spawns.items[B_S_HELPER].func = B_F_HELPER; }
static void b_spawn_range(ms_facts *b) { b->accesses.items[1].live.items[0].spawn = 5; }
static void b_string(ms_facts *b) { b->spawns.items[0].handle.field = 100000; }
static void b_loc(ms_facts *b) {
  b->functions.items[B_F_WORKER].exit_locks.items[0].acquired_at = 100000;
}

static const bad_merge bad_merges[] = {
    {"callee out of range", b_callee, "cannot merge: calls[0]: a function id is out of range"},
    {"a call of another function", b_other_call,
     "cannot merge: functions[1]: refers to a call of another function"},
    {"a callback", b_callback,
     "cannot merge: functions[1]: refers to a callback, which has no effects on its caller"},
    {"a spawn of another function", b_other_spawn,
     "cannot merge: functions[1]: refers to a spawn of another function"},
    {"a spawn out of range", b_spawn_range,
     "cannot merge: accesses[1]: a spawn id is out of range"},
    {"a string out of range", b_string, "cannot merge: spawns[0]: a path has a bad string id"},
    {"a loc out of range", b_loc,
     "cannot merge: functions[1]: a lock's acquired_at is a bad loc id"},
};

static void test_merge_rejects(tally *t) {
  ms_facts *a = unit_a();
  char *before = ms_facts_to_json(a);
  uint32_t nstr = ms_str_count(a), nlocs = a->locs.count;
  ms_error err = {"", 0};
  CHECK(t, ms_facts_merge(a, a, &err) != 0);
  CHECK_STR(t, err.message, "cannot merge a fact set into itself");
  for (size_t i = 0; i < sizeof bad_merges / sizeof bad_merges[0]; i++) {
    ms_facts *b = unit_b();
    bad_merges[i].spoil(b);
    err.message[0] = '\0';
    int rc = ms_facts_merge(a, b, &err);
    if (rc == 0 || strcmp(err.message, bad_merges[i].expect) != 0) {
      fprintf(stderr, "  %s: %s -> \"%s\"\n", bad_merges[i].what, rc ? "rejected" : "merged",
              err.message);
      t->bad++;
    }
    CHECK(t, ms_facts_merge(a, b, NULL) != 0);
    /* `into` is as it was: not even a string or a location was added. */
    char *after = ms_facts_to_json(a);
    CHECK(t, before && after && strcmp(before, after) == 0);
    CHECK(t, ms_str_count(a) == nstr && a->locs.count == nlocs);
    free(after);
    ms_facts_free(b);
  }
  /* And a good one still merges afterwards. */
  ms_facts *b = unit_b();
  CHECK(t, ms_facts_merge(a, b, &err) == 0 && well_formed(a));
  ms_facts_free(b);
  free(before);
  ms_facts_free(a);
}

int main(void) {
  tally t = {0, 0, 0, NULL};
  run(&t, "strings", test_strings);
  run(&t, "paths_and_names", test_paths_and_names);
  run(&t, "sample_built", test_sample_built);
  run(&t, "builders_copy", test_builders_copy);
  run(&t, "check", test_check);
  run(&t, "round_trip", test_round_trip);
  run(&t, "json_shape", test_json_shape);
  run(&t, "unknown_entry", test_unknown_entry);
  run(&t, "empty_facts", test_empty_facts);
  run(&t, "non_utf8", test_non_utf8);
  run(&t, "forward_refs", test_forward_refs);
  run(&t, "good_docs", test_good_docs);
  run(&t, "bad_docs", test_bad_docs);
  run(&t, "syntax_error_line", test_syntax_error_line);
  run(&t, "truncations", test_truncations);
  run(&t, "mutations", test_mutations);
  run(&t, "merge", test_merge);
  run(&t, "merge_definition_wins", test_merge_definition_wins);
  run(&t, "merge_twice", test_merge_twice);
  run(&t, "merge_into_empty", test_merge_into_empty);
  run(&t, "merge_rejects", test_merge_rejects);
  printf("%d passed, %d failed\n", t.passed, t.failed);
  return t.failed ? 1 : 0;
}
