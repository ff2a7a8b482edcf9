#ifndef PORTER_SQL_H
#define PORTER_SQL_H
#include <stddef.h>

/// One MariaDB/MySQL connection (libmariadb's MYSQL), used by one thread at a time.
typedef struct porter_sql porter_sql;

/// Connects over `socket` when given, else `host`:`port`; `timeout_seconds` bounds connect, read
/// and write. Returns NULL with the reason in `error` on failure.
porter_sql *porter_sql_connect(const char *host, unsigned port, const char *socket, const char *user,
                               const char *password, const char *database, unsigned timeout_seconds,
                               char *error, size_t error_size);

void porter_sql_close(porter_sql *connection);

/// Runs `sql` as a prepared statement with `count` parameters, each bound as bytes (so a session
/// id or value is never part of the SQL text). With `columns` > 0, the first row's columns are
/// copied into buffers the caller frees (`out_values[i]`, `out_lengths[i]`, `out_null[i]`).
/// Returns the rows found (a SELECT: 0 or 1), or the rows affected, or -1 with `error` set.
long porter_sql_run(porter_sql *connection, const char *sql, unsigned count, const unsigned char *const *params,
                    const unsigned long *lengths, unsigned columns, unsigned char **out_values,
                    unsigned long *out_lengths, int *out_null, char *error, size_t error_size);

#endif
