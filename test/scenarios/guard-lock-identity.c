// Which lock is the guard.  A room's lock guards its own table: taking
// another room's lock around this room's table is no guard (T8, prefix
// CHECK; fixed: the same room's lock).  Two locks, each held at two
// functions around one map: the map is accessed under different locks (T7,
// prefix TWO; fixed: one lock everywhere).
// RUN: %mapsafe_check %s -- %glib_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -DFIXED
// RUN: %mapsafe_check %s --prefix=TWO -- %glib_cflags -DTWO
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -DTWO -DFIXED
// FIXED-NOT: warning:

#include <glib.h>

struct room {
  GMutex lock;
  GHashTable *members;
};

void room_join(struct room *r, const char *who) {
  g_mutex_lock(&r->lock);
  g_hash_table_add(r->members, g_strdup(who)); // L:join
  g_mutex_unlock(&r->lock);
}

void room_leave(struct room *r, const char *who) {
  g_mutex_lock(&r->lock);
  g_hash_table_remove(r->members, who); // L:leave
  g_mutex_unlock(&r->lock);
}

#ifndef TWO
void room_move(struct room *from, struct room *to, const char *who) { // L:move_fn
#ifdef FIXED
  g_mutex_lock(&to->lock);
#else
  g_mutex_lock(&from->lock);
#endif
  g_hash_table_add(to->members, g_strdup(who)); // L:move
#ifdef FIXED
  g_mutex_unlock(&to->lock);
#else
  g_mutex_unlock(&from->lock);
#endif
}
#endif

#ifdef TWO
static GHashTable *routes;
static GMutex routes_lock, admin_lock;

void route_add(const char *k, gpointer v) {
  g_mutex_lock(&routes_lock);
  g_hash_table_insert(routes, (gpointer)k, v); // L:add
  g_mutex_unlock(&routes_lock);
}

void route_del(const char *k) {
  g_mutex_lock(&routes_lock);
  g_hash_table_remove(routes, k); // L:del
  g_mutex_unlock(&routes_lock);
}

#ifdef FIXED
#define ADMIN_LOCK routes_lock
#else
#define ADMIN_LOCK admin_lock
#endif

void admin_reset(void) { // L:reset_fn
  g_mutex_lock(&ADMIN_LOCK);
  g_hash_table_remove_all(routes); // L:reset
  g_mutex_unlock(&ADMIN_LOCK);
}

void admin_load(const char *k, gpointer v) { // L:load_fn
  g_mutex_lock(&ADMIN_LOCK);
  g_hash_table_replace(routes, (gpointer)k, v); // L:load
  g_mutex_unlock(&ADMIN_LOCK);
}
#endif

// CHECK: guard-lock-identity.c:[[L_move]]:3: warning: 'struct room.members' is accessed with 'struct room.lock' held in 2 of 3 functions; this write (g_hash_table_add) does not hold it [mapsafe-inconsistent-locking]
// CHECK-NEXT: guard-lock-identity.c:[[L_join]]:3: note: 'struct room.lock' is held here
// CHECK-NEXT: guard-lock-identity.c:[[L_leave]]:3: note: 'struct room.lock' is held here
// CHECK-NEXT: guard-lock-identity.c:[[L_move_fn]]:6: note: 'room_move' has external linkage: any thread may call it
// TWO: guard-lock-identity.c:[[L_reset]]:3: warning: 'routes' is accessed under different locks: 'routes_lock' in 2 functions, 'admin_lock' in 2; this write (g_hash_table_remove_all) holds only 'admin_lock' [mapsafe-inconsistent-locking]
// TWO-NEXT: guard-lock-identity.c:[[L_add]]:3: note: 'routes_lock' is held here
// TWO-NEXT: guard-lock-identity.c:[[L_del]]:3: note: 'routes_lock' is held here
// TWO-NEXT: guard-lock-identity.c:[[L_reset_fn]]:6: note: 'admin_reset' has external linkage: any thread may call it
// TWO-NEXT: guard-lock-identity.c:[[L_load]]:3: warning: 'routes' is accessed under different locks: 'routes_lock' in 2 functions, 'admin_lock' in 2; this write (g_hash_table_replace) holds only 'admin_lock' [mapsafe-inconsistent-locking]
// TWO-NEXT: guard-lock-identity.c:[[L_add]]:3: note: 'routes_lock' is held here
// TWO-NEXT: guard-lock-identity.c:[[L_del]]:3: note: 'routes_lock' is held here
// TWO-NEXT: guard-lock-identity.c:[[L_load_fn]]:6: note: 'admin_load' has external linkage: any thread may call it
