<?php
// Web requests against one session, through Porter, for PORTER_SECONDS seconds, while the test
// kills a replica and then the primary. Each request is what PHP-FPM does per request:
// session_start (lock, read), change, session_write_close (write, unlock). A request must see the
// count the previous one wrote: a lost session or a lost write shows as a wrong count.
ini_set('session.use_cookies', '0');
ini_set('session.use_strict_mode', '0');
ini_set('session.gc_maxlifetime', '3600');
ini_set('session.save_path', 'tcp://127.0.0.1:' . getenv('PORTER_PORT') . '?timeout=30&read_timeout=30');
$id = 'failover' . bin2hex(random_bytes(8));
$until = microtime(true) + (float)(getenv('PORTER_SECONDS') ?: 10);
$requests = 0;
$slowest = 0.0;
while (microtime(true) < $until) {
    $started = microtime(true);
    session_id($id);
    if (!session_start()) { fwrite(STDERR, "request $requests: session_start failed\n"); exit(1); }
    $seen = $_SESSION['count'] ?? 0;
    if ($seen !== $requests) {
        fwrite(STDERR, "request $requests: the session says $seen (lost or stale)\n");
        exit(1);
    }
    $_SESSION['count'] = $requests + 1;
    $_SESSION['user'] = 'alice';
    if (!session_write_close()) { fwrite(STDERR, "request $requests: session_write_close failed\n"); exit(1); }
    $requests++;
    $slowest = max($slowest, microtime(true) - $started);
    usleep(20000);
}
printf("%d requests, each saw the previous write: session kept; slowest request %.0f ms\n", $requests, $slowest * 1000);
