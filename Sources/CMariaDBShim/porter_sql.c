#include "porter_sql.h"

#include <mysql.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct porter_sql {
    MYSQL *mysql;
};

static pthread_once_t library_once = PTHREAD_ONCE_INIT;
static void library_init(void) { mysql_library_init(0, NULL, NULL); }

static void set_error(char *error, size_t size, const char *what, const char *detail) {
    if (error && size) snprintf(error, size, "%s: %s", what, detail ? detail : "unknown error");
}

porter_sql *porter_sql_connect(const char *host, unsigned port, const char *socket, const char *user,
                               const char *password, const char *database, unsigned timeout_seconds,
                               char *error, size_t error_size) {
    pthread_once(&library_once, library_init);
    MYSQL *mysql = mysql_init(NULL);
    if (!mysql) {
        set_error(error, error_size, "cannot start a MariaDB client", "out of memory");
        return NULL;
    }
    mysql_optionsv(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout_seconds);
    mysql_optionsv(mysql, MYSQL_OPT_READ_TIMEOUT, &timeout_seconds);
    mysql_optionsv(mysql, MYSQL_OPT_WRITE_TIMEOUT, &timeout_seconds);
    // Found rows, not changed rows: a touch within the same second still says the session was there.
    if (!mysql_real_connect(mysql, socket ? NULL : host, user, password, database, socket ? 0 : port, socket,
                            CLIENT_FOUND_ROWS)) {
        set_error(error, error_size, "cannot connect to MariaDB", mysql_error(mysql));
        mysql_close(mysql);
        return NULL;
    }
    porter_sql *connection = calloc(1, sizeof(porter_sql));
    connection->mysql = mysql;
    return connection;
}

void porter_sql_close(porter_sql *connection) {
    if (!connection) return;
    mysql_close(connection->mysql);
    free(connection);
}

long porter_sql_query(porter_sql *connection, const char *sql, unsigned count, const unsigned char *const *params,
                      const unsigned long *lengths, unsigned columns, porter_sql_row on_row, void *context,
                      char *error, size_t error_size) {
    long result = -1;
    MYSQL_BIND *in = NULL, *out = NULL;
    my_bool *nulls = NULL;
    unsigned char **values = NULL;
    unsigned long *value_lengths = NULL;
    int *null_flags = NULL;
    MYSQL_STMT *statement = mysql_stmt_init(connection->mysql);
    if (!statement) {
        set_error(error, error_size, "MariaDB", mysql_error(connection->mysql));
        return -1;
    }
    if (mysql_stmt_prepare(statement, sql, strlen(sql))) goto failed;
    if (count) {
        in = calloc(count, sizeof(MYSQL_BIND));
        for (unsigned i = 0; i < count; i++) {
            in[i].buffer_type = MYSQL_TYPE_BLOB;
            in[i].buffer = (void *)params[i];
            in[i].buffer_length = lengths[i];
            in[i].length = (unsigned long *)&lengths[i];
        }
        if (mysql_stmt_bind_param(statement, in)) goto failed;
    }
    if (mysql_stmt_execute(statement)) goto failed;
    if (columns == 0) {
        result = (long)mysql_stmt_affected_rows(statement);
        goto done;
    }
    my_bool update_max = 1;
    mysql_stmt_attr_set(statement, STMT_ATTR_UPDATE_MAX_LENGTH, &update_max);
    if (mysql_stmt_store_result(statement)) goto failed;
    if (mysql_stmt_num_rows(statement) == 0) {
        result = 0;
        goto done;
    }
    MYSQL_RES *metadata = mysql_stmt_result_metadata(statement);
    if (!metadata || mysql_num_fields(metadata) < columns) {
        if (metadata) mysql_free_result(metadata);
        set_error(error, error_size, "MariaDB", "the query gave fewer columns than expected");
        goto done;
    }
    MYSQL_FIELD *fields = mysql_fetch_fields(metadata);
    out = calloc(columns, sizeof(MYSQL_BIND));
    nulls = calloc(columns, sizeof(my_bool));
    values = calloc(columns, sizeof(unsigned char *));
    value_lengths = calloc(columns, sizeof(unsigned long));
    null_flags = calloc(columns, sizeof(int));
    // Buffers as large as the longest value of each column in the whole result.
    for (unsigned i = 0; i < columns; i++) {
        unsigned long capacity = fields[i].max_length ? fields[i].max_length : 1;
        values[i] = malloc(capacity);
        out[i].buffer_type = MYSQL_TYPE_BLOB;
        out[i].buffer = values[i];
        out[i].buffer_length = capacity;
        out[i].length = &value_lengths[i];
        out[i].is_null = &nulls[i];
    }
    mysql_free_result(metadata);
    if (mysql_stmt_bind_result(statement, out)) goto failed;
    long rows = 0;
    for (;;) {
        int fetched = mysql_stmt_fetch(statement);
        if (fetched == MYSQL_NO_DATA) break;
        if (fetched == 1) goto failed;
        for (unsigned i = 0; i < columns; i++) null_flags[i] = nulls[i];
        on_row(context, columns, values, value_lengths, null_flags);
        rows++;
    }
    result = rows;
    goto done;
failed:
    set_error(error, error_size, "MariaDB", mysql_stmt_error(statement));
    result = -1;
done:
    if (values)
        for (unsigned i = 0; i < columns; i++) free(values[i]);
    free(values);
    free(value_lengths);
    free(null_flags);
    free(in);
    free(out);
    free(nulls);
    mysql_stmt_close(statement);
    return result;
}
