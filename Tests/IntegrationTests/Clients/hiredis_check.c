/* hiredis (Debian's libhiredis-dev) through Porter: session-like SET EX/GET/DEL with binary-safe
 * %b arguments, a pipeline of 5,000 commands (redisAppendCommand), MULTI/EXEC, and
 * redisReconnect after Porter restarts. Usage: hiredis_check PORT SYNC_DIR. Prints OK or exits 1. */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void check(int ok, const char *what) {
    if (!ok) { fprintf(stderr, "failed: %s\n", what); exit(1); }
}

static int reply_is(redisReply *r, int type, const char *text) {
    return r && r->type == type && (!text || (r->len == strlen(text) && memcmp(r->str, text, r->len) == 0));
}

int main(int argc, char **argv) {
    check(argc == 3, "usage: hiredis_check PORT SYNC_DIR");
    struct timeval timeout = {2, 0};
    redisContext *c = redisConnectWithTimeout("127.0.0.1", atoi(argv[1]), timeout);
    check(c && !c->err, "connect");
    redisSetTimeout(c, timeout);
    redisReply *r = redisCommand(c, "PING");
    check(reply_is(r, REDIS_REPLY_STATUS, "PONG"), "ping");
    freeReplyObject(r);

    /* The session pattern, with a binary key and value. */
    const char key[] = "sess:hiredis:\0\r\n";
    const char value[] = "user|i:1;\0\xff\r\n";
    r = redisCommand(c, "SET %b %b EX 1440", key, sizeof key - 1, value, sizeof value - 1);
    check(reply_is(r, REDIS_REPLY_STATUS, "OK"), "set ex");
    freeReplyObject(r);
    r = redisCommand(c, "GET %b", key, sizeof key - 1);
    check(r && r->type == REDIS_REPLY_STRING && r->len == sizeof value - 1 && memcmp(r->str, value, r->len) == 0,
          "binary get");
    freeReplyObject(r);
    r = redisCommand(c, "TTL %b", key, sizeof key - 1);
    check(r && r->type == REDIS_REPLY_INTEGER && r->integer > 0 && r->integer <= 1440, "ttl");
    freeReplyObject(r);
    r = redisCommand(c, "DEL %b", key, sizeof key - 1);
    check(r && r->type == REDIS_REPLY_INTEGER && r->integer == 1, "del");
    freeReplyObject(r);

    /* A pipeline: 5,000 commands written before any reply is read. */
    for (int i = 0; i < 5000; i++) redisAppendCommand(c, "SET hiredis:p%d %d", i, i);
    for (int i = 0; i < 5000; i++) {
        check(redisGetReply(c, (void **)&r) == REDIS_OK && reply_is(r, REDIS_REPLY_STATUS, "OK"), "pipelined set");
        freeReplyObject(r);
    }
    for (int i = 0; i < 5000; i++) redisAppendCommand(c, "GET hiredis:p%d", i);
    for (int i = 0; i < 5000; i++) {
        char expected[16];
        snprintf(expected, sizeof expected, "%d", i);
        check(redisGetReply(c, (void **)&r) == REDIS_OK && reply_is(r, REDIS_REPLY_STRING, expected), "pipelined get");
        freeReplyObject(r);
    }

    /* MULTI/EXEC. */
    redisAppendCommand(c, "MULTI");
    redisAppendCommand(c, "SET hiredis:tx 1");
    redisAppendCommand(c, "INCR hiredis:tx");
    redisAppendCommand(c, "EXEC");
    for (int i = 0; i < 3; i++) { check(redisGetReply(c, (void **)&r) == REDIS_OK, "multi"); freeReplyObject(r); }
    check(redisGetReply(c, (void **)&r) == REDIS_OK && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
              r->element[1]->type == REDIS_REPLY_INTEGER && r->element[1]->integer == 2,
          "exec");
    freeReplyObject(r);
    r = redisCommand(c, "SUBSCRIBE x");
    check(r && r->type == REDIS_REPLY_ERROR && strstr(r->str, "Porter does not support 'subscribe'"), "subscribe refused");
    freeReplyObject(r);

    /* Porter restarts: the first command fails, redisReconnect dials again. */
    freeReplyObject(redisCommand(c, "SET hiredis:before kept"));
    char path[4096];
    snprintf(path, sizeof path, "%s/restart", argv[2]);
    fclose(fopen(path, "w"));
    snprintf(path, sizeof path, "%s/restarted", argv[2]);
    for (int i = 0; i < 600 && access(path, F_OK) != 0; i++) usleep(50000);
    int errors = 0;
    for (int i = 0; i < 20; i++) {
        r = redisCommand(c, "GET hiredis:before");
        if (r) break;
        errors++;
        usleep(100000);
        redisReconnect(c);
    }
    check(reply_is(r, REDIS_REPLY_STRING, "kept"), "after restart");
    freeReplyObject(r);
    redisFree(c);
    printf("OK hiredis %d.%d.%d (errors after the restart: %d)\n", HIREDIS_MAJOR, HIREDIS_MINOR, HIREDIS_PATCH, errors);
    return 0;
}
