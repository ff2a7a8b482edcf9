<?php
// PHP's own session handler (phpredis) through Porter, with locking on, as a web request does:
// request 1 creates the session and writes it; request 2 (a new process in real life; here a
// new session_start after session_write_close) reads it back and changes it.
// Usage: php -d session.save_handler=redis -d "session.save_path=tcp://127.0.0.1:PORT" \
//            -d redis.session.locking_enabled=1 php_session_check.php
// (PORTER_USER and PORTER_PASSWORD: the user of the check's own connection, when Porter has users.)
ini_set('session.use_cookies', '0');
ini_set('session.use_strict_mode', '0');
ini_set('session.gc_maxlifetime', '172800');
$id = 'porter' . bin2hex(random_bytes(8));
session_id($id);
if (!session_start()) { fwrite(STDERR, "session_start failed\n"); exit(1); }
$_SESSION['user'] = 'alice';
$_SESSION['visits'] = 1;
if (!session_write_close()) { fwrite(STDERR, "session_write_close failed\n"); exit(1); }

session_id($id);
if (!session_start()) { fwrite(STDERR, "second session_start failed\n"); exit(1); }
if (($_SESSION['user'] ?? null) !== 'alice') { fwrite(STDERR, "session lost: " . var_export($_SESSION, true) . "\n"); exit(1); }
$_SESSION['visits'] += 1;
session_write_close();

$r = new Redis();
$r->connect('127.0.0.1', (int)getenv('PORTER_PORT'));
if (getenv('PORTER_USER')) { $r->auth([getenv('PORTER_USER'), getenv('PORTER_PASSWORD')]); }
$raw = $r->get('PHPREDIS_SESSION:' . $id);
if (strpos($raw, 'visits|i:2;') === false) { fwrite(STDERR, "unexpected stored session: $raw\n"); exit(1); }
$ttl = $r->ttl('PHPREDIS_SESSION:' . $id);
if ($ttl <= 0 || $ttl > 172800) { fwrite(STDERR, "unexpected ttl $ttl\n"); exit(1); }
if ($r->exists('PHPREDIS_SESSION:' . $id . '_LOCK')) { fwrite(STDERR, "lock key left behind\n"); exit(1); }
echo "OK\n";
