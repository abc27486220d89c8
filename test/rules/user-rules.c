// A rule file given with mapsafe.RulesFiles teaches mapsafe a project's own
// hash table and lock API (Inputs/my_table.h, Inputs/rules/my_table.yaml):
// races on it are then reported like GLib's, and its lock protects.  Without
// the file, only the GLib race is found.
//
// RUN: %mapsafe_check %s --prefix=RULES \
// RUN:   --config="{CheckOptions: {mapsafe.RulesFiles: '%S/Inputs/rules/my_table.yaml'}}" \
// RUN:   -- %glib_cflags -pthread -I%S/Inputs
// The graph names the rule file's library and its key type (from the hash
// function given to my_table_new).
// RUN: rm -rf %t && cd %S && %clang_tidy -checks='-*,mapsafe-*' \
// RUN:   --config="{CheckOptions: {mapsafe.RulesFiles: '%S/Inputs/rules/my_table.yaml', mapsafe.GraphDir: '%t'}}" \
// RUN:   %s -- %glib_cflags -pthread -I%S/Inputs > /dev/null
// RUN: FileCheck %s --check-prefix=GRAPH --input-file=%t/user-rules.c.mapsafe.json
// RUN: %mapsafe_check %s --prefix=BUILTIN -- %glib_cflags -pthread -I%S/Inputs
// The fixed twin takes the project's lock around the racy put.
// RUN: %mapsafe_check %s --prefix=FIXED \
// RUN:   --config="{CheckOptions: {mapsafe.RulesFiles: '%S/Inputs/rules/my_table.yaml'}}" \
// RUN:   -- %glib_cflags -pthread -I%S/Inputs -DFIXED
// Several files (';' or ',' separated), later ones win: far-index.yaml
// redeclares my_table_get/put with argument indexes past the end of the
// calls; that must not crash, and those calls then name no map.
// RUN: %mapsafe_check %s --prefix=FAR \
// RUN:   --config="{CheckOptions: {mapsafe.RulesFiles: '%S/Inputs/rules/my_table.yaml;%S/Inputs/rules/far-index.yaml'}}" \
// RUN:   -- %glib_cflags -pthread -I%S/Inputs

#include <glib.h>
#include <pthread.h>
#include "my_table.h"

static my_table *names;        /* the project's table */
static my_lock *names_lock;
static GHashTable *seen;       /* a GLib one */

static void *worker(void *arg) {
#ifdef FIXED
  my_lock_take(names_lock);
#endif
  my_table_put(names, arg, arg); // L:put
#ifdef FIXED
  my_lock_drop(names_lock);
#endif
  g_hash_table_add(seen, arg); // L:add
  return NULL;
}

static void *reader(void *arg) {
  my_lock_take(names_lock); // L:take
  void *v = my_table_get(names, arg); // L:get
  my_lock_drop(names_lock);
  return v;
}

int main(void) {
  pthread_t th[4], r;
  names = my_table_new(my_str_hash); // L:new_names
  seen = g_hash_table_new(g_str_hash, g_str_equal); // L:new_seen
  for (int i = 0; i < 4; i++)
    pthread_create(&th[i], NULL, worker, "name"); // L:spawn
  pthread_create(&r, NULL, reader, "name"); // L:spawn_reader
  for (int i = 0; i < 4; i++)
    pthread_join(th[i], NULL);
  pthread_join(r, NULL);
  my_table_free(names);
  g_hash_table_destroy(seen);
  return 0;
}

// RULES:      user-rules.c:[[L_put]]:3: warning: unsynchronized write to map 'names' (my_table_put) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// RULES-NEXT: user-rules.c:[[L_put]]:3: note: the same write (my_table_put) runs concurrently in another instance of thread 'worker'
// RULES-NEXT: user-rules.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// RULES-NEXT: user-rules.c:[[L_new_names]]:11: note: 'names' is created here: a MyTable with string keys
// RULES-NEXT: user-rules.c:[[L_add]]:3: warning: unsynchronized write to map 'seen' (g_hash_table_add) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// RULES-NEXT: user-rules.c:[[L_add]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'worker'
// RULES-NEXT: user-rules.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// RULES-NEXT: user-rules.c:[[L_new_seen]]:10: note: 'seen' is created here: a GHashTable with string keys

// GRAPH:      "maps": [
// GRAPH-NEXT:   {
// GRAPH-NEXT:    "id": {{[0-9]+}},
// GRAPH-NEXT:    "name": "names",
// GRAPH-NEXT:    "kind": "global",
// GRAPH-NEXT:    "library": "MyTable",
// GRAPH-NEXT:    "key_type": "string",
// GRAPH-NEXT:    "value_type": null
// GRAPH-NEXT:   },
// GRAPH-NEXT:   {
// GRAPH-NEXT:    "id": {{[0-9]+}},
// GRAPH-NEXT:    "name": "seen",
// GRAPH-NEXT:    "kind": "global",
// GRAPH-NEXT:    "library": "GHashTable",
// GRAPH:      "locks": [
// GRAPH-NEXT:   {
// GRAPH-NEXT:    "id": {{[0-9]+}},
// GRAPH-NEXT:    "name": "names_lock",

// BUILTIN:      user-rules.c:[[L_add]]:3: warning: unsynchronized write to map 'seen' (g_hash_table_add) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// BUILTIN-NEXT: user-rules.c:[[L_add]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'worker'
// BUILTIN-NEXT: user-rules.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// BUILTIN-NEXT: user-rules.c:[[L_new_seen]]:10: note: 'seen' is created here: a GHashTable with string keys

// FIXED:      user-rules.c:[[L_add]]:3: warning: unsynchronized write to map 'seen' (g_hash_table_add) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// FIXED-NEXT: user-rules.c:[[L_add]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'worker'
// FIXED-NEXT: user-rules.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// FIXED-NEXT: user-rules.c:[[L_new_seen]]:10: note: 'seen' is created here: a GHashTable with string keys

// FAR:      user-rules.c:[[L_add]]:3: warning: unsynchronized write to map 'seen' (g_hash_table_add) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// FAR-NEXT: user-rules.c:[[L_add]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'worker'
// FAR-NEXT: user-rules.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// FAR-NEXT: user-rules.c:[[L_new_seen]]:10: note: 'seen' is created here: a GHashTable with string keys
