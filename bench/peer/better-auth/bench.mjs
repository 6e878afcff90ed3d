// Benchmark of better-auth's twoFactor verify-otp (and checks of its single-use behaviour).
// Usage: node bench.mjs            (SQLite, spawns server.mjs itself)
//        DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node bench.mjs
// Settings (env): see README.md. JSON lines go to stdout (and to results/*.jsonl),
// the human summary to stderr.
import { spawn, execFileSync } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";

const env = (k, d) => (process.env[k] === undefined || process.env[k] === "" ? d : process.env[k]);
const num = (k, d) => Number(env(k, d));
const cfg = {
  users: num("K", 50), // users with 2FA (OTP) enabled
  n: num("N", 2000), // timed verify-otp challenges
  c: num("C", 20), // concurrent connections in timed phases
  warmup: num("WARMUP", 200), // untimed verify-otp challenges before the timed run
  rounds: num("ROUNDS", 3), // timed verify-otp is split into ROUNDS chunks, each preceded by both floors
  floorSeconds: num("FLOOR_SECONDS", 3), // duration of each floor run (per round)
  floorWarmupSeconds: num("FLOOR_WARMUP_SECONDS", 3),
  setupConcurrency: num("SETUP_CONCURRENCY", 4),
  raceTrials: num("RACE_TRIALS", 5), // challenges used for the parallel-submission test (per instance layout)
  raceParallel: num("RACE_PARALLEL", 20),
  raceInstances: num("RACE_INSTANCES", 2), // 2 -> also race across two server processes on one DB
  totp: env("TOTP_CHECKS", "1") !== "0",
  // the TOTP sign-in second step (verify-totp on a pending two-factor sign-in), timed after verify-otp in each round
  verifyTotp: env("VERIFY_TOTP", "1") !== "0",
  totpUsers: num("TOTP_K", num("K", 50)), // users with TOTP two-factor enabled (and confirmed)
  totpN: num("TOTP_N", num("N", 2000)), // timed verify-totp sign-ins (each verified once)
  port: num("PORT", 3100),
  url: env("BENCH_URL", ""), // target an already running server.mjs instead of spawning one
  pin: env("PIN", "0") === "1", // taskset: server on CPU 0, this client on CPU 1
  databaseUrl: env("DATABASE_URL", ""),
  seed: num("SEED", 1),
};
const dbKind = /^postgres(ql)?:\/\//.test(cfg.databaseUrl) ? "postgres" : "sqlite";
const runId = `${new Date().toISOString().replace(/[:.]/g, "-")}-${dbKind}`;
fs.mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
const resultFile = new URL(`./results/${runId}.jsonl`, import.meta.url);
const summary = [];
function emit(obj) {
  const line = JSON.stringify({ run: runId, ...obj });
  process.stdout.write(line + "\n");
  fs.appendFileSync(resultFile, line + "\n");
}
const say = (s) => {
  summary.push(s);
  process.stderr.write(s + "\n");
};

// ------------------------------------------------------------------ server process(es)
const children = [];
async function startServer(port, extraEnv) {
  const args = ["server.mjs"];
  const cmd = cfg.pin ? "taskset" : process.execPath;
  const argv = cfg.pin ? ["-c", "0", process.execPath, ...args] : args;
  const child = spawn(cmd, argv, {
    cwd: new URL(".", import.meta.url).pathname,
    env: { ...process.env, NODE_ENV: env("SERVER_NODE_ENV", "production"), PORT: String(port), ...extraEnv },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return await new Promise((resolve, reject) => {
    let buf = "";
    const onData = (d) => {
      buf += d;
      const m = buf.match(/READY (\S+) (.*)\n/);
      if (m) {
        child.stdout.off("data", onData);
        child.stdout.resume();
        resolve({ url: m[1], info: JSON.parse(m[2]), child });
      }
    };
    child.stdout.on("data", onData);
    child.on("exit", (code) => reject(new Error(`server.mjs exited (${code}) before READY`)));
  });
}
function stopServers() {
  for (const ch of children) if (ch.exitCode === null) ch.kill("SIGTERM");
}
process.on("exit", stopServers);

// ------------------------------------------------------------------ HTTP helpers
function cookiesFrom(headers) {
  const sc = headers["set-cookie"];
  const list = Array.isArray(sc) ? sc : sc ? [sc] : [];
  const out = {};
  for (const c of list) {
    const [nv] = c.split(";");
    const i = nv.indexOf("=");
    out[nv.slice(0, i).trim()] = nv.slice(i + 1);
  }
  return out;
}
function makeClient(baseUrl, connections) {
  const pool = new Pool(baseUrl, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const origin = new URL(baseUrl).origin;
  async function req(method, path, { body, cookie } = {}) {
    const headers = { origin };
    if (cookie) headers.cookie = cookie;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await pool.request({ method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.body.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {}
    return { status: res.statusCode, headers: res.headers, json, text };
  }
  return { pool, req, close: () => pool.close() };
}
async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}
function rng(seed) {
  // mulberry32
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function shuffle(arr, seed) {
  const r = rng(seed);
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [arr[i], arr[j]] = [arr[j], arr[i]];
  }
  return arr;
}
const TRACE_COUNT = 3; // verify-otp requests traced one by one for the SQL listing
const pct = (sorted, p) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
const r2 = (x) => Math.round(x * 100) / 100;
const r3 = (x) => Math.round(x * 1000) / 1000;

// Load loop: C workers over one keep-alive pool of C connections. Either a fixed list of
// jobs (each run once) or a duration (jobs cycled). A request counts as ok only when
// check(res) holds; latency = request start -> response body fully read.
async function load(client, { jobs, seconds, c, check, name }) {
  const lat = [];
  let ok = 0,
    bad = 0;
  const statuses = {};
  let next = 0;
  const t0 = performance.now();
  const deadline = seconds ? t0 + seconds * 1000 : Infinity;
  await Promise.all(
    Array.from({ length: c }, async () => {
      for (;;) {
        if (seconds) {
          if (performance.now() >= deadline) return;
        } else if (next >= jobs.length) return;
        const job = seconds ? jobs[next++ % jobs.length] : jobs[next++];
        const s = performance.now();
        let res;
        try {
          res = await job();
        } catch (e) {
          res = { status: "ERR:" + (e.code || e.message) };
        }
        const e = performance.now();
        lat.push(e - s);
        statuses[res.status] = (statuses[res.status] || 0) + 1;
        if (check(res)) ok++;
        else bad++;
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return {
    name,
    _lat: lat,
    requests: lat.length,
    ok,
    bad,
    statuses,
    concurrency: c,
    wall_s: r2(wall * 1000) / 1000,
    rps: r2(ok / wall),
    lat_ms: { p50: r2(pct(lat, 50)), p90: r2(pct(lat, 90)), p99: r2(pct(lat, 99)), max: r2(lat[lat.length - 1]), mean: r2(lat.reduce((a, b) => a + b, 0) / lat.length) },
  };
}

// ------------------------------------------------------------------ CPU accounting (Linux /proc)
const TICK_MS = 10; // USER_HZ is 100 on Linux
function procTicks(pid) {
  try {
    const st = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = st.slice(st.lastIndexOf(")") + 2).split(" ");
    return Number(f[11]) + Number(f[12]); // utime + stime, all threads
  } catch {
    return null;
  }
}
function pgTicks() {
  let t = 0;
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/comm`, "utf8").trim() !== "postgres") continue;
      t += procTicks(d) || 0;
    } catch {}
  }
  return t;
}
function machineTicks() {
  try {
    const f = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - f[3] - f[4], total, steal: f[7] || 0 };
  } catch {
    return null;
  }
}
function cpuSnap(serverPids) {
  return {
    server: serverPids.reduce((a, p) => a + (procTicks(p) || 0), 0),
    pg: dbKind === "postgres" ? pgTicks() : 0,
    client: process.cpuUsage(),
    machine: machineTicks(),
  };
}
function cpuDelta(a, b, requests) {
  const per = (ticks) => r3((ticks * TICK_MS) / requests); // ms per request
  const cu = (b.client.user + b.client.system - a.client.user - a.client.system) / 1000; // ms
  const out = {
    server_ms_per_req: per(b.server - a.server),
    client_ms_per_req: r3(cu / requests),
  };
  if (dbKind === "postgres") out.postgres_ms_per_req = per(b.pg - a.pg);
  if (a.machine && b.machine) {
    const busy = b.machine.busy - a.machine.busy;
    const total = b.machine.total - a.machine.total;
    out.machine_ms_per_req = per(busy);
    out.machine_busy_pct = r2((100 * busy) / total);
    out.steal_pct = r2((100 * (b.machine.steal - a.machine.steal)) / total);
  }
  return out;
}

// ------------------------------------------------------------------ TOTP (RFC 6238) for the checks
function base32Decode(s) {
  const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0,
    val = 0;
  const out = [];
  for (const ch of s.replace(/=+$/, "").toUpperCase()) {
    val = (val << 5) | alpha.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((val >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
function totp(key, t = Date.now(), period = 30, digits = 6) {
  const ctr = Buffer.alloc(8);
  ctr.writeBigUInt64BE(BigInt(Math.floor(t / 1000 / period)));
  const h = createHmac("sha1", key).update(ctr).digest();
  const o = h[h.length - 1] & 0xf;
  const v = (h.readUInt32BE(o) & 0x7fffffff) % 10 ** digits;
  return String(v).padStart(digits, "0");
}

// ------------------------------------------------------------------ main
async function main() {
  if (cfg.pin) execFileSync("taskset", ["-a", "-cp", "1", String(process.pid)], { stdio: "ignore" });
  let baseUrl = cfg.url;
  let info;
  const serverPids = [];
  if (!baseUrl) {
    const s = await startServer(cfg.port, {});
    baseUrl = s.url;
    info = s.info;
  } else {
    info = await (await fetch(`${baseUrl}/bench/info`)).json();
  }
  serverPids.push(info.pid);
  const setupClient = makeClient(baseUrl, Math.max(cfg.setupConcurrency, 4));
  const { req } = setupClient;
  emit({ kind: "config", cfg: { ...cfg, databaseUrl: cfg.databaseUrl ? "(set)" : "" }, server: info, client: { node: process.version, undici: JSON.parse(fs.readFileSync(new URL("./node_modules/undici/package.json", import.meta.url))).version } });
  say(`better-auth ${info.betterAuth} (kysely ${info.kysely}, ${info.driver}) on ${info.db}; node ${info.node}, NODE_ENV=${info.nodeEnv}; passwords: ${info.passwordHash}`);

  const password = "bench-password-0123456789";
  const tag = randomBytes(3).toString("hex");
  const emailOf = (i) => `u${i}-${tag}@bench.test`;

  // ---- setup 1: K users with OTP two-factor enabled
  const tSetup = performance.now();
  const users = await mapLimit([...Array(cfg.users).keys()], cfg.setupConcurrency, async (i) => {
    const email = emailOf(i);
    const su = await req("POST", "/api/auth/sign-up/email", { body: { email, password, name: `U${i}` } });
    if (su.status !== 200) throw new Error(`sign-up ${email}: ${su.status} ${su.text}`);
    const ck = cookiesFrom(su.headers);
    const session = Object.entries(ck).map(([k, v]) => `${k}=${v}`).join("; ");
    const en = await req("POST", "/api/auth/two-factor/enable", { body: { password, method: "otp" }, cookie: session });
    if (en.status !== 200) throw new Error(`enable 2fa ${email}: ${en.status} ${en.text}`);
    return { email, id: su.json.user.id, n: 0 };
  });
  const tUsers = performance.now();

  // ---- setup 2: pending challenges (sign-in -> pending-2FA cookie -> send-otp -> captured OTP)
  const extra = TRACE_COUNT + cfg.raceTrials * (cfg.raceInstances >= 2 && !cfg.url ? 2 : 1);
  const total = cfg.warmup + cfg.n + extra;
  const perUser = users.map(() => []);
  for (let i = 0; i < total; i++) perUser[i % users.length].push(i);
  const challenges = [];
  await mapLimit(users, cfg.setupConcurrency, async (u, ui) => {
    // one user's challenges are made one after another: the OTP map holds the last OTP per user
    for (const _ of perUser[ui]) {
      const si = await req("POST", "/api/auth/sign-in/email", { body: { email: u.email, password } });
      const tf = cookiesFrom(si.headers)["better-auth.two_factor"];
      if (si.status !== 200 || !si.json?.twoFactorRedirect || !tf) throw new Error(`sign-in ${u.email}: ${si.status} ${si.text}`);
      const cookie = `better-auth.two_factor=${tf}`;
      const so = await req("POST", "/api/auth/two-factor/send-otp", { body: {}, cookie });
      if (so.status !== 200) throw new Error(`send-otp ${u.email}: ${so.status} ${so.text}`);
      const o = await req("GET", `/bench/otp?email=${encodeURIComponent(u.email)}`);
      if (o.status !== 200 || o.json.n !== u.n + 1) throw new Error(`captured otp for ${u.email}: ${o.status} ${o.text}`);
      u.n = o.json.n;
      challenges.push({ email: u.email, userId: u.id, cookie, code: o.json.otp });
    }
  });
  const tChallenges = performance.now();
  shuffle(challenges, cfg.seed);
  const setup = {
    kind: "setup",
    users: users.length,
    challenges: challenges.length,
    users_s: r2((tUsers - tSetup) / 1000),
    challenges_s: r2((tChallenges - tUsers) / 1000),
    total_s: r2((tChallenges - tSetup) / 1000),
    challenges_per_s: r2(challenges.length / ((tChallenges - tUsers) / 1000)),
  };
  emit(setup);
  say(`setup: ${setup.users} users in ${setup.users_s}s, ${setup.challenges} pending challenges in ${setup.challenges_s}s (${setup.challenges_per_s}/s; total ${setup.total_s}s)`);

  // ---- setup 3: TOTP users (enable -> verify-totp confirms it) and their pending sign-ins (no code is sent:
  // the code is computed from the seed when the request leaves, so a slow setup never outlives a time step)
  const totpSignIns = [];
  if (cfg.verifyTotp) {
    const tTotp = performance.now();
    const totpUsers = await mapLimit([...Array(cfg.totpUsers).keys()], cfg.setupConcurrency, async (i) => {
      const email = `totp${i}-${tag}@bench.test`;
      const su = await req("POST", "/api/auth/sign-up/email", { body: { email, password, name: `T${i}` } });
      if (su.status !== 200) throw new Error(`sign-up ${email}: ${su.status} ${su.text}`);
      const session = Object.entries(cookiesFrom(su.headers)).map(([k, v]) => `${k}=${v}`).join("; ");
      const en = await req("POST", "/api/auth/two-factor/enable", { body: { password }, cookie: session });
      if (en.status !== 200) throw new Error(`enable TOTP ${email}: ${en.status} ${en.text}`);
      const key = base32Decode(new URL(en.json.totpURI).searchParams.get("secret"));
      const vt = await req("POST", "/api/auth/two-factor/verify-totp", { body: { code: totp(key) }, cookie: session });
      if (vt.status !== 200) throw new Error(`verify-totp (enable) ${email}: ${vt.status} ${vt.text}`);
      return { email, key };
    });
    const count = cfg.totpN + Math.ceil(cfg.warmup / 4) + 1;
    await mapLimit([...Array(count).keys()], cfg.setupConcurrency, async (i) => {
      const u = totpUsers[i % totpUsers.length];
      const si = await req("POST", "/api/auth/sign-in/email", { body: { email: u.email, password } });
      const tf = cookiesFrom(si.headers)["better-auth.two_factor"];
      if (si.status !== 200 || !si.json?.twoFactorRedirect || !tf) throw new Error(`TOTP sign-in ${u.email}: ${si.status} ${si.text}`);
      totpSignIns.push({ email: u.email, key: u.key, cookie: `better-auth.two_factor=${tf}` });
    });
    shuffle(totpSignIns, cfg.seed + 1);
    const totpSetup = { kind: "setup-totp", users: totpUsers.length, signIns: totpSignIns.length, s: r2((performance.now() - tTotp) / 1000) };
    emit(totpSetup);
    say(`setup (verify-totp): ${totpSetup.users} TOTP users and ${totpSetup.signIns} pending sign-ins in ${totpSetup.s}s`);
  }

  const warm = challenges.splice(0, cfg.warmup);
  const traceSet = challenges.splice(0, TRACE_COUNT);
  const timed = challenges.splice(0, cfg.n);
  const raceSet = challenges; // the rest

  const client = makeClient(baseUrl, cfg.c);
  const verifyJob = (ch) => () => client.req("POST", "/api/auth/two-factor/verify-otp", { body: { code: ch.code }, cookie: ch.cookie });
  const verifyOk = (r) => r.status === 200 && typeof r.json?.token === "string";
  // better-auth's TOTP sign-in second step: the code of the current time step, computed as the request leaves
  const totpJob = (si) => () => client.req("POST", "/api/auth/two-factor/verify-totp", { body: { code: totp(si.key) }, cookie: si.cookie });
  const totpTrace = totpSignIns.splice(0, cfg.verifyTotp ? 1 : 0);
  const totpWarm = totpSignIns.splice(0, Math.ceil(cfg.warmup / 4));
  const totpTimed = totpSignIns.splice(0, cfg.totpN);
  if (totpWarm.length) {
    const wt = await load(client, { jobs: totpWarm.map(totpJob), c: cfg.c, check: verifyOk, name: "warmup-verify-totp" });
    if (wt.bad) throw new Error(`warm-up verify-totp failures: ${JSON.stringify(wt.statuses)}`);
  }

  // ---- warm-up (untimed): verify-otp; keep the sessions it yields for the get-session floor
  const sessions = [];
  const warmJobs = warm.map((ch) => async () => {
    const r = await verifyJob(ch)();
    const st = cookiesFrom(r.headers)["better-auth.session_token"];
    if (st && sessions.length < 200) sessions.push(`better-auth.session_token=${st}`);
    return r;
  });
  const w = await load(client, { jobs: warmJobs, c: cfg.c, check: verifyOk, name: "warmup-verify-otp" });
  if (w.bad) throw new Error(`warm-up verify-otp failures: ${JSON.stringify(w.statuses)}`);
  if (!sessions.length) throw new Error("no session cookie from warm-up (WARMUP=0?)");
  const floorPlainJobs = users.map((u) => () => client.req("GET", `/bench/floor?id=${u.id}`));
  const floorPlainOk = (r) => r.status === 200 && r.json?.id;
  const getSessionJobs = sessions.map((cookie) => () => client.req("GET", "/api/auth/get-session", { cookie }));
  const getSessionOk = (r) => r.status === 200 && r.json?.session?.token;
  await load(client, { jobs: floorPlainJobs, seconds: cfg.floorWarmupSeconds, c: cfg.c, check: floorPlainOk, name: "warmup-floor" });
  await load(client, { jobs: getSessionJobs, seconds: cfg.floorWarmupSeconds, c: cfg.c, check: getSessionOk, name: "warmup-get-session" });

  // ---- SQL statements of single verify-otp requests (isolated, traced one at a time).
  // better-auth sweeps expired verification rows from inside findVerificationValue at most once
  // a minute per process (2 extra statements); the first traced request may carry that sweep.
  const traces = [];
  for (const ch of traceSet) {
    await req("GET", "/bench/sql?reset=1&trace=1");
    const one = await verifyJob(ch)();
    const t = (await req("GET", "/bench/sql?reset=1&trace=0")).json;
    if (!verifyOk(one)) throw new Error(`traced verify-otp failed: ${one.status} ${one.text}`);
    traces.push(t);
  }
  const traced = traces.reduce((a, b) => (b.count < a.count ? b : a));
  emit({ kind: "sql-per-verify-otp", statements: traced.count, byVerb: traced.byVerb, counts_of_traced_requests: traces.map((t) => t.count), text: traced.statements, with_sweep: traces.find((t) => t.count > traced.count)?.statements ?? null });
  await req("GET", "/bench/sql?reset=1&trace=1");
  await client.req("GET", "/api/auth/get-session", { cookie: sessions[0] });
  const tracedGs = (await req("GET", "/bench/sql?reset=1&trace=0")).json;
  emit({ kind: "sql-per-get-session", statements: tracedGs.count, byVerb: tracedGs.byVerb, text: tracedGs.statements });
  if (totpTrace.length) {
    await req("GET", "/bench/sql?reset=1&trace=1");
    const one = await totpJob(totpTrace[0])();
    const t = (await req("GET", "/bench/sql?reset=1&trace=0")).json;
    if (!verifyOk(one)) throw new Error(`traced verify-totp failed: ${one.status} ${one.text}`);
    emit({ kind: "sql-per-verify-totp", statements: t.count, byVerb: t.byVerb, text: t.statements });
    say(`SQL per verify-totp (sign-in second step): ${t.count} statements ${JSON.stringify(t.byVerb)}`);
  }
  say(`SQL per verify-otp: ${traced.count} statements ${JSON.stringify(traced.byVerb)} (traced requests: ${traces.map((t) => t.count).join(", ")}; +2 when the once-a-minute expiry sweep runs); per get-session: ${tracedGs.count}; per plain floor: 1`);

  // ---- timed runs: ROUNDS x (floor-plain, floor-get-session, verify-otp chunk)
  const rounds = [];
  const measureOnce = async (name, round, opts) => {
    await req("GET", "/bench/sql?reset=1");
    const before = cpuSnap(serverPids);
    const r = await load(client, { ...opts, c: cfg.c, name });
    const after = cpuSnap(serverPids);
    const s = (await req("GET", "/bench/sql?reset=1")).json;
    r.sql_per_request = r2(s.count / r.requests);
    r.cpu = cpuDelta(before, after, r.requests);
    const { _lat, ...pub } = r;
    emit({ kind: "round", round, ...pub });
    rounds.push(r);
    if (r.bad) say(`  !! ${name} round ${round}: non-ok responses ${JSON.stringify(r.statuses)}`);
    return r;
  };
  const chunk = Math.ceil(timed.length / cfg.rounds);
  for (let k = 0; k < cfg.rounds; k++) {
    await measureOnce("floor-plain", k + 1, { jobs: floorPlainJobs, seconds: cfg.floorSeconds, check: floorPlainOk });
    await measureOnce("floor-get-session", k + 1, { jobs: getSessionJobs, seconds: cfg.floorSeconds, check: getSessionOk });
    await measureOnce("verify-otp", k + 1, { jobs: timed.slice(k * chunk, (k + 1) * chunk).map(verifyJob), check: verifyOk });
    // one after the other: the TOTP sign-in second step right after verify-otp, in the same round
    if (totpTimed.length) {
      const totpChunk = Math.ceil(totpTimed.length / cfg.rounds);
      await measureOnce("verify-totp", k + 1, { jobs: totpTimed.slice(k * totpChunk, (k + 1) * totpChunk).map(totpJob), check: verifyOk });
    }
  }
  const results = {};
  for (const name of ["floor-plain", "floor-get-session", "verify-otp", ...(totpTimed.length ? ["verify-totp"] : [])]) {
    const rs = rounds.filter((r) => r.name === name);
    const lat = rs.flatMap((r) => r._lat).sort((a, b) => a - b);
    const wall = rs.reduce((a, r) => a + r.wall_s, 0);
    const ok = rs.reduce((a, r) => a + r.ok, 0);
    const reqs = rs.reduce((a, r) => a + r.requests, 0);
    const w = (f) => r3(rs.reduce((a, r) => a + (f(r) ?? 0) * r.requests, 0) / reqs);
    const m = {
      kind: "measure",
      name,
      rounds: rs.length,
      requests: reqs,
      ok,
      bad: reqs - ok,
      concurrency: cfg.c,
      wall_s: r2(wall),
      rps: r2(ok / wall),
      rps_by_round: rs.map((r) => r.rps),
      lat_ms: { p50: r2(pct(lat, 50)), p90: r2(pct(lat, 90)), p99: r2(pct(lat, 99)), max: r2(lat[lat.length - 1]), mean: r2(lat.reduce((a, b) => a + b, 0) / lat.length) },
      sql_per_request: r2(rs.reduce((a, r) => a + r.sql_per_request * r.requests, 0) / reqs),
      cpu: {
        server_ms_per_req: w((r) => r.cpu.server_ms_per_req),
        client_ms_per_req: w((r) => r.cpu.client_ms_per_req),
        ...(dbKind === "postgres" ? { postgres_ms_per_req: w((r) => r.cpu.postgres_ms_per_req) } : {}),
        machine_ms_per_req: w((r) => r.cpu.machine_ms_per_req),
        machine_busy_pct: r2(rs.reduce((a, r) => a + (r.cpu.machine_busy_pct ?? 0), 0) / rs.length),
        steal_pct: r2(rs.reduce((a, r) => a + (r.cpu.steal_pct ?? 0), 0) / rs.length),
      },
    };
    results[name] = m;
    emit(m);
    say(
      `${name.padEnd(18)} ${String(m.rps).padStart(9)} req/s  p50 ${m.lat_ms.p50} ms  p99 ${m.lat_ms.p99} ms  ` +
        `(${m.ok} ok/${m.bad} bad in ${m.wall_s}s; by round ${m.rps_by_round.join(" / ")}; ${m.sql_per_request} SQL/req; ` +
        `server CPU ${m.cpu.server_ms_per_req} ms/req${dbKind === "postgres" ? `, postgres ${m.cpu.postgres_ms_per_req}` : ""}, machine ${m.cpu.machine_busy_pct}% busy)`,
    );
  }
  const v = results["verify-otp"];
  const fp = results["floor-plain"].rps;
  const fg = results["floor-get-session"].rps;
  const fgCpu = results["floor-get-session"].cpu.server_ms_per_req;
  const ratios = {
    kind: "ratio",
    verify_otp_rps: v.rps,
    floor_plain_rps: fp,
    floor_get_session_rps: fg,
    verify_over_floor_plain: r3(v.rps / fp),
    verify_over_get_session: r3(v.rps / fg),
    server_cpu_ms_per_req: { verify_otp: v.cpu.server_ms_per_req, floor_plain: results["floor-plain"].cpu.server_ms_per_req, get_session: fgCpu },
  };
  const vt = results["verify-totp"];
  if (vt) {
    ratios.verify_totp_rps = vt.rps;
    ratios.verify_totp_over_floor_plain = r3(vt.rps / fp);
    ratios.server_cpu_ms_per_req.verify_totp = vt.cpu.server_ms_per_req;
  }
  emit(ratios);
  say(`ratio verify-otp / plain 1-query floor = ${ratios.verify_over_floor_plain}; verify-otp / get-session = ${ratios.verify_over_get_session}`);
  if (vt) say(`ratio verify-totp / plain 1-query floor = ${ratios.verify_totp_over_floor_plain}`);

  // ---- parallel submission of one correct code
  const race = async (ch, urls) => {
    const clients = urls.map((u) => makeClient(u, Math.ceil(cfg.raceParallel / urls.length)));
    // open every socket first, so the verify requests leave together
    await Promise.all(clients.flatMap((cl) => Array.from({ length: Math.ceil(cfg.raceParallel / urls.length) }, () => cl.req("GET", "/bench/info"))));
    const rs = await Promise.all(
      Array.from({ length: cfg.raceParallel }, (_, i) =>
        clients[i % clients.length].req("POST", "/api/auth/two-factor/verify-otp", { body: { code: ch.code }, cookie: ch.cookie }),
      ),
    );
    await Promise.all(clients.map((cl) => cl.close()));
    const tokens = new Set(rs.filter(verifyOk).map((r) => r.json.token));
    const outcomes = {};
    for (const r of rs) {
      const k = verifyOk(r) ? "200 token" : `${r.status} ${r.json?.code || r.text.slice(0, 60)}`;
      outcomes[k] = (outcomes[k] || 0) + 1;
    }
    // is every issued token a live session?
    let live = 0;
    for (const t of tokens) {
      // get-session needs the signed cookie; take it from the response set-cookie
      const r = rs.find((x) => verifyOk(x) && x.json.token === t);
      const st = cookiesFrom(r.headers)["better-auth.session_token"];
      const gs = await req("GET", "/api/auth/get-session", { cookie: `better-auth.session_token=${st}` });
      if (getSessionOk(gs)) live++;
    }
    return { successes: tokens.size, successResponses: rs.filter(verifyOk).length, liveSessions: live, outcomes };
  };
  const layouts = [{ name: "1 instance", urls: [baseUrl] }];
  if (cfg.raceInstances >= 2 && !cfg.url) {
    const second = await startServer(cfg.port + 1, { FRESH: "0" });
    layouts.push({ name: "2 instances, one DB", urls: [baseUrl, second.url] });
  }
  for (const lay of layouts) {
    const trials = [];
    for (let t = 0; t < cfg.raceTrials && raceSet.length; t++) trials.push(await race(raceSet.shift(), lay.urls));
    const succ = trials.map((t) => t.successes);
    emit({ kind: "race", layout: lay.name, parallel: cfg.raceParallel, trials });
    say(`parallel verify-otp, ${cfg.raceParallel} x same correct code, ${lay.name}: successes per challenge = [${succ.join(", ")}]; outcomes of trial 1: ${JSON.stringify(trials[0]?.outcomes)}`);
  }

  // ---- TOTP checks: code reuse across two sign-ins, and parallel submission
  if (cfg.totp) {
    const email = `totp-${tag}@bench.test`;
    const su = await req("POST", "/api/auth/sign-up/email", { body: { email, password, name: "T" } });
    let cookie = Object.entries(cookiesFrom(su.headers)).map(([k, v]) => `${k}=${v}`).join("; ");
    const en = await req("POST", "/api/auth/two-factor/enable", { body: { password }, cookie });
    const secret = new URL(en.json.totpURI).searchParams.get("secret");
    const key = base32Decode(secret);
    const vt = await req("POST", "/api/auth/two-factor/verify-totp", { body: { code: totp(key) }, cookie });
    if (vt.status !== 200) throw new Error(`verify-totp (enable) ${vt.status} ${vt.text}`);
    const signIn = async () => {
      const si = await req("POST", "/api/auth/sign-in/email", { body: { email, password } });
      return `better-auth.two_factor=${cookiesFrom(si.headers)["better-auth.two_factor"]}`;
    };
    // wait for a fresh 30 s step if the current one is nearly over, so both uses fall in one step
    if ((Date.now() / 1000) % 30 > 20) await sleep((30 - ((Date.now() / 1000) % 30) + 0.5) * 1000);
    const a = await signIn();
    const b = await signIn();
    const code = totp(key);
    const ra = await req("POST", "/api/auth/two-factor/verify-totp", { body: { code }, cookie: a });
    const rb = await req("POST", "/api/auth/two-factor/verify-totp", { body: { code }, cookie: b });
    const reuse = { first: ra.status, second: rb.status, secondAccepted: verifyOk(rb) };
    const c1 = await signIn();
    const racer = makeClient(baseUrl, cfg.raceParallel);
    await Promise.all(Array.from({ length: cfg.raceParallel }, () => racer.req("GET", "/bench/info")));
    const rs = await Promise.all(Array.from({ length: cfg.raceParallel }, () => racer.req("POST", "/api/auth/two-factor/verify-totp", { body: { code: totp(key) }, cookie: c1 })));
    await racer.close();
    const outcomes = {};
    for (const r of rs) {
      const k = verifyOk(r) ? "200 token" : `${r.status} ${r.json?.code || r.text.slice(0, 60)}`;
      outcomes[k] = (outcomes[k] || 0) + 1;
    }
    emit({ kind: "totp-checks", codeReuseAcrossSignIns: reuse, parallelSameChallenge: { parallel: cfg.raceParallel, outcomes } });
    say(`TOTP: same code on two pending sign-ins -> ${ra.status}, ${rb.status} (${reuse.secondAccepted ? "REUSE ACCEPTED: no replay protection" : "reuse rejected"}); ${cfg.raceParallel} parallel verify-totp on one challenge -> ${JSON.stringify(outcomes)}`);
  }

  await setupClient.close();
  await client.close();
  emit({ kind: "summary", lines: summary });
  say(`results: ${resultFile.pathname}`);
}

main()
  .then(() => {
    stopServers();
    process.exit(0);
  })
  .catch((e) => {
    process.stderr.write(`BENCH FAILED: ${e.stack || e}\n`);
    stopServers();
    process.exit(1);
  });
