// go-redis v5 (Debian's golang-gopkg-redis.v5-dev, built in GOPATH mode) through Porter:
// session-like SET EX/GET/DEL, binary values, pipelines, MULTI/EXEC (TxPipelined), a reconnect
// after Porter restarts. Usage: goredis PORT SYNC_DIR. Prints OK or exits 1.
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gopkg.in/redis.v5"
)

func check(ok bool, what string, args ...interface{}) {
	if !ok {
		fmt.Fprintf(os.Stderr, "failed: "+what+"\n", args...)
		os.Exit(1)
	}
}

func main() {
	port, syncDir := os.Args[1], os.Args[2]
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + port, ReadTimeout: 2 * time.Second})
	pong, err := c.Ping().Result()
	check(err == nil && pong == "PONG", "ping: %v", err)

	// The session pattern.
	id := "sess:go:" + strings.Repeat("d", 26)
	check(c.Set(id, "user|i:1;", 1440*time.Second).Val() == "OK", "set ex")
	check(c.Get(id).Val() == "user|i:1;", "get")
	ttl := c.TTL(id).Val()
	check(ttl > 0 && ttl <= 1440*time.Second, "ttl %v", ttl)
	check(c.Expire(id, time.Minute).Val(), "expire")
	check(c.Del(id).Val() == 1, "del")
	check(c.Get(id).Err() == redis.Nil, "gone")

	// Binary keys and values, and a 1 MiB value.
	bin := []byte{0, 13, 10, 255, 254, 0, 36}
	check(c.Set("go:\x00bin", bin, 0).Err() == nil, "binary set")
	back, err := c.Get("go:\x00bin").Bytes()
	check(err == nil && bytes.Equal(back, bin), "binary get: %v", err)
	big := bytes.Repeat([]byte{0xab}, 1<<20)
	c.Set("go:big", big, 0)
	back, _ = c.Get("go:big").Bytes()
	check(bytes.Equal(back, big), "big value")

	// A pipeline of 5,000 commands, and MULTI/EXEC.
	_, err = c.Pipelined(func(p *redis.Pipeline) error {
		for i := 0; i < 5000; i++ {
			p.Set("go:p"+strconv.Itoa(i), i, 0)
		}
		return nil
	})
	check(err == nil, "pipelined set: %v", err)
	cmds, err := c.Pipelined(func(p *redis.Pipeline) error {
		for i := 0; i < 5000; i++ {
			p.Get("go:p" + strconv.Itoa(i))
		}
		return nil
	})
	check(err == nil && len(cmds) == 5000, "pipelined get: %v", err)
	for i, cmd := range cmds {
		check(cmd.(*redis.StringCmd).Val() == strconv.Itoa(i), "pipelined value %d", i)
	}
	var incr *redis.IntCmd
	_, err = c.TxPipelined(func(p *redis.Pipeline) error {
		p.Set("go:tx", "1", 0)
		incr = p.Incr("go:tx")
		return nil
	})
	check(err == nil && incr.Val() == 2, "multi/exec: %v", err)
	err = c.Process(redis.NewCmd("SUBSCRIBE", "x"))
	check(err != nil && strings.Contains(err.Error(), "Porter does not support 'subscribe'"), "SUBSCRIBE: %v", err)

	// Porter restarts: the pool drops the dead connection and dials again.
	c.Set("go:before", "kept", 0)
	os.WriteFile(filepath.Join(syncDir, "restart"), nil, 0o644)
	for i := 0; i < 600; i++ {
		if _, err := os.Stat(filepath.Join(syncDir, "restarted")); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	errors, value := 0, ""
	for i := 0; i < 20; i++ {
		if value, err = c.Get("go:before").Result(); err == nil {
			break
		}
		errors++
		time.Sleep(100 * time.Millisecond)
	}
	check(value == "kept", "after restart: %v", err)
	check(c.Set("go:after", "ok", time.Minute).Err() == nil, "set after restart")
	fmt.Printf("OK go-redis v5 (errors after the restart: %d)\n", errors)
}
