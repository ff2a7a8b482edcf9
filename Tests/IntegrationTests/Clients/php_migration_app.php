<?php
// A PHP application's session code, for the migration walk: one request per process, as
// php-fpm would run it.
//   php php_migration_app.php HANDLER ACTION [ID] [NAME]
// HANDLER: legacy:MEMCACHED_PORT:MARIADB_SOCKET  the application's own SessionHandlerInterface
//                                                over Memcached + MySQL (before Porter)
//          files:DIR                             PHP's files handler (before Porter)
//          porter:PORT                           phpredis' session handler through Porter
//          redis:PORT                            phpredis' session handler straight to Redis (before Porter)
// ACTION: create NAME | update ID | read ID | regenerate ID | destroy ID
// Prints "OK <session id> <counter>", "LOGGED_OUT" when the session is gone, or "ERROR …".

/// Sessions in Memcached in front of MySQL, as Hootsuite's application kept them: reads try
/// Memcached, then the table (filling Memcached); writes go to the table, then Memcached.
class AppSessions implements SessionHandlerInterface
{
    private Memcached $cache;
    private mysqli $db;
    private int $lifetime;

    public function __construct(int $memcachedPort, string $socket)
    {
        $this->cache = new Memcached();
        $this->cache->addServer('127.0.0.1', $memcachedPort);
        $this->cache->setOption(Memcached::OPT_COMPRESSION, false);
        $this->db = new mysqli('localhost', 'root', '', 'app', 0, $socket);
        $this->lifetime = (int)ini_get('session.gc_maxlifetime');
    }

    public function open(string $path, string $name): bool { return true; }
    public function close(): bool { return true; }

    public function read(string $id): string|false
    {
        $cached = $this->cache->get('memc.sess.key.' . $id);
        if ($cached !== false) return $cached;
        $query = $this->db->prepare(
            'SELECT sess_data FROM sessions WHERE sess_id = ? AND sess_time + sess_lifetime > UNIX_TIMESTAMP()');
        $query->bind_param('s', $id);
        $query->execute();
        $row = $query->get_result()->fetch_row();
        if ($row === null) return '';
        $this->cache->set('memc.sess.key.' . $id, $row[0], $this->lifetime);
        return $row[0];
    }

    public function write(string $id, string $data): bool
    {
        $query = $this->db->prepare(
            'REPLACE INTO sessions (sess_id, sess_data, sess_lifetime, sess_time) VALUES (?, ?, ?, UNIX_TIMESTAMP())');
        $query->bind_param('ssi', $id, $data, $this->lifetime);
        if (!$query->execute()) return false;
        $this->cache->set('memc.sess.key.' . $id, $data, $this->lifetime);
        return true;
    }

    public function destroy(string $id): bool
    {
        $query = $this->db->prepare('DELETE FROM sessions WHERE sess_id = ?');
        $query->bind_param('s', $id);
        $query->execute();
        $this->cache->delete('memc.sess.key.' . $id);
        return true;
    }

    public function gc(int $max_lifetime): int|false { return 0; }
}

[$script, $handler, $action] = $argv;
$id = ($argv[3] ?? '') !== '' ? $argv[3] : null;
ini_set('session.use_strict_mode', '0');
ini_set('session.use_cookies', '0');
ini_set('session.cache_limiter', '');
ini_set('session.gc_maxlifetime', '1440');
ini_set('session.gc_probability', '0');
$kind = explode(':', $handler, 2);
if ($kind[0] === 'porter' || $kind[0] === 'redis') {
    ini_set('session.save_handler', 'redis');
    ini_set('session.save_path', 'tcp://127.0.0.1:' . $kind[1] . '?timeout=5');
    ini_set('redis.session.locking_enabled', '1');
} elseif ($kind[0] === 'files') {
    ini_set('session.save_handler', 'files');
    ini_set('session.save_path', $kind[1]);
} else {
    [$memcachedPort, $socket] = explode(':', $kind[1], 2);
    session_set_save_handler(new AppSessions((int)$memcachedPort, $socket), true);
}

if ($id !== null) session_id($id);
if (!@session_start()) {
    echo "ERROR session_start: ", error_get_last()['message'] ?? '', "\n";
    exit(1);
}
if ($action !== 'create' && !isset($_SESSION['n'])) {
    // Nothing there: the user would be logged out. Leave no empty session behind.
    session_abort();
    echo "LOGGED_OUT\n";
    exit(0);
}
switch ($action) {
    case 'create':
        $_SESSION['user'] = $argv[4] ?? 'someone';
        $_SESSION['n'] = 0;
        $_SESSION['note'] = "quotes \" ' ; | and bytes \x01\xff";
        break;
    case 'update':
        $_SESSION['n']++;
        break;
    case 'read':
        break;
    case 'regenerate':
        session_regenerate_id(true);
        break;
    case 'destroy':
        session_destroy();
        echo "OK destroyed\n";
        exit(0);
}
$n = $_SESSION['n'];
$sid = session_id();
if (!session_write_close()) {
    echo "ERROR session_write_close\n";
    exit(1);
}
echo "OK $sid $n\n";
