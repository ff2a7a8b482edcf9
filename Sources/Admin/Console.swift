/// The console: one self-contained page (no external scripts, styles or fonts: it is opened on
/// servers without internet access). It polls `/v1/topology` every second and draws groups,
/// nodes, traffic and errors; with a migration, `/v1/migration` too: the dial, its counters and
/// the backfill, with controls that turn the dial after a confirmation.
enum Console {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Porter console</title>
        <style>
          :root { --bg:#f6f7f9; --card:#fff; --ink:#1d2330; --muted:#667085; --line:#e4e7ec;
                  --up:#12805c; --down:#c4321c; --unknown:#9a6b00; --accent:#3554d1; }
          * { box-sizing: border-box; }
          body { margin:0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
                 background: var(--bg); color: var(--ink); }
          header { display:flex; align-items:center; gap:16px; padding:14px 24px; background:#1d2330; color:#fff; }
          header h1 { font-size:18px; margin:0; letter-spacing:.02em; }
          .badge { padding:2px 10px; border-radius:999px; font-weight:600; font-size:12px; }
          .ok { background: var(--up); color:#fff; } .bad { background: var(--down); color:#fff; }
          .warn { background: var(--unknown); color:#fff; }
          header .meta { margin-left:auto; color:#c9cfdb; font-size:12px; }
          main { padding: 18px 24px; display:grid; gap:18px; }
          .tiles { display:grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap:12px; }
          .tile { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:10px 14px; }
          .tile .label { color: var(--muted); font-size:12px; }
          .tile .value { font-size:22px; font-weight:600; font-variant-numeric: tabular-nums; }
          .card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 16px; }
          .card h2 { font-size:15px; margin:0 0 10px; }
          table { width:100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
          th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); white-space:nowrap; }
          th { color: var(--muted); font-weight:500; font-size:12px; }
          td.err { white-space:normal; color: var(--down); max-width: 360px; }
          .pill { padding:1px 8px; border-radius:999px; font-size:12px; font-weight:600; color:#fff; }
          .pill.up { background: var(--up); } .pill.down { background: var(--down); } .pill.unknown { background: var(--unknown); }
          .role-primary { font-weight:600; }
          svg { width:100%; height:70px; display:block; }
          .muted { color: var(--muted); }
          #stale { display:none; }
          .controls { display:flex; flex-wrap:wrap; gap:8px; align-items:center; margin-top:12px; }
          .controls input, .controls select, .controls button { font: inherit; padding:4px 8px; border:1px solid var(--line); border-radius:6px; }
          .controls button { background: var(--accent); color:#fff; border-color: var(--accent); cursor:pointer; }
          .controls button.secondary { background:#fff; color: var(--ink); border-color: var(--line); }
          #confirm { display:none; margin-top:10px; padding:10px 12px; border:1px solid var(--unknown); border-radius:8px; background:#fff8e6; }
          #dial-result { margin-top:8px; }
          .bar { height:8px; background: var(--line); border-radius:4px; overflow:hidden; }
          .bar > div { height:100%; background: var(--accent); }
        </style>
        </head>
        <body>
        <header>
          <h1>Porter</h1>
          <span id="ready" class="badge warn">…</span>
          <span id="stale" class="badge bad">admin API unreachable</span>
          <span class="meta" id="meta"></span>
          <label id="read-auth" style="display:none">admin token <input id="read-token" type="password" autocomplete="off" size="18"></label>
        </header>
        <main>
          <section class="tiles">
            <div class="tile"><div class="label">ops/s</div><div class="value" id="ops">–</div></div>
            <div class="tile"><div class="label">errors/s</div><div class="value" id="errs">–</div></div>
            <div class="tile"><div class="label">p99 read / write (ms)</div><div class="value" id="p99">–</div></div>
            <div class="tile"><div class="label">clients</div><div class="value" id="clients">–</div></div>
            <div class="tile"><div class="label">retries</div><div class="value" id="retries">–</div></div>
            <div class="tile"><div class="label">held / unconfirmed writes</div><div class="value" id="held">–</div></div>
          </section>
          <section class="card">
            <h2>Commands per second <span class="muted" id="spark-max"></span></h2>
            <svg id="spark" viewBox="0 0 600 70" preserveAspectRatio="none"><polyline id="line" fill="none" stroke="#3554d1" stroke-width="2" points=""/></svg>
          </section>
          <section id="groups"></section>
          <section class="card" id="migration">
            <h2>Session migration <span class="muted" id="migration-meta"></span></h2>
            <div class="muted" id="migration-body">Not configured.</div>
            <div id="migration-controls" style="display:none">
              <div class="controls">
                <label>stage <select id="dial-stage">
                  <option>legacy</option><option>shadow</option><option>redis_first</option><option>redis_only</option>
                </select></label>
                <label>percent <input id="dial-percent" type="number" min="0" max="100" step="0.5" value="100" size="5"></label>
                <label>admin token <input id="dial-token" type="password" autocomplete="off" size="18"></label>
                <button id="dial-turn">Turn the dial…</button>
                <button id="backfill-start" class="secondary">Start backfill…</button>
                <button id="backfill-stop" class="secondary">Stop backfill</button>
              </div>
              <div id="confirm"><span id="confirm-text"></span>
                <button id="confirm-yes">Confirm</button> <button id="confirm-no" class="secondary">Cancel</button></div>
              <div id="dial-result" class="muted"></div>
            </div>
          </section>
          <section class="card">
            <h2>Configuration</h2>
            <div id="config" class="muted"></div>
          </section>
        </main>
        <script>
        "use strict";
        const fmt = (n, d = 0) => n == null ? "–" : Number(n).toLocaleString(undefined, {maximumFractionDigits: d, minimumFractionDigits: d});
        const esc = s => String(s).replace(/[&<>"']/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;","'":"&#39;"}[c]));
        function render(s) {
          document.getElementById("stale").style.display = "none";
          const ready = document.getElementById("ready");
          ready.textContent = s.ready ? "ready" : "not ready: " + (s.ready_reason || "");
          ready.className = "badge " + (s.ready ? "ok" : "bad");
          document.getElementById("meta").textContent =
            "topology v" + s.version + " · up " + fmt(s.uptime_seconds) + " s · updated " + new Date().toLocaleTimeString();
          const t = s.traffic;
          document.getElementById("ops").textContent = fmt(t.ops_per_second);
          document.getElementById("errs").textContent = fmt(t.errors_per_second, 1);
          document.getElementById("p99").textContent = fmt(t.p99_milliseconds.read, 2) + " / " + fmt(t.p99_milliseconds.write, 2);
          document.getElementById("clients").textContent = fmt(s.clients.connected);
          document.getElementById("retries").textContent = fmt(t.retries);
          document.getElementById("held").textContent = fmt(t.held_writes) + " / " + fmt(t.unconfirmed_writes);
          const history = s.recent_ops_per_second.length ? s.recent_ops_per_second : [t.ops_per_second];
          const max = Math.max(1, ...history);
          document.getElementById("spark-max").textContent = "(last " + history.length + " s, max " + fmt(max) + ")";
          document.getElementById("line").setAttribute("points",
            history.map((v, i) => (i * 600 / Math.max(1, history.length - 1)).toFixed(1) + "," + (68 - v / max * 64).toFixed(1)).join(" "));
          document.getElementById("groups").innerHTML = s.groups.map(g => `
            <div class="card"><h2>${g.slots != null ? 'Shard' : 'Group'} ${esc(g.name)} <span class="muted">${g.slots != null ? '· slots ' + esc(g.slots) + ' ' : ''}· failovers followed: ${g.failovers}</span></h2>
            <table><thead><tr><th>node</th><th>configured</th><th>reports</th><th>health</th><th>reads</th>
              <th>ops/s</th><th>p99 ms</th><th>in flight</th><th>lag bytes</th><th>ejections</th><th>connections</th><th>last error</th></tr></thead>
            <tbody>${g.nodes.map(n => `
              <tr class="node" data-address="${esc(n.address)}">
                <td class="role-${esc(n.configured_role)}">${esc(n.address)}</td>
                <td>${esc(n.configured_role)}</td><td>${esc(n.role)}</td>
                <td><span class="pill ${esc(n.health)}">${esc(n.health)}</span></td>
                <td>${n.readable ? "yes" : "no"}</td>
                <td>${fmt(n.ops_per_second)}</td><td>${fmt(n.p99_milliseconds, 2)}</td><td>${fmt(n.in_flight)}</td>
                <td>${n.lag_bytes == null ? "–" : fmt(n.lag_bytes)}</td><td>${fmt(n.ejections)}</td>
                <td>${esc(Object.entries(n.connections).filter(e => e[1] > 0).map(e => e[1] + " " + e[0]).join(", ") || "–")}</td>
                <td class="err">${n.last_error ? esc(n.last_error) : ""}</td>
              </tr>`).join("")}</tbody></table></div>`).join("");
          const c = s.config;
          document.getElementById("config").textContent = (c.path ? c.path + " · " : "") + "reloads applied: " + c.reloads +
            " · refused: " + c.reloads_refused + (c.last_reload_error ? " · last refusal: " + c.last_reload_error : "") +
            " · log lines dropped: " + s.log_lines_dropped;
        }
        const previousStage = {legacy: "legacy", shadow: "legacy", redis_first: "shadow", redis_only: "redis_first"};
        function renderMigration(m) {
          document.getElementById("migration-controls").style.display = "block";
          const c = m.counters;
          document.getElementById("migration-meta").textContent = "· dial v" + m.version + " (" + m.dial_key + ")";
          const dial = m.dial_readable ? "" :
            `<div><span class="pill down">shared dial unreadable</span> ${esc(m.dial_problem || "")}: the last known stage holds</div>`;
          const job = m.backfill;
          let backfill = "no backfill has run";
          if (job) {
            const done = job.total ? Math.min(100, 100 * job.scanned / job.total) : null;
            backfill = `backfill <b>${esc(job.state)}</b>: scanned ${fmt(job.scanned)}${job.total != null ? " of " + fmt(job.total) : ""},
              copied ${fmt(job.copied)}, already in Redis ${fmt(job.skipped)}, errors ${fmt(job.errors)}, ${fmt(job.sessions_per_second)}/s
              ${done != null ? `<div class="bar"><div style="width:${done.toFixed(1)}%"></div></div>` : ""}${job.error ? " · " + esc(job.error) : ""}`;
          }
          document.getElementById("migration-body").innerHTML = `${dial}
            <div class="tiles">
              <div class="tile"><div class="label">stage</div><div class="value" id="migration-stage">${esc(m.stage)}</div></div>
              <div class="tile"><div class="label">percent on it</div><div class="value" id="migration-percent">${fmt(m.percent, 1)} %</div></div>
              <div class="tile"><div class="label">legacy store · p50 / p99 ms</div><div class="value">${esc(m.store)} ${fmt(m.legacy_latency_p50_ms, 2)} / ${fmt(m.legacy_latency_p99_ms, 2)}</div></div>
              <div class="tile"><div class="label">shadow: match / mismatch / missing</div><div class="value">${fmt(c.shadow_matches)} / ${fmt(c.shadow_mismatches)} / ${fmt(c.shadow_missing)}</div></div>
              <div class="tile"><div class="label">read-throughs · backfilled</div><div class="value">${fmt(c.read_throughs)} · ${fmt(c.backfilled)}</div></div>
              <div class="tile"><div class="label">legacy errors · also-write errors</div><div class="value">${fmt(c.legacy_errors)} · ${fmt(c.also_write_errors)}</div></div>
            </div>
            <table><thead><tr><th>reads / writes on legacy</th><th>on shadow</th><th>on redis_first</th>
              <th>also written</th><th>redis copies invalidated</th><th>raced compares</th><th>refused</th></tr></thead>
              <tbody><tr><td>${fmt(c.reads_on_legacy)} / ${fmt(c.writes_on_legacy)}</td><td>${fmt(c.reads_on_shadow)} / ${fmt(c.writes_on_shadow)}</td>
              <td>${fmt(c.reads_on_redis_first)} / ${fmt(c.writes_on_redis_first)}</td><td>${fmt(c.also_written)}</td><td>${fmt(c.redis_invalidated)}</td>
              <td>${fmt(c.shadow_raced)}</td><td>${fmt(c.refused)}</td></tr></tbody></table>
            ${m.mismatched_sessions.length ? `<div>mismatched session ids: ${m.mismatched_sessions.map(esc).join(" ")}</div>` : ""}
            <div>session keys ${m.session_keys.map(esc).join(", ")} · ${backfill}</div>`;
        }
        // A change waits for a second click on Confirm, with what it will do in words.
        let pending = null;
        function ask(text, action) {
          pending = action;
          document.getElementById("confirm-text").innerHTML = text + " ";
          document.getElementById("confirm").style.display = "block";
        }
        // With admin.protect_reads the reads need the token too: the one typed in the header, or the dial's.
        function token() {
          return document.getElementById("read-token").value || document.getElementById("dial-token").value;
        }
        async function send(method, path, body) {
          const token = document.getElementById("dial-token").value || document.getElementById("read-token").value;
          const response = await fetch(path, {method, body: body ? JSON.stringify(body) : undefined,
            headers: {"Authorization": "Bearer " + token, "Content-Type": "application/json"}});
          const reply = await response.json();
          document.getElementById("dial-result").textContent = response.ok ? "done" : "refused: " + (reply.error || response.status);
        }
        document.getElementById("dial-turn").onclick = () => {
          const stage = document.getElementById("dial-stage").value;
          const percent = Number(document.getElementById("dial-percent").value);
          ask(`Move every Porter's sessions to <b>${esc(stage)}</b> at <b>${fmt(percent, 1)} %</b>` +
            (percent < 100 ? ` (the others stay on ${esc(previousStage[stage])})` : "") + "?",
            () => send("PUT", "/v1/migration", {stage, percent}));
        };
        document.getElementById("backfill-start").onclick = () =>
          ask("Copy every live legacy session that is not in Redis yet (never over a Redis value)?",
            () => send("POST", "/v1/migration/backfill", {}));
        document.getElementById("backfill-stop").onclick = () => send("DELETE", "/v1/migration/backfill");
        document.getElementById("confirm-yes").onclick = () => {
          document.getElementById("confirm").style.display = "none";
          if (pending) pending();
          pending = null;
        };
        document.getElementById("confirm-no").onclick = () => {
          document.getElementById("confirm").style.display = "none";
          pending = null;
        };
        async function poll() {
          try {
            const headers = token() ? {"Authorization": "Bearer " + token()} : {};
            const response = await fetch("/v1/topology", {cache: "no-store", headers});
            if (response.status === 401) {
              document.getElementById("read-auth").style.display = "inline";
              setTimeout(poll, 1000);
              return;
            }
            render(await response.json());
            const migration = await fetch("/v1/migration", {cache: "no-store", headers});
            if (migration.ok) renderMigration(await migration.json());
          } catch (e) {
            document.getElementById("stale").style.display = "inline";
          }
          setTimeout(poll, 1000);
        }
        poll();
        </script>
        </body>
        </html>
        """#
}
