// Annotations.  A map declared guarded with guarded_by / pt_guarded_by is
// checked at every access, whatever the counts (T13).  An exported helper
// is entered from elsewhere holding nothing, unless requires_capability
// says its callers hold the lock (T10), or every call of it the file makes
// holds it (the `_locked`/`_nl` convention: entered from elsewhere, it is
// taken to be called so too).  Buggy twin: one caller does not hold it.
// Fixed twin: the helper is annotated, the unlocked reader locks.
// RUN: %mapsafe_check %s -- %glib_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -DFIXED
// FIXED-NOT: warning:

#include <glib.h>

static GMutex names_lock;
static GHashTable *names __attribute__((guarded_by(names_lock)));

struct server {
  GMutex lock;
  GHashTable *sessions __attribute__((pt_guarded_by(lock)));
};

void names_add(const char *n) {
  g_mutex_lock(&names_lock);
  g_hash_table_add(names, (gpointer)n); // L:names_add
  g_mutex_unlock(&names_lock);
}

gboolean names_has(const char *n) { // L:has_fn
#ifdef FIXED
  g_mutex_lock(&names_lock);
#endif
  gboolean r = g_hash_table_contains(names, n); // L:has
#ifdef FIXED
  g_mutex_unlock(&names_lock);
#endif
  return r;
}

#ifdef FIXED
void server_drop_locked(struct server *s, const char *id) __attribute__((requires_capability(s->lock)));
#endif

void server_drop_locked(struct server *s, const char *id) { // L:drop_fn
  g_hash_table_remove(s->sessions, id); // L:drop
}

void server_logout(struct server *s, const char *id) {
  g_mutex_lock(&s->lock); // L:logout_lock
  server_drop_locked(s, id);
  g_mutex_unlock(&s->lock);
}

void server_expire(struct server *s, const char *id) {
  g_mutex_lock(&s->lock);
  server_drop_locked(s, id);
  g_mutex_unlock(&s->lock);
}

#ifndef FIXED
void server_purge(struct server *s, const char *id) {
  server_drop_locked(s, id); /* without the lock */ // L:purge_call
}
#endif

// CHECK: guard-annotations.c:[[L_has]]:16: warning: 'names' is declared to be guarded by 'names_lock'; this read (g_hash_table_contains) does not hold it [mapsafe-inconsistent-locking]
// CHECK-NEXT: guard-annotations.c:[[L_names_add]]:3: note: 'names_lock' is held here
// CHECK-NEXT: guard-annotations.c:[[L_has_fn]]:10: note: 'names_has' has external linkage: any thread may call it
// CHECK-NEXT: guard-annotations.c:[[L_drop]]:3: warning: 'struct server.sessions' is declared to be guarded by 'struct server.lock'; this write (g_hash_table_remove) does not hold it [mapsafe-inconsistent-locking]
// CHECK-NEXT: guard-annotations.c:[[L_drop_fn]]:6: note: 'server_drop_locked' has external linkage: any thread may call it
// CHECK-NEXT: guard-annotations.c:[[L_purge_call]]:3: note: 'server_drop_locked' is called from 'server_purge' here
