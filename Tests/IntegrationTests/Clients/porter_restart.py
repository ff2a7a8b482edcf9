"""The restart handshake of ClientLibraryTests, for the Python client checks: ask the test to
restart Porter, wait until it has, then retry a call on lost connections as an app would."""
import os
import time


def restart_porter(sync_dir):
    open(os.path.join(sync_dir, "restart"), "w").close()
    for _ in range(600):
        if os.path.exists(os.path.join(sync_dir, "restarted")):
            return
        time.sleep(0.05)
    raise AssertionError("the test did not restart Porter")


def after_restart(call, connection_error):
    """call() until it does not raise connection_error (20 tries); returns (result, errors)."""
    for errors in range(20):
        try:
            return call(), errors
        except connection_error:
            time.sleep(0.1)
    raise AssertionError("no answer after the restart")
