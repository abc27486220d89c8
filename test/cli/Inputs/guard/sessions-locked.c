#include "sessions.h"
GHashTable *sessions;
GMutex sessions_lock;
void session_add(const char *id) { g_mutex_lock(&sessions_lock); g_hash_table_add(sessions, (gpointer)id); g_mutex_unlock(&sessions_lock); }
void session_del(const char *id) { g_mutex_lock(&sessions_lock); g_hash_table_remove(sessions, id); g_mutex_unlock(&sessions_lock); }
