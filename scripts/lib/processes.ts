import { spawn, type ChildProcess } from 'node:child_process';

const COLORS = [36, 35, 33, 32, 34];

/** Child processes of `npm start`, with prefixed output and a clean shutdown of them all. */
export class ProcessGroup {
  private children: Array<{ name: string; child: ChildProcess }> = [];
  private stopping = false;
  onUnexpectedExit: (name: string, code: number | null) => void = () => {};

  start(name: string, cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): ChildProcess {
    const color = COLORS[this.children.length % COLORS.length];
    const prefix = `\x1b[${color}m${name.padEnd(8)}\x1b[0m│ `;
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const pipe = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
      let buf = '';
      stream.on('data', (chunk: Buffer) => {
        buf += chunk.toString();
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const line of lines) out.write(prefix + line + '\n');
      });
    };
    pipe(child.stdout!, process.stdout);
    pipe(child.stderr!, process.stderr);
    child.on('exit', (code) => { if (!this.stopping) this.onUnexpectedExit(name, code); });
    this.children.push({ name, child });
    return child;
  }

  /** SIGTERM to every child (last started first), SIGKILL after a grace period. */
  async stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const { child } of [...this.children].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => { clearTimeout(timer); resolve(); });
        child.kill('SIGTERM');
      });
    }
  }
}
