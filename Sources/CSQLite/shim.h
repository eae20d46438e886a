#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: these wrappers fix the arguments.
/// Turning memory statistics off removes a global mutex from every SQLite allocation.
static inline int csqlite_disable_memstatus(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
