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

/// Called for each row of a query: `values[i]` holds `lengths[i]` bytes, or `nulls[i]` is set.
/// The buffers are reused for the next row: copy what is kept.
typedef void (*porter_sql_row)(void *context, unsigned columns, unsigned char *const *values,
                               const unsigned long *lengths, const int *nulls);

/// Runs `sql` as a prepared statement with `count` parameters, each bound as bytes (so a session
/// id or value is never part of the SQL text). With `columns` > 0, `on_row` gets every row's
/// first `columns` columns, and the rows found are returned; with 0, the rows affected. -1 with
/// `error` set on failure.
long porter_sql_query(porter_sql *connection, const char *sql, unsigned count, const unsigned char *const *params,
                      const unsigned long *lengths, unsigned columns, porter_sql_row on_row, void *context,
                      char *error, size_t error_size);

#endif
