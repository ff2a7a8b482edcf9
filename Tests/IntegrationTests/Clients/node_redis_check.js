// node-redis 4 (Debian's node-redis) through Porter: session-like SET EX/GET/DEL, binary values,
// MULTI/EXEC, auto-pipelining (commands issued in one tick go out as one write), a reconnect
// after Porter restarts. Usage: node node_redis_check.js PORT SYNC_DIR. Prints OK or fails.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { createClient, commandOptions } = require('redis');

const [port, syncDir] = [Number(process.argv[2]), process.argv[3]];

// The restart handshake with the test: ask for a restart, wait until it is done.
async function restartPorter() {
  fs.writeFileSync(path.join(syncDir, 'restart'), '');
  for (let i = 0; i < 600 && !fs.existsSync(path.join(syncDir, 'restarted')); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert(fs.existsSync(path.join(syncDir, 'restarted')), 'the test did not restart Porter');
}

async function main() {
  const client = createClient({
    socket: { host: '127.0.0.1', port, reconnectStrategy: (retries) => Math.min(retries * 50, 500) },
  });
  client.on('error', () => {}); // reconnects are reported here; the commands below must succeed
  await client.connect();
  assert.strictEqual(await client.ping(), 'PONG');

  // The session pattern.
  const id = 'sess:node:' + 'a'.repeat(26);
  assert.strictEqual(await client.set(id, 'user|i:1;', { EX: 1440 }), 'OK');
  assert.strictEqual(await client.get(id), 'user|i:1;');
  const ttl = await client.ttl(id);
  assert(ttl > 0 && ttl <= 1440, `ttl ${ttl}`);
  assert.strictEqual(await client.expire(id, 60), true);
  assert.strictEqual(await client.del(id), 1);
  assert.strictEqual(await client.get(id), null);

  // Binary keys and values, and a 1 MiB value.
  const bin = Buffer.from([0, 13, 10, 255, 254, 0, 36]);
  assert.strictEqual(await client.set(Buffer.from('node:\x00bin'), bin), 'OK');
  const back = await client.get(commandOptions({ returnBuffers: true }), Buffer.from('node:\x00bin'));
  assert(Buffer.compare(back, bin) === 0, 'binary value changed');
  const big = Buffer.alloc(1 << 20, 0xab);
  await client.set('node:big', big);
  assert(Buffer.compare(await client.get(commandOptions({ returnBuffers: true }), 'node:big'), big) === 0);

  // Auto-pipelining: 5,000 commands issued before any reply.
  const sets = [];
  for (let i = 0; i < 5000; i++) sets.push(client.set(`node:p${i}`, String(i)));
  assert((await Promise.all(sets)).every((r) => r === 'OK'));
  const gets = [];
  for (let i = 0; i < 5000; i++) gets.push(client.get(`node:p${i}`));
  (await Promise.all(gets)).forEach((v, i) => assert.strictEqual(v, String(i)));

  // MULTI/EXEC, and a batch without MULTI (execAsPipeline).
  const tx = await client.multi().set('node:tx', '1').incr('node:tx').get('node:tx').exec();
  assert.deepStrictEqual(tx, ['OK', 2, '2']);
  const batch = await client.multi().set('node:b', 'x').append('node:b', 'y').get('node:b').execAsPipeline();
  assert.deepStrictEqual(batch, ['OK', 2, 'xy']);
  // Porter's one refusal, as node-redis reports it.
  await assert.rejects(client.sendCommand(['SUBSCRIBE', 'x']), /Porter does not support 'subscribe'/);

  // Porter restarts: the client reconnects on its own and carries on.
  await client.set('node:before', 'kept');
  await restartPorter();
  let value;
  let errors = 0;
  for (let i = 0; i < 100; i++) {
    try { value = await client.get('node:before'); break; } catch (e) { errors++; await new Promise((r) => setTimeout(r, 50)); }
  }
  assert.strictEqual(value, 'kept');
  assert.strictEqual(await client.set('node:after', 'ok', { EX: 60 }), 'OK');
  await client.quit();
  console.log(`OK node-redis ${require('redis/package.json').version} (errors after the restart: ${errors})`);
}

main().catch((e) => { console.error(e); process.exit(1); });
