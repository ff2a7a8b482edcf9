<?php
// phpredis through a restart of Porter: PHP's session handler (a request before the restart,
// one after) and a persistent connection (pconnect, as PHP-FPM workers keep one), which finds
// its connection gone on the first command after the restart and connects again.
// Usage: php -d session.save_handler=redis -d session.save_path=tcp://127.0.0.1:PORT \
//            phpredis_restart_check.php PORT SYNC_DIR. Prints OK or exits 1.
[$port, $syncDir] = [(int)$argv[1], $argv[2]];
function check(bool $ok, string $what): void {
    if (!$ok) { fwrite(STDERR, "failed: $what\n"); exit(1); }
}
ini_set('session.use_cookies', '0');
ini_set('session.use_strict_mode', '0');
$id = 'restart' . bin2hex(random_bytes(8));
session_id($id);
check(session_start(), 'session_start');
$_SESSION['user'] = 'alice';
check(session_write_close(), 'session_write_close');
$r = new Redis();
check($r->pconnect('127.0.0.1', $port), 'pconnect');
check($r->set('phpredis:before', 'kept'), 'set');

touch("$syncDir/restart");
for ($i = 0; $i < 600 && !file_exists("$syncDir/restarted"); $i++) { usleep(50000); }
check(file_exists("$syncDir/restarted"), 'the test did not restart Porter');

// The next request: its session is there.
session_id($id);
check(session_start(), 'session_start after the restart');
check(($_SESSION['user'] ?? null) === 'alice', 'session after the restart');
session_write_close();
// The persistent connection: an error on the first command, then a new connection.
$errors = 0;
$value = null;
for ($i = 0; $i < 20; $i++) {
    try { $value = $r->get('phpredis:before'); break; }
    catch (RedisException $e) { $errors++; usleep(100000); $r->pconnect('127.0.0.1', $port); }
}
check($value === 'kept', 'persistent connection after the restart');
echo 'OK phpredis ' . phpversion('redis') . " (errors after the restart: $errors)\n";
