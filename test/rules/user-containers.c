// A thread-safe container (its operations lock inside: `synchronized`) is
// never part of a race, and a lookup that returns its object with the
// object's lock held (`lock: return`, `field: lock`) protects what follows
// until that lock is released.  The buggy twin writes a connection's
// headers through a plain lookup; the fixed twin through the locked one.
// Without the rule file the registry calls are unknown and nothing is
// held: the headers race is reported in both twins.
//
// RUN: %mapsafe_check %s \
// RUN:   --config="{CheckOptions: {mapsafe.RulesFiles: '%S/Inputs/rules/registry.yaml'}}" \
// RUN:   -- %glib_cflags -pthread -I%S/Inputs
// RUN: %mapsafe_check %s --prefix=FIXED \
// RUN:   --config="{CheckOptions: {mapsafe.RulesFiles: '%S/Inputs/rules/registry.yaml'}}" \
// RUN:   -- %glib_cflags -pthread -I%S/Inputs -DFIXED
// RUN: %mapsafe_check %s --prefix=NORULES -- %glib_cflags -pthread -I%S/Inputs -DFIXED

#include "registry.h"

static struct registry *conns;

static void *worker(void *arg) {
  int id = GPOINTER_TO_INT(arg);
  registry_add(conns, id, NULL);
#ifdef FIXED
  struct conn *c = registry_lookup_locked(conns, id);
#else
  struct conn *c = registry_find(conns, id);
#endif
  if (!c)
    return NULL;
  g_hash_table_insert(c->headers, "x-seen", "1"); // L:insert
  pthread_mutex_unlock(&c->lock);
  return NULL;
}

int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, worker, GINT_TO_POINTER(i)); // L:spawn
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  return 0;
}

// CHECK: user-containers.c:[[L_insert]]:3: warning: unsynchronized write to map 'struct conn.headers' (g_hash_table_insert) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: user-containers.c:[[L_insert]]:3: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'worker'
// CHECK-NEXT: user-containers.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once

// NORULES: user-containers.c:[[L_insert]]:3: warning: unsynchronized write to map 'struct conn.headers' (g_hash_table_insert) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// NORULES-NEXT: user-containers.c:[[L_insert]]:3: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'worker'
// NORULES-NEXT: user-containers.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
