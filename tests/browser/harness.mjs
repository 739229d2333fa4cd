// Runs the real pilemeshd with the simulated pile and drives the web UI in Debian's chromium
// (playwright-core, headless). Each person is a browser profile of their own, so each keeps
// their own key, like their own phone. Nothing here sleeps for a fixed time: every wait is for
// a log line, an element or a state, with a deadline.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const { chromium } = await import(path.join(repo, 'web/ui/node_modules/playwright-core/index.mjs'));

export const BUILD_DIR = process.env.PILEMESH_BUILD_DIR || path.join(repo, 'build');
const PILEMESHD = path.join(BUILD_DIR, 'bin', 'pilemeshd');
const PILEMESH = path.join(BUILD_DIR, 'bin', 'pilemesh');
const PLUGIN_DIR = path.join(BUILD_DIR, 'lib', 'pilemesh', 'plugins');

// Screenshots go here, one folder per test, for a reviewer to look at.
const made = new Set();
export function outputDir(test) {
  const dir = path.join(BUILD_DIR, 'test-output', 'browser', test);
  if (!made.has(test)) fs.rmSync(dir, { recursive: true, force: true });  // this run's pictures only
  made.add(test);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// A key file's seed is 64 hex digits; the demo's are fixed (gateway/demo).
// A screenshot of the whole page as a tall phone would show it: the viewport is stretched to
// the page's height for the picture, so the fixed tab bar sits at the bottom, not across the
// middle as in a stitched full-page capture.
export async function wholePage(page, file) {
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, Math.min(height, 8000)) });
  try {
    await page.screenshot({ path: file });
  } finally {
    await page.setViewportSize(viewport);
  }
}

export const demoSeed = (n) => n.toString(16).padStart(2, '0') + 'd0'.repeat(31);

export class Gateway {
  // options.demo: seed the demo neighbourhood first; options.fresh: no pile and no location,
  // as a gateway before its first-run wizard; options.pileSettings: the simulator's.
  constructor(options = {}) {
    this.options = options;
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pilemesh-browser-'));
    this.dataDir = path.join(this.tmp, 'data');
    this.lines = [];
    this.waiters = [];
  }

  async start() {
    this.port = await freePort();
    const settings = Object.assign({ ev_connected: true, auto_start: true, battery_kwh: 60.0, soc_start_pct: 35.0,
      phases: 3, max_current_a: 16.0 }, this.options.pileSettings || {});
    const toml = (v) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
    const pileTable = ['[[piles]]', 'id = "pile-1"', 'name = "Driveway wallbox"', 'driver = "simulator/charger"',
      '[piles.settings]', ...Object.entries(settings).map(([k, v]) => `${k} = ${toml(v)}`), ''];
    const config = [
      '[gateway]', 'name = "Lindenhof"',
      ...(this.options.fresh ? [] : ['location = "u33dc1"', 'address = "Lindenstrasse 7, garage on the left"']), '',
      '[web]', 'bind = "127.0.0.1"', `port = ${this.port}`, '',
      '[ocpp]', 'listen = "off"', '',
      '[plugins]', `dirs = [${JSON.stringify(PLUGIN_DIR)}]`, '',
      '[ledger]', 'block_interval_ms = 100', '',
      ...(this.options.fresh ? [] : pileTable),
      '[[meters]]', 'id = "house"', 'driver = "simulator/meter"', ''].join('\n');
    this.configPath = path.join(this.tmp, 'pilemesh.toml');
    fs.writeFileSync(this.configPath, config);
    if (this.options.demo) {
      execFileSync(PILEMESH, ['demo', 'seed', '--config', this.configPath, '--data-dir', this.dataDir], { stdio: 'pipe' });
    }
    this.proc = spawn(PILEMESHD, ['--config', this.configPath, '--data-dir', this.dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let rest = '';
    const onData = (chunk) => {
      rest += chunk.toString();
      const parts = rest.split('\n');
      rest = parts.pop();
      for (const line of parts) {
        this.lines.push(line);
        for (const w of [...this.waiters]) if (w.re.test(line)) { w.resolve(line); this.waiters.splice(this.waiters.indexOf(w), 1); }
      }
    };
    this.proc.stdout.on('data', onData);
    this.proc.stderr.on('data', onData);
    this.exited = new Promise((resolve) => this.proc.on('exit', resolve));
    await this.waitForLog(/web UI and API at http:\/\//, 20000);
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  waitForLog(re, timeout = 10000) {
    const seen = this.lines.find((l) => re.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { re, resolve };
      this.waiters.push(w);
      setTimeout(() => reject(new Error(`no log line matching ${re}; log:\n${this.lines.join('\n')}`)), timeout);
    });
  }

  // The first-run setup code the gateway made at its first start.
  setupCode() {
    return fs.readFileSync(path.join(this.dataDir, 'setup-code'), 'utf8').trim();
  }

  nodeSeed() {
    return fs.readFileSync(path.join(this.dataDir, 'node.key'), 'utf8').trim();
  }

  async api(pathname) {
    const res = await fetch(this.url + pathname);
    if (!res.ok) throw new Error(`${pathname}: ${res.status} ${await res.text()}`);
    return res.json();
  }

  async stop() {
    if (this.proc && this.proc.exitCode === null) {
      this.proc.kill('SIGTERM');
      await this.exited;
    }
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

// One person with their own phone: a fresh browser profile, 360 px wide by default.
export async function person(gateway, name, viewport = { width: 360, height: 780 }) {
  const dir = fs.mkdtempSync(path.join(gateway.tmp, `browser-${name}-`));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    viewport,
    deviceScaleFactor: 1,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(20000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  // Every message the page showed, for the failure report.
  const toasts = [];
  const toastWaiters = [];
  await page.exposeFunction('__pmToast', (text) => {
    toasts.push(text);
    for (const w of [...toastWaiters]) {
      if (text.includes(w.text)) { toastWaiters.splice(toastWaiters.indexOf(w), 1); w.resolve(text); }
    }
  });
  await context.addInitScript(() => {
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n.classList && n.classList.contains('toast')) window.__pmToast(n.textContent);
    }).observe(document, { childList: true, subtree: true });
  });
  return {
    name, context, page, errors, toasts,
    async open(hash = '/') {
      await page.goto(`${gateway.url}/#${hash}`);
      await page.locator('main .page').first().waitFor();
    },
    // Signs in with a key file's seed, as the demo's printed links do.
    async signInWithSeed(seed) {
      await this.expectToast('Signed in', () => page.goto(`${gateway.url}/#/key/${seed}`));
    },
    // Runs action() and waits for the message containing `text` that it makes the page show.
    async expectToast(text, action) {
      let timer;
      const shown = new Promise((resolve, reject) => {
        toastWaiters.push({ text, resolve });
        timer = setTimeout(() => reject(new Error(`no message "${text}" shown; shown: ${JSON.stringify(toasts)}`)), 20000);
      });
      shown.catch(() => {});  // awaited below, unless the action fails first
      try {
        await action();
        return await shown;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() { await context.close(); },
  };
}

// Runs one browser test: a name, then the body given a fresh gateway. Exits non-zero on failure
// with the gateway's log, so ctest shows what went wrong.
export async function run(name, options, body) {
  const gateway = new Gateway(options);
  const people = [];
  let failed = false;
  try {
    await gateway.start();
    await body(gateway, async (who, viewport) => {
      const p = await person(gateway, who, viewport);
      people.push(p);
      return p;
    });
    for (const p of people) {
      // Errors the page itself reported (not refusals it showed to the user).
      const real = p.errors.filter((e) => !/Failed to load resource/.test(e));
      if (real.length) throw new Error(`${p.name}'s page reported errors:\n${real.join('\n')}`);
    }
    console.log(`ok: ${name}`);
  } catch (e) {
    failed = true;
    console.error(`FAILED: ${name}\n${e.stack || e}`);
    for (const p of people) {
      console.error(`${p.name} was shown: ${JSON.stringify(p.toasts)}; page errors: ${JSON.stringify(p.errors)}`);
      try { await p.page.screenshot({ path: path.join(outputDir(name), `failure-${p.name}.png`), fullPage: true }); } catch (err) { /* closed */ }
    }
    console.error('--- gateway log (last 60 lines) ---\n' + gateway.lines.slice(-60).join('\n'));
  } finally {
    for (const p of people) await p.close().catch(() => {});
    await gateway.stop();
  }
  process.exit(failed ? 1 : 0);
}
