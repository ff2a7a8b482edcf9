<?php
// PHP's own `files` session handler, for the legacy store tests:
//   php php_files_session.php DIR ID write N   → stores user=bob, n=N, prints OK
//   php php_files_session.php DIR ID read      → prints the session as JSON
[$script, $dir, $id, $action] = $argv;
ini_set('session.save_handler', 'files');
ini_set('session.save_path', $dir);
ini_set('session.use_strict_mode', '0');
ini_set('session.use_cookies', '0');
ini_set('session.gc_probability', '0');
session_id($id);
session_start();
if ($action === 'write') {
    $_SESSION['user'] = 'bob';
    $_SESSION['n'] = (int)($argv[4] ?? 1);
    echo "OK\n";
} else {
    echo json_encode($_SESSION), "\n";
}
session_write_close();
