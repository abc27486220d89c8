// A library's API, with no thread in sight: every function has external
// linkage, so any thread may call it.  The lock held around the table at the
// other functions guards it; the claim below checks under the lock and then
// inserts after the unlock (T1), and a static helper is called by two
// functions that lock and one that does not (T9).  Fixed twin: the insert
// stays inside the lock and every caller of the helper locks.
// RUN: %mapsafe_check %s -- %glib_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -DFIXED
// Tier B off: functions with external linkage are not assumed to run at once.
// RUN: %mapsafe_check %s --prefix=FIXED --config="{CheckOptions: {mapsafe.ConcurrentExternalFunctions: false}}" -- %glib_cflags

#include <glib.h>

static GHashTable *sessions;
static GMutex sessions_lock;

void session_add(const char *id, gpointer s) {
  g_mutex_lock(&sessions_lock);
  g_hash_table_insert(sessions, g_strdup(id), s); // L:add
  g_mutex_unlock(&sessions_lock);
}

gpointer session_find(const char *id) {
  g_mutex_lock(&sessions_lock);
  gpointer s = g_hash_table_lookup(sessions, id); // L:find
  g_mutex_unlock(&sessions_lock);
  return s;
}

void session_claim(const char *id, gpointer s) { // L:claim
  g_mutex_lock(&sessions_lock);
  gboolean known = g_hash_table_contains(sessions, id); // L:contains
#ifdef FIXED
  if (!known)
    g_hash_table_insert(sessions, g_strdup(id), s);
  g_mutex_unlock(&sessions_lock);
#else
  g_mutex_unlock(&sessions_lock);
  if (!known)
    g_hash_table_insert(sessions, g_strdup(id), s); // L:late
  // CHECK: guard-library-api.c:[[L_late]]:5: warning: 'sessions' is accessed with 'sessions_lock' held in 5 of 6 functions; this write (g_hash_table_insert) does not hold it [mapsafe-inconsistent-locking]
  // CHECK-NEXT: guard-library-api.c:[[L_add]]:3: note: 'sessions_lock' is held here
  // CHECK-NEXT: guard-library-api.c:[[L_find]]:16: note: 'sessions_lock' is held here
  // CHECK-NEXT: guard-library-api.c:[[L_contains]]:20: note: 'sessions_lock' is held here
  // CHECK-NEXT: guard-library-api.c:[[L_claim]]:6: note: 'session_claim' has external linkage: any thread may call it
#endif
}

static void drop(const char *id) {
  g_hash_table_remove(sessions, id); // L:remove
  // CHECK: guard-library-api.c:[[L_remove]]:3: warning: 'sessions' is accessed with 'sessions_lock' held in 5 of 6 functions; this write (g_hash_table_remove) does not hold it [mapsafe-inconsistent-locking]
  // CHECK-NEXT: guard-library-api.c:[[L_add]]:3: note: 'sessions_lock' is held here
  // CHECK-NEXT: guard-library-api.c:[[L_find]]:16: note: 'sessions_lock' is held here
  // CHECK-NEXT: guard-library-api.c:[[L_contains]]:20: note: 'sessions_lock' is held here
  // CHECK-NEXT: guard-library-api.c:[[L_expire]]:6: note: 'session_expire' has external linkage: any thread may call it
  // CHECK-NEXT: guard-library-api.c:[[L_call]]:3: note: 'drop' is called from 'session_expire' here
}

void session_end(const char *id) {
  g_mutex_lock(&sessions_lock);
  drop(id);
  g_mutex_unlock(&sessions_lock);
}

void session_logout(const char *id) {
  g_mutex_lock(&sessions_lock);
  drop(id);
  g_mutex_unlock(&sessions_lock);
}

void session_expire(const char *id) { // L:expire
#ifdef FIXED
  g_mutex_lock(&sessions_lock);
#endif
  drop(id); // L:call
#ifdef FIXED
  g_mutex_unlock(&sessions_lock);
#endif
}
