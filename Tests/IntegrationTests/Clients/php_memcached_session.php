<?php
// php-memcached as a PHP application's session cache uses it (its defaults: compression on
// above 2,000 bytes), for the legacy store tests:
//   php php_memcached_session.php PORT KEY write LENGTH   → stores LENGTH bytes of session data
//   php php_memcached_session.php PORT KEY read           → prints the value's md5 and length
[$script, $port, $key, $action] = $argv;
$m = new Memcached();
$m->addServer('127.0.0.1', (int)$port);
if ($action === 'write') {
    $data = 'user|s:3:"bob";pad|s:' . $argv[4] . ':"' . str_repeat('abcdefgh', (int)ceil($argv[4] / 8));
    $data = substr($data, 0, (int)$argv[4]);
    $m->set($key, $data, 600) or exit(1);
    echo md5($data), ' ', strlen($data), "\n";
} else {
    $value = $m->get($key);
    echo $value === false ? "MISS\n" : md5($value) . ' ' . strlen($value) . "\n";
}
