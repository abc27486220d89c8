// A struct on a function's stack (or a fresh allocation held in a local)
// whose address never leaves the call is owned by each call: the maps in its
// fields are new in every call, whichever threads make the calls.  Here the
// main thread and two refresh threads each resolve a calendar with their own
// ResolveData, through init, add and clear helpers that store their
// parameter nowhere (evolution-data-server's ResolveTzidData shape): silent,
// on the stack and on the heap (freed at the end).  Reported when the
// address is stored in a global (PUBLISH), by a helper (KEEPS), or handed to
// a function mapsafe cannot see into (UNKNOWN, unless a rule says it keeps
// nothing: `parameters: [{function: log_resolve, keeps: none}]`): each may keep it, so from
// there on the struct is treated as one shared by every call.  What the call
// did before (resolve_init, before PUBLISH and UNKNOWN) is its own: setting
// up what nobody else can reach yet.  The graph says whose the map is.
// RUN: %mapsafe_check %s --prefix=OWNED -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=OWNED -- %glib_cflags -pthread -DHEAP
// RUN: %mapsafe_check %s --prefix=PUBLISHED -- %glib_cflags -pthread -DPUBLISH
// RUN: %mapsafe_check %s --prefix=PUBLISHED -- %glib_cflags -pthread -DUNKNOWN
// RUN: %mapsafe_check %s --prefix=SHARED -- %glib_cflags -pthread -DKEEPS
// A rule saying the unknown function keeps none of its arguments: owned.
// RUN: %mapsafe_check %s --prefix=OWNED --config="{CheckOptions: {mapsafe.RulesFiles: '%S/Inputs/keeps-none.yaml'}}" -- %glib_cflags -pthread -DUNKNOWN
// RUN: rm -rf %t && mkdir -p %t && cd %S
// RUN: %clang_tidy -checks='-*,mapsafe-*' --config="{CheckOptions: {mapsafe.GraphDir: '%t'}}" %s -- %glib_cflags -pthread
// RUN: FileCheck %s --check-prefix=GRAPH --input-file=%t/per-call-struct.c.mapsafe.json
// The facts say which locals are owned, and read back the same; the engine
// over them alone finds nothing either.
// RUN: %clang_tidy -checks='-*,mapsafe-*' --config="{CheckOptions: {mapsafe.FactsDir: '%t'}}" %s -- %glib_cflags -pthread
// RUN: grep -c '"owned": true' %t/per-call-struct.c.facts.json | FileCheck %s --check-prefix=OWNED-FACTS
// RUN: %mapsafe_facts --emit=facts %t/per-call-struct.c.facts.json | diff %t/per-call-struct.c.facts.json -
// RUN: %mapsafe_facts %t/per-call-struct.c.facts.json | count 0

#include <glib.h>
#include <pthread.h>

typedef struct {
  GHashTable *zones;
  int count;
} ResolveData;

#ifdef PUBLISH
static ResolveData *last_resolve;
#endif
#ifdef UNKNOWN
void log_resolve(ResolveData *d); /* defined elsewhere: may keep d */
#endif
#ifdef KEEPS
static ResolveData *kept;
#endif

static void resolve_init(ResolveData *d) {
  d->zones = g_hash_table_new(g_str_hash, g_str_equal); // L:new
  d->count = 0;
#ifdef KEEPS
  kept = d; /* a helper that keeps its parameter */
#endif
}

static void resolve_add(ResolveData *d, const char *tz) {
  g_hash_table_add(d->zones, (gpointer)tz); // L:add
  d->count++;
}

static void resolve_clear(ResolveData *d) {
  g_hash_table_destroy(d->zones); // L:destroy
  d->zones = NULL; // L:null
}

static int resolve_calendar(const char *tz) {
#ifdef HEAP
  ResolveData *d = g_new0(ResolveData, 1);
  resolve_init(d);
  resolve_add(d, tz);
  int n = d->count;
  resolve_clear(d);
  g_free(d);
  return n;
#else
  ResolveData rtd;
  resolve_init(&rtd);
#ifdef PUBLISH
  last_resolve = &rtd;
#endif
#ifdef UNKNOWN
  log_resolve(&rtd);
#endif
  resolve_add(&rtd, tz); // L:call_add
  int n = rtd.count;
  resolve_clear(&rtd); // L:call_clear
  return n;
#endif
}

static void *refresh(void *arg) {
  resolve_calendar(arg); // L:call_refresh
  return NULL;
}

int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, refresh, "UTC"); // L:spawn
  resolve_calendar("CET"); // L:call_main
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  return 0;
}

// After the helper that keeps it, the struct is shared from its creation on.
// SHARED: per-call-struct.c:[[L_add]]:3: warning: unsynchronized write to map 'ResolveData.zones' (g_hash_table_add) can race with a write in thread 'refresh'; no lock is held [mapsafe-unsynchronized-write]
// SHARED-NEXT: per-call-struct.c:[[L_add]]:3: note: conflicting write (g_hash_table_add) in thread 'refresh'
// SHARED-NEXT: per-call-struct.c:[[L_spawn]]:5: note: thread 'refresh' is started here by the main thread, with many instances running at once
// SHARED-NEXT: per-call-struct.c:[[L_call_main]]:3: note: 'resolve_calendar' is called from 'main' here
// SHARED-NEXT: per-call-struct.c:[[L_call_add]]:3: note: 'resolve_add' is called from 'resolve_calendar' here
// SHARED-NEXT: per-call-struct.c:[[L_call_refresh]]:3: note: 'resolve_calendar' is called from 'refresh' here
// SHARED-NEXT: per-call-struct.c:[[L_call_add]]:3: note: 'resolve_add' is called from 'resolve_calendar' here
// SHARED-NEXT: per-call-struct.c:[[L_new]]:14: note: 'ResolveData.zones' is created here: a GHashTable with string keys
// SHARED: per-call-struct.c:[[L_destroy]]:3: warning: unsynchronized write to map 'ResolveData.zones' (g_hash_table_destroy) can race with a write in thread 'refresh'; no lock is held [mapsafe-unsynchronized-write]
// SHARED-NEXT: per-call-struct.c:[[L_add]]:3: note: conflicting write (g_hash_table_add) in thread 'refresh'
// SHARED-NEXT: per-call-struct.c:[[L_spawn]]:5: note: thread 'refresh' is started here by the main thread, with many instances running at once
// SHARED-NEXT: per-call-struct.c:[[L_call_main]]:3: note: 'resolve_calendar' is called from 'main' here
// SHARED-NEXT: per-call-struct.c:[[L_call_clear]]:3: note: 'resolve_clear' is called from 'resolve_calendar' here
// SHARED-NEXT: per-call-struct.c:[[L_call_refresh]]:3: note: 'resolve_calendar' is called from 'refresh' here
// SHARED-NEXT: per-call-struct.c:[[L_call_add]]:3: note: 'resolve_add' is called from 'resolve_calendar' here
// SHARED-NEXT: per-call-struct.c:[[L_new]]:14: note: 'ResolveData.zones' is created here: a GHashTable with string keys
// SHARED: per-call-struct.c:[[L_null]]:3: warning: unsynchronized write to map 'ResolveData.zones' (= NULL) can race with a write in thread 'refresh'; no lock is held [mapsafe-unsynchronized-write]
// SHARED-NEXT: per-call-struct.c:[[L_add]]:3: note: conflicting write (g_hash_table_add) in thread 'refresh'
// SHARED-NEXT: per-call-struct.c:[[L_spawn]]:5: note: thread 'refresh' is started here by the main thread, with many instances running at once
// SHARED-NEXT: per-call-struct.c:[[L_call_main]]:3: note: 'resolve_calendar' is called from 'main' here
// SHARED-NEXT: per-call-struct.c:[[L_call_clear]]:3: note: 'resolve_clear' is called from 'resolve_calendar' here
// SHARED-NEXT: per-call-struct.c:[[L_call_refresh]]:3: note: 'resolve_calendar' is called from 'refresh' here
// SHARED-NEXT: per-call-struct.c:[[L_call_add]]:3: note: 'resolve_add' is called from 'resolve_calendar' here
// SHARED-NEXT: per-call-struct.c:[[L_new]]:14: note: 'ResolveData.zones' is created here: a GHashTable with string keys

// Published after resolve_init: the map it created then was the call's own.
// PUBLISHED: per-call-struct.c:[[L_add]]:3: warning: unsynchronized write to map 'ResolveData.zones' (g_hash_table_add) can race with a write in thread 'refresh'; no lock is held [mapsafe-unsynchronized-write]
// PUBLISHED-NEXT: per-call-struct.c:[[L_add]]:3: note: conflicting write (g_hash_table_add) in thread 'refresh'
// PUBLISHED-NEXT: per-call-struct.c:[[L_spawn]]:5: note: thread 'refresh' is started here by the main thread, with many instances running at once
// PUBLISHED-NEXT: per-call-struct.c:[[L_call_main]]:3: note: 'resolve_calendar' is called from 'main' here
// PUBLISHED-NEXT: per-call-struct.c:[[L_call_add]]:3: note: 'resolve_add' is called from 'resolve_calendar' here
// PUBLISHED-NEXT: per-call-struct.c:[[L_call_refresh]]:3: note: 'resolve_calendar' is called from 'refresh' here
// PUBLISHED-NEXT: per-call-struct.c:[[L_call_add]]:3: note: 'resolve_add' is called from 'resolve_calendar' here
// PUBLISHED: per-call-struct.c:[[L_destroy]]:3: warning: unsynchronized write to map 'ResolveData.zones' (g_hash_table_destroy) can race with a write in thread 'refresh'; no lock is held [mapsafe-unsynchronized-write]
// PUBLISHED-NEXT: per-call-struct.c:[[L_add]]:3: note: conflicting write (g_hash_table_add) in thread 'refresh'
// PUBLISHED-NEXT: per-call-struct.c:[[L_spawn]]:5: note: thread 'refresh' is started here by the main thread, with many instances running at once
// PUBLISHED-NEXT: per-call-struct.c:[[L_call_main]]:3: note: 'resolve_calendar' is called from 'main' here
// PUBLISHED-NEXT: per-call-struct.c:[[L_call_clear]]:3: note: 'resolve_clear' is called from 'resolve_calendar' here
// PUBLISHED-NEXT: per-call-struct.c:[[L_call_refresh]]:3: note: 'resolve_calendar' is called from 'refresh' here
// PUBLISHED-NEXT: per-call-struct.c:[[L_call_add]]:3: note: 'resolve_add' is called from 'resolve_calendar' here
// PUBLISHED: per-call-struct.c:[[L_null]]:3: warning: unsynchronized write to map 'ResolveData.zones' (= NULL) can race with a write in thread 'refresh'; no lock is held [mapsafe-unsynchronized-write]
// PUBLISHED-NEXT: per-call-struct.c:[[L_add]]:3: note: conflicting write (g_hash_table_add) in thread 'refresh'
// PUBLISHED-NEXT: per-call-struct.c:[[L_spawn]]:5: note: thread 'refresh' is started here by the main thread, with many instances running at once
// PUBLISHED-NEXT: per-call-struct.c:[[L_call_main]]:3: note: 'resolve_calendar' is called from 'main' here
// PUBLISHED-NEXT: per-call-struct.c:[[L_call_clear]]:3: note: 'resolve_clear' is called from 'resolve_calendar' here
// PUBLISHED-NEXT: per-call-struct.c:[[L_call_refresh]]:3: note: 'resolve_calendar' is called from 'refresh' here
// PUBLISHED-NEXT: per-call-struct.c:[[L_call_add]]:3: note: 'resolve_add' is called from 'resolve_calendar' here

// The stack struct of each call: the map is local, of each call of resolve_calendar.
// OWNED-FACTS: {{[1-9][0-9]*}}

// GRAPH: "name": "rtd.zones",
// GRAPH-NEXT: "kind": "local",
// GRAPH-NEXT: "owned_by_each_call_of": "resolve_calendar",
