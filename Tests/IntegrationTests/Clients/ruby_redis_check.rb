# ruby-redis 4.8 (Debian's ruby-redis) through Porter: session-like SET EX/GET/DEL, binary values,
# pipelined, MULTI/EXEC, a reconnect after Porter restarts.
# Usage: ruby ruby_redis_check.rb PORT SYNC_DIR. Prints OK or raises.
require "redis"

port, sync_dir = Integer(ARGV[0]), ARGV[1]
def check(ok, what) = (raise "failed: #{what}" unless ok)

r = Redis.new(host: "127.0.0.1", port: port, timeout: 2)
check r.ping == "PONG", "ping"

# The session pattern (Rack's and Rails' redis session stores use these).
id = "sess:ruby:" + "b" * 26
check r.set(id, "user|i:1;", ex: 1440) == "OK", "set ex"
check r.get(id) == "user|i:1;", "get"
check (1..1440).cover?(r.ttl(id)), "ttl"
check r.expire(id, 60) == true, "expire"
check r.del(id) == 1, "del"
check r.get(id).nil?, "gone"

# Binary keys and values, and a 1 MiB value.
bin = [0, 13, 10, 255, 254, 0, 36].pack("C*")
check r.set("ruby:\x00bin".b, bin) == "OK", "binary set"
check r.get("ruby:\x00bin".b).b == bin, "binary get"
big = "\xab".b * (1 << 20)
r.set("ruby:big", big)
check r.get("ruby:big").b == big, "big value"

# A pipeline of 5,000 commands, and MULTI/EXEC.
replies = r.pipelined { |p| 5000.times { |i| p.set("ruby:p#{i}", i.to_s) } }
check replies.all?("OK"), "pipelined set"
values = r.pipelined { |p| 5000.times { |i| p.get("ruby:p#{i}") } }
check values == (0...5000).map(&:to_s), "pipelined get"
tx = r.multi { |m| m.set("ruby:tx", "1"); m.incr("ruby:tx"); m.get("ruby:tx") }
check tx == ["OK", 2, "2"], "multi #{tx.inspect}"
begin
  r.call("SUBSCRIBE", "x")
  raise "SUBSCRIBE should be refused"
rescue Redis::CommandError => e
  check e.message.include?("Porter does not support 'subscribe'"), e.message
end

# Porter restarts: the same client reconnects (ruby-redis retries once on a lost connection).
r.set("ruby:before", "kept")
File.write(File.join(sync_dir, "restart"), "")
600.times { break if File.exist?(File.join(sync_dir, "restarted")); sleep 0.05 }
check File.exist?(File.join(sync_dir, "restarted")), "the test did not restart Porter"
value, errors = nil, 0
20.times do
  value = r.get("ruby:before")
  break
rescue Redis::BaseConnectionError
  errors += 1
  sleep 0.1
end
check value == "kept", "after restart: #{value.inspect}"
check r.set("ruby:after", "ok", ex: 60) == "OK", "set after restart"
r.close
puts "OK ruby-redis #{Redis::VERSION} (errors after the restart: #{errors})"
