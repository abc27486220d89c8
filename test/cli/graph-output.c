// mapsafe.GraphDir writes the map access graph of a translation unit as JSON
// (<file>.mapsafe.json) and Graphviz DOT (<file>.mapsafe.dot).  Two maps with
// different key/value types, one lock, a pool of workers and one monitor:
// the workers' unlocked insert into 'items' and the monitor's unlocked size
// read race; everything on 'counters' is under 'counters_lock'.
//
// RUN: rm -rf %t && mkdir -p %t && cd %S
// RUN: %mapsafe_check %s --prefix=TIDY --config="{CheckOptions: {mapsafe.GraphDir: '%t'}}" \
// RUN:   -- %glib_cflags -pthread
// Only the graph is written (no facts), under the main file's name.
// RUN: ls %t | FileCheck %s --check-prefix=FILES --match-full-lines --implicit-check-not='{{.}}'
// RUN: FileCheck %s --check-prefix=JSON --input-file=%t/graph-output.c.mapsafe.json $(mapsafe-lines %s)
// RUN: FileCheck %s --check-prefix=DOT --input-file=%t/graph-output.c.mapsafe.dot $(mapsafe-lines %s) \
// RUN:   --implicit-check-not='color=red'
// A directory that cannot be created is told once, as an error at the top
// of the file (clang-tidy fails); the findings are still reported.
// With -DGUARD, a map that a lock guards: the graph shows the guard
// candidates mapsafe weighed, with their counts and where the lock is held.
// RUN: rm -rf %t.guard && mkdir -p %t.guard
// RUN: %mapsafe_check %s --prefix=GTIDY --config="{CheckOptions: {mapsafe.GraphDir: '%t.guard'}}" \
// RUN:   -- %glib_cflags -pthread -DGUARD
// RUN: FileCheck %s --check-prefix=GJSON --input-file=%t.guard/graph-output.c.mapsafe.json $(mapsafe-lines %s)
// RUN: FileCheck %s --check-prefix=GDOT --input-file=%t.guard/graph-output.c.mapsafe.dot $(mapsafe-lines %s)
// RUN: touch %t/not-a-dir
// RUN: not %clang_tidy -checks='-*,mapsafe-*' --config="{CheckOptions: {mapsafe.GraphDir: '%t/not-a-dir/graphs'}}" \
// RUN:   %s -- %glib_cflags -pthread 2>&1 | FileCheck %s --check-prefix=UNWRITABLE $(mapsafe-lines %s) \
// RUN:   --implicit-check-not='cannot create' --implicit-check-not='Stack dump'

#include <glib.h>
#include <pthread.h>

struct item {
  int id;
  char *name;
};

static GHashTable *items;    /* int id -> struct item *: racy */
static GHashTable *counters; /* string -> count: always under counters_lock */
static pthread_mutex_t counters_lock = PTHREAD_MUTEX_INITIALIZER;

static void bump(const char *name) {
  pthread_mutex_lock(&counters_lock);
  gpointer old = g_hash_table_lookup(counters, name); // L:lookup
  g_hash_table_replace(counters, g_strdup(name), GINT_TO_POINTER(GPOINTER_TO_INT(old) + 1)); // L:replace
  pthread_mutex_unlock(&counters_lock);
}

static void *worker(void *arg) {
  struct item *it = g_new0(struct item, 1);
  it->id = GPOINTER_TO_INT(arg);
  it->name = g_strdup_printf("item-%d", it->id);
  g_hash_table_insert(items, &it->id, it); // L:insert
  bump(it->name); // L:call_bump
  return NULL;
}

static void *monitor(void *arg) {
  (void)arg;
  return GUINT_TO_POINTER(g_hash_table_size(items)); // L:size
}

int main(void) {
  pthread_t th[4], mon;
  items = g_hash_table_new(g_int_hash, g_int_equal); // L:new_items
  counters = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL); // L:new_counters
  pthread_create(&mon, NULL, monitor, NULL); // L:spawn_monitor
  for (int i = 0; i < 4; i++)
    pthread_create(&th[i], NULL, worker, GINT_TO_POINTER(i)); // L:spawn_worker
  for (int i = 0; i < 4; i++)
    pthread_join(th[i], NULL);
  pthread_join(mon, NULL);
  g_hash_table_destroy(counters); // L:destroy_counters
  g_hash_table_destroy(items); // L:destroy_items
  return 0;
}

#ifdef GUARD
/* A guard: 'sessions_lock' is held around 'sessions' in three of the four
** functions with external linkage that use it; session_claim does not. */
static GHashTable *sessions;
static GMutex sessions_lock;

void session_open(const char *id) {
  g_mutex_lock(&sessions_lock);
  g_hash_table_insert(sessions, g_strdup(id), NULL); // L:g_open
  g_mutex_unlock(&sessions_lock);
}

void session_close(const char *id) {
  g_mutex_lock(&sessions_lock);
  g_hash_table_remove(sessions, id); // L:g_close
  g_mutex_unlock(&sessions_lock);
}

guint session_count(void) {
  g_mutex_lock(&sessions_lock);
  guint n = g_hash_table_size(sessions); // L:g_count
  g_mutex_unlock(&sessions_lock);
  return n;
}

void session_claim(const char *id) { // L:g_claim_fn
  g_hash_table_insert(sessions, g_strdup(id), NULL); // L:g_claim
}
#endif

// The clang-tidy diagnostics the graph describes.
// TIDY: graph-output.c:[[L_insert]]:3: warning: unsynchronized write to map 'items' (g_hash_table_insert) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// TIDY-NEXT: graph-output.c:[[L_insert]]:3: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'worker'
// TIDY-NEXT: graph-output.c:[[L_spawn_worker]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// TIDY-NEXT: graph-output.c:[[L_new_items]]:11: note: 'items' is created here: a GHashTable from int keys to struct item * values
// TIDY-NEXT: graph-output.c:[[L_size]]:27: warning: unsynchronized read of map 'items' (g_hash_table_size) can race with a write in thread 'worker'; no lock is held [mapsafe-unsynchronized-read]
// TIDY-NEXT: graph-output.c:[[L_insert]]:3: note: conflicting write (g_hash_table_insert) in thread 'worker'
// TIDY-NEXT: graph-output.c:[[L_spawn_worker]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// TIDY-NEXT: graph-output.c:[[L_spawn_monitor]]:3: note: thread 'monitor' is started here by the main thread
// TIDY-NEXT: graph-output.c:[[L_new_items]]:11: note: 'items' is created here: a GHashTable from int keys to struct item * values

// UNWRITABLE: error: mapsafe: cannot create '{{.*}}/not-a-dir/graphs': Not a directory [clang-tidy-config]
// UNWRITABLE: graph-output.c:[[L_insert]]:3: warning: unsynchronized write to map 'items'
// UNWRITABLE: graph-output.c:[[L_size]]:27: warning: unsynchronized read of map 'items'

// FILES:      graph-output.c.mapsafe.dot
// FILES-NEXT: graph-output.c.mapsafe.json

// Maps: name, library, key type (from the hash function) and value type
// (from the inserted values, before their cast to gpointer).
// JSON:      {
// JSON-NEXT:  "format": "mapsafe-graph",
// JSON-NEXT:  "version": 1,
// JSON-NEXT:  "maps": [
// JSON-NEXT:   {
// JSON-NEXT:    "id": [[#COUNTERS:]],
// JSON-NEXT:    "name": "counters",
// JSON-NEXT:    "kind": "global",
// JSON-NEXT:    "library": "GHashTable",
// JSON-NEXT:    "key_type": "string",
// JSON-NEXT:    "value_type": "int"
// JSON-NEXT:   },
// JSON-NEXT:   {
// JSON-NEXT:    "id": [[#ITEMS:]],
// JSON-NEXT:    "name": "items",
// JSON-NEXT:    "kind": "global",
// JSON-NEXT:    "library": "GHashTable",
// JSON-NEXT:    "key_type": "int",
// JSON-NEXT:    "value_type": "struct item *"
// JSON-NEXT:   }
// JSON-NEXT:  ],
// JSON-NEXT:  "locks": [
// JSON-NEXT:   {
// JSON-NEXT:    "id": [[#LOCK:]],
// JSON-NEXT:    "name": "counters_lock",
// JSON-NEXT:    "kind": "global"
// JSON-NEXT:   }
// JSON-NEXT:  ],
// The guard candidates: 'counters_lock' is held at every access to
// 'counters', but in one function only, too few to call it a guard
// (MinGuardedSites is 2).  'items' is accessed under no lock: no candidate.
// JSON-NEXT:  "guards": [
// JSON-NEXT:   {
// JSON-NEXT:    "map": [[#COUNTERS]],
// JSON-NEXT:    "lock": [[#LOCK]],
// JSON-NEXT:    "lock_name": "counters_lock",
// JSON-NEXT:    "verdict": "too-few",
// JSON-NEXT:    "guarded_sites": 1,
// JSON-NEXT:    "strong_sites": 1,
// JSON-NEXT:    "sites": 1,
// JSON-NEXT:    "guarded_weight": 2,
// JSON-NEXT:    "weight": 2,
// JSON-NEXT:    "held_at": [
// JSON-NEXT:     "{{/.*}}/graph-output.c:[[L_lookup]]:18"
// JSON-NEXT:    ]
// JSON-NEXT:   }
// JSON-NEXT:  ],
// JSON-NEXT:  "threads": [
// JSON-NEXT:   {
// JSON-NEXT:    "id": [[#MAIN:]],
// JSON-NEXT:    "entry": "main",
// JSON-NEXT:    "kind": "entry",
// JSON-NEXT:    "multiplicity": "one"
// JSON-NEXT:   },
// JSON-NEXT:   {
// JSON-NEXT:   "id": [[#MONITOR:]],
// JSON-NEXT:   "entry": "monitor",
// JSON-NEXT:   "kind": "spawned",
// JSON-NEXT:   "multiplicity": "one",
// JSON-NEXT:   "parent": [[#MAIN]],
// JSON-NEXT:   "spawned_at": "{{/.*}}/graph-output.c:[[L_spawn_monitor]]:3",
// JSON-NEXT:   "api": "pthread_create"
// JSON-NEXT:  },
// JSON-NEXT:  {
// JSON-NEXT:   "id": [[#WORKER:]],
// JSON-NEXT:   "entry": "worker",
// JSON-NEXT:   "kind": "spawned",
// JSON-NEXT:   "multiplicity": "many",
// JSON-NEXT:   "parent": [[#MAIN]],
// JSON-NEXT:   "spawned_at": "{{/.*}}/graph-output.c:[[L_spawn_worker]]:5",
// JSON-NEXT:   "api": "pthread_create"
// JSON-NEXT:  }
// JSON-NEXT:  ],
// JSON-NEXT:  "accesses": [
// An access under the lock, reached through a call from the worker.
// JSON:        "function": "bump",
// JSON-NEXT:   "loc": "{{/.*}}/graph-output.c:[[L_lookup]]:18",
// JSON-NEXT:   "kind": "read",
// JSON-NEXT:   "api": "g_hash_table_lookup",
// JSON-NEXT:   "map": [[#COUNTERS]],
// JSON-NEXT:   "instances": [
// JSON-NEXT:    {
// JSON-NEXT:     "thread": [[#WORKER]],
// JSON-NEXT:     "locks": [
// JSON-NEXT:      {
// JSON-NEXT:       "lock": [[#LOCK]],
// JSON-NEXT:       "mode": "exclusive"
// JSON-NEXT:      }
// JSON-NEXT:     ],
// JSON-NEXT:     "call_path": [
// JSON-NEXT:      "worker",
// JSON-NEXT:      "bump"
// JSON-NEXT:     ],
// JSON-NEXT:     "sites": [
// JSON-NEXT:      "worker"
// JSON-NEXT:     ]
// JSON-NEXT:    }
// JSON-NEXT:   ]
// JSON-NEXT:  },
// JSON-NEXT:  {
// JSON-NEXT:   "function": "bump",
// JSON-NEXT:   "loc": "{{/.*}}/graph-output.c:[[L_replace]]:3",
// JSON-NEXT:   "kind": "write",
// JSON-NEXT:   "api": "g_hash_table_replace",
// JSON-NEXT:   "map": [[#COUNTERS]],
// JSON-NEXT:   "instances": [
// JSON-NEXT:    {
// JSON-NEXT:     "thread": [[#WORKER]],
// JSON-NEXT:     "locks": [
// JSON-NEXT:      {
// JSON-NEXT:       "lock": [[#LOCK]],
// JSON-NEXT:       "mode": "exclusive"
// JSON-NEXT:      }
// JSON-NEXT:     ],
// The racy insert: no lock held, in the worker.
// JSON:        "function": "worker",
// JSON-NEXT:   "loc": "{{/.*}}/graph-output.c:[[L_insert]]:3",
// JSON-NEXT:   "kind": "write",
// JSON-NEXT:   "api": "g_hash_table_insert",
// JSON-NEXT:   "map": [[#ITEMS]],
// JSON-NEXT:   "instances": [
// JSON-NEXT:    {
// JSON-NEXT:     "thread": [[#WORKER]],
// JSON-NEXT:     "locks": [],
// JSON-NEXT:     "call_path": [
// JSON-NEXT:      "worker"
// JSON-NEXT:     ],
// JSON-NEXT:     "sites": [
// JSON-NEXT:      "worker"
// JSON-NEXT:     ]
// JSON-NEXT:    }
// JSON-NEXT:   ]
// JSON-NEXT:  },
// JSON-NEXT:  {
// JSON-NEXT:   "function": "monitor",
// JSON-NEXT:   "loc": "{{/.*}}/graph-output.c:[[L_size]]:27",
// JSON-NEXT:   "kind": "read",
// JSON-NEXT:   "api": "g_hash_table_size",
// JSON-NEXT:   "map": [[#ITEMS]],
// JSON-NEXT:   "instances": [
// JSON-NEXT:    {
// JSON-NEXT:     "thread": [[#MONITOR]],
// JSON-NEXT:     "locks": [],
// Creation and destruction happen in the main thread, before the spawns and
// after the joins: single-threaded.
// JSON:        "function": "main",
// JSON-NEXT:   "loc": "{{/.*}}/graph-output.c:[[L_destroy_counters]]:3",
// JSON-NEXT:   "kind": "destroy",
// JSON-NEXT:   "api": "g_hash_table_destroy",
// JSON-NEXT:   "map": [[#COUNTERS]],
// JSON-NEXT:   "instances": [
// JSON-NEXT:    {
// JSON-NEXT:     "thread": [[#MAIN]],
// JSON-NEXT:     "locks": [],
// JSON-NEXT:     "call_path": [
// JSON-NEXT:      "main"
// JSON-NEXT:     ],
// JSON-NEXT:     "single_threaded": true,
// JSON-NEXT:     "sites": [
// JSON-NEXT:      "main"
// JSON-NEXT:     ]
// JSON-NEXT:    }
// JSON-NEXT:   ]
// JSON-NEXT:  },
// JSON:        "loc": "{{/.*}}/graph-output.c:[[L_new_items]]:11",
// JSON-NEXT:   "kind": "create",
// JSON-NEXT:   "api": "g_hash_table_new",
// JSON-NEXT:   "map": [[#ITEMS]],
// JSON-NEXT:   "instances": [
// JSON-NEXT:    {
// JSON-NEXT:     "thread": [[#MAIN]],
// JSON-NEXT:     "locks": [],
// JSON-NEXT:     "call_path": [
// JSON-NEXT:      "main"
// JSON-NEXT:     ],
// JSON-NEXT:     "single_threaded": true,
// JSON-NEXT:     "sites": [
// JSON-NEXT:      "main"
// JSON-NEXT:     ]
// Exactly the two findings clang-tidy reported, then the end.
// JSON:       "findings": [
// JSON-NEXT:   {
// JSON-NEXT:    "check": "mapsafe-unsynchronized-write",
// JSON-NEXT:    "loc": "{{/.*}}/graph-output.c:[[L_insert]]:3",
// JSON-NEXT:    "other": "{{/.*}}/graph-output.c:[[L_insert]]:3",
// JSON-NEXT:    "map": [[#ITEMS]],
// JSON-NEXT:    "message": "unsynchronized write to map 'items' (g_hash_table_insert) can race with a write in another instance of thread 'worker'; no lock is held"
// JSON-NEXT:   },
// JSON-NEXT:   {
// JSON-NEXT:    "check": "mapsafe-unsynchronized-read",
// JSON-NEXT:    "loc": "{{/.*}}/graph-output.c:[[L_size]]:27",
// JSON-NEXT:    "other": "{{/.*}}/graph-output.c:[[L_insert]]:3",
// JSON-NEXT:    "map": [[#ITEMS]],
// JSON-NEXT:    "message": "unsynchronized read of map 'items' (g_hash_table_size) can race with a write in thread 'worker'; no lock is held"
// JSON-NEXT:   }
// JSON-NEXT:  ],
// JSON-NEXT:  "truncated": false
// JSON-NEXT: }

// DOT:      digraph mapsafe {
// DOT-NEXT:   rankdir=LR;
// DOT-NEXT:   node [fontname="Helvetica", fontsize=10];
// DOT-NEXT:   edge [fontname="Helvetica", fontsize=9];
// DOT-NEXT:   [[MAIN:t[0-9]+]] [shape=box, style=rounded, label="the main thread"];
// DOT-NEXT:   [[MON:t[0-9]+]] [shape=box, style=rounded, label="thread 'monitor'"];
// DOT-NEXT:   [[MAIN]] -> [[MON]] [style=dashed, label="spawns :[[L_spawn_monitor]]"];
// DOT-NEXT:   [[WORKER:t[0-9]+]] [shape=box, style=rounded, label="thread 'worker' (many)"];
// DOT-NEXT:   [[MAIN]] -> [[WORKER]] [style=dashed, label="spawns :[[L_spawn_worker]]"];
// DOT-NEXT:   [[COUNTERS:m[0-9]+]] [shape=ellipse, label="'counters'\nGHashTable\nstring -> int"];
// DOT-NEXT:   [[ITEMS:m[0-9]+]] [shape=ellipse, label="'items'\nGHashTable\nint -> struct item *"];
// 'counters_lock' was weighed as the guard of 'counters', but is held in one
// function only.
// DOT-NEXT:   [[LOCK:l[0-9]+]] [shape=octagon, label="'counters_lock'"];
// DOT-NEXT:   [[COUNTERS]] -> [[LOCK]] [style=dotted, label="too-few (1/1)", color=gray40, fontcolor=gray40];
// DOT-NEXT:   [[MAIN]] -> [[COUNTERS]] [label="g_hash_table_destroy :[[L_destroy_counters]] (single-threaded)", style=dotted, color=gray40, fontcolor=gray40];
// DOT-NEXT:   [[MAIN]] -> [[ITEMS]] [label="g_hash_table_destroy :[[L_destroy_items]] (single-threaded)", style=dotted, color=gray40, fontcolor=gray40];
// DOT-NEXT:   [[MAIN]] -> [[ITEMS]] [label="g_hash_table_new :[[L_new_items]] (single-threaded)", style=dotted, color=gray40, fontcolor=gray40];
// DOT-NEXT:   [[MAIN]] -> [[COUNTERS]] [label="g_hash_table_new_full :[[L_new_counters]] (single-threaded)", style=dotted, color=gray40, fontcolor=gray40];
// The two racy accesses are the only red edges; the locked ones name their
// lock; the main thread's, single-threaded, are dotted.
// DOT-NEXT:   [[MON]] -> [[ITEMS]] [label="g_hash_table_size :[[L_size]]", color=red, fontcolor=red];
// DOT-NEXT:   [[WORKER]] -> [[ITEMS]] [label="g_hash_table_insert :[[L_insert]]", color=red, fontcolor=red];
// DOT-NEXT:   [[WORKER]] -> [[COUNTERS]] [label="g_hash_table_lookup :[[L_lookup]] ['counters_lock']"];
// DOT-NEXT:   [[WORKER]] -> [[COUNTERS]] [label="g_hash_table_replace :[[L_replace]] ['counters_lock']"];
// DOT-NEXT: }

// GTIDY: graph-output.c:[[L_insert]]:3: warning: unsynchronized write to map 'items' (g_hash_table_insert) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// GTIDY-COUNT-3: graph-output.c:{{[0-9]+}}:{{[0-9]+}}: note: {{.*}}
// GTIDY-NEXT: graph-output.c:[[L_size]]:27: warning: unsynchronized read of map 'items' (g_hash_table_size) can race with a write in thread 'worker'; no lock is held [mapsafe-unsynchronized-read]
// GTIDY-COUNT-4: graph-output.c:{{[0-9]+}}:{{[0-9]+}}: note: {{.*}}
// GTIDY-NEXT: graph-output.c:[[L_g_claim]]:3: warning: 'sessions' is accessed with 'sessions_lock' held in 3 of 4 functions; this write (g_hash_table_insert) does not hold it [mapsafe-inconsistent-locking]
// GTIDY-NEXT: graph-output.c:[[L_g_open]]:3: note: 'sessions_lock' is held here
// GTIDY-NEXT: graph-output.c:[[L_g_close]]:3: note: 'sessions_lock' is held here
// GTIDY-NEXT: graph-output.c:[[L_g_count]]:13: note: 'sessions_lock' is held here
// GTIDY-NEXT: graph-output.c:[[L_g_claim_fn]]:6: note: 'session_claim' has external linkage: any thread may call it

// The guard of 'sessions': held in 3 of the 4 functions, at 5 of the weight
// of 7 (writes weigh 2), where each of the three takes it.
// GJSON:       "name": "sessions",
// GJSON:       "guards": [
// GJSON:        "lock_name": "counters_lock",
// GJSON:        "map": [[#SESSIONS:]],
// GJSON-NEXT:   "lock": [[#SLOCK:]],
// GJSON-NEXT:    "lock_name": "sessions_lock",
// GJSON-NEXT:    "verdict": "guards",
// GJSON-NEXT:    "guarded_sites": 3,
// GJSON-NEXT:    "strong_sites": 3,
// GJSON-NEXT:    "sites": 4,
// GJSON-NEXT:    "guarded_weight": 5,
// GJSON-NEXT:    "weight": 7,
// GJSON-NEXT:    "held_at": [
// GJSON-NEXT:     "{{/.*}}/graph-output.c:[[L_g_open]]:3",
// GJSON-NEXT:     "{{/.*}}/graph-output.c:[[L_g_close]]:3",
// GJSON-NEXT:     "{{/.*}}/graph-output.c:[[L_g_count]]:13"
// GJSON-NEXT:    ]
// GJSON-NEXT:   }
// GJSON-NEXT:  ]
// The unlocked insert: an entry root of its own, so single-threaded to the
// thread model, but any thread may call it, and guard inference counts it.
// GJSON:       "function": "session_claim",
// GJSON-NEXT:  "loc": "{{/.*}}/graph-output.c:[[L_g_claim]]:3",
// GJSON:        "locks": [],
// GJSON-NEXT:   "call_path": [
// GJSON-NEXT:    "session_claim"
// GJSON-NEXT:   ],
// GJSON-NEXT:   "single_threaded": true,
// GJSON-NEXT:   "sites": [
// GJSON-NEXT:    "session_claim"
// GJSON-NEXT:   ],
// GJSON-NEXT:   "any_thread_via": "session_claim"
// GJSON:       "check": "mapsafe-inconsistent-locking",
// GJSON-NEXT:  "loc": "{{/.*}}/graph-output.c:[[L_g_claim]]:3",
// GJSON-NEXT:  "other": "{{/.*}}/graph-output.c:[[L_g_open]]:3",
// GJSON-NEXT:  "map": [[#SESSIONS]],
// GJSON-NEXT:  "message": "'sessions' is accessed with 'sessions_lock' held in 3 of 4 functions; this write (g_hash_table_insert) does not hold it",
// GJSON-NEXT:  "guard": [[#SLOCK]]
// GJSON-NEXT: }

// A lock node per weighed lock, and an edge from the map to each candidate:
// dashed with the guarded functions when it guards, dotted grey otherwise.
// GDOT: [[SESSIONS:m[0-9]+]] [shape=ellipse, label="'sessions'\nGHashTable\ngchar * -> ?"];
// GDOT: [[CLOCK:l[0-9]+]] [shape=octagon, label="'counters_lock'"];
// GDOT-NEXT: [[SLOCK:l[0-9]+]] [shape=octagon, label="'sessions_lock'"];
// GDOT-NEXT: {{m[0-9]+}} -> [[CLOCK]] [style=dotted, label="too-few (1/1)", color=gray40, fontcolor=gray40];
// GDOT-NEXT: [[SESSIONS]] -> [[SLOCK]] [style=dashed, label="guards (3/4)"];
// GDOT: -> [[SESSIONS]] [label="g_hash_table_insert :[[L_g_open]] ['sessions_lock'] (any thread)"];
// GDOT: -> [[SESSIONS]] [label="g_hash_table_insert :[[L_g_claim]] (any thread)", color=red, fontcolor=red];
