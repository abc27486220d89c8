// A table built in main before the threads start and then only read is
// safe (the fixed twin is silent); main inserting after the spawn races
// with the readers: both sides lack a lock, both are reported.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

static GHashTable *config;

static void load_defaults(void) {
  g_hash_table_insert(config, "port", "8080");
  g_hash_table_insert(config, "workers", "4");
}

static void *serve(void *arg) {
  const char *key = arg;
  const char *v = g_hash_table_lookup(config, key); // L:lookup
  return (void *)v;
}

int main(int argc, char **argv) {
  pthread_t t[4];
  config = g_hash_table_new(g_str_hash, g_str_equal); // L:new_config
  load_defaults();
  if (argc > 1)
    g_hash_table_insert(config, "root", argv[1]);
  for (int i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, serve, "port"); // L:spawn
#ifndef FIXED
  g_hash_table_insert(config, "started", "yes"); // L:late
  // CHECK: init-before-spawn.c:[[L_lookup]]:19: warning: unsynchronized read of map 'config' (g_hash_table_lookup) can race with a write in the main thread; no lock is held [mapsafe-unsynchronized-read]
  // CHECK-NEXT: init-before-spawn.c:[[L_late]]:3: note: conflicting write (g_hash_table_insert) in the main thread
  // CHECK-NEXT: init-before-spawn.c:[[L_spawn]]:5: note: thread 'serve' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: init-before-spawn.c:[[L_new_config]]:12: note: 'config' is created here: a GHashTable from string keys to char * values
  // CHECK: init-before-spawn.c:[[L_late]]:3: warning: unsynchronized write to map 'config' (g_hash_table_insert) can race with a read in thread 'serve'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: init-before-spawn.c:[[L_lookup]]:19: note: conflicting read (g_hash_table_lookup) in thread 'serve'
  // CHECK-NEXT: init-before-spawn.c:[[L_spawn]]:5: note: thread 'serve' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: init-before-spawn.c:[[L_new_config]]:12: note: 'config' is created here: a GHashTable from string keys to char * values
#endif
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
  g_hash_table_destroy(config);
  return 0;
}
