<?php
// Predis 1.1 (Debian's php-predis, the client Hootsuite tried) through Porter: its session
// handler as a web request uses it, session-like SET EX/GET/DEL, binary values, pipelines,
// MULTI/EXEC, a reconnect after Porter restarts.
// Usage: php php_predis_check.php PORT SYNC_DIR. Prints OK or exits 1.
require_once 'Predis/Autoloader.php';
Predis\Autoloader::register();

[$port, $syncDir] = [(int)$argv[1], $argv[2]];
function check(bool $ok, string $what): void {
    if (!$ok) { fwrite(STDERR, "failed: $what\n"); exit(1); }
}
$client = new Predis\Client(['scheme' => 'tcp', 'host' => '127.0.0.1', 'port' => $port, 'read_write_timeout' => 2]);
check((string)$client->ping() === 'PONG', 'ping');

// Predis' own session handler: request 1 writes the session, request 2 reads and changes it.
ini_set('session.use_cookies', '0');
ini_set('session.use_strict_mode', '0');
ini_set('session.gc_maxlifetime', '1440');
$handler = new Predis\Session\Handler($client, ['gc_maxlifetime' => 1440]);
$handler->register();
$id = 'predis' . bin2hex(random_bytes(8));
session_id($id);
check(session_start(), 'session_start');
$_SESSION['user'] = 'alice';
$_SESSION['visits'] = 1;
check(session_write_close(), 'session_write_close');
session_id($id);
check(session_start(), 'second session_start');
check(($_SESSION['user'] ?? null) === 'alice', 'session read back');
$_SESSION['visits'] += 1;
session_write_close();
check(strpos($client->get($id), 'visits|i:2;') !== false, 'stored session');
$ttl = $client->ttl($id);
check($ttl > 0 && $ttl <= 1440, "ttl $ttl");
session_id($id);
session_start();
check(session_destroy(), 'session_destroy');
check($client->exists($id) === 0, 'destroyed session gone');

// The session pattern by hand.
$key = 'sess:predis:' . str_repeat('c', 26);
check((string)$client->set($key, 'user|i:1;', 'EX', 1440) === 'OK', 'set ex');
check($client->get($key) === 'user|i:1;', 'get');
check($client->del([$key]) === 1, 'del');
check($client->get($key) === null, 'gone');

// Binary keys and values, and a 1 MiB value.
$bin = "\x00\r\n\xff\xfe\x00$";
$client->set("predis:\x00bin", $bin);
check($client->get("predis:\x00bin") === $bin, 'binary value');
$big = str_repeat("\xab", 1 << 20);
$client->set('predis:big', $big);
check($client->get('predis:big') === $big, 'big value');

// A pipeline of 5,000 commands, and MULTI/EXEC (Predis' transaction()).
$replies = $client->pipeline(function ($p) { for ($i = 0; $i < 5000; $i++) { $p->set("predis:p$i", (string)$i); } });
check(count($replies) === 5000 && (string)$replies[4999] === 'OK', 'pipelined set');
$values = $client->pipeline(function ($p) { for ($i = 0; $i < 5000; $i++) { $p->get("predis:p$i"); } });
check($values === array_map('strval', range(0, 4999)), 'pipelined get');
$tx = $client->transaction(function ($t) { $t->set('predis:tx', '1'); $t->incr('predis:tx'); $t->get('predis:tx'); });
check((string)$tx[0] === 'OK' && $tx[1] === 2 && $tx[2] === '2', 'transaction');
$reply = $client->executeRaw(['SUBSCRIBE', 'x'], $error);
check($error === true && strpos((string)$reply, "Porter does not support 'subscribe'") !== false, "SUBSCRIBE: $reply");

// Porter restarts: the same client object carries on (Predis reconnects on the next command
// after a lost connection; an error on the first one is retried here, as an app would).
$client->set('predis:before', 'kept');
touch("$syncDir/restart");
for ($i = 0; $i < 600 && !file_exists("$syncDir/restarted"); $i++) { usleep(50000); }
check(file_exists("$syncDir/restarted"), 'the test did not restart Porter');
$errors = 0;
$value = null;
for ($i = 0; $i < 20; $i++) {
    try { $value = $client->get('predis:before'); break; }
    catch (Predis\Connection\ConnectionException $e) { $errors++; usleep(100000); }
}
check($value === 'kept', 'after restart');
check((string)$client->set('predis:after', 'ok', 'EX', 60) === 'OK', 'set after restart');
echo 'OK predis ' . Predis\Client::VERSION . " (errors after the restart: $errors)\n";
