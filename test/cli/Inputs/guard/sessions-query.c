#include "sessions.h"
gboolean session_has(const char *id) { return g_hash_table_contains(sessions, id); }
