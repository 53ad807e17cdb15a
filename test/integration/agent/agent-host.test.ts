// The compiled guest agent (engine/vm/agent/agent.c, built by scripts/agent-build.mjs with the
// host's compiler) run on this host with `--listen`, a Unix socket like QEMU's end of the
// virtio-serial port, driven by the engine's real client (engine/vm/agent-client.ts): the whole
// protocol in seconds, without booting a VM. agent.test.ts runs the same binary inside VMs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { agentExec, type SandboxProcess } from '../../../engine/vm/agent-client';
import { frame, HELLO } from '../../../engine/vm/agent-protocol';
import { findBusybox } from '../../../engine/vm/initramfs';
import { buildAgent } from '../../../scripts/agent-build.mjs';

let tmp = '';
let sock = '';
let agent: ChildProcess;
let binary = '';

/** Waits for `pred`, polling (a process's state, a socket's presence). */
async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function startAgent(args: string[], socket: string): ChildProcess {
  const p = spawn(binary, [...args, '--listen', socket], { stdio: ['ignore', 'inherit', 'inherit'] });
  return p;
}

async function collect(p: SandboxProcess, input?: Buffer): Promise<{ code: number; out: Buffer; err: string }> {
  const out: Buffer[] = [];
  let err = '';
  p.stdout.on('data', (c: Buffer) => out.push(c));
  p.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  p.stdin.end(input);
  const code = await p.exit;
  return { code, out: Buffer.concat(out), err };
}

const run = (argv: string[], extra: Partial<Parameters<typeof agentExec>[1]> = {}, input?: Buffer) => collect(agentExec(sock, { argv, ...extra }), input);

before(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'spectrum-agent-host-'));
  // The real build step, into a scratch dist/ (cached by source hash, so quick after the first).
  const built = buildAgent({ outdir: tmp, log: (m) => console.log(`# ${m}`) });
  assert.ok(built, 'the guest agent did not build: apt-get install musl-tools (or gcc with a static libc)');
  binary = built;
  assert.ok(statSync(binary).size < 512 * 1024, 'the agent is small');
  sock = path.join(tmp, 'agent.sock');
  agent = startAgent([], sock);
  await until(() => existsSync(sock), 5000, 'the agent socket');
});

after(() => {
  agent?.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

describe('compiled guest agent (on the host, --listen)', () => {
  test('argv words arrive as given, no shell; exit code; stdout and stderr apart', async () => {
    const r = await run(['/bin/sh', '-c', 'printf "%s|" "$@"; echo; echo oops >&2; exit 3', 'sh', 'a b', "it's $HOME", '*', '']);
    assert.equal(r.code, 3);
    assert.equal(r.out.toString(), "a b|it's $HOME|*||\n");
    assert.equal(r.err, 'oops\n');
  });

  test('env is only what was asked, plus PATH and HOME; cwd is honoured', async () => {
    const r = await run(['/bin/sh', '-c', 'pwd; env | sort'], { env: { GREETING: 'hi there' }, cwd: '/tmp' });
    assert.equal(r.code, 0, r.err);
    const lines = r.out.toString().trim().split('\n');
    assert.equal(lines[0], '/tmp');
    const names = lines.slice(1).map((l) => l.split('=')[0]).filter((n) => !['PWD', 'SHLVL', '_', 'OLDPWD'].includes(n));
    assert.deepEqual(names, ['GREETING', 'HOME', 'PATH']);
    assert.ok(lines.includes('GREETING=hi there'));
  });

  test('a missing program is 127, a missing cwd 126, each with the reason on stderr; a signal is 128+n', async () => {
    let r = await run(['/no/such/program']);
    assert.equal(r.code, 127);
    assert.match(r.err, /cannot run \/no\/such\/program: No such file/);
    r = await run(['true'], { cwd: '/no/such/dir' });
    assert.equal(r.code, 126);
    assert.match(r.err, /no such working directory \/no\/such\/dir/);
    r = await run(['/bin/sh', '-c', 'kill -TERM $$']);
    assert.equal(r.code, 143);
  });

  test('8 MiB of stdin through cat comes back byte for byte (back-pressure both ways)', async () => {
    const data = randomBytes(8 * 1024 * 1024);
    const r = await run(['cat'], {}, data);
    assert.equal(r.code, 0, r.err);
    assert.equal(createHash('sha256').update(r.out).digest('hex'), createHash('sha256').update(data).digest('hex'));
  });

  test('kill ends the whole process group; a timeout kills and says so', async () => {
    const p = agentExec(sock, { argv: ['/bin/sh', '-c', 'sleep 300 & echo $!; wait'] });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    await until(() => out.includes('\n'), 10_000, 'the background sleep');
    const sleeper = Number(out.trim());
    p.kill();
    assert.equal(await p.exit, 137);
    await until(() => !existsSync(`/proc/${sleeper}`) || /^State:\s+Z/m.test(readFileSync(`/proc/${sleeper}/status`, 'utf8')), 5000, `pid ${sleeper} to die`);
    const t = Date.now();
    await assert.rejects(run(['sleep', '300'], { timeoutMs: 500 }), /ran past 0.5 s and was killed/);
    assert.ok(Date.now() - t < 5000);
    // The agent serves the next client right after.
    assert.equal((await run(['true'])).code, 0);
  });

  test('tty mode: the command gets a terminal of the given size, and a resize reaches it', async () => {
    const p = agentExec(sock, { argv: ['/bin/sh', '-c', 'tty; stty size; read x; stty size; exit 4'], tty: { rows: 40, cols: 120 }, env: { TERM: 'xterm' } });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    await until(() => out.includes('40 120'), 10_000, 'the first size');
    p.resize?.(50, 132);
    p.stdin.write('\r');
    assert.equal(await p.exit, 4);
    assert.match(out, /^\/dev\/pts\/\d+\r\n40 120\r\n/);
    assert.match(out, /50 132\r\n$/);
  });

  test('garbage on the socket is skipped: the next HELLO starts a fresh session on the same connection', async () => {
    const c = net.connect(sock);
    await new Promise((r) => c.once('connect', r));
    let got = Buffer.alloc(0);
    c.on('data', (d: Buffer) => (got = Buffer.concat([got, d])));
    // Noise, a frame claiming 4 GiB, an out-of-order G, then a real request.
    c.write(Buffer.concat([randomBytes(3000), Buffer.from([0x41, 0xff, 0xff, 0xff, 0xff]), frame('G'), HELLO, frame('N', '0123456789abcdef'), frame('A', 'echo'), frame('A', 'alive'), frame('G')]));
    await until(() => got.includes(Buffer.from('alive\n')) && got.includes(Buffer.from('X\0\0\0\x04')), 10_000, 'the answer');
    assert.ok(got.includes(frame('R', '0123456789abcdef')));
    c.destroy();
    assert.equal(agent.exitCode, null, 'the agent is still running');
  });

  test('--root runs commands inside another root (the image), in its cwd', async (t) => {
    const busybox = findBusybox();
    if (!busybox) return t.skip('busybox-static is not installed');
    const rootDir = path.join(tmp, 'root');
    mkdirSync(path.join(rootDir, 'bin'), { recursive: true });
    mkdirSync(path.join(rootDir, 'work'));
    copyFileSync(busybox, path.join(rootDir, 'bin', 'busybox'));
    const rootSock = path.join(tmp, 'root.sock');
    const rooted = startAgent(['--root', rootDir], rootSock);
    try {
      await until(() => existsSync(rootSock), 5000, 'the rooted agent socket');
      const r = await collect(agentExec(rootSock, { argv: ['/bin/busybox', 'sh', '-c', 'pwd; /bin/busybox ls /'], cwd: '/work' }));
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out.toString(), '/work\nbin\nwork\n');
    } finally {
      rooted.kill('SIGKILL');
    }
  });
});
