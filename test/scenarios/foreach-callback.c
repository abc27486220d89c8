// A g_hash_table_foreach callback runs in the thread that calls foreach,
// with the user_data it was given: here a second table the workers fill.
// The buggy twin fills it without a lock, the fixed twin holds the lock
// around the foreach.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

static GHashTable *users;  /* read-only after start-up */
static GHashTable *active; /* filled by every worker, under active_lock */
static pthread_mutex_t active_lock = PTHREAD_MUTEX_INITIALIZER;

static void mark_active(gpointer key, gpointer value, gpointer user_data) {
  GHashTable *into = user_data;
  (void)value;
  g_hash_table_add(into, key); // L:add
  // CHECK: foreach-callback.c:[[L_add]]:3: warning: unsynchronized write to map 'active' (g_hash_table_add) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: foreach-callback.c:[[L_add]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'worker'
  // CHECK-NEXT: foreach-callback.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: foreach-callback.c:[[L_foreach]]:3: note: 'mark_active' is called from 'worker' here
  // CHECK-NEXT: foreach-callback.c:[[L_new_active]]:12: note: 'active' is created here: a GHashTable with string keys
}

static void *worker(void *arg) {
  (void)arg;
#ifdef FIXED
  pthread_mutex_lock(&active_lock);
#endif
  g_hash_table_foreach(users, mark_active, active); // L:foreach
#ifdef FIXED
  pthread_mutex_unlock(&active_lock);
#endif
  return NULL;
}

int main(void) {
  pthread_t t[4];
  users = g_hash_table_new(g_str_hash, g_str_equal);
  active = g_hash_table_new(g_str_hash, g_str_equal); // L:new_active
  g_hash_table_add(users, "alice");
  for (int i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, worker, NULL); // L:spawn
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
  return 0;
}
